"""Names without a cue word (``identifiers.people``), one note at a time (issue #29).

Each note is checked against what ``people`` marks: the names (whole, as typed) and the
first names singled out by a job and a workplace. The names used are chosen by what the
names table says of them (``data/names.tsv.gz``): Kenia, Yurany and Almaz are first names
and no ordinary word; Okafor and Chidi first names and surnames; Petrov a surname only;
Maria, Dina, Grace and Smith names that are also ordinary words; Taras a first name that
is also a word; Rosa, Sofia and Lagos names that are also towns; Kravchuk, Wolde and
Kittisak names the table lacks.
"""

from __future__ import annotations

import pytest

from directory.identifiers.people import people


def marked(note: str) -> tuple[list[str], list[str]]:
    found = list(people(note))
    return (
        [note[a:b] for kind, a, b in found if kind == "name"],
        [note[a:b] for kind, a, b in found if kind == "employer"],
    )


# ---------------------------------------------------------------------------------------
# Capitalised names
# ---------------------------------------------------------------------------------------

CASED = [
    # a quoted nickname between two capitalised words, whatever the case of the nickname
    ('Taras "TITO" Kravchuk came in.', ['Taras "TITO" Kravchuk']),
    ('Taras "Tito" Kravchuk came in.', ['Taras "Tito" Kravchuk']),
    ("Luis 'Lucho' Paredes came in.", ["Luis 'Lucho' Paredes"]),
    ("Luis “Lucho” Paredes came in.", ["Luis “Lucho” Paredes"]),
    # ... with no verb after it (the nickname alone makes it a name)
    ('Taras "Tito" Kravchuk', ['Taras "Tito" Kravchuk']),
    ('Taras "TITO" Kravchuk', ['Taras "TITO" Kravchuk']),
    # a nickname starting a sentence is no verb to drop
    ("'Flaca' Okafor came.", ["'Flaca' Okafor"]),
    ('"Kenia" Okafor came.', ['"Kenia" Okafor']),
    ('Kenia "Flaca" came in.', ['Kenia "Flaca"']),
    # a surname first in capitals, then a given name the table may lack
    ("CHAIYAPORN Kittisak came.", ["CHAIYAPORN Kittisak"]),
    ("SAYAN Kittisak came.", ["SAYAN Kittisak"]),
    ("MBEKI Kittisak came.", ["MBEKI Kittisak"]),  # five letters
    ("Met Kenia KRAVCHUK today.", ["Kenia KRAVCHUK"]),
    ("KHAN Ali came.", ["KHAN Ali"]),
    ("Ali KHAN came.", ["Ali KHAN"]),
    ("Met KENIA OKAFOR today.", ["KENIA OKAFOR"]),
    ("Met Kenia OKAFOR today.", ["Kenia OKAFOR"]),
    ("NGUYEN Thi Hoa asked for a bed.", ["NGUYEN Thi Hoa"]),
    # SURNAME, First
    ("OKAFOR, Chidi was referred.", ["OKAFOR, Chidi"]),
    ("Spoke to OKAFOR, Kenia yesterday.", ["OKAFOR, Kenia"]),
    ("Referred POPAL, Zia to legal aid.", ["POPAL, Zia"]),
    ("Spoke to OKAFOR, KENIA yesterday.", ["OKAFOR, KENIA"]),  # two names in capitals
    ('Met OKAFOR, "Kenia" today.', ['OKAFOR, "Kenia"']),  # a nickname after the comma
    ("Spoke to Okafor, Kenia yesterday.", ["Okafor", "Kenia"]),  # a comma parts two cased
    # two names, one no ordinary word; three words, two names; all names
    ("Chidi Okafor came.", ["Chidi Okafor"]),
    ("Referred Kenia Okafor today.", ["Kenia Okafor"]),
    ("Yesterday Kenia Okafor came.", ["Kenia Okafor"]),
    ("Maria Torres Kravchuk came for her appointment.", ["Maria Torres Kravchuk"]),
    ("Grace Smith came in.", ["Grace Smith"]),
    ("Flor Maria came in.", ["Flor Maria"]),
    ("Met Sofia Okafor.", ["Sofia Okafor."]),
    # initials
    ("Almaz T. Wolde came in.", ["Almaz T. Wolde"]),
    ("Almaz T. Kravchuk came in.", ["Almaz T. Kravchuk"]),
    ("Almaz T. Kravchuk", ["Almaz T. Kravchuk"]),  # no verb: the initial makes it a name
    ("Met J. KRAVCHUK today.", ["J. KRAVCHUK"]),  # an initial and a surname in capitals
    ("Referred to J. Kravchuk", ["J. Kravchuk"]),
    ("Saw K. Matamoros at intake.", ["K. Matamoros"]),
    ("J. Kravchuk came in.", ["J. Kravchuk"]),
    ("Met A. Okafor today.", ["A. Okafor"]),  # an initial that is also a word
    ("Yurany C. came in today.", ["Yurany C."]),
    # a first name and a surname the table lacks, not at the start of a sentence
    ("Met Almaz Wolde at intake.", ["Almaz Wolde"]),
    ("We met Taras Kravchuk.", ["Taras Kravchuk."]),
    # ... or at the start of a sentence, doing what only a person does
    ("Taras Kravchuk came.", ["Taras Kravchuk"]),
    ("Taras Kravchuk arrived late.", ["Taras Kravchuk"]),
    # particles inside a name
    ("Met Kenia de Okafor.", ["Kenia de Okafor."]),
    ("Met Kenia y Okafor.", ["Kenia y Okafor."]),
    ("Met Kenia de okafor.", ["Kenia"]),
    ("Met Kenia de OKAFOR today.", ["Kenia de OKAFOR"]),
    ("Met Kenia de Okafor Kravchuk today.", ["Kenia de Okafor Kravchuk"]),
    # two particles join as one does
    ("Maria de la Cruz came in.", ["Maria de la Cruz"]),
    ("Met with Maria de la Cruz today.", ["Maria de la Cruz"]),
    ("Juan van der Berg came in.", ["Juan van der Berg"]),
    ("Met Kenia van der OKAFOR today.", ["Kenia van der OKAFOR"]),
    ("Met Kenia de la okafor today.", ["Kenia"]),  # a lower-case word after particles
    ("Today, Maria de la Cruz came.", ["Maria de la Cruz"]),  # a comma before the name
    ("Met Kenia de (la) Okafor today.", ["Kenia", "Okafor"]),  # a bracket parts them
    # particles ending the note join nothing
    ("Met Kenia Okafor y", ["Kenia Okafor"]),
    ("Met Kenia Okafor de la", ["Kenia Okafor"]),
    ("Met Kenia Okafor Van", ["Kenia Okafor"]),
    # a sentence's first word, then particles: the name after them
    ("Hablamos de Okafor ayer.", ["Okafor"]),
    # hyphenated first names
    ("Jean-Pierre came in.", ["Jean-Pierre"]),
    ("Marie-Ange Okafor came.", ["Marie-Ange Okafor"]),
    # a weekday ends a name, and the next name is found all the same
    (
        "Met Kenia Okafor Monday and Chidi Okafor Tuesday.",
        ["Kenia Okafor", "Chidi Okafor"],
    ),
    # one name: a first name doing something, or a name that is no word
    ("Kenia came with her kids.", ["Kenia"]),
    ("Dina came in.", ["Dina"]),
    ("Xavier came in.", ["Xavier"]),
    ("Met with Selam at the office.", ["Selam"]),
    ("Selam.", ["Selam."]),
    ("Met Okafor today.", ["Okafor"]),
    ("We met Petrov today.", ["Petrov"]),
    ("Petrov came in.", ["Petrov"]),  # a surname starting a sentence, doing what a person does
    ("Petrov missed the appointment.", ["Petrov"]),
    # a surname of five letters or more in capitals is no acronym
    ("Met OKAFOR today.", ["OKAFOR"]),
    ("Met LOPEZ today.", ["LOPEZ"]),  # five letters
    ("We met PETROV.", ["PETROV."]),
    ("Okafor came today.", ["Okafor"]),
    ("Sofia came today.", ["Sofia"]),
    ("Met Sofia today.", ["Sofia"]),
    # after the marks that start a sentence or a line
    ("Staff: Kenia came.", ["Kenia"]),
    ("Note - Kenia came.", ["Kenia"]),
    ("• Kenia Okafor", ["Kenia Okafor"]),
    ("* Kenia Okafor", ["Kenia Okafor"]),
    ("Notes; Kenia Okafor came.", ["Kenia Okafor"]),
    ("(Kenia Okafor came.)", ["Kenia Okafor"]),
    # the verb starting a sentence is no part of the name, after a bracket or a quote too
    ("(Referred Kenia Okafor to legal aid.)", ["Kenia Okafor"]),
    ('She wrote: "Referred Kenia Okafor to legal aid."', ["Kenia Okafor"]),
    ('"Kenia Okafor came."', ["Kenia Okafor"]),
    # a line break ends a name
    ("Met Okafor\nKravchuk today.", ["Okafor"]),
    ("Met Okafor\nKenia today.", ["Okafor", "Kenia"]),
    ("Dear Okafor family", ["Okafor"]),
    # a possessive at the end of a sentence; a possessive of two letters
    ("Kenia Okafor's.", ["Kenia Okafor's."]),
    ("Kenia Li's mother came.", ["Kenia Li's"]),
    ("Kenia A's mother came.", ["Kenia"]),  # (a one-letter word is a stop word)
    # a word ending in X (a room, a bus) starts no sentence
    ("In room 12X Taras Kravchuk was waiting.", ["Taras Kravchuk"]),
    ("Bus 5-X Petrov was on it.", ["Petrov"]),  # ... nor does a capital X after a sign
    # a bracket or a quote before a sentence's first word
    ("(Phoned Kenia Okafor today.)", ["Kenia Okafor"]),
    ('"Phoned Kenia Okafor."', ["Kenia Okafor."]),
    ("Met The Okafor today.", ["Okafor"]),
    ("Today Okafor came.", ["Okafor"]),
]
CASED_NOT = [
    "PLEASE Mark the form as urgent.",  # capitals and an ordinary word
    "We called CASA Lakeshore yesterday.",  # an acronym of four letters
    "Met KO today.",
    "Met KENIA today.",  # one word in capitals, a first name only: maybe an acronym
    "Took BART to the clinic.",  # a surname of four letters in capitals: an acronym
    "Appelé le SIAO ce matin.",
    "We met HUD, DHS and CPS staff.",  # a comma between acronyms joins nothing
    "Met KENIA, CPS and HUD today.",
    '"Flaca" came in.',  # a nickname alone
    'We saw "Flaca" at the park.',
    "K. came in.",
    "Met K. at intake.",
    "Met Dina today.",  # a first name that is also a word, doing nothing
    "Rosa was the colour of the wall.",
    "Paris was cold.",
    "Kroger was closed.",  # a surname alone starting a sentence, doing no person's deed
    "Petrov Street was closed.",
    "Taras Harbor came.",
    "Angel Food was closed.",  # a first name and a word, not doing a person's deed
    "Grace period ends Friday.",  # a listed first name that is also a word, alone
    "The Chef, who works at the motel, came.",  # a job after a word that is no first name
    # particles between words that are no listed first name and no known surname
    "Colegio de la Frontera Norte.",
    "Mercado de la Merced.",
    "Cita en el Instituto Nacional de Migración.",
    "Secretaría de Relaciones Exteriores cerrada.",
    "Joy Luck Club event.",
    "(Paris was cold.)",  # a town starting a sentence after a bracket
    "It rained. Paris was cold.",  # ... or after a full stop and a space
    "Mercy Housing called back.",  # (an organisation calls back too)
    "Torre de la Paz.",  # particles after no listed first name
    "Gare du Nord demain.",
]


