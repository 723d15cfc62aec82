"""Where someone lives: street addresses, units and post boxes, a bare "#5", and an
address told in words ("lives on Elm street", "habite rue de la Paix")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from directory.identifiers.recognisers import Found
from directory.identifiers.words import (
    STREET_WORDS,
    UNIT_WORDS,
)

_HOUSE_NO = r"\d{1,6}(?:[-/]?\d{1,4})?(?:\s?[A-Za-z](?![\w'])|\s?bis|\s?ter)?"
_ADDRESS_RES = [
    # 1234 N Main Street / 221B Baker Street / 12, rue de la Paix / 12 bis rue Victor Hugo
    re.compile(
        rf"(?<![\w])(?:{_HOUSE_NO}|\d{{1,6}}[A-Za-z])\s*,?\s+(?:[NSEW]\.?\s+|(?i:north|south|"
        rf"east|west)\s+)?(?:(?:[A-ZÀ-Þ0-9][\w'.-]*\s+){{1,3}}|[a-zà-ÿ][\w'-]*\s+)"
        rf"(?i:{STREET_WORDS})(?![\w])\.?",
    ),
    re.compile(
        rf"(?<![\w])\d{{1,6}}(?:[A-Za-z]|\s?bis|\s?ter)?\s*,?\s+(?i:{STREET_WORDS})\.?\s+"
        rf"(?:(?:de|del|de\s+la|des|du|la|le|les|d'|l')\s*)?[A-ZÀ-Þ0-9][\w'-]*"
        rf"(?:\s+[A-ZÀ-Þ][\w'-]+){{0,3}}",
    ),
    # calle Mayor 12, 3º B / Av. Reforma 222 / rue de la Paix 12
    re.compile(
        rf"(?<![\w])(?i:{STREET_WORDS})\.?\s+(?:(?:de|del|de\s+la|des|du|la|le|les|d')\s*)?"
        rf"(?:(?:[A-ZÀ-Þ0-9][\w'-]*|de|del|la|las|los|des|du|y)\s+){{0,4}}[A-ZÀ-Þ][\w'-]*,?\s+"
        rf"(?:(?i:n[ºo°]\.?|#)\s*)?"
        rf"\d{{1,5}}[A-Za-z]?(?:\s*,?\s*\d{{1,2}}\s?[º°ª]\s?[A-Za-z0-9]?)?(?![\w])",
    ),
    # 1234 N Sheridan, apt 5 (a number, a capitalised street name, then a unit)
    re.compile(
        rf"(?<![\w])\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'-]+\s*){{1,3}},?\s*"
        rf"(?i:{UNIT_WORDS})\.?\s*#?\s*\d{{1,5}}[A-Za-z]?(?![\w])",
    ),
    # Apt 4B / unit 12 / suite 300 / depto 5
    re.compile(rf"(?<![\w])(?i:{UNIT_WORDS})\.?\s*(?:#|n[ºo°]\.?)?\s*\d{{1,5}}[A-Za-z]?(?![\w])"),
    # 3º B, 2ºA (Spanish floor and door)
    re.compile(r"(?<![\w])\d{1,2}\s?[º°ª]\s?-?\s?[A-Za-z](?![\w])"),
    # P.O. Box 123 / apartado postal 45 / boîte postale 12
    re.compile(
        r"(?<![\w])(?i:p\.?\s?o\.?\s+box|po\s+box|apartado(?:\s+postal)?|boîte\s+postale|"
        r"boite\s+postale|bp|casilla)\s*#?\s*\d{1,6}(?![\w])"
    ),
    # lives at 45 Oak / vive en Juárez 45 / habite au 3 Victor Hugo
    re.compile(
        r"(?<![\w])(?i:lives?\s+at|living\s+at|staying\s+at|stays\s+at|moved\s+to|"
        r"address(?:\s+is|:)|home\s+is\s+at|vive\s+en|viviendo\s+en|se\s+queda\s+en|"
        r"dirección(?:\s+es|:)|direccion(?:\s+es|:)|domicilio(?:\s+es|:|\s+en)?|habite(?:\s+au|"
        r"\s+à|\s+a)?|adresse(?:\s+est|\s*:)|demeure\s+au)\s+(?:(?:the|la|le|el|au)\s+)?"
        r"(?:\d{1,6}[A-Za-z]?,?\s+[A-ZÀ-Þ][\w'-]+|[A-ZÀ-Þ][\w'-]+(?:\s+[A-ZÀ-Þ][\w'-]+)?"
        r",?\s+\d{1,6}[A-Za-z]?)(?![\w])"
    ),
]


# #5 (a unit or house number on its own) unless it numbers something ordinary
_HASH_NO_RE = re.compile(r"(?<![\w#])#\s?\d{1,5}[A-Za-z]?(?![\w])")
_HASH_ORDINARY = set(
    """
    room bus line form ward bed gate exit item step page rule stop ruta sala cama camión
    linea línea salle ligne étape table floor door case note ticket team group grupo groupe
    desk window booth van car site lane track level tier class clase classe number question
    seat dock bay phase route train platform tram metro no num
    """.split()
)


def _addresses(s: str) -> Iterator[Found]:
    for pattern in _ADDRESS_RES:
        for m in pattern.finditer(s):
            yield "address", m.start(), m.end()
    for m in _HASH_NO_RE.finditer(s):
        before = re.search(r"([\w']+)\W*$", s[max(0, m.start() - 30) : m.start()])
        after = re.match(r"\W*([\w']+)", s[m.end() : m.end() + 30])
        ordinary = (before and before.group(1).lower() in _HASH_ORDINARY) or (
            after and after.group(1).lower() in _HASH_ORDINARY
        )
        if not ordinary:
            yield "address", m.start(), m.end()


_RESIDE = (
    r"(?:lives?|living|lived|stays?|staying|stayed|sleeps?|sleeping|moved|moving|"
    r"(?:her|his|their|the\s+client'?s?)\s+(?:place|house|home|apartment|room|trailer)(?:\s+is)?|"
    r"vive|viven|vivía|viviendo|se\s+queda|se\s+quedaba|duerme|su\s+casa\s+(?:está|esta|queda)|"
    r"se\s+mudó|se\s+mudo|renta|habite|habitent|habitait|vit|vivent|loge|logée|logé|dort|"
    r"a\s+déménagé|demeure|réside|reside|resides)"
)
_STREET_NAME = (
    r"(?:(?:de\s+la|de\s+los|de\s+las|del|de|des|du|de\s+l'|d'|la|le|les|los|las|el)\s*)?"
    r"[A-ZÀ-Þ][\w'’-]*(?:\s+(?:de\s+la|del|de|des|du|y|et)?\s*[A-ZÀ-Þ][\w'’-]*){0,3}"
)
_PREP = r"(?:on|at|in|off|en|sur|au|à|a|dans|near|por)"
_STREET_PHRASE_RES = [
    # lives on/at a named street: vive en calle Hidalgo, habite au 12 rue X, stays at 4 Elm Ave
    re.compile(
        rf"(?i:(?<![\w]){_RESIDE})\s+(?i:{_PREP}\s+)?(?i:(?:the|a|la|el|le|une?)\s+)?"
        rf"(?:(?i:[\w'-]+\s+){{0,3}}(?i:house|casa|maison)\s+(?i:on|en|de\s+la|sur)\s+)?"
        rf"(?:\d{{1,5}}\s*,?\s+(?i:(?:de\s+la\s+)?)|(?i:(?:the\s+)?\d{{1,4}}\s+de\s+la\s+))?"
        rf"(?i:(?:{STREET_WORDS})\.?)\s+{_STREET_NAME}"
    ),
    # lives on Elm (an English "on" + a capitalised name is a street, "in Boston" is a town),
    # living at the yellow house on Elm Street
    re.compile(
        rf"(?i:(?<![\w]){_RESIDE})\s+(?:[\w'-]+\s+){{0,5}}?(?i:on|off)\s+(?i:the\s+)?"
        rf"{_STREET_NAME}"
        rf"(?:\s+(?i:(?:{STREET_WORDS})\.?)(?![\w]))?"
    ),
    # street word + name anywhere: rue de la Paix, calle Hidalgo, avenue Pasteur
    re.compile(
        rf"(?<![\w])(?i:rue|calle|avenida|avenue|boulevard|impasse|allée|chemin|callejón|"
        rf"carrera|calzada|privada|cerrada|pasaje|quai|passage)\.?\s+{_STREET_NAME}"
    ),
]


def _street_phrases(s: str) -> Iterator[Found]:
    """Where someone lives told in words: "lives on Elm street", "habite rue de la Paix",
    "vive en calle Hidalgo", "stays at 12 Maple Ave"."""
    for pattern in _STREET_PHRASE_RES:
        for m in pattern.finditer(s):
            yield "address", m.start(), m.end()
