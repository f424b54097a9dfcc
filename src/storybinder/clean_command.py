"""`storybinder clean FILE|-`: clean one text file, keeping its layout exactly.

The cleaned text goes to stdout (or `-o FILE`, or back into FILE with
`--in-place`, keeping FILE.bak); a summary of the edits goes to stderr. `--diff`,
`--json` and `--report` describe the edits instead of (or besides) the text.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from storybinder.errors import StorybinderError


def _split_names(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [n.strip() for v in values for n in v.split(",") if n.strip()]


def clean(
    source: Annotated[str, typer.Argument(help="The story file to clean, or - for stdin.", metavar="FILE|-")],
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write the cleaned text here instead of stdout.")
    ] = None,
    in_place: Annotated[
        bool, typer.Option("--in-place", help="Rewrite FILE itself, keeping the original as FILE.bak.")
    ] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff of the changes instead of the text.")] = False,
    report: Annotated[
        Optional[Path], typer.Option("--report", help="Write an HTML report with every change in context.")
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print the edits as JSON instead of the text: changes to words, suggestions, then typography per rule.",
        ),
    ] = False,
    rules: Annotated[
        Optional[list[str]], typer.Option("--rules", help="Run only these rules (comma-separated; prefixes work).")
    ] = None,
    skip: Annotated[Optional[list[str]], typer.Option("--skip", help="Do not run these rules.")] = None,
    apply_suggestions: Annotated[
        bool, typer.Option("--apply-suggestions", help="Also apply the changes the cleaner is unsure of.")
    ] = False,
    words: Annotated[
        Optional[Path], typer.Option("--words", help="A word list of correct words (default: the nearest words.txt).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not print the summary of edits.")] = False,
) -> None:
    """Fix quotes, dashes, spacing and typos in FILE; print the cleaned text.

    The layout is kept exactly: same paragraphs, same line breaks. Changes the
    cleaner is unsure of are reported (summary, --json, --report), not made.

    Rules (default mode): unicode, unicode.lookalikes, whitespace, dashes,
    ellipsis, quotes.curl, quotes.unbalanced, dialogue.tags,
    punctuation.dash_stop, punctuation.comma_capital, spelling.doubled,
    spelling.common, spelling.realword (fix); names.consistency (suggest);
    spelling.unknown (off).
    """
    try:
        _run(source, output, in_place, diff, report, as_json, rules, skip, apply_suggestions, words, quiet)
    except StorybinderError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None


def _run(
    source: str,
    output: Path | None,
    in_place: bool,
    diff: bool,
    report: Path | None,
    as_json: bool,
    rules: list[str] | None,
    skip: list[str] | None,
    apply_suggestions: bool,
    words_path: Path | None,
    quiet: bool,
) -> None:
    from storybinder.cleanup import CleanOptions, clean_text_in_context
    from storybinder.cleanup.report import edits_to_json, summary_lines, unified_diff
    from storybinder.cleanup.words import find_project_words, load_word_list
    from storybinder.readers.text_file import decode

    from_stdin = source == "-"
    if in_place and from_stdin:
        raise StorybinderError("--in-place needs a file, not stdin", hint="use -o FILE")
    if in_place and output is not None:
        raise StorybinderError("--in-place and -o cannot be used together")
    path = Path(source)
    if from_stdin:
        decoded = decode(sys.stdin.buffer.read(), Path("<stdin>"))
    else:
        if not path.is_file():
            raise StorybinderError("no such file", path=path)
        decoded = decode(path.read_bytes(), path)
    text = decoded.text
    for warning in decoded.warnings(Path("<stdin>") if from_stdin else path):
        typer.echo(f"warning: {warning}", err=True)

    if words_path is None:
        words_path = find_project_words(Path.cwd() if from_stdin else path)
    extra = load_word_list(words_path) if words_path is not None else frozenset()
    if not from_stdin:
        from storybinder.manifest import load_sidecar

        # The story's sidecar `words` are its own vocabulary, as in `build`.
        extra = extra | frozenset(load_sidecar(path).words)
    options = CleanOptions(
        rules=_split_names(rules),
        skip=_split_names(skip) or (),
        apply_suggestions=apply_suggestions,
        words=extra,
    )
    cleaned, edits, contexts = clean_text_in_context(text, options)

    if report is not None:
        from storybinder.report_html import write_report

        write_report(report, "stdin" if from_stdin else path.name, edits, contexts)
    if in_place:
        backup = path.with_name(path.name + ".bak")
        backup.write_bytes(path.read_bytes())
        _write(path, cleaned)
    elif output is not None:
        _write(output, cleaned)

    if as_json:
        sys.stdout.write(edits_to_json(edits, contexts) + "\n")
    elif diff:
        sys.stdout.write(unified_diff(text, cleaned, "-" if from_stdin else str(path)))
    elif not in_place and output is None:
        sys.stdout.write(cleaned)
    sys.stdout.flush()
    if not quiet:
        for line in summary_lines(edits):
            typer.echo(line, err=True)


def _write(path: Path, text: str) -> None:
    # Written beside the target and renamed, so an interrupted run never leaves half a file.
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8", newline="")
        tmp.replace(path)
    except OSError as exc:
        raise StorybinderError(f"cannot write the file: {exc.strerror or exc}", path=path) from None
