"""AAAQ arithmetic on hand-worked examples, and the client-identifier check."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.extensions import db
from directory import aaaq, identifiers
from directory.aaaq_records import AaaqRating
from directory.catalog import ratings
from directory.errors import Invalid
from tests.factories import ServiceFactory

TODAY = date(2026, 11, 21)


def rate(service, days_ago, a, b, c, d):
    db.session.add(
        AaaqRating(
            service_id=service.id,
            rated_on=TODAY - timedelta(days=days_ago),
            availability=a,
            accessibility=b,
            acceptability=c,
            quality=d,
        )
    )
    db.session.commit()


def test_means_counts_and_na_excluded(app):
    s = ServiceFactory()
    rate(s, 10, 3, 2, None, 3)
    rate(s, 100, 2, 2, 3, None)
    rate(s, 200, 1, None, 3, 2)
    got = aaaq.summary(db.session, s.id, TODAY)
    # availability (3 + 2 + 1) / 3 = 2.0; accessibility (2 + 2) / 2 = 2.0
    # acceptability (3 + 3) / 2 = 3.0; quality (3 + 2) / 2 = 2.5
    assert got.availability == pytest.approx(2.0)
    assert got.accessibility == pytest.approx(2.0)
    assert got.acceptability == pytest.approx(3.0)
    assert got.quality == pytest.approx(2.5)
    # overall: every value given, N/A excluded: (3+2+3 + 2+2+3 + 1+3+2) / 9 = 21 / 9
    assert got.overall == pytest.approx(21 / 9)
    assert got.ratings_count == 3
    assert got.values_count == {
        "availability": 3,
        "accessibility": 2,
        "acceptability": 2,
        "quality": 2,
    }
    assert got.last_rated == TODAY - timedelta(days=10)


def test_twelve_month_window_and_trend(app):
    s = ServiceFactory()
    rate(s, 364, 1, 1, 1, 1)  # inside the window (just)
    rate(s, 366, 3, 3, 3, 3)  # previous year
    rate(s, 700, 3, 3, 3, None)  # previous year
    rate(s, 800, 1, 1, 1, 1)  # older than two years: ignored
    got = aaaq.summary(db.session, s.id, TODAY)
    assert got.ratings_count == 1
    assert got.overall == pytest.approx(1.0)
    assert got.previous_overall == pytest.approx(3.0)  # (3*4 + 3*3) / 7
    assert got.trend == "down"
    other = ServiceFactory()
    rate(other, 30, 2, 2, 2, 2)
    rate(other, 400, 2, 2, 2, 1)  # previous: 7/4 = 1.75; change 0.25 → "up"
    assert aaaq.summary(db.session, other.id, TODAY).trend == "up"
    steady = ServiceFactory()
    rate(steady, 30, 2, 2, 2, 2)
    rate(steady, 400, 2, 2, 2, 2)
    assert aaaq.summary(db.session, steady.id, TODAY).trend == "steady"
    never = ServiceFactory()
    empty = aaaq.summary(db.session, never.id, TODAY)
    assert empty.overall is None
    assert empty.trend is None
    assert empty.ratings_count == 0


def test_all_na_rating_is_refused(app, users):
    s = ServiceFactory()
    with pytest.raises(Invalid):
        ratings.rate_service(
            db.session,
            s,
            {d: None for d in ("availability", "accessibility", "acceptability", "quality")},
            users["coordinator"],
            TODAY,
        )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Mrs. Alvarez said the staff were rude", "name"),
        ("Sra. Gómez felt welcome", "name"),
        ("client's name is Rosa", "name"),
        ("call her back at (312) 555-0123", "phone"),
        ("reached her on +44 20 7946 0958", "phone"),
        ("write to ana.perez@mail.example", "email"),
        ("DOB 03/04/1999", "date"),
        ("born on March 4, 1999", "date"),
        ("née le 3 mars 2001", "date"),
        ("she stays at 1234 N Main Street now", "address"),
        ("SSN 123-45-6789 on the form", "id_number"),
        ("A-number A123456789", "id_number"),
        ("passport X1234567", "id_number"),
    ],
)
def test_identifier_patterns_are_caught(text, kind):
    found = identifiers.find(text)
    assert [f.kind for f in found] == [kind], found
    f = found[0]
    assert text[f.start : f.end] == f.text


@pytest.mark.parametrize(
    "text",
    [
        "the nurse spoke Tigrinya and was kind",
        "waited 45 minutes, then got 3 bus passes and a 2-week stay",
        "the interpreter arrived late; the clinic on the second floor was hard to find",
        "Felt safe. Staff explained confidentiality before any questions.",
        "the drive was long but the counselor called back the same day",
    ],
)
def test_ordinary_notes_pass(text):
    assert identifiers.find(text) == []


def test_highlight_marks_the_spans():
    text = "Mr Lopez called 312-555-0123 twice"
    pieces = identifiers.highlight(text, identifiers.find(text))
    assert pieces == [
        ("Mr Lopez", "a person's name"),
        (" called ", None),
        ("312-555-0123", "a phone number"),
        (" twice", None),
    ]
