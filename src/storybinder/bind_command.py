"""`storybinder bind A.epub B.txt ... -o anthology.epub`: many stories bound into one book, no book.toml needed.

Each source is read and cleaned as `build` would read it (an anthology EPUB
gives all its stories), keeps its own metadata on its own title page and in
the package document, and appears in the contents with its chapters under it.
Binding again over an earlier copy keeps its identifier, and every story that
did not change keeps its pages byte for byte.
"""

# No `from __future__ import annotations`: typer reads this signature at start (see cli.py).

from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import StorybinderError


def bind(
    sources: Annotated[
        list[Path], typer.Argument(help="Story files (any format build reads, EPUBs too) in reading order.", metavar="STORY...")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The anthology to write (BOOK.epub), or a folder for SLUG.epub.")
    ],
    title: Annotated[Optional[str], typer.Option(help="The anthology's title. Default: the output file's name.")] = None,
    editor: Annotated[Optional[list[str]], typer.Option("--editor", help="Who edited it; repeat for several.")] = None,
    author: Annotated[
        Optional[list[str]], typer.Option("--author", "-a", help="Credit the book to these authors instead of every story's.")
    ] = None,
    description: Annotated[Optional[str], typer.Option(help="The anthology's description.")] = None,
    language: Annotated[Optional[str], typer.Option(help="The anthology's language (BCP 47). Default: en.")] = None,
    cover: Annotated[Optional[Path], typer.Option(help="Cover image (JPEG, PNG, WebP). Default: drawn.", dir_okay=False)] = None,
    clean: Annotated[bool, typer.Option("--clean/--no-clean", help="Clean each story's text before binding.")] = True,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print every warning and the cause of an error.")] = False,
) -> None:
    """Bind stories into one anthology EPUB: a title page per story, contents nested story -> chapters."""
    from .cli import user_errors

    with user_errors(verbose):
        run_bind(sources, output, title=title, editors=editor or [], authors=author or [], description=description,
                 language=language, cover=cover, clean=clean)


def run_bind(
    sources: list[Path],
    output: Path,
    *,
    title: str | None = None,
    editors: list[str] = (),
    authors: list[str] = (),
    description: str | None = None,
    language: str | None = None,
    cover: Path | None = None,
    clean: bool = True,
) -> Path:
    """Bind `sources` into one anthology at `output`; return the EPUB's path."""
    from .epub import write_epub
    from .model import Metadata, Person
    from .pipeline import BuildOptions, bind_stories, ensure_output_folder
    from .updates import chapter_changes, keep_identifier, read_parts

    if not sources:
        raise StorybinderError("name the stories to bind", hint="storybinder bind A.epub B.epub -o anthology.epub")
    for source in sources:
        if not source.exists():
            raise StorybinderError("no such file or folder", path=source)
    if cover is not None and not cover.is_file():
        raise StorybinderError("the cover file does not exist", path=cover)
    to_file = output.suffix.lower() == ".epub"
    folder = output.parent if to_file else output
    ensure_output_folder(folder)
    book_title = title or (output.stem.replace("-", " ").replace("_", " ").strip() if to_file else None)
    overrides = Metadata(
        title=book_title,
        authors=tuple(Person(a) for a in authors),
        description=description,
        language=language,
        cover=cover.resolve() if cover else None,
        contributors=tuple(Person(e, role="edt") for e in editors),
    )
    warnings: list[str] = []
    prepared = bind_stories(
        [(source, Metadata()) for source in sources], Metadata(), sources[0], BuildOptions(outdir=folder, overrides=overrides, clean=clean), warnings.append
    )
    target = output if to_file else folder / f"{prepared.book.slug}.epub"
    before = read_parts(target if target.is_file() else None)
    book = keep_identifier(prepared.book, before)
    write_epub(book, target)
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)
    stories = len(book.stories)
    typer.echo(f"bound {stories} stor{'ies' if stories != 1 else 'y'} into {target}  ({book.metadata.title})")
    changes = chapter_changes(before, read_parts(target)) if before is not None else None
    if changes is not None and (changes.new or changes.changed):
        typer.echo(f"    new chapters: {', '.join(changes.new) or 'none'}; changed: {', '.join(changes.changed) or 'none'}")
    return target