@pytest.mark.parametrize(("note", "names"), CASED)
def test_a_capitalised_name_without_a_cue_is_marked_whole(note, names):
    assert marked(note) == (names, [])


@pytest.mark.parametrize("note", CASED_NOT)
def test_capitalised_words_that_are_no_name_are_let_through(note):
    assert marked(note) == ([], [])


# ---------------------------------------------------------------------------------------
# Places and organisations
# ---------------------------------------------------------------------------------------

PLACES = [
    "She is from Santa Ana originally.",
    "Went to San Pedro Sula.",
    "She moved to St. Okafor.",
    "She moved to St Okafor.",
    "Ste. Okafor came.",
    "Mt. Okafor is far.",
    "We met at the Jackson Park office.",
    "Kenia Okafor Park is closed.",
    "We met at Okafor Park.",
    "We met at Kenia Okafor Center.",
    "She lives in Lagos now.",
    "She flew to Houston.",
    "She is from Nairobi.",
    "From Nairobi, she came alone.",
    "She moved to Denver.",
    "We drove to Sofia today.",
    "Lagos came in.",
    "She is from Costa Rica.",
    "Costa Rica is far.",  # two words that are a country, no word before them
    # organisations: a place word
    "Catholic Charities called back.",
    "Faith Kitchen serves lunch.",
    "Centro de la Raza has English classes.",
    "Sierra Leone is far.",
    "Her Sierra Leone passport expired.",  # a country of two words inside a sentence
    # small towns the table lacks, told by a part after the first
    "She moved to Charly-sur-Marne last year.",
    "She moved to Laval-Saint-Roman last year.",
    "She moved to Lucy-le-Bois last year.",
    "She moved to Mercy-le-Bas last year.",
    "She moved to Saint-Paul-de-Vence last year.",
    "She moved to Saint-Victor-la-Coste last year.",
    "She moved to Saint-Julien-lès-Metz last year.",
    "She moved to Saint-Romain-en-Gal last year.",
    "She moved to Kenia-en-Okafor last year.",  # names joined by -en- or -la-: a town
    "She moved to Kenia-la-Okafor last year.",
    # lower case
    "she is from los angeles",
    "she went to san pedro sula",
    "info at harbor house dot org",  # an organisation word in a lower-case run
]


