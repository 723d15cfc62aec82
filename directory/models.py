"""The referral directory's data: organizations, their locations and services, hours, phones.

A service is one offer of one organization at (at most) one location: a multi-site
organization lists one service per site, so every search result has one address, one
time zone and one distance. Services without a location (hotlines, national or phone-only
services) have no distance: a radius search keeps them only when they state they serve by
phone, video or text (``modalities``); one with neither a place nor such a statement is
near no one (#25).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import Float, ForeignKey, FromClause, Index, String, Text, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.extensions import Model
from app.models import User, utcnow

ORG_KINDS = ("government", "ngo", "private", "international")
MAIL_LANGUAGES = ("en", "es", "fr")
SCOPES = ("local", "regional", "national", "international")
MOU_STATUSES = ("none", "in_progress", "signed", "expired")
STATUSES = ("active", "inactive")
GENDERS = ("female", "male", "transgender", "nonbinary")
IMMIGRATION = ("any", "documented_only")
COSTS = ("free", "sliding_scale", "fee", "insurance")
MODALITIES = ("in_person", "phone", "video", "text", "outreach")
CARE_TYPES = ("emergency", "ongoing", "both")
PHONE_KINDS = ("voice", "text", "tty", "video", "hotline", "fax")  # see directory.phones
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def new_uuid() -> str:
    return str(uuid.uuid4())


def token_list(text: str | None) -> list[str]:
    """A space-separated token column (languages, genders, modalities) as a list."""
    return text.split() if text else []


def stated_list(text: str | None) -> list[str] | None:
    """A token column that may be not stated: its list, or None."""
    return None if text is None else token_list(text)


class Versioned:
    """Optimistic locking, timestamps and the HSDS identifier (a UUID kept across exports
    and imports) shared by every editable directory record."""

    if TYPE_CHECKING:  # mixed only into mapped classes, each with its table
        __table__: ClassVar[FromClause]

    version: Mapped[int] = mapped_column(default=1)
    hsds_id: Mapped[str] = mapped_column(
        String(36), default=new_uuid, nullable=True, unique=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # the HSDS source (package name or --source) a record was last imported from: a full
    # re-import of that source deactivates the records it no longer holds
    import_source: Mapped[str | None] = mapped_column(String(100), index=True)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}


class Organization(Versioned, Model):
    """A partner agency (or the facility itself)."""

    __tablename__ = "organizations"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    alternate_name: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="ngo")
    scope: Mapped[str] = mapped_column(String(20), default="local")
    website: Mapped[str | None] = mapped_column(String(300))
    # a coordinator's word that the website names nothing a trafficker could read: only
    # then may a discreet share carry it (``catalog.share``)
    website_neutral: Mapped[bool] = mapped_column(default=False)
    email: Mapped[str | None] = mapped_column(String(254))
    referral_process: Mapped[str | None] = mapped_column(Text)
    mou_status: Mapped[str] = mapped_column(String(20), default="none")
    mou_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    # e-mail to the listed contact (update requests): in this language, and with a neutral
    # subject and opening line when the partner asked for discretion
    language: Mapped[str] = mapped_column(String(2), default="en")
    discreet_mail: Mapped[bool] = mapped_column(default=False)

    services: Mapped[list[Service]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", order_by="Service.name"
    )
    locations: Mapped[list[Location]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", order_by="Location.id"
    )
    phones: Mapped[list[Phone]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", order_by="Phone.id"
    )


class Location(Versioned, Model):
    """A place where services are given. A confidential one (most shelters) never shows its
    address or coordinates to anyone but coordinators; ``search_lat/lon`` is the point used
    for distance: the exact one, or for a confidential place a coarse one (its town's centre,
    never its own or its postal code's)."""

    __tablename__ = "locations"
    __audited__ = True
    __audit_parent__ = ("organizations", "organization_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str | None] = mapped_column(String(200))
    address_1: Mapped[str | None] = mapped_column(String(200))
    address_2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2), default="US")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    timezone: Mapped[str | None] = mapped_column(String(64))
    confidential: Mapped[bool] = mapped_column(default=False)
    search_lat: Mapped[float | None] = mapped_column(Float)
    search_lon: Mapped[float | None] = mapped_column(Float)
    # HSDS location facts: withheld with the address when the location is (visibility)
    alternate_name: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    transportation: Mapped[str | None] = mapped_column(Text)
    # the postal address, when the source gives one apart from the street address
    postal_address_1: Mapped[str | None] = mapped_column(String(200))
    postal_address_2: Mapped[str | None] = mapped_column(String(200))
    postal_city: Mapped[str | None] = mapped_column(String(100))
    postal_region: Mapped[str | None] = mapped_column(String(100))
    postal_postal_code: Mapped[str | None] = mapped_column(String(20))
    postal_country: Mapped[str | None] = mapped_column(String(2))

    organization: Mapped[Organization] = relationship(back_populates="locations")
    services: Mapped[list[Service]] = relationship(back_populates="location")
    phones: Mapped[list[Phone]] = relationship(
        back_populates="location", cascade="all, delete-orphan", order_by="Phone.id"
    )

    @property
    def one_line(self) -> str:
        parts = [self.address_1, self.address_2, self.city, self.region, self.postal_code]
        return ", ".join(p for p in parts if p)


