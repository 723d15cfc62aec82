"""Take the README's screenshots with the browser tests' own tooling.

Run: ``.venv/bin/python scripts/screenshots.py`` (needs Debian's chromium). It serves the
demo directory from a temporary SQLite database on 127.0.0.1 and writes docs/img/*.png.
"""

from __future__ import annotations

import secrets
import sys
import tempfile
import threading
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from sqlalchemy import select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from app import create_app  # noqa: E402
from app.config import config_for_tests  # noqa: E402
from app.extensions import db  # noqa: E402
from app.users import create_user  # noqa: E402
from directory import seeding  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402

PASSWORD = secrets.token_urlsafe(16)  # a throw-away user in a temporary database


def main() -> None:
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            config_for_tests(f"sqlite:///{tmp}/shots.db")
            | {"PUBLIC_BASE_URL": "https://directory.example.org"}
        )
        with app.app_context():
            upgrade()
            seeding.load_demo(db.session)
            coordinator = create_user("coordinator@demo.example", "coordinator", PASSWORD)
            create_user("casemanager@demo.example", "case_manager", PASSWORD)
            db.session.commit()
            demo_assessment(coordinator)
            server = make_server("127.0.0.1", 0, app, threaded=True)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            base = f"http://127.0.0.1:{server.server_port}"
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
                page = browser.new_page(viewport={"width": 1100, "height": 1000})
                page.goto(f"{base}/login")
                page.get_by_label("E-mail").fill("coordinator@demo.example")
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Log in").click()
                page.goto(f"{base}/?category=shelters&language=es&near=60601&radius_km=50")
                page.screenshot(path=str(out / "search.png"))
                page.locator("article.result h2 a").first.click()
                page.screenshot(path=str(out / "service.png"), full_page=True)
                page.goto(f"{base}/assessments")
                page.get_by_role("link", name="ICMEC Service Assessment Tool (demo round)").click()
                page.screenshot(path=str(out / "assessment.png"), full_page=False)
                page.goto(f"{base}/sheets?category=hotlines&category=shelters&lang=es")
                page.screenshot(path=str(out / "sheet.png"))
                phone_in_spanish(browser, base)
                browser.close()
            server.shutdown()
    print(f"Wrote search.png, service.png, assessment.png, sheet.png, phone-es.png in {out}")


def phone_in_spanish(browser, base: str) -> None:
    """A case manager's phone set to Spanish: "albergue" near 60601, the page landing on
    the results (a case manager sees a confidential shelter's town, not its address)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, locale="es-ES"
    )
    page = context.new_page()
    page.goto(f"{base}/login")
    page.locator("#email").fill("casemanager@demo.example")
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/")
    page.locator("#q").fill("albergue")
    page.locator("#near").fill("60601")
    page.locator("form.filters button[type=submit]").first.click()
    page.wait_for_load_state()
    page.screenshot(path=str(ROOT / "docs" / "img" / "phone-es.png"))
    context.close()


def demo_assessment(user) -> None:
    """A round of the service assessment with three respondents, for the screenshot."""
    import random

    from assessment import instruments, rounds
    from assessment.models import Facility
    from directory.models import Organization

    rng = random.Random(3)  # noqa: S311 - demo answers, not security
    org = db.session.scalar(
        select(Organization).where(Organization.name == "Lakeshore General Hospital (demo)")
    )
    facility = Facility(organization_id=org.id)
    db.session.add(facility)
    db.session.flush()
    tool = instruments.get(instruments.SERVICE)
    round_ = rounds.open_round(
        db.session,
        facility,
        tool,
        user,
        date.today(),
        title="ICMEC Service Assessment Tool (demo round)",
    )
    for role in ("nurse", "clinician", "leadership"):
        answers = {}
        for code, item in tool.items.items():
            if item.parent and answers.get(item.parent) != item.asked_if:
                continue
            answers[code] = rng.choice(("yes", "yes", "no", "na"))
        ratings = {s.code: rng.randint(2, 5) for s in tool.rated_sections}
        rounds.save_response(
            db.session,
            round_,
            {"respondent_role": role, "answers": answers, "ratings": ratings, "submit": True},
            user,
        )
    rounds.add_goal(
        db.session,
        round_,
        {"horizon": "10_days", "section": "d09", "text": "Name a private room for interviews"},
        date.today(),
    )
    db.session.commit()


if __name__ == "__main__":
    main()