@pytest.mark.parametrize("note", PLACES)
def test_a_place_or_an_organisation_is_no_name(note):
    assert marked(note) == ([], [])


def test_a_name_is_marked_but_not_the_place_after_it():
    assert marked("Met Kenia Okafor at Okafor Motel.") == (["Kenia Okafor"], [])
    assert marked("We went to Paris with Kenia.") == (["Kenia."], [])
    assert marked("Met Okafor in Paris with Kenia.") == (["Okafor", "Kenia."], [])


def test_a_town_that_is_also_a_name_is_a_name_when_it_does_something():
    assert marked("Met Lagos today.") == (["Lagos"], [])
    assert marked("Nairobi called today.") == (["Nairobi"], [])
    assert marked("Denver came in today.") == (["Denver"], [])


# ---------------------------------------------------------------------------------------
# Lower-case names
# ---------------------------------------------------------------------------------------

LOWER = [
    ("ana maria torres came to intake", ["ana maria torres"]),
    ("chidi okafor came.", ["chidi okafor"]),
    ("okafor chidi came.", ["okafor chidi"]),
    ("kenia matamoros came in", ["kenia matamoros"]),
    ("kenia okafor y ana came", ["kenia okafor"]),
    ("vimos a kenia okafor ayer", ["kenia okafor"]),
    ("the note says kenia okafor maria came", ["kenia okafor maria"]),
    ("we met maria lopez today", ["maria lopez"]),
    ("we met lopez maria today", ["lopez maria"]),
    ("we met maria torres lopez today", ["maria torres lopez"]),
    (
        "saw okafor kenia maria torres lopez garcia there",
        ["okafor kenia maria torres lopez garcia"],
    ),
    ("saw kenia rosa today", ["kenia rosa"]),
    ("saw rosa kenia today", ["rosa kenia"]),
    ("saw kenia smith today", ["kenia smith"]),
    ("saw rosa okafor at the park", ["rosa okafor"]),
    ("we drove to santa ana with kenia okafor", ["kenia okafor"]),
    ("the doctor and maria lopez garcia talked", ["maria lopez garcia"]),
    ("met kenia yurany today", ["kenia yurany"]),  # two first names, no ordinary word
    # two first names, one no ordinary word; two surnames likewise
    ("saw kenia taras today", ["kenia taras"]),
    ("saw okafor petrov today", ["okafor petrov"]),
    # every name of a run, not the first alone
    ("kenia okafor phoned chidi okafor today", ["kenia okafor", "chidi okafor"]),
    # three names that are also words do not add up; the two after them do
    ("rosa maria flor phoned kenia okafor", ["kenia okafor"]),
]
LOWER_NOT = [
    "we met rosa maria today",  # two names that are also words
    "saw rosa flor today",
    "saw maria smith today",
    "saw kenia today and okafor",
    "we met rosa and maria",
    "saw rosa flor maria today",
    "met kenia\nokafor today",
    "met wanida boonmee at the clinic",
]


