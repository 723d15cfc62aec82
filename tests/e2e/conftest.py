"""Browser fixtures: the app served on 127.0.0.1 by a thread, Debian's chromium driven by
Playwright. A missing browser fails the run (it is installed by ``make test``)."""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app import create_app
from app.config import config_for_tests
from app.extensions import db
from app.users import create_user
from directory import seeding
from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def live_server(database_url):
    """The app on a free port of 127.0.0.1; yields its base URL."""
    app = create_app(config_for_tests(database_url))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with app.app_context():
        yield app, f"http://127.0.0.1:{server.server_port}"
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
        db.session.remove()
        # a request the browser started just before the end may still hold a connection;
        # disposing the pool under it would leave that connection to the garbage collector
        deadline = time.monotonic() + 10
        while db.engine.pool.checkedout() and time.monotonic() < deadline:
            time.sleep(0.05)
        db.engine.dispose()


@pytest.fixture
def site(live_server):
    """The served app with the demo directory and a case manager, coordinator and viewer."""
    _app, base = live_server
    seeding.load_demo(db.session)
    for email, role in (
        ("cm@test.example", "case_manager"),
        ("coord@test.example", "coordinator"),
        ("viewer@test.example", "viewer"),
    ):
        create_user(email, role, PASSWORD)
    db.session.commit()
    return base


def log_in(page, base, email):
    """Log in through the form, whatever language the browser asks the page in."""
    page.goto(f"{base}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/(\?.*)?$"))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"No browser at {CHROMIUM}: run `make test` (it installs Debian's chromium).")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        RESULTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)
        (RESULTS / f"{name}.html").write_text(page.content())
    context.close()
