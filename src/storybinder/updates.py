"""A book built again over its earlier copy: the same identifier, and which chapters are new or changed.

When a story still being written gains chapters, the reader's library (calibre,
an e-reader) must see the new file as the same book: the earlier copy's
identifier is kept whenever the new book is the same story (same source URL, or
same title and first author), even when the new download brought a new one (AO3
makes a fresh identifier for every download). Chapters are compared by the
page digests in both books' META-INF/storybinder.json.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import parts_manifest
from .model import Book, Metadata
from .parts_manifest import PartsManifest

# Far more than any manifest of ours; a larger entry is no manifest of ours.
_MAX_MANIFEST = 4 * 2**20


@dataclass
class ChapterChanges:
    """Labels of the chapters a rebuilt book has that its earlier copy did not, or had otherwise."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


def read_parts(path: Path | None) -> PartsManifest | None:
    """The storybinder.json of an EPUB we wrote, or None (missing, not ours, unreadable)."""
    if path is None:
        return None
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(parts_manifest.PATH)
            if info.file_size > _MAX_MANIFEST:
                return None
            return parts_manifest.decode(zf.read(info))
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, EOFError, RuntimeError, NotImplementedError):
        return None


def same_story(old: Metadata, new: Metadata) -> bool:
    """Whether two books' metadata name the same story (or anthology)."""
    if old.source_url and new.source_url:
        return old.source_url.rstrip("/") == new.source_url.rstrip("/")
    first = lambda m: m.authors[0].name.casefold() if m.authors else ""  # noqa: E731
    return bool(old.title) and (old.title or "").casefold() == (new.title or "").casefold() and first(old) == first(new)


def keep_identifier(book: Book, previous: PartsManifest | None) -> Book:
    """`book` with the identifier of its earlier copy when it is the same story (an ISBN always wins)."""
    if previous is None or book.metadata.isbn or not previous.metadata.identifier:
        return book
    if previous.metadata.isbn or not same_story(previous.metadata, book.metadata):
        return book
    if book.metadata.identifier == previous.metadata.identifier:
        return book
    return replace(book, metadata=replace(book.metadata, identifier=previous.metadata.identifier))


def chapter_changes(previous: PartsManifest | None, current: PartsManifest | None) -> ChapterChanges:
    """What changed between two versions of a book, chapter by chapter (matched by file name)."""
    changes = ChapterChanges()
    if previous is None or current is None or not same_story(previous.metadata, current.metadata):
        return changes
    old = {c.file: c.digest for s in previous.stories for c in s.chapters}
    for story in current.stories:
        number = 0
        for chapter in story.chapters:
            number += chapter.kind == "chapter"
            label = chapter.title or (f"Chapter {number}" if chapter.kind == "chapter" else "Author's Notes")
            if len(current.stories) > 1 and story.metadata.title:
                label = f"{story.metadata.title}: {label}"
            if chapter.file not in old:
                changes.new.append(label)
            elif old[chapter.file] != chapter.digest:
                changes.changed.append(label)
    return changes
