"""Sending e-mail: SMTP when ``MAIL_SERVER`` is set, else the outbox an admin reads.

The standard library's ``smtplib`` is enough for one message at a time (a request, a
reminder); no library earns its place here. ``MAIL_USE_TLS`` means STARTTLS on the given
port (587 by default); port 465 is implicit TLS. Without ``MAIL_SERVER`` (``make run``, an
offline install) each message is added to ``mail_outbox`` in the caller's transaction, so
the flow works end to end without a mail server and nothing is "sent" for a change that is
rolled back.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

from app.models import OutboxMessage


class MailError(RuntimeError):
    """The SMTP server refused the message or could not be reached; ``reason`` names the
    server and what it said (for the sender, in no particular language)."""

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason or message


@dataclass
class Mail:
    """One message: plain-text and (optionally) HTML bodies of the same content."""

    to: str
    subject: str
    text: str
    html: str | None = None
    sent_by_id: int | None = None  # who sent it: a kept copy is theirs to read in the outbox


def build(mail: Mail, sender: str) -> EmailMessage:
    """The MIME message: text/plain first, text/html as the alternative."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = mail.to
    msg["Subject"] = mail.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg.set_content(mail.text)
    if mail.html:
        msg.add_alternative(mail.html, subtype="html")
    return msg


def send(session, mail: Mail) -> str:
    """Send ``mail``; returns ``"smtp"`` or ``"outbox"`` (where it went). Raises
    ``MailError`` when the SMTP server fails: the caller rolls back."""
    config = current_app.config
    sender = config["MAIL_DEFAULT_SENDER"]
    if not config.get("MAIL_SERVER"):
        session.add(
            OutboxMessage(
                sender=sender,
                recipient=mail.to,
                subject=mail.subject,
                text_body=mail.text,
                html_body=mail.html,
                sent_by_id=mail.sent_by_id,
            )
        )
        return "outbox"
    msg = build(mail, sender)
    host, port = config["MAIL_SERVER"], config["MAIL_PORT"]
    try:
        if port == 465:
            smtp = smtplib.SMTP_SSL(host, port, timeout=20, context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(host, port, timeout=20)
        with smtp:
            if config.get("MAIL_USE_TLS") and port != 465:
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(
            f"The mail server {host}:{port} did not take the message: {exc}",
            reason=f"{host}:{port}: {exc}",
        ) from exc
    return "smtp"
