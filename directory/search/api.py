"""Search's JSON API: ``GET /api/v1/services`` (and adding a service on the same path),
the categories."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_login import current_user
from sqlalchemy.exc import OperationalError

from app import clock
from app.api import json_response
from app.auth import requires
from app.extensions import db
from directory import taxonomy
from directory.blueprint import blp
from directory.catalog import present, records
from directory.catalog.answer_schemas import ServiceItemSchema
from directory.catalog.schemas import ServiceInSchema
from directory.referrals import figures
from directory.search import query
from directory.search.filters import Filters
from directory.search.schemas import (
    CategorySchema,
    SearchAnswerSchema,
    SearchArgs,
    filters_from_args,
)
from directory.visibility import Viewer

log = logging.getLogger(__name__)
UNMET_WAIT_MS = 200
"""On SQLite, how long a search waits to count an unmet need while another writer (a
long HSDS import job) holds the database's one write lock: a search never waits for it."""


def search_answer(page: query.Page, user: Viewer, now: datetime) -> dict:
    """A page of search results as ``SearchAnswerSchema`` documents it."""
    return {
        "items": present.items(db.session, page.items, user, now),
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
        "place": page.point.label if page.point else None,
        "not_stated": page.not_stated,
        "relaxations": [vars(r) for r in page.relaxations],
        "did_you_mean": page.did_you_mean,
    }


def run(filters: Filters, page: int, per_page: int, now: datetime) -> query.Page:
    """Search, counting a first page that found nothing as an unmet need."""
    result = query.search(db.session, filters, page=page, per_page=per_page, now_utc=now)
    if figures.note_search(db.session, filters, result, clock.today_at(now)):
        _commit_without_waiting(filters)
    return result


def _commit_without_waiting(filters: Filters) -> None:
    """Commit the unmet-need count. PostgreSQL: at once (row locks). SQLite: its one write
    lock may be held for minutes by an import job, so wait ``UNMET_WAIT_MS`` at most; if it
    is still taken, the search answers anyway and the uncounted search is logged (a
    warning naming its categories), not counted."""
    if db.session.get_bind().dialect.name != "sqlite":
        db.session.commit()
        return
    raw = db.session.connection().connection.dbapi_connection
    if raw is None:  # an invalidated connection: no timeout to set
        db.session.commit()
        return
    usual = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    raw.execute(f"PRAGMA busy_timeout={UNMET_WAIT_MS}")
    try:
        db.session.commit()
    except OperationalError as exc:
        if "locked" not in str(exc.orig):
            raise
        db.session.rollback()
        log.warning(
            "unmet search not counted: the database was busy (another writer, e.g. an import)",
            extra={"unmet_categories": " ".join(filters.categories)},
        )
    finally:
        raw.execute(f"PRAGMA busy_timeout={int(usual)}")


@blp.route("/categories")
class Categories(MethodView):
    @requires("viewer")
    @blp.response(200, CategorySchema(many=True))
    def get(self) -> list[dict]:
        """The Section V directory categories, in the template's order."""
        return [vars(c) for c in taxonomy.categories().values()]


@blp.route("/services")
class Services(MethodView):
    @requires("viewer")
    @blp.arguments(SearchArgs(), location="query")  # an instance: not built per request
    @blp.response(200, SearchAnswerSchema)
    def get(self, args: dict[str, Any]) -> Response:
        """Search the directory; every filter combines with the others."""
        now = clock.now()
        page = run(filters_from_args(args), args["page"], args["per_page"], now)
        # the hottest path: written by orjson, not dumped field by field (same JSON; tested)
        return json_response(search_answer(page, current_user, now))

    @requires("coordinator")
    @blp.arguments(ServiceInSchema)
    @blp.response(201, ServiceItemSchema)
    def post(self, data: dict[str, Any]) -> dict:
        """Add a service to an organization."""
        service = records.create_service(db.session, data)
        db.session.commit()
        return present.one(db.session, service, current_user, clock.now())
