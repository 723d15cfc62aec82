"""Ways to reach someone: e-mail addresses (obfuscated ones too), phone numbers, and
social-media handles and profile links."""

from __future__ import annotations

import re
from collections.abc import Iterator

from directory.identifiers.recognisers import Found
from directory.identifiers.recognisers.dates import _DATE_SHAPE, _plausible_date_digits

_EMAIL_RE = re.compile(r"(?<![\w.+'-])[\w.+'-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,6}")
_AT = r"(?:\s*[\[\(\{<]\s*(?:at|arroba|arobase)\s*[\]\)\}>]\s*|\s+(?:at|arroba|arobase)\s+|\s*@\s*)"
_DOT = r"(?:\s*[\[\(\{<]\s*(?:dot|punto|point)\s*[\]\)\}>]\s*|\s+(?:dot|punto|point)\s+|\.)"
_OBFUSCATED_EMAIL_RE = re.compile(
    rf"(?<![\w.+'-])(?P<local>[\w+'-]{{1,64}}(?:(?:{_DOT})[\w+'-]{{1,64}}){{0,4}}){_AT}"
    rf"(?P<domain>[A-Za-z][\w-]{{0,62}}(?:{_DOT}[\w-]{{1,63}}){{0,4}}{_DOT}"
    rf"(?P<tld>[A-Za-z]{{2,6}}))(?![\w])",
    re.I,
)
_SPACED_EMAIL_RE = re.compile(
    r"(?<![\w.+'-])[\w+'-]{1,64}(?:\s?\.\s?[\w+'-]{1,64}){0,4}\s?@\s?[A-Za-z][\w-]{0,62}"
    r"(?:\s?\.\s?[\w-]{1,63}){1,4}"
)
_EMAIL_PROVIDERS = re.compile(
    r"(?<![\w.+'-])(?P<local>[\w.+'-]{1,64})\s*(?:\bat\b|arroba|arobase)\s*(?P<prov>gmail|hotmail|yahoo|"
    r"outlook|icloud|live|aol|protonmail|proton|msn|ymail|gmx|orange|free|laposte|wanadoo)"
    r"(?![\w])",
    re.I,
)
_LOCAL_STOP = {"us", "them", "her", "him", "me", "it", "home", "work", "we", "you", "they"}


def _emails(s: str) -> Iterator[Found]:
    for m in _EMAIL_RE.finditer(s):
        yield "email", m.start(), m.end()
    if "@" in s:
        for m in _SPACED_EMAIL_RE.finditer(s):
            yield "email", m.start(), m.end()
    if "@" in s or re.search(r"(?i)\b(?:at|arroba|arobase)\b", s):
        for m in _OBFUSCATED_EMAIL_RE.finditer(s):
            local = m.group("local").lower()
            if local in _LOCAL_STOP or m.group("tld").lower() in {"m", "pm", "am"}:
                continue
            if re.match(r"(?i)www\d*\b", m.group("domain")):
                continue  # "Forms at www2.harborhouse.org": a website, no mailbox
            yield "email", m.start(), m.end()
        for m in _EMAIL_PROVIDERS.finditer(s):
            if m.group("local").lower() not in _LOCAL_STOP:
                yield "email", m.start(), m.end()


# phones: 7 to 15 digits in groups of 1-4 (after normalisation), whatever their validity
_PHONE_SEP = r"(?:[ \t]?[-.][ \t]?|[ \t]{1,2}|[ \t]?/[ \t]?(?=\d{3,}))"
_PHONE_RE = re.compile(
    # (an area code in brackets may follow a word with no space: "Okafor(312) 555-0123")
    r"(?:(?<![\w+./-])|(?<=[^\W\d_])(?=\())"
    r"(?:(?:\+|00)\s?\d{1,3}[ \t.-]?)?(?:\(\s?\d{1,4}\s?\)[ \t.-]?)?"
    rf"\d{{1,15}}(?:{_PHONE_SEP}\(?\d{{1,5}}\)?){{0,14}}(?![\w/]|[.,-]\d)"
)
_YEAR = r"(?:19|20)\d\d"