class Service(Versioned, Model):
    """One offer of an organization, filed under one Section V category (None:
    uncategorized, as an import whose terms map to none leaves it, for a coordinator to
    categorise)."""

    __tablename__ = "services"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("locations.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    # a neutral alias for what is shared with a client (``catalog.share``)
    discreet_name: Mapped[str | None] = mapped_column(String(120))
    alternate_name: Mapped[str | None] = mapped_column(String(200))
    # the service's own website and e-mail (its organization's are kept apart)
    url: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(254))
    application_process: Mapped[str | None] = mapped_column(Text)
    wait_time: Mapped[str | None] = mapped_column(String(300))
    category: Mapped[str | None] = mapped_column(String(60))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="active")
    # languages: canonical ISO 639 codes separated by spaces (see directory.languages)
    languages: Mapped[str] = mapped_column(String(500), default="")
    # what a source said of languages beyond a code: qualified ("Spanish (limited)") or
    # unknown names, as given, separated by "; "
    language_notes: Mapped[str | None] = mapped_column(String(500))
    # interpreter availability and care type are facts like the ones below: None is "not
    # stated" (a source or a person said nothing), never a default "no" or "ongoing"
    interpreter_available: Mapped[bool | None]
    # eligibility, cost and access: each fact is stated (a value, False included) or not
    # stated (None), never a default: "unknown is not yes"
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    genders: Mapped[str | None] = mapped_column(String(100))  # served; all four: everyone
    immigration_status: Mapped[str | None] = mapped_column(String(20))
    victim_id_required: Mapped[bool | None]
    nationality_limits: Mapped[str | None] = mapped_column(String(300))
    eligibility_notes: Mapped[str | None] = mapped_column(Text)
    # cost and access
    cost: Mapped[str | None] = mapped_column(String(20))
    cost_notes: Mapped[str | None] = mapped_column(String(300))
    walk_in: Mapped[bool | None]
    appointment_required: Mapped[bool | None]
    modalities: Mapped[str | None] = mapped_column(String(100))
    care_type: Mapped[str | None] = mapped_column(String(20))
    required_documents: Mapped[str | None] = mapped_column(Text)
    accessibility: Mapped[str | None] = mapped_column(Text)
    # shelters
    length_of_stay: Mapped[str | None] = mapped_column(String(200))
    admits: Mapped[str | None] = mapped_column(String(300))
    # interpreters
    interpreter_dialects: Mapped[str | None] = mapped_column(String(300))
    interpreter_genders: Mapped[str | None] = mapped_column(String(100))
    interpreter_trauma_trained: Mapped[bool] = mapped_column(default=False)
    # consular offices
    country_represented: Mapped[str | None] = mapped_column(String(2))
    # warm hand-off
    handoff_name: Mapped[str | None] = mapped_column(String(200))
    handoff_role: Mapped[str | None] = mapped_column(String(200))
    handoff_phone: Mapped[str | None] = mapped_column(String(20))
    handoff_notes: Mapped[str | None] = mapped_column(Text)
    # hours
    open_24_7: Mapped[bool] = mapped_column(default=False)
    hours_notes: Mapped[str | None] = mapped_column(String(300))
    # capacity (HSDS 3.1 service_capacity): what a warm transfer checks first
    capacity_unit: Mapped[str | None] = mapped_column(String(20))
    capacity_available: Mapped[int | None]
    capacity_maximum: Mapped[int | None]
    capacity_updated_at: Mapped[datetime | None]
    # freshness
    last_verified: Mapped[date | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # how: None by a coordinator in the app; "partner link" confirmed by the partner itself
    verified_via: Mapped[str | None] = mapped_column(String(20))

    organization: Mapped[Organization] = relationship(back_populates="services")
    location: Mapped[Location | None] = relationship(back_populates="services")
    hours: Mapped[list[ServiceHours]] = relationship(
        back_populates="service",
        cascade="all, delete-orphan",
        order_by="(ServiceHours.weekday, ServiceHours.opens)",
    )
    phones: Mapped[list[Phone]] = relationship(
        back_populates="service", cascade="all, delete-orphan", order_by="Phone.id"
    )
    verified_by: Mapped[User | None] = relationship()
    at_locations: Mapped[list[ServiceAtLocation]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceAtLocation.id"
    )
    terms: Mapped[list[SourceTerm]] = relationship(
        secondary="service_terms", order_by="SourceTerm.name", viewonly=True
    )
    # the same links with their values (HSDS attributes), as the export writes them
    term_links: Mapped[list[ServiceTerm]] = relationship(
        viewonly=True, order_by="ServiceTerm.term_id"
    )

    @property
    def language_list(self) -> list[str]:
        return token_list(self.languages)

    @property
    def gender_list(self) -> list[str] | None:
        """The genders served, or None when not stated."""
        return stated_list(self.genders)

    @property
    def modality_list(self) -> list[str] | None:
        """How the service is given, or None when not stated."""
        return stated_list(self.modalities)

    @property
    def language_note_list(self) -> list[str]:
        return [n for n in (self.language_notes or "").split("; ") if n]


CAPACITY_UNITS = ("beds", "appointments", "cases", "places")


class UnmetSearch(Model):
    """A search that found nothing: the need the network could not meet. Only categories and
    filters are kept, never the keywords or place typed (they could describe the client)."""

    __tablename__ = "unmet_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    searched_on: Mapped[date] = mapped_column(index=True)
    categories: Mapped[str] = mapped_column(String(500), default="")
    filters: Mapped[str] = mapped_column(String(500), default="")


class CardEntry(Model):
    """A service on the discreet wallet card, under a neutral label the coordinator sets."""

    __tablename__ = "card_entries"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), unique=True
    )
    label: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(default=0)
    allow_sensitive: Mapped[bool] = mapped_column(default=False)

    service: Mapped[Service] = relationship()


