"""Today's pages on a phone (390 × 844) in Spanish: the round page with its respondent link
and suggestions, the service page with its change history open, and the HSDS page with an
import's problems and report fit the screen (no sideways scrolling, nothing past its right
edge), and their controls are reached by keyboard."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from directory.hsds.importing import load
from directory.models import Service
from tests.e2e.conftest import log_in
from tests.e2e.test_assessment_guidance import _round
from tests.web.test_hsds_facts import LEGAL, package_3_0, read_csv, uid, write

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}

# visible elements whose box passes the screen's right edge (the skip link and visually
# hidden labels are placed off screen on purpose)
PAST_THE_EDGE = """() => {
  const width = document.documentElement.clientWidth, out = [];
  for (const el of document.querySelectorAll('main *')) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || el.closest('.visually-hidden')) continue;
    if (box.right > width + 1) out.push(`${el.tagName} ${Math.round(box.right)}px: `
      + (el.textContent || '').trim().slice(0, 50));
  }
  return out.slice(0, 5);
}"""


def _fits(page) -> None:
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(PAST_THE_EDGE) == []


def _tab_to(page, name: str, limit: int = 150) -> None:
    """Tab from the top until the control named ``name`` has the focus."""
    page.evaluate("window.scrollTo(0, 0); document.activeElement.blur()")
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(document.activeElement.innerText || document.activeElement.value || "
            "document.activeElement.id || '').trim()"
        )
        if focused == name:
            return
    raise AssertionError(f"{name!r} not reached by keyboard")


def _messy_zip(tmp: Path) -> Path:
    """The 3.0 package with a place at a missing location and an over-long alternate name."""
    folder = package_3_0(tmp / "messy")
    sal = read_csv(folder / "service_at_location.csv")
    sal.append({"id": uid("sal-missing"), "service_id": LEGAL, "location_id": uid("nowhere")})
    write(folder, "service_at_location", sal)
    services = read_csv(folder / "services.csv")
    services[0]["alternate_name"] = "Ñ" * 250
    write(folder, "services", services)
    path = tmp / "messy.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for csv_file in folder.glob("*.csv"):
            archive.write(csv_file, csv_file.name)
    return path


def test_todays_pages_fit_a_phone_in_spanish_and_answer_the_keyboard(browser, site, tmp_path):
    load.import_package(db.session, package_3_0(tmp_path / "good"), source="good")
    db.session.commit()
    legal = db.session.scalar(select(Service).where(Service.hsds_id == LEGAL))
    answers = {"d09.01": "no", "d09.02": "no", "d02.01": "no", "d04.01": "yes", "d04.02": "no"}
    round_ = _round(answers)
    messy = _messy_zip(tmp_path)
    context = browser.new_context(viewport=PHONE, locale="es-ES", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        log_in(page, site, "coord@test.example")
        page.goto(f"{site}/assessments/rounds/{round_.id}")
        assert page.evaluate("document.documentElement.lang") == "es"
        _fits(page)
        for control in ("Copiar enlace", "Aceptar en el plan", "Descartar"):
            _tab_to(page, control)
        page.goto(f"{site}/services/{legal.id}")
        _fits(page)
        for skip in (False, True):  # refused whole, then imported with the rejected rows listed
            page.goto(f"{site}/hsds")
            page.set_input_files("#h-package", str(messy))
            if skip:
                page.check("input[name=skip_invalid]")
            page.locator("form[data-progress] button[type=submit]").click()
            page.wait_for_load_state()
            # the over-long name is refused by row (a link to a missing place is only left
            # out with why, since published feeds carry such links)
            assert "services:2:alternate_name" in page.content()
            _fits(page)  # the job's page, with its report
        page.goto(f"{site}/hsds")
        _tab_to(page, "h-package")
    finally:
        context.close()
