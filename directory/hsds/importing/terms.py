"""Importing a package's own taxonomies and terms as the source gives them (ids, codes,
names, parents), and which terms each service is filed under (its attributes). This
product's own taxonomies (the Section V categories and the field terms an export of this
product carries) are not stored: they are rebuilt by every export."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select, update

from app.extensions import DbSession
from directory.hsds.importing import values
from directory.hsds.mapping import FIELDS_TAXONOMY_ID, TAXONOMY_ID
from directory.source_terms import ServiceTerm, SourceTaxonomy, SourceTerm

if TYPE_CHECKING:
    from directory.hsds.importing.package import Package

OWN = {TAXONOMY_ID, FIELDS_TAXONOMY_ID}


def _upsert(
    session: DbSession, model: type[SourceTaxonomy] | type[SourceTerm], rows: list[dict]
) -> dict[str, int]:
    """Insert new and update known rows by ``hsds_id``; → hsds id → id."""
    existing = dict(session.execute(select(model.hsds_id, model.id)).all())
    new = [r for r in rows if r["hsds_id"] not in existing]
    old = [{**r, "id": existing[r["hsds_id"]]} for r in rows if r["hsds_id"] in existing]
    if new:
        session.execute(insert(model), new)
    if old:
        session.execute(update(model), old)
    return dict(session.execute(select(model.hsds_id, model.id)).all())


def write(
    session: DbSession,
    pkg: Package,
    svc_ids: dict[str, int],
    filed: list[tuple[str, int, str, str, str | None]],
) -> None:
    """Store the package's taxonomies, terms and service links (``filed``: (file, line,
    service id, term id, value) of each attribute filing a service under a term, as
    ``links.Links`` read them). A service's links are replaced when the package links it
    to any source term."""
    source = pkg.src.name
    taxonomies = [
        {
            "hsds_id": r["id"],
            "name": r.get("name") or r["id"],
            "description": r.get("description"),
            "uri": r.get("uri"),
            "version": r.get("version"),
            "import_source": source,
        }
        for _, r in pkg.good("taxonomies")
        if r.get("id") and r["id"] not in OWN
    ]
    tax_ids = _upsert(session, SourceTaxonomy, taxonomies) if taxonomies else {}
    rows = [(line, r) for line, r in pkg.good("taxonomy_terms") if r.get("id")]
    parents = _parents(session, pkg, rows)
    terms = [
        {
            "hsds_id": r["id"],
            "taxonomy_id": tax_ids.get(r.get("taxonomy_id")),
            "parent_hsds_id": parents[r["id"]],
            "code": r.get("code"),
            "name": r.get("name") or r.get("code") or r["id"],
            "description": r.get("description"),
            "taxonomy": r.get("taxonomy"),
            "term_uri": r.get("term_uri"),
            "import_source": source,
        }
        for _, r in rows
        if r.get("taxonomy_id") not in OWN
    ]
    if not terms:
        return
    term_ids = _upsert(session, SourceTerm, terms)
    links: dict[tuple[int, int], str | None] = {}
    for src, line, link, term, value in filed:
        if not pkg.kept("attributes", src, line):
            continue
        service_id = svc_ids.get(link)
        term_id = term_ids.get(term)
        if service_id and term_id:
            links.setdefault((service_id, term_id), values.shortened(value))
    linked = {s for s, _t in links}
    if linked:
        session.execute(delete(ServiceTerm).where(ServiceTerm.service_id.in_(linked)))
        session.execute(
            insert(ServiceTerm),
            [{"service_id": s, "term_id": t, "value": v} for (s, t), v in links.items()],
        )


def _parents(
    session: DbSession, pkg: Package, rows: list[tuple[int, dict]]
) -> dict[str, str | None]:
    """Each term's parent as kept, reporting the ones that cannot be followed: a parent no
    package row or earlier import holds (kept as given: the term is at the top until that
    parent comes), a term that is its own parent, or parents that lead back to the term (its
    parent is dropped, the loop broken where it is first found, so a client walking up the
    tree always stops and a walk from the top reaches every term)."""
    parent = {r["id"]: r.get("parent_id") or None for _, r in rows}
    named = {r["id"]: r.get("code") or r.get("name") or r["id"] for _, r in rows}
    wanted = {p for p in parent.values() if p and p not in parent}
    stored = set()
    for start in range(0, len(wanted), 5000):
        some = sorted(wanted)[start : start + 5000]
        stored |= set(
            session.scalars(select(SourceTerm.hsds_id).where(SourceTerm.hsds_id.in_(some)))
        )
    for line, r in rows:
        term, up = r["id"], parent[r["id"]]
        if up is None:
            continue
        if up == term:
            parent[term] = None
            pkg.note(
                "taxonomy_terms", line, "parent_id", f"{up} is this term itself: kept at the top", r
            )
            continue
        if up not in parent:
            if up not in stored:
                why = f"no taxonomy_terms row with id {up}: kept at the top"
                pkg.note("taxonomy_terms", line, "parent_id", why, r)
            continue
        chain, seen, node = [term, up], {term}, up
        while parent.get(node) and node not in seen:
            seen.add(node)
            node = parent[node]
            chain.append(node)
        if node == term:
            parent[term] = None
            path = " → ".join(named.get(t, t) for t in chain)
            why = f"{up} leads back to this term ({path}): kept at the top"
            pkg.note("taxonomy_terms", line, "parent_id", why, r)
    return parent
