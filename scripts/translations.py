"""Extract, update and compile the interface's gettext catalogues (``translations/``).

    .venv/bin/python scripts/translations.py extract   # messages.pot from the code and templates
    .venv/bin/python scripts/translations.py update    # merge it into each language's .po
    .venv/bin/python scripts/translations.py compile   # .po -> .mo (committed beside the .po)
    .venv/bin/python scripts/translations.py init de   # start a new language

Runs Babel's ``pybabel`` from the virtual environment; nothing is downloaded.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POT = "translations/messages.pot"
PYBABEL = str(Path(sys.executable).with_name("pybabel"))
SOURCES = ["app", "directory", "assessment"]
WIDTH = "100"  # the catalogues' line width: the same for every run keeps diffs to real changes


def run(*args: str) -> None:
    subprocess.run([PYBABEL, *args], cwd=ROOT, check=True)  # noqa: S603 (our own arguments)


def main(argv: list[str]) -> None:
    command = argv[0] if argv else "compile"
    if command == "extract":
        run(
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "--no-location",
            "--sort-output",
            "--width",
            WIDTH,
            "-o",
            POT,
            *SOURCES,
        )
    elif command == "update":
        run("update", "-i", POT, "-d", "translations", "--no-fuzzy-matching", "--width", WIDTH)
    elif command == "compile":
        run("compile", "-d", "translations", "--use-fuzzy")
    elif command == "init":
        run("init", "-i", POT, "-d", "translations", "-l", argv[1])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
