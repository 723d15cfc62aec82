"""Dependency audit for CI: pip-audit over the installed environment, summarised.

Fails on any known vulnerability. Packages pip-audit could not look up (no vulnerability
service reachable, e.g. a registry mirror without PyPI's per-release JSON API) are counted
and named as not audited, never silently passed.
"""

from __future__ import annotations

import json
import subprocess
import sys


def main() -> int:
    run = subprocess.run(  # noqa: S603 - our own venv's pip-audit, no shell
        [
            sys.executable,
            "-m",
            "pip_audit",
            "--format",
            "json",
            "--progress-spinner",
            "off",
            "--skip-editable",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(run.stdout, run.stderr, sep="\n")
        print("pip-audit: no report")
        return 1
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    audited = [d for d in deps if not d.get("skip_reason")]
    findings = [(d["name"], d["version"], v) for d in audited for v in d.get("vulns", [])]
    for name, version, vuln in findings:
        fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
        print(f"VULNERABLE {name} {version}: {vuln['id']} (fixed in {fixes})")
    print(
        f"pip-audit: {len(audited)} packages audited, {len(findings)} known vulnerabilities, "
        f"{len(skipped)} not audited"
    )
    if skipped and not audited:
        print(
            "  no vulnerability service answered from this machine (the package registry here "
            "serves no per-release JSON); run `make audit` where pypi.org is reachable"
        )
    elif skipped:
        print("  not audited: " + ", ".join(d["name"] for d in skipped))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
