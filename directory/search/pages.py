"""The search page: every filter, results as cards with phone, hours, languages, distance."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from marshmallow import ValidationError

from app import clock
from app.auth import requires
from app.extensions import db
from app.forms import flat_errors
from directory import bp
from directory.catalog import present
from directory.errors import DomainError
from directory.search.api import run
from directory.search.schemas import SearchArgs, filters_from_args, non_blank


@bp.route("/", endpoint="search")
@requires("viewer")
def search_page():
    """Search with every filter; results as cards with phone, hours, languages, distance."""
    errors, page = {}, None
    now = clock.now()
    try:
        args = SearchArgs().load(non_blank(request.args))
        page = run(filters_from_args(args), args["page"], args["per_page"], now)
    except ValidationError as exc:
        errors = flat_errors(exc.messages)
    except DomainError as exc:
        errors = exc.errors
    items = present.items(db.session, page.items, current_user, now) if page else []
    return render_template(
        "directory/search.html",
        page=page,
        items=items,
        errors=errors,
        args=request.args,
        stale_before=present.stale_limit(clock.today_at(now)),
    ), (422 if errors else 200)
