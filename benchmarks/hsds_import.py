"""Time an HSDS 3.0 or 1.x import of N services (default 100,000) and its peak memory.

Run: ``.venv/bin/python benchmarks/hsds_import.py [--services 100000] [--shape 3.0|1.x|both]
[--reimport]``

It generates a synthetic directory with ``generate.py`` into a temporary SQLite database,
exports it as an HSDS package with the app's own exporter, then imports the package into
an empty database in a child process, and prints the import's time and peak memory
(resident set, from the child's rusage). ``--shape 1.x`` rewrites the package as an HSDS
1.x package first (``hsds_1x.py``) and imports that. ``--reimport`` then imports the same
package again into the same database (a sync: every record known, compared field by field
and part by part, nothing changed) and prints that time and peak too. Target (issues 7
and 21): under 2 minutes and 1 GB.
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
    parser.add_argument("--shape", choices=("3.0", "1.x", "both"), default="both")
    parser.add_argument("--reimport", action="store_true")
    args = parser.parse_args()
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    with tempfile.TemporaryDirectory() as tmp:
        source = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/source.db"}
        run([sys.executable, "benchmarks/generate.py", "--services", str(args.services)], source)
        start = time.perf_counter()
        run([*flask, "hsds", "export", f"{tmp}/package"], source)
        exported = time.perf_counter() - start
        print(f"services={args.services} export={exported:.1f}s", flush=True)
        shapes = ("3.0", "1.x") if args.shape == "both" else (args.shape,)
        for shape in shapes:
            package = Path(f"{tmp}/package")
            if shape == "1.x":
                from hsds_1x import convert

                start = time.perf_counter()
                convert(package, Path(f"{tmp}/package-1x"))
                print(f"  rewritten as 1.x in {time.perf_counter() - start:.1f}s", flush=True)
                package = Path(f"{tmp}/package-1x")
            target = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/target-{shape}.db"}
            run([*flask, "db", "upgrade"], target)
            elapsed, peak_kb = _import(flask, package, target)
            size = sum(p.stat().st_size for p in package.iterdir())
            print(
                f"  {shape}: package={size / 1e6:.0f} MB import={elapsed:.1f}s "
                f"import_peak_rss={peak_kb / 1024:.0f} MB",
                flush=True,
            )
            if args.reimport:
                elapsed, peak_kb = _import(flask, package, target)
                print(
                    f"  {shape}: re-import={elapsed:.1f}s "
                    f"reimport_peak_rss={peak_kb / 1024:.0f} MB",
                    flush=True,
                )


def _import(flask: list[str], package: Path, env: dict) -> tuple[float, int]:
    """Import in a fresh parent process, so its children's peak is the import's alone."""
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(time.perf_counter() - t, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe, *flask, "hsds", "import", str(package)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[-2]), int(out[-1])


if __name__ == "__main__":
    main()
