"""storybinder against pandoc and calibre, side by side, in one run on the same inputs.

    .venv/bin/python bench/compare.py                 # the full run (1,000 books; ~10 minutes)
    .venv/bin/python bench/compare.py --books 200     # a quicker look

What it measures (every input generated here, in a temp folder, by bench/storygen.py):

1. One story (about 7,000 words), start to finish in a fresh process with
   cleaning and a generated cover, against `pandoc -f markdown+smart` with the
   title, author and a cover image given, and against pandoc's bare conversion
   (`pandoc story.txt -o story.epub`, only a title). Median of several alternating runs.
2. A batch of N stories (default 1,000) of realistic length: `storybinder build`
   over the folder (all cores) against pandoc and calibre's ebook-convert, one
   launch per book as their users run them. pandoc and calibre run on an evenly
   spread sample of the books and are extrapolated per book (said in the output).
3. Linearity and memory: the same batch at N/10 and N books; peak memory is the
   largest total RSS of the whole process tree (storybinder and its workers).
4. A 5 MB single-file novel: time and peak memory.
5. The cleaner's MB/s (bench/clean_speed.py when present, else clean_text here).
6. EPUB in: the N stories built to EPUB, then `storybinder build` of those N
   EPUBs against the N TXT stories, in alternating pairs (the same stories,
   so the same length; both clean and cover each book). `--only epub` runs
   just this case; `--only single` runs case 1 alone.

Wall time is what the goals are judged on; CPU time (user+sys of every child
process) is printed too, because on a shared machine wall time is noisy. A peer
that is not installed is skipped with a message.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.storygen import generate, novel, story_text  # noqa: E402

STORYBINDER = Path(sys.executable).with_name("storybinder")
COVER = REPO / "covers" / "the-lighthouse-keepers-cat.jpg"


@dataclass
class Run:
    """One measured command: wall seconds, CPU seconds of all its processes, peak total RSS (MB)."""

    wall: float
    cpu: float
    peak_mb: float
    returncode: int


def measure(command: list[str], cwd: Path | None = None) -> Run:
    """Run `command`, sampling the RSS of its whole process tree every 20 ms."""
    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        try:
            root = psutil.Process(process.pid)
        except psutil.NoSuchProcess:
            return
        while not done.is_set():
            total = 0
            try:
                for proc in [root, *root.children(recursive=True)]:
                    try:
                        total += proc.memory_info().rss
                    except psutil.NoSuchProcess:
                        pass
            except psutil.NoSuchProcess:
                break
            peak = max(peak, total)
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode != 0:
        print(f"  ! {' '.join(command[:3])}... exited {process.returncode}: {stderr.decode(errors='replace')[-300:]}")
    return Run(wall, cpu, peak / 1e6, process.returncode)


def pandoc_command(story: Path, out: Path, title: str, author: str) -> list[str]:
    return [
        "pandoc", "-f", "markdown+smart", str(story), "-o", str(out),
        "--metadata", f"title={title}", "--metadata", f"author={author}", f"--epub-cover-image={COVER}",
    ]


def calibre_command(story: Path, out: Path, title: str, author: str) -> list[str]:
    return ["ebook-convert", str(story), str(out), "--title", title, "--authors", author, "--cover", str(COVER)]


def have(tool: str) -> bool:
    if shutil.which(tool):
        return True
    print(f"  (skipped: {tool} is not installed; apt-get install -y {'calibre' if tool == 'ebook-convert' else tool})")
    return False


def fmt(run: Run | None, books: int = 1) -> str:
    if run is None:
        return "-"
    return (
        f"{run.wall:8.2f} s wall {run.cpu:8.2f} s cpu {run.peak_mb:7.0f} MB  ({books / run.wall:7.1f} books/s; "
        f"load {os.getloadavg()[0]:.1f})"
    )


def goal(label: str, value: float, limit: float, *, at_most: bool) -> str:
    ok = value <= limit if at_most else value >= limit
    sign = "<=" if at_most else ">="
    return f"  {'PASS' if ok else 'MISS'}  {label}: {value:.2f} (goal {sign} {limit:g})"


def bench_single(work: Path, repeats: int) -> list[str]:
    print(f"\n== one story, fresh process, {repeats} alternating runs each (median) ==")
    rng = random.Random(42)
    story = work / "single" / "the-salt-letters.txt"
    story.parent.mkdir(parents=True)
    story.write_text(story_text(rng, "The Salt Letters", "Fenna Ostrand", 7000), encoding="utf-8")
    print(f"  story: {story.stat().st_size / 1000:.0f} kB, about 7,000 words")
    ours, theirs, bare = [], [], []
    for n in range(repeats):
        ours.append(measure([str(STORYBINDER), "build", str(story), "-o", str(work / "single" / f"sb{n}")]))
        if shutil.which("pandoc"):
            theirs.append(measure(pandoc_command(story, work / "single" / f"pandoc{n}.epub", "The Salt Letters", "Fenna Ostrand")))
            # pandoc's bare conversion: no smart quotes, no cover, only the title it needs.
            bare.append(measure(["pandoc", str(story), "-o", str(work / "single" / f"bare{n}.epub"), "--metadata", "title=The Salt Letters"]))
    sb = _median(ours)
    print(f"  storybinder (clean + drawn cover): {fmt(sb)}")
    if not theirs:
        have("pandoc")
        return []
    pd, pb = _median(theirs), _median(bare)
    print(f"  pandoc -f markdown+smart (+cover): {fmt(pd)}")
    print(f"  pandoc, bare (no smart, no cover): {fmt(pb)}")
    print(f"  ratio storybinder/pandoc: {sb.wall / pd.wall:.2f} wall, {sb.cpu / pd.cpu:.2f} cpu")
    print(f"  ratio storybinder/bare pandoc: {sb.wall / pb.wall:.2f} wall, {sb.cpu / pb.cpu:.2f} cpu")
    return [
        goal("one story, storybinder time / pandoc time (wall)", sb.wall / pd.wall, 1.5, at_most=True),
        goal("one story, storybinder time / bare pandoc time (wall)", sb.wall / pb.wall, 1.5, at_most=True),
    ]


def _mean(one: Run, other: Run) -> Run:
    return Run((one.wall + other.wall) / 2, (one.cpu + other.cpu) / 2, (one.peak_mb + other.peak_mb) / 2,
               max(one.returncode, other.returncode))


def _median(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        statistics.median(r.peak_mb for r in runs),
        max(r.returncode for r in runs),
    )


def bench_batch(work: Path, count: int, pandoc_sample: int, calibre_sample: int) -> list[str]:
    small = max(1, count // 10)
    print(f"\n== batch: {count} generated stories (and the first {small}) ==")
    started = time.perf_counter()
    folder = work / "batch"
    stories = generate(folder, count, seed=2024)
    small_folder = work / "batch-small"
    small_folder.mkdir()
    for story in stories[:small]:
        shutil.copy(story.path, small_folder / story.path.name)
    size = sum(s.path.stat().st_size for s in stories)
    words = sum(s.words for s in stories)
    print(f"  generated in {time.perf_counter() - started:.1f} s: {size / 1e6:.1f} MB, "
          f"{words / count:,.0f} words a story on average (median target 6,000)")

    # The peers run half their sample before storybinder's batches and half
    # after, so a change in the machine's load falls on both sides alike.
    peers = [
        (tool, command, stories[:: max(1, count // sample)][:sample], target)
        for tool, command, sample, target in (
            ("pandoc", pandoc_command, pandoc_sample, 10),
            ("ebook-convert", calibre_command, calibre_sample, 100),
        )
        if have(tool)
    ]
    peer_runs: dict[str, list[Run]] = {tool: [] for tool, *_ in peers}

    def run_peers(half: int) -> None:
        for tool, command, picked, _ in peers:
            out = work / f"out-{tool}"
            out.mkdir(exist_ok=True)
            chosen = picked[: len(picked) // 2] if half == 0 else picked[len(picked) // 2 :]
            peer_runs[tool] += [measure(command(s.path, out / f"{s.path.stem}.epub", s.title, s.author)) for s in chosen]

    run_peers(0)
    sb_small = measure([str(STORYBINDER), "build", str(small_folder), "-o", str(work / "out-small")])
    print(f"  storybinder, {small:5d} books: {fmt(sb_small, small)}")
    sb = measure([str(STORYBINDER), "build", str(folder), "-o", str(work / "out")])
    print(f"  storybinder, {count:5d} books: {fmt(sb, count)}")
    built = len(list((work / "out").glob("*.epub")))
    if built != count:
        print(f"  ! only {built} of {count} books were built")
    again = measure([str(STORYBINDER), "build", str(folder), "-o", str(work / "out")])
    print(f"  storybinder, rebuild (all up to date): {fmt(again, count)}")
    # The small batch once more, after the big one: linearity compares the big
    # batch with the mean of both, so a change of load mid-run weighs less.
    sb_small_after = measure([str(STORYBINDER), "build", str(small_folder), "-o", str(work / "out-small-2")])
    print(f"  storybinder, {small:5d} books again: {fmt(sb_small_after, small)}")
    sb_small = _mean(sb_small, sb_small_after)
    run_peers(1)
    per_book = sb.wall / count
    lines = [
        goal(f"time {count} / time {small} books (linear: <= 11)", sb.wall / sb_small.wall, 11, at_most=True),
        goal(f"peak memory {count} / {small} books", sb.peak_mb / sb_small.peak_mb, 1.5, at_most=True),
    ]
    for tool, _, picked, target in peers:
        runs = peer_runs[tool]
        wall = sum(r.wall for r in runs) / len(runs)
        cpu = sum(r.cpu for r in runs) / len(runs)
        peak = max(r.peak_mb for r in runs)
        print(f"  {tool}, one launch a book, measured on {len(runs)} of the {count} books (half before, half after "
              f"storybinder), extrapolated: {wall:.3f} s/book wall, {cpu:.3f} s/book cpu, {peak:.0f} MB peak; "
              f"{count} books would take {wall * count:.0f} s ({1 / wall:.1f} books/s)")
        print(f"  throughput storybinder/{tool}: {wall / per_book:.1f}x wall, {cpu * count / sb.cpu:.1f}x cpu")
        lines.append(goal(f"batch throughput, storybinder / {tool} per book (wall)", wall / per_book, target, at_most=False))
    return lines


def bench_epub_batch(work: Path, count: int, pairs: int = 3) -> list[str]:
    """Batch throughput reading EPUBs (made by storybinder from the stories) against reading the TXT stories."""
    print(f"\n== EPUB in: {count} EPUBs against the same {count} stories as TXT, {pairs} alternating pairs ==")
    folder = work / "epub-txt"
    generate(folder, count, seed=2025)
    epubs = work / "epub-in"
    first = measure([str(STORYBINDER), "build", str(folder), "-o", str(epubs)])
    print(f"  made the EPUBs: {fmt(first, count)}")
    txt_runs, epub_runs = [], []
    for n in range(pairs):
        txt_runs.append(measure([str(STORYBINDER), "build", str(folder), "-o", str(work / f"epub-txt-out{n}")]))
        epub_runs.append(measure([str(STORYBINDER), "build", str(epubs), "-o", str(work / f"epub-epub-out{n}")]))
        print(f"  pair {n + 1}: TXT {fmt(txt_runs[-1], count)}")
        print(f"          EPUB {fmt(epub_runs[-1], count)}")
    txt, epub = _median(txt_runs), _median(epub_runs)
    built = len(list((work / "epub-epub-out0").glob("*.epub")))
    if built != count:
        print(f"  ! only {built} of {count} EPUBs were built")
    print(f"  median: TXT {count / txt.wall:.1f} books/s, EPUB {count / epub.wall:.1f} books/s "
          f"(cpu {txt.cpu:.1f} s against {epub.cpu:.1f} s)")
    return [goal("batch throughput, EPUB in / TXT in (wall, medians)", txt.wall / epub.wall, 0.5, at_most=False)]


def bench_novel(work: Path) -> list[str]:
    print("\n== one 5 MB novel in a single file ==")
    story = novel(work / "novel", 5.0)
    print(f"  {story.path.stat().st_size / 1e6:.1f} MB, {story.words:,} words")
    run = measure([str(STORYBINDER), "build", str(story.path), "-o", str(work / "novel-out")])
    print(f"  storybinder: {fmt(run)}")
    if shutil.which("pandoc"):
        print(f"  pandoc:      {fmt(measure(pandoc_command(story.path, work / 'novel.epub', story.title, story.author)))}")
    return [f"  {'PASS' if run.returncode == 0 else 'MISS'}  5 MB novel builds ({run.wall:.1f} s, {run.peak_mb:.0f} MB peak)"]


def bench_cleaner(work: Path) -> None:
    print("\n== the cleaner's speed ==")
    script = REPO / "bench" / "clean_speed.py"
    if script.is_file():
        subprocess.run([sys.executable, str(script)], check=False)
        return
    from storybinder.cleanup import clean_text

    text = (work / "novel" / "the-long-weather.txt").read_text(encoding="utf-8")
    clean_text("Warm up the lexicon.")
    start = time.perf_counter()
    clean_text(text)
    seconds = time.perf_counter() - start
    print(f"  clean_text on {len(text.encode()) / 1e6:.1f} MB: {seconds:.2f} s, {len(text.encode()) / 1e6 / seconds:.2f} MB/s")


def compile_bytecode() -> None:
    """Compile storybinder's modules to bytecode, as `pip install` does for an
    installed package. An editable install run with PYTHONDONTWRITEBYTECODE
    set (as on the machine these goals were set on) would otherwise compile
    every module again in every process: about 35 ms a launch."""
    import compileall

    import storybinder

    compileall.compile_dir(Path(storybinder.__file__).parent, quiet=1)
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("  (PYTHONDONTWRITEBYTECODE is set: storybinder's bytecode was compiled once, as pip does on install)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--books", type=int, default=1000, help="stories in the batch (default 1000)")
    parser.add_argument("--pandoc-sample", type=int, default=100, help="books pandoc converts (default 100)")
    parser.add_argument("--calibre-sample", type=int, default=20, help="books calibre converts (default 20)")
    parser.add_argument("--repeats", type=int, default=7, help="runs of the one-story comparison (default 7)")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    parser.add_argument(
        "--only", choices=["epub", "single"],
        help="run only this case (epub: EPUB in against TXT in; single: one story against pandoc)",
    )
    args = parser.parse_args()
    if not STORYBINDER.is_file():
        sys.exit(f"no storybinder script beside {sys.executable}; run with the project's .venv/bin/python")
    work = Path(tempfile.mkdtemp(prefix="storybinder-bench-"))
    print(f"storybinder bench, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, work folder {work}")
    compile_bytecode()
    try:
        if args.only == "epub":
            verdicts = bench_epub_batch(work, args.books)
        elif args.only == "single":
            verdicts = bench_single(work, args.repeats)
        else:
            verdicts = bench_single(work, args.repeats)
            verdicts += bench_batch(work, args.books, args.pandoc_sample, args.calibre_sample)
            verdicts += bench_novel(work)
            verdicts += bench_epub_batch(work, args.books)
            bench_cleaner(work)
        print(f"\n== goals (load average now {os.getloadavg()[0]:.1f}) ==")
        print("\n".join(verdicts))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
