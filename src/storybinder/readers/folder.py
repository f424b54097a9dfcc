"""A folder of chapter files (`01.txt`, `02.md`, `10 - The End.html`...) -> one Story.

Files are read by their own readers and joined in natural order (2 before 10).
A file's own heading titles its chapter (`# The First Night`, a lone `<h1>`,
a short first line on its own); only a file without one is titled from its
name, as words ("03-the-storm.md" -> "The Storm"). Files that are not chapters
(a README, notes, an outline, pictures) are left out, and the story's notes
say which files were taken and which were not. Metadata comes from
`NAME.toml` beside the folder or `story.toml` inside it, which the build
pipeline layers on (manifest.load_sidecar), as for any other story.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import StorybinderError
from ..model import Chapter, Metadata, Paragraph, Story, Style

SUFFIXES: frozenset[str] = frozenset()
READS_FOLDERS = True

_DIGITS = re.compile(r"(\d+)")
_LEADING_NUMBER = re.compile(r"^\s*(?:chapter|ch|part)?[\s._-]*\d+[\s._-]*", re.IGNORECASE)
# What writers keep beside their chapters: never a chapter, whatever its suffix.
_NOT_CHAPTERS = frozenset(
    {"readme", "notes", "note", "todo", "licence", "license", "changelog", "changes", "outline", "synopsis", "ideas", "credits"}
)
# The folder's own files, used and not worth a mention: its sidecar and word list.
_OWN_FILES = frozenset({"story.toml", "words.txt"})
# Words a title keeps in lower case unless they open or close it ("The End of the Road").
_SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "but", "by", "for", "in", "nor", "of", "on", "or", "the", "to", "with"})
_TITLE_LINE_MAX = 80


def detect(path: Path) -> bool:
    """A folder holding at least one chapter file."""
    return path.is_dir() and bool(chapter_files(path))


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError as exc:
        raise StorybinderError(f"cannot list the folder: {exc.strerror or exc}", path=folder) from None


def is_chapter_file(path: Path) -> bool:
    """A story file that is not a README, notes or the like."""
    from . import is_story_file

    return is_story_file(path) and _words(path.stem).casefold() not in _NOT_CHAPTERS


def chapter_files(folder: Path) -> list[Path]:
    """The chapter files directly inside `folder`, in natural order."""
    return sorted((p for p in _entries(folder) if is_chapter_file(p)), key=natural_key)


def left_out(folder: Path) -> list[Path]:
    """The files in `folder` that are not chapters (hidden files and the folder's own sidecar aside)."""
    return sorted(
        (
            p
            for p in _entries(folder)
            if p.is_file() and not p.name.startswith(".") and p.name.lower() not in _OWN_FILES and not is_chapter_file(p)
        ),
        key=natural_key,
    )


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
    warnings: list[str] = []
    for file in files:
        part = reader_for(file).read(file)
        warnings += part.warnings
        body = [c for c in part.chapters if c.kind == "chapter"]
        if len(body) == 1 and body[0].title is None:
            # The file's own heading, which its reader took for a story title; else its first line; else its name.
            body[0].title = part.metadata.title or _take_title_line(body[0]) or title_from_name(file)
        chapters += part.chapters
    notes = [f"{path}: chapters {', '.join(f.name for f in files)}"]
    skipped = left_out(path)
    if skipped:
        notes.append(f"{path}: left out {', '.join(f.name for f in skipped)} (not chapters)")
    return Story(metadata=Metadata(), chapters=chapters, source=path, notes=notes, warnings=warnings)


def _take_title_line(chapter: Chapter) -> str | None:
    """A chapter file's first paragraph when it is a heading set as a line of its own ("The First Night")."""
    if len(chapter.blocks) < 2 or not isinstance(chapter.blocks[0], Paragraph):
        return None
    first = chapter.blocks[0]
    text = first.text
    whole_line = all(s.start == 0 and s.end == len(text) and s.style is not Style.LINK for s in first.spans)
    if (
        first.quoted
        or not whole_line
        or not 0 < len(text) <= _TITLE_LINE_MAX
        or text[0] in "\"'“‘(["
        or text.rstrip().endswith((".", ",", ";", ":", "…", "\"", "”", "'", "’"))
    ):
        return None
    del chapter.blocks[0]
    return text


def title_from_name(file: Path) -> str | None:
    """A chapter title from a file name with words in it ("03 - The Storm.txt" -> "The Storm",
    "the-first-night.md" -> "The First Night")."""
    words = _words(_LEADING_NUMBER.sub("", file.stem, count=1))
    if not any(ch.isalpha() for ch in words):
        return None
    return _title_case(words) if words == words.lower() else words


def _words(name: str) -> str:
    """A file name's words: hyphens, underscores and dots between words become spaces."""
    return " ".join(re.sub(r"(?<=\w)[-_.]+(?=\w)|_+", " ", name).split())


def _title_case(words: str) -> str:
    parts = words.split()
    return " ".join(
        word if 0 < i < len(parts) - 1 and word in _SMALL_WORDS else word[:1].upper() + word[1:]
        for i, word in enumerate(parts)
    )

