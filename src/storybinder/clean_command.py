"""`storybinder clean FILE|-`: clean one story file, keeping its layout exactly.

The cleaned text goes to stdout (or `-o FILE`, or back into FILE with
`--in-place`, keeping FILE.bak); a summary of the edits goes to stderr. `--diff`,
`--json` and `--report` describe the edits instead of (or besides) the text.
HTML, Markdown, BBCode and .docx files have only their prose cleaned; their
markup comes back byte for byte (clean_formats/).
"""

# No `from __future__ import annotations`: typer reads this signature at start (see cli.py).

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, Optional

import typer

from storybinder.errors import StorybinderError

if TYPE_CHECKING:
    from storybinder.clean_formats import CleanedFile
    from storybinder.cleanup import CleanOptions


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
    fmt: Annotated[
        Literal["auto", "text", "html", "markdown", "bbcode", "docx"],
        typer.Option("--format", help="The file's format; by default told from its name (or, for stdin, its first bytes)."),
    ] = "auto",
) -> None:
    """Fix quotes, dashes, spacing and typos in FILE; print the cleaned text.

    The layout is kept exactly: same paragraphs, same line breaks. Changes the
    cleaner is unsure of are reported (summary, --json, --report), not made.
    The decisions made with `storybinder review` (FILE's NAME.review.toml) are
    applied whenever that file exists; those that no longer match are warned about.

    Rules (default mode): unicode, unicode.lookalikes, whitespace, dashes,
    ellipsis, quotes.curl, quotes.unbalanced, dialogue.tags,
    punctuation.dash_stop, punctuation.comma_capital, spelling.doubled,
    spelling.apostrophe, spelling.common, spelling.realword, spelling.participle
    (fix);
    names.consistency (suggest); spelling.unknown (off).

    In HTML only text is cleaned (tags, attributes, scripts and styles are kept
    as typed); in Markdown front matter, code, link targets and HTML blocks are
    kept; in BBCode the tags; in a .docx the text of each run, formatting kept.
    """
    try:
        _run(source, output, in_place, diff, report, as_json, rules, skip, apply_suggestions, words, quiet, fmt)
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
    fmt: str = "auto",
) -> None:
    from storybinder.clean_formats import detect_format
    from storybinder.cleanup import CleanOptions
    from storybinder.cleanup.report import edits_to_json, summary_lines, unified_diff
    from storybinder.cleanup.words import find_project_words, load_word_list

    from_stdin = source == "-"
    if in_place and from_stdin:
        raise StorybinderError("--in-place needs a file, not stdin", hint="use -o FILE")
    if in_place and output is not None:
        raise StorybinderError("--in-place and -o cannot be used together")
    path = Path(source)
    if from_stdin:
        data = sys.stdin.buffer.read()
    else:
        if not path.is_file():
            raise StorybinderError("no such file", path=path)
        data = _read(path)
    named = Path("<stdin>") if from_stdin else path
    kind = detect_format(None if from_stdin else path, data[:8192]) if fmt == "auto" else fmt
    if kind == "docx" and from_stdin:
        raise StorybinderError("a .docx cannot be cleaned from stdin", hint="give its path: storybinder clean FILE.docx -o NEW.docx")

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
    from storybinder.review.story_decisions import StoryDecisions, story_decisions

    # The author's decisions beside the story (NAME.review.toml), as in `build`.
    review = StoryDecisions() if from_stdin else story_decisions(path)
    options = review.options(options)
    cleaned = _clean(kind, data, named, options)
    stale = review.stale_warnings()
    for line in stale:
        typer.echo(f"warning: {line}", err=True)
    if cleaned.binary and not (in_place or output is not None or as_json or diff) and sys.stdout.isatty():
        raise StorybinderError("a cleaned .docx is no text for a terminal", path=named, hint="use -o NEW.docx or --in-place")
    edits, contexts = cleaned.edits, cleaned.contexts

    if report is not None:
        from storybinder.report_html import write_report

        write_report(report, "stdin" if from_stdin else path.name, edits, contexts)
    if in_place:
        if cleaned.data != data:  # nothing to clean: the file is not touched
            _write(_backup_path(path, data), data)
            _write(path, cleaned.data, mode_of=path)
    elif output is not None:
        _write(output, cleaned.data)

    if as_json:
        extra = None
        if review.path is not None:
            extra = {"review": {"file": str(review.path), "kept_words": list(review.decisions.words), "stale": stale}}
        sys.stdout.write(edits_to_json(edits, contexts, extra) + "\n")
    elif diff:
        sys.stdout.write(unified_diff(cleaned.before, cleaned.after, "-" if from_stdin else str(path)))
    elif not in_place and output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(cleaned.data)
    sys.stdout.flush()
    if not quiet:
        for line in summary_lines(edits):
            typer.echo(line, err=True)


def _clean(kind: str, data: bytes, path: Path, options: "CleanOptions") -> "CleanedFile":
    """The cleaned file: plain text by the layout-keeping cleaner, markup by clean_formats."""
    from storybinder.clean_formats import CleanedFile, clean_markup

    if kind != "text":
        return clean_markup(kind, data, path, options)  # type: ignore[arg-type]
    from storybinder.cleanup import clean_text_in_context
    from storybinder.readers.text_file import decode

    decoded = decode(data, path)
    for warning in decoded.warnings(path):
        typer.echo(f"warning: {warning}", err=True)
    text, edits, contexts = clean_text_in_context(decoded.text, options)
    return CleanedFile(text.encode("utf-8"), edits, contexts, decoded.text, text)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise StorybinderError(f"cannot read the file: {exc.strerror or exc}", path=path) from None


def _backup_path(path: Path, original: bytes) -> Path:
    """FILE.bak, or FILE.2.bak... when FILE.bak holds something else: an earlier original is never overwritten."""
    candidate, n = path.with_name(path.name + ".bak"), 1
    while candidate.exists():
        try:
            if candidate.read_bytes() == original:
                break
        except OSError:
            pass
        n += 1
        candidate = path.with_name(f"{path.name}.{n}.bak")
    return candidate


def _write(path: Path, data: bytes, mode_of: Path | None = None) -> None:
    # Written beside the target and renamed, so an interrupted run never leaves half a file.
    import os
    import secrets

    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode_of is not None:
            os.chmod(tmp, mode_of.stat().st_mode & 0o7777)  # the user's own permissions stay
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StorybinderError(f"cannot write the file: {exc.strerror or exc}", path=path) from None
