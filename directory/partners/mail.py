"""The messages partners receive, in the organization's language (en, es, fr), as plain
text and HTML. The sentences go through gettext (``translations/``) under the partner's
locale, so a coordinator reading Spanish still writes to an English-speaking partner in
English.

A partner that asked for discretion (``Organization.discreet_mail``) gets a subject and
opening line that say only "your listing": no network or facility name, no service names
and no word about what the services are for, since a subject and the first line are what a
phone's lock screen and a shared inbox show. The same holds for every message to them.
"""

from __future__ import annotations

from datetime import date
from html import escape

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.dates import format_day
from app.i18n import LANGUAGES
from app.links import mailed_url
from app.mail import Mail
from directory.models import Organization


def link_url(token: str) -> str:
    """The partner page's address, from ``PUBLIC_BASE_URL`` (what the partner can reach)."""
    return mailed_url(f"/partner/{token}")


def language(org: Organization) -> str:
    """The language the partner is written to: the organization's, else English."""
    return org.language if org.language in LANGUAGES else "en"


def _compose(org: Organization, subject: str, paragraphs: list[str], url: str) -> Mail:
    """Plain text and HTML of the same paragraphs, the link on its own line; the HTML's
    hidden preview line repeats the first paragraph (what an inbox shows)."""
    text = "\n\n".join([*paragraphs[:-1], url, paragraphs[-1]]) + "\n"
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs[:-1])
    html = (
        '<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{subject}</title>'
        "</head><body>"
        '<div style="display:none;max-height:0;overflow:hidden">{preview}</div>'
        '{body}<p><a href="{url}">{url}</a></p><p>{end}</p></body></html>'
    ).format(
        lang=escape(language(org)),
        subject=escape(subject),
        preview=escape(paragraphs[1]),
        body=body,
        url=escape(url),
        end=escape(paragraphs[-1]),
    )
    return Mail(to=org.email or "", subject=subject, text=text, html=html)


def update_request(
    org: Organization, token: str, expires_on: date, *, reminder: bool = False
) -> Mail:
    """The update request (or its reminder) with the personal link, in the partner's
    language whatever the language of the coordinator who sends it."""
    lang = language(org)
    network = current_app.config["FACILITY_NAME"]
    count = sum(1 for s in org.services if s.status == "active")
    until = format_day(expires_on, locale=lang, style="long")
    with force_locale(lang):
        if org.discreet_mail:
            subject = _("Please check your listing")
            ask = _("We keep a listing of your organization. Please check it is still right:")
        else:
            subject = _("Please check your listing in the %(network)s", network=network)
            ask = _(
                "%(network)s lists %(count)s of your services. Please check they are still right:",
                network=network,
                count=count,
            )
        if reminder:
            subject = _("Reminder: %(subject)s", subject=subject)
        paragraphs = [
            _("Hello,"),
            ask,
            _(
                "Open the link, then press “All still correct” or change what is different. "
                "No account is needed."
            ),
            _("The link is personal and works until %(until)s. Do not forward it.", until=until),
            _("Thank you."),
        ]
    return _compose(org, subject, paragraphs, link_url(token))


def capacity_link(org: Organization, token: str) -> Mail:
    """The standing capacity link, in the partner's language."""
    with force_locale(language(org)):
        if org.discreet_mail:
            subject = _("Your link for updates")
        else:
            subject = _("Your link for posting free places")
        paragraphs = [
            _("Hello,"),
            _(
                "Use this link whenever your free places change (for example “3 beds free”); "
                "it updates the listing at once. Keep it; it works until we revoke it."
            ),
            _("Thank you."),
        ]
    return _compose(org, subject, paragraphs, link_url(token))


def inbox_link(org: Organization, url: str) -> Mail:
    """The standing referral inbox link, in the partner's language; neutral wording for a
    partner that asked for discretion."""
    with force_locale(language(org)):
        if org.discreet_mail:
            subject = _("Your link for messages")
        else:
            subject = _("Your referral inbox link")
        paragraphs = [
            _("Hello,"),
            _(
                "Use this link to see the referrals sent to you and to answer them "
                "(accept, decline, waitlist, arrived). Keep it; it works until we revoke it. "
                "No account is needed."
            ),
            _("Thank you."),
        ]
    return _compose(org, subject, paragraphs, url)
