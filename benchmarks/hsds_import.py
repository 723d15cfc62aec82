"""Time an HSDS 3.0 or 1.x import of N services (default 100,000) and its peak memory.

Run: ``.venv/bin/python benchmarks/hsds_import.py [--services 100000] [--shape 3.0|1.x|both]
[--reimport] [--package DIR]``

It generates a synthetic directory with ``generate.py`` into a temporary SQLite database,
exports it as an HSDS package with the app's own exporter, then imports the package into
an empty database in a child process, and prints the import's time and peak memory
(resident set, from the child's rusage). ``--shape 1.x`` rewrites the package as an HSDS
1.x package first (``hsds_1x.py``) and imports that. ``--reimport`` then imports the same
package again into the same database (a sync: every record known, compared field by field
and part by part, nothing changed) and prints that time and peak too. Target (issues 7
and 21): under 2 minutes and 1 GB. The export is measured the same way (time and peak
memory, issue 21: it streams, its peak stays flat however large the directory). Each
figure is printed with its CPU time (user + system) and the load average, since the
machine may be shared. ``--package DIR`` keeps the generated package in DIR, and a later
run with the same DIR imports it again without generating it anew (a profile's loop).
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
    parser.add_argument("--package", type=Path, help="keep (or reuse) the package here")
    args = parser.parse_args()
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    with tempfile.TemporaryDirectory() as tmp:
        exported = args.package or Path(f"{tmp}/package")
        if not (exported / "datapackage.json").exists():
            source = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/source.db"}
            generate = [sys.executable, "benchmarks/generate.py", "--services", str(args.services)]
            run(generate, source)
            elapsed, cpu, peak_kb = _measured([*flask, "hsds", "export", str(exported)], source)
            print(
                f"services={args.services} export={elapsed:.1f}s cpu={cpu:.1f}s "
                f"export_peak_rss={peak_kb / 1024:.0f} MB load={_load()}",
                flush=True,
            )
        shapes = ("3.0", "1.x") if args.shape == "both" else (args.shape,)
        for shape in shapes:
            package = exported
            if shape == "1.x":
                from hsds_1x import convert

                start = time.perf_counter()
                convert(package, Path(f"{tmp}/package-1x"))
                print(f"  rewritten as 1.x in {time.perf_counter() - start:.1f}s", flush=True)
                package = Path(f"{tmp}/package-1x")
            target = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/target-{shape}.db"}
            run([*flask, "db", "upgrade"], target)
            # the package's and the folder's names are generic ("package"): the source named
            command = [*flask, "hsds", "import", str(package), "--source", f"bench-{shape}"]
            elapsed, cpu, peak_kb = _measured(command, target)
            size = sum(p.stat().st_size for p in package.iterdir() if p.is_file())
            print(
                f"  {shape}: package={size / 1e6:.0f} MB import={elapsed:.1f}s cpu={cpu:.1f}s "
                f"import_peak_rss={peak_kb / 1024:.0f} MB load={_load()}",
                flush=True,
            )
            if args.reimport:
                elapsed, cpu, peak_kb = _measured(command, target)
                print(
                    f"  {shape}: re-import={elapsed:.1f}s cpu={cpu:.1f}s "
                    f"reimport_peak_rss={peak_kb / 1024:.0f} MB load={_load()}",
                    flush=True,
                )


def _load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def _measured(command: list[str], env: dict) -> tuple[float, float, int]:
    """Run a command in a fresh parent process, so its children's peak is the command's
    alone: → wall seconds, CPU seconds (user + system), peak resident set (KB)."""
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "r = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(time.perf_counter() - t, r.ru_utime + r.ru_stime, r.ru_maxrss)"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe, *command],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[-3]), float(out[-2]), int(out[-1])


if __name__ == "__main__":
    main()
