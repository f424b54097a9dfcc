"""`storybinder` and `python -m storybinder`: signals are taken care of before anything heavy is imported."""

from __future__ import annotations

import gc
import sys

# Start-up makes some 45,000 objects that live as long as the process (modules, dataclasses,
# typer's commands, the lexicon). At the collector's default first threshold (700) they were
# gone over about 60 times in a one-story build (bench/compare.py's story): 20-30 ms of CPU on
# the shared 2-core machine. At 50,000 that build needs no collection, and a long batch or
# `serve` still collects (every 50,000 objects made and kept).
GC_THRESHOLDS = (50_000, 10, 10)


def main() -> None:
    """Console-script entry point."""
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        from .interrupts import run_interruptible
    except KeyboardInterrupt:  # Ctrl-C in the first milliseconds, before our handler is in place
        sys.stderr.write("storybinder: interrupted (Ctrl-C)\n")
        sys.exit(130)
    run_interruptible(_app)


def _app() -> None:
    from .cli import run

    run()


if __name__ == "__main__":
    main()
