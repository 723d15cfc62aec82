"""Form fuzzer: every page and form in ``app.url_map``, as each role, with hostile values;
no answer may be a 5xx (issue #19, "No 5xx on any input, anywhere").

Run alone with ``pytest -m fuzz``. The fields of each form are read from the rendered pages
(their ``name=`` attributes, with the values the page offers); ``<int:...>`` parts of a
route are filled with existing ids and with hostile ones (0, 2^31, the largest id). Values
are drawn by hypothesis from huge and non-ASCII numbers, lone surrogates (sent as the bytes
a careless client would send), NULs, markup, 10 kB strings, odd dates and free text, mixed
with the values the page itself offers so the deeper checks are reached. The examples are
the same on every run (``derandomize``), so CI stays repeatable and quick;
``FUZZ_RANDOM=1`` draws new ones and ``FUZZ_EXAMPLES`` sets how many per form and role.
"""

from __future__ import annotations

import functools
import html
import os
import re
import time
from collections import Counter
from datetime import date
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule

from app.extensions import MAX_ID, db
from assessment.models import AssessmentRound, Facility, PlanGoal, Response
from directory import seeding
from directory.aaaq_records import FeedbackNote
from directory.models import Service
from directory.referrals import handoff
from tests.conftest import ROLES

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
SLOW = (".pdf", ".zip")  # each answer renders a PDF or a package: fewer examples
SKIPPED = {"/logout", "/static/<path:filename>"}
HOSTILE = [
    "9" * 25,
    "9" * 5000,
    str(MAX_ID + 1),
    "-1",
    "0",
    "1e308",
    "inf",
    "nan",
    "-0",
    "0x10",
    "1_000",
    "²",
    "١٢",
    "１２",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "x" * 10_000,
    "",
    " ",
    "\u202e\u200b",
    "😀",
    "2026-13-45",
    "0001-01-01",
    "9999-12-31T23:59:59-01:00",
    "25:99",
    "true",
    "on",
    "null",
    "../../etc/passwd",
    "=1+1",
    "+1 (800) 555-0199",
]
# every field whose name says it holds a number also gets each of these alone, the other
# fields at the page's own values (hypothesis alone rarely puts one there in a few examples)
NUMERIC = re.compile(
    r"(^|[_.-])(id|page|per_page|position|age|version|rating|answer|radius_km|lat|lon|aaaq_min|available|maximum)($|[_.-])"
)
SWEEP = ["9" * 25, str(MAX_ID + 1), "-1", "0", "²", "1e308", "nan"]
GENERIC_QUERY = ["page", "per_page", "service_id", "organization_id", "lang", "q", "sort"]

_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')
_FIELD = re.compile(r"<(input|select|textarea|button)\b([^>]*)>", re.I)
_OPTION = re.compile(r'<option\b[^>]*value="([^"]*)"', re.I)


def _forms(page: str) -> list[dict]:
    """The forms of a page: action, method and the values offered per field name."""
    found = []
    for attrs, body in _FORM.findall(page):
        a = dict(_ATTR.findall(attrs))
        fields: dict[str, set[str]] = {}
        for _tag, field_attrs in _FIELD.findall(body):
            f = dict(_ATTR.findall(field_attrs))
            if "name" in f:
                fields.setdefault(html.unescape(f["name"]), set()).add(
                    html.unescape(f.get("value", ""))
                )
        for name, options in re.findall(
            r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', body, re.S
        ):
            fields.setdefault(html.unescape(name), set()).update(_OPTION.findall(options))
        found.append(
            {
                "action": html.unescape(a.get("action", "")).split("?")[0],
                "method": a.get("method", "get").lower(),
                "fields": fields,
            }
        )
    return found


def _records(users) -> dict[str, list[int | str]]:
    """Existing ids per URL argument (hostile ones are added per rule)."""
    service = db.session.scalars(select_first(Service)).first()
    facility = Facility(organization_id=service.organization_id)
    db.session.add(facility)
    db.session.flush()
    round_ = AssessmentRound(
        facility_id=facility.id,
        instrument="icmec-service-assessment",
        title="Fuzz round",
        started_on=date.today(),
    )
    db.session.add(round_)
    db.session.flush()
    response = Response(
        round_id=round_.id,
        respondent_role="nurse",
        answers={},
        ratings={},
        entered_by_id=users["admin"].id,
    )
    goal = PlanGoal(
        round_id=round_.id, horizon="10_days", section="d01", text="Train", due_on=date.today()
    )
    note = FeedbackNote(
        service_id=service.id, text="kind staff", outcome="helpful", noted_on=date.today()
    )
    referral = handoff.create(
        db.session,
        {
            "service_id": service.id,
            "case_reference": "HT-7",
            "handoff": "warm_call",
            "consent": True,
        },
        users["case_manager"],
        date.today(),
    )
    db.session.add_all([response, goal, note, referral])
    db.session.commit()
    return {
        "service_id": [service.id],
        "org_id": [service.organization_id],
        "note_id": [note.id],
        "referral_id": [referral.id],
        "facility_id": [facility.id],
        "round_id": [round_.id],
        "goal_id": [goal.id],
        "response_id": [response.id],
        "user_id": [users["case_manager_b"].id],
        "section": ["d01", "d12", "zz"],
    }


def select_first(model):
    from sqlalchemy import select

    return select(model).where(model.status == "active").order_by(model.id).limit(1)


