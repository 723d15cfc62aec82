"""Facility assessments (ICMEC service assessment, Core Competencies self-assessment).

The instruments, rounds and scoring arrive with their own issue; the blueprint is here so
the application's shape is fixed from the start.
"""

from flask import Blueprint

bp = Blueprint("assessment", __name__, template_folder="templates", url_prefix="/assessments")
