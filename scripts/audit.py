"""Dependency audit: pip-audit over the installed environment, summarised.

Exit codes (``make audit`` fails on any but 0):

- 0: every package audited, no known vulnerability;
- 1: a known vulnerability, or pip-audit failed for another reason;
- 3 (``NOT_AUDITED``): some or all packages could not be audited: no vulnerability service
  answered (unreachable, or a registry mirror without PyPI's per-release JSON API). This is
  never a pass: the packages are named and the run says NOT AUDITED. ``.ci/run`` treats
  this code alone as a warning it repeats at the end of CI, where no advisory service is
  reachable and pip-audit has no local advisory source to fall back on.

Extra arguments go to pip-audit (``scripts/audit.py -s osv``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

NOT_AUDITED = 3
_UNREACHABLE = re.compile(
    r"ConnectionError|Connection refused|Max retries exceeded|Name or service not known|"
    r"Temporary failure in name resolution|timed out|NewConnectionError|ProxyError"
)


def summarise(report: dict) -> tuple[list[str], int]:
    """The lines to print for a pip-audit JSON report and the exit code (see above)."""
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    audited = [d for d in deps if not d.get("skip_reason")]
    findings = [(d["name"], d["version"], v) for d in audited for v in d.get("vulns", [])]
    lines = []
    for name, version, vuln in findings:
        fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
        lines.append(f"VULNERABLE {name} {version}: {vuln['id']} (fixed in {fixes})")
    lines.append(
        f"pip-audit: {len(audited)} packages audited, {len(findings)} known vulnerabilities, "
        f"{len(skipped)} not audited"
    )
    if findings:
        return lines, 1
    if skipped:
        if not audited:
            lines.append(
                "NOT AUDITED: no vulnerability service answered from this machine; run "
                "`make audit` where pypi.org (or osv.dev: `scripts/audit.py -s osv`) is reachable"
            )
        else:
            lines.append("NOT AUDITED: " + ", ".join(d["name"] for d in skipped))
        return lines, NOT_AUDITED
    if not audited:
        lines.append("NOT AUDITED: pip-audit listed no packages")
        return lines, NOT_AUDITED
    return lines, 0


def main(extra: list[str]) -> int:
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
            *extra,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(run.stdout, run.stderr[-3000:], sep="\n")
        if _UNREACHABLE.search(run.stderr):
            print("NOT AUDITED: the vulnerability service is unreachable from this machine")
            return NOT_AUDITED
        print("pip-audit: no report")
        return 1
    lines, code = summarise(report)
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
