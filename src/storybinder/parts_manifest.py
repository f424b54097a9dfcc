"""META-INF/storybinder.json: what a book storybinder made is made of.

Every book we write carries it: the book's metadata, and per story its
metadata, source file name, title page and chapter files, each with a digest
of its bytes. With it `unbind` gives back exactly the stories that were bound,
`build` says which chapters of an updated story are new or changed, and a
rebuild keeps the book's identifier. It is data, never trusted further than
its types: a manifest that does not parse or does not fit its files is ignored.
EPUBCheck allows extra files in META-INF.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, fields
from typing import Any

from .model import Metadata, Person

PATH = "META-INF/storybinder.json"
FORMAT = 1
# Metadata fields that are not plain data (a path on the builder's disk, image bytes).
_SKIPPED = frozenset({"cover", "cover_image"})
_PEOPLE = frozenset({"authors", "contributors"})
_LISTS = frozenset({"tags", "words"})


@dataclass(frozen=True)
class ChapterPart:
    """One chapter of a story: its file (and a long chapter's continuation files), its title,
    kind and level as the story had them, and a digest of its pages."""

    file: str
    title: str | None
    kind: str
    digest: str
    level: int = 1
    more: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoryPart:
    """One story of the book: its metadata, where it came from, and its files."""

    metadata: Metadata
    source: str | None
    title_page: str | None
    chapters: tuple[ChapterPart, ...]
    digest: str


@dataclass(frozen=True)
class PartsManifest:
    metadata: Metadata
    anthology: bool
    stories: tuple[StoryPart, ...]


def digest(data: bytes) -> str:
    """A short content digest (hex): enough to tell two versions of a page apart."""
    return hashlib.sha256(data).hexdigest()[:32]


def encode(manifest: PartsManifest) -> bytes:
    """The manifest as stable JSON bytes (sorted keys: the same book gives the same bytes)."""
    data = {
        "format": FORMAT,
        "anthology": manifest.anthology,
        "metadata": metadata_to_json(manifest.metadata),
        "stories": [
            {
                "metadata": metadata_to_json(story.metadata),
                "source": story.source,
                "title_page": story.title_page,
                "chapters": [_chapter_json(c) for c in story.chapters],
                "digest": story.digest,
            }
            for story in manifest.stories
        ],
    }
    # A lone surrogate (which no XML file of the book can hold either) becomes "?".
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8", "replace") + b"\n"


def _chapter_json(chapter: ChapterPart) -> dict[str, Any]:
    out: dict[str, Any] = {"file": chapter.file, "title": chapter.title, "kind": chapter.kind, "digest": chapter.digest}
    if chapter.level != 1:
        out["level"] = chapter.level
    if chapter.more:
        out["more"] = list(chapter.more)
    return out


def decode(data: bytes) -> PartsManifest | None:
    """The manifest in `data`, or None when it is not one we wrote (any shape or type out of place)."""
    try:
        raw = json.loads(data.decode("utf-8"))
        if not isinstance(raw, dict) or raw.get("format") != FORMAT or not isinstance(raw.get("stories"), list):
            return None
        stories = tuple(_story(s) for s in raw["stories"])
        return PartsManifest(metadata_from_json(raw.get("metadata")), bool(raw.get("anthology")), stories)
    except (ValueError, TypeError, KeyError, AttributeError, UnicodeDecodeError):
        return None


def _story(raw: Any) -> StoryPart:
    chapters = tuple(
        ChapterPart(
            _str(c["file"]), _opt_str(c.get("title")), _kind(c.get("kind")), _str(c["digest"]),
            _level(c.get("level", 1)), tuple(_str(f) for f in c.get("more", ())),
        )
        for c in raw["chapters"]
    )
    return StoryPart(
        metadata_from_json(raw["metadata"]),
        _opt_str(raw.get("source")),
        _opt_str(raw.get("title_page")),
        chapters,
        _str(raw["digest"]),
    )


def metadata_to_json(meta: Metadata) -> dict[str, Any]:
    """The plain-data fields of `meta` that are set, as JSON values."""
    out: dict[str, Any] = {}
    for f in fields(Metadata):
        value = getattr(meta, f.name)
        if f.name in _SKIPPED or value is None or value == ():
            continue
        if f.name in _PEOPLE:
            out[f.name] = [{"name": p.name, "sort": p.sort_name, "role": p.role} for p in value]
        elif f.name in _LISTS:
            out[f.name] = list(value)
        elif f.name == "series_index":
            if math.isfinite(value):
                out[f.name] = value
        else:
            out[f.name] = value
    return out


def metadata_from_json(raw: Any) -> Metadata:
    """The inverse of metadata_to_json; TypeError when a value has the wrong type."""
    if raw is None:
        return Metadata()
    if not isinstance(raw, dict):
        raise TypeError("metadata is not an object")
    values: dict[str, Any] = {}
    for f in fields(Metadata):
        if f.name in _SKIPPED or f.name not in raw:
            continue
        value = raw[f.name]
        if f.name in _PEOPLE:
            values[f.name] = tuple(
                Person(_str(p["name"]), _opt_str(p.get("sort")), _str(p.get("role") or "aut")) for p in value
            )
        elif f.name in _LISTS:
            values[f.name] = tuple(_str(v) for v in value)
        elif f.name == "series_index":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise TypeError("series_index is not a number")
            values[f.name] = float(value)
        else:
            values[f.name] = _str(value)
    return Metadata(**values)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not a string")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _kind(value: Any) -> str:
    if value not in ("chapter", "notes", "front"):
        raise TypeError(f"{value!r} is not a chapter kind")
    return value


def _level(value: Any) -> int:
    if isinstance(value, bool) or value not in (1, 2):
        raise TypeError(f"{value!r} is not a chapter level")
    return value