@pytest.mark.parametrize(("note", "names"), LOWER)
def test_a_lower_case_name_is_marked_when_the_names_add_up(note, names):
    assert marked(note) == (names, [])


@pytest.mark.parametrize("note", LOWER_NOT)
def test_lower_case_words_that_do_not_add_up_to_a_name_are_let_through(note):
    assert marked(note) == ([], [])


# ---------------------------------------------------------------------------------------
# A first name with a job and a workplace
# ---------------------------------------------------------------------------------------

EMPLOYERS = [
    (
        "Dina, who cleans rooms at the motel on Route 12, came in.",
        ["Dina"],
        ["Dina, who cleans rooms at the motel on Route 12, came in"],
    ),
    (
        "Dina, the cook at the taqueria, came.",
        ["Dina"],
        ["Dina, the cook at the taqueria, came"],
    ),
    ("Met Dina, the cook at the taqueria.", ["Dina"], ["Dina, the cook at the taqueria"]),
    (
        "Kenia, who works at the nail salon on 5th, came.",
        ["Kenia"],
        ["Kenia, who works at the nail salon on 5th, came"],
    ),
    (
        "Kenia Okafor, who works at the nail salon on 5th, came.",
        ["Kenia Okafor"],
        ["Kenia Okafor, who works at the nail salon on 5th, came"],
    ),
    ("We met Kenia at the Okafor Motel.", ["Kenia"], ["Kenia at the Okafor Motel"]),
    # three words of a name are a name enough
    (
        "Kenia Maria Okafor, who works at the nail salon on 5th, came.",
        ["Kenia Maria Okafor"],
        [],
    ),
    # no workplace
    ("Dina came, she cleans at the motel.", ["Dina"], []),
]


