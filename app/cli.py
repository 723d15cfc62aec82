"""The app's own commands: ``users create|token|role|deactivate|activate|password|
revoke-tokens|unlock|demo-admin`` (every one audited, actor "cli"), ``worker``,
``scheduler``, ``backup``,
``restore``, and
``seed demo``, which runs what each domain package registered in ``app.extensions["seeders"]``."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import click
from flask import Flask, current_app, g
from flask.cli import AppGroup
from sqlalchemy import select

from app import audit, clock, locks, retention
from app.config import INSTANCE_DIR
from app.extensions import db
from app.files import write_private
from app.models import ROLES, User
from app.users import (
    AuthError,
    change_role,
    check_password_rules,
    create_user,
    deactivate,
    issue_token,
    reactivate,
    revoke_tokens,
    set_password,
    unlock,
)

users = AppGroup("users", help="Manage user accounts and API tokens.")
seed = AppGroup("seed", help="Load seed data.")

DEMO_ADMIN = "admin@demo.example"


@users.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--password", help="At least 12 characters; prompted for when omitted.")
def users_create(email: str, role: str, password: str | None) -> None:
    """Create a user with a role."""
    g.audit_actor = "cli"
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, role, password)
        db.session.commit()
    except AuthError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.email} ({user.role}).")


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user with e-mail {email}.")
    return user


@users.command("token")
@click.argument("email")
def users_token(email: str) -> None:
    """Print a new API token for the user (shown once; store it safely)."""
    g.audit_actor = "cli"
    secret = issue_token(_user(email))
    db.session.commit()
    click.echo(secret)


@users.command("revoke-tokens")
@click.argument("email")
def users_revoke_tokens(email: str) -> None:
    """Revoke every API token of the user."""
    g.audit_actor = "cli"
    count = len(revoke_tokens(_user(email)))
    db.session.commit()
    click.echo(f"Revoked {count} API token(s) of {email}.")


@users.command("role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
def users_role(email: str, role: str) -> None:
    """Give the user another role (their sessions and API tokens end)."""
    g.audit_actor = "cli"
    user = _user(email)
    change_role(user, role)
    db.session.commit()
    click.echo(f"{user.email} is now {role}; their sessions and API tokens were ended.")


@users.command("deactivate")
@click.argument("email")
def users_deactivate(email: str) -> None:
    """Deactivate the user (their sessions and API tokens end)."""
    g.audit_actor = "cli"
    user = _user(email)
    deactivate(user)
    db.session.commit()
    click.echo(f"{user.email} deactivated; their sessions and API tokens were ended.")


@users.command("activate")
@click.argument("email")
def users_activate(email: str) -> None:
    """Let a deactivated user log in again."""
    g.audit_actor = "cli"
    user = _user(email)
    reactivate(user)
    db.session.commit()
    click.echo(f"{user.email} reactivated.")


@users.command("unlock")
@click.argument("email")
def users_unlock(email: str) -> None:
    """Clear the user's login lock-out (every client's failed logins), audited."""
    g.audit_actor = "cli"
    user = _user(email)
    count = unlock(user)
    db.session.commit()
    click.echo(f"{user.email} unlocked ({count} lock-out record(s) cleared).")


@users.command("password")
@click.argument("email")
@click.option("--password", help="Prompted for when omitted.")
def users_password(email: str, password: str | None) -> None:
    """Reset the user's password (their sessions and API tokens end)."""
    g.audit_actor = "cli"
    user = _user(email)
    if password is None:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        set_password(user, password)
        db.session.commit()
    except AuthError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Password of {user.email} reset; their sessions and API tokens were ended.")


def demo_password() -> str:
    """A random password that passes the password rules (almost every draw does)."""
    while True:
        password = secrets.token_urlsafe(15)
        try:
            check_password_rules(password, DEMO_ADMIN)
        except AuthError:
            continue
        return password


def _usable(password: str | None) -> bool:
    try:
        check_password_rules(password or "", DEMO_ADMIN)
    except AuthError:
        return False
    return True


@users.command("demo-admin")
def users_demo_admin() -> None:
    """Make sure the demo admin exists and print its e-mail and password."""
    g.audit_actor = "cli"
    path = INSTANCE_DIR / "demo-admin-password.txt"
    user = db.session.scalar(select(User).where(User.email == DEMO_ADMIN))
    password = path.read_text().strip() if path.exists() else None
    if user is None or password is None or not _usable(password):
        # a password kept from before stronger rules is replaced
        password = password if password is not None and _usable(password) else demo_password()
        if user is None:
            create_user(DEMO_ADMIN, "admin", password)
        else:
            set_password(user, password)
        db.session.commit()
        INSTANCE_DIR.mkdir(exist_ok=True)
        write_private(path, password + "\n")
    click.echo(f"Demo admin: {DEMO_ADMIN}  password: {password}")


