"""Configuration read from the environment, failing loudly where a value is unsafe.

Every setting named in CONTRACT.md (``DATABASE_URL``, ``SECRET_KEY``, ``GEOCODER``,
``DIRECTORY_TIMEZONE``, ``TRUSTED_PROXIES``, ``RATELIMIT_STORAGE_URI``, ``HSDS_PUBLIC``, the
``MAIL_*`` settings and ``PUBLIC_BASE_URL``) is read here and nowhere else.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


class ConfigError(RuntimeError):
    """A setting is missing or invalid; start-up stops with this message."""


def _default_database_url() -> str:
    INSTANCE_DIR.mkdir(exist_ok=True)
    return f"sqlite:///{INSTANCE_DIR / 'directory.db'}"


def _local_secret_key() -> str:
    """A per-installation key kept in ``instance/`` so that every worker shares it."""
    INSTANCE_DIR.mkdir(exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        from app.files import write_private

        write_private(path, secrets.token_hex(32))
    return path.read_text().strip()


def _whole(env: Mapping[str, str], name: str, default: str) -> int:
    """A setting that is a whole number of at least 0 (else start-up stops naming it)."""
    raw = (env.get(name) or default).strip()
    if not (raw.isascii() and raw.isdigit()):
        raise ConfigError(f"{name} must be a whole number (0 or more), not {raw!r}.")
    return int(raw)


class Config:
    """Settings for development and production; production is ``APP_ENV=production``."""

    def __init__(self) -> None:
        env = os.environ
        self.APP_ENV = env.get("APP_ENV", "development")
        production = self.APP_ENV == "production"
        secret = env.get("SECRET_KEY")
        if not secret:
            if production:
                raise ConfigError(
                    "SECRET_KEY is not set. In production set SECRET_KEY to a long random "
                    "value (e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)."
                )
            secret = _local_secret_key()
        self.SECRET_KEY = secret
        self.SQLALCHEMY_DATABASE_URI = env.get("DATABASE_URL") or _default_database_url()
        self.GEOCODER = env.get("GEOCODER", "offline")
        if self.GEOCODER not in ("offline", "nominatim"):
            raise ConfigError(f"GEOCODER must be 'offline' or 'nominatim', not {self.GEOCODER!r}.")
        self.NOMINATIM_USER_AGENT = env.get("NOMINATIM_USER_AGENT", "referral-network-directory")
        self.DIRECTORY_TIMEZONE = env.get("DIRECTORY_TIMEZONE", "America/Chicago")
        try:
            ZoneInfo(self.DIRECTORY_TIMEZONE)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(
                f"DIRECTORY_TIMEZONE {self.DIRECTORY_TIMEZONE!r} is not an IANA time zone name."
            ) from exc
        self.FACILITY_NAME = env.get("FACILITY_NAME", "Referral Network Directory")
        # distances on pages: km or mi; empty: by the reader's locale (en-US miles, else km)
        self.DISTANCE_UNIT = env.get("DISTANCE_UNIT", "").strip().lower() or None
        if self.DISTANCE_UNIT not in (None, "km", "mi"):
            raise ConfigError(f"DISTANCE_UNIT must be 'km' or 'mi', not {self.DISTANCE_UNIT!r}.")
        # the network's own case-code shape: a referral's case reference must match it
        # whole (docs/operators.md); anything else is refused, whatever it holds
        self.CASE_REFERENCE_PATTERN = env.get(
            "CASE_REFERENCE_PATTERN", r"^[A-Z]{1,4}-(?:\d{4}-)?\d{1,4}$"
        )
        try:
            re.compile(self.CASE_REFERENCE_PATTERN)
        except re.error as exc:
            raise ConfigError(
                f"CASE_REFERENCE_PATTERN is not a regular expression: {exc}."
            ) from exc
        # the HSDS data package's own title, publisher and licence (docs/hsds.md): title and
        # publisher default to FACILITY_NAME, no licence is declared until one is set
        self.HSDS_TITLE = env.get("HSDS_TITLE", "").strip() or None
        self.HSDS_PUBLISHER = env.get("HSDS_PUBLISHER", "").strip() or None
        self.HSDS_LICENSE = env.get("HSDS_LICENSE", "").strip() or None
        # printed sheets and cards: a4 or letter; empty: by the reader's locale (en-US and
        # es-US Letter, else A4)
        self.PAPER_SIZE = env.get("PAPER_SIZE", "").strip().lower() or None
        if self.PAPER_SIZE not in (None, "a4", "letter"):
            raise ConfigError(f"PAPER_SIZE must be 'a4' or 'letter', not {self.PAPER_SIZE!r}.")
        self.STALE_AFTER_DAYS = int(env.get("STALE_AFTER_DAYS", "365"))
        # retention (docs/security.md): days before `flask purge` drops them
        for name, default in (
            ("OUTBOX_RETENTION_DAYS", "30"),
            ("GEOCODE_CACHE_DAYS", "30"),
            ("JOB_RETENTION_DAYS", "14"),
        ):
            try:
                setattr(self, name, max(1, int(env.get(name, default))))
            except ValueError as exc:
                raise ConfigError(f"{name} must be a whole number of days.") from exc
        # reported capacity older than this (counted from when the PARTNER stated it) is
        # "unknown — call first"; CAPACITY_MAX_AGE_HOURS is its older name, still read
        self.CAPACITY_STALE_HOURS = _whole(
            env, "CAPACITY_STALE_HOURS", env.get("CAPACITY_MAX_AGE_HOURS") or "72"
        )
        # the referral loop (docs/referrals.md): business days a partner has to answer a
        # sent referral, days after it closes before its content is purged, and how long a
        # client's consent to share with one partner lasts when no end date is given
        self.REFERRAL_RESPONSE_DAYS = _whole(env, "REFERRAL_RESPONSE_DAYS", "2")
        self.REFERRAL_RETENTION_DAYS = _whole(env, "REFERRAL_RETENTION_DAYS", "30")
        self.REFERRAL_CONSENT_DAYS = _whole(env, "REFERRAL_CONSENT_DAYS", "90")
        # the region a phone number written without its country code is read in
        self.DEFAULT_PHONE_REGION = env.get("DEFAULT_PHONE_REGION", "US").upper()
        # HSDS upload limits (docs/hsds.md): total uncompressed size, number of entries,
        # and the largest compression ratio of an entry (a "zip bomb" is refused)
        for name, default in (
            ("HSDS_MAX_UNCOMPRESSED_MB", "512"),
            ("HSDS_MAX_ENTRIES", "200"),
            ("HSDS_MAX_RATIO", "100"),
        ):
            try:
                setattr(self, name, int(env.get(name, default)))
            except ValueError as exc:
                raise ConfigError(f"{name} must be a whole number.") from exc
        # request bodies (docs/operators.md): every route takes at most MAX_BODY_BYTES; the
        # upload routes (an HSDS package) take up to MAX_CONTENT_LENGTH from signed-in users
        for name, size in (("MAX_BODY_BYTES", 2**20), ("MAX_CONTENT_LENGTH", 64 * 2**20)):
            try:
                setattr(self, name, int(env.get(name, size)))
            except ValueError as exc:
                raise ConfigError(f"{name} must be a number of bytes.") from exc
        self.RATELIMIT_STORAGE_URI = env.get("RATELIMIT_STORAGE_URI", "memory://")
        if not self.RATELIMIT_STORAGE_URI.startswith(("memory://", "redis://", "rediss://")):
            raise ConfigError(
                "RATELIMIT_STORAGE_URI must be memory:// or a redis:// (rediss://) URL, "
                f"not {self.RATELIMIT_STORAGE_URI.split(':', 1)[0]!r}."
            )
        try:
            self.TRUSTED_PROXIES = int(env.get("TRUSTED_PROXIES", "0"))
        except ValueError:
            self.TRUSTED_PROXIES = -1
        if not 0 <= self.TRUSTED_PROXIES <= 10:
            raise ConfigError(
                "TRUSTED_PROXIES must be the number (0-10) of reverse proxies in front of the "
                "app that set X-Forwarded-For; 0 when clients connect directly."
            )
        # the HSDS API open to anyone (docs/hsds.md), rate limited per client address
        self.HSDS_PUBLIC = env.get("HSDS_PUBLIC", "false").strip().lower() == "true"
        limits = ("LOGIN_RATE_LIMIT", "LOGIN_ADDRESS_RATE_LIMIT", "PARTNER_RATE_LIMIT")
        for name in (*limits, "HSDS_PUBLIC_RATE_LIMIT"):
            if env.get(name):
                setattr(self, name, env[name])
        self._mail(env, production)
        self._operations(env)
        # sessions end after IDLE_TIMEOUT_SECONDS unused, and SESSION_ABSOLUTE_HOURS after
        # the login however busy; API tokens API_TOKEN_DAYS after they were issued
        for name, default in (("SESSION_ABSOLUTE_HOURS", "12"), ("API_TOKEN_DAYS", "90")):
            try:
                setattr(self, name, int(env.get(name, default)))
            except ValueError as exc:
                raise ConfigError(f"{name} must be a whole number.") from exc
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1.")
        self.SESSION_COOKIE_SECURE = production
        self.PREFERRED_URL_SCHEME = "https" if production else "http"

    def _mail(self, env: Mapping[str, str], production: bool) -> None:
        """SMTP settings (no ``MAIL_SERVER``: mail goes to the admin's outbox) and the
        address links in e-mails point at."""
        self.MAIL_SERVER = env.get("MAIL_SERVER") or None
        self.MAIL_USE_TLS = env.get("MAIL_USE_TLS", "false").strip().lower() in TRUTHY
        try:
            self.MAIL_PORT = int(env.get("MAIL_PORT") or (587 if self.MAIL_USE_TLS else 25))
        except ValueError as exc:
            raise ConfigError("MAIL_PORT must be a port number (e.g. 587).") from exc
        self.MAIL_USERNAME = env.get("MAIL_USERNAME") or None
        self.MAIL_PASSWORD = env.get("MAIL_PASSWORD") or None
        self.MAIL_DEFAULT_SENDER = env.get("MAIL_DEFAULT_SENDER") or "directory@localhost"
        encrypted = self.MAIL_USE_TLS or self.MAIL_PORT == 465  # STARTTLS, or implicit TLS
        if production and self.MAIL_SERVER and self.MAIL_USERNAME and not encrypted:
            raise ConfigError(
                "MAIL_USERNAME is set without TLS: the SMTP password and the links e-mailed "
                "to partners would cross the network in clear. Set MAIL_USE_TLS=true "
                "(STARTTLS, port 587) or MAIL_PORT=465 (implicit TLS)."
            )
        base = env.get("PUBLIC_BASE_URL", "").strip().rstrip("/")
        if not base and production and self.MAIL_SERVER:
            raise ConfigError(
                "PUBLIC_BASE_URL is not set: links e-mailed to partners need the address "
                "the app is reached at (e.g. https://directory.example.org)."
            )
        if base and not base.startswith(("http://", "https://")):
            raise ConfigError("PUBLIC_BASE_URL must start with http:// or https://.")
        # empty: pages name the address they were reached at, e-mails the address the app
        # is served on (``SERVED_URL``, from ``HOST`` and ``PORT`` as ``make run`` passes
        # them; ``app.links``); set, every link shown or sent starts with it
        self.PUBLIC_BASE_URL = base
        self.SERVED_URL = served_url(env.get("HOST"), env.get("PORT"))

    def _operations(self, env: Mapping[str, str]) -> None:
        """The task queue, the jobs' files, metrics and logs (docs/operators.md)."""
        # QUEUE_URL: redis://... (shared by hosts), sqlite:///PATH, or immediate (tests);
        # unset: REDIS_URL when it is set, else the SQLite file instance/queue.db
        queue = (env.get("QUEUE_URL") or env.get("REDIS_URL") or "").strip()
        if queue and not queue.startswith(
            ("redis://", "rediss://", "unix://", "sqlite:///", "immediate")
        ):
            raise ConfigError(
                "QUEUE_URL must be a redis:// URL, sqlite:///PATH or immediate, "
                f"not {queue.split(':', 1)[0]!r}."
            )
        self.QUEUE_URL = queue or f"sqlite:///{INSTANCE_DIR / 'queue.db'}"
        self.JOBS_DIR = env.get("JOBS_DIR") or str(INSTANCE_DIR / "jobs")
        try:
            self.SHEET_JOB_MIN_SERVICES = int(env.get("SHEET_JOB_MIN_SERVICES", "150"))
        except ValueError as exc:
            raise ConfigError("SHEET_JOB_MIN_SERVICES must be a whole number.") from exc
        try:  # a CSV of more services is written by a job, every one of them
            self.CSV_JOB_MIN_SERVICES = int(env.get("CSV_JOB_MIN_SERVICES", "5000"))
        except ValueError as exc:
            raise ConfigError("CSV_JOB_MIN_SERVICES must be a whole number.") from exc
        # who may read /metrics without an admin token: addresses or networks, comma-separated
        self.METRICS_ALLOW = env.get("METRICS_ALLOW", "127.0.0.1,::1")
        self.LOG_FORMAT = env.get("LOG_FORMAT", "json").strip().lower()
        if self.LOG_FORMAT not in ("json", "text"):
            raise ConfigError(f"LOG_FORMAT must be 'json' or 'text', not {self.LOG_FORMAT!r}.")


TRUTHY = ("1", "true", "yes", "on")


def json_text(value: object) -> str:
    """A JSON column's value as text (orjson: keys that are not text written as text, as
    the standard encoder writes them; read back by any JSON reader alike)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def served_url(host: str | None, port: str | None) -> str:
    """The address ``make run`` serves on (``HOST``, ``PORT``; 127.0.0.1:5000 by default).
    A wildcard host (0.0.0.0, ::) is no address to send: the loopback name stands in."""
    host = (host or "").strip() or "127.0.0.1"
    if host in ("0.0.0.0", "::", "[::]", "*"):  # noqa: S104 (read, not bound)
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    port = (port or "").strip() or "5000"
    if not port.isdigit():
        raise ConfigError("PORT must be a port number (e.g. 5000).")
    return f"http://{host}:{port}"


COMMON = {
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    # a pooled connection is tested before use and replaced when dead: after PostgreSQL
    # restarts, a failover or an idle connection cut by a firewall, the next request is
    # served instead of failing with a 500
    # JSON columns (the audit's changes, jobs) written by orjson: an import audits every
    # record it creates, and the standard encoder was a twentieth of its time
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "json_serializer": json_text},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,
    "IDLE_TIMEOUT_SECONDS": 30 * 60,
    "WTF_CSRF_TIME_LIMIT": None,
    "API_TITLE": "Referral Network Directory API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "PASSWORD_HASH_METHOD": "scrypt",
    "RATELIMIT_HEADERS_ENABLED": True,
    # failed logins counted per account (typed e-mail) and per client address by
    # Flask-Limiter, in RATELIMIT_STORAGE_URI; successful logins are not counted
    "LOGIN_RATE_LIMIT": "10 per minute",
    "LOGIN_ADDRESS_RATE_LIMIT": "30 per minute",
    # partner pages (no login: the link is the key), per client address
    "PARTNER_RATE_LIMIT": "30 per minute",
    # the public HSDS API (HSDS_PUBLIC=true), per client address
    "HSDS_PUBLIC_RATE_LIMIT": "120 per minute",
    # the lock-out kept in the database (shared by every worker), per (account, client):
    # after LOGIN_LOCKOUT_AFTER failures in a row, LOGIN_LOCKOUT_SECONDS, doubling with each
    # further failure, at most LOGIN_LOCKOUT_MAX_SECONDS; a failure-free day starts afresh
    "LOGIN_LOCKOUT_AFTER": 5,
    # the account's own lock (failures from every client): it refuses only clients the
    # account never signed in from (a device cookie, kept LOGIN_DEVICE_DAYS, spares the user)
    "LOGIN_ACCOUNT_LOCKOUT_AFTER": 20,
    "LOGIN_DEVICE_DAYS": 180,
    "LOGIN_LOCKOUT_SECONDS": 60,
    "LOGIN_LOCKOUT_MAX_SECONDS": 3600,
}


def load_config(overrides: dict | None = None) -> dict:
    """All settings as one mapping: the common ones, the environment's, then ``overrides``."""
    settings = dict(COMMON)
    settings.update({k: v for k, v in vars(Config()).items()})
    if overrides:
        settings.update(overrides)
    return settings


def config_for_tests(database_url: str) -> dict:
    """Overrides for the test suite: cheap hashing, CSRF off (one test turns it on)."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        "RATELIMIT_ENABLED": False,
        "GEOCODER": "offline",
        # jobs run at once in the caller's process; tests of the real queue start a worker
        # (tests/jobs.py)
        "QUEUE_URL": "immediate",
    }
