"""The loop's content-free e-mail notices: "you have a new referral" to the receiving
organization, "a referral you sent has an update" to the case manager who sent it.

Content-free on purpose: a notice holds no client data ever, no referral number, no state,
and (for a partner that asked for discretion, ``Organization.discreet_mail``) no service
name, network name or word about what the services are for. A notice to a partner carries
no link either: its inbox link is standing and stored only hashed, so the partner opens it
from where they keep it. The notice to the sender links to the referral's page, behind the
login.
"""

from __future__ import annotations

import logging

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app import audit
from app import mail as mailer
from app.extensions import DbSession
from app.i18n import LANGUAGES
from app.links import mailed_url
from app.mail import Mail
from directory.errors import MailNotSent
from directory.models import Organization
from directory.referrals.models import Referral

log = logging.getLogger(__name__)


def _language(org: Organization) -> str:
    return org.language if org.language in LANGUAGES else "en"


def new_referral_mail(org: Organization) -> Mail:
    """The partner's notice, in its language."""
    with force_locale(_language(org)):
        if org.discreet_mail:
            subject = _("You have a new message")
            lines = [
                _("Hello,"),
                _("You have 1 new item waiting. Open it with the link you keep for this."),
                _("Thank you."),
            ]
        else:
            network = current_app.config["FACILITY_NAME"]
            subject = _("You have 1 new referral")
            lines = [
                _("Hello,"),
                _(
                    "You have 1 new referral from the %(network)s. Open your referral inbox "
                    "with the inbox link you keep, and accept, decline or waitlist it.",
                    network=network,
                ),
                _("Thank you."),
            ]
    return Mail(to=org.email or "", subject=subject, text="\n\n".join(lines) + "\n")


def new_referral(session: DbSession, org: Organization) -> str | None:
    """Tell the partner a referral waits (None when it has no e-mail: the inbox still
    holds it). An SMTP refusal raises ``MailNotSent``: nothing is sent, nothing kept."""
    if not org.email:
        return None
    try:
        return mailer.send(session, new_referral_mail(org))
    except mailer.MailError as exc:
        raise MailNotSent(message=str(exc)) from exc


def sender_update_mail(referral: Referral) -> Mail:
    lines = [
        _("Hello,"),
        _("A referral you sent has an update. Sign in to see it:"),
        mailed_url(f"/referrals/{referral.id}"),
    ]
    return Mail(
        to=referral.case_manager.email,
        subject=_("A referral you sent has an update"),
        text="\n\n".join(lines) + "\n",
    )


def sender_update(session: DbSession, referral: Referral) -> None:
    """Tell the case manager (content-free). The change itself never waits for mail: when
    the server refuses, the app's own notice (``sender_unseen``) still shows it, and the
    failure is audited rather than lost."""
    try:
        mailer.send(session, sender_update_mail(referral))
    except mailer.MailError as exc:
        log.warning("referral notice not sent: %s", type(exc).__name__)
        audit.record(
            session,
            "notify",
            "referrals",
            referral.id,
            outcome="failed",
            detail="the e-mail notice to the sender was not taken by the mail server",
        )
