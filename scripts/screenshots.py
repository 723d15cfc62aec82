"""Take the README's screenshots with the browser tests' own tooling.

Run: ``.venv/bin/python scripts/screenshots.py`` (needs Debian's chromium). It serves the
demo directory from a temporary SQLite database on 127.0.0.1 and writes docs/img/*.png.
"""

from __future__ import annotations

import secrets
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from app import create_app  # noqa: E402
from app.auth import create_user  # noqa: E402
from app.config import config_for_tests  # noqa: E402
from app.extensions import db  # noqa: E402
from directory import seeding  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402

PASSWORD = secrets.token_urlsafe(16)  # a throw-away user in a temporary database


def main() -> None:
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(config_for_tests(f"sqlite:///{tmp}/shots.db"))
        with app.app_context():
            upgrade()
            seeding.load_demo(db.session)
            create_user("coordinator@demo.example", "coordinator", PASSWORD)
            db.session.commit()
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
                page.locator("article.result a").first.click()
                page.screenshot(path=str(out / "service.png"), full_page=True)
                browser.close()
            server.shutdown()
    print(f"Wrote {out}/search.png and service.png")


if __name__ == "__main__":
    main()
