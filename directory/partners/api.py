"""The partner feature's JSON API: coordinators send update requests, capacity and inbox
links, list requests by status, decide suggestions; the partner (no account: the inbox
link is the key) lists and answers the referrals sent to it."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user

from app import audit, clock
from app.auth import requires
from app.extensions import db, limiter
from directory.blueprint import blp
from directory.catalog import records
from directory.errors import NotFound
from directory.models import Organization
from directory.partners import capacity_links, decisions, inbox, requests
from directory.partners.models import UpdateRequest
from directory.partners.pages import partner_limit
from directory.partners.schemas import (
    CapacityLinkSchema,
    DecisionsInSchema,
    InboxLinkSchema,
    RequestCreatedSchema,
    RequestListArgs,
    RequestListSchema,
    RequestSchema,
)
from directory.referrals import disclosure
from directory.referrals.schemas import InboxActSchema, PartnerReferralSchema


def request_item(r: UpdateRequest) -> dict:
    """A request with its suggestions as a diff (what was shown, on file now, proposed)."""
    now = requests.naive(clock.now())
    rows = [
        {
            "id": row["suggestion"].id,
            "service": {"id": group["service"].id, "name": group["service"].name},
            "service_version": group["version"],
            "field": row["suggestion"].field,
            "label": row["label"],
            "seen": row["seen"],
            "now": row["now"],
            "proposed": row["proposed"],
            "decision": row["suggestion"].decision,
        }
        for group in decisions.diff(r, current_user)
        for row in group["rows"]
    ]
    return {
        "id": r.id,
        "organization": {"id": r.organization.id, "name": r.organization.name},
        "sent_to": r.sent_to,
        "sent_at": r.sent_at,
        "expires_at": r.expires_at,
        "reminded_at": r.reminded_at,
        "answered_at": r.answered_at,
        "answer": r.answer,
        "status": r.status(now),
        "pending": len(r.pending),
        "note": r.note,
        "suggestions": rows,
    }


@blp.route("/organizations/<int:org_id>/update-requests")
class OrganizationUpdateRequests(MethodView):
    @requires("coordinator")
    @blp.response(201, RequestCreatedSchema)
    def post(self, org_id: int) -> UpdateRequest:
        """E-mail the partner a personal link (30 days) to check its listing; revokes any
        earlier link."""
        org = records.get(db.session, Organization, org_id)
        request = requests.send(db.session, org, clock.now(), current_user.id)
        db.session.commit()
        return request


@blp.route("/update-requests")
class UpdateRequests(MethodView):
    @requires("coordinator")
    @blp.arguments(RequestListArgs, location="query")
    @blp.response(200, RequestListSchema)
    def get(self, args: dict[str, Any]) -> dict:
        """Requests sent (waiting), answered, or overdue (not answered within 30 days)."""
        rows = requests.listing(db.session, args.get("status"), clock.now())
        return {"items": [request_item(r) for r in rows], "total": len(rows)}


def _request(request_id: int) -> UpdateRequest:
    r = db.session.get(UpdateRequest, request_id)
    if r is None or r.revoked_at is not None:
        raise NotFound(message=f"No update request with id {request_id}.")
    return r


@blp.route("/update-requests/<int:request_id>")
class UpdateRequestById(MethodView):
    @requires("coordinator")
    @blp.response(200, RequestSchema)
    def get(self, request_id: int) -> dict:
        """One request with its field-by-field diff."""
        return request_item(_request(request_id))


@blp.route("/update-requests/<int:request_id>/decisions")
class Decisions(MethodView):
    @requires("coordinator")
    @blp.arguments(DecisionsInSchema)
    @blp.response(200, RequestSchema)
    def post(self, data: dict[str, Any], request_id: int) -> dict:
        """Accept or reject suggestions; accepted ones are applied like an edit by hand
        (validation, version check: 409 when stale, audit)."""
        r = _request(request_id)
        decisions.decide(
            db.session,
            r,
            data["accepted"],
            data["rejected"],
            {int(k): v for k, v in data["versions"].items()},
            current_user,
            clock.now(),
        )
        db.session.commit()
        return request_item(r)


@blp.route("/organizations/<int:org_id>/capacity-links")
class CapacityLinks(MethodView):
    @requires("coordinator")
    @blp.response(201, CapacityLinkSchema)
    def post(self, org_id: int) -> dict:
        """E-mail the partner a standing link to post its capacity (revokes the old one)."""
        org = records.get(db.session, Organization, org_id)
        link = capacity_links.send(db.session, org, clock.now(), current_user.id)
        db.session.commit()
        return {"id": link.id, "sent_to": org.email, "revoked": False}

    @requires("coordinator")
    @blp.response(200, CapacityLinkSchema(many=True))
    def delete(self, org_id: int) -> list[dict]:
        """Revoke the organization's capacity links."""
        org = records.get(db.session, Organization, org_id)
        ids = capacity_links.revoke(db.session, org, clock.now())
        db.session.commit()
        return [{"id": i, "sent_to": org.email, "revoked": True} for i in ids]


@blp.route("/organizations/<int:org_id>/inbox-link")
class InboxLink(MethodView):
    @requires("coordinator")
    @blp.response(201, InboxLinkSchema)
    def post(self, org_id: int) -> dict:
        """A standing referral inbox link for the organization (revokes the old one); the
        address is shown once here, and e-mailed to the organization's listed address."""
        org = records.get(db.session, Organization, org_id)
        link, token = inbox.issue(db.session, org, clock.now(), current_user.id)
        db.session.commit()
        return {"id": link.id, "url": inbox.url(token), "sent_to": org.email, "revoked": False}

    @requires("coordinator")
    @blp.response(200, InboxLinkSchema(many=True))
    def delete(self, org_id: int) -> list[dict]:
        """Revoke the organization's inbox links."""
        org = records.get(db.session, Organization, org_id)
        ids = inbox.revoke(db.session, org, clock.now())
        db.session.commit()
        return [{"id": i, "url": None, "sent_to": org.email, "revoked": True} for i in ids]


@blp.route("/inbox/<token>/referrals")
class InboxReferrals(MethodView):
    @limiter.limit(partner_limit)
    @blp.response(200, PartnerReferralSchema(many=True))
    def get(self, token: str) -> list[dict]:
        """The partner's referrals (no login: the inbox link is the key): no case
        reference, no client field, no arrival code."""
        _link, rows = inbox.referrals(db.session, token, clock.now())
        views = [disclosure.partner_view(r) for r in rows]
        audit.record(db.session, "read", "referrals", detail=f"inbox list of {len(rows)}")
        db.session.commit()
        return views


@blp.route("/inbox/<token>/referrals/<int:referral_id>")
class InboxReferralAct(MethodView):
    @limiter.limit(partner_limit)
    @blp.arguments(InboxActSchema)
    @blp.response(200, PartnerReferralSchema)
    def post(self, data: dict[str, Any], token: str, referral_id: int) -> dict:
        """Answer a referral: accepted, declined (reason_code), waitlisted, arrived
        (arrival_code), completed, could_not_help (reason_code). A state the partner may
        not set now answers 403 (audited)."""
        referral = inbox.act(db.session, token, referral_id, data, clock.now())
        db.session.commit()
        return disclosure.partner_view(referral)
