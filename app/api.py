"""The flask-smorest ``Api`` of an app (JSON API under /api/v1, OpenAPI document).

One per app (made in ``create_app``): the OpenAPI document belongs to the app it describes.
"""

import orjson
from flask import Response, current_app

from app.errors import DirectoryApi


def make_api() -> DirectoryApi:
    return DirectoryApi(
        spec_kwargs={
            "info": {"description": "Search and maintain the referral network directory."},
            "components": {
                "securitySchemes": {
                    "bearer": {"type": "http", "scheme": "bearer"},
                    "session": {"type": "apiKey", "in": "cookie", "name": "session"},
                }
            },
            "security": [{"bearer": []}, {"session": []}],
        }
    )


def json_response(data: object, status: int = 200) -> Response:
    """``data`` written as JSON by orjson, as the marshmallow schemas would write it (dates
    ISO 8601; naive datetimes, which the database keeps in UTC, with their ``+00:00``)
    at a fraction of the cost. For hot read paths that hand flask-smorest a finished
    Response: the endpoint's schema still documents the answer, and a test checks the two
    agree."""
    body = orjson.dumps(data, option=orjson.OPT_NAIVE_UTC)
    return current_app.response_class(body, status=status, mimetype="application/json")
