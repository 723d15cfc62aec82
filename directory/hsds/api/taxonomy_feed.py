"""What the HSDS API lists of taxonomies and taxonomy terms, and which services a term or
a taxonomy links (``term_condition``, ``taxonomy_condition``: the ``taxonomy_term_id`` and
``taxonomy_id`` filters of ``feed``'s lists). Reads only.

This product's own taxonomies (the Section V categories and the fields taxonomy,
``rows.taxonomy_rows``) come first, then the taxonomies and terms kept from imported
packages (``source_terms``), with the ids the export gives them (``source_rows``); source
terms are paged in SQL (a 211's AIRS taxonomy holds thousands).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import aliased

from app.extensions import DbSession, db
from directory import taxonomy, visibility
from directory.hsds import mapping, schemas
from directory.hsds.api.feed import AnySelect
from directory.hsds.rows import taxonomy_rows
from directory.hsds.source_rows import source_id, source_taxonomy_row, source_term_row
from directory.models import Service
from directory.source_terms import ServiceTerm, SourceTaxonomy, SourceTerm

TermTest = Callable[[dict], bool]
"""A test of this product's own term rows (``term_filters``)."""


def own_taxonomies() -> list[dict]:
    """This product's own taxonomies (Section V categories, fields), as HSDS rows."""
    return taxonomy_rows()[0]


def own_terms() -> list[dict]:
    """This product's own taxonomy terms, as HSDS rows."""
    return taxonomy_rows()[1]


def taxonomies(session: DbSession) -> list[dict]:
    """Every taxonomy the API serves: this product's own, then those kept from imported
    packages (``source_terms``), as the export writes them (``source_rows``). A source
    uses a handful: they are read whole."""
    stored = session.scalars(select(SourceTaxonomy).order_by(SourceTaxonomy.hsds_id))
    return own_taxonomies() + [source_taxonomy_row(t) for t in stored]


def one_taxonomy(session: DbSession, given: str) -> dict | None:
    """A taxonomy by its id (a stored one also by the id its package gave it)."""
    if found := next((t for t in own_taxonomies() if t["id"] == given), None):
        return found
    key = _source(SourceTaxonomy, given)
    stored = session.get(SourceTaxonomy, key) if key is not None else None
    return source_taxonomy_row(stored) if stored is not None else None


def matches(row: dict, search: str | None) -> bool:
    return not search or any(
        search.lower() in str(row.get(k) or "").lower() for k in ("name", "description", "code")
    )


_PARENT = aliased(SourceTerm)


def _source_terms(session: DbSession, where: list[ColumnElement[bool]], *columns: Any) -> AnySelect:
    """Stored source terms under ``where``, with their taxonomy's and their kept parent's
    ids (a parent the package did not give is no parent: the ids must resolve)."""
    return (
        select(*columns)
        .select_from(SourceTerm)
        .outerjoin(SourceTaxonomy, SourceTaxonomy.id == SourceTerm.taxonomy_id)
        .outerjoin(_PARENT, _PARENT.hsds_id == SourceTerm.parent_hsds_id)
        .where(*where)
    )


def term_filters(
    session: DbSession, params: dict
) -> tuple[TermTest, list[ColumnElement[bool]]] | str:
    """``params`` (``search``, ``taxonomy_id``, ``parent_id``, ``top_only``) as a test of
    this product's term rows and SQL conditions on the stored source terms; None when the
    taxonomy or parent named is unknown (→ the field at fault)."""
    search = params.get("search")
    own_tests: list[TermTest] = [lambda r: matches(r, search)]
    where: list[ColumnElement[bool]] = []
    if search:
        needle = search.lower()
        where.append(
            or_(
                *(
                    func.lower(column).contains(needle, autoescape=True)
                    for column in (SourceTerm.name, SourceTerm.description, SourceTerm.code)
                )
            )
        )
    if taxonomy_id := params.get("taxonomy_id"):
        if any(t["id"] == taxonomy_id for t in own_taxonomies()):
            own_tests.append(lambda r: r["taxonomy_id"] == taxonomy_id)
            where.append(false())
        elif (key := _source(SourceTaxonomy, taxonomy_id)) is not None:
            own_tests.append(lambda _r: False)
            where.append(SourceTerm.taxonomy_id == key)
        else:
            return "taxonomy_id"
    if parent_id := params.get("parent_id"):
        if any(t["id"] == parent_id for t in own_terms()):
            own_tests.append(lambda r: r.get("parent_id") == parent_id)
            where.append(false())
        elif (key := _source(SourceTerm, parent_id)) is not None and (
            parent := session.get(SourceTerm, key)
        ) is not None:
            own_tests.append(lambda _r: False)
            where.append(SourceTerm.parent_hsds_id == parent.hsds_id)
        else:
            return "parent_id"
    if params.get("top_only"):
        own_tests.append(lambda r: not r.get("parent_id"))
        where.append(_PARENT.id.is_(None))
    return (lambda r: all(test(r) for test in own_tests)), where


