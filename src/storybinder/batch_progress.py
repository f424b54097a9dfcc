"""How a build talks while it runs: a rich progress bar on a terminal, plain lines otherwise.

Both reporters take the same calls, so build_command does not care which one
it has. rich is imported only when stderr is a terminal.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType

import typer


class PlainReporter:
    """Messages as lines: stdout for what was built, stderr for warnings and errors."""

    def __init__(self, total: int, *, quiet: bool = False) -> None:
        self.total = total
        self.quiet = quiet  # --json: stdout is for the summary only

    def __enter__(self) -> PlainReporter:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def info(self, line: str) -> None:
        if not self.quiet:
            typer.echo(line)

    def problem(self, line: str) -> None:
        typer.echo(line, err=True)

    def advance(self, failed: int) -> None:
        return None


class RichReporter:
    """A live bar on stderr: books done of total, failures, books per second, time left."""

    def __init__(self, total: int, *, quiet: bool = False) -> None:
        # Each built book is a line only in --verbose: the bar says how it goes.
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.quiet = quiet
        self.started = time.perf_counter()
        self.progress = Progress(
            TextColumn("building"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("books"),
            TextColumn("[red]{task.fields[failed]} failed[/]"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self.task = self.progress.add_task("build", total=total, failed=0, rate="")

    def __enter__(self) -> RichReporter:
        self.progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.progress.stop()

    def info(self, line: str) -> None:
        if not self.quiet:
            # Above the bar, on stderr: the bar owns the terminal while it runs.
            self.progress.console.print(line, markup=False, highlight=False)

    def problem(self, line: str) -> None:
        self.progress.console.print(line, markup=False, highlight=False, style="yellow" if line.startswith("warning") else "red")

    def advance(self, failed: int) -> None:
        done = self.progress.tasks[0].completed + 1
        elapsed = time.perf_counter() - self.started
        rate = f"{done / elapsed:.1f} books/s" if elapsed > 0 else ""
        self.progress.update(self.task, advance=1, failed=failed, rate=rate)


def reporter_for(total: int, *, quiet: bool, verbose: bool) -> PlainReporter | RichReporter:
    """A progress bar when a person watches stderr and there is more than one book."""
    if total > 1 and sys.stderr.isatty():
        return RichReporter(total, quiet=quiet or not verbose)
    return PlainReporter(total, quiet=quiet)
