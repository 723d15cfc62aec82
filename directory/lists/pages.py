"""Saved lists' pages: my lists and the shared ones, one list (reorder, remove, rename,
share, delete, print, share with a client discreetly), and the "Save to list" form on
search results and the service page. Thin: parse, call ``saved``, render or redirect.
Every form is a plain POST with its CSRF token: it works without JavaScript."""

from __future__ import annotations

from collections.abc import Mapping

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app import clock, params
from app.auth import requires, safe_next
from app.extensions import db
from app.forms import flat_errors
from app.pdf import pdf_response
from directory import identifiers
from directory.blueprint import bp
from directory.catalog import present, share
from directory.errors import DomainError, Invalid, found
from directory.lists import saved as lists
from directory.lists import sharing
from directory.models import SavedList, Service

STEPS = {"up": -1, "down": 1}


class FormErrors(dict):
    """A form's errors by field, with ``marked``: what was typed in a field refused for
    client identifiers, cut into the identifying spans (``field_errors`` in _macros.html)."""

    def __init__(self, errors: dict, marked: dict | None = None):
        super().__init__(errors)
        self.marked = marked or {}

    def rename(self, old: str, new: str) -> FormErrors:
        """The same errors with field ``old`` called ``new`` (as a form names it)."""
        if old in self:
            self[new] = self.pop(old)
        if old in self.marked:
            self.marked[new] = self.marked.pop(old)
        return self


def _errors(exc: DomainError) -> FormErrors:
    """A refused change's errors by field, in the page's language, with the marked spans
    of a name refused for holding client identifiers."""
    db.session.rollback()
    errors = flat_errors(exc.errors or {"_schema": [exc.message]})
    return FormErrors(errors, identifiers.marks_for(exc))


@bp.app_template_global()
def my_saved_lists() -> list:
    """The signed-in user's own lists (the "Save to list" choices), read once a request
    (kept in the request's environ: ``g`` can outlive a request)."""
    key = "directory.my_saved_lists"
    if key not in request.environ:
        request.environ[key] = (
            lists.own(db.session, current_user) if current_user.is_authenticated else []
        )
    return request.environ[key]


@bp.route("/lists")
@requires("viewer")
def lists_page() -> ResponseReturnValue:
    """My lists, and the ones others of the facility shared; a new list."""
    return _render_lists()


def _render_lists(
    *, status: int = 200, form: Mapping[str, str] | None = None, errors: FormErrors | None = None
) -> tuple[str, int]:
    rows = lists.readable(db.session, current_user)
    counts = {s.id: len(lists.service_ids(db.session, s, current_user)) for s in rows}
    return render_template(
        "directory/lists.html",
        mine=[s for s in rows if s.owner_id == current_user.id],
        shared=[s for s in rows if s.owner_id != current_user.id],
        counts=counts,
        owner_label=lists.owner_label,
        form=form or {},
        errors=errors or {},
    ), status


@bp.route("/lists", methods=["POST"])
@requires("viewer")
def list_create() -> ResponseReturnValue:
    try:
        saved = lists.create(
            db.session, {"name": request.form.get("name")}, current_user, clock.now()
        )
    except Invalid as exc:
        return _render_lists(status=422, form=request.form, errors=_errors(exc))
    db.session.commit()
    flash(_("List created."), "success")
    return redirect(url_for("directory.list_page", list_id=saved.id))


@bp.route("/lists/<int:list_id>")
@requires("viewer")
def list_page(list_id: int) -> ResponseReturnValue:
    saved = lists.get(db.session, list_id, current_user)
    return _render_list(saved)


def _render_list(
    saved: SavedList,
    *,
    status: int = 200,
    form: Mapping[str, str] | None = None,
    errors: FormErrors | None = None,
) -> tuple[str, int]:
    now = clock.now()
    chosen = lists.services(db.session, saved, current_user)
    items = present.items(db.session, chosen, current_user, now)
    lang = share.lang_of(request.args.get("share_lang"))
    return render_template(
        "directory/list.html",
        saved=saved,
        items=items,
        mine=saved.owner_id == current_user.id,
        owner=lists.owner_label(saved),
        share_text=sharing.share_text(db.session, saved, current_user, now, lang=lang),
        share_lang=lang,
        share_langs=share.LANGS,
        form=form or {},
        errors=errors or {},
        stale_before=present.stale_limit(clock.today_at(now)),
    ), status


