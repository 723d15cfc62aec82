"""Files only the app's own user may read: the SQLite database (and its WAL and shared-
memory files), backups, the local secret key, the demo admin's password.

They are created with mode 0600 from the start (``os.open`` with that mode, so there is
no moment when another local user could open them) and tightened when found looser.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE = 0o600


def create_private(path: Path | str) -> None:
    """Make sure ``path`` exists with mode 0600 (an existing file keeps its content)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE)
    os.close(fd)
    make_private(path)


def make_private(path: Path | str) -> None:
    """Mode 0600 for ``path`` when it exists and is looser (files we cannot change are left:
    another user's file is not ours to fix)."""
    with contextlib.suppress(OSError):
        mode = os.stat(path).st_mode
        if stat.S_ISREG(mode) and stat.S_IMODE(mode) & 0o077:
            os.chmod(path, PRIVATE)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (replacing it), mode 0600 from the start."""
    create_private(path)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def sqlite_files(database: str) -> list[str]:
    """The database file and the write-ahead log and shared-memory files beside it."""
    return [database, f"{database}-wal", f"{database}-shm", f"{database}-journal"]
