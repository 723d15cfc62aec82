"""The client-identifier check on the held-out corpus (tests/unit/identifier_notes.json):
share of identifying notes refused and of ordinary notes refused, per language and per
kind, on one half of the split (``test`` by default: the figures of docs/security.md), the
time per note (median and p95) and adversarial inputs.

    .venv/bin/python benchmarks/identifiers.py [--split test|dev|all] [--baseline REV]
                                               [--misses] [--runs 5]

``--baseline REV`` also measures the detector as it was at git revision REV (the tree is
extracted to a temporary folder with ``git archive`` and measured there in a subprocess),
on the same notes, for a before/after. An ordinary note about a service is checked with
that service's public record as the allow-list (its phone, address, website and hours),
as the application does; a detector without that parameter is called without it.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "unit" / "identifier_notes.json"

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
    '"ana maria " * 1000': "ana maria " * 1000,
    '"@a_1 " * 2000': "@a_1 " * 2000,
    '"\\u200b1" * 5000': "\u200b1" * 5000,
}


def rates(notes, refused) -> dict:
    """Figures for ``notes`` given ``refused`` (one bool per note)."""
    out: dict = {"by_lang": {}, "by_kind": {}, "by_form": {}}
    ident = [(n, r) for n, r in zip(notes, refused, strict=True) if n["identifying"]]
    ordin = [(n, r) for n, r in zip(notes, refused, strict=True) if not n["identifying"]]
    out["recall"] = sum(r for _, r in ident) / max(1, len(ident))
    out["false_alarms"] = sum(r for _, r in ordin) / max(1, len(ordin))
    out["n_identifying"], out["n_ordinary"] = len(ident), len(ordin)
    for key, field in (("by_lang", "lang"), ("by_kind", "kind"), ("by_form", "form")):
        tot, hit = Counter(), Counter()
        for n, r in zip(notes, refused, strict=True):
            k = (n[field], n["identifying"])
            tot[k] += 1
            hit[k] += r
        out[key] = {f"{k[0]}|{int(k[1])}": [hit[k], tot[k]] for k in sorted(tot)}
    return out


def run(root: Path, split: str, runs: int, misses: bool) -> dict:
    """Measure the detector found under ``root`` (imported from there)."""
    sys.path.insert(0, str(root))
    from directory import identifiers  # noqa: PLC0415

    data = json.loads(CORPUS.read_text(encoding="utf-8"))
    services = data["services"]
    notes = [n for n in data["notes"] if split == "all" or n["split"] == split]
    takes_allow = "allow" in inspect.signature(identifiers.find).parameters
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    identifiers.find("warm-up: Ana Torres")  # loads any lazy data
    first_call = time.perf_counter() - t0
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def check(note):
        if takes_allow and note["service"] is not None:
            allow = identifiers.Allowed.from_record(services[note["service"]])
            return identifiers.find(note["text"], allow=allow)
        return identifiers.find(note["text"])

    refused, times, wrong = [], [], []
    for note in notes:
        best = None
        for _ in range(runs):
            t = time.perf_counter()
            found = check(note)
            took = time.perf_counter() - t
            best = took if best is None else min(best, took)
        times.append(best)
        refused.append(bool(found))
        if misses and bool(found) != note["identifying"]:
            wrong.append(
                (note["kind"], note["form"], note["text"], [(f.kind, f.text) for f in found])
            )
    out = rates(notes, refused)
    times.sort()
    out["median_ms"] = statistics.median(times) * 1000
    out["p95_ms"] = times[max(0, int(len(times) * 0.95) - 1)] * 1000
    out["first_call_ms"] = first_call * 1000
    out["rss_load_mb"] = (rss1 - rss0) / 1024
    out["rss_mb"] = rss1 / 1024
    long_note = ". ".join(n["text"] for n in notes)[:2000]  # 2,000 characters, mixed
    long_times = []
    for _ in range(max(20, runs * 4)):
        t = time.perf_counter()
        identifiers.find(long_note)
        long_times.append(time.perf_counter() - t)
    long_times.sort()
    out["long_note_p95_ms"] = long_times[int(len(long_times) * 0.95) - 1] * 1000
    adv = {}
    for label, text in ADVERSARIAL.items():
        t = time.perf_counter()
        identifiers.find(text)
        adv[label] = (time.perf_counter() - t) * 1000
    out["adversarial_ms"] = adv
    out["misses"] = wrong
    return out


def show(title: str, r: dict) -> None:
    print(f"\n{title}")
    print(
        f"  identifying notes refused: {r['recall']:.1%} of {r['n_identifying']}; "
        f"ordinary notes refused: {r['false_alarms']:.1%} of {r['n_ordinary']}"
    )
    for key in ("by_lang", "by_kind", "by_form"):
        print(f"  {key[3:]}:")
        for k, (hit, tot) in r[key].items():
            name, ident = k.split("|")
            what = "refused (identifying)" if ident == "1" else "refused (ordinary: false alarm)"
            if key == "by_form" and ident == "0":
                continue
            print(f"    {name:<14} {hit:>3}/{tot:<3} {hit / tot:>6.1%}  {what}")
    print(
        f"  time per note: median {r['median_ms']:.2f} ms, p95 {r['p95_ms']:.2f} ms; "
        f"first call (lazy loads) {r['first_call_ms']:.0f} ms; RSS +{r['rss_load_mb']:.0f} MB "
        f"for the first call ({r['rss_mb']:.0f} MB in all)"
    )
    if "long_note_p95_ms" in r:
        print(f"  a 2,000-character note: p95 {r['long_note_p95_ms']:.1f} ms")
    worst = max(r["adversarial_ms"].items(), key=lambda kv: kv[1])
    print(f"  adversarial inputs: slowest {worst[0]} {worst[1]:.0f} ms")
    for m in r["misses"]:
        print("   ", m)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("test", "dev", "all"))
    parser.add_argument("--baseline", help="git revision whose detector to measure too")
    parser.add_argument("--runs", type=int, default=5, help="runs per note (the best counts)")
    parser.add_argument("--misses", action="store_true", help="list each wrong answer")
    parser.add_argument("--root", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("FLASK_DEBUG", "0")

    if args.root:  # the subprocess measuring a baseline
        print(json.dumps(run(Path(args.root), args.split, args.runs, args.misses)))
        return

    data = json.loads(CORPUS.read_text(encoding="utf-8"))
    n = [x for x in data["notes"] if args.split == "all" or x["split"] == args.split]
    print(f"corpus {CORPUS.name}, {args.split} half: {len(n)} notes")
    if args.baseline:
        with tempfile.TemporaryDirectory() as tmp:
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", args.baseline, "app", "directory"],
                capture_output=True,
                check=True,
            ).stdout
            with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
                tar.extractall(tmp, filter="data")
            cmd = [sys.executable, __file__, "--root", tmp, "--split", args.split]
            cmd += ["--runs", str(args.runs)] + (["--misses"] if args.misses else [])
            out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=tmp)
            show(f"the detector at {args.baseline}", json.loads(out.stdout.splitlines()[-1]))
    show("this detector", run(ROOT, args.split, args.runs, args.misses))


if __name__ == "__main__":
    main()
