"""The catalog's JSON API: services and organizations by id, verify, ratings, feedback,
capacity, history and the review queue. Domain errors are answered by
``directory.errors.handle``."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from marshmallow import Schema, fields, validate

from app import clock
from app.auth import requires
from app.extensions import db
from app.models import AuditEvent
from directory import aaaq
from directory.aaaq_records import AaaqRating, FeedbackNote
from directory.blueprint import blp
from directory.catalog import feedback, present, ratings, records, review, share
from directory.catalog.answer_schemas import (
    OrganizationListSchema,
    OrganizationSchema,
    ServiceItemSchema,
)
from directory.catalog.schemas import (
    OrganizationInSchema,
    OrganizationListArgs,
    OrganizationPatchSchema,
    ServicePatchSchema,
)
from directory.catalog.upkeep_schemas import (
    CapacityInSchema,
    ChangeSchema,
    FeedbackAnswerSchema,
    FeedbackInSchema,
    FeedbackSchema,
    HideInSchema,
    RatingInSchema,
    RatingsAnswerSchema,
    RatingSchema,
    ReviewItemSchema,
)
from directory.models import Organization, Service


def _item(service: Service) -> dict:
    return present.one(db.session, service, current_user, clock.now())


@blp.route("/services/<int:service_id>")
class ServiceById(MethodView):
    @requires("viewer")
    @blp.response(200, ServiceItemSchema)
    def get(self, service_id: int) -> dict:
        """One service."""
        return _item(records.get(db.session, Service, service_id))

    @requires("coordinator")
    @blp.arguments(ServicePatchSchema)
    @blp.response(200, ServiceItemSchema)
    def patch(self, data: dict[str, Any], service_id: int) -> dict:
        """Change some fields; ``version`` must be the one read (409 if it is stale)."""
        service = records.get(db.session, Service, service_id)
        records.update_service(db.session, service, data)
        db.session.commit()
        return _item(service)

    @requires("coordinator")
    @blp.response(204)
    def delete(self, service_id: int) -> None:
        """Deactivate the service (kept for history; hidden from search)."""
        service = records.get(db.session, Service, service_id)
        records.set_status(db.session, service, "inactive")
        db.session.commit()


@blp.route("/services/<int:service_id>/verify")
class VerifyService(MethodView):
    @requires("coordinator")
    @blp.response(200, ServiceItemSchema)
    def post(self, service_id: int) -> dict:
        """Stamp ``last_verified`` with today and the verifier."""
        service = records.get(db.session, Service, service_id)
        records.verify_service(db.session, service, current_user, clock.today())
        db.session.commit()
        return _item(service)


@blp.route("/organizations")
class Organizations(MethodView):
    @requires("viewer")
    @blp.arguments(OrganizationListArgs, location="query")
    @blp.response(200, OrganizationListSchema)
    def get(self, args: dict[str, Any]) -> dict:
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
    def post(self, data: dict[str, Any]) -> dict:
        """Add an organization."""
        org = records.create_organization(db.session, data)
        db.session.commit()
        return present.organization_item(org)


@blp.route("/organizations/<int:org_id>")
class OrganizationById(MethodView):
    @requires("viewer")
    @blp.response(200, OrganizationSchema)
    def get(self, org_id: int) -> dict:
        """One organization with its services."""
        return present.organization_item(records.get(db.session, Organization, org_id))

    @requires("coordinator")
    @blp.arguments(OrganizationPatchSchema)
    @blp.response(200, OrganizationSchema)
    def patch(self, data: dict[str, Any], org_id: int) -> dict:
        """Change some fields; ``version`` must be the one read (409 if it is stale)."""
        org = records.get(db.session, Organization, org_id)
        records.update_organization(db.session, org, data)
        db.session.commit()
        return present.organization_item(org)

    @requires("coordinator")
    @blp.response(204)
    def delete(self, org_id: int) -> None:
        """Deactivate the organization (its services leave search results)."""
        org = records.get(db.session, Organization, org_id)
        records.set_status(db.session, org, "inactive")
        db.session.commit()


class ShareArgs(Schema):
    """``GET /services/{id}/share``: discreet unless asked otherwise; en, es or fr."""

    discreet = fields.Boolean(load_default=True)
    lang = fields.String(load_default="en", validate=validate.OneOf(share.LANGS))


class ShareSchema(Schema):
    text = fields.String()
    discreet = fields.Boolean()
    lang = fields.String()


@blp.route("/services/<int:service_id>/share")
class Share(MethodView):
    @requires("viewer")
    @blp.arguments(ShareArgs, location="query")
    @blp.response(200, ShareSchema)
    def get(self, args: dict[str, Any], service_id: int) -> dict:
        """What a case manager gives the client: discreet by default (a neutral name, no
        organization, no tell-tale word in any language offered, no withheld address)."""
        service = records.get(db.session, Service, service_id)
        text = share.share_text(
            service, _item(service), discreet=args["discreet"], lang=args["lang"]
        )
        return {"text": text, "discreet": args["discreet"], "lang": args["lang"]}


@blp.route("/services/<int:service_id>/ratings")
class Ratings(MethodView):
    @requires("viewer")
    @blp.response(200, RatingsAnswerSchema)
    def get(self, service_id: int) -> dict:
        """Current AAAQ (last 12 months) and every rating, newest first. Notes and raters
        for case managers and up only (each such read audited); null for viewers."""
        records.get(db.session, Service, service_id)
        history = ratings.history(db.session, service_id, current_user)
        db.session.commit()
        return {
            "aaaq": aaaq.summary(db.session, service_id, clock.today()).as_dict(),
            "ratings": history,
        }

    @requires("coordinator")
    @blp.arguments(RatingInSchema)
    @blp.response(201, RatingSchema)
    def post(self, data: dict[str, Any], service_id: int) -> AaaqRating:
        """Rate the service on the four AAAQ dimensions (1–3, or null for N/A)."""
        service = records.get(db.session, Service, service_id)
        rating = ratings.rate_service(db.session, service, data, current_user, clock.today())
        db.session.commit()
        return rating


@blp.route("/services/<int:service_id>/feedback")
class Feedback(MethodView):
    @requires("case_manager")
    @blp.response(200, FeedbackAnswerSchema)
    def get(self, service_id: int) -> dict:
        """De-identified client feedback (hidden notes for coordinators only). Audited."""
        records.get(db.session, Service, service_id)
        notes = feedback.notes(db.session, service_id, current_user)
        db.session.commit()
        return {
            "summary": feedback.outcome_counts(db.session, [service_id], clock.today())[service_id],
            "observations": feedback.observation_counts(db.session, service_id, clock.today()),
            "notes": notes,
        }

    @requires("case_manager")
    @blp.arguments(FeedbackInSchema)
    @blp.response(201, FeedbackSchema)
    def post(self, data: dict[str, Any], service_id: int) -> FeedbackNote:
        """Add a note; refused (422) if it looks like it holds client identifiers."""
        service = records.get(db.session, Service, service_id)
        note = feedback.add_note(db.session, service, data, current_user, clock.today())
        db.session.commit()
        return note


@blp.route("/feedback/<int:note_id>/hide")
class HideFeedback(MethodView):
    @requires("coordinator")
    @blp.arguments(HideInSchema)
    @blp.response(200, FeedbackSchema)
    def post(self, data: dict[str, Any], note_id: int) -> FeedbackNote:
        """Hide a note from case managers (it is kept; the change is audited)."""
        note = records.get(db.session, FeedbackNote, note_id)
        feedback.hide(db.session, note, current_user, data.get("reason"))
        db.session.commit()
        return note


@blp.route("/services/<int:service_id>/capacity")
class Capacity(MethodView):
    @requires("coordinator")
    @blp.arguments(CapacityInSchema)
    @blp.response(200, ServiceItemSchema)
    def put(self, data: dict[str, Any], service_id: int) -> dict:
        """Report capacity now (beds, appointments, cases free); stamped with the time."""
        service = records.get(db.session, Service, service_id)
        records.update_capacity(db.session, service, data, clock.now())
        db.session.commit()
        return _item(service)


@blp.route("/services/<int:service_id>/history")
class History(MethodView):
    @requires("coordinator")
    @blp.response(200, ChangeSchema(many=True))
    def get(self, service_id: int) -> list[AuditEvent]:
        """Who changed what and when: fields with old and new values."""
        records.get(db.session, Service, service_id)
        return records.change_history(db.session, "services", service_id)


@blp.route("/review-queue")
class ReviewQueue(MethodView):
    @requires("coordinator")
    @blp.response(200, ReviewItemSchema(many=True))
    def get(self) -> list[dict]:
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
            for i in review.review_queue(db.session, clock.today())
        ]
