"""The container and deployment files (issue #27). This machine has the docker client but
no daemon (``docker info``: "Cannot connect to the Docker daemon"), so the image is not
built here; these tests read the files and check what a build would rely on: a multi-stage
Dockerfile whose final stage runs as a non-root user with no build tools, gunicorn with a
timeout, WeasyPrint's Debian packages; compose.yaml's services and commands; the nginx
example's body limit, timeouts and forwarded headers; the systemd units."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from app.config import load_config

ROOT = Path(__file__).resolve().parent.parent


def _stages() -> list[list[str]]:
    """The Dockerfile's stages, each a list of its instructions (continuations joined)."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    stages: list[list[str]] = []
    for line in lines:
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        if stages:
            stages[-1].append(line)
    return stages


def test_the_dockerfile_is_multi_stage_and_its_final_stage_runs_as_a_user():
    stages = _stages()
    assert len(stages) == 2
    final = stages[-1]
    users = [line.split()[1] for line in final if line.upper().startswith("USER ")]
    assert users == ["directory"]  # not root, and set before CMD
    assert [i for i, line in enumerate(final) if line.startswith("USER ")][0] < len(final) - 1
    # the user is created as a system user with a fixed uid other than 0
    assert re.search(r"useradd --system --uid 10001\b", " ".join(final))


def test_the_final_image_has_weasyprints_packages_and_no_build_tools():
    build, final = _stages()
    build_text, final_text = " ".join(build), " ".join(final)
    assert "build-essential" in build_text
    for tool in ("build-essential", "gcc", "g++", "make ", "-dev "):
        assert tool not in final_text, tool
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"):
        assert package in final_text, package
    # the installed packages come from the build stage, not a pip run with compilers
    assert "COPY --from=build /opt/venv /opt/venv" in final
    assert "pip install" not in final_text


def test_the_image_runs_gunicorn_with_a_timeout():
    final = _stages()[-1]
    cmd = [line for line in final if line.startswith("CMD ")]
    assert len(cmd) == 1
    argv = yaml.safe_load(cmd[0][4:])  # the JSON (exec) form
    assert argv[0] == "gunicorn"
    assert argv[argv.index("--timeout") + 1] == "60"
    assert argv[-1] == "wsgi:app"
    assert "--access-logfile" not in argv  # it would log query strings and tokens in paths


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_has_the_app_worker_scheduler_postgresql_and_redis():
    services = _compose()["services"]
    assert set(services) == {"migrate", "app", "worker", "scheduler", "postgres", "redis"}
    assert services["worker"]["command"] == ["flask", "--app", "wsgi", "worker"]
    assert services["scheduler"]["command"] == ["flask", "--app", "wsgi", "scheduler"]
    assert services["migrate"]["command"] == ["flask", "--app", "wsgi", "db", "upgrade"]
    for name in ("app", "worker", "scheduler"):
        service = services[name]
        assert service["build"] == "."
        # migrations run on every deploy, before anything that uses the database
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgresql+psycopg://")
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["RATELIMIT_STORAGE_URI"] == "redis://redis:6379/0"
        assert env["APP_ENV"] == "production"
        assert env["TRUSTED_PROXIES"] == "1"
        # one queue and one jobs folder for app and worker alike
        assert env["QUEUE_URL"] == "redis://redis:6379/1"
        assert "jobs-data:/app/instance/jobs" in service["volumes"]
        # secrets come from .env, never written in the file
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert services["app"]["ports"] == ["127.0.0.1:8000:8000"]  # behind the proxy only
    assert "healthcheck" in services["postgres"]
    assert "healthcheck" in services["redis"]
    assert services["postgres"]["volumes"] == ["postgres-data:/var/lib/postgresql/data"]


def test_the_nginx_example_limits_bodies_to_the_apps_upload_limit_and_sets_forwarded_headers():
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    limit = re.search(r"client_max_body_size (\d+)m;", text)
    assert limit is not None
    assert int(limit.group(1)) * 2**20 == load_config()["MAX_CONTENT_LENGTH"]
    for directive in ("client_body_timeout", "proxy_read_timeout", "proxy_connect_timeout"):
        assert re.search(rf"\b{directive} \d+s;", text), directive
    # the proxy's read timeout outlasts gunicorn's --timeout 60, so the app answers first
    assert int(re.search(r"proxy_read_timeout (\d+)s;", text).group(1)) > 60
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    assert "TRUSTED_PROXIES=1" in text


def _unit(name: str) -> dict[str, str]:
    values: dict[str, str] = {}
    text = (ROOT / "deploy" / name).read_text().replace("\\\n", " ")
    for line in text.splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            values.setdefault(key.strip(), value.strip())
    return values


def test_the_systemd_units_run_as_the_app_user_with_migrations_first():
    app = _unit("directory.service")
    assert app["User"] == "directory"
    assert shlex.split(app["ExecStartPre"])[1:] == ["--app", "wsgi", "db", "upgrade"]
    argv = shlex.split(app["ExecStart"])
    assert argv[0].endswith("/gunicorn")
    assert argv[argv.index("--timeout") + 1] == "60"
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8000"  # the nginx upstream
    for name, command in (
        ("directory-worker.service", "worker"),
        ("directory-scheduler.service", "scheduler"),
    ):
        unit = _unit(name)
        assert unit["User"] == "directory"
        assert shlex.split(unit["ExecStart"])[1:] == ["--app", "wsgi", command]
