"""A folder of chapter files (`01.txt`, `02.md`, `10 - The End.html`...) -> one Story.

Files are read by their own readers and joined in natural order (2 before 10).
A file that yields one untitled chapter takes its title from the file name
when the name holds words ("03 - The Storm" -> "The Storm"). Metadata comes
from `NAME.toml` beside the folder or `story.toml` inside it, which the build
pipeline layers on (manifest.load_sidecar), as for any other story.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import StorybinderError
from ..model import Chapter, Metadata, Story

SUFFIXES: frozenset[str] = frozenset()
READS_FOLDERS = True

_DIGITS = re.compile(r"(\d+)")
_LEADING_NUMBER = re.compile(r"^\s*(?:chapter|ch|part)?[\s._-]*\d+[\s._-]*", re.IGNORECASE)


def detect(path: Path) -> bool:
    """A folder holding at least one story file."""
    return path.is_dir() and bool(chapter_files(path))


def chapter_files(folder: Path) -> list[Path]:
    """The story files directly inside `folder`, in natural order."""
    from . import is_story_file

    try:
        entries = list(folder.iterdir())
    except OSError as exc:
        raise StorybinderError(f"cannot list the folder: {exc.strerror or exc}", path=folder) from None
    return sorted((p for p in entries if is_story_file(p)), key=natural_key)


def natural_key(path: Path) -> list[int | str]:
    """Sort key reading digit runs as numbers: 2.txt before 10.txt."""
    return [int(part) if part.isdigit() else part.casefold() for part in _DIGITS.split(path.name)]


def read(path: Path) -> Story:
    """Read every chapter file in the folder into one Story."""
    from . import reader_for

    files = chapter_files(path)
    if not files:
        raise StorybinderError("the folder holds no chapter files", path=path, hint="name them 01.txt, 02.md, ...")
    chapters: list[Chapter] = []
    for file in files:
        part = reader_for(file).read(file)
        body = [c for c in part.chapters if c.kind == "chapter"]
        if len(body) == 1 and body[0].title is None:
            body[0].title = title_from_name(file)
        chapters += part.chapters
    return Story(metadata=Metadata(), chapters=chapters, source=path)


def title_from_name(file: Path) -> str | None:
    """A chapter title from a file name with words in it ("03 - The Storm.txt" -> "The Storm")."""
    rest = _LEADING_NUMBER.sub("", file.stem, count=1)
    words = " ".join(rest.replace("_", " ").split())
    return words if any(ch.isalpha() for ch in words) else None
