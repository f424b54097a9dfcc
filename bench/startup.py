"""Start-up cost of a one-story build: fresh-process timings and where the import time goes.

    .venv/bin/python bench/startup.py                # median wall and CPU of 9 runs
    .venv/bin/python bench/startup.py --imports 15   # and the 15 dearest imports (self time, python -X importtime)

The story is the one bench/compare.py --only single builds (7,000 words,
The Salt Letters, seed 42), built with cleaning and a drawn cover as there.
CPU time (user+sys) is steadier than wall time on a shared machine.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.storygen import story_text  # noqa: E402

STORYBINDER = Path(sys.executable).with_name("storybinder")


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def import_costs(command: list[str], top: int) -> None:
    """Print the `top` imports with the largest self time, then storybinder's own modules by cumulative time."""
    result = subprocess.run([sys.executable, "-X", "importtime", *command], capture_output=True, text=True, check=True)
    rows = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative, name = (part.strip() for part in line[len("import time:"):].split("|"))
        rows.append((int(self_us), int(cumulative), name))
    total = sum(r[0] for r in rows)
    print(f"imports: {len(rows)} modules, {total / 1000:.1f} ms self time in all")
    print(f"top {top} by self time (ms):")
    for self_us, cumulative, name in sorted(rows, reverse=True)[:top]:
        print(f"  {self_us / 1000:7.1f} {cumulative / 1000:7.1f}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--imports", type=int, default=0, metavar="N", help="also print the N dearest imports")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        story = Path(tmp) / "the-salt-letters.txt"
        story.write_text(story_text(random.Random(42), "The Salt Letters", "Fenna Ostrand", 7000), encoding="utf-8")
        command = [str(STORYBINDER), "build", str(story), "-o", str(Path(tmp) / "out"), "--force"]
        runs = [timed(command) for _ in range(args.runs)]
        walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
        print(f"one-story build, {args.runs} runs: median {statistics.median(walls) * 1000:.0f} ms wall "
              f"(min {min(walls) * 1000:.0f}), {statistics.median(cpus) * 1000:.0f} ms cpu (min {min(cpus) * 1000:.0f})")
        if args.imports:
            import_costs(["-m", "storybinder", "build", str(story), "-o", str(Path(tmp) / "out"), "--force"], args.imports)


if __name__ == "__main__":
    main()
