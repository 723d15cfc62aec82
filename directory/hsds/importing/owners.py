"""Which source a package is, and what it may change.

A package's name is its source's key (``Source.name``): a re-import of a source updates
its records and deactivates those it no longer holds. When the package's own name names no
source (the HSDS template's ``human_services_data``: ``source.generic_name``), the key is
the file's name, which changes from one download to the next ("feed-2026-11.zip"): then the
source is recognised by its records (``recognise``). And a record another source keeps is
never changed by this one (``leave_out_other_sources``)."""

from __future__ import annotations

import hashlib
from itertools import islice

from sqlalchemy import func, select

from app.extensions import DbSession
from directory.hsds.importing.identifiers import own_id
from directory.hsds.importing.package import Package
from directory.hsds.importing.row_checks import UUID_RE
from directory.hsds.importing.source import Source, generic_name
from directory.models import Location, Organization, Service

SAMPLE = 1000  # services read to recognise a source by its records
OWN_TABLES = (("organizations", Organization), ("locations", Location), ("services", Service))


def recognise(session: DbSession, src: Source) -> None:
    """A package whose name names no source is a new download of the source whose records
    its first ``SAMPLE`` services are, whatever its file is called this time: the same id
    *and* the same name for at least half of that source's active services (of at most a
    sample's worth), for most of the ids it holds of the sample, and for five or more (all
    of a smaller sample). A handful of a feed's published ids and names copied into another
    package does not make it that feed. Recognised, the import deactivates nothing
    (``Source.recognised``); otherwise it is a new source under the file's name, or, when
    that is generic too ("export.zip"), under that name and a fingerprint of its services'
    ids. Said in ``src.name_note``."""
    if not src.name_note:
        return
    probe = Package(src)
    probe.present.add("services")
    given = {
        row.get("_sid") or row.get("id"): row.get("name") or ""
        for _line, row in islice(probe.rows("services"), SAMPLE)
        if row.get("_sid") or row.get("id")
    }
    if not given:
        return
    active = dict(
        session.execute(
            select(Service.import_source, func.count())
            .where(Service.import_source.is_not(None), Service.status == "active")
            .group_by(Service.import_source)
        ).all()
    )
    best, found = None, 0
    for candidate, listed in active.items():
        # the same id *and* the same name: two small feeds both numbering from 1 are not
        # one source
        keys = {
            (g if UUID_RE.match(g) else own_id(str(candidate), "services", g)): g for g in given
        }
        held = session.execute(
            select(Service.hsds_id, Service.name).where(
                Service.hsds_id.in_(list(keys)), Service.import_source == candidate
            )
        ).all()
        n = sum(1 for key, name in held if given[keys[key]].strip() == (name or "").strip())
        # most of what it holds of the sample is the same service (a feed's services left
        # out, such as Illinois' without their organization, are held by no source), and
        # the sample covers at least half of what the source lists
        if (
            n > found
            and 2 * n >= len(held)
            and n >= min(5, len(given))
            and 2 * n >= min(listed, SAMPLE)
        ):
            best, found = candidate, n
    if best is None and generic_name(src.name):
        # a generic name and no source it is a download of: a name of its own, stable for
        # the same file (its services' ids), so two feeds saved as "export.zip" stay apart
        fingerprint = hashlib.sha256("\n".join(sorted(given)).encode()).hexdigest()[:8]
        src.name = f"{src.name[:80]}-{fingerprint}"
        src.name_note = (
            f"{src.name_note.split(';')[0]}; imported as source {src.name!r}, named after "
            "its services (give the source's name to choose one)."
        )
    if best is not None and best != src.name:
        src.name_note = (
            f"{src.name_note.split(';')[0]}; recognised as a new download of the source "
            f"{best!r} ({found} of the {len(given)} services read first are its records, "
            "by id and name), and imported as that source, deactivating nothing (give the "
            "source's name to let an import deactivate what it no longer holds)."
        )
        src.name, src.recognised = best, True


def leave_out_other_sources(session: DbSession, pkg: Package) -> None:
    """A record another named source keeps is not this package's to change: a row with its
    id (two feeds reusing one UUID, or an example's ids copied) is left out with why, and
    its parts with it (``Package.cascade``). Records made here or imported without a
    source (``import_source`` empty) may be updated: a round trip of this directory's own
    export finds its records again."""
    for table, model in OWN_TABLES:
        if table not in pkg.present:
            continue
        theirs = dict(
            session.execute(
                select(model.hsds_id, model.import_source).where(
                    model.import_source.is_not(None), model.import_source != pkg.src.name
                )
            ).all()
        )
        if not theirs:
            continue
        for line, row in pkg.rows(table):
            other = theirs.get(row.get("id") or "")
            if other is not None:
                pkg.skip(
                    table,
                    line,
                    row,
                    f"left out: id {pkg.given(row, 'id')!r} is a record of the source "
                    f"{other!r}; another source's record is not changed by this one",
                )
