"""``make audit`` (scripts/audit.py) never passes having audited nothing (issue #27): a
report where packages were skipped, or a vulnerability service that cannot be reached,
ends with the distinct exit code 3 that .ci/run reports as a warning; a vulnerability
fails with 1; only a full, clean audit passes."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
spec = importlib.util.spec_from_file_location("audit_script", ROOT / "scripts" / "audit.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

CLEAN = {"name": "flask", "version": "3.1.0", "vulns": []}
SKIPPED = {"name": "weasyprint", "version": "70.0", "skip_reason": "Dependency not found on PyPI"}
VULNERABLE = {
    "name": "jinja2",
    "version": "3.0.0",
    "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"]}],
}


def test_a_full_clean_audit_passes():
    lines, code = audit.summarise({"dependencies": [CLEAN]})
    assert code == 0
    assert lines == ["pip-audit: 1 packages audited, 0 known vulnerabilities, 0 not audited"]


def test_nothing_audited_is_not_a_pass():
    lines, code = audit.summarise({"dependencies": [SKIPPED]})
    assert code == 3
    assert lines[-1].startswith("NOT AUDITED: no vulnerability service answered")
    assert audit.summarise({"dependencies": []})[1] == 3


def test_some_packages_not_audited_are_named():
    lines, code = audit.summarise({"dependencies": [CLEAN, SKIPPED]})
    assert code == 3
    assert lines[-1] == "NOT AUDITED: weasyprint"


def test_a_vulnerability_fails():
    lines, code = audit.summarise({"dependencies": [VULNERABLE, SKIPPED]})
    assert code == 1
    assert lines[0] == "VULNERABLE jinja2 3.0.0: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)"


def test_an_unreachable_service_ends_with_not_audited():
    # OSV at a closed local port: pip-audit cannot reach any advisory service
    run = subprocess.run(  # noqa: S603 - our own script
        [
            sys.executable,
            str(ROOT / "scripts" / "audit.py"),
            "--vulnerability-service",
            "osv",
            "--osv-url",
            "http://127.0.0.1:9/v1/query",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert run.returncode == 3, run.stdout[-2000:]
    assert "NOT AUDITED" in run.stdout


def test_ci_treats_only_not_audited_as_a_warning():
    ci = (ROOT / ".ci" / "run").read_text()
    assert ".venv/bin/python scripts/audit.py || audit_status=$?" in ci
    assert '[ "$audit_status" -eq 3 ]' in ci
    assert 'exit "$audit_status"' in ci
    assert ci.rstrip().endswith('echo "$audit_warning" >&2\nfi')
