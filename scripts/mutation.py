"""Mutation testing of the modules that hold visibility, audit and access (``[tool.mutmut]``
in pyproject.toml names them and the fast unit tests run against each mutant): run by hand,
like a benchmark, not in CI. Prints the mutants that were not killed and the kill ratio, in
all and per module (equivalent survivors are listed in docs/testing.md).

    .venv/bin/python scripts/mutation.py [--max-children N] [--reuse] [--postgres URL]

``--postgres URL`` (a PostgreSQL database that nothing else uses meanwhile: the tests drop
and rebuild its schema; started e.g. as .ci/run does): the survivors of the functions in
``POSTGRES_TESTS``, whose SQL is written per database and which SQLite cannot tell apart,
are then run again, one at a time, against the tests named there on that database
(mutmut's copy in mutants/, the mutant chosen by ``MUTANT_UNDER_TEST`` as mutmut itself
does); a failing test kills the mutant. ``--reuse`` skips the mutmut run and takes the
results of the last one in mutants/.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = str(Path(sys.executable).parent / "mutmut")

# a function (mutmut's name without the mutant's number) → the tests that state its
# promises on the suite's database; run on PostgreSQL against its SQLite survivors
POSTGRES_TESTS = {
    "app.logins.x__record_failure": ["tests/unit/test_database_sql.py"],
    "directory.visibility.x_list_services": ["tests/unit/test_database_sql.py"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--postgres", metavar="URL", help="also run POSTGRES_TESTS there")
    parser.add_argument("--reuse", action="store_true", help="the results in mutants/ as they are")
    args = parser.parse_args()
    if not args.reuse:
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
        subprocess.run(  # noqa: S603  (our own fixed command)
            [MUTMUT, "run", "--max-children", str(args.max_children)], cwd=ROOT, check=False
        )
    results = subprocess.run(  # noqa: S603
        [MUTMUT, "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout
    statuses: dict[str, str] = {}
    for line in results.splitlines():
        if m := re.search(r"^\s*(\S+?\.x[_ǁ]\S*):\s*(\w[\w ]*)$", line):  # ǁ: methods
            statuses[m[1]] = m[2]
    if args.postgres:
        if not _passes_on_postgres("", args.postgres):
            print("the PostgreSQL tests fail without a mutant: nothing measured", file=sys.stderr)
            return 1
        for name, status in sorted(statuses.items()):
            if status == "survived" and name.rpartition("__mutmut_")[0] in POSTGRES_TESTS:
                if not _passes_on_postgres(name, args.postgres):
                    statuses[name] = "killed"
                    print(f"    {name}: killed on PostgreSQL")
    counts: dict[str, int] = {}
    per_module: dict[str, dict[str, int]] = {}
    for name, status in statuses.items():
        if status != "killed":
            print(f"    {name}: {status}")
        counts[status] = counts.get(status, 0) + 1
        mine = per_module.setdefault(re.split(r"\.x[_ǁ]", name)[0], {})
        mine[status] = mine.get(status, 0) + 1
    for module, mine in sorted(per_module.items()):
        print(f"{module}: {_ratio(mine)}")
    print(f"all: {_ratio(counts)}" if counts else "no mutants")
    return 0


def _passes_on_postgres(mutant: str, url: str) -> bool:
    """Whether the tests of ``mutant``'s function (all of them for ``""``: no mutant) pass on
    PostgreSQL with that mutant in place; an error that is no test failing stops the run."""
    function = mutant.rpartition("__mutmut_")[0]
    every = sorted({test for tests in POSTGRES_TESTS.values() for test in tests})
    tests = POSTGRES_TESTS.get(function, every)
    env = {**os.environ, "MUTANT_UNDER_TEST": mutant, "DATABASE_URL": url}
    code = subprocess.run(  # noqa: S603  (our own fixed command)
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:randomly", *tests],
        cwd=ROOT / "mutants",
        env=env,
        capture_output=True,
        check=False,
    ).returncode
    if code not in (0, 1):  # 1: tests failed; 2-5: interrupted, usage, no tests collected
        raise SystemExit(f"pytest exited with {code} for {mutant or 'no mutant'} in mutants/")
    return code == 0


def _ratio(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    return f"{total} mutants, {counts}; kill ratio {counts.get('killed', 0) / total:.1%}"


if __name__ == "__main__":
    raise SystemExit(main())
