"""The referral directory: organizations, services, locations, search, geo, sheets."""

from flask import Blueprint

bp = Blueprint("directory", __name__, template_folder="templates")

# the page modules register their routes on ``bp`` when imported
from directory import hsds_routes, routes, sheet_routes  # noqa: E402,F401
