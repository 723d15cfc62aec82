"""Facility assessments: the ICMEC service assessment and the Core Competencies
self-assessment, their rounds, scoring, improvement plans and network roll-up, linked to
the directory (a facility is a directory organization)."""

from flask import Blueprint

bp = Blueprint("assessment", __name__, template_folder="templates", url_prefix="/assessments")

from assessment import models, routes  # noqa: E402,F401  (models and page routes)
