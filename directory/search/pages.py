"""The search page: every filter, results as cards with phone, hours, languages, distance."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from marshmallow import ValidationError

from app import clock
from app.auth import requires
from app.extensions import db
from app.forms import flat_errors
from app.i18n import _l
from directory.blueprint import bp
from directory.catalog import present
from directory.errors import DomainError
from directory.search import query
from directory.search.api import run
from directory.search.schemas import SearchArgs, filters_from_args, non_blank
from directory.templating import category_name, choice_name, language_name


@bp.route("/", endpoint="search")
@requires("viewer")
def search_page() -> ResponseReturnValue:
    """Search with every filter; results as cards with phone, hours, languages, distance."""
    errors, page, args, unstated = {}, None, {}, None
    now = clock.now()
    try:
        args = SearchArgs().load(non_blank(request.args))
        filters = filters_from_args(args)
        page = run(filters, args["page"], args["per_page"], now)
        if page.not_stated and not filters.not_stated and args["page"] == 1:
            # the "did not say" band: the first of them, apart from the matches
            unstated = query.search(
                db.session,
                replace(filters, not_stated=True, q=page.did_you_mean or filters.q),
                per_page=BAND,
                now_utc=now,
                explain=False,
            )
    except ValidationError as exc:
        errors = flat_errors(exc.messages)
    except DomainError as exc:
        errors = exc.errors
    items = present.items(db.session, page.items, current_user, now) if page else []
    band = present.items(db.session, unstated.items, current_user, now) if unstated else []
    return render_template(
        "directory/search.html",
        page=page,
        items=items,
        band=band,
        errors=errors,
        summary=describe(args),
        field_labels=FIELD_LABELS,
        relax_labels=RELAX_LABELS,
        without=without,
        args=request.args,
        stale_before=present.stale_limit(clock.today_at(now)),
    ), (422 if errors else 200)


BAND = 5
"""How many services that did not state a filtered fact the page shows under the matches
(the rest one tap away)."""


def without(name: str, **extra: str) -> str:
    """This search's address without the filter ``name`` (and without its page number),
    with ``extra`` parameters set: one tap to drop a filter or list the "did not say"
    services."""
    # Any: url_for types its own keywords (_external and the like), not the query's values
    params: dict[str, Any] = request.args.to_dict(flat=False)
    for key in (name, "page"):
        params.pop(key, None)
    params.update({k: [v] for k, v in extra.items()})
    return url_for("directory.search", **params) + "#results-count"


FIELD_LABELS = {
    "q": _l("What does the client need?"),
    "category": _l("Category"),
    "language": _l("Language"),
    "near": _l("Near"),
    "radius_km": _l("Within"),
    "age": _l("Client age"),
    "gender": _l("Gender"),
    "modality": _l("How"),
    "aaaq_min": _l("AAAQ at least"),
    "sort": _l("Sort by"),
    "_schema": _l("Search"),
}
RELAX_LABELS = {
    "q": _l("the keywords"),
    "category": _l("the category"),
    "language": _l("the language"),
    "radius_km": _l("the distance limit"),
    "open_now": _l("open now"),
    "open_tonight": _l("open tonight"),
    "open_at": _l("open at that time"),
    "age": _l("the age"),
    "gender": _l("the gender"),
    "free": _l("free"),
    "undocumented_ok": _l("open to undocumented clients"),
    "no_id_required": _l("no formal victim ID needed"),
    "walk_in": _l("walk-in"),
    "modality": _l("the way of reaching them"),
    "has_capacity": _l("reporting free capacity"),
    "aaaq_min": _l("the AAAQ minimum"),
}
"""Each filter as "without …" names it when a search says what dropping it would give."""

FLAGS = {
    "open_now": _l("open now"),
    "open_tonight": _l("open tonight"),
    "free": _l("free"),
    "undocumented_ok": _l("undocumented clients"),
    "no_id_required": _l("no victim ID needed"),
    "walk_in": _l("walk-in"),
    "has_capacity": _l("free capacity"),
}


def describe(args: dict) -> str:
    """The search in one line, for the folded filters: 'shelters · Spanish · 10 km of 60601
    · open now · free'."""
    parts = [f"“{args['q']}”"] if args.get("q") else []
    for code in args.get("category") or []:
        parts.append(category_name(code))
    parts += [language_name(code) for code in args.get("language") or []]
    if args.get("near") or args.get("lat") is not None:
        place = args.get("near") or f"{args['lat']:.3f}, {args['lon']:.3f}"
        radius = args.get("radius_km")
        parts.append(
            gettext("%(radius)s km of %(place)s", radius=f"{radius:g}", place=place)
            if radius
            else gettext("near %(place)s", place=place)
        )
    if args.get("age") is not None:
        parts.append(gettext("age %(age)s", age=args["age"]))
    parts += [choice_name(args["gender"])] if args.get("gender") else []
    parts += [choice_name(m) for m in args.get("modality") or []]
    parts += [str(label) for name, label in FLAGS.items() if args.get(name)]
    if args.get("open_at"):
        parts.append(gettext("open at %(moment)s", moment=args["open_at"]))
    return " · ".join(parts)
