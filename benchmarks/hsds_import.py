"""Time an HSDS 3.0 import of N services (default 100,000) and its peak memory.

Run: ``.venv/bin/python benchmarks/hsds_import.py [--services 100000]``

It generates a synthetic directory with ``generate.py`` into a temporary SQLite database,
exports it as an HSDS package with the app's own exporter, then imports the package into
an empty database in a child process, and prints the import's time and peak memory
(resident set, from the child's rusage). Target (issue 7): under 2 minutes and 1 GB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str], env: dict) -> None:
    subprocess.run(
        args,
        cwd=ROOT,
        env=env,
        check=True,  # noqa: S603 - our own scripts
        stdout=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=100000)
    args = parser.parse_args()
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    with tempfile.TemporaryDirectory() as tmp:
        source = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/source.db"}
        target = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/target.db"}
        run([sys.executable, "benchmarks/generate.py", "--services", str(args.services)], source)
        start = time.perf_counter()
        run([*flask, "hsds", "export", f"{tmp}/package"], source)
        exported = time.perf_counter() - start
        run([*flask, "db", "upgrade"], target)
        # a fresh parent process, so its children's peak is the import's alone
        probe = (
            "import resource, subprocess, sys, time; t = time.perf_counter(); "
            "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
            "print(time.perf_counter() - t, "
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        )
        out = subprocess.run(  # noqa: S603
            [sys.executable, "-c", probe, *flask, "hsds", "import", f"{tmp}/package"],
            cwd=ROOT,
            env=target,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        elapsed, peak_kb = float(out[-2]), int(out[-1])
        size = sum(p.stat().st_size for p in Path(f"{tmp}/package").iterdir())
    print(
        f"services={args.services} package={size / 1e6:.0f} MB export={exported:.1f}s "
        f"import={elapsed:.1f}s import_peak_rss={peak_kb / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
