"""The coordinator's quick edit (#28): the fields that change most on one page; a quick save
never touches a field the page does not show; "save and mark verified → next in queue"."""

from __future__ import annotations

import re
from datetime import date

from app.extensions import db
from directory.models import Phone, Service, ServiceHours
from tests.factories import ServiceFactory


def text(response) -> str:
    return response.get_data(as_text=True)


def _form(page: str) -> dict[str, str]:
    """The quick page's inputs as a browser would post them (selects at their chosen
    option, ticked boxes only)."""
    data: dict[str, list[str]] = {}
    for tag in re.findall(r"<input [^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) == "checkbox" and " checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data.setdefault(name.group(1), []).append(value.group(1) if value else "")
    for name, body in re.findall(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"\s+selected', body)
        data[name] = [chosen.group(1) if chosen else ""]
    return data


def _service():
    service = ServiceFactory(
        name="Quick one",
        description="Kept as it is.",
        walk_in=None,
        cost="free",
        handoff_name="Ana",
        hours_notes="closed on holidays",
    )
    service.phones = [
        Phone(number="+13125550101", kind="voice", extension="12"),
        Phone(number="+13125550102", kind="fax"),
    ]
    service.hours = [
        ServiceHours(weekday=0, opens=9 * 60, closes=12 * 60),
        ServiceHours(weekday=0, opens=13 * 60, closes=17 * 60),
        ServiceHours(weekday=5, opens=None, closes=None),
    ]
    db.session.commit()
    return service


def test_a_phone_corrected_and_nothing_else_changed(client, login):
    login("coordinator")
    service = _service()
    page = text(client.get(f"/services/{service.id}/quick"))
    assert 'value="+13125550101"' in page
    data = _form(page)
    data["phones.0.number"] = ["(312) 555-0177"]
    data["action"] = ["save"]
    response = client.post(f"/services/{service.id}/quick", data=data)
    assert response.status_code == 302, text(response)
    db.session.expire_all()
    s = db.session.get(Service, service.id)
    assert [(p.number, p.kind, p.extension) for p in s.phones] == [
        ("+13125550177", "voice", "12"),
        ("+13125550102", "fax", None),
    ]
    # Monday's two spans and Saturday's "open, times not given" survive the round trip
    assert sorted((h.weekday, h.opens, h.closes) for h in s.hours) == [
        (0, 540, 720),
        (0, 780, 1020),
        (5, None, None),
    ]
    assert s.description == "Kept as it is."  # not on the quick page: untouched
    assert s.walk_in is None  # not stated stays not stated
    assert s.cost == "free"
    assert s.hours_notes == "closed on holidays"
    assert s.last_verified is None  # "Save" alone does not verify


def test_a_refused_field_is_named_and_nothing_saved(client, login):
    login("coordinator")
    service = _service()
    data = _form(text(client.get(f"/services/{service.id}/quick")))
    data["phones.0.number"] = ["not a phone"]
    data["handoff_name"] = ["Beatriz"]
    data["action"] = ["save"]
    response = client.post(f"/services/{service.id}/quick", data=data)
    assert response.status_code == 422
    page = text(response)
    assert 'class="error-summary"' in page
    assert 'href="#f-phones-0-number"' in page
    assert 'id="f-phones-0-number"' in page
    assert 'aria-invalid="true"' in page
    db.session.expire_all()
    assert db.session.get(Service, service.id).handoff_name == "Ana"


def test_save_and_verify_opens_the_next_record_of_the_queue(client, login):
    login("coordinator")
    first = ServiceFactory(name="A first")
    second = ServiceFactory(name="B second")
    db.session.commit()
    data = _form(text(client.get(f"/services/{first.id}/quick?from=review")))
    data["action"] = ["verify_next"]
    data["hours.0.opens"], data["hours.0.closes"] = ["08:00"], ["20:00"]
    response = client.post(f"/services/{first.id}/quick?from=review", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/services/{second.id}/quick?from=review")
    db.session.expire_all()
    s = db.session.get(Service, first.id)
    assert s.last_verified == date.today()
    assert [(h.weekday, h.opens, h.closes) for h in s.hours] == [(0, 480, 1200)]
    following = client.get(response.headers["Location"])
    assert "saved and marked verified today" in text(following)
    # the last one: back to the queue, which says it is empty
    data = _form(text(following))
    data["action"] = ["verify_next"]
    last = client.post(f"/services/{second.id}/quick?from=review", data=data)
    assert last.headers["Location"].endswith("/review")


def test_capacity_changes_only_when_its_values_change(client, login):
    login("coordinator")
    service = ServiceFactory(capacity_unit="beds", capacity_available=2, capacity_maximum=10)
    db.session.commit()
    data = _form(text(client.get(f"/services/{service.id}/quick")))
    data["action"] = ["save"]
    client.post(f"/services/{service.id}/quick", data=data)
    db.session.expire_all()
    assert db.session.get(Service, service.id).capacity_updated_at is None
    data = _form(text(client.get(f"/services/{service.id}/quick")))
    data["capacity.available"] = ["11"]
    data["action"] = ["save"]
    refused = client.post(f"/services/{service.id}/quick", data=data)
    assert refused.status_code == 422
    assert "f-capacity-available" in text(refused)
    data["capacity.available"] = ["0"]
    client.post(f"/services/{service.id}/quick", data=data)
    db.session.expire_all()
    s = db.session.get(Service, service.id)
    assert (s.capacity_available, s.capacity_updated_at is not None) == (0, True)


def test_deactivating_an_organization_asks_first(client, login):
    login("coordinator")
    service = ServiceFactory()
    db.session.commit()
    org_id = service.organization.id
    asked = client.post(f"/organizations/{org_id}/status", data={"status": "inactive"})
    assert asked.status_code == 200
    assert "Deactivate the organization" in text(asked)
    db.session.expire_all()
    assert service.organization.status == "active"
    done = client.post(
        f"/organizations/{org_id}/status", data={"status": "inactive", "confirmed": "1"}
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Service, service.id).organization.status == "inactive"
