"""What the other tables of a package say of each service, gathered before services are
written: its location, cost, documents, hand-off contact, languages (by code or name, a
location's included), schedule notes, and accessibility by location. Several rows for one
service (documents, costs, accessibility) are joined, not lost. Only compact maps keyed by
HSDS id are kept in memory."""

from __future__ import annotations

from collections import defaultdict

from directory import hours, languages
from directory.hsds.importing import values
from directory.hsds.importing.package import Package
from directory.hsds.importing.row_checks import source_times


def language_of(row: dict) -> tuple[str | None, str | None]:
    """An HSDS language row → (canonical code or None, a note to keep or None): the code
    when it is one, else what its name says (``languages.from_source``); the row's own
    ``note`` is kept after the language's name."""
    code = languages.canonical(row["code"]) if row.get("code") else None
    named, note = languages.from_source(row.get("name")) if row.get("name") else (None, None)
    if code and named != code:
        note = None  # a name that is only the code's own name adds nothing
    code = code or named
    if row.get("note"):
        label = row.get("name") or (languages.name(code) if code else "")
        note = f"{label}: {row['note']}" if label else row["note"]
    return code, note


def service_details(pkg: Package) -> dict[str, dict]:
    """Maps by service HSDS id (``sal``: the primary location, ``costs``, ``docs``,
    ``contacts``, ``langs``, ``lang_notes``, ``schedule_notes``); by location HSDS id
    (``access``, ``loc_langs``, ``loc_lang_notes``); by service-at-location id
    (``sal_service``: its service; ``elsewhere``: the location of one that is not its
    service's primary place). Only these compact maps are held, never the rows."""
    d: dict[str, dict] = {
        "sal": {},
        "sal_service": {},
        "elsewhere": {},
        "costs": {},
        "docs": defaultdict(list),
        "access": defaultdict(list),
        "contacts": {},
        "contact_phones": {},
        "langs": defaultdict(list),
        "lang_notes": defaultdict(list),
        "loc_langs": defaultdict(list),
        "loc_lang_notes": defaultdict(list),
        "schedule_notes": {},
        "loc_schedule_notes": {},
    }
    for _, r in pkg.good("service_at_location"):
        d["sal_service"][r["id"]] = r["service_id"]
        # the first place listed is the primary one (search's); the others are kept too
        primary = d["sal"].setdefault(r["service_id"], r["location_id"])
        if r["location_id"] != primary:
            d["elsewhere"][r["id"]] = r["location_id"]
    for _, r in pkg.good("cost_options"):
        option, amount = d["costs"].get(r["service_id"], (None, None))
        more = r.get("amount_description")
        d["costs"][r["service_id"]] = (
            option or r.get("option"),
            "; ".join(filter(None, (amount, more))) or None,
        )
    for _, r in pkg.good("required_documents"):
        if r.get("document"):
            d["docs"][r["service_id"]].append(r["document"])
    for _, r in pkg.good("accessibility"):
        if text := ": ".join(filter(None, (r.get("description"), r.get("details")))):
            d["access"][r["location_id"]].append(text)
    for line, r in pkg.good("contacts"):
        if not r.get("service_id"):
            pkg.skip(
                "contacts",
                line,
                r,
                "left out: a contact of a place or an organization (only a service's "
                "hand-off contact is kept)",
            )
            continue
        if r["service_id"] in d["contacts"]:
            pkg.skip("contacts", line, r, "one hand-off contact per service is kept")
            continue
        d["contacts"][r["service_id"]] = (r["id"], r.get("name"), r.get("title"))
    # a contact's phone is kept only as the hand-off phone of a kept contact (one each);
    # any other is left out and said, not counted as stored (#25: the report is true)
    handoff = {kept[0] for kept in d["contacts"].values()}
    for line, r in pkg.good("phones"):
        if contact := r.get("contact_id"):
            if contact not in handoff:
                pkg.skip("phones", line, r, "left out: a phone of a contact not kept")
            elif contact in d["contact_phones"]:
                pkg.skip("phones", line, r, "one hand-off phone per contact is kept")
            else:
                d["contact_phones"][contact] = pkg.phone(line, r)[0].get("number")
                pkg.merge("phones", line, r)
    for _, row in pkg.good("languages"):
        code, note = language_of(row)
        if row.get("service_id"):
            key, codes, notes = row["service_id"], d["langs"], d["lang_notes"]
        elif row.get("location_id"):
            key, codes, notes = row["location_id"], d["loc_langs"], d["loc_lang_notes"]
        else:
            continue
        if code:
            codes[key].append(code)
        if note:
            notes[key].append(note)
    for line, row in pkg.good("schedules"):
        service = row.get("service_id") or d["sal_service"].get(row.get("service_at_location_id"))
        # a location's hours are those of the services given there (``at_locations``)
        key, notes = (
            (service, d["schedule_notes"])
            if service
            else (
                row.get("location_id"),
                d["loc_schedule_notes"],
            )
        )
        if not key:
            continue
        if row.get("notes"):
            _add_note(pkg, notes, key, row["notes"], (line, "notes", row))
        if row.get("description") and not row.get("opens_at"):
            # times given only as text ("10:00am-11:00am AND 6:45pm"): kept as said
            text = values.shortened(row["description"]) or ""  # given: never empty
            _add_note(pkg, notes, key, text, (line, "description", row))
        elif (row.get("opens_at") or row.get("closes_at")) and hours.read_span(
            row.get("opens_at"), row.get("closes_at")
        ) is None:
            # times that cannot be read for sure ("9:00"–"4:00"): the source's text
            _add_note(pkg, notes, key, source_times(row), (line, "opens_at", row))
    return d


def _add_note(pkg: Package, notes: dict, service: str, text: str, where: tuple) -> None:
    """A service's schedule notes, each kept once, joined while they fit the one hours
    note a service has (``values.KEPT_CHARACTERS``); one that does not fit is reported."""
    kept = notes.get(service)
    if kept is None:
        notes[service] = text
    elif text not in kept.split(NOTE_SEPARATOR):
        joined = f"{kept}{NOTE_SEPARATOR}{text}"
        if len(joined) <= values.KEPT_CHARACTERS:
            notes[service] = joined
        else:
            line, column, row = where
            pkg.note(
                "schedules",
                line,
                column,
                f"not kept: the service's hours note is full ({values.KEPT_CHARACTERS} "
                "characters) with the notes of its earlier schedules",
                row,
            )


NOTE_SEPARATOR = "; "


def languages_of(d: dict, sid: str, loc_hsds: str | None) -> tuple[str, str | None]:
    """A service's languages (codes, space separated) and language notes: its own and its
    location's (a location's languages are spoken by the services given there)."""
    codes = [*d["langs"].get(sid, []), *d["loc_langs"].get(loc_hsds, [])]
    notes = languages.join_notes(d["lang_notes"].get(sid), d["loc_lang_notes"].get(loc_hsds))
    return " ".join(dict.fromkeys(codes)), notes
