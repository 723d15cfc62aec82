"""Search's boundaries: the query arguments of the search page and ``GET /api/v1/services``
(turned into ``filters.Filters``), and the answer's shape."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates,
    validates_schema,
)
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import MultiDict

from directory import geo, taxonomy
from directory.catalog.answer_schemas import ServiceItemSchema
from directory.fields import CategoryCode, LanguageList, one_of
from directory.models import GENDERS, MODALITIES
from directory.search.filters import Filters


class SearchArgs(Schema):
    """Query parameters of ``GET /api/v1/services`` and the search page."""

    class Meta:
        unknown = EXCLUDE

    q = fields.String(validate=validate.Length(max=200), metadata={"description": "Keywords"})
    category = fields.List(CategoryCode(groups=True), metadata={"description": "Code or group"})
    language = LanguageList(metadata={"description": "ISO 639-1 or 639-3 codes"})
    near = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Place name or postal code"},
    )
    lat = fields.Float(validate=validate.Range(-90, 90))
    lon = fields.Float(validate=validate.Range(-180, 180))
    radius_km = fields.Float(validate=validate.Range(min=0.1, max=20000))
    open_now = fields.Boolean()
    open_tonight = fields.Boolean(
        metadata={
            "description": "Open some time from 18:00 to midnight today, in each place's time zone"
        }
    )
    open_at = fields.String(
        metadata={"description": "ISO 8601 local date-time, e.g. 2026-11-24T18:30"}
    )
    age = fields.Integer(validate=validate.Range(0, 130))
    gender = fields.String(validate=one_of(GENDERS))
    free = fields.Boolean()
    undocumented_ok = fields.Boolean()
    no_id_required = fields.Boolean()
    walk_in = fields.Boolean()
    modality = fields.List(fields.String(validate=one_of(MODALITIES)))
    has_capacity = fields.Boolean(metadata={"description": "Only services reporting free capacity"})
    aaaq_min = fields.Float(
        validate=validate.Range(1, 3), metadata={"description": "Minimum overall AAAQ (1–3)"}
    )
    sort = fields.String(
        validate=one_of(("relevance", "distance", "name", "aaaq")),
        metadata={
            "description": "Default: relevance with q (blended with the distance when a "
            "place is given), else distance when a place is given, else name"
        },
    )
    not_stated = fields.Boolean(
        metadata={
            "description": "List the services that match every filter except facts they "
            "do not state (the answer's not_stated count), instead of the matches"
        }
    )
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))

    @validates("open_at")
    def _open_at(self, value: str, **kwargs: object) -> None:
        parse_open_at(value)

    @validates_schema
    def _together(self, data: dict[str, Any], **kwargs: object) -> None:
        errors = {}
        if ("lat" in data) != ("lon" in data):
            errors["lat" if "lat" not in data else "lon"] = ["Give lat and lon together."]
        if "near" in data and "lat" in data:
            errors["near"] = ["Give either near or lat and lon, not both."]
        if "radius_km" in data and "near" not in data and "lat" not in data:
            errors["radius_km"] = ["A radius needs a place: near, or lat and lon."]
        moments = [k for k in ("open_now", "open_tonight", "open_at") if data.get(k)]
        if len(moments) > 1:
            errors[moments[-1]] = ["Give one of open_now, open_tonight and open_at, not several."]
        if errors:
            raise ValidationError(errors)


def parse_open_at(value: str) -> tuple[int, int]:
    """'2026-11-24T18:30' → (weekday, minute of day), wall-clock time in each place."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(
            "Not an ISO 8601 local date-time; use e.g. 2026-11-24T18:30."
        ) from exc
    return moment.weekday(), moment.hour * 60 + moment.minute


class RelaxationSchema(Schema):
    filter = fields.String(metadata={"description": "The query parameter to drop"})
    total_without = fields.Integer(metadata={"description": "Results without it"})


class SearchAnswerSchema(Schema):
    items = fields.List(fields.Nested(ServiceItemSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    place = fields.String(allow_none=True)
    not_stated = fields.Integer(
        metadata={
            "description": "Services matching every filter except facts they do not state "
            "(listed with not_stated=true), never counted in total"
        }
    )
    relaxations = fields.List(
        fields.Nested(RelaxationSchema),
        metadata={"description": "When total is under 5: each active filter's cost, most first"},
    )
    did_you_mean = fields.String(
        allow_none=True,
        metadata={
            "description": "A word of q matched nothing: the keywords searched instead "
            "(the items are theirs)"
        },
    )


class CategorySchema(Schema):
    code = fields.String()
    label = fields.String()
    group = fields.String()


def filters_from_args(args: dict) -> Filters:
    """Validated query arguments (``schemas.SearchArgs``) → ``Filters``; geocodes ``near``
    (raises ``geo.UnknownPlace``)."""
    point = None
    if args.get("near"):
        point = geo.geocode(args["near"])
    elif args.get("lat") is not None:
        point = geo.Point(args["lat"], args["lon"], f"{args['lat']:.4f}, {args['lon']:.4f}")
    categories, _ = taxonomy.expand(args.get("category") or [])
    return Filters(
        q=args.get("q"),
        categories=categories,
        languages=args.get("language") or [],
        point=point,
        radius_km=args.get("radius_km"),
        open_now=bool(args.get("open_now")),
        open_tonight=bool(args.get("open_tonight")),
        open_at=parse_open_at(args["open_at"]) if args.get("open_at") else None,
        age=args.get("age"),
        gender=args.get("gender"),
        free=bool(args.get("free")),
        undocumented_ok=bool(args.get("undocumented_ok")),
        no_id_required=bool(args.get("no_id_required")),
        walk_in=bool(args.get("walk_in")),
        modalities=args.get("modality") or [],
        has_capacity=bool(args.get("has_capacity")),
        aaaq_min=args.get("aaaq_min"),
        sort=args.get("sort"),
        not_stated=bool(args.get("not_stated")),
    )


def non_blank(args: MultiDict) -> MultiDictProxy:
    """A page's query string without its blank inputs (a form submits every field), for
    ``SearchArgs`` to load."""
    args = args.copy()
    for key in list(args):
        values = [v for v in args.getlist(key) if v.strip()]
        if values:
            args.setlist(key, values)
        else:
            del args[key]
    return MultiDictProxy(args, SearchArgs())
