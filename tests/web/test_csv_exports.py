"""CSV exports (issue #19): every data cell quoted, and no cell or piece of a cell that a
spreadsheet would run as a formula, at its start or after a separator inside it."""

from __future__ import annotations

import csv
import io

import pytest

from app.csvsafe import guard
from tests.factories import OrganizationFactory, ServiceFactory


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1 312 555 0100", "+1 312 555 0100"),  # only a phone: nothing to run, kept as dialled
        ("+1 312 555 0100 =1+1", "'+1 312 555 0100 =1+1"),
        ("+1-1", "'+1-1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Pantry;=1+1", "Pantry;'=1+1"),
        ("Pantry; =1+1", "Pantry; '=1+1"),
        ("Pantry,@x", "Pantry,'@x"),
        ("Pantry\n-1", "Pantry\n'-1"),
        ("Pantry\t+1", "Pantry\t'+1"),
        ("Pantry\r\n=1", "Pantry\r\n'=1"),
        ("Pantry;\t=1", "Pantry;'\t'=1"),
        ("Pantry 9-17", "Pantry 9-17"),
        ("a=b, c+d", "a=b, c+d"),
        ("Plain", "Plain"),
        (None, ""),
        (42, "42"),
    ],
)
def test_guard_neutralises_every_dangerous_piece(value, expected):
    assert guard(value) == expected


def _assert_data_cells_quoted(text: str, headers: int = 1) -> None:
    """Every row but the header rows (the first, and any given by its first cell) appears
    in ``text`` exactly as ``csv.QUOTE_ALL`` writes it: each cell between quotes."""
    rows = list(csv.reader(io.StringIO(text)))
    checked = 0
    for row in rows[1:]:
        if not row or row[0] in ("month", "unmet need: categories"):
            continue
        out = io.StringIO()
        csv.writer(out, quoting=csv.QUOTE_ALL).writerow(row)
        assert out.getvalue() in text, row
        checked += 1
    assert checked >= 1


def test_sheet_csv_quotes_every_cell_and_guards_after_separators(client, login):
    ServiceFactory(
        name="Pantry;=1+1",
        description="x",
        organization=OrganizationFactory(name="\tTabbed Org"),
    )
    ServiceFactory(name="\rCarriage", organization=OrganizationFactory(name="Plain Org"))
    login("viewer")
    text = client.get("/sheets/directory.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    names = {r[header.index("name")] for r in rows[1:]}
    orgs = {r[header.index("organization")] for r in rows[1:]}
    assert "Pantry;'=1+1" in names
    assert "'\rCarriage" in names
    assert "'\tTabbed Org" in orgs
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r)
    _assert_data_cells_quoted(text)


def test_figures_csv_quotes_every_cell(client, login, token):
    service = ServiceFactory()
    made = client.post(
        "/api/v1/referrals",
        json={
            "service_id": service.id,
            "case_reference": "HT-7",
            "handoff": "warm_call",
            "consent": True,
        },
        headers=token("case_manager"),
    )
    assert made.status_code == 201, made.get_json()
    login("coordinator")
    text = client.get("/referrals/figures.csv").get_data(as_text=True)
    assert text.startswith("\ufeff")  # the UTF-8 byte-order mark: accents read right in Excel
    text = text.removeprefix("\ufeff")
    assert text.splitlines()[0] == "month,group,referrals,closed,connected,connection_rate"
    _assert_data_cells_quoted(text)
