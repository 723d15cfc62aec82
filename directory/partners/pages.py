"""Partner pages (no login: the link is the key, rate limited per address) and the
coordinator's pages for sending requests and links and deciding suggestions. Thin: call a
service, commit, render."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app import audit, clock
from app import mail as mailer
from app.auth import requires
from app.extensions import db, limiter
from directory import hours, identifiers, languages, taxonomy, visibility
from directory.blueprint import bp
from directory.catalog import present, review
from directory.catalog.pages import FormErrors, load_form
from directory.errors import DomainError, IdentifiersFound, Invalid, NotFound, found
from directory.models import Organization, Service
from directory.partners import answers, capacity_links, decisions, inbox, proposals, requests
from directory.partners.models import PartnerLink, UpdateRequest
from directory.referrals import disclosure, loop
from directory.referrals.schemas import InboxActSchema


def _posted_service_id() -> int | None:
    """The form's ``service_id`` as a record id, or None (no such service: the link's
    page says so) for anything else."""
    sid = request.form.get("service_id", "")
    return int(sid) if sid.isascii() and sid.isdigit() and len(sid) < 10 else None


def partner_limit() -> str:
    return current_app.config["PARTNER_RATE_LIMIT"]


def gone() -> tuple[str, int]:
    """The one answer for a link that is wrong, expired, used or revoked."""
    db.session.rollback()
    return render_template("directory/partners/gone.html"), 404


def listing_item(service: Service) -> dict[str, Any]:
    """A service as the partner sees it: the directory's public facts, never feedback,
    ratings, referrals or a withheld address (``visibility.address`` for nobody)."""
    category = taxonomy.categories().get(service.category or "")
    loc = service.location
    return {
        "service": service,
        "category": category.label if category else None,
        "hours": hours.summary(service),
        "phones": [present.readable_phone(p.number) for p in service.phones],
        "languages": [languages.name(c) for c in service.language_list],
        "address": visibility.place(loc, None)["line"] if loc else None,
        "address_hidden": loc is not None and visibility.address(loc, None) is None,
        "has_place": loc is not None,
        "values": {f: proposals.current(service, f) for f in proposals.FIELDS},
        "capacity": proposals.capacity_now(service),
    }


def _partner_page(
    token: str,
    link: PartnerLink,
    req: UpdateRequest,
    *,
    errors: dict[str, Any] | None = None,
    form: Mapping[str, str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    services = answers.services_of(db.session, link.organization_id)
    return render_template(
        "directory/partners/page.html",
        org=link.organization,
        req=req,
        items=[listing_item(s) for s in services],
        fields=proposals.FIELDS,
        units=proposals.unit_choices(),
        hours_help=proposals.HOURS_HELP,
        errors=errors or {},
        error_links=proposals.error_links(errors or {}, services),
        form=form,
        token=token,
    ), status


@bp.route("/partner/<token>")
@limiter.limit(partner_limit)
def partner_page(token: str) -> ResponseReturnValue:
    now = clock.now()
    try:
        link, req = answers.open_request(db.session, token, now)
        return _partner_page(token, link, req)
    except NotFound:
        pass
    try:
        link = answers.open_capacity(db.session, token, now)
    except NotFound:
        return gone()
    services = answers.services_of(db.session, link.organization_id)
    return render_template(
        "directory/partners/capacity.html",
        org=link.organization,
        items=[(s, proposals.capacity_now(s)) for s in services],
        units=proposals.unit_choices(),
        token=token,
    )


@bp.route("/partner/<token>/confirm", methods=["POST"])
@limiter.limit(partner_limit)
def partner_confirm(token: str) -> ResponseReturnValue:
    try:
        req = answers.confirm(db.session, token, clock.now())
    except NotFound:
        return gone()
    db.session.commit()
    return render_template("directory/partners/thanks.html", org=req.organization, req=req)


@bp.route("/partner/<token>/suggest", methods=["POST"])
@limiter.limit(partner_limit)
def partner_suggest(token: str) -> ResponseReturnValue:
    try:
        req = answers.suggest(db.session, token, request.form, clock.now())
    except NotFound:
        return gone()
    except IdentifiersFound as exc:
        db.session.rollback()
        link, req = answers.open_request(db.session, token, clock.now())
        errors = FormErrors(exc.errors, identifiers.marks_for(exc))
        return _partner_page(token, link, req, errors=errors, form=request.form, status=422)
    except DomainError as exc:
        db.session.rollback()
        link, req = answers.open_request(db.session, token, clock.now())
        return _partner_page(token, link, req, errors=exc.errors, form=request.form, status=422)
    db.session.commit()
    return render_template("directory/partners/thanks.html", org=req.organization, req=req)


@bp.route("/partner/<token>/capacity", methods=["POST"])
@limiter.limit(partner_limit)
def partner_capacity(token: str) -> ResponseReturnValue:
    try:
        service = answers.post_capacity(
            db.session,
            token,
            _posted_service_id(),
            request.form,
            clock.now(),
        )
    except NotFound:
        return gone()
    except DomainError as exc:
        db.session.rollback()
        flash(_("Not saved: %(reason)s", reason=exc.message), "error")
        return redirect(url_for("directory.partner_page", token=token)), 303
    db.session.commit()
    flash(
        _(
            "Saved: %(name)s now shows %(count)s free.",
            name=service.name,
            count=service.capacity_available,
        ),
        "success",
    )
    return redirect(url_for("directory.partner_page", token=token)), 303


# --- coordinators ---------------------------------------------------------------------------


def _outboxed(what: str, address: str) -> str:
    """What the coordinator is told when no mail server is set: nothing was e-mailed."""
    return _(
        "%(what)s for %(address)s was saved to the outbox: no mail server is configured, so "
        "nothing was e-mailed. Open the Outbox (in the menu) to pass the link on.",
        what=what,
        address=address,
    )


def mail_told(
    link: PartnerLink, job_id: int | None, what: str, address: str, sent: str
) -> tuple[str, str]:
    """What the coordinator is told of a partner's e-mail once committed, and how (flash
    category): kept in the outbox, ``sent`` (handed to the mail server), refused with the
    server's reason, or waiting for the worker (its job's page tells later)."""
    if link.delivered_via == "outbox":
        return _outboxed(what, address), "warning"
    state, reason = mailer.outcome(db.session, job_id)
    if state == "sent":
        return sent, "success"
    if state == "refused":
        return _("Not sent: %(reason)s", reason=reason), "error"
    return (
        _(
            "%(what)s for %(address)s is queued for the mail server; %(url)s says when it "
            "is sent, or why not.",
            what=what,
            address=address,
            url=url_for("jobs.job_page", job_id=job_id) if job_id else "/",
        ),
        "success",
    )


@bp.route("/organizations/<int:org_id>/update-request", methods=["POST"])
@requires("coordinator")
def partner_request_send(org_id: int) -> ResponseReturnValue:
    org = found(db.session.get(Organization, org_id))
    try:
        req = requests.send(db.session, org, clock.now(), current_user.id)
        link = req.link
        assert link is not None  # send issues the request's link
        job_id = link.mail_job_id  # read before the commit expires the link
        db.session.commit()
        sent = _(
            "Update request e-mailed to %(address)s; the link works 30 days.",
            address=req.sent_to,
        )
        flash(*mail_told(link, job_id, _("The update request"), req.sent_to, sent))
    except DomainError as exc:
        db.session.rollback()
        flash(_("Not sent: %(reason)s", reason=exc.message), "error")
    return redirect(url_for("directory.organization_page", org_id=org.id))


@bp.route("/organizations/<int:org_id>/capacity-link", methods=["POST"])
@requires("coordinator")
def partner_capacity_link(org_id: int) -> ResponseReturnValue:
    org = found(db.session.get(Organization, org_id))
    try:
        if request.form.get("action") == "revoke":
            count = len(capacity_links.revoke(db.session, org, clock.now()))
            done = ngettext(
                "%(num)d capacity link revoked.", "%(num)d capacity links revoked.", count
            )
        else:
            link = capacity_links.send(db.session, org, clock.now(), current_user.id)
            job_id = link.mail_job_id
            db.session.commit()
            assert org.email is not None  # send refuses an organization without one
            sent = _(
                "Capacity link e-mailed to %(address)s (any older one revoked).",
                address=org.email,
            )
            flash(*mail_told(link, job_id, _("The capacity link"), org.email, sent))
            return redirect(url_for("directory.organization_page", org_id=org.id))
        db.session.commit()
        flash(done, "success")
    except DomainError as exc:
        db.session.rollback()
        flash(_("Not sent: %(reason)s", reason=exc.message), "error")
    return redirect(url_for("directory.organization_page", org_id=org.id))


@bp.route("/update-requests/<int:request_id>")
@requires("coordinator")
def partner_request_page(
    request_id: int,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
    nothing_chosen: bool = False,
) -> ResponseReturnValue:
    req = found(db.session.get(UpdateRequest, request_id))
    return render_template(
        "directory/partners/request.html",
        req=req,
        groups=decisions.diff(req, current_user),
        status=req.status(requests.naive(clock.now())),
        errors=errors or {},
        nothing_chosen=nothing_chosen,
    ), status


@bp.route("/update-requests/<int:request_id>/decisions", methods=["POST"])
@requires("coordinator")
def partner_decisions(request_id: int) -> ResponseReturnValue:
    """The coordinator's decisions: each row's Accept or Reject, or "accept all"; a post
    choosing nothing applies nothing and says so (never "0 changes applied")."""
    req = found(db.session.get(UpdateRequest, request_id))
    accept_all = request.form.get("all") == "accept"
    accepted: list[int] = []
    rejected: list[int] = []
    versions: dict[int, int] = {}
    for s in req.suggestions:
        choice = "accept" if accept_all and s.decision is None else request.form.get(f"d{s.id}")
        (accepted if choice == "accept" else rejected if choice == "reject" else []).append(s.id)
        raw = request.form.get(f"version.{s.service_id}", "")
        if raw.isascii() and raw.isdigit() and len(raw) < 10:
            versions[s.service_id] = int(raw)
    if not accepted and not rejected:
        return partner_request_page(request_id, status=422, nothing_chosen=True)
    try:
        decisions.decide(db.session, req, accepted, rejected, versions, current_user, clock.now())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(_("Nothing saved: %(reason)s", reason=exc.message), "error")
        return partner_request_page(request_id, errors=exc.errors, status=exc.status)
    flash(
        _(
            "%(accepted)s change(s) applied, %(rejected)s rejected.",
            accepted=len(accepted),
            rejected=len(rejected),
        ),
        "success",
    )
    return redirect(url_for("directory.partner_request_page", request_id=req.id))


@bp.route("/review")
@requires("coordinator")
def review_page() -> ResponseReturnValue:
    """The coordinator's review queue: records to verify or re-evaluate, and the partners'
    update requests (here, above both catalog and partners, so neither imports the other)."""
    queue = review.review_queue(db.session, clock.today())
    board = requests.board(db.session, clock.now())
    return render_template("directory/review.html", queue=queue, requests=board)


# --- the partner's referral inbox (no login: the standing inbox link is the key) -----------


def _inbox_page(
    token: str,
    *,
    errors: dict[str, list[str]] | None = None,
    focus: int | None = None,
    status: int = 200,
) -> tuple[str, int]:
    link, rows = inbox.referrals(db.session, token, clock.now())
    page = render_template(
        "directory/partners/inbox.html",
        org=link.organization,
        items=[disclosure.partner_view(r) for r in rows],
        places=[(s, proposals.capacity_now(s)) for s in inbox.services(db.session, link)],
        units=proposals.unit_choices(),
        reasons=loop.REASONS,
        token=token,
        errors=errors or {},
        focus=focus,
    )
    audit.record(db.session, "read", "referrals", detail=f"inbox list of {len(rows)}")
    db.session.commit()
    return page, status


@bp.route("/inbox/<token>")
@limiter.limit(partner_limit)
def inbox_page(token: str) -> ResponseReturnValue:
    """The partner's inbox: its referrals, open ones first, each with the answers it may
    give now. Works on a phone; in the reader's language."""
    try:
        return _inbox_page(token)
    except NotFound:
        return gone()


