"""The flask-smorest ``Api`` of an app (JSON API under /api/v1, OpenAPI document).

One per app (made in ``create_app``): the OpenAPI document belongs to the app it describes.
"""

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
