"""Cleaner throughput on one core: MB of text per second through clean_text.

Builds a large input (default ~20 MB) by repeating the cleanup benchmark's
degraded documents (or a built-in sample when the benchmark is not beside the
repository), so the text has realistic dialogue, dashes and typos; then times
`clean_text` on it after one warm-up run (dictionary load excluded, reported
separately). Not a test: run it by hand.

    .venv/bin/python bench/clean_speed.py [--mb 20] [RULE ...]

With RULE names (prefixes work: `spelling`, `quotes.curl`), only those rules
run: their cost plus the layout and the engine, which running a cheap rule
alone (`dashes`) measures.

The garbage collector runs with the thresholds `storybinder clean` sets
(storybinder.__main__.GC_THRESHOLDS), so the figure is the command's;
`--default-gc` keeps Python's own (a library caller's), where the collector
goes over the edits made so far some hundreds of times more.
"""

from __future__ import annotations

import argparse
import gc
import time
from pathlib import Path

from storybinder.__main__ import GC_THRESHOLDS
from storybinder.cleanup import CleanOptions, clean_text
from storybinder.cleanup.dictionary import load_lexicon

_SAMPLE = (
    '"Well," said she -- and paused... "I don\'t know what \'em folks are goin\' to do."\n\n'
    "He looked at the the door, which stood open  to the yard, and thought of his freind.\n\n"
)


def corpus_text() -> str:
    docs = Path(__file__).resolve().parents[2] / "shared" / "cleanup-bench" / "docs"
    inputs = sorted(docs.glob("*.input.txt")) if docs.is_dir() else []
    if not inputs:
        return _SAMPLE * 200
    return "\n\n".join(p.read_text(encoding="utf-8").strip() for p in inputs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=20.0, help="size of the generated input in MB")
    parser.add_argument("rules", nargs="*", metavar="RULE", help="run only these rules (default: all)")
    parser.add_argument("--default-gc", action="store_true", help="Python's collector thresholds, not the CLI's")
    args = parser.parse_args()
    if not args.default_gc:
        gc.set_threshold(*GC_THRESHOLDS)  # as the console script does
    options = CleanOptions(rules=args.rules) if args.rules else None
    t0 = time.perf_counter()
    load_lexicon()
    load = time.perf_counter() - t0
    base = corpus_text()
    repeats = max(1, int(args.mb * 1e6 / len(base.encode("utf-8"))))
    # Each copy gets its own numbered paragraph so story-level word counts stay realistic.
    text = "\n\n".join(f"Part {i}.\n\n{base}" for i in range(repeats))
    size = len(text.encode("utf-8")) / 1e6
    clean_text(base, options)  # warm-up: regex compilation, caches
    t0, c0 = time.perf_counter(), time.process_time()
    out, edits = clean_text(text, options)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"lexicon load: {load * 1000:.0f} ms")
    print(f"gc thresholds: {gc.get_threshold()}" + (" (Python's default)" if args.default_gc else " (the CLI's)"))
    if args.rules:
        print(f"rules: {', '.join(args.rules)}")
    # CPU time is what one core delivers; wall time also counts other processes on a busy machine.
    print(f"input: {size:.1f} MB, {len(edits)} edits")
    print(f"cpu:  {cpu:.2f} s -> {size / cpu:.2f} MB/s")
    print(f"wall: {elapsed:.2f} s -> {size / elapsed:.2f} MB/s")


if __name__ == "__main__":
    main()
