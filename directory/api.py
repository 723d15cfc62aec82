"""The directory's JSON API blueprint (``/api/v1``); each concept's ``api`` module adds
its endpoints to it."""

from __future__ import annotations

from flask_smorest import Blueprint

from directory.blueprint import blp


def blueprints() -> list[Blueprint]:
    """The blueprint with every concept's endpoints on it."""
    from directory.catalog import api as _catalog  # noqa: F401
    from directory.hsds import imports_api as _hsds_imports  # noqa: F401
    from directory.lists import api as _lists  # noqa: F401
    from directory.partners import api as _partners  # noqa: F401
    from directory.referrals import api as _referrals  # noqa: F401
    from directory.search import api as _search  # noqa: F401

    return [blp]