class ServiceHours(Model):
    """One opening span on one weekday, in the location's time zone, as minutes after
    midnight. ``closes <= opens`` means the span runs past midnight into the next day;
    ``closes == 1440`` is midnight. No times (both None): open that day at times the
    source gave only as text (kept in the service's ``hours_notes``), so whether it is
    open at a given moment is unknown, never assumed."""

    __tablename__ = "service_hours"
    __audited__ = True
    __audit_parent__ = ("services", "service_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    weekday: Mapped[int]  # 0 = Monday
    opens: Mapped[int | None]
    closes: Mapped[int | None]

    service: Mapped[Service] = relationship(back_populates="hours")

    __table_args__ = (Index("ix_service_hours_lookup", "service_id", "weekday"),)


class Phone(Model):
    """A phone number of an organization, a service or a location: E.164, or the digits of
    a number dialled short (211, 988, 741741); see ``directory.phones``."""

    __tablename__ = "phones"
    __audited__ = True
    __audit_parent__ = (
        "services",
        "service_id",
        "organizations",
        "organization_id",
        "locations",
        "location_id",
    )

    # each owner column is empty on most rows: its index holds the owned rows only, so
    # the planner's statistics do not count the empty ones as one huge value (migration 0030)
    __table_args__ = tuple(
        Index(
            f"ix_phones_{owner}",
            owner,
            sqlite_where=text(f"{owner} IS NOT NULL"),
            postgresql_where=text(f"{owner} IS NOT NULL"),
        )
        for owner in ("organization_id", "service_id", "location_id")
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10), default="voice")
    extension: Mapped[str | None] = mapped_column(String(10))
    # what the source wrote with the number: "press 2 for Spanish", a second number
    label: Mapped[str | None] = mapped_column(String(300))

    organization: Mapped[Organization | None] = relationship(back_populates="phones")
    service: Mapped[Service | None] = relationship(back_populates="phones")
    location: Mapped[Location | None] = relationship(back_populates="phones")


# source taxonomies live in their own module; imported here so relationships resolve
from directory.service_locations import (  # noqa: E402, F401
    ServiceAtLocation,
    ServiceAtLocationHours,
)
from directory.source_terms import ServiceTerm, SourceTaxonomy, SourceTerm  # noqa: E402, F401


class SavedList(Model):
    """A case manager's named list of services ("Tuesday clinic"), kept in the order they
    chose (``directory.lists``). Private to its owner unless ``shared``: then every other
    account of this installation (the facility's staff) may read it, never change it. Its
    name is checked like any free text (no client identifiers); it holds nothing else
    typed by a user. Who may read it is ``visibility.readable_lists``."""

    __tablename__ = "saved_lists"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    shared: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owner: Mapped[User] = relationship()
    items: Mapped[list[SavedListItem]] = relationship(
        back_populates="saved_list",
        cascade="all, delete-orphan",
        order_by="SavedListItem.position",
    )


class SavedListItem(Model):
    """One service on a saved list, at ``position`` (0 first). Gone with its service."""

    __tablename__ = "saved_list_items"
    __audited__ = True
    __audit_parent__ = ("saved_lists", "list_id")

    list_id: Mapped[int] = mapped_column(
        ForeignKey("saved_lists.id", ondelete="CASCADE"), primary_key=True
    )
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    saved_list: Mapped[SavedList] = relationship(back_populates="items")
    service: Mapped[Service] = relationship()