def _phones(s: str) -> Iterator[Found]:
    for m in _PHONE_RE.finditer(s):
        raw = m.group(0)
        digits = re.sub(r"\D", "", raw)
        n = len(digits)
        if n < 7:
            continue
        groups = re.findall(r"\d+", raw)
        if len(groups) == 1:  # one unbroken run: its length tells what it is
            if n == 10 or (n == 11 and digits[0] == "1") or raw.startswith("+"):
                yield "phone", m.start(), m.end()
            elif n == 8 and _plausible_date_digits(digits):
                yield "date", m.start(), m.end()
            else:
                yield "id_number", m.start(), m.end()
            continue
        if len(groups) == 2 and all(re.fullmatch(_YEAR, g) for g in groups):
            continue  # a range of years
        if len(groups) == 3 and _DATE_SHAPE.fullmatch(raw):
            continue  # a date (``_dates`` judges it by its words and its year)
        yield "phone", m.start(), m.end()


_PLATFORMS = (
    r"instagram|insta|ig|tiktok|tik\s?tok|snapchat|snap|telegram|whatsapp|"
    r"facebook|fb|messenger|twitter|kik|discord|onlyfans|twitch|"
    r"youtube|reddit|tinder|grindr|hinge|bumble|badoo|wechat|viber|skype|linkedin|"
    r"cash\s?app|venmo|zelle|paypal"
)
_PROFILE_URL_RE = re.compile(
    r"(?i)(?<![\w.])(?:https?://)?(?:www\.|m\.|mobile\.)?(?:instagram\.com|instagr\.am|"
    r"tiktok\.com|vm\.tiktok\.com|snapchat\.com/add|facebook\.com|fb\.com|fb\.me|m\.me|"
    r"t\.me|telegram\.me|wa\.me|api\.whatsapp\.com/send|chat\.whatsapp\.com|twitter\.com|"
    r"x\.com|threads\.net|youtube\.com|linkedin\.com/in|onlyfans\.com|reddit\.com/u(?:ser)?|"
    r"cash\.app|venmo\.com|paypal\.me|kik\.me|discord\.gg)/[\w@.%+\-/?=&]+"
)
_AT_HANDLE_RE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,29})(?<![.])")
_PLATFORM_RE = re.compile(
    rf"(?i)(?<![\w])(?:{_PLATFORMS})(?:\s+(?:id|handle|user(?:name)?|account|name|profile|"
    r"cuenta|usuario|compte|pseudo))?(?:\s*(?:is|es|est|:|=|-|@)\s*|\s+)"
    r"(?P<h>@?[A-Za-z0-9_][A-Za-z0-9_.\-]{1,29}[A-Za-z0-9_])"
)
_HANDLE_STOP = {
    "is",
    "es",
    "est",
    "the",
    "her",
    "his",
    "she",
    "he",
    "account",
    "cuenta",
    "compte",
    "and",
    "y",
    "et",
    "but",
    "with",
    "con",
    "avec",
    "to",
    "a",
    "à",
    "en",
    "on",
    "in",
    "de",
    "messages",
    "message",
    "mensajes",
    "dm",
    "dms",
    "chat",
    "video",
    "videos",
    "post",
    "posts",
    "story",
    "stories",
    "group",
    "grupo",
    "groupe",
    "app",
    "only",
    "too",
    "also",
}


_UNAMBIGUOUS = {
    "instagram",
    "insta",
    "tiktok",
    "snapchat",
    "telegram",
    "kik",
    "discord",
    "onlyfans",
    "whatsapp",
    "facebook",
    "twitter",
    "wechat",
    "viber",
    "tinder",
    "grindr",
}


def _handles(s: str) -> Iterator[Found]:
    """Social handles and profile links: @names, platform + id, profile URLs (t.me/…,
    wa.me/…, instagram.com/…)."""
    for m in _PROFILE_URL_RE.finditer(s):
        yield "handle", m.start(), m.end()
    if "@" in s:
        for m in _AT_HANDLE_RE.finditer(s):
            yield "handle", m.start(), m.end()
    for m in _PLATFORM_RE.finditer(s):
        h = m.group("h")
        bare = h.lstrip("@").lower()
        if bare in _HANDLE_STOP or bare.isdigit() and len(bare) < 5:
            continue
        # an ordinary word after a platform is not an id unless it looks like one (or the
        # platform's name is no ordinary word: "TikTok omarifr")
        platform = m.group(0).split()[0].lower().rstrip(":")
        looks_like_id = h.startswith("@") or re.search(r"[\d_.]", h) or platform in _UNAMBIGUOUS
        looks_like_id = looks_like_id or (
            m.group(0)[: m.start("h") - m.start()].rstrip().endswith((":", "=", "es", "is", "est"))
        )
        if looks_like_id:
            yield "handle", m.start(), m.end()
