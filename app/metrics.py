"""``/metrics`` in the Prometheus text format, for the addresses in ``METRICS_ALLOW``
(default: loopback) or an admin's API token.

Requests are counted and timed by *route* (the URL rule, ``/services/<int:service_id>``:
never the path with its ids or tokens, never the query string) with ``prometheus_client``;
under gunicorn (several worker processes) ``make run`` sets ``PROMETHEUS_MULTIPROC_DIR`` and
each scrape adds up every process's files. Jobs are counted from the database (``jobs``:
by kind and status, and the time finished jobs took), so every app server reports the same
figures whichever worker ran them, and the queue's depth is read from the queue at scrape.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterator

from flask import Response, abort, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from sqlalchemy import func, select

from app.extensions import db
from app.models import JOB_STATUSES, Job

REQUESTS = Counter(
    "directory_http_requests",
    "HTTP requests answered, by route (URL rule), method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "directory_http_request_duration_seconds",
    "Time to answer an HTTP request, by route (URL rule) and method.",
    ["route", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


def observe(route: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request (``app.logs`` calls this after each request)."""
    REQUESTS.labels(route, method, str(status)).inc()
    LATENCY.labels(route, method).observe(seconds)


class JobCollector:
    """Jobs by kind and status, finished jobs' total run time, and the queue's depth,
    read when scraped."""

    def collect(self) -> Iterator[Metric]:
        from app import jobs

        counts = GaugeMetricFamily(
            "directory_jobs", "Jobs recorded, by kind and status.", labels=["kind", "status"]
        )
        rows = db.session.execute(
            select(Job.kind, Job.status, func.count()).group_by(Job.kind, Job.status)
        ).all()
        seen = {(kind, status): n for kind, status, n in rows}
        for kind in sorted({k for k, _ in seen} | set(jobs.KINDS)):
            for status in JOB_STATUSES:
                counts.add_metric([kind, status], seen.get((kind, status), 0))
        yield counts
        seconds = CounterMetricFamily(
            "directory_job_duration_seconds",
            "Run time of finished jobs (started to finished), by kind and status; with "
            "_count, the mean time a job takes.",
            labels=["kind", "status"],
        )
        finished = db.session.execute(
            select(Job.kind, Job.status, Job.started_at, Job.finished_at).where(
                Job.status.in_(("done", "failed")), Job.started_at.is_not(None)
            )
        ).all()
        totals: dict[tuple[str, str], float] = {}
        for kind, status, started, ended in finished:
            if started is None or ended is None:  # no run time to count (never the worker's)
                continue
            key = (kind, status)
            totals[key] = totals.get(key, 0.0) + (ended - started).total_seconds()
        for (kind, status), total in sorted(totals.items()):
            seconds.add_metric([kind, status], total)
        yield seconds
        depth = GaugeMetricFamily("directory_queue_depth", "Jobs waiting for a worker.")
        depth.add_metric([], jobs.depth())
        yield depth


def allowed() -> bool:
    """The client's address is in ``METRICS_ALLOW``, or it sent an admin's API token."""
    networks = []
    for part in (current_app.config.get("METRICS_ALLOW") or "").split(","):
        try:
            networks.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError:
            continue
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        address = None
    if address is not None and any(address in net for net in networks):
        return True
    if "Authorization" in request.headers:
        from app.auth import bearer_user

        user = bearer_user(request)
        return bool(user is not None and user.has_role("admin"))
    return False


def metrics_view() -> Response:
    """``GET /metrics``: the figures, or 403 to anyone not allowed."""
    if not allowed():
        abort(403)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        requests_text = generate_latest(registry)
    else:
        requests_text = generate_latest(REGISTRY)
    job_registry = CollectorRegistry(auto_describe=False)
    job_registry.register(JobCollector())
    body = requests_text + generate_latest(job_registry)
    db.session.rollback()  # a read: nothing to keep open
    return Response(body, mimetype=CONTENT_TYPE_LATEST)