@bp.route("/inbox/<token>/referrals/<int:referral_id>", methods=["POST"])
@limiter.limit(partner_limit)
def inbox_act(token: str, referral_id: int) -> ResponseReturnValue:
    """One answer from the inbox's form (the same rules as the API's)."""
    data, errors = load_form(InboxActSchema(), request.form)
    try:
        if errors:
            raise Invalid(errors)
        inbox.act(db.session, token, referral_id, data, clock.now())
    except NotFound:
        return gone()
    except DomainError as exc:
        db.session.rollback()
        try:
            return _inbox_page(token, errors=exc.errors, focus=referral_id, status=exc.status)
        except NotFound:
            return gone()
    db.session.commit()
    flash(_("Saved. The referring case manager is told."), "success")
    return redirect(url_for("directory.inbox_page", token=token) + f"#r{referral_id}"), 303


@bp.route("/inbox/<token>/capacity", methods=["POST"])
@limiter.limit(partner_limit)
def inbox_capacity(token: str) -> ResponseReturnValue:
    """Free places stated from the inbox: shown at once, stamped with this moment."""
    try:
        service = inbox.post_capacity(
            db.session,
            token,
            _posted_service_id(),
            request.form,
            clock.now(),
        )
    except NotFound:
        return gone()
    except DomainError as exc:
        db.session.rollback()
        flash(_("Not saved: %(reason)s", reason=exc.message), "error")
        return redirect(url_for("directory.inbox_page", token=token) + "#places"), 303
    db.session.commit()
    flash(
        _(
            "Saved: %(name)s now shows %(count)s free.",
            name=service.name,
            count=service.capacity_available,
        ),
        "success",
    )
    return redirect(url_for("directory.inbox_page", token=token) + "#places"), 303


@bp.route("/organizations/<int:org_id>/inbox-link", methods=["POST"])
@requires("coordinator")
def partner_inbox_link(org_id: int) -> ResponseReturnValue:
    """Create (or revoke) the organization's standing referral inbox link; a new one is
    shown once to the coordinator to hand over, and e-mailed when an address is listed."""
    org = found(db.session.get(Organization, org_id))
    try:
        if request.form.get("action") == "revoke":
            count = len(inbox.revoke(db.session, org, clock.now()))
            done = ngettext("%(num)d inbox link revoked.", "%(num)d inbox links revoked.", count)
        else:
            _link, token = inbox.issue(db.session, org, clock.now(), current_user.id)
            db.session.commit()
            # shown in this answer only: a flash would keep the link in the session cookie
            return render_template(
                "directory/partners/inbox_link.html", org=org, url=inbox.url(token)
            )
        db.session.commit()
        flash(done, "success")
    except DomainError as exc:
        db.session.rollback()
        flash(_("Not done: %(reason)s", reason=exc.message), "error")
    return redirect(url_for("directory.organization_page", org_id=org.id))
