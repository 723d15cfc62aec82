"""A scheduled command runs once however many hosts run it: ``run_once(name)`` takes a
database lock for the command's run, and a second host (or a second cron run) that finds
it taken skips the run instead of doing the work twice (two ``request-updates --due`` at
once used to mail every partner twice, the second link revoking the first).

PostgreSQL: a session advisory lock (``pg_try_advisory_lock``) on a connection held for
the run; it ends with that connection, so a host that dies frees it at once. SQLite (one
machine, several processes): a row in ``locks``, inserted in its own transaction (the
name is the key, so only one insert succeeds), deleted at the end; a row older than its
``expires_at`` (a process killed mid-run) no longer counts.

``once(name)`` wraps a click command in it (``directory request-updates``; the lead
wraps ``referrals expire`` and ``purge`` the same way).
"""

from __future__ import annotations

import functools
import hashlib
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import ParamSpec, TypeVar

import click
from sqlalchemy import delete, insert, text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import CommandLock, utcnow

P = ParamSpec("P")
R = TypeVar("R")

DEFAULT_TTL = timedelta(hours=6)


def _key(name: str) -> int:
    """A stable signed 64-bit number for ``name`` (advisory locks are keyed by numbers)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


@contextmanager
def run_once(name: str, ttl: timedelta = DEFAULT_TTL) -> Iterator[bool]:
    """Yields True when this process holds ``name``'s lock (do the work), False when
    another holds it (skip). Released at the end of the ``with``."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            got = bool(
                conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _key(name)}).scalar()
            )
            conn.commit()
            try:
                yield got
            finally:
                if got:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _key(name)})
                    conn.commit()
        return
    me = holder()
    now = utcnow()
    try:
        with engine.begin() as conn:
            conn.execute(
                delete(CommandLock).where(CommandLock.name == name, CommandLock.expires_at < now)
            )
            conn.execute(
                insert(CommandLock).values(
                    name=name, holder=me, acquired_at=now, expires_at=now + ttl
                )
            )
        got = True
    except IntegrityError:
        got = False
    try:
        yield got
    finally:
        if got:
            with engine.begin() as conn:
                conn.execute(
                    delete(CommandLock).where(CommandLock.name == name, CommandLock.holder == me)
                )


def once(name: str) -> Callable[[Callable[P, R]], Callable[P, R | None]]:
    """Decorate a click command: it runs only where ``name``'s lock is free; elsewhere it
    says so and exits 0 (another host is doing the work)."""

    def decorate(func: Callable[P, R]) -> Callable[P, R | None]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | None:
            with run_once(name) as mine:
                if not mine:
                    click.echo(f"{name}: already running on another host; skipped.", err=True)
                    return None
                return func(*args, **kwargs)

        return wrapper

    return decorate
