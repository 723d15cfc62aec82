"""Facility assessments: the ICMEC service assessment and the Core Competencies
self-assessment, their rounds, scoring, improvement plans and network roll-up, linked to
the directory (a facility is a directory organization)."""

from flask import Blueprint, Flask
from flask_smorest import Api

from app.extensions import DbSession

bp = Blueprint("assessment", __name__, template_folder="templates", url_prefix="/assessments")

from assessment import models, pages  # noqa: E402,F401  (models and pages)


def init_app(app: Flask, api: Api) -> None:
    """Register the pages and API, check the instrument files (a broken one stops start-up),
    and add the instruments' report to ``seed demo``."""
    from app.extensions import csrf
    from assessment import api as assessment_api
    from assessment.instruments import all_instruments
    from assessment.labels import FILTERS

    app.register_blueprint(bp)
    for name, function in FILTERS.items():
        app.add_template_filter(function, name)
    for blueprint in assessment_api.blueprints:
        api.register_blueprint(blueprint, url_prefix="/api/v1")
        csrf.exempt(blueprint)
    all_instruments()
    app.extensions.setdefault("seeders", []).append(seed_report)


def seed_report(session: DbSession, if_empty: bool) -> list[str]:  # noqa: ARG001
    """``seed demo``'s assessment part: the instruments are data, loaded and checked at
    start-up; this says what they hold."""
    from assessment.instruments import all_instruments

    return [
        f"Instrument {i.code}: {len(i.sections)} sections, {len(i.items)} items, "
        f"maximum {i.grand_maximum}."
        for i in all_instruments().values()
    ]
