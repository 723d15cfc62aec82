"""A service offered at several locations (HSDS ``service_at_location``), with the hours it
keeps at each where they differ.

``Service.location`` stays the service's *primary* location: its hours are
``Service.hours``, and it is the place of the service page, the HSDS feed's proximity
search, sheets and exports. A service at several places also has one ``ServiceAtLocation``
per place (the primary one included, so the source's ids and descriptions travel back out);
each other place may have hours of its own (``ServiceAtLocationHours``), shown on the service
page and exported. Search lists the service at every place: one search entry per (service,
place) pair (``derived.SearchEntry``: place 0 the primary, otherwise the
``ServiceAtLocation`` id; the primary's own row and a second row at the same location add
none), each with that place's point, time zone and week (its own hours there, else the
service's), re-indexed whenever a place or its hours change (``search.index``). See
``docs/hsds.md``, "Multi-location services"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model

if TYPE_CHECKING:  # for the annotation; SQLAlchemy finds the class by name
    from directory.models import Location


class ServiceAtLocation(Model):
    """One place where a service is offered."""

    __tablename__ = "service_at_location"

    id: Mapped[int] = mapped_column(primary_key=True)
    hsds_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    location_id: Mapped[int] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str | None] = mapped_column(Text)

    location: Mapped[Location] = relationship()
    hours: Mapped[list[ServiceAtLocationHours]] = relationship(
        cascade="all, delete-orphan",
        order_by="(ServiceAtLocationHours.weekday, ServiceAtLocationHours.opens)",
    )


class ServiceAtLocationHours(Model):
    """An opening span of a service at one of its other places (as ``ServiceHours``:
    minutes after midnight in the place's time zone; no times: open that day, times
    unknown)."""

    __tablename__ = "service_at_location_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    sal_id: Mapped[int] = mapped_column(ForeignKey("service_at_location.id", ondelete="CASCADE"))
    weekday: Mapped[int]
    opens: Mapped[int | None]
    closes: Mapped[int | None]

    __table_args__ = (Index("ix_service_at_location_hours_lookup", "sal_id", "weekday"),)
