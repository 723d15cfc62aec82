"""Promises of docs/security.md, the README and CONTRACT.md, each with a test that fails when
the promise is broken in the smallest way (issue #19, "Tests that can fail"): referrals
audited on change and on read (lists with the ids they returned), feedback and rating-note
reads audited with ids, the audit viewer's action filter, the wallet card's Spanish and
French words, stale after exactly a year, N/A not counted in the AAAQ filter.

The CSV formula guard has its own file (``test_csv_exports.py``); default-deny, sessions,
cookies and limits are in ``test_hardening.py``."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
import yaml
from pypdf import PdfReader
from sqlalchemy import select

from app import clock
from app.config import Config
from app.extensions import db
from app.models import AuditEvent
from directory.aaaq_records import AaaqRating
from directory.catalog import present, review
from tests.factories import PhoneFactory, ServiceFactory


@pytest.fixture
def api(client, token):
    def make(role):
        headers = token(role)
        return lambda method, url, json=None: client.open(
            url, method=method, json=json, headers=headers
        )

    return make


def _refer(call, service_id: int, ref: str = "HT-7") -> dict:
    made = call(
        "POST",
        "/api/v1/referrals",
        {"service_id": service_id, "case_reference": ref, "handoff": "warm_call", "consent": True},
    )
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def _events(**where) -> list[AuditEvent]:
    stmt = select(AuditEvent).order_by(AuditEvent.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditEvent, key) == value)
    return list(db.session.scalars(stmt))


# --- referrals: the model audited, every read audited ---------------------------------


def test_referral_create_and_update_are_audited_with_old_and_new(api):
    cm = api("case_manager")
    made = _refer(cm, ServiceFactory().id)
    (created,) = _events(object_type="referrals", action="create")
    assert created.object_id == str(made["id"])
    assert created.actor == "case_manager@test.example"
    assert created.changes["status"] == [None, "pending"]
    # the case reference is purged with the referral (docs/referrals.md): the audit log
    # records that it was set, not its value
    assert created.changes["case_reference"] == "(changed)"
    patched = cm(
        "PATCH",
        f"/api/v1/referrals/{made['id']}",
        {"status": "connected", "version": made["version"]},
    )
    assert patched.status_code == 200, patched.get_json()
    (updated,) = _events(object_type="referrals", action="update")
    assert updated.object_id == str(made["id"])
    assert updated.changes["status"] == ["pending", "connected"]


def test_a_referral_read_is_audited(api, client, login):
    cm = api("case_manager")
    made = _refer(cm, ServiceFactory().id)
    assert cm("GET", f"/api/v1/referrals/{made['id']}").status_code == 200
    reads = _events(object_type="referrals", action="read", object_id=str(made["id"]))
    assert [e.outcome for e in reads] == ["ok"]
    other = api("case_manager_b")
    assert other("GET", f"/api/v1/referrals/{made['id']}").status_code == 404
    refused = _events(object_type="referrals", action="read", outcome="refused")
    assert [e.actor for e in refused] == ["case_manager_b@test.example"]
    login("case_manager")
    assert client.get(f"/referrals/{made['id']}").status_code == 200
    reads = _events(object_type="referrals", action="read", object_id=str(made["id"]))
    assert [e.outcome for e in reads] == ["ok", "refused", "ok"]


def test_a_referral_list_read_records_the_ids_returned(api, client, login):
    cm = api("case_manager")
    service = ServiceFactory()
    first, second = _refer(cm, service.id), _refer(cm, service.id, "HT-8")
    _refer(api("case_manager_b"), service.id, "HT-9")  # not this user's: not listed
    assert len(cm("GET", "/api/v1/referrals").get_json()) == 2
    (listed,) = _events(object_type="referrals", action="read", object_id=None)
    ids = re.search(r"ids ([\d,]+)", listed.detail).group(1).split(",")
    assert sorted(ids) == sorted([str(first["id"]), str(second["id"])])
    login("case_manager")
    assert client.get("/referrals").status_code == 200
    pages = _events(object_type="referrals", action="read", object_id=None)[1:]
    assert pages
    assert all(e.actor == "case_manager@test.example" for e in pages)
    shown = {
        i for e in pages for i in re.search(r"ids ([\d,]+|none)", e.detail).group(1).split(",")
    }
    assert shown - {"none"} == {str(first["id"]), str(second["id"])}  # "none": the due list


def test_a_feedback_read_records_the_note_ids(api):
    service = ServiceFactory()
    cm = api("case_manager")
    made = [
        cm("POST", f"/api/v1/services/{service.id}/feedback", {"text": t, "outcome": "helpful"})
        for t in ("kind staff", "quick answer")
    ]
    note_ids = sorted(str(m.get_json()["id"]) for m in made)
    assert cm("GET", f"/api/v1/services/{service.id}/feedback").status_code == 200
    (read,) = _events(object_type="feedback_notes", action="read")
    assert read.parent == f"services:{service.id}"
    assert sorted(re.search(r"ids ([\d,]+)", read.detail).group(1).split(",")) == note_ids
    assert "kind staff" not in (read.detail or "")


def test_a_rating_note_read_is_audited_with_ids(api, client, login):
    service = ServiceFactory()
    coord = api("coordinator")
    noted = coord(
        "POST",
        f"/api/v1/services/{service.id}/ratings",
        {
            "availability": 3,
            "accessibility": 2,
            "acceptability": 3,
            "quality": 2,
            "note": "long wait",
        },
    )
    assert noted.status_code == 201, noted.get_json()
    # rating notes are for case managers and up (#18): their reads are audited
    assert api("case_manager")("GET", f"/api/v1/services/{service.id}/ratings").status_code == 200
    (read,) = _events(object_type="aaaq_ratings", action="read")
    assert read.actor == "case_manager@test.example"
    assert read.detail.endswith(f"ids {noted.get_json()['id']}")
    assert "long wait" not in read.detail
    login("case_manager")
    client.get(f"/services/{service.id}")
    assert len(_events(object_type="aaaq_ratings", action="read")) == 2


# --- the audit viewer's filter --------------------------------------------------------


def _viewer_rows(html: str) -> list[list[str]]:
    """The cells of each row of the audit table (not the page's header or nav bar)."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_audit_viewer_action_filter_shows_only_that_action(api, client, login):
    cm = api("case_manager")
    made = _refer(cm, ServiceFactory().id)
    assert cm("GET", f"/api/v1/referrals/{made['id']}").status_code == 200
    login("admin")
    for action in ("login", "create", "read"):
        rows = _viewer_rows(client.get(f"/admin/audit?action={action}").get_data(as_text=True))
        assert rows, action
        assert {r[2] for r in rows} == {action}, (action, rows)
    everything = _viewer_rows(client.get("/admin/audit").get_data(as_text=True))
    assert {"login", "create", "read"} <= {r[2] for r in everything}
    by_type = _viewer_rows(client.get("/admin/audit?object_type=referrals").get_data(as_text=True))
    assert by_type
    assert all(r[3].startswith("referrals") for r in by_type)


# --- the wallet card in Spanish and French --------------------------------------------


def _labels() -> dict:
    with open("seeds/sheet-labels.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_wallet_card_speaks_the_chosen_language(client, login, lang):
    PhoneFactory(service=ServiceFactory(category="hotline.suicide"), number="+18005550199")
    login("viewer")
    response = client.get(f"/sheets/card.pdf?lang={lang}&labels=words")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    words = _labels()
    assert words[lang]["card_title"] in text
    assert words[lang]["card_footer"] in text
    assert words["en"]["card_title"] not in text
    # the hotline's label: an everyday word of that language, chosen for this print (#22)
    assert words["card_label_styles"]["words"][lang][0] in text
    assert words["card_hotline_labels"]["hotline.suicide"][lang] not in text  # crisis-like


# --- stale after exactly a year -------------------------------------------------------


def test_stale_after_a_year_by_default(monkeypatch):
    monkeypatch.delenv("STALE_AFTER_DAYS", raising=False)
    assert Config().STALE_AFTER_DAYS == 365


def test_stale_at_365_days_on_pages_and_in_the_review_queue(app):
    today = clock.today()
    fresh = ServiceFactory(last_verified=today - timedelta(days=364))
    edge = ServiceFactory(last_verified=today - timedelta(days=365))
    old = ServiceFactory(last_verified=today - timedelta(days=366))
    assert not present.is_stale(fresh, today)
    assert not present.is_stale(edge, today)
    assert present.is_stale(old, today)
    queued = {item.service.id for item in review.review_queue(db.session, today)}
    assert old.id in queued
    assert fresh.id not in queued
    assert edge.id not in queued


# --- N/A is not a score ---------------------------------------------------------------


def _rate(service, **values) -> None:
    dims = ("availability", "accessibility", "acceptability", "quality")
    db.session.add(
        AaaqRating(service_id=service.id, rated_on=date.today(), **{d: values.get(d) for d in dims})
    )
    db.session.commit()


def test_na_is_not_counted_in_the_aaaq_search_filter(api):
    good_with_na = ServiceFactory(name="Rated three, rest N/A")
    _rate(good_with_na, availability=3)
    _rate(good_with_na, quality=3, accessibility=None)
    middling = ServiceFactory(name="Rated two")
    _rate(middling, availability=2, accessibility=2, acceptability=2, quality=2)
    low_with_na = ServiceFactory(name="Rated one, rest N/A")
    _rate(low_with_na, availability=1)
    ServiceFactory(name="Never rated")
    viewer = api("viewer")

    def names(minimum: float) -> set[str]:
        body = viewer("GET", f"/api/v1/services?aaaq_min={minimum}&per_page=50").get_json()
        return {item["name"] for item in body["items"]}

    assert names(2.5) == {"Rated three, rest N/A"}
    assert names(2) == {"Rated three, rest N/A", "Rated two"}
    assert names(1) == {"Rated three, rest N/A", "Rated two", "Rated one, rest N/A"}
    item = next(
        i
        for i in viewer("GET", "/api/v1/services?per_page=50").get_json()["items"]
        if i["id"] == good_with_na.id
    )
    assert item["aaaq"]["overall"] == 3
    assert item["aaaq"]["accessibility"] is None
