"""Mutation testing of the modules that hold visibility, audit and access (``[tool.mutmut]``
in pyproject.toml names them and the fast unit tests run against each mutant): run by hand,
like a benchmark, not in CI. Prints the mutants that were not killed and the kill ratio, in
all and per module (equivalent survivors are listed in benchmarks/README.md).

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
    per_module: dict[str, dict[str, int]] = {}
    for line in results.splitlines():
        if m := re.search(r"^\s*(\S+?)\.x[_ǁ]\S*:\s*(\w[\w ]*)$", line):  # ǁ: methods
            module, status = m.groups()
            counts[status] = counts.get(status, 0) + 1
            mine = per_module.setdefault(module, {})
            mine[status] = mine.get(status, 0) + 1
    print("\n".join(line for line in results.splitlines() if not line.endswith(": killed")))
    for module, mine in sorted(per_module.items()):
        print(f"{module}: {_ratio(mine)}")
    print(f"all: {_ratio(counts)}" if counts else "no mutants")
    return 0


def _ratio(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    return f"{total} mutants, {counts}; kill ratio {counts.get('killed', 0) / total:.1%}"


if __name__ == "__main__":
    raise SystemExit(main())
