"""The one flask-smorest ``Api`` of the app (JSON API under /api/v1, OpenAPI document)."""

from app.errors import DirectoryApi

api = DirectoryApi(
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
