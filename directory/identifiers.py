"""Finding client identifiers in free text, so notes and referrals stay de-identified.

A feedback note or a referral note may say what happened, never who it happened to. Before
saving, the text is scanned for names, phone numbers, e-mail addresses, dates (of birth),
street addresses and ID numbers; each finding is a span of the text as the user typed it,
shown to them to remove. The patterns err on the side of caution: a false alarm costs a
rewrite, a miss can endanger a client.

How: the text is first normalised into a copy that keeps, for every character, the span
of the original it came from:

- Unicode NFKC (full-width ``＠`` and digits, ligatures), format characters dropped
  (zero-width spaces and joiners, soft hyphens, direction marks), dashes and spaces unified,
  digits of other scripts made ASCII, combining accents composed;
- confusable letters of other scripts (Cyrillic ``М``, ``р``, Greek ``Ο``) made Latin;
- look-alike letters inside digit runs (``3l2-555-Ol23``) made digits;
- numbers spelled out in English, Spanish and French (``three one two``, ``cinco-cinco``,
  ``zéro six douze trente-quatre``) made digits when three or more run together, and
  spelled years (``nineteen eighty-five``, ``mil novecientos ochenta y cinco``) made years.

Then hand-written recognisers run on the copy: names after a title or a cue word (client,
patient, name, called, se llama, s'appelle, mother, hija...; en/es/fr) or a common first
name followed by a surname; phone-shaped digit runs whatever their validity (7-15 digits in
groups); e-mails including ``at``/``dot``/``arroba``/``[at]`` spellings; dates in numbers
and words, and anything after a birth cue (dob, fecha de nacimiento, née le...); street
addresses (number + street word, street word + name + number, unit numbers, ``221B``);
SSNs, A-numbers, passport-like codes, long digit runs and numbers after an ID cue word.

What it cannot do: a name with no title, no cue word and not in the first-name list,
written in lower case, cannot be told from ordinary words; a place or date described in
prose ("the house by the church", "the day after Easter") is not an identifier it knows.

Measured on ``tests/unit/identifier_corpus.py`` by ``benchmarks/identifiers.py``; the
figures, and those of Presidio's pattern recognisers on the same corpus, are in
``docs/security.md``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

LABELS = {
    "email": "an e-mail address",
    "name": "a person's name",
    "phone": "a phone number",
    "date": "a date (possibly a date of birth)",
    "address": "a street address",
    "id_number": "an ID number",
}
# when two findings start at the same place and are as long, the first kind here wins
PRIORITY = {"email": 0, "id_number": 1, "date": 2, "address": 3, "phone": 4, "name": 5}


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return LABELS[self.kind]


# ---------------------------------------------------------------------------------------
# Normalisation, with a map back to the original text
# ---------------------------------------------------------------------------------------

# Cyrillic and Greek letters that look like Latin ones (Unicode's confusables, the subset
# that matters for names, titles and codes)
_CONFUSABLE = dict(
    zip(
        "АВЕКМНОРСТХУІЈЅԁаеорсхуіјѕһԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧοιυνκρℓ",
        "ABEKMHOPCTXYIJSdaeopcxyijshqwABEZHIKMNOPTYXoiuvkpl",
        strict=True,
    )
)
# the same letters read by sound, for a second pass (Cyrillic "Мрs" is "Mrs" to a reader)
_TRANSLIT = dict(zip("рРсСуУнНвВиИлдгтмкпПρνη", "rRsSuUnNvVilldgtmkpPrnn", strict=True))
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2043"
_CHAR_MAP = {d: "-" for d in _DASHES}
_CHAR_MAP.update({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})
_CHAR_MAP.update({"º": "º", "ª": "ª"})  # NFKC would make them o, a
_CHAR_MAP.update({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u3000": " "})


def _char(ch: str) -> str:
    """What one non-ASCII character becomes in the normalised copy ('' drops it)."""
    if ch in _CHAR_MAP:
        return _CHAR_MAP[ch]
    if ch in _CONFUSABLE:
        return _CONFUSABLE[ch]
    cat = unicodedata.category(ch)
    if cat == "Cf" or "\ufe00" <= ch <= "\ufe0f":  # zero-width, bidi marks, selectors
        return ""
    if cat == "Nd":
        return str(unicodedata.decimal(ch))
    out = unicodedata.normalize("NFKC", ch)
    out = "".join(_CHAR_MAP.get(c) or _CONFUSABLE.get(c) or c for c in out)
    if cat == "Zs" or cat == "Cc":
        return " " if ch not in "\n\r\t" else ch
    return out


_char = lru_cache(maxsize=4096)(_char)


class _Norm:
    """A normalised copy of ``text``; ``starts[i]``/``ends[i]`` are the original span of
    normalised character ``i``."""

    def __init__(self, text: str, transliterate: bool = False):
        table = _TRANSLIT if transliterate else {}
        if text.isascii():
            self.s = text
            self.starts = list(range(len(text)))
            self.ends = list(range(1, len(text) + 1))
        else:
            out: list[str] = []
            starts: list[int] = []
            ends: list[int] = []
            for i, ch in enumerate(text):
                if ord(ch) < 128:
                    out.append(ch)
                    starts.append(i)
                    ends.append(i + 1)
                    continue
                if unicodedata.category(ch) == "Mn" and out:  # a combining accent
                    composed = unicodedata.normalize("NFC", out[-1] + ch)
                    if len(composed) == 1:
                        out[-1] = composed
                    ends[-1] = i + 1
                    continue
                for c in table.get(ch) or _char(ch):
                    out.append(c)
                    starts.append(i)
                    ends.append(i + 1)
            self.s = "".join(out)
            self.starts, self.ends = starts, ends
        self._lookalikes()
        self._spelled_numbers()

    def rewrite(self, edits: list[tuple[int, int, str]]) -> None:
        """Replace normalised spans ``[a, b)`` (sorted, disjoint) by new text; each new
        character maps to the whole original span of what it replaced."""
        if not edits:
            return
        s, starts, ends = self.s, self.starts, self.ends
        out, new_starts, new_ends, pos = [], [], [], 0
        for a, b, rep in edits:
            out.append(s[pos:a])
            new_starts.extend(starts[pos:a])
            new_ends.extend(ends[pos:a])
            out.append(rep)
            new_starts.extend([starts[a]] * len(rep))
            new_ends.extend([ends[b - 1]] * len(rep))
            pos = b
        out.append(s[pos:])
        new_starts.extend(starts[pos:])
        new_ends.extend(ends[pos:])
        self.s, self.starts, self.ends = "".join(out), new_starts, new_ends

    def span(self, a: int, b: int) -> tuple[int, int]:
        return self.starts[a], self.ends[b - 1]

    def _lookalikes(self) -> None:
        """O, o, I, l, | inside a run of digits are digits (``3l2-555-Ol23``)."""
        edits = []
        for m in _ALNUM_RUN.finditer(self.s):
            tok = m.group(0)
            if _LOOKALIKE_TOKEN.fullmatch(tok) and any(c.isdigit() for c in tok):
                edits.append((m.start(), m.end(), tok.translate(_LOOKALIKE_TABLE)))
        self.rewrite([e for e in edits if e[2] != self.s[e[0] : e[1]]])

    def _spelled_numbers(self) -> None:
        """Runs of three or more numbers at least one of which is spelled out, giving five
        digits or more, become digits; so do spelled years."""
        if not _HAS_NUMBER_WORD.search(self.s):
            return
        edits: list[tuple[int, int, str]] = []
        for m in _NUMBER_RUN.finditer(self.s):
            tokens = list(_NUMBER_TOKEN.finditer(m.group(0)))
            words = [t for t in tokens if not t.group(0).isdigit()]
            values = [_number_value(t.group(0)) for t in tokens]
            if not words:
                continue
            digits = "".join(values)
            year = _spelled_year(tokens, values)
            if year is None and (len(tokens) < 3 or len(digits) < 5):
                continue
            base = m.start()
            if year is not None and len(tokens) == 2:
                edits.append((base + tokens[0].start(), base + tokens[1].end(), year))
                continue
            for k, t in enumerate(tokens):
                edits.append((base + t.start(), base + t.end(), values[k]))
                if k + 1 < len(tokens):
                    nxt = tokens[k + 1]
                    both_words = not t.group(0).isdigit() and not nxt.group(0).isdigit()
                    if both_words and nxt.start() > t.end():
                        sep = m.group(0)[t.end() : nxt.start()]
                        edits.append(
                            (
                                base + t.end(),
                                base + nxt.start(),
                                "-" if re.search("[,.;]", sep) else "",
                            )
                        )
        self.rewrite(sorted(edits))


_ALNUM_RUN = re.compile(r"[A-Za-z0-9|З]+")
_LOOKALIKE_TOKEN = re.compile(r"[0-9OoIl|З]+")
_LOOKALIKE_TABLE = str.maketrans("OoIl|З", "001113")

_UNITS = {
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    "es": ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"],
    "fr": ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"],
}


def _number_words() -> dict[str, int]:
    words: dict[str, int] = {}
    for lang in _UNITS.values():
        for v, w in enumerate(lang):
            words[w] = v
    words.update({"oh": 0, "zero": 0, "zéro": 0, "una": 1, "une": 1})
    en_teens = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
    es_teens = "diez once doce trece catorce quince dieciséis diecisiete dieciocho diecinueve"
    fr_teens = "dix onze douze treize quatorze quinze seize dix-sept dix-huit dix-neuf"
    for teens in (en_teens, es_teens, fr_teens):
        for v, w in enumerate(teens.split(), start=10):
            words[w] = v
    words["dieciseis"] = 16
    en_tens = "twenty thirty forty fifty sixty seventy eighty ninety".split()
    for t, w in enumerate(en_tens, start=2):
        words[w] = t * 10
        for u in range(1, 10):
            words[f"{w}-{_UNITS['en'][u]}"] = t * 10 + u
            words[f"{w} {_UNITS['en'][u]}"] = t * 10 + u
    es_tens = "veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa".split()
    for t, w in enumerate(es_tens, start=2):
        words[w] = t * 10
        for u in range(1, 10):
            if t == 2:
                unit = {"dos": "dós", "tres": "trés", "seis": "séis"}.get(_UNITS["es"][u])
                words["veinti" + _UNITS["es"][u]] = 20 + u
                if unit:
                    words["veinti" + unit] = 20 + u
            else:
                words[f"{w} y {_UNITS['es'][u]}"] = t * 10 + u
    fr_tens = ["vingt", "trente", "quarante", "cinquante", "soixante"]
    for t, w in enumerate(fr_tens, start=2):
        words[w] = t * 10
        for u in range(1, 10):
            unit = _UNITS["fr"][u]
            if u == 1:
                words[f"{w} et un"] = words[f"{w}-et-un"] = t * 10 + 1
            else:
                words[f"{w}-{unit}"] = words[f"{w} {unit}"] = t * 10 + u
    fr_teen_words = fr_teens.split()
    for u, teen in enumerate(fr_teen_words):  # 70-79 and 90-99
        words[f"soixante-{teen}"] = words[f"soixante {teen}"] = 70 + u
        words[f"quatre-vingt-{teen}"] = words[f"quatre-vingts {teen}"] = 90 + u
    words["soixante et onze"] = words["soixante-et-onze"] = 71
    words["quatre-vingts"] = words["quatre-vingt"] = 80
    for u in range(1, 10):
        words[f"quatre-vingt-{_UNITS['fr'][u]}"] = 80 + u
    return words


_NUMBER_WORDS = _number_words()


def _trie(words) -> str:
    """One regex alternation for ``words``, as a trie (Python's re tries alternatives one by
    one; a trie makes a long word list cost about one word). A space in a word matches any
    run of spaces, a hyphen a hyphen or a space."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def tok(ch: str) -> str:
        return {" ": r"\s+", "-": r"[\s-]"}.get(ch) or re.escape(ch)

    def build(node: dict) -> str:
        alts = [tok(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return "(?:" + build(root) + ")"


# years: a prefix word group followed by a number 0-99 (or nothing: "dos mil")
_YEAR_PREFIXES = {
    "nineteen": "19",
    "mil novecientos": "19",
    "mil neuf cent": "19",
    "mille neuf cent": "19",
    "mil neuf cents": "19",
    "mille neuf cents": "19",
    "dix-neuf cent": "19",
    "two thousand and": "20",
    "two thousand": "20",
    "dos mil": "20",
    "deux mille": "20",
}
_NUMBER_WORDS_ALT = _trie(set(_NUMBER_WORDS) | set(_YEAR_PREFIXES))
_NUMBER_TOKEN = re.compile(rf"(?<![\w])(?:{_NUMBER_WORDS_ALT}|\d+)(?![\w])", re.I)
_HAS_NUMBER_WORD = re.compile(rf"(?<![\w])(?:{_NUMBER_WORDS_ALT})(?![\w])", re.I)
_NUMBER_SEP = r"(?:[ \t]*[-.,/][ \t]*|[ \t]+)"
_NUMBER_RUN = re.compile(
    rf"(?<![\w])(?:{_NUMBER_WORDS_ALT}|\d+)(?:{_NUMBER_SEP}(?:{_NUMBER_WORDS_ALT}|\d+)(?![\w]))+",
    re.I,
)


def _canon(word: str) -> str:
    return re.sub(r"[\s-]+", lambda m: "-" if "-" in m.group(0) else " ", word.lower())


def _number_value(tok: str) -> str:
    if tok.isdigit():
        return tok
    w = _canon(tok)
    if w in _YEAR_PREFIXES:
        return _YEAR_PREFIXES[w]
    for key in (w, w.replace("-", " "), w.replace(" ", "-")):
        if key in _NUMBER_WORDS:
            v = _NUMBER_WORDS[key]
            return str(v)
    return ""


def _spelled_year(tokens: list[re.Match], values: list[str]) -> str | None:
    """``nineteen eighty-five`` / ``dos mil uno`` as 1985 / 2001 when that is all there is."""
    if len(tokens) != 2:
        return None
    first = _canon(tokens[0].group(0))
    second = tokens[1].group(0)
    if (first in _YEAR_PREFIXES or first == "twenty") and not second.isdigit():
        v = int(values[1] or 0)
        prefix = _YEAR_PREFIXES.get(first, "20")
        if 0 <= v <= 99:
            return prefix + f"{v:02d}"
    return None


# ---------------------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------------------

MONTH_NAMES = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre "
    "noviembre diciembre ene "
    "janvier février fevrier mars avril mai juin juillet août aout septembre octobre "
    "novembre décembre decembre janv févr fevr avr juil déc"
).split()
MONTHS = _trie(set(MONTH_NAMES)) + r"\.?"
WEEKDAYS = (
    "monday tuesday wednesday thursday friday saturday sunday lunes martes miércoles "
    "miercoles jueves viernes sábado sabado domingo lundi mardi mercredi jeudi vendredi "
    "samedi dimanche"
).split()
# capitalised words that follow a cue word without being a name
STOP_WORDS = (
    set(
        """
    the a an this that these those he she they we i it you his her hers their our my me us
    them him was were is are be been being has had have said says say told asked did does do
    will would could should can may might must shall and but or nor not no yes so who whom
    whose which what when where why how if then than also after before during today tonight
    yesterday tomorrow here there in on at for from with without to of by as into onto about
    again all any each every some none both either neither more most much many very just
    only still already never always often sometimes now soon later first last next other
    another same such own one two three staff team nurse doctor interpreter advocate
    shelter clinic hospital office center centre network program programme coordinator case
    manager feedback referral consent note notes form forms care portal survey room bus
    intake services service unknown withheld redacted anonymous anon n/a na none given
    declined private confidential number phone email address date age info information
    called named name names client clients patient patients family mother father son
    daughter husband wife brother sister child children kids kid baby friend friends
    partner boyfriend girlfriend
    el la los las un una unos unas ella él ellos ellas su sus es era fue está estaba
    estaban dijo dice que y pero sí con sin en de del al por para hoy ayer mañana muy
    también ya nunca siempre aquí allí lo le les se mi tu nuestra nuestro otra otro
    cliente clientes paciente pacientes madre padre hijo hija esposo esposa hermano hermana
    nombre desconocido desconocida anónimo anónima reservado
    le les une il ils elles son sa ses est était a avait dit qui et mais ne pas oui non
    avec sans du des au aux pour par aujourd'hui hier demain très aussi déjà jamais
    toujours ici là leur leurs nous vous elle je on cette ce ces mère père fils fille
    mari femme frère sœur soeur nom inconnu inconnue anonyme patiente
    """.split()
    )
    | set(MONTH_NAMES)
    | set(WEEKDAYS)
    | set(
        # languages and nationalities ("client Spanish-speaking"), and titles themselves
        """
    english spanish french portuguese arabic tigrinya amharic somali swahili haitian creole
    kreyol mandarin cantonese chinese vietnamese korean japanese tagalog filipino russian
    ukrainian romanian polish hindi urdu bengali nepali punjabi farsi dari pashto turkish
    kurdish quechua mam k'iche' mixteco zapoteco nahuatl indigenous american mexican
    guatemalan honduran salvadoran eritrean ethiopian nigerian ghanaian español española
    inglés francés francesa anglais espagnol espagnole arabe
    mr mrs ms miss dr sr sra srta mme mlle señor señora señorita monsieur madame
    mademoiselle don doña
    """.split()
    )
)
# words that make a capitalised phrase a place or organisation, not a person
INSTITUTION_WORDS = set(
    """
    network clinic clinics center centre centers shelter shelters house hospital hospitals
    foundation school schools library park parks street st avenue ave road church services
    service program programme project coalition alliance office offices department dept
    university college institute association society society's fund trust hotline line
    health medical legal aid community county city state federal mission ministries
    ministry home homes hall court station pharmacy bank market store mall café cafe
    restaurant bakery hotel motel inn airport terminal
    clínica clinica centro casa hospital fundación fundacion escuela iglesia red programa
    asociación asociacion oficina albergue refugio servicios calle avenida parque
    clinique centre maison hôpital hopital fondation école ecole église eglise réseau
    reseau programme association bureau foyer services rue avenue parc
    """.split()
)
# common first names (en/es/fr, and frequent among clients of these networks); a listed
# first name followed by a capitalised word is taken for a full name without any cue
FIRST_NAMES = set(
    """
    maria maría ana rosa carmen josefa isabel laura lucia lucía sofia sofía elena marta
    paula sara andrea daniela gabriela valeria camila juana guadalupe lupe veronica
    verónica patricia alejandra fernanda mariana claudia adriana beatriz teresa julia
    silvia monica mónica yesenia esperanza dolores pilar rocio rocío luz flor marisol
    jose josé juan luis carlos jorge miguel pedro manuel antonio francisco javier
    alejandro ricardo roberto fernando eduardo sergio rafael raul raúl diego pablo andres
    andrés mateo santiago hector héctor jesus jesús oscar óscar alberto arturo enrique
    marie jeanne sophie camille chloé chloe léa lea manon julie céline celine isabelle
    nathalie sandrine amélie amelie aurélie aurelie fatou aminata awa mariam fatima fatma
    aïcha aicha khadija amina nadia leila samira yasmine
    jean pierre michel philippe nicolas françois francois thomas julien mathieu antoine
    mamadou moussa ibrahim mohamed mohammed ahmed ali omar youssef hassan karim abdoulaye
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa
    betty margaret sandra ashley kimberly emily donna michelle dorothy carol amanda
    melissa deborah stephanie rebecca sharon cynthia kathleen amy angela shirley anna
    brenda pamela emma nicole helen samantha katherine christine debra rachel catherine
    carolyn janet maria heather diane ruth julie olivia joyce virginia victoria kelly
    lauren christina joan evelyn judith megan cheryl andrea hannah martha jacqueline
    frances gloria ann teresa kathryn sara janice jean alice madison doris abigail julia
    judy grace denise amber marilyn beverly danielle theresa sophia marie diana brittany
    natalie isabella charlotte rose alexis kayla tiffany jasmine destiny
    james john robert michael william david richard joseph thomas charles christopher
    daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian
    george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan
    stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick
    raymond jack dennis jerry tyler aaron henry adam douglas nathan peter zachary kyle
    walter harold jeremy ethan carl keith roger gerald christian terry sean arthur
    austin noah lawrence jesse joe bryan billy jordan albert dylan bruce willie gabriel
    alan juan logan wayne ralph roy eugene randy vincent russell louis philip bobby
    johnny bradley
    tesfay tesfaye abeba almaz selam mulu hiwot genet tigist meron yonas dawit bereket
    natasha olga irina svetlana tatiana oksana elena anastasia yulia ekaterina
    nguyen thi mai lan linh hoa huong
    """.split()
)

_STREET_EN = (
    "street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|"
    "terrace|ter|parkway|pkwy|highway|hwy|circle|cir|square|sq|crescent|cres|alley|row|"
    "trail|trl|plaza|loop|pike|expressway|close|gardens|grove|mews"
)
_STREET_ES = (
    "calle|c/|avenida|avda|av|paseo|plaza|pza|carrera|cra|calzada|calz|colonia|col|camino|"
    "callejón|callejon|carretera|ctra|ronda|glorieta|travesía|travesia|bulevar|privada|"
    "andador|cerrada|pasaje"
)
_STREET_FR = (
    "rue|avenue|av|boulevard|bd|bvd|chemin|ch|allée|allee|impasse|place|quai|route|"
    "cours|passage|square|villa|cité|cite|faubourg|fbg|rte|voie|sentier|montée|montee"
)
STREET_WORDS = f"(?:{_STREET_EN}|{_STREET_ES}|{_STREET_FR})"
UNIT_WORDS = (
    r"(?:apt|apts|apartment|appt|appart|appartement|unit|suite|ste|flat|fl|room(?=\s*#)|"
    r"depto|dpto|departamento|dept(?=\s*\d)|interior|int|bâtiment|batiment|bât|bat|"
    r"escalier|esc|puerta|pta|piso(?=\s*\d+\s*º)|porte|lot|manzana|mz|lote)"
)
NAME_WORD = r"[A-ZÀ-ÖØ-Þ](?:[a-zà-öø-ÿA-ZÀ-ÖØ-Þ'\-]*[a-zà-öø-ÿA-ZÀ-ÖØ-Þ])?\.?"
LOWER_WORD = r"[a-zà-öø-ÿ][a-zà-öø-ÿ'\-]+"

# ---------------------------------------------------------------------------------------
# Recognisers: each yields (kind, start, end) on the normalised copy
# ---------------------------------------------------------------------------------------

_TITLES = (
    r"mr|mrs|ms|miss|mx|mister|missus|dr|sr|sra|srta|sres|don|doña|dona|mme|mlle|mmes|m|"
    r"señor|senor|señora|senora|señorita|senorita|madame|monsieur|mademoiselle|madam|"
    r"lic|licenciada|licenciado|profe|prof"
)
_TITLE_RE = re.compile(
    rf"(?<![\w'])(?i:{_TITLES})(?:\.|(?=\s))\s*(?P<name>{NAME_WORD}(?:\s+{NAME_WORD})?)"
)
# short written titles followed by a lower-case surname ("mrs lopez")
_TITLE_LOWER_RE = re.compile(
    r"(?<![\w'])(?i:mr|mrs|ms|sra|srta|mme|mlle)\.?\s+(?P<name>[a-zà-öø-ÿ][a-zà-öø-ÿ'\-]+)"
)
# cue words after which a capitalised word is taken for a name (a space stands for any)
_CUE_WORDS = _trie(
    w.replace("_", " ")
    for w in """
    client clients client's patient patient's customer survivor victim resident participant
    youth minor guest called named goes_by known_as aka a.k.a a.k.a. alias nicknamed mother
    mom mum daughter son husband wife brother sister father dad boyfriend girlfriend fiancé
    fiancée partner child baby cousin aunt uncle niece nephew grandmother grandfather
    stepdaughter stepson roommate employer trafficker pimp friend cliente clienta paciente
    usuaria usuario sobreviviente víctima victima llamada llamado se_llama se_llamaba
    me_llamo conocida_como conocido_como apodo apodada madre mamá mama hija hijo esposo
    esposa marido hermana hermano padre papá papa novio novia prima primo tía tia tío tio
    abuela abuelo sobrina sobrino cliente patiente bénéficiaire beneficiaire usagère usager
    s'appelle s'appelait appelée appelé appelee appele nommée nommé nommee nomme surnommée
    surnommé dite mère mere fille fils mari femme frère frere sœur soeur père pere copain
    copine cousine cousin tante oncle name names full_name first_name last_name surname
    family_name maiden_name nombre nombres apellido apellidos nombre_completo nom prénom
    prenom nom_de_famille
    """.split()
)
_CUE_JOIN = r"(?:\s*[:=\-–,]\s*|\s+(?:is|was|es|era|est|était|etait|:)\s+|\s+)"
_CUE_RE = re.compile(
    rf"(?<![\w'])(?i:{_CUE_WORDS})(?:'s)?{_CUE_JOIN}(?P<name>{NAME_WORD}(?:\s+{NAME_WORD})?)"
)
# cues strong enough that a lower-case word after them is a name ("se llama ana")
_STRONG_CUE_RE = re.compile(
    r"(?<![\w'])(?i:(?:(?:her|his|their|my|client'?s?|patient'?s?|the)\s+)?"
    r"(?:first\s+|last\s+|full\s+)?name\s*(?:is|was|:)|named|goes\s+by|known\s+as|"
    r"se\s+llama|se\s+llamaba|me\s+llamo|su\s+nombre\s+es|nombre\s*:|llamada|llamado|"
    r"s'appelle|s'appelait|je\s+m'appelle|son\s+nom\s+est|nom\s*:|prénom\s*:|appelée|"
    r"nommée|prenom\s*:)\s*(?P<name>[a-zà-öø-ÿ][a-zà-öø-ÿ'\-]+(?:\s+[a-zà-öø-ÿ][a-zà-öø-ÿ'\-]+)?)"
)
_FIRST_LAST_RE = re.compile(rf"(?<![\w'])(?P<first>{NAME_WORD})\s+(?P<last>{NAME_WORD})")
_INITIALS_RE = re.compile(r"(?<![\w.])(?:[A-Z]\.\s?){2,3}(?=\s|$|,)")


def _trim_name(s: str, start: int, end: int) -> tuple[int, int] | None:
    """The part of a candidate name that is a name: stop at a stop word or an institution
    word (``called Lakeshore Freedom Network`` is a place)."""
    words = list(re.finditer(r"\S+", s[start:end]))
    keep: list[re.Match] = []
    for w in words:
        low = w.group(0).lower().rstrip(".,'")
        if low in STOP_WORDS or low.split("-")[0] in STOP_WORDS:
            break
        keep.append(w)
    if not keep:
        return None
    # an institution word right after, or inside, makes it a place
    after = re.match(r"\s+([\w'-]+)", s[start + keep[-1].end() :])
    if after and after.group(1).lower() in INSTITUTION_WORDS:
        return None
    if any(w.group(0).lower().rstrip(".,") in INSTITUTION_WORDS for w in keep):
        return None
    return start + keep[0].start(), start + keep[-1].end()


def _names(s: str):
    for m in _TITLE_RE.finditer(s):
        span = _trim_name(s, m.start("name"), m.end("name"))
        title = m.group(0).split(None, 1)[0].rstrip(".").lower()
        if span and not (title == "m" and not m.group(0).startswith("M.")):
            yield "name", m.start(), span[1]
    for m in _TITLE_LOWER_RE.finditer(s):
        if m.group("name").lower() not in STOP_WORDS:
            yield "name", m.start(), m.end()
    for m in _CUE_RE.finditer(s):
        span = _trim_name(s, m.start("name"), m.end("name"))
        if span:
            yield "name", span[0], span[1]
    for m in _STRONG_CUE_RE.finditer(s):
        first = m.group("name").split()[0]
        if first.lower() not in STOP_WORDS:
            yield "name", m.start(), m.end("name")
    for m in _FIRST_LAST_RE.finditer(s):
        first = m.group("first").lower().rstrip(".")
        if first in FIRST_NAMES and m.group("last").lower() not in STOP_WORDS:
            span = _trim_name(s, m.start(), m.end())
            before = s[max(0, m.start() - 4) : m.start()].lower()
            if span and span[1] > m.end("first") and not re.search(r"\b(the|la|le|el)\s$", before):
                yield "name", span[0], span[1]


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


def _emails(s: str):
    for m in _EMAIL_RE.finditer(s):
        yield "email", m.start(), m.end()
    if "@" in s:
        for m in _SPACED_EMAIL_RE.finditer(s):
            yield "email", m.start(), m.end()
    if "@" in s or re.search(r"(?i)\b(?:at|arroba|arobase)\b", s):
        for m in _OBFUSCATED_EMAIL_RE.finditer(s):
            local = m.group("local").lower()
            if local in _LOCAL_STOP and "." not in m.group("domain"):
                continue
            if local in _LOCAL_STOP or m.group("tld").lower() in {"m", "pm", "am"}:
                continue
            yield "email", m.start(), m.end()
        for m in _EMAIL_PROVIDERS.finditer(s):
            if m.group("local").lower() not in _LOCAL_STOP:
                yield "email", m.start(), m.end()


# phones: 7 to 15 digits in groups of 1-4 (after normalisation), whatever their validity
_PHONE_SEP = r"(?:[ \t]?[-.][ \t]?|[ \t]{1,2}|[ \t]?/[ \t]?(?=\d{3,}))"
_PHONE_RE = re.compile(
    r"(?<![\w+./-])(?:(?:\+|00)\s?\d{1,3}[ \t.-]?)?(?:\(\s?\d{1,4}\s?\)[ \t.-]?)?"
    rf"\d{{1,15}}(?:{_PHONE_SEP}\(?\d{{1,5}}\)?){{0,14}}(?![\w/]|[.,-]\d)"
)
_YEAR = r"(?:19|20)\d\d"


def _phones(s: str):
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
        yield "phone", m.start(), m.end()


def _plausible_date_digits(d: str) -> bool:
    """``d`` (8 digits) reads as yyyymmdd, ddmmyyyy or mmddyyyy."""
    y1, m1, d1 = int(d[:4]), int(d[4:6]), int(d[6:])
    if 1900 <= y1 <= 2099 and 1 <= m1 <= 12 and 1 <= d1 <= 31:
        return True
    a, b, y2 = int(d[:2]), int(d[2:4]), int(d[4:])
    return 1900 <= y2 <= 2099 and (
        (1 <= a <= 31 and 1 <= b <= 12) or (1 <= a <= 12 and 1 <= b <= 31)
    )


def _spelled_days() -> str:
    ords = (
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth "
        "twentieth thirtieth"
    ).split()
    words = set(ords)
    for o in ords[:9]:
        words |= {f"twenty-{o}", f"twenty {o}"}
    words |= {"thirty-first", "thirty first", "primero", "premier", "1er", "1ero"}
    words |= {w for w, v in _NUMBER_WORDS.items() if 1 <= v <= 31 and w not in {"oh"}}
    return _trie(words)


_DAY = rf"(?:\d{{1,2}}(?:st|nd|rd|th|º|°|er|e|ème|o|a)?|{_spelled_days()})(?![A-Za-z])"
_YEAR_ANY = r"(?:(?:19|20)\d\d|'\d\d|’\d\d)"
_DATE_RES = [
    # numeric: d/m/y, m/d/y, y-m-d, with / . - or spaced separators
    re.compile(
        r"(?<![\w/.-])(?:0?[1-9]|[12]\d|3[01])\s?([/.-])\s?(?:0?[1-9]|[12]\d|3[01])\s?\1\s?"
        r"(?:\d{4}|\d{2})(?![\w/]|[.-]\d)"
    ),
    re.compile(
        r"(?<![\w/.-])(?:19|20)\d\d\s?([/.-])\s?(?:0?[1-9]|1[0-2])\s?\1\s?"
        r"(?:0?[1-9]|[12]\d|3[01])(?![\w/]|[.-]\d)"
    ),
    re.compile(r"(?<![\w/.-])(?:0?[1-9]|[12]\d|3[01]) (?:0?[1-9]|1[0-2]) (?:19|20)\d\d(?!\w)"),
    # month name: March 4(th), 1985 / March the 4th 1985 / marzo 4 de 1985
    re.compile(
        rf"(?<![\w])(?i:{MONTHS})\s*(?i:the\s+)?{_DAY}(?i:,?\s*(?:de\s+|of\s+|del\s+)?)"
        rf"{_YEAR_ANY}(?!\w)",
        re.I,
    ),
    # 4 March 1985 / 4th of March, 1985 / 4 de marzo de 1985 / le 3 mars 2001
    re.compile(
        rf"(?<![\w])(?:the\s+)?{_DAY}\s*(?:of\s+|de\s+|-|/)?{MONTHS}(?:,?\s*(?:de\s+|del\s+|-|/)?)"
        rf"{_YEAR_ANY}(?!\w)",
        re.I,
    ),
]
_BIRTH_CUE = (
    r"(?:d\.?\s?o\.?\s?b\.?|dob|date\s+of\s+birth|birth\s?date|birthday|b-?day|born(?:\s+on)?|"
    r"fecha\s+de\s+nacimiento|f\.?\s?nac\.?|fdn|nacid[oa](?:\s+el)?|naci[óo](?:\s+el)?|"
    r"cumpleaños|cumple|date\s+de\s+naissance|ddn|(?:née|né|nee)(?:\s+le)?|anniversaire)"
)
_BIRTH_RE = re.compile(
    rf"(?<![\w])(?i:{_BIRTH_CUE})(?![\w])"
    r"(?:\s*(?:is|was|es|est|:|=|-|on|el|le|in|en)(?![\w])\s*)*\s*"
    rf"(?P<what>(?:[\d'’][\d/.\- ]*\d*|(?i:{MONTHS})|(?i:{_DAY}))"
    r"(?:[\s,./-]+(?:de\s+|of\s+|del\s+)?"
    rf"(?:\d+|(?i:{MONTHS})|(?i:{_DAY})|'\d\d)){{0,3}})"
)


def _dates(s: str):
    for pattern in _DATE_RES:
        for m in pattern.finditer(s):
            yield "date", m.start(), m.end()
    for m in _BIRTH_RE.finditer(s):
        what = m.group("what").strip(" ,./-")
        if what:
            yield "date", m.start(), m.start("what") + len(m.group("what").rstrip(" ,./-"))


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


def _addresses(s: str):
    for pattern in _ADDRESS_RES:
        for m in pattern.finditer(s):
            yield "address", m.start(), m.end()
    for m in _HASH_NO_RE.finditer(s):
        before = re.search(r"([\w']+)\W*$", s[max(0, m.start() - 30) : m.start()])
        if not (before and before.group(1).lower() in _HASH_ORDINARY):
            yield "address", m.start(), m.end()


_ID_RES = [
    # SSN, also spaced or dotted
    re.compile(r"(?<![\w.-])\d{3}([- .])\d{2}\1\d{4}(?![\w]|[.-]\d)"),
    # A-number: A + 8 or 9 digits, possibly grouped
    re.compile(r"(?<![\w])[Aa][- ]?\d{2,3}[- ]?\d{3}[- ]?\d{3}(?![\w])"),
    # passport-like and national ID codes: 1-3 letters + 6-9 digits (+ optional letter)
    re.compile(r"(?<![\w])[A-Z]{1,3}-?\d{6,9}[A-Z]?(?![\w])"),
    # Spanish DNI / NIE
    re.compile(r"(?<![\w])(?:[XYZ]-?)?\d{7,8}-?[A-Z](?![\w])"),
    # Mexican CURP
    re.compile(r"(?<![\w])[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z0-9]\d(?![\w])"),
    # anything after an ID cue word that holds 4+ digits
    re.compile(
        r"(?<![\w])(?i:ssn|social\s+security(?:\s+(?:number|no\.?|#))?|s\.s\.n\.?|itin|"
        r"a-?number|a-?\s?#|alien\s+(?:registration\s+)?(?:number|no\.?|#)|uscis(?:\s+#|\s+number)?|"
        r"passport(?:\s+(?:number|no\.?|#))?|pasaporte|passeport|"
        r"(?:driver'?s?\s+)?licen[cs]e(?:\s+(?:number|no\.?|#))?|licencia|permis|"
        r"id\s*(?:number|no\.?|#)?|i\.d\.|dni|nie|nif|curp|rfc|ine|nss|nir|"
        r"(?:numéro|numero|número|n[º°o])\s+(?:de\s+)?(?:sécurité\s+sociale|securite\s+sociale|"
        r"seguro\s+social|pasaporte|passeport|identidad|identité|identite|documento)|"
        r"seguro\s+social|sécurité\s+sociale|securite\s+sociale|carte\s+de\s+séjour|"
        r"titre\s+de\s+séjour|green\s+card|visa|i-94|ead|matr[íi]cula(?:\s+consular)?|"
        r"cédula|cedula|folio|expediente|medicaid|medicare|mrn|medical\s+record(?:\s+number)?)"
        r"(?:\s*(?:number|no\.?|#|is|es|est|:|=|-|n[º°o]\.?)(?![\w])\s*)*\s*"
        r"(?P<val>[A-Za-z0-9][A-Za-z0-9 ./-]{2,24}[A-Za-z0-9])"
    ),
]


def _id_numbers(s: str):
    for pattern in _ID_RES[:-1]:
        for m in pattern.finditer(s):
            yield "id_number", m.start(), m.end()
    for m in _ID_RES[-1].finditer(s):
        val = m.group("val")
        # the code itself: stop at the first space-separated word that holds no digit
        parts, end = [], m.start("val")
        for part in re.finditer(r"\S+", val):
            if not re.search(r"\d", part.group(0)) and parts:
                break
            parts.append(part)
            end = m.start("val") + part.end()
        code = s[m.start("val") : end]
        if len(re.sub(r"\D", "", code)) >= 4:
            yield "id_number", m.start(), end


_RECOGNISERS = (_emails, _id_numbers, _dates, _addresses, _phones, _names)


def find(text: str) -> list[Finding]:
    """Every identifier-like span in ``text``, in order, overlaps merged. Spans are
    offsets into ``text`` as given, though matching runs on a normalised copy."""
    if not text:
        return []
    norm = _Norm(text)
    s = norm.s
    raw: list[tuple[int, int, int, str]] = []
    for recogniser in _RECOGNISERS:
        for kind, a, b in recogniser(s):
            if b > a:
                start, end = norm.span(a, b)
                raw.append((start, -end, PRIORITY[kind], kind))
    if not text.isascii() and any(ch in _TRANSLIT for ch in text):
        alt = _Norm(text, transliterate=True)
        for kind, a, b in _names(alt.s):
            start, end = alt.span(a, b)
            raw.append((start, -end, PRIORITY[kind], kind))
    raw.sort()
    merged: list[list] = []
    for start, neg_end, _, kind in raw:
        end = -neg_end
        if merged and start < merged[-1][2]:
            merged[-1][2] = max(merged[-1][2], end)
            continue
        merged.append([kind, start, end])
    return [Finding(kind, a, b, text[a:b]) for kind, a, b in merged]


def looks_like_phone(text: str) -> bool:
    """The whole text is a valid phone number (any common format, US default)."""
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(text, "US"))
    except phonenumbers.NumberParseException:
        return False


