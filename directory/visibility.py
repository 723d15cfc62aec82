"""The one rule for what a user may see of a directory record: confidential locations.

A confidential location (most shelters) has its address, postal code and coordinates
*withheld*: shown to coordinators and admins only, and to nobody at all in what leaves the
app for a client or a partner (share texts, printed sheets, the wallet card, CSV and HSDS
exports). Everyone else sees its town and its phone. Search knows nothing finer than the town
either: the full-text document holds only its town and region (no postal code, no street),
search places it at its town's centre (``geo.town_point``; a grid cell of at least 5 km
when the gazetteer does not know the town), never at its own or its postal code's point, and
distances to it are whole kilometres labelled approximate. Nearest-first order and radius
filters use that same coarse point, so they cannot tell more than the distance does.

Every page, API answer, sheet, share text, export and index asks this module; nothing
else tests the flag.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sqlalchemy import ColumnElement, Select, and_, false, or_, select

from directory import geo
from directory.models import (
    Location,
    Organization,
    SavedList,
    SavedListItem,
    Service,
    ServiceAtLocation,
)

# a Location, or a search row carrying the same attributes (``search.results``); None: no place
Place = Any
# the user asking (a Flask-Login user, anonymous included); None: nobody, what leaves the app
Viewer = Any


def unproxied(user: Viewer) -> Viewer:
    """The user behind Flask-Login's ``current_user`` (a proxy, each of whose attribute reads
    looks the request up again: a page of results asks it hundreds of times), or ``user``."""
    get = getattr(user, "_get_current_object", None)
    return get() if get is not None else user


def is_withheld(loc: Place) -> bool:
    """The location's address and coordinates are withheld from everyone but coordinators."""
    return bool(loc is not None and loc.confidential)


def sees_withheld(user: Viewer) -> bool:
    """Coordinators and admins see withheld addresses (in the app only)."""
    return bool(user and user.is_authenticated and user.has_role("coordinator"))


def hidden_from(loc: Place, user: Viewer) -> bool:
    """``user`` may not see this location's address (``user`` None: nobody outside)."""
    return is_withheld(loc) and not sees_withheld(user)


def address(loc: Place, user: Viewer) -> dict | None:
    """The full address, or None when there is none or the user may not see it."""
    if loc is None or hidden_from(loc, user):
        return None
    return {
        "address_1": loc.address_1,
        "address_2": loc.address_2,
        "city": loc.city,
        "region": loc.region,
        "postal_code": loc.postal_code,
        "country": loc.country,
        "latitude": loc.latitude,
        "longitude": loc.longitude,
    }


def location_details(loc: Place, user: Viewer) -> dict:
    """A location's description, directions (``transportation``) and postal address, as
    ``user`` may see them (``user`` None: what leaves the app). They can tell where a
    place is, so they are withheld with its address: None each when hidden."""
    hidden = loc is None or hidden_from(loc, user)
    postal = None
    if not hidden and (loc.postal_address_1 or loc.postal_city or loc.postal_postal_code):
        postal = {
            "address_1": loc.postal_address_1,
            "address_2": loc.postal_address_2,
            "city": loc.postal_city,
            "region": loc.postal_region,
            "postal_code": loc.postal_postal_code,
            "country": loc.postal_country,
        }
    return {
        "alternate_name": loc.alternate_name if loc is not None else None,
        "description": None if hidden else loc.description,
        "transportation": None if hidden else loc.transportation,
        "postal_address": postal,
    }


# a service's own free text that describes its place ("ramp at the back door on ..."):
# withheld with the place's address whenever any place of the service is withheld
PLACE_TEXT_FIELDS = ("accessibility",)


def places_of(service: Any) -> list:
    """The locations a service is given at: its primary one and its other places (a search
    row carries only the place it was found at)."""
    others = [p.location for p in getattr(service, "at_locations", None) or ()]
    return [loc for loc in (service.location, *others) if loc is not None]


def withholds_place_text(service: Any) -> bool:
    """Any place of ``service`` is withheld, so its place text (``PLACE_TEXT_FIELDS``) is."""
    return any(is_withheld(loc) for loc in places_of(service))


