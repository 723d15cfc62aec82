"""A coordinator's decisions on a partner's suggestions, and the field-by-field diff.

An accepted change is applied like an edit by hand: the same schema, the same version
check (the ``version`` of each service the coordinator decided from; stale answers 409),
the same audit listener, each row carrying "proposed by the partner via link, approved by
…" (``g.audit_detail``). A rejected change changes nothing in the record. A service whose
suggestions are all decided is stamped verified today by the coordinator, via the link.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask import g
from flask_babel import gettext as _
from marshmallow import ValidationError

from app.clock import today_at
from app.extensions import DbSession
from app.models import User
from directory import visibility
from directory.catalog import records
from directory.errors import Invalid
from directory.models import Service
from directory.partners import proposals
from directory.partners.answers import VIA
from directory.partners.models import Suggestion, UpdateRequest
from directory.partners.requests import naive
from directory.visibility import Viewer


def _inputs(s: Suggestion) -> dict:
    proposed = s.proposed  # a dict for the address, the field's text otherwise
    if s.field == "address":
        return proposals.location_input(s.service, proposed if isinstance(proposed, dict) else {})
    return proposals.to_input(s.field, proposed if isinstance(proposed, str) else "", s.service)


def decide(
    session: DbSession,
    request: UpdateRequest,
    accepted: Iterable[int],
    rejected: Iterable[int],
    versions: dict,
    user: User,
    now: datetime,
) -> UpdateRequest:
    """Accept the suggestions with ids in ``accepted``, reject those in ``rejected``;
    ``versions`` maps each service id with an accepted change to the version decided from."""
    by_id = {s.id: s for s in request.suggestions}
    accepted, rejected = set(accepted), set(rejected)
    unknown = sorted((accepted | rejected) - set(by_id))
    if unknown:
        raise Invalid({"suggestions": [f"Not suggestions of this request: {unknown}."]})
    if accepted & rejected:
        raise Invalid({"suggestions": ["A suggestion cannot be both accepted and rejected."]})
    decided = sorted(i for i in accepted | rejected if by_id[i].decision is not None)
    if decided:
        raise Invalid({"suggestions": [f"Already decided: {decided}."]})
    g.audit_detail = (
        f"proposed by the partner via link (update request {request.id}), approved by {user.email}"
    )
    groups: dict[int, list[Suggestion]] = defaultdict(list)
    for sid in sorted(accepted):
        groups[by_id[sid].service_id].append(by_id[sid])
    try:
        for service_id, suggestions in groups.items():
            version = versions.get(service_id) or versions.get(str(service_id))
            _apply(session, suggestions, version, now)
    finally:
        g.pop("audit_detail", None)
    for sid in accepted | rejected:
        s = by_id[sid]
        s.decision = "accepted" if sid in accepted else "rejected"
        s.decided_by_id, s.decided_at = user.id, naive(now)
    session.flush()
    for service in {s.service for s in request.suggestions}:
        if all(s.decision for s in request.suggestions if s.service_id == service.id):
            service.last_verified = today_at(now)
            service.verified_by_id, service.verified_via = user.id, VIA
    session.flush()
    return request


def _apply(
    session: DbSession, suggestions: list[Suggestion], version: int | None, now: datetime
) -> None:
    service = suggestions[0].service
    field = f"versions.{service.id}"
    if version is None:
        raise Invalid({field: ["Give the version of the service you decided from."]})
    inputs: dict = {}
    capacity: dict | None = None
    for s in suggestions:
        if s.field == "capacity":
            capacity = s.proposed if isinstance(s.proposed, dict) else None
        else:
            inputs.update(_inputs(s))
    try:
        if inputs:
            data = proposals.load({**inputs, "version": version})
            records.update_service(session, service, data)
        if capacity:
            data = proposals.capacity_data(capacity)
            checked = {} if inputs else {"version": version}  # update_service checked it
            # the capacity is as of when the PARTNER stated it, not this approval: a bed
            # count answered three days ago is three days old (and may be stale already)
            stated_at = suggestions[0].request.answered_at or now
            records.update_capacity(session, service, {**data, **checked}, stated_at)
    except ValidationError as exc:
        errors = {f"s{service.id}.{k}": v for k, v in proposals.errors_of(exc).items()}
        raise Invalid(errors, "A suggestion no longer passes the directory's rules.") from exc


def diff(request: UpdateRequest, user: Viewer) -> list[dict]:
    """Per service: its version now, and each suggestion as field, label, what the partner
    was shown, what is on file now, and what the partner proposes."""
    out: dict[int, dict] = {}
    for s in request.suggestions:
        service = s.service
        row = out.setdefault(
            service.id,
            {"service": service, "version": service.version, "changed_since": False, "rows": []},
        )
        if service.version != s.seen_version:
            row["changed_since"] = True
        row["rows"].append(
            {
                "suggestion": s,
                "label": label(s.field),
                "seen": _text(s.field, s.seen),
                "now": _text(s.field, _on_file(service, s.field, user)),
                "proposed": _text(s.field, s.proposed),
            }
        )
    return list(out.values())


def label(field: str) -> str:
    if field == "address":
        return _("Address")
    if field == "capacity":
        return _("Capacity")
    return str(proposals.FIELDS[field][0])


def _on_file(service: Service, field: str, user: Viewer) -> object:
    if field == "address":
        shown = visibility.address(service.location, user)
        return {k: shown[k] for k in proposals.ADDRESS_PARTS} if shown else None
    if field == "capacity":
        return proposals.capacity_now(service)
    return proposals.current(service, field)


def _text(field: str, value: Any) -> str:  # a JSON value: text, or a dict (address, capacity)
    """A value as one line for the diff."""
    if value is None:
        return _("(not shown)") if field == "address" else _("not stated")
    if field == "address":
        return ", ".join(v for k in proposals.ADDRESS_PARTS if (v := value.get(k))) or "—"
    if field == "capacity":
        if not value.get("available"):
            return _("not reported")
        unit = dict(proposals.unit_choices()).get(value.get("unit") or "places", value.get("unit"))
        if value.get("maximum"):
            return _(
                "%(free)s of %(maximum)s %(unit)s free",
                free=value["available"],
                maximum=value["maximum"],
                unit=unit,
            )
        return _("%(free)s %(unit)s free", free=value["available"], unit=unit)
    if value == "":
        return _("not stated")
    choices = dict(proposals.FIELDS.get(field, (None, None, None))[2] or ())
    return str(choices.get(value, value)).replace("\n", "; ")
