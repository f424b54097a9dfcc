"""`storybinder` and `python -m storybinder`: signals are taken care of before anything heavy is imported."""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point."""
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