def place_text(service: Any, field: str, user: Viewer) -> str | None:
    """A service's ``field`` as ``user`` may read it (``user`` None: what leaves the app):
    None when it describes a withheld place."""
    value = getattr(service, field)
    if field in PLACE_TEXT_FIELDS and not sees_withheld(user) and withholds_place_text(service):
        return None
    return value


def publishes_capacity(service: Any, public: bool) -> bool:
    """Whether an HSDS answer carries the service's capacity: not in a public feed for a
    service at a withheld place (its free beds, polled, would say when someone arrived
    there); to the network's own readers, always."""
    return not (public and withholds_place_text(service))


def services_withholding_place_text() -> Select:
    """The same rule as ``withholds_place_text`` in SQL: a select of the ids of services
    with a withheld place (for exports and filters that read many services at once)."""
    hidden = select(Location.id).where(Location.confidential.is_(True))
    return select(Service.id).where(
        or_(
            Service.location_id.in_(hidden),
            Service.id.in_(
                select(ServiceAtLocation.service_id).where(
                    ServiceAtLocation.location_id.in_(hidden)
                )
            ),
        )
    )


def place_note(loc: Place, text: str | None, user: Viewer) -> str | None:
    """A note about one place (the description of a service at a location), as ``user``
    may read it: None when the place is withheld from them."""
    return None if loc is None or hidden_from(loc, user) else text


def area(loc: Place) -> dict | None:
    """The town of a location: safe to show to everyone."""
    if loc is None:
        return None
    return {"city": loc.city, "region": loc.region, "country": loc.country}


def place(loc: Place, user: Viewer) -> dict:
    """A location as a line a user may read: the address, or only the town when it is
    withheld from this user."""
    full = address(loc, user)
    if full:
        parts = [
            full["address_1"],
            full["address_2"],
            full["city"],
            full["region"],
            full["postal_code"],
        ]
    else:
        parts = [loc.city, loc.region]
    return {
        "name": loc.name,
        "line": ", ".join(p for p in parts if p),
        "confidential": is_withheld(loc),
    }


def service_place(loc: Place, user: Viewer) -> dict:
    """The location fields of a service as a result row and the API show them to ``user``."""
    withheld = is_withheld(loc)
    return {
        "distance_approximate": withheld,
        "confidential_location": withheld,
        "address": address(loc, user),
        "location": location_details(loc, user) if loc is not None else None,
        "area": area(loc),
        "location_id": loc.id if loc and not hidden_from(loc, user) else None,
    }


def share_address(
    item: dict, label: str = "Address", by_phone: str = "Address: given by phone"
) -> str | None:
    """The address line of a share text (``item`` as ``catalog.present`` builds it; the
    labels in the share's language). Even a coordinator, who sees it, never pastes a
    withheld address into a message."""
    if item["confidential_location"]:
        return by_phone
    if a := item["address"]:
        return f"{label}: " + ", ".join(
            v for v in (a["address_1"], a["city"], a["region"], a["postal_code"]) if v
        )
    return None


def printed_address(loc: Place) -> str | None:
    """The address a printed sheet shows (for every role): none when withheld."""
    if loc is None or is_withheld(loc):
        return None
    return ", ".join(p for p in (loc.address_1, loc.city, loc.region, loc.postal_code) if p)


CSV_PLACE_COLUMNS = ("location_id", "city", "region", "postal_code", "confidential_location")


def csv_place(loc: Place) -> dict:
    """A location's cells in the CSV export (for every role): no id or postal code when
    withheld."""
    withheld = is_withheld(loc)
    return {
        "location_id": loc.id if loc and not withheld else "",
        "city": loc.city if loc else "",
        "region": loc.region if loc else "",
        "postal_code": "" if withheld or not loc else loc.postal_code,
        "confidential_location": "yes" if withheld else "no",
    }


def exported_point(loc: Place) -> tuple[float | None, float | None]:
    """Coordinates an HSDS export or API may carry: none when withheld."""
    if is_withheld(loc):
        return None, None
    return loc.latitude, loc.longitude


