"""Readers: one module per input format, each turning a file into a Story.

Every reader module has `SUFFIXES` (the file endings it claims), `detect(path)`
(does this file look like mine?) and `read(path) -> Story`; a reader with
`READS_FOLDERS = True` (folder.py) claims directories instead. Modules import
their parsing libraries (lxml, nh3, markdown-it, python-docx...) only inside
read(), so choosing a reader and `storybinder --help` stay fast.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from types import ModuleType

from ..errors import StorybinderError
from ..model import Metadata, Story

# Most specific first: the first reader whose detect() accepts a file reads it.
READER_MODULES: tuple[str, ...] = ("gutenberg", "txt", "markdown", "html", "docx", "epub", "bbcode", "folder")

# Every suffix some reader claims; used to pick story files out of a folder.
STORY_SUFFIXES: frozenset[str] = frozenset(
    {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".docx", ".epub", ".bbcode", ".bbc"}
)


def _reader(name: str) -> ModuleType:
    return import_module(f"{__name__}.{name}")


def reader_for(path: Path) -> ModuleType:
    """The reader module for `path`, or a StorybinderError naming what is supported."""
    for name in READER_MODULES:
        module = _reader(name)
        # A folder of chapter files has no suffix; a reader with READS_FOLDERS claims it by detect().
        claims = path.is_dir() if getattr(module, "READS_FOLDERS", False) else path.suffix.lower() in module.SUFFIXES
        if claims and module.detect(path):
            return module
    supported = ", ".join(sorted(STORY_SUFFIXES))
    raise StorybinderError(f"not a story file storybinder can read (supported: {supported})", path=path)


# The EPUB reader's suffixes (readers/epub.py's SUFFIXES), here so that telling an EPUB from a
# TXT needs no import of that reader.
EPUB_SUFFIXES: frozenset[str] = frozenset({".epub"})

# Files of ours that share a story suffix: the project word list (cleanup/words.py).
NOT_STORIES: frozenset[str] = frozenset({"words.txt"})


def is_story_file(path: Path) -> bool:
    """True for a file a reader may claim (by suffix), ignoring sidecars, word lists and hidden files."""
    return (
        path.is_file()
        and path.suffix.lower() in STORY_SUFFIXES
        and not path.name.startswith(".")
        and path.name.lower() not in NOT_STORIES
    )


def read_stories(path: Path) -> tuple[Metadata | None, list[Story]]:
    """The stories in one file: several for an anthology EPUB (with the book's own
    metadata), else the one story read_story gives (and None)."""
    if path.suffix.lower() in EPUB_SUFFIXES and path.is_file():
        book = _reader("epub").read_book(path)
        if book.anthology and len(book.stories) > 1:
            return book.metadata, book.stories
        story = book.as_story(path)
        if not any(ch.blocks for ch in story.chapters):
            raise StorybinderError("the story has no text", path=path)
        return None, [story]
    return None, [read_story(path)]


def read_story(path: Path) -> Story:
    """Read one story file with the reader that claims it."""
    if not path.exists():
        raise StorybinderError("no such file", path=path)
    story = reader_for(path).read(path)
    if not any(ch.blocks for ch in story.chapters):
        raise StorybinderError("the story has no text", path=path)
    return story
