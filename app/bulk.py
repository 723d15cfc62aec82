"""Many rows into one table at once, for bulk loads (an HSDS import, a re-index).

SQLAlchemy's ``connection.execute(insert(table), rows)`` builds the parameters of every row
through its compiled statement (a dict a row, each value's processor looked up per row):
on SQLite, whose driver's ``executemany`` is a loop in C, that was a tenth of a
100,000-service import. ``insert_many`` gives the driver the same values, converted by the
same column types, as tuples. The rows' Python-side column defaults (``default=``) are
applied as SQLAlchemy applies them; server defaults are left to the database. On other
databases the statement goes through SQLAlchemy unchanged (PostgreSQL's driver gains
more from SQLAlchemy's "insertmanyvalues" batching than it would from this)."""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Connection, Table, insert

from app.extensions import Model


def table_of(model: type[Model]) -> Table:
    """A mapped class's table."""
    # cast: DeclarativeBase types __table__ as any FromClause; a mapped class's is a Table
    return cast(Table, model.__table__)


def insert_many(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT ``rows`` (dicts with the same keys) into ``table``."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), rows)
        return
    keys = list(rows[0])
    statement = insert(table).compile(dialect=conn.dialect, column_keys=keys)
    # the statement's parameters: the rows' keys and every column with a Python-side
    # default the rows leave out, in the table's order
    order = list(statement.positiontup or ())
    given = set(keys)
    take: list[Callable[[dict[str, Any]], Any]] = []
    for key in order:
        column = table.c.get(key)
        if key in given:
            take.append(itemgetter(key))
        elif column is None or column.default is None or column.default.is_clause_element:
            # a parameter of a SQL default ("abs_1"), or a default only SQLAlchemy computes
            conn.execute(insert(table), rows)
            return
        # (the stubs type `arg` on ColumnDefault's subclasses only)
        elif column.default.is_scalar:
            take.append(lambda _row, value=column.default.arg: value)  # type: ignore[attr-defined,misc]
        elif column.default.is_callable:
            # as SQLAlchemy calls it: with a context whose parameters are the row's
            take.append(lambda row, make=column.default.arg: make(_RowContext(row)))  # type: ignore[attr-defined,misc]
        else:
            raise ValueError(f"insert_many: {table.name}.{key}: no value and no default")
    process = [table.c[k].type._cached_bind_processor(conn.dialect) for k in order]
    conn.exec_driver_sql(str(statement), _parameters(rows, order, given, take, process))


def _parameters(
    rows: list[dict[str, Any]],
    order: list[str],
    given: set[str],
    take: list[Callable[[dict[str, Any]], Any]],
    process: list[Any],
) -> list[tuple[Any, ...]]:
    """Each row's values in the statement's ``order``, through the columns' processors.
    When the rows give every parameter, a row's values are read by one ``itemgetter`` and
    only the columns with a processor are passed through it (a Python call a value was most
    of the time of a re-index's inserts)."""
    if len(order) < 2 or not given.issuperset(order):
        return [
            tuple(get(r) if p is None else p(get(r)) for get, p in zip(take, process, strict=True))
            for r in rows
        ]
    values = itemgetter(*order)
    converted = [(i, p) for i, p in enumerate(process) if p is not None]
    if not converted:
        return [values(r) for r in rows]
    out = []
    for r in rows:
        row = list(values(r))
        for i, p in converted:
            row[i] = p(row[i])
        out.append(tuple(row))
    return out


class _RowContext:
    """What a column default that takes SQLAlchemy's execution context reads of it."""

    def __init__(self, row: dict[str, Any]) -> None:
        self.current_parameters = row

    def get_current_parameters(self, isolate_multiinsert_groups: bool = True) -> dict[str, Any]:
        return self.current_parameters
