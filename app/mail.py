"""Sending e-mail: SMTP when ``MAIL_SERVER`` is set, else the outbox an admin reads.

The standard library's ``smtplib`` is enough for one message at a time (a request, a
reminder); no library earns its place here. ``MAIL_USE_TLS`` means STARTTLS on the given
port (587 by default); port 465 is implicit TLS. Without ``MAIL_SERVER`` (``make run``, an
offline install) each message is added to ``mail_outbox`` in the caller's transaction, so
the flow works end to end without a mail server and nothing is "sent" for a change that is
rolled back. With ``MAIL_SERVER`` each message is a ``mail`` job (``app.jobs``), created in
the caller's transaction too and enqueued when it commits: a slow or unreachable SMTP
server never holds a web request, and the worker records a failure on the job. The job's
copy of the message (it holds the partner's link) is erased when the job ends.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, has_request_context
from flask_login import current_user

from app import jobs
from app.extensions import DbSession
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
    job_id: int | None = None  # set by ``send``: the job that hands it to the mail server


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


def send(session: DbSession, mail: Mail) -> str:
    """Send ``mail`` when the caller's transaction commits; returns ``"queued"`` (a job
    will hand it to the SMTP server) or ``"outbox"``."""
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
    owner = current_user if has_request_context() else None
    params = {"to": mail.to, "subject": mail.subject, "text": mail.text, "html": mail.html}
    mail.job_id = jobs.submit(session, "mail", params, owner).id
    return "queued"


def outcome(session: DbSession, job_id: int | None) -> tuple[str, str | None]:
    """What became of a queued message, after the caller's commit: ("sent", None),
    ("refused", the mail server's reason) or ("queued", None) while the worker has not
    taken it yet (its job's page tells later)."""
    job = session.get(jobs.Job, job_id) if job_id else None
    if job is None:
        return "queued", None
    session.refresh(job)
    if job.status == "done":
        return "sent", None
    if job.status == "failed":
        return "refused", job.error
    return "queued", None


@jobs.handler("mail", secret_params=True)
def run_mail(run: jobs.Run) -> dict:
    """The ``mail`` job: hand the message to the SMTP server."""
    p = run.params
    try:
        smtp_send(Mail(to=p["to"], subject=p["subject"], text=p["text"], html=p.get("html")))
    except MailError as exc:
        raise jobs.JobFailed(str(exc)) from exc
    return {"sent": "smtp"}


def smtp_send(mail: Mail) -> str:
    """Give ``mail`` to ``MAIL_SERVER`` now; raises ``MailError`` when it fails."""
    config = current_app.config
    sender = config["MAIL_DEFAULT_SENDER"]
    msg = build(mail, sender)
    host, port = config["MAIL_SERVER"], config["MAIL_PORT"]
    try:
        smtp: smtplib.SMTP
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
