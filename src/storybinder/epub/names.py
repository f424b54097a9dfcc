"""File names for a book's chapter pages, derived from each chapter's title or text, never its position.

A reader's saved place, highlights and calibre's annotations point into a
file by its name (and its spine item id, the same stem), so a story that gains
chapters, or an anthology that gains a story, must give every unchanged
chapter the name it had. Titled chapters are named by their title, untitled
ones by a digest of their first paragraph; author's notes by the chapter they
follow. Only a repeat (two chapters called "Interlude") takes a digest of its
text, and only a second identical one a number.
"""

from __future__ import annotations

import hashlib

from ..metadata_defaults import slugify
from ..model import Chapter, Heading, Paragraph, Story

# Slugs are [a-z0-9-]; "_" joins a story's stem to its chapters' and can never
# come from a title, so no two pages can be given one name.
SEPARATOR = "_"
_CHAPTER_STEM = 40
_STORY_STEM = 32


def _digest(text: str) -> str:
    return hashlib.sha256(" ".join(text.casefold().split()).encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _first_text(chapter: Chapter) -> str:
    return next((b.text for b in chapter.blocks if isinstance(b, (Paragraph, Heading)) and b.text.strip()), "")


def _title_stem(title: str | None, limit: int) -> str | None:
    if not title or not title.strip():
        return None
    slug = slugify(title, default="")[:limit].strip("-")
    return slug or f"t{_digest(title)}"  # a title in a script slugify cannot spell


def chapter_stems(story: Story) -> list[str]:
    """One stem per chapter of `story`, unique within it and stable as chapters come and go."""
    stems: list[str] = []
    for index, chapter in enumerate(story.chapters):
        if chapter.kind == "notes":
            stems.append("")  # named below, after the chapters around it
            continue
        stems.append(_title_stem(chapter.title, _CHAPTER_STEM) or f"p{_digest(_first_text(chapter))}")
    for index, chapter in enumerate(story.chapters):
        if chapter.kind != "notes":
            continue
        before = next((stems[i] for i in range(index - 1, -1, -1) if story.chapters[i].kind != "notes"), None)
        after = next((stems[i] for i in range(index + 1, len(stems)) if story.chapters[i].kind != "notes"), None)
        stems[index] = f"{before}-notes" if before else (f"{after}-notes-before" if after else "notes")
    return _unique(stems, [_first_text(c) for c in story.chapters])


def story_stems(stories: list[Story]) -> list[str]:
    """One stem per story of an anthology: by title (a later namesake by its first words too)."""
    stems = [_title_stem(s.metadata.title, _STORY_STEM) or "story" for s in stories]
    firsts = [" ".join(_first_text(c) for c in s.chapters[:1]) + " ".join(p.name for p in s.metadata.authors) for s in stories]
    return _unique(stems, firsts)


def _unique(stems: list[str], texts: list[str]) -> list[str]:
    """Keep the first of each stem; later repeats take a digest of their text, then a number."""
    seen: set[str] = set()
    out = []
    for stem, text in zip(stems, texts):
        name = stem
        if name in seen:
            name = f"{stem}-{_digest(text)}"
        n = 2
        while name in seen:
            name = f"{stem}-{n}"
            n += 1
        seen.add(name)
        out.append(name)
    return out
