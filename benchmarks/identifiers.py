"""The client-identifier check on its corpus: recall and false alarms per kind, the time for
a 2,000-character note, adversarial inputs; and the same corpus through Presidio's pattern
recognisers (raw, and on our normalised copy) and through the detector before this one.

    .venv/bin/python benchmarks/identifiers.py [--runs 200] [--baseline REV]

Presidio is not a dependency of the project: it runs only where ``presidio_analyzer`` is
importable (it pulls spaCy in; no spaCy model is needed or loaded here, as the pattern
recognisers are called directly with no NLP engine). Install it in a throw-away venv
(``python3 -m venv /tmp/pv && /tmp/pv/bin/pip install presidio-analyzer``) and run this
script with that interpreter from the project folder; the modules it measures are loaded
by path, so Flask need not be installed there. ``--baseline REV`` also measures
``directory/identifiers.py`` as it was at git revision REV (e.g. the one before this work).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("name", "phone", "email", "date", "address", "id_number")


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def measure(name, find_kinds, refuse, ordinary) -> dict:
    """``find_kinds(text)`` is the set of kinds found (empty: the note passes)."""
    total, caught, refused = Counter(), Counter(), Counter()
    for text, kind in refuse:
        kinds = find_kinds(text)
        total[kind] += 1
        refused[kind] += bool(kinds)
        caught[kind] += kind in kinds
    alarms = sum(bool(find_kinds(t)) for t in ordinary)
    print(f"\n{name}")
    print(f"  {'kind':<10} {'notes':>5} {'right kind':>10} {'refused':>8}")
    for kind in KINDS:
        n = total[kind]
        print(f"  {kind:<10} {n:>5} {caught[kind] / n:>10.1%} {refused[kind] / n:>8.1%}")
    n = sum(total.values())
    print(
        f"  {'overall':<10} {n:>5} {sum(caught.values()) / n:>10.1%} "
        f"{sum(refused.values()) / n:>8.1%}"
    )
    rate = alarms / len(ordinary)
    print(f"  false alarms on {len(ordinary)} ordinary notes: {alarms} ({rate:.1%})")
    return {"recall": sum(refused.values()) / n, "false_alarms": alarms / len(ordinary)}


def timing(name, find, note: str, runs: int) -> None:
    find(note)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        find(note)
        times.append(time.perf_counter() - t0)
    print(
        f"  {name}: {len(note)}-character note, median {statistics.median(times) * 1000:.2f} ms, "
        f"p95 {sorted(times)[int(runs * 0.95) - 1] * 1000:.2f} ms over {runs} runs"
    )


def a_note(ordinary: list[str], refuse: list[tuple[str, str]], size: int = 2000) -> str:
    """About ``size`` characters of ordinary notes with a few identifiers among them."""
    parts, k = [], 0
    while sum(len(p) + 2 for p in parts) < size:
        parts.append(ordinary[k % len(ordinary)])
        if k % 9 == 4:
            parts.append(refuse[(k * 7) % len(refuse)][0])
        k += 1
    return (". ".join(parts))[:size]


ADVERSARIAL = {
    '"1 " * 5000': "1 " * 5000,
    '"a" * 10000': "a" * 10000,
    '"1-" * 5000': "1-" * 5000,
    '"9" * 10000': "9" * 10000,
    '"A" * 10000': "A" * 10000,
    '"Mr. " * 2500': "Mr. " * 2500,
    '"a at " * 2000': "a at " * 2000,
    '"a." * 5000': "a." * 5000,
    '"five " * 2000': "five " * 2000,
    '"12 rue " * 1400': "12 rue " * 1400,
    '"client " * 1400': "client " * 1400,
    '"Ana " * 2500': "Ana " * 2500,
    '"\\u200b1" * 5000': "\u200b1" * 5000,
}


def presidio_finders(identifiers):
    """Presidio's predefined pattern recognisers, called without an NLP engine."""
    try:
        import tldextract
        from presidio_analyzer.predefined_recognizers import (
            DateRecognizer,
            EmailRecognizer,
            EsNieRecognizer,
            EsNifRecognizer,
            PhoneRecognizer,
            UsItinRecognizer,
            UsLicenseRecognizer,
            UsPassportRecognizer,
            UsSsnRecognizer,
        )
        from presidio_analyzer.predefined_recognizers.generic import email_recognizer
    except ImportError:
        return None
    # the e-mail recogniser asks tldextract, which fetches the public suffix list at run
    # time by default; use the snapshot tldextract ships instead (nothing is downloaded)
    email_recognizer.tldextract.extract = tldextract.TLDExtract(suffix_list_urls=())
    kinds = {
        "EMAIL_ADDRESS": "email",
        "PHONE_NUMBER": "phone",
        "DATE_TIME": "date",
        "US_SSN": "id_number",
        "US_PASSPORT": "id_number",
        "US_ITIN": "id_number",
        "US_DRIVER_LICENSE": "id_number",
        "ES_NIF": "id_number",
        "ES_NIE": "id_number",
    }
    recognisers = [
        EmailRecognizer(),
        PhoneRecognizer(supported_regions=("US", "MX", "FR", "ES", "GB", "CA")),
        DateRecognizer(),
        UsSsnRecognizer(),
        UsPassportRecognizer(),
        UsItinRecognizer(),
        UsLicenseRecognizer(),
        EsNifRecognizer(),
        EsNieRecognizer(),
    ]

    def raw(text: str) -> set[str]:
        found = set()
        for r in recognisers:
            for res in r.analyze(text, r.supported_entities, None):
                if res.score >= 0.3:  # no context words can raise scores without an engine
                    found.add(kinds[res.entity_type])
        return found

    def normalised(text: str) -> set[str]:
        return raw(identifiers._Norm(text).s)

    return raw, normalised


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--baseline", help="git revision whose identifiers.py to measure too")
    args = parser.parse_args()

    identifiers = load(ROOT / "directory" / "identifiers.py", "bench_identifiers")
    corpus = load(ROOT / "tests" / "unit" / "identifier_corpus.py", "bench_corpus")
    refuse, ordinary = corpus.REFUSE, corpus.PASS
    print(f"corpus: {len(refuse)} notes to refuse, {len(ordinary)} ordinary notes")

    def ours(text):
        return {f.kind for f in identifiers.find(text)}

    measure("this detector (directory/identifiers.py)", ours, refuse, ordinary)

    baseline = None
    if args.baseline:
        source = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{args.baseline}:directory/identifiers.py"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
            fh.write(source)
        baseline = load(Path(fh.name), "bench_baseline")
        measure(
            f"the detector at {args.baseline}",
            lambda t: {f.kind for f in baseline.find(t)},
            refuse,
            ordinary,
        )

    presidio = presidio_finders(identifiers)
    if presidio:
        raw, normalised = presidio
        measure("Presidio pattern recognisers (no NLP engine)", raw, refuse, ordinary)
        measure("Presidio pattern recognisers on our normalised copy", normalised, refuse, ordinary)
    else:
        print("\n(presidio_analyzer is not installed here: its comparison is skipped)")

    note = a_note(ordinary, refuse)
    print("\ntiming")
    timing("this detector", identifiers.find, note, args.runs)
    if baseline:
        timing(f"detector at {args.baseline}", baseline.find, note, args.runs)
    if presidio:
        timing("Presidio patterns", presidio[0], note, max(20, args.runs // 10))

    print("\nadversarial inputs (this detector, one run each)")
    worst = 0.0
    for label, text in ADVERSARIAL.items():
        t0 = time.perf_counter()
        identifiers.find(text)
        took = time.perf_counter() - t0
        worst = max(worst, took)
        print(f"  {label:<22} {len(text):>6} chars {took * 1000:>8.1f} ms")
    print(f"  slowest: {worst * 1000:.1f} ms")


if __name__ == "__main__":
    main()
