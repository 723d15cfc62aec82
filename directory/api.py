"""The directory's JSON API (flask-smorest): thin handlers over ``search`` and ``records``."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort
from sqlalchemy.orm.exc import StaleDataError

from app.api import json_response
from app.auth import requires
from app.extensions import db
from directory import (
    feedback,
    freshness,
    geo,
    present,
    ratings,
    records,
    referrals,
    search,
    taxonomy,
)
from directory.models import FeedbackNote, Organization, Service
from directory.schemas import (
    CapacityInSchema,
    CategorySchema,
    ChangeSchema,
    FeedbackAnswerSchema,
    FeedbackInSchema,
    FeedbackSchema,
    FiguresArgs,
    FiguresSchema,
    HideInSchema,
    OrganizationInSchema,
    OrganizationListArgs,
    OrganizationListSchema,
    OrganizationPatchSchema,
    OrganizationSchema,
    RatingInSchema,
    RatingsAnswerSchema,
    RatingSchema,
    ReferralInSchema,
    ReferralListArgs,
    ReferralPatchSchema,
    ReferralSchema,
    ReviewItemSchema,
    SearchAnswerSchema,
    SearchArgs,
    ServiceInSchema,
    ServiceItemSchema,
    ServicePatchSchema,
)

blp = Blueprint(
    "directory_api", __name__, description="Directory: categories, organizations, services"
)
blueprints = [blp]


@contextmanager
def domain_errors():
    """Domain errors → HTTP errors with the contract's body; the transaction is rolled back."""
    try:
        yield
    except records.NotFound as exc:
        db.session.rollback()
        abort(404, message=str(exc))
    except (records.StaleVersion, StaleDataError) as exc:
        db.session.rollback()
        abort(
            409,
            message=str(exc)
            if isinstance(exc, records.StaleVersion)
            else "The record was changed by someone else; read it again.",
        )
    except records.InvalidRecord as exc:
        db.session.rollback()
        abort(422, message="Invalid data.", errors=exc.errors)
    except (ratings.InvalidRating, feedback.IdentifiersFound) as exc:
        db.session.rollback()
        abort(422, message=str(exc), errors=exc.errors)
    except geo.UnknownPlace as exc:
        db.session.rollback()
        abort(422, message="Unknown place.", errors={"near": [str(exc)]})


def search_answer(page: search.Page, user, now: datetime) -> dict:
    """A page of search results as ``SearchAnswerSchema`` documents it."""
    return {
        "items": present.items(db.session, page.items, user, now),
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
        "place": page.point.label if page.point else None,
    }


@blp.route("/categories")
class Categories(MethodView):
    @requires("viewer")
    @blp.response(200, CategorySchema(many=True))
    def get(self):
        """The Section V directory categories, in the template's order."""
        return [vars(c) for c in taxonomy.categories().values()]


@blp.route("/services")
class Services(MethodView):
    @requires("viewer")
    @blp.arguments(SearchArgs(), location="query")  # an instance: not built per request
    @blp.response(200, SearchAnswerSchema)
    def get(self, args):
        """Search the directory; every filter combines with the others."""
        with domain_errors():
            filters = search.filters_from_args(args)
        now = _now()
        page = search.run(
            db.session, filters, page=args["page"], per_page=args["per_page"], now_utc=now
        )
        # the hottest path: written by orjson, not dumped field by field (same JSON; tested)
        return json_response(search_answer(page, current_user, now))

    @requires("coordinator")
    @blp.arguments(ServiceInSchema)
    @blp.response(201, ServiceItemSchema)
    def post(self, data):
        """Add a service to an organization."""
        with domain_errors():
            service = records.create_service(db.session, data)
            db.session.commit()
        return present.one(db.session, service, current_user, _now())


@blp.route("/services/<int:service_id>")
class ServiceById(MethodView):
    @requires("viewer")
    @blp.response(200, ServiceItemSchema)
    def get(self, service_id):
        """One service."""
        with domain_errors():
            service = records.get(db.session, Service, service_id)
        return present.one(db.session, service, current_user, _now())

    @requires("coordinator")
    @blp.arguments(ServicePatchSchema)
    @blp.response(200, ServiceItemSchema)
    def patch(self, data, service_id):
        """Change some fields; ``version`` must be the one read (409 if it is stale)."""
        with domain_errors():
            service = records.get(db.session, Service, service_id)
            records.update_service(db.session, service, data)
            db.session.commit()
        return present.one(db.session, service, current_user, _now())

    @requires("coordinator")
    @blp.response(204)
    def delete(self, service_id):
        """Deactivate the service (kept for history; hidden from search)."""
        with domain_errors():
            service = records.get(db.session, Service, service_id)
            records.set_status(db.session, service, "inactive")
            db.session.commit()


