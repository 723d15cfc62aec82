"""Partners' flow that finishes (#28): links built from the address the app is served on,
the coordinator told exactly where the mail went, the outbox read by whoever sent it with
tokens masked once passed on, the partner page in Spanish with its errors summarised and
tied to their fields, and decisions that never apply nothing silently."""

from __future__ import annotations

import re
import socket

from sqlalchemy import select

from app.config import served_url
from app.extensions import db
from app.models import AuditEvent, OutboxMessage
from directory.models import Service
from directory.partners.models import UpdateRequest
from tests.factories import OrganizationFactory, ServiceFactory
from tests.mailserver import smtp_server

ES = {"Accept-Language": "es-ES"}


def text(response) -> str:
    return response.get_data(as_text=True)


def _org(email="intake@partner.example"):
    org = OrganizationFactory(email=email, name="Casa Puerto", language="es")
    ServiceFactory(organization=org, name="Albergue nocturno", category="shelter.adults_hte")
    db.session.commit()
    return org


def _token_in(body: str) -> str:
    return re.search(r"/partner/([A-Za-z0-9_-]{20,})", body).group(1)


def test_the_served_address_from_host_and_port():
    assert served_url(None, None) == "http://127.0.0.1:5000"
    assert served_url("0.0.0.0", "8080") == "http://127.0.0.1:8080"  # noqa: S104
    assert served_url("directory.lan", "8000") == "http://directory.lan:8000"


def test_without_a_mail_server_the_coordinator_is_told_it_went_to_the_outbox(app, client, login):
    app.config.update(PUBLIC_BASE_URL="", SERVED_URL="http://127.0.0.1:8123")
    org = _org()
    login("coordinator")
    response = client.post(f"/organizations/{org.id}/update-request", follow_redirects=True)
    page = text(response)
    assert "saved to the outbox: no mail server is configured" in page
    assert "sent to" not in page.lower().replace("e-mailed", "")
    kept = db.session.scalar(select(OutboxMessage))
    assert "http://127.0.0.1:8123/partner/" in kept.text_body  # the served port, not 5000
    assert db.session.scalar(select(UpdateRequest)).link.delivered_via == "outbox"


def test_with_a_mail_server_sent_and_with_a_dead_one_the_reason(app, client, login):
    org = _org()
    login("coordinator")
    with smtp_server(app, PUBLIC_BASE_URL="http://partners.example") as inbox:
        sent = text(client.post(f"/organizations/{org.id}/update-request", follow_redirects=True))
        assert "Update request e-mailed to intake@partner.example" in sent
        assert len(inbox.messages) == 1
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]  # nothing listens there once closed
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=dead)
    try:
        failed = text(client.post(f"/organizations/{org.id}/update-request", follow_redirects=True))
    finally:
        app.config.update(MAIL_SERVER=None)
    # the mail job (run at once in tests) failed: the coordinator reads the server's reason
    assert "Not sent: The mail server 127.0.0.1:" in failed
    assert "did not take the message" in failed
    assert f"127.0.0.1:{dead}" in failed


def test_the_outbox_is_read_by_its_sender_and_masked_once_passed_on(app, client, login, users):
    first, second = _org("one@partner.example"), _org("two@partner.example")
    login("coordinator")
    client.post(f"/organizations/{first.id}/update-request")
    login("admin")
    client.post(f"/organizations/{second.id}/update-request")
    admin_view = text(client.get("/admin/outbox"))
    assert "one@partner.example" in admin_view
    assert "two@partner.example" in admin_view
    login("coordinator")
    mine = client.get("/admin/outbox")
    assert mine.status_code == 200
    assert "one@partner.example" in text(mine)
    assert "two@partner.example" not in text(mine)  # the admin's send is not theirs
    assert 'href="/admin/outbox"' in text(client.get("/"))  # in the navigation
    token = _token_in(text(mine))
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient == "one@partner.example")
    )
    other = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient == "two@partner.example")
    )
    assert client.post(f"/admin/outbox/{other.id}/passed-on").status_code == 404
    client.post(f"/admin/outbox/{message.id}/passed-on")
    db.session.expire_all()
    kept = db.session.get(OutboxMessage, message.id)
    assert token not in kept.text_body
    assert token not in (kept.html_body or "")
    assert f"/partner/{token[:4]}••••••" in kept.text_body
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "pass_on"))
    login("viewer")
    assert client.get("/admin/outbox").status_code == 403


def _partner_token(client, login, org) -> str:
    login("coordinator")
    client.post(f"/organizations/{org.id}/update-request")
    client.post("/logout")
    return _token_in(db.session.scalar(select(OutboxMessage.text_body)))


ENGLISH_ON_THE_PARTNER_PAGE = (
    "Your listing:",
    "This is how the referral network",
    "Opening hours",
    "Phone numbers (one a line)",
    "Walk-ins welcome",
    "not given",
    "Not stated",
    "Hours not listed",
)


def test_the_partner_page_in_spanish_reads_spanish_hours(app, client, login):
    org = _org()
    service = org.services[0]
    token = _partner_token(client, login, org)
    page = text(client.get(f"/partner/{token}", headers=ES))
    for english in ENGLISH_ON_THE_PARTNER_PAGE:
        assert english not in page, english
    assert "Tu ficha" in page or "Su ficha" in page
    refused = client.post(
        f"/partner/{token}/suggest",
        data={f"s{service.id}.hours": "Lunes hasta el fin 8-20"},
        headers=ES,
    )
    assert refused.status_code == 422
    body = text(refused)
    assert 'class="error-summary"' in body
    assert f'href="#f-s{service.id}-hours"' in body
    assert re.search(rf'id="f-s{service.id}-hours"[^>]*aria-invalid="true"', body)
    accepted = client.post(
        f"/partner/{token}/suggest",
        data={f"s{service.id}.hours": "Lun-Vie 8:00-20:00"},
        headers=ES,
    )
    assert accepted.status_code == 200
    req = db.session.scalar(select(UpdateRequest))
    assert [(s.field, s.proposed) for s in req.suggestions] == [("hours", "Lun-Vie 8:00-20:00")]


def test_decisions_never_apply_nothing_silently_and_accept_all(app, client, login):
    org = _org()
    service = org.services[0]
    token = _partner_token(client, login, org)
    client.post(
        f"/partner/{token}/suggest",
        data={
            f"s{service.id}.hours": "lundi–vendredi 8h–20h",
            f"s{service.id}.cost_notes": "Gratuit",
        },
    )
    req = db.session.scalar(select(UpdateRequest))
    login("coordinator")
    version = {f"version.{service.id}": str(service.version)}
    nothing = client.post(f"/update-requests/{req.id}/decisions", data=version)
    assert nothing.status_code == 422
    assert "No decision chosen: nothing was applied." in text(nothing)
    everything = client.post(
        f"/update-requests/{req.id}/decisions", data={**version, "all": "accept"}
    )
    assert everything.status_code == 302
    db.session.expire_all()
    s = db.session.get(Service, service.id)
    assert s.cost_notes == "Gratuit"
    assert sorted((h.weekday, h.opens, h.closes) for h in s.hours) == [
        (d, 480, 1200) for d in range(5)
    ]
