"""The cleaner's share of a one-story build: CPU of `storybinder build` with cleaning minus `--no-clean`.

    .venv/bin/python bench/clean_share.py                  # 15 interleaved pairs, bench/compare.py's story
    .venv/bin/python bench/clean_share.py --runs 25        # more pairs on a loaded machine
    .venv/bin/python bench/clean_share.py --story my.txt   # another story
    .venv/bin/python bench/clean_share.py --against ../main/src   # A/B: this src/ and another, interleaved

What it measures, each in fresh processes of this checkout's src/ (not the installed package):

1. The share: user+sys CPU of the whole child process for `storybinder build STORY -o FRESH`
   and for the same with `--no-clean`, in interleaved pairs (the order flips every pair, so
   a change in the machine's load falls on both alike), each into a new output folder (a
   build skips a book whose EPUB is up to date). Medians of each side, their difference,
   and the median of the pairs' differences. Issue 10's goal: at most 20 ms.
2. The cleaner's imports: `python -X importtime` of both builds; the self time of every module
   only the cleaning build imports (the tool's own overhead makes these a little high).
3. A split of the share, in a fresh process that first imports every module a --no-clean build
   imports and reads the story as the build does, then times with process_time:
   import (the cleanup modules the build imports), load (load_lexicon: the mapped dictionary
   cache), clean (clean_read_story + clean_metadata_typography, as pipeline._load_story does;
   first use of patterns and lazy data included), and the same clean once more (warm: the
   cleaning work alone). clean - warm is what first use costs (patterns compiled, records'
   classes made, data read on demand). Medians of --split-runs processes.

`--against SRC` measures another checkout's src/ the same way, its builds and split processes
interleaved with this one's (each round runs the four builds in a rotated order), and prints the
difference of the two shares: what a change to the cleaner saves, on a machine whose load drifts.

The story is bench/compare.py --only single's (7,000 words, seed 42) unless --story is given.
Bytecode of src/ is compiled first (PYTHONDONTWRITEBYTECODE would otherwise make every
process compile every module), and one build runs first so the lexicon cache exists.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src"
sys.path.insert(0, str(REPO))

from bench.storygen import story_text  # noqa: E402

# What the console script runs (setup.py's entry point), without `python -m`'s runpy.
# (`python -c LAUNCH build ...`: the arguments follow, argv[0] is "-c".)
LAUNCH = "import sys; sys.argv[0] = 'storybinder'; from storybinder.__main__ import main; sys.exit(main())"
# Modules of the cleaning build that the split times as the cleaner's imports (pipeline's lazy imports).
CLEAN_IMPORTS = ("storybinder.cleanup", "storybinder.cleanup.words", "storybinder.review.paths")


def child_env(src: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(src), *filter(None, [env.get("PYTHONPATH")])])
    return env


def build_command(story: Path, out: Path, clean: bool, *, importtime: bool = False) -> list[str]:
    flags = ["-X", "importtime"] if importtime else []
    args = ["build", str(story), "-o", str(out), *([] if clean else ["--no-clean"])]
    return [sys.executable, *flags, "-c", LAUNCH, *args]


def cpu_of(command: list[str], env: dict[str, str]) -> float:
    """User+sys CPU seconds of one run of `command` (the child and anything it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"build failed ({result.returncode}): {result.stderr.decode(errors='replace')[-500:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def importtimes(command: list[str], env: dict[str, str]) -> dict[str, int]:
    """Self time (us) of each module `command` imports, from python -X importtime."""
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    rows: dict[str, int] = {}
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "self [us]" not in line:
            self_us, _, name = (part.strip() for part in line[len("import time:"):].split("|"))
            rows[name] = int(self_us)
    return rows


# The split's child: argv = story, then the modules a --no-clean build imports, in order.
SPLIT_CHILD = r"""
import gc, importlib, json, sys, time
from storybinder.__main__ import GC_THRESHOLDS
gc.set_threshold(*GC_THRESHOLDS)
story_path, modules = sys.argv[1], sys.argv[2:]
for name in modules:
    try:
        importlib.import_module(name)
    except Exception:
        pass
from pathlib import Path
from storybinder.model import Metadata
from storybinder.pipeline import clean_metadata_typography, clean_read_story, read_with_sidecar
story = read_with_sidecar(Path(story_path), Metadata(), lambda w: None)
clock = time.process_time
t0 = clock()
for name in %(clean_imports)r:
    importlib.import_module(name)
t1 = clock()
from storybinder.cleanup.dictionary import load_lexicon
load_lexicon()
t2 = clock()
def clean():
    result = clean_read_story(story, Path(story_path), None, with_contexts=False)
    clean_metadata_typography(result.story.metadata)
clean()
t3 = clock()
clean()
t4 = clock()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "clean": t3 - t2, "warm": t4 - t3}))
""" % {"clean_imports": CLEAN_IMPORTS}


def split(story: Path, trees: list[Tree], runs: int) -> list[dict[str, float]]:
    """Each tree's median seconds of each stage over `runs` fresh processes (the trees taking turns)."""
    samples: list[dict[str, list[float]]] = [{} for _ in trees]
    for _ in range(runs):
        for tree, into in zip(trees, samples):
            out = subprocess.run([sys.executable, "-c", SPLIT_CHILD, str(story), *tree.plain_modules],
                                 env=tree.env, capture_output=True, text=True, check=True)
            for key, value in json.loads(out.stdout.strip().splitlines()[-1]).items():
                into.setdefault(key, []).append(value)
    return [{key: statistics.median(values) for key, values in tree_samples.items()} for tree_samples in samples]


class Tree:
    """One checkout's src/ as the builds run it, and what its builds measured."""

    def __init__(self, src: Path) -> None:
        self.src = src
        self.env = child_env(src)
        self.clean: list[float] = []  # CPU seconds of each build with cleaning
        self.plain: list[float] = []  # ...and with --no-clean
        self.plain_modules: list[str] = []  # what a --no-clean build imports (for the split)

    def share(self) -> float:
        return statistics.median(self.clean) - statistics.median(self.plain)

    def report(self, story: Path, work: Path, top: int) -> None:
        clean, plain = self.clean, self.plain
        paired = statistics.median(c - p for c, p in zip(clean, plain))
        print(f"{self.src}:")
        print(f"  build with cleaning:  median {ms(statistics.median(clean))} cpu (min {ms(min(clean))}), {len(clean)} runs")
        print(f"  build --no-clean:     median {ms(statistics.median(plain))} cpu (min {ms(min(plain))})")
        print(f"  cleaner's share:      {ms(self.share())} (difference of medians; median of pair differences "
              f"{ms(paired)}, goal <= 20 ms)")
        with_imports = importtimes(build_command(story, work / "imp-clean", True, importtime=True), self.env)
        without = importtimes(build_command(story, work / "imp-plain", False, importtime=True), self.env)
        self.plain_modules = list(without)
        only = {module: us for module, us in with_imports.items() if module not in without}
        print(f"  cleaner's imports (-X importtime, self): {len(only)} modules, {sum(only.values()) / 1000:.1f} ms"
              + ("; dearest:" if top else ""))
        for module, us in sorted(only.items(), key=lambda item: -item[1])[:top]:
            print(f"    {us / 1000:6.2f} ms  {module}")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="interleaved pairs of builds (default 15)")
    parser.add_argument("--split-runs", type=int, default=7, help="fresh processes for the split (default 7; 0: none)")
    parser.add_argument("--story", type=Path, help="the story to build (default: bench/compare.py's 7,000 words)")
    parser.add_argument("--top", type=int, default=8, help="the cleaner's dearest imports to list (default 8)")
    parser.add_argument("--against", type=Path, metavar="SRC", help="another checkout's src/, measured interleaved")
    args = parser.parse_args()
    import compileall

    trees = [Tree(SRC)] + ([Tree(args.against.resolve())] if args.against else [])
    for tree in trees:
        compileall.compile_dir(tree.src / "storybinder", quiet=1)
    work = Path(tempfile.mkdtemp(prefix="clean-share-"))
    try:
        story = args.story.resolve() if args.story else work / "the-salt-letters.txt"
        if not args.story:
            story.write_text(story_text(random.Random(42), "The Salt Letters", "Fenna Ostrand", 7000), encoding="utf-8")
        words = len(story.read_text(encoding="utf-8").split())
        print(f"story: {story.name}, {story.stat().st_size / 1000:.0f} kB, {words:,} words; "
              f"load average {os.getloadavg()[0]:.1f}")
        for i, tree in enumerate(trees):  # the lexicon and pattern caches, the page cache
            cpu_of(build_command(story, work / f"warm-{i}", True), tree.env)
        runs = [(tree, with_clean) for tree in trees for with_clean in (True, False)]
        for n in range(args.runs):
            turn = n % len(runs)  # each build goes first as often as the others
            for i, (tree, with_clean) in enumerate(runs[turn:] + runs[:turn]):
                into = tree.clean if with_clean else tree.plain
                into.append(cpu_of(build_command(story, work / f"out-{n}-{i}", with_clean), tree.env))
        for i, tree in enumerate(trees):
            tree.report(story, work / f"tree-{i}", args.top)
        if len(trees) == 2:
            this, other = trees
            rounds = [(c - p) - (oc - op) for c, p, oc, op in zip(this.clean, this.plain, other.clean, other.plain)]
            print(f"share of {this.src} - share of {other.src}: {ms(this.share() - other.share())} "
                  f"(median of the rounds' differences {ms(statistics.median(rounds))})")

        if args.split_runs:
            for tree, stages in zip(trees, split(story, trees, args.split_runs)):
                first_use = stages["clean"] - stages["warm"]
                total = stages["import"] + stages["load"] + stages["clean"]
                print(f"split of {tree.src} (process_time, median of {args.split_runs} fresh processes): "
                      f"import {ms(stages['import'])}, load {ms(stages['load'])}, clean {ms(stages['clean'])} = {ms(total)}")
                print(f"  clean = cleaning work (a second, warm clean) {ms(stages['warm'])} "
                      f"+ first use (patterns, lazy classes and data) {ms(first_use)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