@blp.route("/services/<int:service_id>/verify")
class VerifyService(MethodView):
    @requires("coordinator")
    @blp.response(200, ServiceItemSchema)
    def post(self, service_id):
        """Stamp ``last_verified`` with today and the verifier."""
        with domain_errors():
            service = records.get(db.session, Service, service_id)
            records.verify_service(db.session, service, current_user, date.today())
            db.session.commit()
        return present.one(db.session, service, current_user, _now())


@blp.route("/organizations")
class Organizations(MethodView):
    @requires("viewer")
    @blp.arguments(OrganizationListArgs, location="query")
    @blp.response(200, OrganizationListSchema)
    def get(self, args):
        """List organizations by name."""
        rows, total = records.organizations(
            db.session, args.get("q"), args.get("status"), args["page"], args["per_page"]
        )
        return {
            "items": [present.organization_item(o) for o in rows],
            "total": total,
            "page": args["page"],
            "per_page": args["per_page"],
        }

    @requires("coordinator")
    @blp.arguments(OrganizationInSchema)
    @blp.response(201, OrganizationSchema)
    def post(self, data):
        """Add an organization."""
        with domain_errors():
            org = records.create_organization(db.session, data)
            db.session.commit()
        return present.organization_item(org)


@blp.route("/organizations/<int:org_id>")
class OrganizationById(MethodView):
    @requires("viewer")
    @blp.response(200, OrganizationSchema)
    def get(self, org_id):
        """One organization with its services."""
        with domain_errors():
            return present.organization_item(records.get(db.session, Organization, org_id))

    @requires("coordinator")
    @blp.arguments(OrganizationPatchSchema)
    @blp.response(200, OrganizationSchema)
    def patch(self, data, org_id):
        """Change some fields; ``version`` must be the one read (409 if it is stale)."""
        with domain_errors():
            org = records.get(db.session, Organization, org_id)
            records.update_organization(db.session, org, data)
            db.session.commit()
        return present.organization_item(org)

    @requires("coordinator")
    @blp.response(204)
    def delete(self, org_id):
        """Deactivate the organization (its services leave search results)."""
        with domain_errors():
            org = records.get(db.session, Organization, org_id)
            records.set_status(db.session, org, "inactive")
            db.session.commit()


def _now() -> datetime:
    return datetime.now(UTC)


# --- ratings, feedback, capacity, history, review ----------------------------------------


@blp.route("/services/<int:service_id>/ratings")
class Ratings(MethodView):
    @requires("viewer")
    @blp.response(200, RatingsAnswerSchema)
    def get(self, service_id):
        """Current AAAQ (last 12 months) and every rating, newest first."""
        with domain_errors():
            records.get(db.session, Service, service_id)
        today = _now().date()
        return {
            "aaaq": ratings.summary(db.session, service_id, today).as_dict(),
            "ratings": ratings.history(db.session, service_id),
        }

    @requires("coordinator")
    @blp.arguments(RatingInSchema)
    @blp.response(201, RatingSchema)
    def post(self, data, service_id):
        """Rate the service on the four AAAQ dimensions (1–3, or null for N/A)."""
        with domain_errors():
            service = records.get(db.session, Service, service_id)
            rating = ratings.rate_service(db.session, service, data, current_user, _now().date())
            db.session.commit()
        return rating


@blp.route("/services/<int:service_id>/feedback")
class Feedback(MethodView):
    @requires("case_manager")
    @blp.response(200, FeedbackAnswerSchema)
    def get(self, service_id):
        """De-identified client feedback (hidden notes for coordinators only). Audited."""
        with domain_errors():
            records.get(db.session, Service, service_id)
        today = _now().date()
        notes = feedback.notes(db.session, service_id, current_user)
        db.session.commit()
        return {
            "summary": feedback.outcome_counts(db.session, [service_id], today)[service_id],
            "notes": notes,
        }

    @requires("case_manager")
    @blp.arguments(FeedbackInSchema)
    @blp.response(201, FeedbackSchema)
    def post(self, data, service_id):
        """Add a note; refused (422) if it looks like it holds client identifiers."""
        with domain_errors():
            service = records.get(db.session, Service, service_id)
            note = feedback.add_note(db.session, service, data, current_user, _now().date())
            db.session.commit()
        return note


