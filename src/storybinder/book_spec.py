"""An anthology's `book.toml`: a [book] table and [[story]] entries in reading order.

Apart from manifest.py (the sidecar, and the keys and TOML both share) so that
a build of stories without one never creates these dataclasses (~1.3 ms of a start).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import StorybinderError
from .manifest import Warn, load_toml, metadata_from_mapping, named_path
from .model import Metadata


@dataclass(frozen=True)
class StoryEntry:
    """One `[[story]]` of a book.toml: its source file and its overrides."""

    source: Path
    overrides: Metadata


@dataclass(frozen=True)
class BookSpec:
    """An anthology as book.toml describes it."""

    path: Path
    metadata: Metadata
    entries: tuple[StoryEntry, ...]


def load_book_spec(path: Path, warn: Warn | None = None) -> BookSpec:
    """Read a book.toml: a [book] table and [[story]] entries in reading order."""
    data = load_toml(path)
    base = path.parent
    book = data.get("book", {})
    if not isinstance(book, dict):
        raise StorybinderError("[book] must be a table", path=path)
    stories = data.get("story", [])
    if not isinstance(stories, list) or not stories:
        raise StorybinderError("a book.toml needs at least one [[story]] entry with a 'source'", path=path)
    unknown = sorted(set(data) - {"book", "story"})
    if unknown and warn:
        warn(f"{path}: unknown table(s) ignored: {', '.join(unknown)}")
    entries = []
    for n, entry in enumerate(stories, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("source"), str):
            raise StorybinderError(f"[[story]] number {n} needs a 'source' path", path=path)
        source = named_path(base, entry["source"], f"[[story]] number {n}: source", path)
        if not source.exists():
            raise StorybinderError(f"[[story]] number {n}: source '{entry['source']}' does not exist", path=path)
        fields = {k: v for k, v in entry.items() if k != "source"}
        entries.append(StoryEntry(source, metadata_from_mapping(fields, base, path, warn)))
    return BookSpec(path, metadata_from_mapping(book, base, path, warn), tuple(entries))