# ---------------------------------------------------------------------------------------
# Case references
# ---------------------------------------------------------------------------------------

CASE_REF_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_/.#]{2,39}$")
CASE_REF_HELP = (
    "Use the facility's own case code: an upper-case prefix of 2–5 letters and digits, "
    "joined by - / . or _ (e.g. HT-2026-014, CM/24/0097, REF-118); never the client's "
    "name, initials with a birth date, phone, e-mail, date or an ID number."
)


def case_reference_problem(ref: str) -> str | None:
    """Why ``ref`` cannot be a case reference, or None. A case reference is the facility's
    own code: upper-case letter groups of at most 5 and digit groups, joined by separators
    (``HT-2026-014``, ``CM/24/0097``, ``REF-118``). Refused: anything the identifier check
    finds, and codes shaped like an SSN, A-number, passport, initials + birth date, a name,
    a phone, an e-mail or a date."""
    ref = (ref or "").strip()
    if not CASE_REF_RE.match(ref):
        return "Not a case code. " + CASE_REF_HELP
    if not any(ch.isdigit() for ch in ref):
        return "A case code needs at least one digit (a word alone may be a name). " + (
            CASE_REF_HELP
        )
    found = find(ref)
    if found:
        return f"This looks like {found[0].label}. " + CASE_REF_HELP
    if looks_like_phone(ref) or len(re.sub(r"\D", "", ref)) >= 10:
        return "This looks like a phone or ID number. " + CASE_REF_HELP
    parts = re.findall(r"[A-Za-z]+|\d+", ref)
    for part in parts:
        if part.isalpha():
            if not part.isupper():
                return "Letters in mixed or lower case look like a name. " + CASE_REF_HELP
            if len(part) > 5:
                return "A run of more than 5 letters may be a name. " + CASE_REF_HELP
        elif len(part) == 9:
            return "A 9-digit run looks like an SSN or A-number. " + CASE_REF_HELP
        elif len(part) == 8 and _plausible_date_digits(part):
            return "These digits look like a date. " + CASE_REF_HELP
        elif len(part) == 6 and _plausible_short_date(part):
            return "These digits look like a date. " + CASE_REF_HELP
    if re.fullmatch(r"[A-Z]{1,2}\d{6,9}", ref) or re.fullmatch(r"A\d{8,9}", ref):
        return "This looks like a passport or A-number. " + CASE_REF_HELP
    digit_groups = [p for p in parts if p.isdigit()]
    if (
        len(digit_groups) >= 3
        and _date_groups(digit_groups[-3:])
        or len(digit_groups) == 3
        and _date_groups(digit_groups)
    ):
        return "These digits look like a date. " + CASE_REF_HELP
    letters = [p for p in parts if p.isalpha()]
    if letters and len(letters[0]) <= 3 and digit_groups and len(digit_groups[0]) in (6, 8):
        return "Initials with a date look like a client's. " + CASE_REF_HELP
    return None


