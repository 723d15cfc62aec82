"""Saved lists' JSON API: ``/api/v1/lists`` and ``/api/v1/lists/{id}``."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user

from app import clock
from app.auth import requires
from app.extensions import db
from directory.blueprint import blp
from directory.lists import saved as lists
from directory.lists.schemas import SavedListInSchema, SavedListPatchSchema, SavedListSchema


@blp.route("/lists")
class Lists(MethodView):
    @requires("viewer")
    @blp.response(200, SavedListSchema(many=True))
    def get(self) -> list[dict]:
        """Your lists, then the ones others of the facility shared (read-only to you)."""
        return [
            lists.view(db.session, s, current_user)
            for s in lists.readable(db.session, current_user)
        ]

    @requires("viewer")
    @blp.arguments(SavedListInSchema)
    @blp.response(201, SavedListSchema)
    def post(self, data: dict[str, Any]) -> dict:
        """Save a new list; its name must not identify a client (422 naming ``name``);
        ``service_ids`` active services (422 naming ``service_ids``). Audited."""
        saved = lists.create(db.session, data, current_user, clock.now())
        db.session.commit()
        return lists.view(db.session, saved, current_user)


@blp.route("/lists/<int:list_id>")
class ListById(MethodView):
    @requires("viewer")
    @blp.response(200, SavedListSchema)
    def get(self, list_id: int) -> dict:
        """One list: yours, or one shared with the facility (404 otherwise)."""
        return lists.view(db.session, lists.get(db.session, list_id, current_user), current_user)

    @requires("viewer")
    @blp.arguments(SavedListPatchSchema)
    @blp.response(200, SavedListSchema)
    def patch(self, data: dict[str, Any], list_id: int) -> dict:
        """Rename, share or unshare, or set the services in their new order (the whole
        list). Only the owner (403 for a reader of a shared list; 404 for a private one)."""
        saved = lists.get_own(db.session, list_id, current_user)
        lists.update(db.session, saved, data, clock.now())
        db.session.commit()
        return lists.view(db.session, saved, current_user)

    @requires("viewer")
    @blp.response(204)
    def delete(self, list_id: int) -> None:
        """Delete the list (only the owner). Audited."""
        lists.delete(db.session, lists.get_own(db.session, list_id, current_user))
        db.session.commit()
