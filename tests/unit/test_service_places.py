"""Which places a service is given at, and their ids (``locations.service_places``): the one
rule the export and the HSDS API's ``/service_at_locations`` share. Plain objects, no
database; ids worked out from the documented derivation (uuid5 of the export's namespace
and ``<service id>/sal/<location id or nothing>``)."""

from __future__ import annotations

import uuid
from types import SimpleNamespace as Obj

from directory.hsds.importing import sync_parts
from directory.hsds.locations import service_places

NS = uuid.UUID("5a3f8f0e-3c55-4d2e-9a55-7b2f0c6d1e01")
SERVICE = "11111111-1111-4111-8111-111111111111"
A = Obj(id=1, hsds_id="aaaaaaaa-0000-4000-8000-000000000001", name="A")
B = Obj(id=2, hsds_id="bbbbbbbb-0000-4000-8000-000000000002", name="B")


def _place(location, hsds_id=None):
    return Obj(hsds_id=hsds_id, location_id=location.id, location=location, hours=[])


def _service(location, *places):
    return Obj(
        hsds_id=SERVICE,
        location_id=location.id if location else None,
        location=location,
        at_locations=list(places),
    )


def _ids(s) -> list[tuple[str, str]]:
    return [(sal, loc.name) for sal, loc, _p in service_places(s)]


def test_a_located_service_with_no_stored_place_has_its_primary_place():
    assert _ids(_service(A)) == [(str(uuid.uuid5(NS, f"{SERVICE}/sal/")), "A")]


def test_stored_places_keep_their_ids_and_the_primary_is_not_listed_twice():
    s = _service(A, _place(B, "sal-b"), _place(A, "sal-a"))
    assert _ids(s) == [("sal-a", "A"), ("sal-b", "B")]  # the primary first


def test_a_primary_no_stored_place_is_at_joins_the_stored_ones():
    s = _service(A, _place(B, "sal-b"))
    assert _ids(s) == [(str(uuid.uuid5(NS, f"{SERVICE}/sal/")), "A"), ("sal-b", "B")]


def test_a_stored_place_without_an_id_gets_the_derived_one():
    s = _service(A, _place(A), _place(B))
    assert _ids(s) == [
        (str(uuid.uuid5(NS, f"{SERVICE}/sal/")), "A"),
        (str(uuid.uuid5(NS, f"{SERVICE}/sal/{B.hsds_id}")), "B"),
    ]


def test_a_service_without_a_location_keeps_its_stored_places_only():
    assert _ids(_service(None)) == []
    assert _ids(_service(None, _place(B, "sal-b"))) == [("sal-b", "B")]


def test_parts_compare_in_any_order_and_show_in_theirs():
    first = {7: [(("+1", None), "+1 (voice)"), (("+2", None), "+2 (voice)")]}
    again = {7: [(("+2", None), "+2 (voice)"), (("+1", None), "+1 (voice)")]}
    assert sync_parts._pair(first, 7)[0] == sync_parts._pair(again, 7)[0]
    assert sync_parts._pair(first, 7)[1] == "+1 (voice); +2 (voice)"
    assert sync_parts._pair({}, 7) == ((), None)
