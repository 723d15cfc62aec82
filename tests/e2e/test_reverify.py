"""Re-verification in one page (#22): an unchanged service takes one click from the queue."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from app.extensions import db
from directory.models import Service
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_an_unchanged_service_is_verified_from_the_queue_in_one_click(page, site):
    log_in(page, site, "coord@test.example")
    page.goto(f"{site}/review")
    row = page.locator("#queue tbody tr").first
    name = row.locator("td").first.inner_text()
    started, clicks = time.monotonic(), 0
    with page.expect_navigation():
        row.get_by_role("button", name=f"Verified, no change: {name}").click()
        clicks += 1
    elapsed = time.monotonic() - started
    expect(page.locator(".flash")).to_contain_text("Marked verified today")
    expect(page.locator("#queue")).not_to_contain_text(name)  # off the queue
    assert clicks <= 3
    assert elapsed <= 15
    db.session.expire_all()
    service = db.session.query(Service).filter_by(name=name).first()
    assert service.last_verified is not None


def test_edit_from_the_queue_saves_and_verifies_then_returns(page, site):
    log_in(page, site, "coord@test.example")
    page.goto(f"{site}/review")
    row = page.locator("#queue tbody tr").first
    name = row.locator("td").first.inner_text()
    row.get_by_role("link", name=f"Edit {name}").click()
    page.get_by_role("link", name="Full form (every field)").click()
    page.get_by_label("Description").fill("Checked with the partner today.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and mark verified").click()
    assert page.url.endswith("/review#queue")
    expect(page.locator(".flash")).to_contain_text("saved and marked verified")
    expect(page.locator("#queue")).not_to_contain_text(name)
