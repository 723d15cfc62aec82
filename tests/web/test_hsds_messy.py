"""A messy HSDS package never ends in a database error or a traceback, and loses no fact
without a line in the report: values longer than the directory keeps, values this product's
own fields cannot hold, a field longer than the CSV reader takes, and taxonomy terms whose
parents are missing or lead back to themselves. (The length checks matter most on
PostgreSQL, which refuses an over-long value outright; run with ``DATABASE_URL`` there.)"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from directory.hsds.importing import load
from directory.hsds.importing.package import ImportRejected, NotAPackage
from directory.hsds.mapping import FIELDS_TAXONOMY_ID, field_term_id
from directory.models import Organization, Service
from directory.source_terms import ServiceTerm, SourceTerm
from tests.web.test_hsds_facts import FOOD, LEGAL, ORG, package_3_0, read_csv, uid, write


def _edit(folder, table: str, change) -> None:
    rows = read_csv(folder / f"{table}.csv")
    change(rows)
    write(folder, table, rows)


def _set(row: dict, column: str, value: str) -> None:
    row[column] = value


def _email(length: int) -> str:
    return "a" * (length - len("@example.org")) + "@example.org"


# (table, row index, column, the most the directory keeps, the line of that row)
LIMITS = [
    ("services", 0, "alternate_name", 200, 2),
    ("services", 0, "email", 254, 2),
    ("organizations", 0, "email", 254, 2),
    ("cost_options", 0, "amount_description", 300, 2),
    ("locations", 0, "alternate_name", 200, 2),
    ("taxonomies", 0, "name", 300, 2),
    ("taxonomies", 0, "version", 100, 2),
    ("taxonomies", 0, "uri", 300, 2),
    ("taxonomy_terms", 1, "code", 250, 3),
    ("taxonomy_terms", 1, "name", 300, 3),
    ("taxonomy_terms", 1, "taxonomy", 300, 3),
    ("taxonomy_terms", 1, "term_uri", 300, 3),
    ("contacts", 0, "name", 200, 2),
    ("contacts", 0, "title", 200, 2),
    ("schedules", 0, "notes", 300, 2),
]


def _with_contact(folder) -> None:
    write(folder, "contacts", [{"id": uid("c1"), "service_id": LEGAL, "name": "Ana Ruiz"}])
    write(
        folder,
        "cost_options",
        [{"id": uid("co1"), "service_id": LEGAL, "amount_description": "Sliding scale"}],
    )


@pytest.mark.parametrize(("table", "index", "column", "limit", "line"), LIMITS)
def test_a_value_longer_than_the_directory_keeps_is_refused_naming_it(
    app, tmp_path, table, index, column, limit, line
):
    folder = package_3_0(tmp_path / "p")
    _with_contact(folder)
    value = _email if column == "email" else (lambda n: "Ñ" * n)
    _edit(folder, table, lambda rows: _set(rows[index], column, value(limit + 1)))
    with pytest.raises(ImportRejected) as refused:
        load.import_package(db.session, folder)
    assert f"{table}:{line}:{column}: Longer than maximum length {limit}." in refused.value.problems
    db.session.rollback()
    # exactly the limit comes in
    _edit(folder, table, lambda rows: _set(rows[index], column, value(limit)))
    load.import_package(db.session, folder)
    db.session.commit()


@pytest.mark.parametrize("age", ["9" * 400, "1e999", "nan", "-inf"])
def test_an_age_past_any_number_is_refused_naming_it(app, tmp_path, age):
    folder = package_3_0(tmp_path / "p")
    _edit(folder, "services", lambda rows: _set(rows[0], "minimum_age", age))
    with pytest.raises(ImportRejected) as refused:
        load.import_package(db.session, folder)
    assert refused.value.problems == [
        "services:2:minimum_age: Must be greater than or equal to 0 and less than or equal to 130."
    ]


def test_values_the_directory_shortens_are_reported(app, tmp_path):
    folder = package_3_0(tmp_path / "p")
    wait = "w" * 340
    _edit(folder, "services", lambda rows: _set(rows[0], "wait_time", wait))
    _edit(folder, "attributes", lambda rows: _set(rows[0], "value", "v" * 301))
    report = load.import_package(db.session, folder)
    db.session.commit()
    assert service_of(LEGAL).wait_time == wait[:300]
    assert "services:2:wait_time: kept its first 300 of 340 characters" in report.dropped
    assert "attributes:2:value: kept its first 300 of 301 characters" in report.dropped


def service_of(hsds_id: str) -> Service:
    return db.session.scalar(select(Service).where(Service.hsds_id == hsds_id))


def _with_field(folder, entity: str, link: str, name: str, value: str) -> None:
    """An attribute of this product's own fields taxonomy, as its export writes one."""
    _edit(
        folder,
        "attributes",
        lambda rows: rows.append(
            {
                "id": uid(f"field-{name}"),
                "link_id": link,
                "taxonomy_term_id": field_term_id(name),
                "link_type": "field",
                "link_entity": entity,
                "value": value,
            }
        ),
    )
    _edit(
        folder,
        "taxonomies",
        lambda rows: rows.append({"id": FIELDS_TAXONOMY_ID, "name": "Fields", "description": "-"}),
    )
    _edit(
        folder,
        "taxonomy_terms",
        lambda rows: rows.append(
            {
                "id": field_term_id(name),
                "code": name,
                "name": name,
                "description": "-",
                "taxonomy_id": FIELDS_TAXONOMY_ID,
            }
        ),
    )


