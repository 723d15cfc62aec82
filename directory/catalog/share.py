"""What a case manager gives a client about a service: the text to paste, the QR code and
the one-page handout, discreet by default.

The discreet version names the service by its *discreet name* (a neutral alias a
coordinator sets) or, without one, by the neutral label of its category group
(``seeds/sheet-labels.yaml``, ``share_neutral_labels``), and holds no organization name, no
website with a tell-tale word in it, and no line with a tell-tale word in any language
offered (``telltale_in``). The plain version (name, organization, website) is one
deliberate choice away. Neither ever carries a withheld address (``visibility``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from types import SimpleNamespace

from flask import has_request_context

from directory import labels as label_catalogue
from directory import languages, taxonomy, visibility
from directory.errors import Invalid
from directory.models import Service

LANGS = ("en", "es", "fr")

SHORT_WORD = 5
"""Tell-tale words this short are matched as whole words ("abri" is not in "Cabrini")."""


def fold(text: str) -> str:
    """Lowercase, accents dropped, anything not a letter or digit a space."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


@cache
def telltale_words() -> tuple[str, ...]:
    """The words no discreet share may hold (folded): the wallet card's, and the share's."""
    cat = label_catalogue.catalogue()
    words = {fold(w) for w in [*cat["card_forbidden_words"], *cat["telltale_words"]]}
    return tuple(sorted(w for w in words if w))


def telltale_in(text: str | None) -> list[str]:
    """The tell-tale words in ``text``, also run together as in a URL
    ("safehouse-chicago.org", "/refugio/")."""
    folded = fold(text or "")
    padded = f" {folded} "
    compact = folded.replace(" ", "")
    found = []
    for w in telltale_words():
        if len(w.replace(" ", "")) <= SHORT_WORD:
            hit = f" {w} " in padded
        else:
            hit = w in folded or w.replace(" ", "") in compact
        if hit:
            found.append(w)
    return found


def check_discreet_name(name: str | None) -> None:
    """Refuse a discreet name that would say what the service is for."""
    if name and (bad := telltale_in(name)):
        raise Invalid(
            {"discreet_name": [f"A discreet name must not say what it is for: {', '.join(bad)}."]}
        )


def lang_of(value: str | None) -> str:
    """The language asked for, else a page's (the reader's interface language; the API's
    default stays English)."""
    if value in LANGS:
        return value
    from app.auth import is_api_request
    from app.i18n import ui_language

    if has_request_context() and not is_api_request() and ui_language() in LANGS:
        return ui_language()
    return "en"


def labels(lang: str) -> dict:
    cat = label_catalogue.catalogue()
    return {
        **label_catalogue.labels(lang),
        **cat["share_labels"]["en"],
        **cat["share_labels"][lang],
    }


def neutral_label(category: str | None, lang: str) -> str:
    """The neutral name of a category's group in ``lang`` (its group's, or the default)."""
    table = label_catalogue.catalogue()["share_neutral_labels"]
    cat = taxonomy.categories().get(category or "")
    entry = table.get(cat.group if cat else "default") or table["default"]
    return entry.get(lang) or entry["en"]


Shared = Service | SimpleNamespace  # a service, or a search row read like one


def safe_name(service: Shared, lang: str) -> str:
    """The name a discreet share uses: the discreet name, or the neutral label."""
    alias = (getattr(service, "discreet_name", None) or "").strip()
    if alias and not telltale_in(alias):
        return alias
    return neutral_label(service.category, lang)


def lines(service: Shared, item: dict, *, discreet: bool, lang: str) -> list[str]:
    """The lines of the share text, in ``lang``."""
    lab = labels(lang)
    out = [safe_name(service, lang)] if discreet else [item["name"], item["organization"]["name"]]
    out += [f"{lab['phone']}: {p['number']}" for p in item["phones"][:2]]
    if not item["phones"] and item["handoff"]["phone"]:
        out.append(f"{lab['phone']}: {item['handoff']['phone']}")
    out.append(f"{lab['hours']}: {label_catalogue.hours_text(service, lab)}")
    if address := visibility.share_address(item, lab["address"], lab["address_by_phone"]):
        out.append(address)
    if item["languages"]:
        out.append(f"{lab['languages']}: " + languages.display_list(item["languages"], lang))
    if item["website"] and (not discreet or item.get("website_neutral")):
        # a domain spells the organization ("lakeshore-freedom.example.org"): a discreet
        # share carries it only when a coordinator marked it neutral
        out.append(item["website"])
    if discreet:
        # the guarantee: a line with a tell-tale word (an address, a website) is left out
        out = [out[0], *(line for line in out[1:] if not telltale_in(line))]
    return out


def discreet_contact(item: dict, hours: str, lang: str | None = None) -> str:
    """The one line "Copy contact" puts on the clipboard from a result: the discreet name, the
    first phone and the hours (``hours``: their summary as the page shows it), never the
    service's or organization's name (the quickest tap must not hand the client a tell-tale
    text)."""
    lang = lang_of(lang)
    alias = (item.get("discreet_name") or "").strip()
    name = alias if alias and not telltale_in(alias) else neutral_label(item["category"], lang)
    phones = [p["number"] for p in (item["phones"] or item.get("location_phones") or [])[:1]]
    phones = phones or [p for p in [item["handoff"]["phone"]] if p]
    parts = [name, *phones, hours]
    return " · ".join(p for p in parts if p and not telltale_in(p))


def share_text(service: Shared, item: dict, *, discreet: bool = True, lang: str = "en") -> str:
    """The block of text to paste into a message to the client."""
    return "\n".join(lines(service, item, discreet=discreet, lang=lang_of(lang)))


def qr_payload(
    service: Shared, item: dict, *, discreet: bool = True, lang: str = "en"
) -> str | None:
    """The contact card (MECARD) a QR code holds: the name the share uses and the first
    phone; None without a phone."""
    number = item["phones"][0]["number"] if item["phones"] else item["handoff"]["phone"]
    if not number:
        return None
    name = safe_name(service, lang_of(lang)) if discreet else item["name"]

    def esc(text: str) -> str:
        return "".join("\\" + ch if ch in ";:,\\" else ch for ch in text)

    return f"MECARD:N:{esc(name)};TEL:{number};;"


def qr_svg(payload: str | None) -> str | None:
    """A QR code (SVG, drawn on the server) of a payload, for the client to scan."""
    if not payload:
        return None
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(payload, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def handout(service: Shared, item: dict, *, discreet: bool = True, lang: str | None = "en") -> dict:
    """What the one-page client handout shows."""
    lang = lang_of(lang)
    text = lines(service, item, discreet=discreet, lang=lang)
    payload = qr_payload(service, item, discreet=discreet, lang=lang)
    return {
        "lang": lang,
        "labels": labels(lang),
        "title": text[0],
        "lines": text[1:],
        "qr": qr_svg(payload),
        "discreet": discreet,
    }
