"""A Word document's front matter: the title, subtitle and byline set as paragraphs.

Many .docx files carry no title in their properties (Google Docs, LibreOffice
and converters leave them empty or leave the part out), so the story is
named by what the page shows: a "Title"-styled paragraph, else a centred
title line or a lone top-level heading opening the document. pandoc's
"Subtitle", "Author" and "Abstract" paragraphs fill the subtitle, authors and
description. A heading's subtitle (a "Subtitle" paragraph, or a heading one
level down with no text between) becomes part of that chapter's title:
"Chapter One: The Storm". Pure functions over the reader's items.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from ..model import Heading, Metadata, Paragraph, Person, SceneBreak, Span
from .block_sink import Item
from .structure import byline_names, is_chapter_heading, is_scene_break

# The roles a paragraph style gives (python-docx style names, lower-cased).
ROLE_STYLES = {"title": "title", "subtitle": "subtitle", "author": "author", "abstract": "abstract"}
_NAME_SPLIT = re.compile(r"\s*(?:;|&|\band\b)\s*")
_TITLE_MAX = 120


@dataclass
class Marked:
    """A reader item and the role its paragraph style gave it (None for body text)."""

    item: Item
    role: str | None = None


@dataclass
class FrontMatter:
    """What the paragraphs say about the story, the body items, and a title to fall back on."""

    metadata: Metadata
    body: list[Item]
    fallback_title: str | None = None  # a first heading that is also a chapter's


def front_matter(marked: list[Marked], known: Metadata) -> FrontMatter:
    """Take the front matter out of the items; `known` (the properties) wins where it is set."""
    found = Metadata()
    body: list[Marked] = []
    for entry in marked:
        text = getattr(entry.item, "text", "")
        if entry.role == "title":
            found = found if found.title else replace(found, title=text)
        elif entry.role == "author":
            names = byline_names(text) or tuple(n for n in _NAME_SPLIT.split(text) if n.strip())
            found = replace(found, authors=found.authors + tuple(Person(n) for n in names))
        elif entry.role == "abstract":
            found = replace(found, description="\n".join(filter(None, [found.description, text])))
        elif entry.role == "subtitle" and _opens(body) and found.subtitle is None:
            found = replace(found, subtitle=text)  # right under the title (or first): the story's
        else:
            body.append(entry)
    meta = found.merged(known)
    fallback = None
    if not meta.title:
        title, fallback, body = _opening_title(body)
        meta = replace(meta, title=title)
    if meta.subtitle is None:
        subtitle, body = _title_heading_subtitle(body, meta.title)
        meta = replace(meta, subtitle=subtitle)
    return FrontMatter(meta, _join_subtitles(body), fallback)


def _opens(body: list[Marked]) -> bool:
    """Nothing but scene breaks so far: the front of the document."""
    return all(isinstance(entry.item, SceneBreak) for entry in body)


def _first(body: list[Marked]) -> int | None:
    return next((i for i, entry in enumerate(body) if not isinstance(entry.item, SceneBreak)), None)


def _opening_title(body: list[Marked]) -> tuple[str | None, str | None, list[Marked]]:
    """The title the opening paragraph gives: (title taken out of the body, title kept as a chapter's, body).

    A centred title line, or a heading with another heading or a byline right
    under it, names the story and goes; a first heading over text, among others
    of its level, names the story only as a fallback and stays its chapter's
    title. A lone top-level heading is left for assemble to take.
    """
    first = _first(body)
    if first is None:
        return None, None, body
    item = body[first].item
    rest = body[:first] + body[first + 1 :]
    if isinstance(item, Paragraph) and item.align == "center" and _looks_like_title(item.text):
        return item.text, None, rest
    if not isinstance(item, Heading) or is_chapter_heading(item.text) or len(item.text) > _TITLE_MAX:
        return None, None, body
    after = next((e.item for e in body[first + 1 :] if not isinstance(e.item, SceneBreak)), None)
    if (isinstance(after, Heading) and after.level <= item.level) or (isinstance(after, Paragraph) and byline_names(after.text)):
        return item.text, None, rest
    return None, item.text, body


def _looks_like_title(text: str) -> bool:
    return (
        0 < len(text) <= _TITLE_MAX
        and not text.rstrip("\"'”’)").endswith((".", ",", ";", ":"))
        and not is_chapter_heading(text)
        and not is_scene_break(text)
        and not byline_names(text)
    )


def _title_heading_subtitle(body: list[Marked], title: str | None) -> tuple[str | None, list[Marked]]:
    """A lone top-level heading naming the story, with the only heading one level down right under it."""
    first = _first(body)
    if first is None or first + 1 >= len(body):
        return None, body
    head, sub = body[first].item, body[first + 1].item
    if not (isinstance(head, Heading) and isinstance(sub, Heading) and sub.level == head.level + 1):
        return None, body
    levels = Counter(entry.item.level for entry in body if isinstance(entry.item, Heading))
    names_story = _same(head.text, title) if title else min(levels) == head.level and levels[head.level] == 1
    if not names_story or levels[sub.level] != 1 or is_chapter_heading(sub.text):
        return None, body
    return sub.text, body[: first + 1] + body[first + 2 :]


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _join_subtitles(body: list[Marked]) -> list[Item]:
    """Join each chapter heading's subtitle into its title, where subtitles are what that level holds."""
    subtitle_levels = _subtitle_levels(body)
    items: list[Item] = []
    for entry in body:
        item, previous = entry.item, (items[-1] if items else None)
        if isinstance(previous, Heading) and (
            (entry.role == "subtitle" and isinstance(item, Paragraph))
            or (isinstance(item, Heading) and item.level == previous.level + 1 and item.level in subtitle_levels)
        ):
            items[-1] = _joined(previous, item)
        else:
            items.append(item)
    return items


def _subtitle_levels(body: list[Marked]) -> set[int]:
    """Heading levels whose every heading sits right under one a level up (and is not "Chapter N")."""
    under: dict[int, bool] = {}
    for j, entry in enumerate(body):
        item = entry.item
        if isinstance(item, Heading):
            before = body[j - 1].item if j else None
            right_under = isinstance(before, Heading) and before.level == item.level - 1 and not is_chapter_heading(item.text)
            under[item.level] = under.get(item.level, True) and right_under
    return {level for level, yes in under.items() if yes}


def _joined(heading: Heading, sub: Heading | Paragraph) -> Heading:
    separator = " " if heading.text.rstrip().endswith((":", ".", "—", "–", "-")) else ": "
    offset = len(heading.text) + len(separator)
    spans = heading.spans + tuple(Span(s.start + offset, s.end + offset, s.style, s.href) for s in sub.spans)
    return Heading(heading.text + separator + sub.text, spans, heading.level)
