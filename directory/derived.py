"""Tables derived from the directory's records: the search index and the geocoder's cache.

Nothing here is a fact of its own: search rows are rewritten from the records in the same
transaction as any change (``search.index``), and the cache only saves looking a place up
twice. Each can be rebuilt (``flask --app wsgi directory reindex``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models import utcnow


class ServiceLanguage(Model):
    """Search index: one row per (service, language); kept in step with ``Service.languages``."""

    __tablename__ = "service_languages"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(3), primary_key=True)

    __table_args__ = (Index("ix_service_languages_code", "code", "service_id"),)


class SearchDocument(Model):
    """Search index: the text keyword search runs over, one row per service (kept in step by
    ``search.index.refresh_index``; SQLite's FTS5 table / PostgreSQL's GIN index sit on it)."""

    __tablename__ = "search_documents"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True
    )
    document: Mapped[str] = mapped_column(Text, default="")


ELIGIBILITY_COLUMNS = (
    "cost",
    "immigration_status",
    "victim_id_required",
    "walk_in",
    "min_age",
    "max_age",
    "genders",
    "modalities",
)
"""Eligibility filters, carried in the listing indexes so a count reads only the index."""


class SearchEntry(Model):
    """Search index: one row per *listed* (service, place) pair (the service active, of an
    active organization) with everything search filters and orders by, copied from the
    service, its organization and that place by ``search.index.refresh_index`` in the same
    transaction as any change. ``place`` 0 is the service's primary place
    (``Service.location``, none for a service without a place); any other is the id
    of a ``ServiceAtLocation`` at another place, whose row carries that place's search
    point, time zone and week (its own hours there, else the service's). Search reads this
    narrow table alone: no joins, no status checks, and indexes that answer the common
    searches (a group or category in name order; a radius by latitude band and longitude;
    the time zones in use), each carrying the key (service, place) so that a listing or a
    search near a place is read from the index alone."""

    __tablename__ = "search_entries"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True
    )
    # 0: the primary place; otherwise the ServiceAtLocation id of another place
    place: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=0)
    organization_id: Mapped[int] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(60))  # None: uncategorized
    category_group: Mapped[str] = mapped_column(String(30))
    # where: the location's search point (coarse when withheld); None serves anywhere
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    lat_band: Mapped[int | None]  # floor(lat / search.near.BAND_DEGREES)
    timezone: Mapped[str | None] = mapped_column(String(64), index=True)
    # when: hours.week_hours of the spans kept at this place (its ServiceAtLocationHours),
    # else of the service's, one byte per hour of the week
    week_hours: Mapped[bytes] = mapped_column(LargeBinary(168))
    # who
    # each None when the service does not state it
    cost: Mapped[str | None] = mapped_column(String(20))
    immigration_status: Mapped[str | None] = mapped_column(String(20))
    victim_id_required: Mapped[bool | None]
    walk_in: Mapped[bool | None]
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    genders: Mapped[str | None] = mapped_column(String(100))
    modalities: Mapped[str | None] = mapped_column(String(100))
    capacity_available: Mapped[int | None]
    capacity_updated_at: Mapped[datetime | None]

    __table_args__ = (
        Index(
            "ix_search_entries_group",
            "category_group",
            "name",
            "service_id",
            "place",
            *ELIGIBILITY_COLUMNS,
        ),
        Index(
            "ix_search_entries_category",
            "category",
            "name",
            "service_id",
            "place",
            *ELIGIBILITY_COLUMNS,
        ),
        Index("ix_search_entries_name", "name", "service_id", "place"),
        Index(
            "ix_search_entries_place",
            "lat_band",
            "lon",
            "lat",
            "category_group",
            "service_id",
            "place",
        ),
        # the entries of other places (few): a keyword total adds those of its matches
        Index("ix_search_entries_other_places", "place", "service_id"),
        # a group near a place, in distance then name order, open now: read from the index alone
        Index(
            "ix_search_entries_group_place",
            "category_group",
            "lat_band",
            "lon",
            "lat",
            "name",
            "timezone",
            "week_hours",
            "service_id",
            "place",
        ),
    )


class GeocodeCache(Model):
    """Places the geocoder found, kept under their normalised name so a place is looked up
    once. Text that matched nothing is never stored (``found`` is always true since 0013)."""

    __tablename__ = "geocode_cache"

    query: Mapped[str] = mapped_column(String(200), primary_key=True)
    provider: Mapped[str] = mapped_column(String(20), primary_key=True)
    found: Mapped[bool]
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    label: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