@pytest.mark.parametrize(
    ("entity", "link", "name", "value", "problem"),
    [
        ("organization", ORG, "mou_date", "not-a-date", "mou_date: Not a valid date."),
        ("organization", ORG, "status", "deactivated-forever", "status: Must be one of"),
        ("organization", ORG, "kind", "spaceship", "kind: Must be one of"),
        (
            "organization",
            ORG,
            "is_demo",
            "yes please",
            "is_demo: 'yes please' is not true or false",
        ),
        ("service", FOOD, "walk_in", "maybe", "walk_in: 'maybe' is not true or false"),
        ("service", FOOD, "immigration_status", "banana", "immigration_status: Must be one of"),
        ("service", FOOD, "cost", "x" * 30, "cost: Must be one of"),
        ("service", FOOD, "country_represented", "Narnia", "country_represented:"),
        ("service", FOOD, "admits", "y" * 301, "admits: Longer than maximum length 300."),
        ("service", FOOD, "genders", "q" * 150, "genders:"),
    ],
)
def test_this_products_own_fields_are_checked_as_the_form_checks_them(
    app, tmp_path, entity, link, name, value, problem
):
    folder = package_3_0(tmp_path / "p")
    _with_field(folder, entity, link, name, value)
    with pytest.raises(ImportRejected) as refused:
        load.import_package(db.session, folder)
    found = [p for p in refused.value.problems if p.startswith("attributes:3:value: ")]
    assert len(found) == 1, refused.value.problems
    assert problem in found[0]
    db.session.rollback()
    # with --skip-invalid the rest comes in; the bad value is not kept, not read as "no"
    report = load.import_package(db.session, folder, skip_invalid=True)
    db.session.commit()
    assert found[0] in report.rejected
    record = service_of(FOOD) if entity == "service" else db.session.get(Organization, 1)
    if name == "walk_in":
        assert record.walk_in is None  # not stated, never a "no" nobody said
    if name == "status":
        assert record.status == "active"


def test_good_field_values_come_in_as_the_form_would_store_them(app, tmp_path):
    folder = package_3_0(tmp_path / "p")
    _with_field(folder, "service", FOOD, "genders", "female,nonbinary")
    report = load.import_package(db.session, folder)
    db.session.commit()
    assert report.rejected == []
    assert service_of(FOOD).genders == "female nonbinary"


def test_a_value_longer_than_the_csv_reader_takes_is_refused_naming_the_file(app, tmp_path):
    folder = package_3_0(tmp_path / "p")
    _edit(folder, "services", lambda rows: _set(rows[1], "description", "x" * 200_000))
    with pytest.raises(ImportRejected) as refused:
        load.import_package(db.session, folder)
    assert refused.value.problems == ["services:3:description: Longer than maximum length 5000."]


def test_a_field_past_any_limit_is_refused_naming_the_file_and_line(app, tmp_path):
    folder = package_3_0(tmp_path / "p")
    _edit(folder, "services", lambda rows: _set(rows[1], "description", "x" * (70 * 2**20)))
    with pytest.raises(NotAPackage, match=r"services.csv:3: a value longer than"):
        load.import_package(db.session, folder)


