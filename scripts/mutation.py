"""Mutation testing of the modules that hold visibility and audit (``[tool.mutmut]`` in
pyproject.toml names them and the tests run against each mutant): run by hand, like a
benchmark, not in CI. Prints mutmut's results and the kill ratio.

    .venv/bin/python scripts/mutation.py [--max-children N]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = str(Path(sys.executable).parent / "mutmut")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-children", type=int, default=2)
    args = parser.parse_args()
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    subprocess.run(  # noqa: S603  (our own fixed command)
        [MUTMUT, "run", "--max-children", str(args.max_children)], cwd=ROOT, check=False
    )
    results = subprocess.run(  # noqa: S603
        [MUTMUT, "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout
    counts: dict[str, int] = {}
    for line in results.splitlines():
        if m := re.search(r":\s*(\w[\w ]*)$", line):
            counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    killed = counts.get("killed", 0)
    total = sum(counts.values())
    print("\n".join(line for line in results.splitlines() if not line.endswith(": killed")))
    print(f"mutants: {total}, {counts}; kill ratio {killed / total:.0%}" if total else counts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