def exports_address(loc: Place) -> bool:
    """An export may carry this location's address and location-level details."""
    return not is_withheld(loc)


def indexed_place(loc: Place) -> tuple:
    """The place words the keyword index holds for a location: its town and region, and
    its postal code only when the location is not withheld (a search for a postal code
    must not find a shelter in it)."""
    if loc is None:
        return ()
    if is_withheld(loc):
        return (loc.city, loc.region)
    return (loc.city, loc.region, loc.postal_code)


def search_point(loc: Place) -> tuple[float, float] | None:
    """The point search measures from: for a withheld location its town's centre
    (``geo.town_point``), never its own point or its postal code's; otherwise the exact
    coordinates, or without them the postal code's or the town's centre."""
    if is_withheld(loc):
        return geo.town_point(loc.city, loc.region, loc.country, loc.latitude, loc.longitude)
    if loc.latitude is not None and loc.longitude is not None:
        return loc.latitude, loc.longitude
    return geo.postal_point(loc.postal_code, loc.country) or geo.town_point(
        loc.city, loc.region, loc.country, None, None
    )


def directions(loc: Place) -> dict[str, str] | None:
    """How to get there, for anyone: a ``geo:`` URI (a phone's map app) and an
    OpenStreetMap directions link, to the place's coordinates or else its street address.
    Never for a withheld place, whoever asks (a link is easily passed on), nor for a place
    with neither coordinates nor a street address."""
    if loc is None or is_withheld(loc):
        return None
    if loc.latitude is not None and loc.longitude is not None:
        point = f"{loc.latitude:.6f},{loc.longitude:.6f}"
        return {
            "geo": f"geo:{point}",
            "map": f"https://www.openstreetmap.org/directions?to={quote(point)}",
        }
    if not loc.address_1:
        return None
    line = ", ".join(p for p in (loc.address_1, loc.city, loc.region, loc.postal_code) if p)
    return {
        "geo": f"geo:0,0?q={quote(line)}",
        "map": f"https://www.openstreetmap.org/search?query={quote(line)}",
    }


def shown_distance(loc: Place, km: float | None) -> float | None:
    """A distance as results show it: to a withheld location in whole kilometres (it is
    measured to the town's centre, and finer figures would only invite triangulation),
    otherwise to 10 m."""
    if km is None:
        return None
    return float(round(km)) if is_withheld(loc) else round(km, 2)


def carry_withholding(loc: Place, data: dict) -> dict:
    """``data`` for a new address of ``loc`` (a partner's, accepted by a coordinator) with the
    place still withheld if it was: a changed address never makes a shelter public."""
    return {**data, "confidential": is_withheld(loc)}


# --- saved lists (``directory.lists``; read by ``sheets`` too)


def readable_lists(user: Viewer) -> ColumnElement[bool]:
    """The saved lists ``user`` may read: their own, and those another account of this
    installation (the facility's staff: users belong to no finer team) marked shared.
    Nobody else (``user`` None or anonymous) reads any."""
    if not (user and user.is_authenticated):
        return false()
    return or_(SavedList.owner_id == user.id, SavedList.shared.is_(True))


def listable_services() -> ColumnElement[bool]:
    """The services a list may hold and show: those search finds (active, of an active
    organization). A service at a withheld place is one of them: what of its place a
    reader sees is the rule above, applied to each reader of the list."""
    active_orgs = select(Organization.id).where(Organization.status == "active")
    return and_(Service.status == "active", Service.organization_id.in_(active_orgs))


def list_services(list_id: int, user: Viewer) -> Select:
    """The services of saved list ``list_id`` that ``user`` may read, in the list's order
    (none when the list is not theirs to read)."""
    return (
        select(Service)
        .join(SavedListItem, SavedListItem.service_id == Service.id)
        .join(SavedList, SavedList.id == SavedListItem.list_id)
        .where(SavedList.id == list_id, readable_lists(user), listable_services())
        .order_by(SavedListItem.position, SavedListItem.service_id)
    )
