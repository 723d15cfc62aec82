"""Referrals' JSON API: record, list, read and follow up warm hand-offs; network figures."""

from __future__ import annotations

from datetime import timedelta

from flask.views import MethodView
from flask_login import current_user

from app import clock
from app.auth import requires
from app.extensions import db
from directory.blueprint import blp
from directory.referrals import figures, handoff
from directory.referrals.schemas import (
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
    def get(self, args):
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
    def post(self, data):
        """Record a warm hand-off (consent required; no client identity)."""
        referral = handoff.create(db.session, data, current_user, clock.today())
        db.session.commit()
        return referral


@blp.route("/referrals/<int:referral_id>")
class ReferralById(MethodView):
    @requires("case_manager")
    @blp.response(200, ReferralSchema)
    def get(self, referral_id):
        """One referral (404 if it is not yours). Audited."""
        referral = handoff.get(db.session, referral_id, current_user)
        db.session.commit()
        return referral

    @requires("case_manager")
    @blp.arguments(ReferralPatchSchema)
    @blp.response(200, ReferralSchema)
    def patch(self, data, referral_id):
        """Record the follow-up; closed referrals cannot become pending."""
        referral = handoff.get(db.session, referral_id, current_user)
        handoff.update(db.session, referral, data, clock.today())
        db.session.commit()
        return referral


@blp.route("/referrals/figures")
class ReferralFigures(MethodView):
    @requires("coordinator")
    @blp.arguments(FiguresArgs, location="query")
    @blp.response(200, FiguresSchema)
    def get(self, args):
        """Network figures: referrals per group per month, connection rate, unmet needs."""
        since = clock.today().replace(day=1) - timedelta(days=31 * (args["months"] - 1))
        return figures.figures(db.session, since.replace(day=1))
