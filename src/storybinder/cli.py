"""The `storybinder` command line: parses options, calls the pipeline, prints.

Heavy modules are imported inside the commands so that `--help` and a one-story
build start fast. User mistakes end as one line on stderr and a non-zero exit.
"""

# No `from __future__ import annotations` here: typer reads the commands' signatures at
# every start, and string annotations it must eval (compiling each one) were ~10 ms of a
# one-story build's start; evaluated once at import they are in the .pyc.

import copy
import importlib
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

from . import __version__
from .errors import StorybinderError

# The app with `build` only; `app` (below) and `app_for` add the other commands.
_app = typer.Typer(
    name="storybinder",
    help="Bind stories (TXT and fimfiction exports, Markdown, HTML, Word, BBCode, EPUB) into clean, valid EPUBs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_FAILED = 1


def _version(value: bool) -> None:
    if value:
        typer.echo(f"storybinder {__version__}")
        raise typer.Exit()


@_app.callback()
def _root(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = None,
) -> None:
    """Bind stories into clean, valid EPUBs that read well on every e-reader.

    Run `storybinder build` to turn the stories in ./stories into EPUBs in ./books.
    """


@contextmanager
def user_errors(verbose: bool = False) -> Iterator[None]:
    """Turn a StorybinderError into one line on stderr and exit code 1."""
    try:
        yield
    except StorybinderError as exc:
        typer.echo(f"error: {exc}", err=True)
        if verbose and exc.detail():
            typer.echo(f"  detail: {exc.detail()}", err=True)
        raise typer.Exit(EXIT_FAILED) from None


@_app.command()
def build(
    sources: Annotated[
        Optional[list[Path]],
        typer.Argument(
            help="Story files, folders of stories, or book.toml anthologies. Default: ./stories",
            metavar="SOURCE...",
            show_default=False,
        ),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder the EPUBs are written to.")] = Path("books"),
    title: Annotated[Optional[str], typer.Option(help="Set the title (overrides the text and sidecars).")] = None,
    author: Annotated[
        Optional[list[str]], typer.Option("--author", "-a", help="Set the author; repeat for several.")
    ] = None,
    description: Annotated[Optional[str], typer.Option(help="Set the description (blurb).")] = None,
    language: Annotated[Optional[str], typer.Option(help="Set the language, as a BCP 47 tag (en, fr, pt-BR).")] = None,
    cover: Annotated[
        Optional[Path], typer.Option(help="Use this image as the cover (JPEG, PNG or WebP).", dir_okay=False)
    ] = None,
    series: Annotated[Optional[str], typer.Option(help="Set the series name.")] = None,
    series_index: Annotated[Optional[float], typer.Option(help="Set the position in the series.")] = None,
    clean: Annotated[
        bool, typer.Option("--clean/--no-clean", help="Clean the text (quotes, dashes, typos) before binding.")
    ] = True,
    report: Annotated[
        Optional[Path],
        typer.Option(
            "--report",
            metavar="DIR",
            help="Write an HTML report of every cleanup change, highlighted in context, one per book, named like its EPUB (DIR/<slug>.html).",
            file_okay=False,
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print every warning in full.")] = False,
    jobs: Annotated[
        Optional[int], typer.Option("--jobs", "-j", min=1, help="Build this many books at once. Default: all cores.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild every book, even those that are up to date.")] = False,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print a machine-readable summary (JSON) on stdout instead of lines.")
    ] = False,
    target: Annotated[
        Literal["epub", "kobo", "kindle", "azw3"],
        typer.Option(
            "--target",
            help="Also write a device copy of each book: kobo (NAME.kepub.epub), kindle (NAME.kindle.epub, "
            "images scaled for Send-to-Kindle) or azw3 (NAME.azw3, needs calibre's ebook-convert).",
        ),
    ] = "epub",
    dask: Annotated[
        Optional[str],
        typer.Option(
            "--dask",
            metavar="SCHEDULER",
            help="Build on a Dask cluster: a scheduler address (tcp://host:8786) or 'local'. Needs storybinder[dask].",
        ),
    ] = None,
) -> None:
    """Build one EPUB per story (and one per book.toml anthology) into OUTPUT.

    Books whose inputs have not changed since the last build are skipped.
    A story's review decisions (NAME.review.toml, made with `storybinder review`)
    are applied whenever that file exists.
    """
    from .build_command import run_build
    from .model import Metadata, Person

    with user_errors(verbose):
        if cover is not None and not cover.is_file():
            raise StorybinderError("the cover file does not exist", path=cover)
        overrides = Metadata(
            title=title,
            authors=tuple(Person(a) for a in author or ()),
            description=description,
            language=language,
            cover=cover.resolve() if cover else None,
            series=series,
            series_index=series_index,
        )
        failed = run_build(
            sources or [Path("stories")], output, overrides, clean=clean, verbose=verbose,
            jobs=jobs, force=force, json_output=json_output, dask=dask, report_dir=report,
        )
        if target != "epub":
            from .targets.build import apply_target

            failed += apply_target(target, sources or [Path("stories")], output,
                                   echo=lambda line: typer.echo(line, err=json_output))
    if failed:
        raise typer.Exit(EXIT_FAILED)


# Commands whose options live beside their implementation, in the module named here (which
# imports its heavy dependencies inside the command). A run imports only the module of the
# command it runs: the seven of them were 3 ms of a one-story build's start.
_COMMANDS = {
    "clean": "clean_command",
    "check": "check_command",
    "serve": "serve_command",
    "review": "review_command",
    "send": "send_command",
    "bind": "bind_command",
    "unbind": "unbind_command",
}


def _with_commands(names: Sequence[str]) -> typer.Typer:
    """A copy of the app with these commands of _COMMANDS added, in _COMMANDS' order."""
    chosen = copy.copy(_app)
    chosen.registered_commands = list(_app.registered_commands)
    for name, module in _COMMANDS.items():
        if name in names:
            chosen.command(name)(getattr(importlib.import_module(f"{__package__}.{module}"), name))
    return chosen


@cache
def full_app() -> typer.Typer:
    """The app with every command (for --help, no command or a typo)."""
    return _with_commands(list(_COMMANDS))


def __getattr__(name: str) -> typer.Typer:
    # `from storybinder.cli import app`: the whole app, its command modules imported on demand.
    if name == "app":
        return full_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def app_for(args: Sequence[str]) -> typer.Typer:
    """The app with only the command `args` name, or the whole app (--help, no command, a typo).

    typer turns every command's signature into click options at each start:
    for the six commands a run does not use, that was 5 of a one-story
    build's 270 ms.
    """
    name = next((a for a in args if not a.startswith("-")), None)
    if name == "build":
        subset = copy.copy(_app)
        subset.registered_commands = [c for c in _app.registered_commands if c.callback is build]
        return subset
    if name in _COMMANDS:
        subset = _with_commands([name])
        subset.registered_commands = subset.registered_commands[-1:]
        return subset
    return full_app()


def run() -> None:
    """Run the command the command line names."""
    app_for(sys.argv[1:])()


def main() -> None:
    """Run the app with Ctrl-C and SIGTERM handled (see storybinder/__main__.py, the console script)."""
    import gc

    from .__main__ import GC_THRESHOLDS
    from .interrupts import run_interruptible

    gc.set_threshold(*GC_THRESHOLDS)

    run_interruptible(run)


if __name__ == "__main__":
    main()