@pytest.mark.parametrize(("note", "names", "employers"), EMPLOYERS)
def test_a_first_name_with_a_job_and_a_workplace_is_marked_with_them(note, names, employers):
    assert marked(note) == (names, employers)


def test_a_first_name_that_is_also_a_word_with_no_workplace_is_let_through():
    assert marked("Dina, who likes the beach, came.") == ([], [])


# ---------------------------------------------------------------------------------------
# Possessives
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "names"),
    [
        ("Kenia Okafor's case was closed.", ["Kenia Okafor's"]),
        ("Kenia Okafor’s phone broke.", ["Kenia Okafor’s"]),
        ("Kenia Okafor's Day Care called.", ["Kenia Okafor's"]),
        ("talked with the nurse about kenia okafor's case", ["kenia okafor's"]),
        # a business first does not stop the name after it
        ("We met at McDonald's with Kenia Okafor.", ["Kenia Okafor."]),
    ],
)
def test_a_name_with_a_possessive_is_marked_whole(note, names):
    assert marked(note) == (names, [])


@pytest.mark.parametrize(
    "note",
    [
        "We met at McDonald's on Main.",  # one word and a possessive: a business
        "She works at Wendy's now.",
        "Lowe's has jobs.",
        "Valentine's Day party at the shelter.",  # a possessive ends a name
        "It's late.",
    ],
)
def test_a_business_named_after_someone_is_no_name(note):
    assert marked(note) == ([], [])


def test_a_locative_word_is_read_within_twenty_characters_before_a_town():
    assert marked("She moved to" + " " * 18 + "Lagos") == ([], [])
    assert marked("She moved to" + " " * 19 + "Lagos") == (["Lagos"], [])
