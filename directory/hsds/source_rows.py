"""This product's HSDS rows for what it keeps of a source's own taxonomies: taxonomies,
terms and the attributes filing services under them, written by the export beside the
Section V taxonomy (``rows.taxonomy_rows``)."""

from __future__ import annotations

import uuid

from directory.hsds.mapping import NS, child_id
from directory.source_terms import SourceTaxonomy, SourceTerm


def source_id(given: str) -> str:
    """A source's taxonomy or term id as HSDS 3.0 needs it (a UUID): as given when it is
    one; else a UUID derived from it (a 1.x package's "101-01"), the id kept as the code."""
    try:
        return str(uuid.UUID(given))
    except ValueError:
        return str(uuid.uuid5(NS, f"source/{given}"))


def source_taxonomy_row(tx: SourceTaxonomy) -> dict:
    return {
        "id": source_id(tx.hsds_id),
        "name": tx.name,
        "description": tx.description or tx.name,
        "uri": tx.uri,
        "version": tx.version,
    }


def source_term_row(term: SourceTerm, taxonomy_ids: dict[int, str], known: set[str]) -> dict:
    """A kept source term; its parent only when that term is kept too (the package's
    foreign keys must resolve)."""
    parent = term.parent_hsds_id if term.parent_hsds_id in known else None
    return {
        "id": source_id(term.hsds_id),
        "code": term.code,
        "name": term.name,
        "description": term.description or term.name,
        "parent_id": source_id(parent) if parent else None,
        "taxonomy": term.taxonomy,
        "taxonomy_id": source_id(taxonomy_ids[term.taxonomy_id])
        if term.taxonomy_id in taxonomy_ids
        else None,
        "term_uri": term.term_uri,
    }


def term_attribute_row(service_hsds: str, term_hsds: str, value: str | None) -> dict:
    """A service filed under a source term."""
    term = source_id(term_hsds)
    return {
        "id": child_id(service_hsds, "attribute", f"term/{term}"),
        "link_id": service_hsds,
        "taxonomy_term_id": term,
        "link_type": "taxonomy",
        "link_entity": "service",
        "value": value,
    }


def kept_term_row(term: SourceTerm) -> dict:
    """``source_term_row`` of a term loaded with its taxonomy and its kept parent."""
    taxonomy = term.source_taxonomy
    return source_term_row(
        term,
        {taxonomy.id: taxonomy.hsds_id} if taxonomy is not None else {},
        {term.parent.hsds_id} if term.parent is not None else set(),
    )
