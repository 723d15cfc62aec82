"""The messages partners receive, in the organization's language (en, es, fr), as plain
text and HTML.

A partner that asked for discretion (``Organization.discreet_mail``) gets a subject and
opening line that say only "your listing": no network or facility name, no service names
and no word about what the services are for, since a subject and the first line are what a
phone's lock screen and a shared inbox show. The same holds for every message to them.
"""

from __future__ import annotations

from html import escape

from flask import current_app

from app.dates import format_day
from app.mail import Mail
from directory.models import Organization

TEXTS = {
    "en": {
        "subject": "Please check your listing in the {network}",
        "subject_discreet": "Please check your listing",
        "reminder": "Reminder: ",
        "hello": "Hello,",
        "ask": "{network} lists {count} of your services. Please check they are still right:",
        "ask_discreet": "We keep a listing of your organization. Please check it is still right:",
        "how": "Open the link, then press “All still correct” or change what is different. "
        "No account is needed.",
        "valid": "The link is personal and works until {until}. Do not forward it.",
        "capacity_subject": "Your link for posting free places",
        "capacity_subject_discreet": "Your link for updates",
        "capacity_ask": "Use this link whenever your free places change (for example "
        "“3 beds free”); it updates the listing at once. Keep it; it works until we revoke it.",
        "thanks": "Thank you.",
    },
    "es": {
        "subject": "Por favor revise su ficha en el {network}",
        "subject_discreet": "Por favor revise su ficha",
        "reminder": "Recordatorio: ",
        "hello": "Hola:",
        "ask": "{network} incluye {count} de sus servicios. Por favor compruebe que siguen "
        "siendo correctos:",
        "ask_discreet": "Tenemos una ficha de su organización. Por favor compruebe que sigue "
        "siendo correcta:",
        "how": "Abra el enlace y pulse «Todo sigue correcto» o cambie lo que sea diferente. "
        "No necesita cuenta.",
        "valid": "El enlace es personal y funciona hasta el {until}. No lo reenvíe.",
        "capacity_subject": "Su enlace para publicar plazas libres",
        "capacity_subject_discreet": "Su enlace para actualizaciones",
        "capacity_ask": "Use este enlace cuando cambien sus plazas libres (por ejemplo "
        "«3 camas libres»); la ficha se actualiza al momento. Guárdelo; funciona hasta que "
        "lo revoquemos.",
        "thanks": "Gracias.",
    },
    "fr": {
        "subject": "Merci de vérifier votre fiche dans le {network}",
        "subject_discreet": "Merci de vérifier votre fiche",
        "reminder": "Rappel : ",
        "hello": "Bonjour,",
        "ask": "{network} présente {count} de vos services. Merci de vérifier qu’ils sont "
        "toujours exacts :",
        "ask_discreet": "Nous tenons une fiche de votre organisation. Merci de vérifier "
        "qu’elle est toujours exacte :",
        "how": "Ouvrez le lien, puis appuyez sur « Tout est encore exact » ou modifiez ce qui "
        "a changé. Aucun compte n’est nécessaire.",
        "valid": "Ce lien est personnel et fonctionne jusqu’au {until}. Ne le transférez pas.",
        "capacity_subject": "Votre lien pour publier les places libres",
        "capacity_subject_discreet": "Votre lien pour les mises à jour",
        "capacity_ask": "Utilisez ce lien quand vos places libres changent (par exemple "
        "« 3 lits libres ») ; la fiche est mise à jour aussitôt. Gardez-le ; il fonctionne "
        "jusqu’à ce que nous le révoquions.",
        "thanks": "Merci.",
    },
}


def link_url(token: str) -> str:
    """The partner page's address, from ``PUBLIC_BASE_URL`` (what the partner can reach)."""
    return f"{current_app.config['PUBLIC_BASE_URL']}/partner/{token}"


def _texts(org: Organization) -> dict:
    return TEXTS.get(org.language or "en", TEXTS["en"])


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
        lang=escape(org.language or "en"),
        subject=escape(subject),
        preview=escape(paragraphs[1]),
        body=body,
        url=escape(url),
        end=escape(paragraphs[-1]),
    )
    return Mail(to=org.email or "", subject=subject, text=text, html=html)


def update_request(org: Organization, token: str, expires_on, *, reminder: bool = False) -> Mail:
    """The update request (or its reminder) with the personal link."""
    t = _texts(org)
    network = current_app.config["FACILITY_NAME"]
    count = sum(1 for s in org.services if s.status == "active")
    if org.discreet_mail:
        subject = t["subject_discreet"]
        ask = t["ask_discreet"]
    else:
        subject = t["subject"].format(network=network)
        ask = t["ask"].format(network=network, count=count)
    if reminder:
        subject = t["reminder"] + subject
    until = format_day(expires_on, locale=org.language or "en", style="long")
    paragraphs = [t["hello"], ask, t["how"], t["valid"].format(until=until), t["thanks"]]
    return _compose(org, subject, paragraphs, link_url(token))


def capacity_link(org: Organization, token: str) -> Mail:
    """The standing capacity link."""
    t = _texts(org)
    subject = t["capacity_subject_discreet" if org.discreet_mail else "capacity_subject"]
    return _compose(org, subject, [t["hello"], t["capacity_ask"], t["thanks"]], link_url(token))
