"""An assessment answered across sections in a browser (#28), on a phone in French: the
section links keep every answer, and a second "Start" by the same viewer is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from assessment.models import Response
from tests.e2e.conftest import log_in
from tests.e2e.test_assessment_guidance import _round

pytestmark = pytest.mark.e2e


def test_answers_kept_across_sections_and_one_response_per_viewer(browser, site):
    round_ = _round()
    db.session.commit()
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, site, "viewer@test.example")
        page.goto(f"{site}/assessments/rounds/{round_.id}/respond")
        page.locator("#role").select_option("nurse")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/d01")
        page.locator("#a-d01\\.01-yes").check()
        page.locator("nav.pager button[value=d03]").click()  # a section link, not "Next"
        page.wait_for_url("**/d03")
        page.locator("#a-d03\\.01-no").check()
        page.locator("nav.pager button[value=d01]").click()
        page.wait_for_url("**/d01")
        assert page.locator("#a-d01\\.01-yes").is_checked()
        page.locator("nav.pager button[value=d03]").click()
        page.wait_for_url("**/d03")
        assert page.locator("#a-d03\\.01-no").is_checked()
        db.session.expire_all()
        response = db.session.scalar(select(Response).where(Response.round_id == round_.id))
        assert response.answers == {"d01.01": "yes", "d03.01": "no"}
        # the round's start page offers this response again, never a second one
        page.goto(f"{site}/assessments/rounds/{round_.id}/respond")
        assert page.locator("#role").count() == 0
        page.request.post(
            f"{site}/assessments/rounds/{round_.id}/respond",
            form={"respondent_role": "clinician"},
        )
        assert (
            db.session.scalar(
                select(func.count()).select_from(Response).where(Response.round_id == round_.id)
            )
            == 1
        )
    finally:
        context.close()
