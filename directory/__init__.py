"""The referral directory: organizations, services, locations, search, geo, sheets."""

from flask import Blueprint

bp = Blueprint("directory", __name__, template_folder="templates")

from directory import routes  # noqa: E402,F401  (registers the page routes)