@seed.command("demo")
@click.option("--if-empty", is_flag=True, help="Only when the directory has no organization.")
def seed_demo(if_empty: bool) -> None:
    """Load the demo directory and the instruments (idempotent)."""
    g.audit_actor = "seed"
    for seeder in current_app.extensions.get("seeders", []):
        lines = seeder(db.session, if_empty)
        if lines is None:
            click.echo("The directory has data already; demo not loaded.")
            return
        db.session.commit()
        for line in lines:
            click.echo(line)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Write a consistent copy of the database (safe while the app is running)."""
    from app.backup import BackupError, backup

    g.audit_actor = "cli"
    try:
        backup(db.engine, file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    audit.export_read(db.session, "backup", f"to {file}")
    click.echo(f"Backed up to {file}.")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation at a terminal.")
def restore_command(file: Path, yes: bool) -> None:
    """Replace the database's content with a backup (stop the app first)."""
    from app.backup import BackupError, restore

    if not yes and sys.stdin.isatty():  # scripts (no terminal) run it as documented
        click.confirm(f"Replace everything in the database with {file}?", abort=True)
    db.session.remove()
    try:
        restore(db.engine, file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    g.audit_actor = "cli"
    audit.record(db.session, "restore", "database", detail=f"from {file}")
    db.session.commit()
    click.echo(f"Restored from {file}.")


@click.command("purge")
@locks.once("purge")
def purge_command() -> None:
    """Drop what the retention policy says to drop (each step audited; safe to re-run)."""
    g.audit_actor = "command purge"
    failed = False
    for name, count in retention.purge(db.session, clock.now()).items():
        if isinstance(count, str):
            failed = True
            click.echo(f"{name}: {count}", err=True)
        else:
            click.echo(f"{name}: {count} removed")
    if failed:
        raise click.ClickException("some purge steps failed (each audited); the others ran.")


# the periodic commands `flask scheduler` runs (each takes its own run-once lock or is safe
# to run on several hosts at once): (command line, every so many seconds)
SCHEDULE = (
    ("referrals expire", 15 * 60),
    ("directory request-updates --due", 60 * 60),
    ("purge", 24 * 60 * 60),
)


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Run each scheduled command once, then stop.")
def scheduler_command(once: bool) -> None:
    """Run the periodic commands (SCHEDULE) until stopped: the container's and systemd's
    alternative to cron. Several hosts may each run one: every command takes its lock."""
    import time
    import traceback

    # ignore: flask types current_app as the Flask it stands for, not the proxy it is
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    runner = app.test_cli_runner()  # each command in its own context, as from a shell
    last: dict[str, float] = {}
    while True:
        for line, every in SCHEDULE:
            now = time.monotonic()
            if not once and line in last and now - last[line] < every:
                continue
            last[line] = now
            result = runner.invoke(args=line.split())
            status = "ok" if result.exit_code == 0 else f"failed ({result.exit_code})"
            click.echo(f"scheduler: {line}: {status}", err=True)
            if result.output.strip():
                click.echo(result.output.rstrip(), err=True)
            if result.exc_info and not isinstance(result.exception, SystemExit):
                click.echo("".join(traceback.format_exception(*result.exc_info)), err=True)
        if once:
            return
        time.sleep(30)


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Jobs run at the same time.")
def worker_command(workers: int) -> None:
    """Run queued jobs (imports, exports, large sheets, e-mails) until stopped (SIGINT or
    SIGTERM: the jobs running are finished first)."""
    from app import jobs

    # ignore: flask types current_app as the Flask it stands for, not the proxy it is
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    kind = jobs.queue_kind(app)
    if kind == "immediate":
        raise click.ClickException("QUEUE_URL=immediate runs jobs at once: no worker needed.")
    if kind == "sqlite":  # one host: a job left running was cut off with its worker
        stuck = jobs.recover_interrupted(db.session)
        db.session.commit()
        if stuck:
            click.echo(f"{stuck} job(s) cut off by a stopped worker marked failed.", err=True)
    db.session.remove()
    click.echo(f"Worker: {workers} thread(s) on the {kind} queue.", err=True)
    jobs.consumer(app, workers=max(1, workers)).run()


def register(app: Flask) -> None:
    app.cli.add_command(purge_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(users)
    app.cli.add_command(seed)
