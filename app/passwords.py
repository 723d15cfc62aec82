"""Password rules (NIST SP 800-63B): long, not common, not guessable from context, and
strong by an estimate of how many guesses an attacker needs (zxcvbn).

No composition rules (a digit, a capital...): they make passwords harder to remember, not
to guess. What helps is length and unpredictability, so every refusal says how to choose a
good one: a passphrase of several unrelated words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from flask import current_app, has_app_context
from zxcvbn import zxcvbn

MIN_PASSWORD = 12
MAX_PASSWORD = 128
MIN_SCORE = 3
"""zxcvbn's score 3: "safely unguessable", about 10^8 guesses or more."""
PRODUCT_NAME = "Referral Network Directory"
ADVICE = (
    "Choose a passphrase of four or more unrelated words, e.g. three random words and a "
    "place you remember (not a quotation, a song line or your name); a password manager "
    "can make and keep one for you."
)
_COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "seeds" / "common-passwords.txt"
_common_cache: set[str] | None = None


class WeakPassword(ValueError):
    """The password breaks a rule; the message says which, and how to choose a better one."""


def _common_passwords() -> set[str]:
    global _common_cache  # noqa: PLW0603
    if _common_cache is None:
        lines = _COMMON_PASSWORDS_FILE.read_text().splitlines()
        _common_cache = {line.strip().lower() for line in lines if line.strip()}
    return _common_cache


def _squash(text: str) -> str:
    """Lower case, letters and digits only: "Referral-Network" and "referral network" alike."""
    return re.sub(r"[\W_]+", "", text.casefold())


def context_words(email: str | None = None) -> list[str]:
    """Words an attacker tries first for this account: the e-mail, its local part and the
    words of the app's (and the facility's) name."""
    names = {PRODUCT_NAME}
    if has_app_context():
        names.add(current_app.config.get("FACILITY_NAME") or PRODUCT_NAME)
    words: list[str] = []
    for name in names:
        words.append(_squash(name))
        # "Referral", "Network", "Directory"; short words ("of", "St") say nothing
        words += [_squash(w) for w in name.split() if len(_squash(w)) >= 5]
    if email:
        email = email.strip().casefold()
        words.append(_squash(email))
        local = email.split("@", 1)[0]
        if len(_squash(local)) >= 3:
            words.append(_squash(local))
    return sorted({w for w in words if w})


PATTERN_WORDS = frozenset(
    """spring summer autumn fall winter
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    admin administrator root user guest login welcome letmein changeme qwerty test
    """.split()
)
"""Words attackers pair with a year or a few digits and symbols first: seasons, months,
weekdays and account words ("Summer2026!!", "Admin@123456")."""
_WORD_AND_FILLER = re.compile(r"[\W\d_]*([^\W\d_]+)[\W\d_]*")
"""One run of letters, with only digits and symbols around it."""


_NAME_SOURCES: list[Callable[[], list[str]]] = []
"""Callables returning names whose words a password must not be built on; the directory
registers its organizations' names (``register_names``): the shell imports no domain."""


def register_names(source: Callable[[], list[str]]) -> None:
    """Add a source of names (a callable returning strings), once."""
    if source not in _NAME_SOURCES:
        _NAME_SOURCES.append(source)


def organization_words() -> set[str]:
    """The words (4+ letters) of the facility's name and of every organization in the
    directory: "Lakeshore" of "Lakeshore Family Shelter". Empty outside an app."""
    if not has_app_context():
        return set()
    names = [current_app.config.get("FACILITY_NAME") or PRODUCT_NAME]
    for source in _NAME_SOURCES:
        names += source()
    return {w for name in names for w in re.findall(r"[^\W\d_]+", name.casefold()) if len(w) >= 4}


def _pattern(password: str) -> str | None:
    """What guessable pattern ``password`` is, or None: one season, month, weekday, account
    word or organization-name word with only digits and symbols around it."""
    match = _WORD_AND_FILLER.fullmatch(password)
    if match is None:
        return None
    word = match.group(1).casefold()
    if word in PATTERN_WORDS:
        return word
    if word in organization_words():
        return word
    return None


def check_password(password: str, email: str | None = None) -> None:
    """Raise ``WeakPassword`` unless ``password`` may be used for the account ``email``."""
    if len(password) > MAX_PASSWORD:
        raise WeakPassword(f"Password must be at most {MAX_PASSWORD} characters.")
    if not password.strip():
        raise WeakPassword(f"Password cannot be only spaces. {ADVICE}")
    if len(password) < MIN_PASSWORD:
        raise WeakPassword(f"Password must be at least {MIN_PASSWORD} characters. {ADVICE}")
    if password.lower() in _common_passwords():
        raise WeakPassword(f"That password is too common; choose another. {ADVICE}")
    if (word := _pattern(password)) is not None:
        raise WeakPassword(
            f'A word such as "{word}" (a season, month, account word or an organization\'s '
            f"name) with only digits or symbols around it is among the first guesses. {ADVICE}"
        )
    squashed = _squash(password)
    words = context_words(email)
    for word in words:
        if word and word in squashed:
            what = "your e-mail address" if email and word in _squash(email) else "this app's name"
            raise WeakPassword(f"Password must not contain {what}. {ADVICE}")
    result = zxcvbn(password, user_inputs=words)
    if result["score"] < MIN_SCORE:
        hint = (result.get("feedback") or {}).get("warning") or "It is too easy to guess."
        raise WeakPassword(f"That password is too easy to guess ({hint.rstrip('.')}). {ADVICE}")
