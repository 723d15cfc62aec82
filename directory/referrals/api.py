"""Referrals' JSON API: record, list, read and follow up warm hand-offs; network figures."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask.views import MethodView
from flask_login import current_user

from app import clock
from app.auth import requires
from app.extensions import db
from directory.blueprint import blp
from directory.referrals import figures, handoff, loop, sending
from directory.referrals.models import Referral
from directory.referrals.schemas import (
    CancelInSchema,
    FiguresArgs,
    FiguresSchema,
    ReferralInSchema,
    ReferralListArgs,
    ReferralPatchSchema,
    ReferralSchema,
)


@blp.route("/referrals")
class Referrals(MethodView):
    @requires("case_manager")
    @blp.arguments(ReferralListArgs, location="query")
    @blp.response(200, ReferralSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[Referral]:
        """Your referrals (coordinators: everyone's); ``due=true``: follow-ups due now."""
        rows = handoff.listing(
            db.session,
            current_user,
            due=args["due"],
            today=clock.today(),
            status=args.get("status"),
        )
        db.session.commit()
        return rows

    @requires("case_manager")
    @blp.arguments(ReferralInSchema)
    @blp.response(201, ReferralSchema)
    def post(self, data: dict[str, Any]) -> Referral:
        """Record a warm hand-off (consent required; no client identity); with
        ``send: true`` also send it to the receiving organization's inbox (consent per
        partner with ``consent_expires_on``, ``urgency``, ``first_contact``, ``needs``)."""
        referral = handoff.create(db.session, data, current_user, clock.today(), clock.now())
        db.session.commit()
        return referral


@blp.route("/referrals/<int:referral_id>")
class ReferralById(MethodView):
    @requires("case_manager")
    @blp.response(200, ReferralSchema)
    def get(self, referral_id: int) -> Referral:
        """One referral (404 if it is not yours). Audited."""
        referral = handoff.get(db.session, referral_id, current_user)
        seen = handoff.mark_seen(referral, current_user)
        db.session.commit()
        return seen

    @requires("case_manager")
    @blp.arguments(ReferralPatchSchema)
    @blp.response(200, ReferralSchema)
    def patch(self, data: dict[str, Any], referral_id: int) -> Referral:
        """Record the follow-up; closed referrals cannot become pending."""
        referral = handoff.get(db.session, referral_id, current_user)
        handoff.update(db.session, referral, data, clock.today(), clock.now())
        db.session.commit()
        return referral


@blp.route("/referrals/<int:referral_id>/cancel")
class ReferralCancel(MethodView):
    @requires("case_manager")
    @blp.arguments(CancelInSchema)
    @blp.response(200, ReferralSchema)
    def post(self, data: dict[str, Any], referral_id: int) -> Referral:
        """The sender cancels a sent referral (before the client arrived); anything the
        sender may not do is refused 403 and audited."""
        referral = handoff.get(db.session, referral_id, current_user)
        loop.sender_set(db.session, referral, "cancelled", clock.now(), data.get("reason"))
        db.session.commit()
        return referral


@blp.route("/referrals/<int:referral_id>/revoke-consent")
class ReferralRevokeConsent(MethodView):
    @requires("case_manager")
    @blp.response(200, ReferralSchema)
    def post(self, referral_id: int) -> Referral:
        """The client withdrew consent to share with this partner: open referrals under it
        are cancelled and their content purged at once."""
        referral = handoff.get(db.session, referral_id, current_user)
        sending.revoke_consent(db.session, referral, clock.now())
        db.session.commit()
        return referral


@blp.route("/referrals/figures")
class ReferralFigures(MethodView):
    @requires("coordinator")
    @blp.arguments(FiguresArgs, location="query")
    @blp.response(200, FiguresSchema)
    def get(self, args: dict[str, Any]) -> dict:
        """Network figures: referrals per group per month, connection rate, unmet needs;
        with ``by=partner|category`` also the loop's funnel (sent → accepted → arrived →
        completed, median hours to answer, decline reasons, expired share), counts under 5
        shown as "fewer than 5"."""
        since = (clock.today().replace(day=1) - timedelta(days=31 * (args["months"] - 1))).replace(
            day=1
        )
        out = figures.figures(db.session, since)
        if by := args.get("by"):
            out["by"] = by
            out["funnel"] = figures.loop_funnel(
                db.session, by, datetime.combine(since, datetime.min.time())
            )
        return out
