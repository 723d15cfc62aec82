"""The search page: every filter, results as cards with phone, hours, languages, distance."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from marshmallow import ValidationError

from app import clock
from app.auth import requires
from app.extensions import db
from app.forms import flat_errors
from directory import bp, languages, taxonomy
from directory.catalog import present
from directory.errors import DomainError
from directory.search.api import run
from directory.search.schemas import SearchArgs, filters_from_args, non_blank


@bp.route("/", endpoint="search")
@requires("viewer")
def search_page():
    """Search with every filter; results as cards with phone, hours, languages, distance."""
    errors, page, args = {}, None, {}
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
        summary=describe(args),
        field_labels=FIELD_LABELS,
        args=request.args,
        stale_before=present.stale_limit(clock.today_at(now)),
    ), (422 if errors else 200)


FIELD_LABELS = {
    "q": "What does the client need?",
    "category": "Category",
    "language": "Language",
    "near": "Near",
    "radius_km": "Within",
    "age": "Client age",
    "gender": "Gender",
    "modality": "How",
    "aaaq_min": "AAAQ at least",
    "sort": "Sort by",
    "_schema": "Search",
}
FLAGS = {
    "open_now": "open now",
    "free": "free",
    "undocumented_ok": "undocumented clients",
    "no_id_required": "no victim ID needed",
    "walk_in": "walk-in",
    "has_capacity": "free capacity",
}


def describe(args: dict) -> str:
    """The search in one line, for the folded filters: 'shelters · Spanish · 10 km of 60601
    · open now · free'."""
    parts = [f"“{args['q']}”"] if args.get("q") else []
    for code in args.get("category") or []:
        found = taxonomy.categories().get(code) or taxonomy.group(code)
        parts.append(found.label if found else code)
    parts += [languages.name(code) for code in args.get("language") or []]
    if args.get("near") or args.get("lat") is not None:
        place = args.get("near") or f"{args['lat']:.3f}, {args['lon']:.3f}"
        radius = args.get("radius_km")
        parts.append(f"{radius:g} km of {place}" if radius else f"near {place}")
    if args.get("age") is not None:
        parts.append(f"age {args['age']}")
    parts += [args["gender"]] if args.get("gender") else []
    parts += [m.replace("_", " ") for m in args.get("modality") or []]
    parts += [label for name, label in FLAGS.items() if args.get(name)]
    if args.get("open_at"):
        parts.append(f"open at {args['open_at']}")
    return " · ".join(parts)
