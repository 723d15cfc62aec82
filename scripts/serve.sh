#!/usr/bin/env bash
# `make run`'s server, still one command: the job worker (`flask worker`) beside gunicorn.
# When either stops, or on Ctrl-C / SIGTERM, both stop. gunicorn's own access log is off:
# the app logs every request itself as JSON, by route (never a query string or a token in a
# path), with its request id (app/logs.py). The gunicorn workers' metrics are added up from
# PROMETHEUS_MULTIPROC_DIR (emptied at start: counters start again with the server).
set -u
BIN=${BIN:-.venv/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-5000}
WEB_WORKERS=${WEB_WORKERS:-2}
JOB_WORKERS=${JOB_WORKERS:-2}
export PROMETHEUS_MULTIPROC_DIR=${PROMETHEUS_MULTIPROC_DIR:-instance/metrics}
mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
rm -f "$PROMETHEUS_MULTIPROC_DIR"/*.db

"$BIN/flask" --app wsgi worker --workers "$JOB_WORKERS" &
worker=$!
"$BIN/gunicorn" --workers "$WEB_WORKERS" --bind "$HOST:$PORT" wsgi:app &
web=$!

stop() { kill -TERM "$web" "$worker" 2>/dev/null; }
trap stop INT TERM
wait -n "$web" "$worker"
status=$?
stop
wait "$web" "$worker" 2>/dev/null
exit "$status"