def test_terms_whose_parents_are_missing_or_loop_are_kept_at_the_top_and_reported(
    app, client, token, tmp_path
):
    folder = package_3_0(tmp_path / "p")
    tax = uid("tax")

    def more(rows):
        for key, parent in (
            ("cyc-a", "cyc-b"),
            ("cyc-b", "cyc-a"),
            ("self", "self"),
            ("orphan", "gone"),
        ):
            rows.append(
                {
                    "id": uid(key),
                    "code": key,
                    "name": key,
                    "description": "-",
                    "parent_id": uid(parent),
                    "taxonomy_id": tax,
                }
            )

    _edit(folder, "taxonomy_terms", more)
    report = load.import_package(db.session, folder)
    db.session.commit()
    # lines 4..7: cyc-a, cyc-b, self, orphan
    assert (
        f"taxonomy_terms:4:parent_id: {uid('cyc-b')} leads back to this term "
        "(cyc-a → cyc-b → cyc-a): kept at the top"
    ) in report.dropped
    assert (
        f"taxonomy_terms:6:parent_id: {uid('self')} is this term itself: kept at the top"
    ) in report.dropped
    assert (
        f"taxonomy_terms:7:parent_id: no taxonomy_terms row with id {uid('gone')}: kept at the top"
    ) in report.dropped
    assert not any(":5:parent_id" in line for line in report.dropped)  # cyc-b keeps cyc-a
    headers = token("viewer")

    def term(key):
        return client.get(f"/api/hsds/taxonomy_terms/{uid(key)}", headers=headers).get_json()

    assert "parent_id" not in term("cyc-a")
    assert term("cyc-b")["parent_id"] == uid("cyc-a")
    assert "parent_id" not in term("self")
    assert "parent_id" not in term("orphan")
    tops = client.get(
        "/api/hsds/taxonomy_terms?top_only=true&per_page=100", headers=headers
    ).get_json()
    top_ids = {t["id"] for t in tops["contents"]}
    assert {uid("cyc-a"), uid("self"), uid("orphan")} <= top_ids  # a walk from the top finds them
    assert (
        db.session.scalar(
            select(SourceTerm.parent_hsds_id).where(SourceTerm.hsds_id == uid("self"))
        )
        is None
    )


def test_every_schedule_note_of_a_service_is_kept_or_reported(app, tmp_path):
    """A service's schedules may each carry a note; the service has one hours note of 300
    characters: each distinct note is kept in it, in the file's order, and one that no
    longer fits is reported with its line (a repeated note is kept once)."""
    folder = package_3_0(tmp_path / "p")
    long_note = "Outreach van: " + "x" * 280  # 294 characters: fits alone, not after the rest

    def more(rows):
        for key, column, text in (
            ("h5", "notes", "Closed on public holidays"),  # line 5
            ("h6", "description", "Thursday evenings"),  # line 6: times only as text
            ("h7", "notes", "Closed on public holidays"),  # line 7: said already
            ("h8", "notes", long_note),  # line 8
        ):
            rows.append({"id": uid(key), "service_id": LEGAL, "freq": "WEEKLY", column: text})

    _edit(folder, "schedules", more)
    report = load.import_package(db.session, folder)
    db.session.commit()
    assert service_of(LEGAL).hours_notes == (
        "Tuesday mornings, by appointment; Closed on public holidays; Thursday evenings"
    )
    assert (
        "schedules:8:notes: not kept: the service's hours note is full (300 characters) "
        "with the notes of its earlier schedules"
    ) in report.dropped
    assert not [line for line in report.dropped if line.startswith("schedules:7:")]


def test_a_rejected_attribute_files_its_service_under_no_term(app, tmp_path):
    # the attribute filing "food" under "Food Pantries" holds a NUL: the row is refused, so
    # the service is filed under nothing (the terms' links are read with the checks)
    folder = package_3_0(tmp_path / "p")
    _edit(folder, "attributes", lambda rows: _set(rows[0], "value", "pantry\x00"))
    report = load.import_package(db.session, folder, skip_invalid=True)
    db.session.commit()
    assert "attributes:2:value: contains a NUL character (\\x00)" in report.rejected
    food = db.session.scalar(select(Service.id).where(Service.hsds_id == FOOD))
    assert food is not None
    assert db.session.scalars(select(ServiceTerm).where(ServiceTerm.service_id == food)).all() == []