@bp.route("/lists/<int:list_id>/rename", methods=["POST"])
@requires("viewer")
def list_rename(list_id: int) -> ResponseReturnValue:
    saved = lists.get_own(db.session, list_id, current_user)
    try:
        lists.update(db.session, saved, {"name": request.form.get("name")}, clock.now())
    except Invalid as exc:
        errors = _errors(exc)
        return _render_list(
            lists.get(db.session, list_id, current_user),
            status=422,
            form=request.form,
            errors=errors,
        )
    db.session.commit()
    flash(_("List renamed."), "success")
    return redirect(url_for("directory.list_page", list_id=list_id))


@bp.route("/lists/<int:list_id>/shared", methods=["POST"])
@requires("viewer")
def list_share_toggle(list_id: int) -> ResponseReturnValue:
    saved = lists.get_own(db.session, list_id, current_user)
    shared = request.form.get("shared") == "true"
    lists.update(db.session, saved, {"shared": shared}, clock.now())
    db.session.commit()
    flash(
        _("Shared: the facility's other accounts can read this list.")
        if shared
        else _("Private: only you can read this list."),
        "success",
    )
    return redirect(url_for("directory.list_page", list_id=list_id))


@bp.route("/lists/<int:list_id>/items/<int:service_id>", methods=["POST"])
@requires("viewer")
def list_item(list_id: int, service_id: int) -> ResponseReturnValue:
    """Move a service up or down, or take it off the list (``action``)."""
    saved = lists.get_own(db.session, list_id, current_user)
    action = request.form.get("action")
    if action in STEPS:
        lists.move(db.session, saved, service_id, STEPS[action], clock.now())
        message = _("Moved.")
    elif action == "remove":
        lists.remove(db.session, saved, service_id, clock.now())
        message = _("Taken off the list.")
    else:
        abort(400, description="action: up, down or remove.")
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("directory.list_page", list_id=list_id) + f"#item-{service_id}")


@bp.route("/lists/<int:list_id>/delete", methods=["GET", "POST"])
@requires("viewer")
def list_delete(list_id: int) -> ResponseReturnValue:
    """Delete a list, after a confirmation page."""
    saved = lists.get_own(db.session, list_id, current_user)
    if request.method == "POST" and request.form.get("confirmed") == "1":
        lists.delete(db.session, saved)
        db.session.commit()
        flash(_("List deleted."), "success")
        return redirect(url_for("directory.lists_page"))
    return render_template(
        "directory/confirm.html",
        title=_("Delete the list “%(name)s”?", name=saved.name),
        explanation=_("The list goes; the services stay in the directory. This cannot be undone."),
        confirm_label=_("Delete the list"),
        action=url_for("directory.list_delete", list_id=list_id),
        cancel=url_for("directory.list_page", list_id=list_id),
        fields={},
    )


@bp.route("/lists/<int:list_id>/handout.pdf")
@requires("viewer")
def list_handout(list_id: int) -> ResponseReturnValue:
    """The list as a discreet client handout: each service's discreet share, no list name."""
    saved = lists.get(db.session, list_id, current_user)
    page = sharing.handout(
        db.session, saved, current_user, clock.now(), lang=request.args.get("lang")
    )
    html = render_template("directory/list_handout.html", h=page)
    return pdf_response(html, "contacts.pdf")


@bp.route("/lists/save", methods=["GET", "POST"])
@requires("viewer")
def list_save() -> ResponseReturnValue:
    """Save a service to one of my lists or to a new one; back where the user was. A
    refused save (a name that identifies a client) shows this form again with the error."""
    source = request.form if request.method == "POST" else request.args
    service_id = params.record_id("service_id", source)
    service = found(db.session.get(Service, service_id))
    back = safe_next(source.get("next"))
    errors: dict = {}
    if request.method == "POST":
        list_id = params.record_id("list_id", request.form, required=False)
        try:
            saved, added = lists.save_to(
                db.session,
                current_user,
                service.id,
                clock.now(),
                list_id=list_id,
                new_name=request.form.get("new_name"),
            )
        except Invalid as exc:  # not another's list: that is a 404/403 like any page
            errors = _errors(exc).rename("name", "new_name")  # as this form calls it
        else:
            db.session.commit()
            if added:
                flash(_("Saved to “%(name)s”.", name=saved.name), "success:save-list")
            else:
                flash(_("Already on “%(name)s”.", name=saved.name), "success:save-list")
            return redirect(back)
    return render_template(
        "directory/list_save.html", service=service, back=back, form=source, errors=errors
    ), (422 if errors else 200)
