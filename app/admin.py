"""Admin pages: users (create, role, deactivate, reset password), the audit log and the mail
outbox; and
every user's own password change."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app import audit, clock, params
from app import outbox as outbox_rules
from app.auth import requires, start_session
from app.extensions import db
from app.logins import attempt_login
from app.models import ROLES, AuditEvent, User
from app.users import (
    AuthError,
    change_role,
    create_user,
    deactivate,
    reactivate,
    revoke_tokens,
    set_password,
    unlock,
)

bp = Blueprint("admin", __name__)
PAGE = 100


@bp.route("/admin/users", methods=["GET", "POST"])
@requires("admin")
def users() -> ResponseReturnValue:
    error = error_field = None
    if request.method == "POST":
        try:
            user = create_user(
                request.form.get("email", ""),
                request.form.get("role", ""),
                request.form.get("password", ""),
            )
            db.session.commit()
            flash(_("User %(email)s created.", email=user.email), "success")
            return redirect(url_for("admin.users"))
        except AuthError as exc:
            db.session.rollback()
            error, error_field = str(exc), exc.field
    rows = db.session.scalars(select(User).order_by(User.email)).all()
    return render_template(
        "admin/users.html",
        users=rows,
        roles=ROLES,
        error=error,
        error_field=f"u-{error_field or 'email'}",
        form=request.form,
    ), (422 if error else 200)


@bp.route("/admin/users/<int:user_id>", methods=["POST"])
@requires("admin")
def user_update(user_id: int) -> ResponseReturnValue:
    # the shell's "not found": answered as directory.errors.NotFound() is (app imports no domain)
    user = db.session.get(User, user_id) or abort(404)
    action = request.form.get("action")
    try:
        if action == "role":
            change_role(user, request.form.get("role", ""))
            done = _(
                "%(email)s is now %(role)s. Their sessions and API tokens were ended.",
                email=user.email,
                role=user.role,
            )
        elif action == "deactivate":
            deactivate(user, by=db.session.get(User, current_user.id))
            done = _(
                "%(email)s deactivated. Their sessions and API tokens were ended.",
                email=user.email,
            )
        elif action == "activate":
            reactivate(user)
            done = _("%(email)s reactivated.", email=user.email)
        elif action == "password":
            set_password(user, request.form.get("password", ""))
            done = _(
                "%(email)s: password reset. Their sessions and API tokens were ended.",
                email=user.email,
            )
        elif action == "unlock":
            unlock(user)
            done = _("%(email)s unlocked: failed logins forgotten.", email=user.email)
        elif action == "tokens":
            count = len(revoke_tokens(user))
            done = _("%(email)s: %(count)s API token(s) revoked.", email=user.email, count=count)
        else:
            raise AuthError("Unknown action.")
        db.session.commit()
        flash(done, "success")
    except AuthError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("admin.users"))


@bp.route("/admin/audit")
@requires("admin")
def audit_log() -> ResponseReturnValue:
    """Filter by who, what, record and period; newest first."""
    stmt = select(AuditEvent)
    actor = request.args.get("actor", "").strip()
    action = request.args.get("action", "").strip()
    object_type = request.args.get("object_type", "").strip()
    if actor:
        stmt = stmt.where(AuditEvent.actor.ilike(f"%{actor}%"))
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if object_type:
        stmt = stmt.where(AuditEvent.object_type == object_type)
    for key, op in (("since", "__ge__"), ("until", "__le__")):
        if value := request.args.get(key):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                flash(_("%(field)s: not a date (YYYY-MM-DD).", field=key), "error")
                continue
            stmt = stmt.where(getattr(AuditEvent.at, op)(moment))
    page = params.page_number("page", request.args)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    events = db.session.scalars(
        stmt.order_by(AuditEvent.id.desc()).limit(PAGE).offset((page - 1) * PAGE)
    ).all()
    actions = db.session.scalars(select(AuditEvent.action).distinct()).all()
    types = db.session.scalars(select(AuditEvent.object_type).distinct()).all()
    return render_template(
        "admin/audit.html",
        events=events,
        total=total,
        page=page,
        per_page=PAGE,
        actions=sorted(actions),
        types=sorted(types),
        args=request.args,
    )


@bp.route("/admin/outbox")
@requires("coordinator")
def outbox() -> ResponseReturnValue:
    """Mail the app would have sent (no ``MAIL_SERVER`` set), newest first: an admin's
    view holds every message, a coordinator's the messages they sent."""
    page = params.page_number("page", request.args)
    messages, total = outbox_rules.page(db.session, current_user, page, PAGE_OUTBOX)
    audit.export_read(db.session, "outbox", f"page {page} of {total}: {audit.ids(messages)}")
    return render_template(
        "admin/outbox.html", messages=messages, total=total, page=page, per_page=PAGE_OUTBOX
    )


@bp.route("/admin/outbox/<int:message_id>/passed-on", methods=["POST"])
@requires("coordinator")
def outbox_passed_on(message_id: int) -> ResponseReturnValue:
    """The sender forwarded the message by hand: its link tokens are masked from now on."""
    done = outbox_rules.pass_on(db.session, current_user, message_id, clock.now())
    if done is None:
        abort(404)
    db.session.commit()
    flash(_("Marked as passed on; the link in the kept copy is masked."), "success")
    return redirect(url_for("admin.outbox"))


PAGE_OUTBOX = 20


@bp.route("/account/password", methods=["GET", "POST"])
@requires("viewer")
def change_password() -> ResponseReturnValue:
    """Change your own password; your other sessions and API tokens end."""
    error, field = None, "p-new"
    if request.method == "POST":
        user = db.session.get(User, current_user.id)
        if user is None:  # deleted (by hand) since this request loaded it
            abort(404)
        attempt = attempt_login(user.email, request.form.get("current", ""))
        if attempt.user is None:
            db.session.commit()  # the failure counts towards the account's lock-out
            error, field = (
                (
                    _("Too many wrong passwords: try again later.")
                    if attempt.locked_for
                    else _("Your current password is not right.")
                ),
                "p-current",
            )
        elif request.form.get("new") != request.form.get("confirm"):
            error, field = _("The new passwords differ."), "p-confirm"
        else:
            try:
                set_password(user, request.form.get("new", ""), action="password change")
                db.session.commit()
                start_session(user)  # this session goes on with the new version
                flash(
                    _("Password changed. Your other sessions and API tokens were ended."), "success"
                )
                return redirect(url_for("directory.search"))
            except AuthError as exc:
                db.session.rollback()
                error = str(exc)
    return render_template("admin/password.html", error=error, field=field), (422 if error else 200)