def taxonomy_terms(
    session: DbSession,
    tests: TermTest,
    where: list[ColumnElement[bool]],
    page: int,
    per_page: int,
) -> tuple[list[dict], int]:
    """One page of the taxonomy terms the API serves (this product's own first, then the
    stored source terms by id), with the total; ``tests`` and ``where`` from
    ``term_filters``."""
    own = [r for r in own_terms() if tests(r)]
    total = (
        len(own) + session.scalars(_source_terms(session, where, func.count(SourceTerm.id))).one()
    )
    start = (page - 1) * per_page
    rows = own[start : start + per_page]
    wanted = per_page - len(rows)
    if wanted:
        stmt = _source_terms(
            session, where, SourceTerm, SourceTaxonomy.hsds_id, _PARENT.hsds_id
        ).order_by(SourceTerm.hsds_id)
        stored = session.execute(stmt.limit(wanted).offset(max(0, start - len(own))))
        rows += [_term_row(term, tax, parent) for term, tax, parent in stored]
    return rows, total


def _term_row(term: SourceTerm, taxonomy_hsds: str | None, parent_hsds: str | None) -> dict:
    return source_term_row(
        term,
        {term.taxonomy_id: taxonomy_hsds}
        if taxonomy_hsds and term.taxonomy_id is not None  # a taxonomy found has its id
        else {},
        {parent_hsds} if parent_hsds else set(),
    )


def one_term(session: DbSession, given: str) -> dict | None:
    """A taxonomy term by its id (a stored one also by the id its package gave it)."""
    if found := next((t for t in own_terms() if t["id"] == given), None):
        return found
    key = _source(SourceTerm, given)
    if key is None:
        return None
    term, tax, parent = session.execute(
        _source_terms(
            session, [SourceTerm.id == key], SourceTerm, SourceTaxonomy.hsds_id, _PARENT.hsds_id
        )
    ).one()
    return _term_row(term, tax, parent)


def _field_condition(name: str) -> ColumnElement[bool]:
    kind, default = schemas.SERVICE_FIELDS[name]
    column = getattr(Service, name)
    condition = column.is_not(None)
    if default is not None:
        condition = and_(condition, column != default)
    if kind == "str":
        condition = and_(condition, column != "")
    if name in visibility.PLACE_TEXT_FIELDS:  # left out of a withheld place's attributes
        condition = and_(condition, Service.id.not_in(visibility.services_withholding_place_text()))
    return condition


def term_condition(term_id: str) -> ColumnElement[bool] | None:
    """The services linked to a taxonomy term (as the service objects' attributes link
    them), as a SQL condition; None for an unknown term. A term kept from an imported
    package's own taxonomy links the services the package linked to it."""
    term = next((t for t in own_terms() if t["id"] == term_id), None)
    if term is None:
        stored = _source(SourceTerm, term_id)
        if stored is None:
            return None
        return Service.id.in_(select(ServiceTerm.service_id).where(ServiceTerm.term_id == stored))
    if term["taxonomy_id"] == mapping.TAXONOMY_ID:
        codes, _ = taxonomy.expand([term["code"]])
        return Service.category.in_(codes)
    if term["code"] in schemas.SERVICE_FIELDS:
        return _field_condition(term["code"])
    return false()  # a field of organizations or locations: linked to no service


def taxonomy_condition(taxonomy_id: str) -> ColumnElement[bool] | None:
    """The services linked to any term of a taxonomy; None for an unknown taxonomy."""
    if taxonomy_id == mapping.TAXONOMY_ID:
        return Service.category.is_not(None)
    if taxonomy_id == mapping.FIELDS_TAXONOMY_ID:
        return or_(*(_field_condition(name) for name in schemas.SERVICE_FIELDS))
    stored = _source(SourceTaxonomy, taxonomy_id)
    if stored is None:
        return None
    return Service.id.in_(
        select(ServiceTerm.service_id)
        .join(SourceTerm, SourceTerm.id == ServiceTerm.term_id)
        .where(SourceTerm.taxonomy_id == stored)
    )


def _source(model: type[SourceTaxonomy] | type[SourceTerm], given: str) -> int | None:
    """The stored source taxonomy or term of an id as the package gave it, or as the
    export derived it (``source_rows.source_id``)."""
    session = db.session
    found = session.scalar(select(model.id).where(model.hsds_id == given))
    if found is not None:
        return found
    derived = select(model.hsds_id, model.id).where(func.length(model.hsds_id) != 36)
    for hsds_id, record_id in session.execute(derived):
        if given in (hsds_id, source_id(hsds_id)):
            return record_id
    return None