@blp.route("/feedback/<int:note_id>/hide")
class HideFeedback(MethodView):
    @requires("coordinator")
    @blp.arguments(HideInSchema)
    @blp.response(200, FeedbackSchema)
    def post(self, data, note_id):
        """Hide a note from case managers (it is kept; the change is audited)."""
        with domain_errors():
            note = records.get(db.session, FeedbackNote, note_id)
            feedback.hide(db.session, note, current_user, data.get("reason"))
            db.session.commit()
        return note


@blp.route("/services/<int:service_id>/capacity")
class Capacity(MethodView):
    @requires("coordinator")
    @blp.arguments(CapacityInSchema)
    @blp.response(200, ServiceItemSchema)
    def put(self, data, service_id):
        """Report capacity now (beds, appointments, cases free); stamped with the time."""
        with domain_errors():
            service = records.get(db.session, Service, service_id)
            records.update_capacity(db.session, service, data, _now())
            db.session.commit()
        return present.one(db.session, service, current_user, _now())


@blp.route("/services/<int:service_id>/history")
class History(MethodView):
    @requires("coordinator")
    @blp.response(200, ChangeSchema(many=True))
    def get(self, service_id):
        """Who changed what and when: fields with old and new values."""
        with domain_errors():
            records.get(db.session, Service, service_id)
        return records.change_history(db.session, "services", service_id)


@blp.route("/review-queue")
class ReviewQueue(MethodView):
    @requires("coordinator")
    @blp.response(200, ReviewItemSchema(many=True))
    def get(self):
        """Services due for review: not verified recently, falling AAAQ, poor feedback."""
        return [
            {
                "service": {"id": i.service.id, "name": i.service.name},
                "organization": {
                    "id": i.service.organization.id,
                    "name": i.service.organization.name,
                },
                "last_verified": i.service.last_verified,
                "reasons": i.reasons,
            }
            for i in freshness.review_queue(db.session, _now().date())
        ]


# --- referrals ----------------------------------------------------------------------------


@contextmanager
def referral_errors():
    try:
        with domain_errors():
            yield
    except referrals.InvalidReferral as exc:
        db.session.rollback()
        abort(422, message="Invalid referral.", errors=exc.errors)
    except referrals.NotYours as exc:
        abort(404, message=str(exc))


@blp.route("/referrals")
class Referrals(MethodView):
    @requires("case_manager")
    @blp.arguments(ReferralListArgs, location="query")
    @blp.response(200, ReferralSchema(many=True))
    def get(self, args):
        """Your referrals (coordinators: everyone's); ``due=true``: follow-ups due now."""
        rows = referrals.listing(
            db.session,
            current_user,
            due=args["due"],
            today=_now().date(),
            status=args.get("status"),
        )
        db.session.commit()
        return rows

    @requires("case_manager")
    @blp.arguments(ReferralInSchema)
    @blp.response(201, ReferralSchema)
    def post(self, data):
        """Record a warm hand-off (consent required; no client identity)."""
        with referral_errors():
            referral = referrals.create(db.session, data, current_user, _now().date())
            db.session.commit()
        return referral


@blp.route("/referrals/<int:referral_id>")
class ReferralById(MethodView):
    @requires("case_manager")
    @blp.response(200, ReferralSchema)
    def get(self, referral_id):
        """One referral (404 if it is not yours). Audited."""
        with referral_errors():
            referral = referrals.get(db.session, referral_id, current_user)
            db.session.commit()
        return referral

    @requires("case_manager")
    @blp.arguments(ReferralPatchSchema)
    @blp.response(200, ReferralSchema)
    def patch(self, data, referral_id):
        """Record the follow-up; closed referrals cannot become pending."""
        with referral_errors():
            referral = referrals.get(db.session, referral_id, current_user)
            referrals.update(db.session, referral, data, _now().date())
            db.session.commit()
        return referral


@blp.route("/referrals/figures")
class ReferralFigures(MethodView):
    @requires("coordinator")
    @blp.arguments(FiguresArgs, location="query")
    @blp.response(200, FiguresSchema)
    def get(self, args):
        """Network figures: referrals per group per month, connection rate, unmet needs."""
        since = _now().date().replace(day=1) - timedelta(days=31 * (args["months"] - 1))
        return referrals.figures(db.session, since.replace(day=1))
