"""``app.bulk.insert_many`` stores what SQLAlchemy's own ``insert`` stores: the same values
through the same column types, the same Python-side defaults (a fresh one a row), on a
real SQLite database."""

from __future__ import annotations

import itertools
from datetime import date, datetime

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    func,
    insert,
    select,
)

from app.bulk import insert_many

_counter = itertools.count(1)


def _table(name: str) -> Table:
    return Table(
        name,
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("name", String(20), nullable=False),
        Column("kind", String(10), default="voice"),
        Column("token", String(10), default=lambda: f"t{next(_counter)}"),
        Column("active", Boolean, default=False),
        Column("at", DateTime),
        Column("on", Date),
        Column("changes", JSON),
    )


ROWS = [
    {
        "name": "Harbor House",
        "at": datetime(2026, 12, 7, 9, 30),
        "on": date(2026, 1, 2),
        "changes": {"name": [None, "Harbor House"]},
    },
    {"name": "Clínica", "at": datetime(2026, 12, 7, 9, 30, 0, 5), "on": None, "changes": None},
]


def _both(rows: list[dict]) -> tuple[list[tuple], list[tuple], list]:
    """``rows`` stored by ``insert_many`` and by SQLAlchemy's ``insert`` into twin tables:
    (ours as stored, theirs as stored, ours read back through the column types)."""
    engine = create_engine("sqlite://")
    ours, theirs = _table("ours"), _table("theirs")
    with engine.begin() as conn:
        ours.metadata.create_all(conn)
        theirs.metadata.create_all(conn)
        insert_many(conn, ours, [dict(r) for r in rows])
        conn.execute(insert(theirs), [dict(r) for r in rows])
        stored = [tuple(r) for r in conn.exec_driver_sql("SELECT * FROM ours ORDER BY id")]
        expected = [tuple(r) for r in conn.exec_driver_sql("SELECT * FROM theirs ORDER BY id")]
        typed = list(conn.execute(select(ours).order_by(ours.c.id)).all())
    return stored, expected, typed


def test_rows_are_stored_as_sqlalchemys_insert_stores_them():
    stored, expected, typed = _both(ROWS)
    # defaults as SQLAlchemy applies them; the callable one is called for each row
    assert [r[2] for r in stored] == ["voice", "voice"]
    assert [r[4] for r in stored] == [0, 0]
    assert stored[0][3] != stored[1][3]
    # every other column byte for byte as SQLAlchemy wrote it (dates, JSON, accents)
    assert [r[:3] + r[4:] for r in stored] == [r[:3] + r[4:] for r in expected]
    assert stored[0][5] == "2026-12-07 09:30:00.000000"
    assert typed[0].changes == {"name": [None, "Harbor House"]}
    assert typed[1].at == datetime(2026, 12, 7, 9, 30, 0, 5)


def test_rows_giving_every_column_are_stored_as_sqlalchemys_insert_stores_them():
    # every parameter given: the row is read at once and only typed columns are converted
    rows = [
        dict(r, kind="tty", token=f"k{i}", active=i == 0, on=r["on"] or date(2027, 3, 4))
        for i, r in enumerate(ROWS)
    ]
    stored, expected, _ = _both(rows)
    assert stored == expected
    assert stored[0][1:6] == ("Harbor House", "tty", "k0", 1, "2026-12-07 09:30:00.000000")
    assert stored[1][4:7] == (0, "2026-12-07 09:30:00.000005", "2027-03-04")
    assert stored[1][7] == "null"  # a JSON column keeps None as JSON null, as SQLAlchemy does


def test_rows_of_untyped_columns_only_are_stored_as_given():
    engine = create_engine("sqlite://")
    table = Table("plain", MetaData(), Column("id", Integer), Column("name", String(20)))
    with engine.begin() as conn:
        table.metadata.create_all(conn)
        insert_many(conn, table, [{"id": 7, "name": "Casa"}, {"id": 9, "name": None}])
        stored = [tuple(r) for r in conn.exec_driver_sql("SELECT * FROM plain ORDER BY id")]
    assert stored == [(7, "Casa"), (9, None)]


def test_a_column_without_a_value_or_a_default_is_refused_by_name():
    table = Table(
        "strict",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("name", String(20), nullable=False),
    )
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        table.metadata.create_all(conn)
        with pytest.raises(KeyError, match="name"):
            insert_many(conn, table, [{"name": "a"}, {"other": "b"}])


def test_nothing_to_insert_is_no_statement():
    engine = create_engine("sqlite://")
    table = _table("empty")
    with engine.begin() as conn:
        table.metadata.create_all(conn)
        insert_many(conn, table, [])
        assert conn.execute(select(table)).all() == []


def test_defaults_that_read_the_row_or_run_sql_are_applied_as_sqlalchemy_applies_them():
    def double(context):
        return context.get_current_parameters()["n"] * 2

    def table(name: str) -> Table:
        return Table(
            name,
            MetaData(),
            Column("id", Integer, primary_key=True),
            Column("n", Integer, nullable=False),
            Column("twice", Integer, default=double),
            Column("three", Integer, default=func.abs(-3)),
        )

    engine = create_engine("sqlite://")
    ours, theirs = table("ours"), table("theirs")
    rows = [{"n": 1}, {"n": 2}]
    with engine.begin() as conn:
        ours.metadata.create_all(conn)
        theirs.metadata.create_all(conn)
        insert_many(conn, ours, [dict(r) for r in rows])
        conn.execute(insert(theirs), [dict(r) for r in rows])
        stored = conn.execute(select(ours.c.n, ours.c.twice, ours.c.three)).all()
        expected = conn.execute(select(theirs.c.n, theirs.c.twice, theirs.c.three)).all()
    assert [tuple(r) for r in stored] == [(1, 2, 3), (2, 4, 3)]
    assert stored == expected


def test_a_row_reading_default_alone_is_read_from_each_row():
    table = Table(
        "rowwise",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("n", Integer, nullable=False),
        Column("label", String(10), default=lambda ctx: f"n{ctx.current_parameters['n']}"),
    )
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        table.metadata.create_all(conn)
        insert_many(conn, table, [{"n": 5}, {"n": 6}])
        assert conn.execute(select(table.c.label)).scalars().all() == ["n5", "n6"]
