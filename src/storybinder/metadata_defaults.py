"""Fill what metadata layers left empty, one small named step each.

Order matters only where a step reads another's result (the identifier hashes
the final title and authors), so `complete_metadata` applies them in sequence.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Callable

from .model import Chapter, Heading, Metadata, Paragraph, Person, Story, Verse

Warn = Callable[[str], None]

PLACEHOLDER_AUTHOR = "Unknown Author"
DEFAULT_LANGUAGE = "en"
# Our own namespace, so a storybinder id never collides with another tool's uuid5.
_NAMESPACE = uuid.UUID("3f1c1c8e-6c53-5d7e-9a51-7b3c2a7e0b11")


def fallback_title(meta: Metadata, source: Path | None, warn: Warn) -> Metadata:
    """A missing title becomes the file name, with a warning."""
    if meta.title:
        return meta
    name = source.stem if source else "Untitled"
    title = re.sub(r"[_\s]+", " ", name).strip() or "Untitled"
    warn(f"{source or 'story'}: no title found; using '{title}' (set 'title' in a sidecar {name}.toml or --title)")
    return replace(meta, title=title)


def fallback_author(meta: Metadata, source: Path | None, warn: Warn) -> Metadata:
    """A missing author becomes a clear placeholder, with a warning."""
    if meta.authors:
        return meta
    warn(f"{source or 'story'}: no author found; using '{PLACEHOLDER_AUTHOR}' (set 'author' in a sidecar or --author)")
    return replace(meta, authors=(Person(PLACEHOLDER_AUTHOR, PLACEHOLDER_AUTHOR),))


def default_language(meta: Metadata) -> Metadata:
    """EPUB needs an explicit language; stories without one are English."""
    return meta if meta.language else replace(meta, language=DEFAULT_LANGUAGE)


def sort_names(meta: Metadata) -> Metadata:
    """Give every person a sort name: "Jane Q. Doe" files as "Doe, Jane Q."."""
    return replace(
        meta,
        authors=tuple(_with_sort_name(p) for p in meta.authors),
        contributors=tuple(_with_sort_name(p) for p in meta.contributors),
    )


_PARTICLES = {"van", "von", "de", "der", "da", "di", "le", "la", "du", "del"}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def _with_sort_name(person: Person) -> Person:
    if person.sort_name:
        return person
    words = person.name.split()
    if len(words) < 2 or not all(w[:1].isalpha() for w in words):
        return replace(person, sort_name=person.name)  # a handle like "TwilightSparkle3562"
    suffix = []
    if words[-1].lower() in _SUFFIXES:
        suffix = [words.pop()]
    last = [words.pop()]
    while len(words) > 1 and words[-1].lower() in _PARTICLES:
        last.insert(0, words.pop())
    sort = " ".join(last) + ", " + " ".join(words + suffix)
    return replace(person, sort_name=sort)


def stable_identifier(meta: Metadata, stories: list[Story]) -> Metadata:
    """A UUID derived from title, authors and text, so a rebuild keeps the same id."""
    if meta.identifier or meta.isbn:
        return meta
    digest = hashlib.sha256()
    digest.update((meta.title or "").encode())
    for person in meta.authors:
        digest.update(b"\0" + person.name.encode())
    for story in stories:
        for chapter in story.chapters:
            _hash_chapter(digest, chapter)
    return replace(meta, identifier=f"urn:uuid:{uuid.uuid5(_NAMESPACE, digest.hexdigest())}")


def _hash_chapter(digest: "hashlib._Hash", chapter: Chapter) -> None:
    digest.update(b"\1" + (chapter.title or "").encode())
    for block in chapter.blocks:
        if isinstance(block, (Paragraph, Heading, Verse)):
            digest.update(b"\2" + block.text.encode())
        else:
            digest.update(b"\3")


def complete_story_metadata(story: Story, warn: Warn) -> Story:
    """Apply every per-story default step."""
    meta = fallback_title(story.metadata, story.source, warn)
    meta = fallback_author(meta, story.source, warn)
    meta = sort_names(default_language(meta))
    return replace(story, metadata=stable_identifier(meta, [story]))


def slugify(text: str, default: str = "book") -> str:
    """A file-name-safe slug: "My Greatest Failure!" -> "my-greatest-failure"."""
    # Apostrophes join words ("Keeper's" -> "keepers"), they do not split them.
    text = re.sub(r"(?<=\w)['’‘`](?=\w)", "", text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80].rstrip("-") or default
