"""Consistent copies of the database while it is in use, and putting one back.

SQLite: the online backup API (pages copied under a read transaction, so writers may go on
and the copy is one consistent moment). PostgreSQL: ``pg_dump`` in its custom format (one
snapshot) and ``pg_restore --clean``. Restoring replaces every table's content.

Backups hold withheld (shelter) addresses: every copy is created 0600 (only the app's user
reads it). The PostgreSQL password goes to the client tools in their environment (``PGPASSWORD``),
never on the command line, where every local user could read it (``ps``, ``/proc``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine, make_url

from app.files import create_private, make_private, sqlite_files


class BackupError(RuntimeError):
    pass


def pg_connection(engine: Engine) -> tuple[str, dict[str, str]]:
    """A libpq URL for the PostgreSQL client tools without the password, and the
    environment that carries it (``PGPASSWORD``) when the URL has one."""
    url = make_url(engine.url.render_as_string(hide_password=False))
    env = {}
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    url = url.set(drivername="postgresql")._replace(password=None)
    return url.render_as_string(hide_password=False), env


def pg_command(engine: Engine, tool: str, *args: str) -> tuple[list[str], dict[str, str]]:
    """The argv and the extra environment to run a PostgreSQL client tool on ``engine``'s
    database: ``--dbname`` holds no password."""
    url, env = pg_connection(engine)
    argv = [tool, *args, f"--dbname={url}"]
    return argv, env


def _sqlite_path(engine: Engine) -> str:
    if not engine.url.database:  # sqlite:// is a database in memory
        raise BackupError("an SQLite database in memory has no file to back up or restore")
    return engine.url.database


def backup(engine: Engine, target: Path) -> None:
    """Write a consistent copy of the live database to ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        create_private(target)
        source = sqlite3.connect(_sqlite_path(engine))
        dest = sqlite3.connect(str(target))
        try:
            with dest:
                source.backup(dest)
        finally:
            dest.close()
            source.close()
        for file in sqlite_files(str(target)):
            make_private(file)
        return
    if engine.dialect.name == "postgresql":
        create_private(target)  # pg_dump writes into it, keeping its mode
        _pg(*pg_command(engine, "pg_dump", "--format=custom", "--no-owner", f"--file={target}"))
        make_private(target)
        return
    raise BackupError(f"backups of {engine.dialect.name} databases are not supported")


def restore(engine: Engine, source: Path) -> None:
    """Replace the database's content with the copy in ``source``."""
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    engine.dispose()
    if engine.dialect.name == "sqlite":
        src = sqlite3.connect(str(source))
        create_private(_sqlite_path(engine))
        dest = sqlite3.connect(_sqlite_path(engine))
        try:
            if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is not a sound SQLite database")
            with dest:
                src.backup(dest)
        finally:
            src.close()
            dest.close()
        return
    if engine.dialect.name == "postgresql":
        argv, env = pg_command(
            engine, "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"
        )
        _pg([*argv, str(source)], env)
        return
    raise BackupError(f"restores of {engine.dialect.name} databases are not supported")


def _pg(argv: list[str], env: dict[str, str]) -> None:
    """Run a PostgreSQL client tool; its error message becomes a ``BackupError``."""
    name = argv[0]
    tool = shutil.which(name) or _pg_tool(name)
    result = subprocess.run(  # noqa: S603 - fixed tool, arguments are not shell-parsed
        [tool, *argv[1:]], capture_output=True, text=True, check=False, env={**os.environ, **env}
    )
    if result.returncode:
        raise BackupError(result.stderr.strip() or f"{name} failed")


def _pg_tool(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client)")
    return str(found[-1])


def fingerprint(engine: Engine) -> dict[str, tuple[int, str]]:
    """Rows and a content hash per table: to compare a database with its restored copy."""
    out = {}
    with engine.connect() as conn:
        for table in sorted(inspect(conn).get_table_names()):
            if table.startswith("search_fts"):
                continue
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()  # noqa: S608 - names from the schema
            digest = hashlib.sha256()
            for row in sorted(repr(tuple(row)) for row in rows):
                digest.update(row.encode())
            out[table] = (len(rows), digest.hexdigest())
    return out
