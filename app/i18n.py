"""The interface language: English, Spanish or French (Flask-Babel, gettext catalogues).

The reader's choice (the switch in the header sets the ``lang`` cookie) wins; else the
browser's ``Accept-Language`` among the languages the directory speaks; else English.
The locale (``en_GB``, ``fr_CA``, ...) keeps the browser's region when it speaks the chosen
language, so dates, numbers and distances follow it (``app.dates.user_locale``).

Catalogues live in ``translations/<lang>/LC_MESSAGES/messages.po``; the compiled ``.mo``
files are committed beside them (``scripts/translations.py`` extracts, updates and compiles;
a test fails when a ``.mo`` is older than its ``.po``). Partners' own text is never translated.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from flask import Blueprint, Flask, current_app, g, has_request_context, redirect, request
from flask_babel import Babel
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

LANGUAGES = ("en", "es", "fr")
LANGUAGE_NAMES = {"en": "English", "es": "Español", "fr": "Français"}
COOKIE = "lang"
DEFAULT_LOCALE = "en_US"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
MILES_TERRITORIES = {"US", "LR", "MM"}
"""Where distances are given in miles (en-US; ``en`` without a region is read as en-US);
everywhere else (es, fr, en-GB, ...) in kilometres. ``DISTANCE_UNIT`` (``km``/``mi``) overrides."""

babel = Babel()
bp = Blueprint("i18n", __name__)


def N_(text: str) -> str:  # noqa: N802 (gettext's own name for it)
    """Mark a text for the catalogues without translating it here: it is kept in English
    (the API, logs) and translated with ``gettext`` where a page shows it."""
    return text


def chosen_language() -> str | None:
    """The language the reader picked with the switch (the ``lang`` cookie), if any."""
    if has_request_context():
        value = request.cookies.get(COOKIE, "")
        if value in LANGUAGES:
            return value
    return None


def user_locale() -> str:
    """The reader's locale as Babel names it, for dates and numbers: the chosen language
    (with the browser's region when the browser asks for that language), else the first
    browser language Babel knows (a German browser reads German dates on English pages),
    else ``en_US``."""
    if not has_request_context():
        return DEFAULT_LOCALE
    chosen = chosen_language()
    for locale in _browser_locales():
        if chosen is None or locale.language == chosen:
            return str(locale)
    if chosen and chosen != "en":
        return chosen
    return DEFAULT_LOCALE


def ui_locale() -> str:
    """The locale pages are written in (Flask-Babel's selector): ``user_locale`` when the
    directory speaks its language, else the first browser language it speaks, else English.
    The JSON API always answers in English (its messages are for programs and their logs)."""
    if has_request_context() and request.path.startswith("/api/"):
        return DEFAULT_LOCALE
    locale = user_locale()
    if locale.split("_")[0] in LANGUAGES:
        return locale
    for browser in _browser_locales():
        if browser.language in LANGUAGES:
            return str(browser)
    return DEFAULT_LOCALE


def ui_language() -> str:
    """``en``, ``es`` or ``fr``: the language pages are written in."""
    return ui_locale().split("_")[0]


def _browser_locales() -> Iterator[Locale]:
    for tag, _quality in request.accept_languages:
        if tag == "*":
            continue
        try:
            yield Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue


def uses_miles(locale: str | None = None) -> bool:
    """Distances in miles (the directory setting ``DISTANCE_UNIT``, else by locale)."""
    unit = current_app.config.get("DISTANCE_UNIT") if current_app else None
    if unit in ("km", "mi"):
        return unit == "mi"
    parsed = Locale.parse(locale or user_locale())
    territory = parsed.territory or ("US" if parsed.language == "en" else None)
    return territory in MILES_TERRITORIES


LETTER_TERRITORIES = {"US"}
"""Where paper is US Letter (en-US, es-US; ``en`` without a region is read as en-US);
A4 everywhere else. ``PAPER_SIZE`` (``a4``/``letter``) overrides."""


def default_paper(locale: str | None = None) -> str:
    """``letter`` or ``a4``: the directory setting ``PAPER_SIZE``, else the reader's
    locale (Letter for en-US and es-US, A4 elsewhere: es, fr, en-GB, es-MX …)."""
    size = current_app.config.get("PAPER_SIZE") if current_app else None
    if size in ("a4", "letter"):
        return size
    parsed = Locale.parse(locale or user_locale())
    territory = parsed.territory or ("US" if parsed.language == "en" else None)
    return "letter" if territory in LETTER_TERRITORIES else "a4"


def format_distance(km: float | None, approximate: bool = False) -> str:
    """``3.2 km`` / ``3,2 km``; in miles, the kilometres beside them (the radius filter and
    the API count in km): ``2.0 mi (3.2 km)``. ``approximate``: whole units."""
    if km is None:
        return ""
    locale = user_locale()
    pattern = "#,##0" if approximate else "#,##0.0"
    shown = f"{format_decimal(km, format=pattern, locale=locale)}\u00a0km"
    if uses_miles(locale):
        miles = format_decimal(km / 1.609344, format=pattern, locale=locale)
        return f"{miles}\u00a0mi ({shown})"
    return shown


def number(value: float | Decimal | str | None, pattern: str | None = None) -> str:
    """A number in the reader's locale (``1,234.5`` / ``1 234,5``)."""
    if value is None:
        return ""
    return format_decimal(value, format=pattern, locale=user_locale())


ROLE_NAMES = {
    "admin": _l("admin"),
    "coordinator": _l("coordinator"),
    "case_manager": _l("case manager"),
    "viewer": _l("viewer"),
}


def role_name(role: str) -> str:
    return str(ROLE_NAMES.get(role, role.replace("_", " ")))


@bp.route("/language")
def switch_language() -> Response:
    """The header's switch: remember the language in a cookie, go back where the reader was."""
    from app.auth import safe_next

    response = redirect(safe_next(request.args.get("next")))
    lang = request.args.get("lang", "")
    if lang in LANGUAGES:
        response.set_cookie(
            COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
    return response


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    babel.init_app(app, locale_selector=ui_locale)

    @app.before_request
    def _own_locale() -> None:
        # Flask-Babel keeps the chosen locale on ``g``; a request inside an application
        # context that outlives it (a test's, a CLI's) must choose its own, not inherit the
        # previous request's language
        g.pop("_flask_babel", None)

    app.register_blueprint(bp)
    app.add_template_filter(number, "number")
    app.add_template_filter(format_distance, "distance")

    @app.context_processor
    def _languages() -> dict[str, object]:
        return {
            "ui_language": ui_language,
            "language_choices": LANGUAGE_NAMES,
            "role_name": role_name,
        }
