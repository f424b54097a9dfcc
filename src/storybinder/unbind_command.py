"""`storybinder unbind anthology.epub -o DIR`: one EPUB per story of an anthology.

An anthology storybinder made lists its stories in META-INF/storybinder.json
(parts_manifest): each comes back with the metadata, chapters and identifier
it had when it was bound, so it is the book `build` makes of it alone (the
cover is drawn again unless covers/<slug>.* has one). Another tool's anthology
is split where its contents nest chapters under stories. The text is not
cleaned again: it was cleaned when it was bound.
"""

# No `from __future__ import annotations`: typer reads this signature at start (see cli.py).

from pathlib import Path
from typing import Annotated

import typer

from .errors import StorybinderError


def unbind(
    book: Annotated[Path, typer.Argument(help="The anthology EPUB to take apart.", metavar="ANTHOLOGY.epub", dir_okay=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder the stories' EPUBs are written to.")] = Path("books"),
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print the cause of an error.")] = False,
) -> None:
    """Write each story of ANTHOLOGY.epub as its own EPUB in OUTPUT (named by its title)."""
    from .cli import user_errors

    with user_errors(verbose):
        for line in run_unbind(book, output):
            typer.echo(line)


def run_unbind(book: Path, outdir: Path) -> list[str]:
    """Unbind `book` into `outdir`; return what to tell the user, a line each."""
    from dataclasses import replace

    from .epub import write_epub
    from .metadata_defaults import complete_story_metadata, slugify
    from .model import Book
    from .pipeline import BuildOptions, choose_cover, cover_search_dirs, ensure_output_folder
    from .readers.epub import read_book

    if not book.is_file():
        raise StorybinderError("no such file", path=book)
    if book.suffix.lower() != ".epub":
        raise StorybinderError("not an EPUB: unbind takes apart an anthology EPUB", path=book)
    read = read_book(book)
    if len(read.stories) < 2:
        raise StorybinderError(
            "not an anthology: it holds one story", path=book, hint="its contents nest no chapters under stories"
        )
    ensure_output_folder(outdir)
    lines: list[str] = []
    warn = lambda message: lines.append(f"warning: {message}")  # noqa: E731
    if read.parts is not None and not _pages_match(book, read.parts):
        warn(f"{book}: its pages changed after storybinder bound it; each story is read from the pages as they are")
    used: set[str] = set()
    written = []
    for story in read.stories:
        story = complete_story_metadata(replace(story, source=book, warnings=[]), warn)
        slug = slugify(story.metadata.title or book.stem)
        name, n = f"{slug}.epub", 2
        while name in used:
            name, n = f"{slug}-{n}.epub", n + 1
        used.add(name)
        cover, _, _ = choose_cover(story.metadata, slug, cover_search_dirs(book, BuildOptions(outdir=outdir)), warn)
        path = write_epub(Book(story.metadata, [story], cover, slug=slug), outdir / name)
        written.append(path)
        lines.append(f"wrote {path}  ({story.metadata.title})")
    lines.append(f"{len(written)} stories from {book} written to {outdir}")
    return lines


def _pages_match(book: Path, parts) -> bool:
    """Whether every page the manifest lists still has the bytes it had when it was bound."""
    import posixpath
    import zipfile

    from .parts_manifest import digest

    try:
        with zipfile.ZipFile(book) as zf:
            base = next((n.rsplit("/", 1)[0] for n in zf.namelist() if n.endswith(".opf")), "")
            for story in parts.stories:
                for chapter in story.chapters:
                    if digest(zf.read(posixpath.join(base, chapter.file) if base else chapter.file)) != chapter.digest:
                        return False
    except (KeyError, OSError, zipfile.BadZipFile):
        return False
    return True
