"""AAAQ ratings, feedback notes, capacity, change history and the review queue over HTTP."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from directory.aaaq_records import AaaqRating, FeedbackNote
from directory.models import Service
from tests.factories import ServiceFactory

RATING = {"availability": 3, "accessibility": 2, "acceptability": None, "quality": 3}


@pytest.fixture
def as_role(client, token):
    def make(role):
        headers = token(role)

        def call(method, url, json=None, **kw):
            return client.open(url, method=method, json=json, headers=headers, **kw)

        return call

    return make


def test_rating_round_trip_and_summary_in_search(as_role):
    coord = as_role("coordinator")
    s = ServiceFactory(name="Rated")
    response = coord(
        "POST",
        f"/api/v1/services/{s.id}/ratings",
        {**RATING, "note": "site visit went well", "basis": "site_visit"},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["rater"] == "coordinator@test.example"
    coord("POST", f"/api/v1/services/{s.id}/ratings", {**RATING, "availability": 1})
    got = coord("GET", f"/api/v1/services/{s.id}/ratings").get_json()
    assert len(got["ratings"]) == 2
    assert got["aaaq"]["availability"] == 2.0  # (3 + 1) / 2
    assert got["aaaq"]["acceptability"] is None
    assert got["aaaq"]["overall"] == pytest.approx(round(14 / 6, 2))  # (3+2+3 + 1+2+3) / 6
    item = as_role("viewer")("GET", "/api/v1/services").get_json()["items"][0]
    assert item["aaaq"]["ratings_count"] == 2
    assert item["aaaq"]["overall"] == pytest.approx(2.33)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**RATING, "quality": 4}, "quality"),
        ({**RATING, "availability": 0}, "availability"),
        ({k: v for k, v in RATING.items() if k != "accessibility"}, "accessibility"),
        ({**RATING, "basis": "rumour"}, "basis"),
        ({**RATING, "note": "x" * 2001}, "note"),
    ],
)
def test_bad_ratings_name_the_field(as_role, body, field):
    s = ServiceFactory()
    response = as_role("coordinator")("POST", f"/api/v1/services/{s.id}/ratings", body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert db.session.scalar(select(AaaqRating)) is None


def test_search_filters_and_sorts_by_aaaq(as_role):
    coord = as_role("coordinator")
    for name, value in (("Low", 1), ("High", 3), ("Mid", 2)):
        s = ServiceFactory(name=name)
        coord("POST", f"/api/v1/services/{s.id}/ratings", {d: value for d in RATING})
    ServiceFactory(name="Unrated")
    names = lambda r: [i["name"] for i in r.get_json()["items"]]  # noqa: E731
    assert names(coord("GET", "/api/v1/services?sort=aaaq")) == ["High", "Mid", "Low", "Unrated"]
    assert names(coord("GET", "/api/v1/services?aaaq_min=2")) == ["High", "Mid"]
    assert coord("GET", "/api/v1/services?aaaq_min=5").status_code == 422


def test_feedback_visible_to_case_managers_never_to_viewers(as_role, client):
    s = ServiceFactory()
    cm = as_role("case_manager")
    response = cm(
        "POST",
        f"/api/v1/services/{s.id}/feedback",
        {"text": "the nurse spoke Tigrinya and was kind", "outcome": "helpful"},
    )
    assert response.status_code == 201, response.get_json()
    assert cm("GET", f"/api/v1/services/{s.id}/feedback").get_json()["summary"]["helpful"] == 1
    viewer = as_role("viewer")
    assert viewer("GET", f"/api/v1/services/{s.id}/feedback").status_code == 403
    assert "Tigrinya" not in viewer("GET", f"/api/v1/services/{s.id}").get_data(as_text=True)
    assert viewer("GET", f"/api/v1/services/{s.id}").get_json()["feedback"] is None
    assert client.get(f"/api/v1/services/{s.id}/feedback").status_code == 401
    reads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "read")).all()
    assert reads
    assert all("Tigrinya" not in (e.detail or "") for e in reads)
    creates = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "feedback_notes", AuditEvent.action == "create"
        )
    ).all()
    assert creates[0].changes["text"] == "(changed)"  # the text itself is never logged


def test_feedback_with_identifiers_is_refused_naming_them(as_role):
    s = ServiceFactory()
    response = as_role("case_manager")(
        "POST",
        f"/api/v1/services/{s.id}/feedback",
        {"text": "Mrs. Alvarez (312) 555-0123 said it helped", "outcome": "helpful"},
    )
    assert response.status_code == 422
    message = response.get_json()["errors"]["text"][0]
    assert "a person's name" in message
    assert "a phone number" in message
    assert db.session.scalar(select(FeedbackNote)) is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "x" * 2001, "outcome": "helpful"}, "text"),
        ({"text": "fine", "outcome": "great"}, "outcome"),
        ({"outcome": "helpful"}, "observations"),  # neither choices nor text
        ({"text": "   ", "observations": [], "outcome": "helpful"}, "observations"),
        ({"observations": ["kind_staff"], "outcome": "helpful"}, "observations"),
        ({"observations": "waited_long", "outcome": "helpful"}, "observations"),
    ],
)
def test_bad_feedback_names_the_field(as_role, body, field):
    s = ServiceFactory()
    response = as_role("case_manager")("POST", f"/api/v1/services/{s.id}/feedback", body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_hidden_notes_are_kept_for_coordinators_only(as_role):
    s = ServiceFactory()
    cm = as_role("case_manager")
    note = cm(
        "POST",
        f"/api/v1/services/{s.id}/feedback",
        {"text": "rude at the front desk", "outcome": "not_helpful"},
    ).get_json()
    coord = as_role("coordinator")
    assert (
        coord("POST", f"/api/v1/feedback/{note['id']}/hide", {"reason": "duplicate"}).status_code
        == 200
    )
    assert cm("GET", f"/api/v1/services/{s.id}/feedback").get_json()["notes"] == []
    shown = coord("GET", f"/api/v1/services/{s.id}/feedback").get_json()["notes"]
    assert shown[0]["hidden"] is True
    change = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "feedback_notes", AuditEvent.action == "update"
        )
    ).one()
    assert change.changes["hidden"] == [False, True]


def test_capacity_shown_with_age_and_unknown_when_old(as_role):
    s = ServiceFactory()
    coord = as_role("coordinator")
    with time_machine.travel(datetime(2026, 11, 21, 8, 0, tzinfo=UTC), tick=False):
        item = coord(
            "PUT",
            f"/api/v1/services/{s.id}/capacity",
            {"unit": "beds", "available": 3, "maximum": 10},
        ).get_json()
        assert item["capacity"]["label"] == "3 of 10 beds free, updated just now"
    with time_machine.travel(datetime(2026, 11, 21, 10, 0, tzinfo=UTC), tick=False):
        item = coord("GET", f"/api/v1/services/{s.id}").get_json()
        assert item["capacity"]["label"] == "3 of 10 beds free, updated 2 h ago"
        assert [
            i["id"] for i in coord("GET", "/api/v1/services?has_capacity=true").get_json()["items"]
        ] == [s.id]
    with time_machine.travel(datetime(2026, 11, 24, 8, 0, tzinfo=UTC), tick=False):
        # 72 h (CAPACITY_STALE_HOURS' default) is still fresh
        assert coord("GET", f"/api/v1/services/{s.id}").get_json()["capacity_stale"] is False
    with time_machine.travel(datetime(2026, 11, 24, 9, 0, tzinfo=UTC), tick=False):
        item = coord("GET", f"/api/v1/services/{s.id}").get_json()
        assert item["capacity"] is None
        assert item["capacity_stale"] is True
        assert coord("GET", "/api/v1/services?has_capacity=true").get_json()["total"] == 0
    bad = coord(
        "PUT", f"/api/v1/services/{s.id}/capacity", {"unit": "beds", "available": 11, "maximum": 10}
    )
    assert bad.status_code == 422
    assert "available" in bad.get_json()["errors"]


def test_change_history_keeps_who_when_and_old_new_values(as_role):
    coord = as_role("coordinator")
    s = ServiceFactory(name="Before", languages="en")
    coord(
        "PATCH",
        f"/api/v1/services/{s.id}",
        {
            "name": "After",
            "languages": ["en", "es"],
            "hours": [{"weekday": "Tue", "opens": "09:00", "closes": "12:00"}],
            "version": s.version,
        },
    )
    history = coord("GET", f"/api/v1/services/{s.id}/history").get_json()
    update = next(h for h in history if h["object_type"] == "services" and h["action"] == "update")
    assert update["actor"] == "coordinator@test.example"
    assert update["changes"]["name"] == ["Before", "After"]
    assert update["changes"]["languages"] == ["en", "en es"]
    assert any(h["object_type"] == "service_hours" and h["action"] == "create" for h in history)


def test_review_queue_order_and_reasons(as_role):
    today = date.today()
    ServiceFactory(name="Fresh", last_verified=today - timedelta(days=10))
    ServiceFactory(name="Old", last_verified=today - timedelta(days=800))
    ServiceFactory(name="Older", last_verified=today - timedelta(days=900))
    ServiceFactory(name="Never", last_verified=None)
    poor = ServiceFactory(name="Poor feedback", last_verified=today - timedelta(days=5))
    for outcome in ("not_helpful", "not_helpful", "helpful"):
        db.session.add(
            FeedbackNote(
                service_id=poor.id, text="ok", outcome=outcome, noted_on=today - timedelta(days=3)
            )
        )
    falling = ServiceFactory(name="Falling", last_verified=today - timedelta(days=20))
    db.session.add_all(
        [
            AaaqRating(
                service_id=falling.id,
                rated_on=today - timedelta(days=400),
                availability=3,
                accessibility=3,
                acceptability=3,
                quality=3,
            ),
            AaaqRating(
                service_id=falling.id,
                rated_on=today - timedelta(days=30),
                availability=1,
                accessibility=2,
                acceptability=1,
                quality=2,
            ),
        ]
    )
    db.session.commit()
    queue = as_role("coordinator")("GET", "/api/v1/review-queue").get_json()
    assert [q["service"]["name"] for q in queue] == [
        "Never",
        "Older",
        "Old",
        "Falling",
        "Poor feedback",
    ]
    reasons = {q["service"]["name"]: q["reasons"] for q in queue}
    assert reasons["Never"] == ["never verified"]
    assert reasons["Old"][0].startswith("not verified since")
    assert reasons["Falling"] == ["AAAQ falling (3.0 → 1.5)"]
    assert reasons["Poor feedback"] == ["mostly not helpful feedback (2 of 3)"]


def test_stale_command_prints_the_queue(app):
    ServiceFactory(name="Never checked", last_verified=None)
    result = app.test_cli_runner().invoke(args=["directory", "stale"])
    assert "Never checked" in result.output
    assert "never verified" in result.output


def test_search_results_mark_stale_records(as_role):
    ServiceFactory(name="Stale", last_verified=date.today() - timedelta(days=400))
    ServiceFactory(name="Current", last_verified=date.today())
    items = as_role("viewer")("GET", "/api/v1/services").get_json()["items"]
    assert {i["name"]: i["stale"] for i in items} == {"Current": False, "Stale": True}


def test_service_object_is_updated_in_db(as_role):
    s = ServiceFactory()
    as_role("coordinator")(
        "PUT", f"/api/v1/services/{s.id}/capacity", {"unit": "appointments", "available": 2}
    )
    db.session.expire_all()
    assert db.session.get(Service, s.id).capacity_unit == "appointments"


def test_rating_notes_are_for_case_managers_and_up_and_each_read_is_audited(as_role, login, client):
    s = ServiceFactory(name="Noted")
    coord = as_role("coordinator")
    body = {**RATING, "note": "intake staff were kind", "basis": "site_visit"}
    assert coord("POST", f"/api/v1/services/{s.id}/ratings", body).status_code == 201

    def note_reads():
        return db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.object_type == "aaaq_ratings", AuditEvent.action == "read"
            )
        ).all()

    viewer = as_role("viewer")("GET", f"/api/v1/services/{s.id}/ratings")
    assert viewer.status_code == 200
    got = viewer.get_json()
    assert got["aaaq"]["ratings_count"] == 1
    assert got["ratings"][0]["availability"] == 3
    assert got["ratings"][0]["note"] is None
    assert got["ratings"][0]["rater"] is None
    assert "intake staff" not in viewer.get_data(as_text=True)
    assert "coordinator@test.example" not in viewer.get_data(as_text=True)
    assert note_reads() == []

    cm = as_role("case_manager")("GET", f"/api/v1/services/{s.id}/ratings").get_json()
    assert cm["ratings"][0]["note"] == "intake staff were kind"
    assert cm["ratings"][0]["rater"] == "coordinator@test.example"
    assert len(note_reads()) == 1
    assert all("intake staff" not in (e.detail or "") for e in note_reads())
    created = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "aaaq_ratings", AuditEvent.action == "create"
        )
    ).one()
    assert created.changes["note"] == "(changed)"

    login("viewer")
    page = client.get(f"/services/{s.id}").get_data(as_text=True)
    assert "Rating history (1)" in page
    assert "intake staff" not in page
    login("case_manager")
    assert "intake staff were kind" in client.get(f"/services/{s.id}").get_data(as_text=True)
    assert len(note_reads()) == 2
