"""Leave-one-book-out cross-validation of the cleaner's thresholds on the DEV set.

Runs the cleaner in this process (one clean_text call per document and setting)
over ../shared/cleanup-bench, scores each output with that benchmark's own
score.py (imported from its path, not copied), and for each of the set's books
picks the setting that does best on the *other* books, then scores the held-out
book with it. Prints score.py's summary line for the whole set (with the
defaults, and with the setting best on all books) and for the cross-validated
outputs (every document cleaned with the setting chosen without its book).

    .venv/bin/python bench/cleanup_cv.py                       # the defaults only
    .venv/bin/python bench/cleanup_cv.py \\
        --grid spelling.fix_probability=0.95,0.98 --grid spelling.slip_offset=-0.5,0,0.5

A setting's worth on a set of books is its good changes (typos, real-word
errors, quote, look-alike and dialogue faults fixed) minus --cost times its bad
ones (wrong typo and real-word fixes, edits on clean documents, collateral
edits): with the default cost of 32, a change must be right 97% of the time to
pay for itself. Not a test: run it by hand (about 3 s a setting; needs
rapidfuzz for score.py to be fast).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import io
import itertools
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from storybinder.cleanup import TUNABLES, CleanOptions, clean_text
from storybinder.cleanup.tuning import with_overrides
from storybinder.readers.text_file import decode_text

Setting = tuple[tuple[str, str], ...]  # (("spelling.fix_gap", "2.5"), ...)
Counts = dict[str, float]

GOOD = ("typo_tp", "rw_fixed", "qf_fixed", "ch_fixed", "dl_fixed")
BAD = ("typo_fp_wrongfix", "rw_wrong", "clean_edits", "collateral_edits")


@dataclass(frozen=True)
class Doc:
    meta: dict[str, Any]
    book: str
    data: bytes
    gold: str
    faults: list[dict[str, Any]]


def default_corpus() -> Path:
    return Path(__file__).resolve().parents[2] / "shared" / "cleanup-bench"


def load_scorer(corpus: Path) -> ModuleType:
    """The benchmark's score.py, imported from the corpus folder."""
    spec = importlib.util.spec_from_file_location("cleanup_bench_score", corpus / "score.py")
    if spec is None or spec.loader is None:
        sys.exit(f"no score.py in {corpus}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_docs(corpus: Path) -> list[Doc]:
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    docs = []
    for meta in manifest["documents"]:
        base = corpus / "docs" / meta["id"]
        docs.append(
            Doc(
                meta=meta,
                book=meta["source"].split("@", 1)[0],
                data=(base.with_suffix(".input.txt")).read_bytes(),
                gold=(base.with_suffix(".gold.txt")).read_text(encoding="utf-8").rstrip(),
                faults=json.loads((base.with_suffix(".faults.json")).read_text(encoding="utf-8")),
            )
        )
    return docs


def parse_grid(specs: Sequence[str]) -> list[Setting]:
    """Every combination of the --grid values ("family.field=v1,v2")."""
    axes: list[list[tuple[str, str]]] = []
    for spec in specs:
        key, sep, values = spec.partition("=")
        if not sep or not values:
            sys.exit(f"--grid wants family.field=v1,v2,...: {spec!r}")
        axes.append([(key.strip(), v.strip()) for v in values.split(",") if v.strip()])
    return [tuple(combo) for combo in itertools.product(*axes)] if axes else [()]


def label(setting: Setting) -> str:
    return " ".join(f"{k}={v}" for k, v in setting) or "defaults"


class Runner:
    """Cleans and scores documents, remembering each (document, output) score."""

    def __init__(self, scorer: ModuleType, docs: list[Doc]) -> None:
        self.scorer = scorer
        self.docs = docs
        self.outputs: dict[Setting, list[str]] = {}
        self._scores: dict[tuple[str, bytes], Counts] = {}

    def clean_all(self, setting: Setting) -> list[str]:
        if setting not in self.outputs:
            options = CleanOptions(tuning=with_overrides(TUNABLES, dict(setting)))
            # As `storybinder clean -` does: decode the bytes, clean, write the text.
            self.outputs[setting] = [clean_text(decode_text(d.data, Path("<stdin>")), options)[0] for d in self.docs]
        return self.outputs[setting]

    def counts(self, setting: Setting) -> list[Counts]:
        """score.py's counters for each document cleaned with `setting`."""
        result = []
        for doc, out in zip(self.docs, self.clean_all(setting)):
            key = (doc.meta["id"], hashlib.blake2b(out.encode("utf-8", "surrogatepass"), digest_size=16).digest())
            if key not in self._scores:
                stats = self.scorer.Stats()
                inp = doc.data.decode("utf-8").rstrip()
                self.scorer.score_doc(doc.meta, doc.gold, inp, self.scorer.norm_out(out), doc.faults, stats, [])
                self._scores[key] = dict(stats.c)
            result.append(self._scores[key])
        return result


def total(counts: Sequence[Counts]) -> Counts:
    out: Counts = {}
    for c in counts:
        for k, v in c.items():
            out[k] = out.get(k, 0) + v
    return out


def utility(c: Counts, cost: float) -> float:
    return sum(c.get(k, 0) for k in GOOD) - cost * sum(c.get(k, 0) for k in BAD)


def summary_line(scorer: ModuleType, corpus: Path, docs: list[Doc], outputs: list[str]) -> tuple[str, str]:
    """score.py's own report for these outputs: (its last line, the whole report)."""
    by_input = {d.data: out.encode("utf-8", "surrogatepass") for d, out in zip(docs, outputs)}

    def run_cleaner(cmd: str, data: bytes, timeout: float) -> tuple[bytes, float, None]:
        return by_input[data], 0.0, None

    original: Callable[..., Any] = scorer.run_cleaner
    scorer.run_cleaner = run_cleaner
    report = io.StringIO()
    try:
        with contextlib.redirect_stdout(report):
            scorer.main(["--cleaner", "in-process", "--corpus", str(corpus)])
    finally:
        scorer.run_cleaner = original
    text = report.getvalue()
    line = next((ln for ln in reversed(text.splitlines()) if ln.startswith("summary:")), "summary: n/a")
    # score.py's throughput is meaningless here (no cleaner process was timed).
    line = " ".join(part for part in line.split() if not part.startswith("mb_per_s="))
    return line, text


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=default_corpus(), help="the cleanup-bench folder")
    parser.add_argument("--grid", action="append", default=[], metavar="FAMILY.FIELD=V1,V2",
                        help="values to try for one tunable (repeat for more; every combination is tried)")
    parser.add_argument("--cost", type=float, default=32.0, help="how many good changes one bad change cancels")
    parser.add_argument("--report", action="store_true", help="print score.py's whole report for the CV outputs")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    scorer = load_scorer(args.corpus)
    docs = load_docs(args.corpus)
    settings = parse_grid(args.grid)
    runner = Runner(scorer, docs)
    per_setting = {}
    for i, setting in enumerate(settings, 1):
        per_setting[setting] = runner.counts(setting)
        print(f"[{i}/{len(settings)}] {label(setting)}: utility {utility(total(per_setting[setting]), args.cost):.0f}",
              file=sys.stderr)

    books = sorted({d.book for d in docs})
    cv_outputs: list[str] = [""] * len(docs)
    print(f"{len(docs)} documents, {len(books)} books, {len(settings)} settings, cost {args.cost:g}")
    for book in books:
        train = [i for i, d in enumerate(docs) if d.book != book]

        def worth(setting: Setting, rows: list[int] = train) -> float:
            return utility(total([per_setting[setting][i] for i in rows]), args.cost)

        chosen = max(settings, key=worth)  # ties: the first listed wins
        for i, d in enumerate(docs):
            if d.book == book:
                cv_outputs[i] = runner.outputs[chosen][i]
        print(f"  held out {book}: chose {label(chosen)}")

    everything = list(range(len(docs)))
    best = max(settings, key=lambda s: utility(total([per_setting[s][i] for i in everything]), args.cost))
    runner.clean_all(())  # the defaults, for the first line (already there unless --grid was given)
    lines = [
        ("whole set, defaults", summary_line(scorer, args.corpus, docs, runner.outputs[()])),
        (f"whole set, best ({label(best)})", summary_line(scorer, args.corpus, docs, runner.outputs[best])),
        ("leave-one-book-out", summary_line(scorer, args.corpus, docs, cv_outputs)),
    ]
    for name, (line, _) in lines:
        print(f"{name}:\n  {line}")
    if args.report:
        print(lines[-1][1][1])
    print(f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
