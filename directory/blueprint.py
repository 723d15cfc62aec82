"""The directory's two blueprints, on the ground floor so that a feature's pages and API
can register on them without importing the package hub (``directory/__init__.py``, which
imports every feature): the pages' ``bp`` and the JSON API's ``blp`` (``/api/v1``)."""

from __future__ import annotations

from flask import Blueprint
from flask_smorest import Blueprint as ApiBlueprint

bp = Blueprint("directory", __name__, template_folder="templates")

blp = ApiBlueprint(
    "directory_api", __name__, description="Directory: categories, organizations, services"
)