def _plausible_short_date(d: str) -> bool:
    """``d`` (6 digits) reads as ddmmyy, mmddyy or yymmdd with a birth-like year."""
    a, b, c = int(d[:2]), int(d[2:4]), int(d[4:])
    return (1 <= a <= 31 and 1 <= b <= 12 and c <= 99 and (c >= 30 or c <= 10)) and (1 <= b <= 12)


def _date_groups(groups: list[str]) -> bool:
    """Three digit groups reading as d m y, m d y or y m d with a 4-digit year."""
    a, b, c = groups
    if len(a) == 4 and 1900 <= int(a) <= 2099:
        return 1 <= int(b) <= 12 and 1 <= int(c) <= 31 and len(b) <= 2 and len(c) <= 2
    if len(c) == 4 and 1900 <= int(c) <= 2099 and len(a) <= 2 and len(b) <= 2:
        x, y = int(a), int(b)
        return (1 <= x <= 31 and 1 <= y <= 12) or (1 <= x <= 12 and 1 <= y <= 31)
    return False


# ---------------------------------------------------------------------------------------
# Showing what was found
# ---------------------------------------------------------------------------------------


def message(findings: list[Finding]) -> str:
    """One sentence naming what was found, for the error payload."""
    kinds = list(dict.fromkeys(f.label for f in findings))
    quoted = ", ".join(f"“{f.text}”" for f in findings[:5])
    return (
        f"Remove client identifiers before saving: this looks like {', '.join(kinds)} "
        f"({quoted}). Describe what happened without who it happened to."
    )


def highlight(text: str, findings: list[Finding]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_identifier) for showing the spans marked."""
    pieces, pos = [], 0
    for f in findings:
        if f.start > pos:
            pieces.append((text[pos : f.start], False))
        pieces.append((text[f.start : f.end], True))
        pos = f.end
    if pos < len(text):
        pieces.append((text[pos:], False))
    return pieces
