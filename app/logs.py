"""Logs an operator can search: one JSON object a line, each with the request id.

Every request gets an id: the caller's ``X-Request-ID`` when it is sane (letters, digits,
``.-_:``, 8-128 characters: a proxy's or a load balancer's), else a new random one; it is
echoed in the response's ``X-Request-ID`` and carried by every line logged while the
request runs (a job's lines carry ``job-<id>``). The app logs each request itself, by its
*route* (the URL rule: ``/partner/<token>``, never the token, the path's ids or the query
string) with method, status and time, so gunicorn's own access log is off in ``make run``.
Nothing logged holds a query string, a body or a token.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_app_context, request
from werkzeug.wrappers import Response

SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
# attributes every LogRecord has: anything else was passed with ``extra=`` and is logged
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (the request's or job's, else None) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id") if has_app_context() else None
        return True


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "request_id", ...extra}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure(app: Flask) -> None:
    """One handler on the root logger (stderr), JSON unless ``LOG_FORMAT=text``; made once
    per process however many apps are created."""
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_directory", False):
            root.removeHandler(existing)
    handler = logging.StreamHandler()
    handler._directory = True  # type: ignore[attr-defined]
    handler.addFilter(RequestIdFilter())
    if app.config.get("LOG_FORMAT", "json") == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # the development server's access lines hold the query string: quiet them
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app.before_request(start_request)
    app.after_request(finish_request)


def start_request() -> None:
    """``before_request``: the request's id and start time."""
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if SANE_ID.match(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def route() -> str:
    """The matched URL rule (``/services/<int:service_id>``), or ``unmatched``."""
    return request.url_rule.rule if request.url_rule is not None else "unmatched"


def finish_request(response: Response) -> Response:
    """``after_request``: echo the id, log the request by route, count it in the metrics."""
    from app import metrics

    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers["X-Request-ID"] = request_id
    seconds = time.perf_counter() - g.get("request_started", time.perf_counter())
    logging.getLogger("app.request").info(
        "request",
        extra={
            "method": request.method,
            "route": route(),
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 1),
        },
    )
    metrics.observe(route(), request.method, response.status_code, seconds)
    return response
