# The Referral Network Directory in a container (docs/operators.md, "Containers").
#
# Two stages: "build" compiles the wheels (it has the compilers); the final image copies
# only the installed packages, so it has no build tools. It runs as an unprivileged user,
# under gunicorn with a worker timeout (a stuck request is killed, not left to pile up).
# Nothing is downloaded when the app runs: the offline geocoder's data, the password lists
# and the translations are part of the installed packages and of this source tree.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
COPY directory ./directory
COPY assessment ./assessment
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --upgrade pip \
 && /opt/venv/bin/pip install .

FROM ${PYTHON_IMAGE} AS final
# WeasyPrint's renderer (Pango) and a font for the printed sheets; nothing else
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 directory \
 && useradd --system --uid 10001 --gid directory --home-dir /app --shell /usr/sbin/nologin directory
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=root:root . /app
RUN mkdir -p /app/instance && chown directory:directory /app/instance && chmod 0700 /app/instance
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    APP_ENV=production \
    FLASK_APP=wsgi
USER directory
EXPOSE 8000
# --timeout: a request (a PDF, an HSDS import) taking over 60 s is ended and its worker
# replaced; --graceful-timeout: in-flight requests get 30 s at a restart
# (forwarded headers are the app's business: TRUSTED_PROXIES, ProxyFix in app/__init__.py);
# no gunicorn access log: it would write query strings and tokens in paths; the app logs each
# request itself as JSON, by route (app/logs.py)
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", \
     "--graceful-timeout", "30", "wsgi:app"]
