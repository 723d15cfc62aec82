"""#30: confidentiality survives every import shape. A place a coordinator withheld stays
withheld when a feed that does not state the flag is imported again (each published shape
here, as published), and when an older package of this directory's own, saying "not
confidential", comes back; a package that says "confidential" withholds the place. In each
case no detail of the place (street, postal code, coordinates) reaches a viewer's API
answer or the HSDS export, and its search point stays the coarse one."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from directory.catalog import records
from directory.derived import SearchEntry
from directory.hsds import export as hsds_export
from directory.hsds.importing import load
from directory.models import Location, Organization, Service, ServiceAtLocation
from tests.factories import LocationFactory, ServiceFactory

DATA = Path(__file__).resolve().parents[1] / "data"
SHAPES = ("hsds-1.1-sample", "hsds-3.1-example", "illinois-legal-aid-1.x", "sanmateo-ohana-1.0")


def _import(folder: Path):
    report = load.import_package(db.session, folder, skip_invalid=True)
    db.session.commit()
    return report


def _a_listed_place() -> tuple[Service, Location]:
    """The first place an active service is given at (its primary place, or one of its
    other places), one with a street or postal address first (Illinois' places have only
    names; the 3.1 example's only a postal address and a description)."""
    located = Location.address_1.is_not(None) | Location.postal_address_1.is_not(None)
    for loc in db.session.scalars(select(Location).order_by(located.desc(), Location.id)):
        service = db.session.scalar(
            select(Service)
            .outerjoin(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
            .where(
                Service.status == "active",
                (Service.location_id == loc.id) | (ServiceAtLocation.location_id == loc.id),
            )
            .limit(1)
        )
        if service is not None:
            return service, loc
    raise AssertionError("no service at a street address")


def _withhold(loc: Location) -> None:
    """A coordinator marks the place confidential (as the location's edit form does)."""
    loc.confidential = True
    records.place_location(loc)  # the coarse search point, as the edit sets it
    db.session.commit()


def _secrets(loc: Location) -> list[str]:
    """What a withheld place keeps to itself: its streets, description and transit text
    (each one the source gave), then its coordinates."""
    texts = (loc.address_1, loc.postal_address_1, loc.description, loc.transportation)
    out = [t for t in texts if t]
    if loc.latitude is not None:
        out += [f"{loc.latitude:.4f}", f"{loc.longitude:.4f}"]
    return out


def _assert_withheld(client, viewer, service_id: int, loc_id: int, secrets, tmp_path: Path):
    loc = db.session.get(Location, loc_id)
    assert loc.confidential is True
    seen = client.get(f"/api/v1/services/{service_id}", headers=viewer).get_json()
    text = json.dumps(seen)
    for secret in secrets:
        assert secret not in text, secret
    out = tmp_path / "export-check"
    shutil.rmtree(out, ignore_errors=True)
    hsds_export.export_package(db.session, out)
    with (out / "locations.csv").open(newline="", encoding="utf-8") as fh:
        (row,) = [r for r in csv.DictReader(fh) if r["id"] == loc.hsds_id]
    assert (row["description"], row["transportation"], row["latitude"]) == ("", "", "")
    addresses = (out / "addresses.csv").read_text(encoding="utf-8")
    assert loc.hsds_id not in addresses  # no address row of the place at all
    if loc.latitude is not None:
        for entry in db.session.scalars(
            select(SearchEntry).where(SearchEntry.service_id == service_id)
        ):
            if entry.lat is not None:
                assert (entry.lat, entry.lon) != (loc.latitude, loc.longitude)


@pytest.mark.parametrize("shape", SHAPES)
def test_a_reimport_that_does_not_state_the_flag_keeps_a_place_withheld(
    client, token, app, tmp_path, shape
):
    folder = tmp_path / shape
    shutil.copytree(DATA / shape, folder)
    _import(folder)
    service, loc = _a_listed_place()
    secrets = _secrets(loc)
    _withhold(loc)

    _import(folder)  # the same feed again, as published: it says nothing of the flag
    db.session.expire_all()
    _assert_withheld(client, token("viewer"), service.id, loc.id, secrets, tmp_path)


def _own_package(tmp_path: Path, value: str) -> tuple[Path, Service, list[str]]:
    """This directory's export with one public place at a street address, its flag stated
    as ``value`` in ``attributes.csv`` (the export states it only when true: the term's id
    is read from a withheld place's row)."""
    hidden = LocationFactory(confidential=True)
    ServiceFactory(organization=hidden.organization, location=hidden, category="food")
    loc = LocationFactory(
        address_1="4 Orchard Court",
        postal_code="60633",
        city="Chicago",
        region="IL",
        latitude=41.6612,
        longitude=-87.5523,
        confidential=False,
    )
    service = ServiceFactory(organization=loc.organization, location=loc, category="food")
    db.session.commit()
    folder = tmp_path / "own"
    hsds_export.export_package(db.session, folder)
    with (folder / "attributes.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    (model,) = [r for r in rows if r["link_id"] == hidden.hsds_id and r["value"] == "true"]
    assert not [r for r in rows if r["link_id"] == loc.hsds_id and r["value"] == "true"]
    rows.append(
        {
            **model,
            "id": "0b9d7e0e-5f0a-4c38-9d51-3d4e6f1a2b3c",
            "link_id": loc.hsds_id,
            "value": value,
        }
    )
    with (folder / "attributes.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    return folder, service, ["4 Orchard Court", "60633", "41.6612", "-87.5523"]


def test_an_older_package_saying_not_confidential_does_not_publish_a_withheld_place(
    client, token, app, tmp_path
):
    folder, service, secrets = _own_package(tmp_path, "false")  # made while it was public
    loc = service.location
    _withhold(loc)
    report = _import(folder)  # it comes back (a sync, a restore): "confidential: false"
    db.session.expire_all()
    assert any("a place withheld here is published only by hand" in n for n in report.dropped)
    _assert_withheld(client, token("viewer"), service.id, loc.id, secrets, tmp_path)


def test_a_package_saying_confidential_withholds_the_place(client, token, app, tmp_path):
    folder, service, secrets = _own_package(tmp_path, "true")
    hsds_id = service.location.hsds_id
    # into a directory that does not hold it yet
    db.session.query(Service).delete()
    db.session.query(Location).delete()
    db.session.query(Organization).delete()
    db.session.commit()
    _import(folder)
    imported = db.session.scalar(select(Location).where(Location.hsds_id == hsds_id))
    again = db.session.scalar(select(Service).where(Service.location_id == imported.id))
    _assert_withheld(client, token("viewer"), again.id, imported.id, secrets, tmp_path)
