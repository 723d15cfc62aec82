"""Names without a cue: runs of words that the names database knows, in any case and order
("Wanida Boonmee", "ana maria torres", "NGUYEN Thi Hoa", "OKAFOR, Chidi", Luis "Lucho"
Paredes, "Yurany C."), told from places ("Santa Ana", "Lake Charles", "Saint-Denis"),
organisations ("Jackson Park office") and ordinary words. Each yields the whole run, so
removing what is marked leaves no surname, initial or nickname behind; a first name
followed by a job or a workplace ("Dina, who cleans rooms at the motel on Route 12") is
marked with that description, which identifies her as surely as a surname.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from directory.identifiers import names
from directory.identifiers.words import FIRST_NAMES, INSTITUTION_WORDS, STOP_WORDS

_WORD = r"[A-Za-zÀ-ÖØ-öø-ÿ](?:[A-Za-zÀ-ÖØ-öø-ÿ'’\-]*[A-Za-zÀ-ÖØ-öø-ÿ])?\.?"
_TOKEN_RE = re.compile(rf"\"{_WORD}(?:\s{_WORD})?\"|“{_WORD}”|'{_WORD}'|(?<![\w]){_WORD}")
# particles that join the parts of one name (de la Cruz, van der Berg, bin Laden, El Idrissi)
PARTICLES = set(
    "de del la las los da das do dos van von der den ter bin ben ibn al el di du des dela "
    "y e st".split()
)
# words that start a place name ("Santa Ana", "Lake Charles", "Saint-Denis", "Fort Myers")
PLACE_PREFIXES = set(
    "san santa santo sao saint sainte st ste fort lake mount mont port villa "
    "ciudad colonia villeneuve new north south east west puerto bahia cap cape "
    "isla rio mount mt el la le los las".split()
)
# words after a name that say a place or organisation, beyond the institution words
PLACE_AFTER = INSTITUTION_WORDS | set(
    "station stop location site park village county district neighborhood neighbourhood "
    "campus branch square plaza market terminal beach valley heights hill hills springs "
    "falls island airport bridge mall cafe center centre shelter motel hotel street avenue "
    "road drive boulevard lane place way terrace parkway highway court blvd ave rd "
    "charity charities kitchen pantry harbor harbour".split()
)
LOCATIVES = set(
    "in into to from near at toward towards around en a à de del desde hacia hasta cerca "
    "vers près dans par pour of".split()
)
EXTRA_STOP = set(
    """
    i'm i've she's he's it's don't can't won't didn't doesn't isn't wasn't ok okay yes
    re per via etc vs am pm hr hrs min mins kg lb id ids dob ssn esl ged gps sms otp
    por qué porque cuando donde dónde cómo como más menos muy bien mal está están
    pas plus moins bien mal très où quand comment parce
    met meet meets saw see sees seen called call told tell helped help visited visit
    referred refer asked ask took take brought bring drove drive gave give hug hugged
    vi vio conoci llame ayude acompane refiri lleve rencontre vu appele aide accompagne
    """.split()
)
_JOB_RE = re.compile(
    r"\s*,?\s*(?:who|that|the\s+one\s+who|from\s+the|at\s+the|works?|worked|working|cleans?|"
    r"cooks?|sells?|dances?|la\s+que|el\s+que|que\s+trabaja|trabaja|del|de\s+la|qui|"
    r"travaille|du|de\s+l'|(?:the|la|le|el|une?|an?)\s+(?:cook|cleaner|maid|waitress|"
    r"waiter|dancer|nanny|driver|cocinera?|mesera?|limpiadora?|niñera|plongeuse?|serveuse|"
    r"serveur|nounou|femme\s+de\s+ménage))\b[^.;!?\n]{3,80}"
)
_WORKPLACE = re.compile(
    r"(?i)\b(?:motel|hotel|h[oô]tel|salon|car\s+wash|restaurant|taquer[ií]a|bar|club|"
    r"factory|farm|warehouse|maquila|f[áa]brica|granja|rancho|usine|ferme|chantier|"
    r"cantina|spa|massage|laundry|lavander[ií]a|plant|kitchen|cocina|cuisine|store|tienda|"
    r"magasin|market|mercado|march[ée]|construction|obra|site|route|highway|carretera|"
    r"bridge|puente|pont|gare|station|center|centre|colonia|mall|shop|cleans?|limpia|"
    r"m[ée]nage|works?|trabaja|travaille|cook|cocinero|plongeur|manucure|nail)\b"
)


_STOP = {names.key(w) for w in STOP_WORDS} | EXTRA_STOP
_INST = {names.key(w) for w in PLACE_AFTER}


class _Tok:
    __slots__ = ("a", "b", "text", "k", "case", "flags", "nick", "poss", "stop", "sent_start")

    def __init__(self, m: re.Match, s: str):
        self.a, self.b, self.text = m.start(), m.end(), m.group(0)
        self.nick = self.text[0] in "\"“'"
        word = self.text.strip("\"“”'").rstrip(".")
        # "Kenia Okafor's case": the name's own word (alone, "McDonald's" is a business)
        self.poss = word[-2:].lower() in ("'s", "’s")
        if self.poss:
            word = word[:-2]
        self.k = names.key(word)
        letters = [c for c in word if c.isalpha()]
        if len(letters) == 1 and word[0].isupper() and self.text.endswith("."):
            self.case = "initial"
        elif word.isupper() and len(letters) >= 2:
            self.case = "upper"
        elif word[0].isupper():
            self.case = "cap"
        else:
            self.case = "lower"
        self.stop = self.k in _STOP and self.case != "initial"
        self.flags = 0 if self.stop or self.nick else names.flags(word)
        before = s[: self.a].rstrip(" \t\"'“(")
        self.sent_start = not before or before[-1] in ".!?:\n;-–•*"

    @property
    def strong(self) -> bool:
        return bool(self.flags & (names.FIRST | names.LAST)) and not self.flags & names.WORD

    @property
    def known(self) -> bool:
        return bool(self.flags & (names.FIRST | names.LAST))


def _runs(s: str, toks: list[_Tok], cased: bool) -> Iterator[list[_Tok]]:
    """Maximal runs of name-like tokens: capitalised (or upper-case, initials, quoted
    nicknames, inner particles, ``SURNAME, First``) when ``cased``, else lower-case."""
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        ok = (
            (t.case in ("cap", "upper") or t.nick or (t.case == "initial" and i + 1 < n))
            if cased
            else t.case == "lower"
        )
        if not ok or t.stop:
            i += 1
            continue
        run = [t]
        j = i + 1
        while j < n:
            u, prev = toks[j], run[-1]
            gap = s[prev.b : u.a]
            if cased:
                joins = gap.strip() == "" or (gap.strip() == "," and _surname_first(prev, u))
                if not joins or "\n" in gap:
                    break
                if u.case in ("cap", "upper", "initial") or u.nick:
                    if u.stop and not u.nick:
                        break
                    run.append(u)
                    j += 1
                    continue
                k = _after_particles(s, toks, j)
                if k > j:  # "Kenia de Okafor", "Maria de la Cruz", "Juan van der Berg"
                    run.extend(toks[j : k + 1])
                    j = k + 1
                    continue
                break
            if gap.strip() == "" and u.case == "lower" and not u.stop and "\n" not in gap:
                run.append(u)
                j += 1
                continue
            break
        yield run
        i = j


def _surname_first(prev: _Tok, u: _Tok) -> bool:
    """``SURNAME, First`` or ``SURNAME, FIRST``: a comma between a word in capitals and a
    capitalised one, or between two names in capitals ("OKAFOR, KENIA"; not "DHS, CPS")."""
    if prev.case != "upper":
        return False
    return u.case == "cap" or (u.case == "upper" and prev.known and u.known)


def _after_particles(s: str, toks: list[_Tok], j: int) -> int:
    """The index of the capitalised word after the lower-case particles starting at ``j``
    ("de la", "van der"), or ``j`` when there is none."""
    k = j
    while k < len(toks) and toks[k].k in PARTICLES and toks[k].case == "lower":
        k += 1
    if k == j or k == len(toks) or toks[k].case not in ("cap", "upper"):
        return j
    if any(s[toks[i].b : toks[i + 1].a].strip() for i in range(j, k)):
        return j  # something else than spaces between them ("de, Cruz")
    return k


def _is_place(s: str, run: list[_Tok], toks: list[_Tok], idx_after: int) -> bool:
    """The run names a place or an organisation, not a person."""
    first = run[0]
    if first.k in PLACE_PREFIXES:  # (the key: lower case, no accent, no dot)
        return True
    if any(t.k in _INST for t in run):
        return True
    if idx_after < len(toks):
        after = toks[idx_after]
        if after.k in _INST and s[run[-1].b : after.a].strip() == "":
            return True
    joined = " ".join(t.k for t in run if not t.nick)
    if (
        "-" in first.k
        and any(
            p in ("saint", "sur", "les", "en", "le", "la", "de")  # ("sainte": a part no name has)
            for p in first.k.split("-")[1:]
        )
    ):
        return True
    if names.is_place(joined):
        if len(run) > 1 or _locative_before(s, first):
            return True
        if first.sent_start and first.flags & names.WORD:
            return True  # "Paris was cold", "Rosa was the colour": a weak name, a place
        return not first.flags & (names.FIRST | names.LAST)
    return False


def _locative_before(s: str, t: _Tok) -> bool:
    m = re.search(r"([\w']+)\W*$", s[max(0, t.a - 20) : t.a])
    return bool(m and names.key(m.group(1)) in LOCATIVES)


def _trim(run: list[_Tok]) -> list[_Tok]:
    """Drop leading and trailing words that are not part of a name: a sentence's first
    word that is an ordinary word, trailing initials-less particles."""
    while (
        len(run) > 1
        and run[0].sent_start
        and run[0].case == "cap"
        and not (run[0].flags & names.FIRST)
        and not run[0].nick  # '"Flaca" Okafor came.': a nickname is part of the name
    ):
        run = run[1:]  # "Referred POPAL, Zia": the verb starting the sentence
    while run and run[-1].k in PARTICLES:
        run = run[:-1]
    return run


_PERSON_VERB = re.compile(
    r"\s+(?:came|comes|was|is|said|says|asked|asks|called|missed|needs|needed|wants|wanted|"
    r"has|had|left|arrived|went|told|got|lives|lived|works|worked|stayed|declined|refused|"
    r"cried|feels|felt|came|vino|viene|llegó|llego|dijo|pidió|pidio|necesita|quiere|está|"
    r"esta|estaba|tiene|vive|trabaja|faltó|falto|est|était|etait|vient|veut|demande|a\s+dit|"
    r"habite|travaille|dit|a\s+appelé|a\s+demandé|n'est|no\s+vino|no\s+llegó)\b"
)


# what only a person does (an organisation "called back", "said no"; a shop "was closed")
_PERSONAL_VERB = re.compile(
    r"\s+(?:came|comes|arrived|cried|feels|felt|lives|lived|missed|vino|viene|llegó|llego|"
    r"lloró|lloro|vive|faltó|falto|vient|pleure|habite|no\s+vino|no\s+llegó|est\s+venue?)\b"
)


def _cased_is_name(run: list[_Tok], s: str = "") -> bool:
    words = [t for t in run if not t.nick and t.case != "initial"]
    if not words:
        return False
    if run[0].k in FIRST_NAMES and run[-1].known and any(t.case == "lower" for t in run):
        return True  # "Maria de la Cruz": a listed first name, particles and a surname
    if any(t.nick for t in run[1:-1]) and run[0].case == "cap" and run[-1].case == "cap":
        return True  # Luis "Lucho" Paredes: a quoted nickname between two capitalised words
    if (
        len(words) >= 2
        and words[0].case == "upper"
        and len(words[0].k) >= 5
        and words[1].case == "cap"
        and not words[1].flags & names.WORD
    ):
        return True  # CHAIYAPORN Kittisak: a surname first in capitals
    strong = sum(t.strong for t in words)
    known = sum(t.known for t in words)
    if len(words) >= 2:
        if strong >= 1 and known >= 2:
            return True
        if strong >= 1 and (any(t.nick for t in run) or any(t.case == "initial" for t in run)):
            return True
        if known >= 2 and all(t.known for t in words):
            return True
        if strong >= 1 and any(t.case == "upper" for t in words):
            return True
        if (
            len(words) == 2
            and words[0].flags & names.FIRST
            and (not words[0].sent_start or _PERSONAL_VERB.match(s, words[1].b))
            and words[1].flags == 0
            and words[1].case == "cap"
        ):
            return True  # a first name and a surname the database lacks ("Taras Kravchuk")
        return False  # (two strong names are two known ones: taken above)
    t = words[0]
    if any(u.nick for u in run) or any(u.case == "initial" for u in run):
        return t.known or run[0].case == "initial"  # "J. Kravchuk", "J. KRAVCHUK"
    if t.case == "upper":  # an acronym, unless a name joins it or it is a long surname
        return t.strong and bool(t.flags & names.LAST) and len(t.k) >= 5  # "Met OKAFOR"
    if t.flags & names.FIRST and _PERSON_VERB.match(s, t.b):
        return True  # "Rosa came with her kids": a first name doing something
    if t.strong and not t.flags & names.PLACE and _PERSONAL_VERB.match(s, t.b):
        return True  # "Petrov came in": a surname doing what only a person does
    if t.sent_start:
        return t.strong and bool(t.flags & names.FIRST)
    return t.strong


def _lower_names(run: list[_Tok]) -> Iterator[list[_Tok]]:
    """The names in a lower-case run: each stretch of two or more known names of which one
    at least is no ordinary word ("kenia okafor phoned chidi okafor": both; "kenia taras",
    "lopez maria"; not "rosa maria", "maria smith": every word of them is also a word)."""
    stretch: list[_Tok] = []
    for t in [*run, None]:
        if t is not None and t.known:
            stretch.append(t)
            continue
        if len(stretch) >= 2 and any(u.strong for u in stretch):
            yield stretch
        stretch = []


def _cased_names(s: str, run: list[_Tok], toks: list[_Tok], after: int) -> list[list[_Tok]]:
    """The capitalised run as a name, or nothing: no place, and a name by its words or a
    first name that is also a word ("Dina", "Rose") with a job and a workplace after it."""
    if _is_place(s, run, toks, after):
        return []
    if not _cased_is_name(run, s):
        job = _JOB_RE.match(s, run[-1].b)
        solo = len(run) == 1 and run[0].flags & names.FIRST and run[0].case == "cap"
        if not (solo and job and _WORKPLACE.search(job.group(0))):
            return []
    return [run]


def people(s: str) -> Iterator[tuple[str, int, int]]:
    """Yield ("name", start, end) for names the database recognises, and ("employer",
    start, end) for a first name with the job or workplace that singles its bearer out."""
    toks = [_Tok(m, s) for m in _TOKEN_RE.finditer(s)]
    if not toks:
        return
    index = {id(t): k for k, t in enumerate(toks)}
    for cased in (True, False):
        for run in _runs(s, toks, cased):
            after = index[id(run[-1])] + 1
            run = _trim(run)
            while len(run) > 1 and run[0].stop:
                run = run[1:]
            poss = next((k for k, t in enumerate(run) if t.poss), None)
            if poss is not None:  # a possessive ends a name ("Valentine's Day" is none)
                run = run[: poss + 1]
            if not run or (len(run) == 1 and run[0].poss):
                continue
            if cased:
                found = _cased_names(s, run, toks, after)
            else:
                found = [] if _is_place(s, run, toks, after) else list(_lower_names(run))
            for name in found:
                a, b = name[0].a, name[-1].b
                yield "name", a, b
                job = _JOB_RE.match(s, b)
                if job and len(name) <= 2 and _WORKPLACE.search(job.group(0)):
                    yield "employer", a, job.end()
