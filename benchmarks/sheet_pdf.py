"""Time the printed directory sheet: N services (default 500) rendered to PDF.

Run: ``.venv/bin/python benchmarks/sheet_pdf.py [--services 500] [--paper a4]``.
It builds a throw-away SQLite directory with the app's own migrations, fills it with
synthetic services spread over every Section V category, then renders
``/sheets/directory.pdf`` through the app (the full request path) and prints the time and
the page count. Target (issue 6): under 5 s for 500 services on a 2-core machine.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from app import create_app  # noqa: E402
from app.config import config_for_tests  # noqa: E402
from app.extensions import db  # noqa: E402
from app.users import create_user  # noqa: E402
from directory import taxonomy  # noqa: E402
from directory.models import Location, Organization, Phone, Service, ServiceHours  # noqa: E402

PASSWORD = "benchmark password 1"  # noqa: S105 - a throw-away user in a temporary database


def fill(n: int, rng: random.Random) -> None:
    categories = list(taxonomy.categories())
    for i in range(n):
        org = Organization(name=f"Benchmark organization {i // 3}", kind="ngo")
        confidential = rng.random() < 0.1
        loc = Location(
            organization=org,
            address_1=f"{100 + i} Bench Street",
            city="Chicago",
            region="IL",
            postal_code="60601",
            latitude=41.88,
            longitude=-87.63,
            search_lat=41.88,
            search_lon=-87.63,
            timezone="America/Chicago",
            confidential=confidential,
        )
        s = Service(
            organization=org,
            location=loc,
            name=f"Benchmark service {i}",
            category=categories[i % len(categories)],
            languages="en es",
            description="A synthetic service for the benchmark.",
            length_of_stay="Up to 90 days" if i % 7 == 0 else None,
        )
        s.phones = [Phone(number=f"+1312555{1000 + i % 9000:04d}", kind="voice")]
        s.hours = [ServiceHours(weekday=d, opens=540, closes=1020) for d in range(5)]
        db.session.add(s)
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=500)
    parser.add_argument("--paper", default="a4", choices=["a4", "letter"])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(config_for_tests(f"sqlite:///{tmp}/bench.db"))
        with app.app_context():
            upgrade()
            fill(args.services, random.Random(args.seed))
            create_user("bench@example.org", "viewer", PASSWORD)
            db.session.commit()
            client = app.test_client()
            client.post("/login", data={"email": "bench@example.org", "password": PASSWORD})
            timings = []
            for _ in range(3):  # the first request also loads fonts and language names
                start = time.perf_counter()
                response = client.get(f"/sheets/directory.pdf?paper={args.paper}")
                timings.append(time.perf_counter() - start)
            pages = len(PdfReader(io.BytesIO(response.data)).pages)
    print(
        f"services={args.services} paper={args.paper} status={response.status_code} "
        f"first={timings[0]:.2f}s warm_best={min(timings[1:]):.2f}s pages={pages} "
        f"bytes={len(response.data)}"
    )


if __name__ == "__main__":
    main()
