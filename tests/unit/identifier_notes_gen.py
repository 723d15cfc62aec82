"""Generates the held-out-style corpus for the client-identifier check (issue #30):
``tests/unit/identifier_notes.json``, ≥ 600 case-manager notes in English, Spanish and
French, each labelled by hand-written templates (the label is the template's, never the
detector's), and split ONCE into ``dev`` and ``test`` halves with a fixed seed.

    python tests/unit/identifier_notes_gen.py     # rewrites the JSON (same seed, same file)

The names here are lists written by hand per country (not the names database the detector
uses), in every case and order: "First Last", lower case, "SURNAME First", "SURNAME, First",
with a quoted nickname, a first name alone with an employer and a job. Identifiers of every
kind the issue lists: phones (look-alike letters S/B/Z/O/l/I, spelled digits), e-mails,
birth dates (by their words), street addresses as prose, ID numbers, social handles and
profile URLs, licence plates, case numbers holding a name. Ordinary notes mention the
service's own phone, address, website and hours (with the service they are about), visit
dates, bus lines, prices, staff roles and places whose names look like people's.

Tune the detector on ``dev`` only; ``test`` is for the figures in docs/security.md.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 30
OUT = Path(__file__).with_name("identifier_notes.json")

# --- names, by hand, per country: (women's first names, men's first names, surnames) ----
NAMES = {
    "US": (
        "Brittany Kayla Shonda Tamika Jolene",
        "Tyrone Dwayne Cody Travis Darnell",
        "Whitfield Kowalski Brennan Harlow Dempsey",
    ),
    "MX": (
        "Itzel Xochitl Yareli Citlali Maricela",
        "Ulises Jacinto Eleazar Abundio Rigoberto",
        "Zamudio Quiroz Arreola Villaseñor Ochoa",
    ),
    "GT": (
        "Ixchel Heidy Yesica Floridalma Sucely",
        "Byron Edvin Selvin Wilmer Elmer",
        "Tzul Chávez Cux Batz Coyoy",
    ),
    "HN": (
        "Kenia Dunia Lesbia Nohemy Xiomara",
        "Wilmer Josué Nery Osman Darwin",
        "Zelaya Funes Matamoros Bonilla Lagos",
    ),
    "SV": (
        "Wendy Roxana Marleny Jackeline Evelyn",
        "Walter Nelson Balmore Geovanni Ernesto",
        "Menjívar Alvarenga Portillo Guardado Ayala",
    ),
    "CO": (
        "Yurany Leidy Marcela Dayana Yuliana",
        "Jhon Yeison Brayan Wilson Duvan",
        "Cardona Restrepo Ospina Agudelo Zapata",
    ),
    "VE": (
        "Yusmary Oriana Yulimar Dayerlin Mariángel",
        "Yorman Deivis Rainier Jesús Keiber",
        "Briceño Guaregua Mendoza Carrasquel Lugo",
    ),
    "HT": (
        "Widline Fabienne Marie-Ange Guerline Nadège",
        "Jean-Wesner Fritznel Dieuseul Ronald Wisly",
        "Pierre-Louis Joseph Célestin Dorvil Saintil",
    ),
    "FR": (
        "Gwendoline Maëlys Solène Ophélie Clémence",
        "Gaëtan Baptiste Loïc Yannick Romain",
        "Lefebvre Garnier Roussel Chevallier Marchand",
    ),
    "SN": (
        "Ndèye Coumba Mame Diarra Seynabou Astou",
        "Cheikh Ousmane Babacar Modou Pape",
        "Ndiaye Diop Sow Faye Gueye",
    ),
    "NG": (
        "Chidinma Ngozi Funmilayo Adaeze Yetunde",
        "Chidi Emeka Oluwaseun Babatunde Ikenna",
        "Okafor Adeyemi Nwosu Eze Balogun",
    ),
    "GH": (
        "Akosua Abena Efua Adwoa Ama",
        "Kwame Kofi Yaw Kwabena Kojo",
        "Mensah Boateng Asante Owusu Agyeman",
    ),
    "ER": (
        "Senait Mebrat Yordanos Helen Saba",
        "Tesfalem Yonatan Mehari Filmon Habtom",
        "Tekle Gebremedhin Haile Berhane Tesfamariam",
    ),
    "SO": (
        "Hodan Ayaan Ifrah Sahra Ubah",
        "Abdirahman Mohamud Abdiwali Farah Guled",
        "Warsame Abdi Hersi Jama Omar",
    ),
    "VN": (
        "Thi Hoa Ngoc Anh Thu Trang Phuong",
        "Van Minh Duc Thanh Quoc Huy Tuan",
        "Nguyen Tran Pham Huynh Vo",
    ),
    "PH": (
        "Maricel Jhoanna Rowena Lorelie Mylene",
        "Rodel Jomar Arnel Reynaldo Jayson",
        "Dela Cruz Bautista Manalo Villanueva Pangilinan",
    ),
    "CN": (
        "Xiulan Meihua Yanling Xiaoyan Lihua",
        "Zhiwei Jianguo Haoran Wenjie Guoqiang",
        "Zhang Wang Liu Chen Huang",
    ),
    "IN": (
        "Priyanka Sunita Lakshmi Anjali Deepika",
        "Rajesh Suresh Arjun Vikram Manoj",
        "Sharma Patel Reddy Iyer Chaudhary",
    ),
    "UA": (
        "Oksana Halyna Nataliia Kateryna Yuliia",
        "Oleksandr Mykola Bohdan Taras Andrii",
        "Shevchenko Kovalenko Bondarenko Tkachenko Kravchuk",
    ),
    "RO": (
        "Ionela Florentina Mihaela Roxana Loredana",
        "Florin Marius Ionuț Cătălin Bogdan",
        "Popescu Ionescu Dumitrescu Stoica Munteanu",
    ),
    "AF": (
        "Zarghona Farishta Mursal Shabnam Nilofar",
        "Ahmad Zia Farid Wahid Nasrullah",
        "Rahimi Ahmadzai Popal Karimi Noori",
    ),
    "SY": (
        "Rasha Lama Hiba Ruba Dima",
        "Khaled Tarek Bassam Majd Yamen",
        "Haddad Al-Masri Kassab Shami Halabi",
    ),
    "MA": (
        "Fatima-Zahra Khadija Salma Hajar Zineb",
        "Youssef Hamza Anouar Soufiane Ilyas",
        "El Idrissi Benjelloun Tazi Alaoui Berrada",
    ),
    "BR": (
        "Jéssica Thaís Luana Raquel Gleice",
        "Thiago Wellington Rodrigo Cleber Anderson",
        "Souza Oliveira Ferreira Rodrigues Nascimento",
    ),
    "TH": (
        "Siriporn Pornpimol Malee Kanya Wanida",
        "Somchai Anan Kittisak Prasert Niran",
        "Srisuk Chaiyaporn Wongsawat Rattanakorn Boonmee",
    ),
    "NP": (
        "Sabina Sarita Kamala Anita Sunita",
        "Bikash Ramesh Prakash Dipak Santosh",
        "Shrestha Gurung Tamang Thapa Magar",
    ),
}
_ALL = []
for _c, (_f, _m, _s) in NAMES.items():
    _ALL.append((_c, _f.split(), _m.split(), _s.split()))

NICKS = [
    "Lucho",
    "Chiqui",
    "Flaca",
    "Nena",
    "Pelón",
    "Tiny",
    "Junior",
    "Negrita",
    "Gordo",
    "Titi",
    "Baby",
    "Chino",
    "Güera",
    "Mimi",
    "Bebé",
    "Kiki",
    "Flaco",
    "Shorty",
]

SERVICES = [
    {
        "name": "Walk-in clinic",
        "organization": "Northside Health Partners",
        "phone": "(312) 555-0182",
        "address": "4410 N Kedzie Ave",
        "city": "Chicago",
        "website": "https://northside-health.example.org",
        "hours": "Mon-Fri 9:00-17:00",
    },
    {
        "name": "Asesoría legal",
        "organization": "Centro Legal Amigo",
        "phone": "+1 213 555 0147",
        "address": "1820 W Pico Blvd",
        "city": "Los Angeles",
        "website": "centrolegalamigo.example.org",
        "hours": "lunes a jueves 10:00-18:00",
    },
    {
        "name": "Accueil de jour",
        "organization": "Maison Soleil",
        "phone": "01 42 55 18 90",
        "address": "18 rue Oberkampf",
        "city": "Paris",
        "website": "www.maison-soleil.example.fr",
        "hours": "du lundi au vendredi 9h-17h",
    },
    {
        "name": "Food pantry",
        "organization": "Saint Vincent Table",
        "phone": "617-555-0133",
        "address": "75 Dudley Street",
        "city": "Boston",
        "website": "svtable.example.org",
        "hours": "Tue and Thu 2-6 pm",
    },
    {
        "name": "Clínica móvil",
        "organization": "Salud Sin Fronteras",
        "phone": "(915) 555-0166",
        "address": "2301 Avenida Juárez",
        "city": "El Paso",
        "website": "saludsinfronteras.example.org",
        "hours": "sábados 8:00-13:00",
    },
    {
        "name": "Permanence juridique",
        "organization": "Droits Devant",
        "phone": "04 91 55 62 10",
        "address": "7 boulevard de la Libération",
        "city": "Marseille",
        "website": "droits-devant.example.fr",
        "hours": "mercredi 14h-18h",
    },
]


def strip_accents(s: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


class Gen:
    def __init__(self, seed: int = SEED):
        self.r = random.Random(seed)

    def pick(self, seq):
        return self.r.choice(seq)

    def person(self):
        c, women, men, surnames = self.pick(_ALL)
        first = self.pick(women + men)
        last = self.pick(surnames)
        return c, first, last

    def name_form(self):
        """A full name in one of the ways notes write them; returns (country, form, text)."""
        c, first, last = self.person()
        form = self.pick(
            [
                "cased",
                "cased",
                "lower",
                "surname_caps",
                "surname_comma",
                "nickname",
                "no_accents",
                "initial",
            ]
        )
        if form == "cased":
            return c, form, f"{first} {last}"
        if form == "lower":
            return c, form, f"{first} {last}".lower()
        if form == "surname_caps":
            return c, form, f"{last.upper()} {first}"
        if form == "surname_comma":
            return c, form, f"{last.upper()}, {first}"
        if form == "nickname":
            return c, form, f'{first} "{self.pick(NICKS)}" {last}'
        if form == "no_accents":
            return c, form, strip_accents(f"{first} {last}")
        return c, form, f"{first} {last[0]}."

    # --- identifiers --------------------------------------------------------------------
    def phone(self):
        a, b, c = self.r.randint(201, 989), self.r.randint(200, 989), self.r.randint(0, 9999)
        digits = f"{a}{b}{c:04d}"
        style = self.pick(
            [
                "dash",
                "dots",
                "paren",
                "lookalike",
                "lookalike",
                "spaced",
                "plus",
                "words",
                "fr",
                "mx",
            ]
        )
        if style == "dash":
            return f"{a}-{b}-{c:04d}"
        if style == "dots":
            return f"{a}.{b}.{c:04d}"
        if style == "paren":
            return f"({a}) {b}-{c:04d}"
        if style == "lookalike":
            table = {"5": "S", "8": "B", "2": "Z", "0": "O", "1": "l"}
            out = list(f"{a}-{b}-{c:04d}")
            idx = [i for i, ch in enumerate(out) if ch in table]
            for i in self.r.sample(idx, min(len(idx), self.r.randint(2, 3))):
                out[i] = table[out[i]]
            return "".join(out)
        if style == "spaced":
            return f"{a} {b} {c:04d}"
        if style == "plus":
            return f"+1 {a} {b} {c:04d}"
        if style == "words":
            words = "zero one two three four five six seven eight nine".split()
            return " ".join(words[int(d)] for d in digits[:7])
        if style == "fr":
            return "06 " + " ".join(f"{self.r.randint(10, 99)}" for _ in range(4))
        return f"+52 55 {self.r.randint(1000, 9999)} {self.r.randint(1000, 9999)}"

    def email(self, first, last):
        f, la = strip_accents(first).lower().replace(" ", ""), strip_accents(last).lower()
        local = self.pick([f"{f}.{la}", f"{f}{self.r.randint(70, 99)}", f"{f[0]}{la}", f"{la}_{f}"])
        dom = self.pick(["gmail.com", "hotmail.com", "yahoo.fr", "outlook.es", "icloud.com"])
        style = self.pick(["plain", "plain", "at", "brackets"])
        if style == "plain":
            return f"{local}@{dom}"
        if style == "at":
            return f"{local} at {dom.replace('.', ' dot ')}"
        return f"{local}[at]{dom}"

    def birth(self, lang):
        y, m, d = self.r.randint(1965, 2008), self.r.randint(1, 12), self.r.randint(1, 28)
        en_m = "January February March April May June July August September October November December".split()  # noqa: E501
        es_m = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()  # noqa: E501
        fr_m = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()  # noqa: E501
        if lang == "en":
            cue = self.pick(["DOB", "dob:", "born", "born on", "date of birth", "birthday is"])
            val = self.pick(
                [
                    f"{m}/{d}/{y}",
                    f"{en_m[m - 1]} {d}, {y}",
                    f"{m}-{d}-{str(y)[2:]}",
                    f"{en_m[m - 1]} {d}",
                ]
            )
        elif lang == "es":
            cue = self.pick(["fecha de nacimiento", "nació el", "nacida el", "F. nac.", "cumple"])
            val = self.pick(
                [
                    f"{d}/{m}/{y}",
                    f"{d} de {es_m[m - 1]} de {y}",
                    f"{d}-{m}-{y}",
                    f"{d} de {es_m[m - 1]}",
                ]
            )
        else:
            cue = self.pick(["née le", "né le", "date de naissance", "DDN"])
            val = self.pick([f"{d}/{m:02d}/{y}", f"{d} {fr_m[m - 1]} {y}", f"{d}.{m:02d}.{y}"])
        return f"{cue} {val}"

    def street(self, lang):
        if lang == "en":
            name = self.pick(
                [
                    "Elm",
                    "Maple",
                    "Cedar",
                    "Hawthorne",
                    "Lincoln",
                    "Greenwood",
                    "Kedvale",
                    "Pulaski",
                    "Sycamore",
                ]
            )
            return self.pick(
                [
                    f"lives on {name} street",
                    f"stays at {self.r.randint(10, 9999)} {name} Ave",
                    f"lives on {name} near the laundromat",
                    f"her place on {name} Rd",
                    f"moved to {self.r.randint(10, 999)} {name.lower()} st apt {self.r.randint(1, 40)}",  # noqa: E501
                    f"living at the yellow house on {name} Street",
                ]
            )
        if lang == "es":
            name = self.pick(
                [
                    "Hidalgo",
                    "Morelos",
                    "de los Olivos",
                    "Independencia",
                    "San Martín",
                    "Bolívar",
                    "Reforma",
                ]
            )
            return self.pick(
                [
                    f"vive en calle {name}",
                    f"vive en la calle {name} {self.r.randint(1, 300)}",
                    f"se queda en avenida {name}, cerca del mercado",
                    f"su casa está en calle {name} esquina con Juárez",
                    f"vive en el {self.r.randint(1, 400)} de la calle {name}",
                ]
            )
        name = self.pick(
            [
                "de la Paix",
                "Victor Hugo",
                "des Lilas",
                "Jean Jaurès",
                "du Moulin",
                "Pasteur",
                "de la République",
            ]
        )
        return self.pick(
            [
                f"habite rue {name}",
                f"habite au {self.r.randint(1, 120)} rue {name}",
                f"loge avenue {name} chez une amie",
                f"vit boulevard {name}, 3e étage",
                f"elle habite impasse {name}",
            ]
        )

    def id_number(self):
        return self.pick(
            [
                f"SSN {self.r.randint(100, 899)}-{self.r.randint(10, 99)}-{self.r.randint(1000, 9999)}",  # noqa: E501
                f"A-number A{self.r.randint(10000000, 99999999)}",
                f"passport {self.pick('XNPG')}{self.r.randint(1000000, 9999999)}",
                f"CURP {self.pick(['GOLM', 'PERA', 'HEMJ'])}{self.r.randint(700101, 991231)}"
                f"{self.pick('HM')}DFRRN0{self.r.randint(1, 9)}",
                f"{self.r.randint(100, 899)}-{self.r.randint(10, 99)}-{self.r.randint(1000, 9999)}",
                f"NIE X{self.r.randint(1000000, 9999999)}{self.pick('ABCLMT')}",
            ]
        )

    def handle(self, first, last):
        f, la = strip_accents(first).lower(), strip_accents(last).lower()
        u = self.pick(
            [
                f"{f}_{self.r.randint(1990, 2008)}",
                f"{f}.{la}",
                f"{la}{f[:3]}",
                f"x{f}x{self.r.randint(1, 99)}",
                f"{f}{la}_oficial",
            ]
        )
        return self.pick(
            [
                f"her Instagram is @{u}",
                f"IG: @{u}",
                f"TikTok {u}",
                f"tiktok.com/@{u}",
                f"snapchat: {u}",
                f"snap {u}",
                f"facebook.com/{f}.{la}.{self.r.randint(1, 99)}",
                f"t.me/{u}",
                f"wa.me/1{self.r.randint(2000000000, 9999999999)}",
                f"instagram.com/{u}",
                f"telegram @{u}",
                f"su insta es {u}",
            ]
        )

    def plate(self):
        L = "ABCDEFGHJKLMNPRSTUVWXYZ"
        return self.pick(
            [
                f"{''.join(self.r.choice(L) for _ in range(3))}-{self.r.randint(1000, 9999)}",
                f"{''.join(self.r.choice(L) for _ in range(2))}-{self.r.randint(100, 999)}-"
                f"{''.join(self.r.choice(L) for _ in range(2))}",
                f"{self.r.randint(1, 9)}{''.join(self.r.choice(L) for _ in range(3))}{self.r.randint(100, 999)}",  # noqa: E501
                f"{self.r.randint(1000, 9999)} {''.join(self.r.choice(L) for _ in range(3))}",
            ]
        )

    def case_with_name(self, first, last):
        y = self.r.randint(2019, 2026)
        f, la = strip_accents(first), strip_accents(last).upper().replace(" ", "")
        return self.pick(
            [
                f"{y}-{la}-{f}-{self.r.randint(1, 300):03d}",
                f"{la}{y}-{self.r.randint(1, 99)}",
                f"CM-{la}-{f[0]}{self.r.randint(10, 99)}",
                f"{f[0]}{la[0]}-{y}-{la}",
            ]
        )


def identifying(g: Gen, lang: str, kind: str) -> str:
    """One note that identifies a client, of ``kind``, in ``lang``."""
    c, form, full = g.name_form()
    _, first, last = g.person()
    T = {
        ("name", "en"): [
            "{n} came in for the food bank today",
            "met {n} at intake, she wants legal advice",
            "{n} missed the appointment again",
            "spoke with {n} about housing options",
            "referred {n} to the clinic, no insurance",
            "{n} was upset about the wait",
            "follow up with {n} next week re: ESL class",
        ],
        ("name", "es"): [
            "{n} vino hoy por despensa",
            "hablé con {n} sobre vivienda",
            "{n} no llegó a la cita",
            "acompañé a {n} a la clínica",
            "{n} necesita intérprete de mam",
            "se refirió a {n} a asesoría legal",
            "{n} estaba muy nerviosa en la entrevista",
        ],
        ("name", "fr"): [
            "{n} est venue ce matin pour un colis",
            "entretien avec {n}, besoin d'un avocat",
            "{n} ne s'est pas présentée au rendez-vous",
            "orienté {n} vers la permanence juridique",
            "{n} attendait depuis deux heures",
            "accompagné {n} à la PASS de l'hôpital",
            "rappeler {n} la semaine prochaine",
        ],
        ("phone", "en"): [
            "her cell is {p}, text only",
            "call back at {p} after 6",
            "new number {p}",
            "client phone {p}",
            "reach her on {p} (her cousin's)",
        ],
        ("phone", "es"): [
            "su celular es {p}",
            "llamar al {p} después de las 6",
            "número nuevo: {p}",
            "whatsapp {p}",
            "dejó el {p} de su prima",
        ],
        ("phone", "fr"): [
            "son portable : {p}",
            "rappeler au {p} après 18h",
            "nouveau numéro {p}",
            "joignable au {p} (chez sa tante)",
        ],
        ("email", "en"): ["email her at {e}", "client email {e}", "she wrote from {e}"],
        ("email", "es"): ["su correo es {e}", "escribir a {e}", "correo: {e}"],
        ("email", "fr"): ["son mail : {e}", "écrire à {e}", "adresse mail {e}"],
        ("date", "en"): ["client {b}, needs pediatric", "{b}, first visit", "intake: {b}"],
        ("date", "es"): ["la usuaria {b}, primera vez", "{b}, viene sola", "menor, {b}"],
        ("date", "fr"): [
            "la jeune fille, {b}, est arrivée seule",
            "{b}, première visite",
            "usagère {b}",
        ],
        ("address", "en"): ["{s}, door code needed", "she {s}", "client {s} with two kids"],
        ("address", "es"): ["{s}, con sus hijos", "la señora {s}", "ahora {s}"],
        ("address", "fr"): ["{s} avec ses enfants", "la dame {s}", "depuis mars, {s}"],
        ("id_number", "en"): [
            "her {i} is on the form",
            "copied {i} for the lawyer",
            "client gave {i}",
        ],
        ("id_number", "es"): [
            "su {i} quedó en el expediente",
            "nos dio {i}",
            "anoté {i} para el abogado",
        ],
        ("id_number", "fr"): [
            "numéro {i} noté pour l'avocat",
            "elle a donné {i}",
            "{i} sur le dossier",
        ],
        ("handle", "en"): [
            "{h}, that's how she talks to the recruiter",
            "{h} - she posts from the motel",
            "find her at {h}",
        ],
        ("handle", "es"): [
            "{h}, ahí la contacta el reclutador",
            "la encuentras en {h}",
            "{h} (cuenta de la chica)",
        ],
        ("handle", "fr"): [
            "{h}, c'est là que le recruteur lui écrit",
            "on la trouve sur {h}",
            "compte {h}",
        ],
        ("plate", "en"): [
            "the car that drops her off has plate {t}",
            "plates {t}, grey Honda",
            "he drives a van, license plate {t}",
        ],
        ("plate", "es"): [
            "la camioneta con placas {t} la deja aquí",
            "placa {t}, carro gris",
            "anotó la matrícula {t}",
        ],
        ("plate", "fr"): [
            "la voiture immatriculée {t} la dépose",
            "plaque {t}, Clio grise",
            "immatriculation {t}",
        ],
        ("case_number", "en"): [
            "see file {k} for the court date",
            "case {k} closed",
            "transferred {k} to legal",
        ],
        ("case_number", "es"): ["ver expediente {k}", "caso {k} cerrado", "se transfirió {k}"],
        ("case_number", "fr"): ["voir dossier {k}", "dossier {k} clôturé", "transféré {k}"],
        ("employer", "en"): [
            "{f}, who cleans rooms at the motel on Route 12, came in",
            "{f} from the nail salon on 5th asked about wages",
            "{f} works nights at the car wash on Pulaski, wants help",
            "talked to {f}, the cook at the taquería by the bridge",
        ],
        ("employer", "es"): [
            "{f}, la que limpia cuartos en el motel de la carretera, vino",
            "{f} trabaja en la maquila de la colonia Obrera",
            "{f}, el cocinero de la taquería junto al puente, pidió ayuda",
        ],
        ("employer", "fr"): [
            "{f}, qui fait le ménage à l'hôtel près de la gare, est venue",
            "{f} travaille au salon de manucure de la rue commerçante",
            "{f}, le plongeur du restaurant chinois du centre, a appelé",
        ],
    }
    template = g.pick(T[(kind, lang)])
    return template.format(
        n=full,
        p=g.phone(),
        e=g.email(first, last),
        b=g.birth(lang),
        s=g.street(lang),
        i=g.id_number(),
        h=g.handle(first, last),
        t=g.plate(),
        k=g.case_with_name(first, last),
        f=first,
    ), (form if kind == "name" else kind)


def ordinary(g: Gen, lang: str, kind: str) -> tuple[str, int | None]:
    """One ordinary note of ``kind`` in ``lang``; with the index of the service it is about
    when it mentions that service's own phone, address, website or hours."""
    sv = g.r.randrange(len(SERVICES))
    s = SERVICES[sv]
    n = g.r.randint(2, 9)
    price = g.pick(["$10", "$25", "$5.50", "10 €", "15 euros", "$120", "3 dólares"])
    visit = g.pick(["5/14/2024", "March 3", "last Tuesday", "10/02", "2024-11-05", "Nov. 18"])
    T = {
        ("own_phone", "en"): [
            f"called the intake line {s['phone']}, they answered quickly",
            f"their number {s['phone']} goes to voicemail after 5",
            f"gave the client {s['phone']} for appointments",
        ],
        ("own_phone", "es"): [
            f"llamé al {s['phone']} y contestaron rápido",
            f"el número de ellos, {s['phone']}, no contesta los viernes",
        ],
        ("own_phone", "fr"): [
            f"appelé le {s['phone']}, bon accueil",
            f"le standard {s['phone']} sonne longtemps",
        ],
        ("own_address", "en"): [
            f"the office at {s['address']} has a ramp now",
            f"{s['address']} is hard to find, entrance on the side",
        ],
        ("own_address", "es"): [
            f"la oficina en {s['address']} tiene rampa",
            f"en {s['address']} hay que tocar el timbre",
        ],
        ("own_address", "fr"): [
            f"l'accueil au {s['address']} est accessible",
            f"au {s['address']}, sonner à l'interphone",
        ],
        ("own_website", "en"): [
            f"booked online through {s['website']}",
            f"{s['website']} lists the wrong hours",
        ],
        ("own_website", "es"): [f"se pide cita en {s['website']}"],
        ("own_website", "fr"): [f"prise de rendez-vous sur {s['website']}"],
        ("own_hours", "en"): [f"open {s['hours']}, we got there at 4 and they still saw us"],
        ("own_hours", "es"): [f"abren {s['hours']}, llegamos temprano"],
        ("own_hours", "fr"): [f"ouvert {s['hours']}, on est arrivés à l'heure"],
        ("visit_date", "en"): [
            f"seen on {visit}, paid {price}",
            f"visit on {visit} went well",
            f"appointment {visit} at 10:30, waited {n}0 min",
            f"follow-up visit scheduled for {visit}",
        ],
        ("visit_date", "es"): [
            "cita del 14/05/2024, pagó 10 dólares",
            f"la visita del {g.r.randint(1, 28)} de marzo fue buena",
            f"cita el {g.r.randint(1, 28)}/{g.r.randint(1, 12)} a las 9",
        ],
        ("visit_date", "fr"): [
            "rendez-vous du 14/05/2024, tout s'est bien passé",
            f"vue le {g.r.randint(1, 28)} mars, attente {n}0 min",
            f"prochain rendez-vous le {g.r.randint(1, 28)}/{g.r.randint(1, 12)}",
        ],
        ("bus", "en"): [
            f"take the #{g.r.randint(2, 99)} bus to the last stop",
            f"Route {g.r.randint(2, 99)} bus stops right outside",
            f"bus {g.r.randint(2, 99)} then walk {n} blocks",
        ],
        ("bus", "es"): [
            f"tomar la ruta {g.r.randint(2, 99)} hasta el final",
            f"el camión #{g.r.randint(2, 99)} pasa enfrente",
        ],
        ("bus", "fr"): [
            f"prendre le bus {g.r.randint(20, 99)} jusqu'au terminus",
            f"ligne {g.r.randint(2, 14)} du métro, sortie {n}",
        ],
        ("price", "en"): [f"copay was {price}, sliding scale", f"the clinic charged {price}"],
        ("price", "es"): [f"cobraron {price} por la consulta", f"la consulta cuesta {price}"],
        ("price", "fr"): [f"consultation à {price}", f"ils ont demandé {price} de participation"],
        ("staff_role", "en"): [
            "the nurse was kind, the interpreter arrived late",
            "the intake worker asked for ID, client left",
            "case manager at the front desk was helpful",
            "the Spanish-speaking advocate explained everything",
        ],
        ("staff_role", "es"): [
            "la enfermera fue amable y la intérprete llegó tarde",
            "la trabajadora social pidió documentos",
            "el abogado explicó el proceso de visa T",
        ],
        ("staff_role", "fr"): [
            "l'infirmière était gentille, l'interprète en retard",
            "l'assistante sociale a demandé des papiers",
            "la médiatrice a tout expliqué",
        ],
        ("place", "en"): [
            "the clinic in Santa Ana is closer for her",
            "went to the Jackson Park office instead",
            "the shelter near Lake Charles was full",
            "Victoria Station bus stop is next to it",
            "the Lincoln Park location has evening hours",
            "she prefers the St. Paul office",
            "transferred to the Fort Myers clinic",
        ],
        ("place", "es"): [
            "la clínica de San José atiende sin papeles",
            "en Santa Rosa hay albergue para mujeres",
            "fue a la oficina de Villa Guadalupe",
            "en Ciudad Juárez no había lugar",
        ],
        ("place", "fr"): [
            "l'accueil de Saint-Denis était complet",
            "orientée vers le centre de Villeneuve-Saint-Georges",
            "la PASS de Sainte-Anne reçoit sans rendez-vous",
            "le foyer de Mont-Saint-Aignan a une place",
        ],
        ("plain", "en"): [
            f"waited {n}0 minutes, staff were respectful",
            "interpreter offered, client felt welcome",
            f"turned away, asked for documents, {n} people in line",
            "good experience, will refer again",
        ],
        ("plain", "es"): [
            f"esperó {n}0 minutos, trato respetuoso",
            "le ofrecieron intérprete, se sintió bienvenida",
            "le pidieron documentos y se fue",
        ],
        ("plain", "fr"): [
            f"attente de {n}0 minutes, accueil respectueux",
            "interprète proposé, bonne expérience",
            "refusée faute de papiers",
        ],
    }
    text = g.pick(T[(kind, lang)])
    return text, (sv if kind.startswith("own_") else None)