def _urls(rule: Rule, ids: dict) -> list[str]:
    """The rule with its arguments filled: existing ids, then hostile ones."""
    urls = [""]
    for kind, _conv, arg in _parts(rule):
        if kind == "static":
            urls = [u + arg for u in urls]
            continue
        values = list(ids.get(arg, [1]))
        if _conv == "int":
            values += [MAX_ID, 0]
        urls = [u + str(v) for u in urls for v in values]
    return list(dict.fromkeys(urls))


def _parts(rule: Rule):
    """(kind, converter, text) pieces of a rule, e.g. ("var", "int", "service_id")."""
    for piece in re.split(r"(<[^>]+>)", rule.rule):
        if not piece:
            continue
        if piece.startswith("<"):
            conv, _, arg = piece[1:-1].rpartition(":")
            yield "var", conv or "default", arg
        else:
            yield "static", None, piece


def _encode(pairs: list[tuple[str, str]]) -> str:
    """URL-encoded form or query; text that is not UTF-8 (lone surrogates) goes as the
    bytes a careless client would send."""
    return urlencode([(k, v.encode("utf-8", "surrogatepass")) for k, v in pairs])


def _login(client, user) -> None:
    """Sign ``user`` in by its session (not the form: the fuzzed login and password forms
    would lock the account out after a few wrong passwords)."""
    db.session.expire_all()
    user = db.session.get(type(user), user.id)
    with client.session_transaction() as sess:
        sess.clear()
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
        sess["last_seen"] = int(time.time())


# built once: hypothesis works out a new strategy's label and validity on first use, which
# was more than half of this test's time when each form built its own
_ANY = [st.sampled_from(HOSTILE), st.text(max_size=40), st.integers().map(str)]


@functools.cache
def _value_strategy(offered: frozenset[str]):
    """Hostile values, free text and numbers, or left out; the page's own values weigh
    double, so that most examples pass the first checks with one or two hostile fields."""
    choices = list(_ANY)
    if offered - {""}:
        own = st.sampled_from(sorted(offered - {""}))
        choices += [own, own]
    return st.one_of(st.none(), st.one_of(*choices))


def _fields_strategy(fields: dict[str, set[str]]):
    """Every field of the form, each hostile or one of its offered values (or left out)."""
    if not fields:
        return st.just([])
    names = [name for name in sorted(fields) if name != "csrf_token"]
    per_field = [_value_strategy(frozenset(fields[name])) for name in names]
    return st.tuples(*per_field).map(
        lambda given: [(n, v) for n, v in zip(names, given, strict=True) if v is not None]
    )


def _fuzz(
    client, method: str, url: str, fields: dict, failures: list, examples: int, sweep: bool
) -> list[int]:
    """Send ``examples`` hostile versions of one form (and, with ``sweep``, each number-like
    field alone at each ``SWEEP`` value); returns the statuses answered."""
    sent = []

    @given(pairs=_fields_strategy(fields))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=not os.environ.get("FUZZ_RANDOM"),
        suppress_health_check=list(HealthCheck),
    )
    def run(pairs):
        send(pairs)

    def send(pairs):
        body = _encode(pairs)
        if method == "GET":
            answer = client.get(url, query_string=body)
        else:
            answer = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
        answer.close()  # a download (a job's file) is streamed from an open file
        sent.append(answer.status_code)
        if answer.status_code >= 500:
            failures.append((method, url, pairs, answer.status_code))

    run()
    base = [(n, sorted(o)[-1]) for n, o in sorted(fields.items()) if o and n != "csrf_token"]
    for name in [n for n in fields if sweep and NUMERIC.search(n)]:
        for value in SWEEP if examples > 2 else SWEEP[:1]:
            send([(n, v) for n, v in base if n != name] + [(name, value)])
    return sent


@pytest.mark.parametrize("role", ROLES)
def test_no_form_answers_5xx(app, client, users, role):
    seeding.load_demo(db.session)
    db.session.commit()
    ids = _records(users)
    _login(client, users["admin"])  # the admin sees every form
    rules = [
        r
        for r in app.url_map.iter_rules()
        if not r.rule.startswith("/api/") and r.rule not in SKIPPED
    ]
    by_action: dict[tuple[str, str], dict[str, set[str]]] = {}
    on_page: dict[str, list[dict]] = {}
    for rule in rules:
        if "GET" not in rule.methods or rule.rule.endswith(SLOW):
            continue
        for url in _urls(rule, ids)[:1]:
            page = client.get(url).get_data(as_text=True)
            on_page[url] = _forms(page)
            for form in on_page[url]:
                key = (form["method"], form["action"] or url)
                by_action.setdefault(key, {}).update(form["fields"])
    pool: dict[str, set[str]] = {}
    for fields in by_action.values():
        for name, offered in fields.items():
            pool.setdefault(name, set()).update(offered)

    failures: list = []
    sent: list[int] = []
    for rule in sorted(rules, key=lambda r: r.rule):
        examples = 2 if rule.rule.endswith(SLOW) else EXAMPLES
        for url in _urls(rule, ids):
            for method in sorted(m for m in rule.methods if m in ("GET", "POST")):
                _login(client, users[role])
                known = True
                if method == "POST":
                    known = ("post", url) in by_action
                    fields = by_action.get(("post", url)) or pool
                else:
                    fields = dict(by_action.get(("get", url), {}))
                    for name in GENERIC_QUERY:
                        fields.setdefault(name, set())
                sent += _fuzz(client, method, url, fields, failures, examples, known)
    codes = Counter(sent)
    print(f"form fuzz as {role}: {len(sent)} requests, {sorted(codes.items())}")
    assert codes[200] > 0  # the role reached its pages: the examples were not all refused
    assert not failures, "\n".join(repr(f)[:400] for f in failures[:30])
