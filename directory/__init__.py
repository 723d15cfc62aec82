"""The referral directory: organizations, services, locations, search, geo, sheets.

The ground floor (``models``, ``hours``, ``geo``, ``taxonomy``, ``languages``,
``identifiers``, ``aaaq``, ``fields``, ``visibility``, ``errors``) is shared; each concept
is a sub-package (``catalog``, ``search``, ``referrals``, ``sheets``, ``hsds``,
``partners``, ``lists``) with its
schemas, services and thin pages/API. ``init_app`` is all the shell calls.
"""

from flask import Flask
from flask_smorest import Api

from directory.blueprint import bp


def init_app(app: Flask, api: Api) -> None:
    """Register the directory's pages, API, commands, template helpers and error answers."""
    from app import passwords, retention
    from app.extensions import csrf
    from directory import api as directory_api
    from directory import cli, errors, geo, templating
    from directory.catalog import pages as _catalog  # noqa: F401
    from directory.hsds import jobs as _hsds_jobs  # noqa: F401  (its job kinds)
    from directory.hsds import pages as _hsds  # noqa: F401
    from directory.hsds.api import endpoints as hsds_api
    from directory.lists import pages as _lists  # noqa: F401
    from directory.partners import bulk as _bulk  # noqa: F401  (its job kind)
    from directory.partners import pages as _partners  # noqa: F401
    from directory.referrals import expiry
    from directory.referrals import pages as _referrals  # noqa: F401
    from directory.search import index as _index  # noqa: F401  (its listeners)
    from directory.search import pages as _search  # noqa: F401
    from directory.sheets import pages as _sheets  # noqa: F401

    retention.register(
        "geocode_cache", "typed places older than GEOCODE_CACHE_DAYS", geo.purge_typed_places
    )
    passwords.register_names(_organization_names)
    retention.register(
        "referrals",
        "sent referrals closed more than REFERRAL_RETENTION_DAYS ago",
        expiry.purge_closed_referrals,
    )
    templating.register(app)
    app.register_blueprint(bp)
    app.register_blueprint(hsds_api.bp)
    csrf.exempt(hsds_api.bp)  # read-only; its POSTs are searches
    for blueprint in directory_api.blueprints():
        api.register_blueprint(blueprint, url_prefix="/api/v1")
        csrf.exempt(blueprint)
    errors.register(app)
    cli.register(app)


def _organization_names() -> list[str]:
    """Every organization's name (a password must not be built on one of their words)."""
    from sqlalchemy import select

    from app.extensions import db
    from directory.models import Organization

    with db.session.no_autoflush:  # a user being created is not written by this read
        return list(db.session.scalars(select(Organization.name)))