ID_KINDS = [
    "name",
    "phone",
    "email",
    "date",
    "address",
    "id_number",
    "handle",
    "plate",
    "case_number",
    "employer",
]
ORD_KINDS = [
    "own_phone",
    "own_address",
    "own_website",
    "own_hours",
    "visit_date",
    "bus",
    "price",
    "staff_role",
    "place",
    "plain",
]


def build() -> dict:
    g = Gen(SEED)
    notes = []
    seen = set()
    for lang in ("en", "es", "fr"):
        for kind in ID_KINDS:
            per = 30 if kind == "name" else 12
            tries = 0
            made = 0
            while made < per and tries < per * 20:
                tries += 1
                text, label = identifying(g, lang, kind)
                if text in seen:
                    continue
                seen.add(text)
                made += 1
                notes.append(
                    {
                        "text": text,
                        "lang": lang,
                        "identifying": True,
                        "kind": kind,
                        "form": label,
                        "service": None,
                    }
                )
        for kind in ORD_KINDS:
            per = 12 if kind in ("place", "visit_date", "staff_role", "bus") else 7
            tries = 0
            made = 0
            while made < per and tries < per * 30:
                tries += 1
                text, sv = ordinary(g, lang, kind)
                if text in seen:
                    continue
                seen.add(text)
                made += 1
                notes.append(
                    {
                        "text": text,
                        "lang": lang,
                        "identifying": False,
                        "kind": kind,
                        "form": kind,
                        "service": sv,
                    }
                )
    # the one split, seeded, stratified by language, kind and label
    split = random.Random(SEED + 1)
    groups: dict = {}
    for note in notes:
        groups.setdefault((note["lang"], note["kind"], note["identifying"]), []).append(note)
    for members in groups.values():
        split.shuffle(members)
        for i, note in enumerate(members):
            note["split"] = "dev" if i % 2 == 0 else "test"
    return {"seed": SEED, "services": SERVICES, "notes": notes}


if __name__ == "__main__":
    data = build()
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    n = data["notes"]
    print(
        f"{len(n)} notes ({sum(x['identifying'] for x in n)} identifying), "
        f"{sum(x['split'] == 'test' for x in n)} in the test half -> {OUT}"
    )
