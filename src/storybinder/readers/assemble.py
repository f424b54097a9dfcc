"""Turn a reader's stream of blocks and headings into chapters, the same way for every format.

- An explicit SectionStart (AO3 chapter, fimfiction article, a folder's file) starts a chapter.
- Headings: a first heading repeating the known title, or (title unknown) a lone
  top-level heading before any text, is the story's title; the
  highest remaining level (h1-h3) starts chapters; deeper levels stay as
  sub-headings inside a chapter.
- A "By NAME" paragraph opening the story names its authors.
- A paragraph holding only "Chapter 4: Title" / "Prologue" starts a chapter.
- A paragraph holding only a scene-break mark (`* * *`, `~~~`, `o0o`) is a SceneBreak.
- Scene breaks at a chapter's edges or doubled carry no meaning and are dropped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..model import Block, Chapter, Heading, Metadata, Paragraph, Person, SceneBreak, Style
from .block_sink import Item, SectionStart
from .structure import byline_names, is_chapter_heading, is_scene_break

_CHAPTER_LEVELS = (1, 2, 3)


@dataclass
class Assembled:
    """Chapters plus what the text itself says about the story (a title heading, a byline)."""

    chapters: list[Chapter]
    metadata: Metadata


def assemble(items: list[Item], known_title: str | None = None) -> Assembled:
    """Group items into chapters (see module docstring)."""
    items = [as_break(item) for item in items]
    title, items = _take_title_heading(items, known_title)
    authors, items = _take_byline(items)
    chapter_level = _chapter_level(items)
    chapters: list[Chapter] = [Chapter(None, [])]
    for item in items:
        start = _chapter_start(item, chapter_level)
        if start is not None:
            _start_chapter(chapters, start)
        elif isinstance(item, Heading):
            depth = item.level - (chapter_level or 0)
            chapters[-1].blocks.append(Heading(item.text, item.spans, min(6, 2 + max(1, depth))))
        else:
            append_block(chapters[-1], item)
    for chapter in chapters:
        while chapter.blocks and isinstance(chapter.blocks[-1], SceneBreak):
            chapter.blocks.pop()
    kept = [c for c in chapters if c.blocks or (c.title and c.kind == "chapter")]
    return Assembled(kept, Metadata(title=title, authors=tuple(Person(name) for name in authors)))


def as_break(item: Item) -> Item:
    """A paragraph or heading holding only a scene-break mark, as a SceneBreak; else the item."""
    if isinstance(item, (Paragraph, Heading)) and is_scene_break(item.text):
        return SceneBreak(item.text.strip())
    return item


def _take_title_heading(items: list[Item], known_title: str | None) -> tuple[str | None, list[Item]]:
    """A story title set as the first heading: the known title, or a lone top-level heading."""
    first = next((i for i, item in enumerate(items) if not isinstance(item, SceneBreak)), None)
    if first is None or not isinstance(items[first], Heading):
        return None, items
    heading = items[first]
    assert isinstance(heading, Heading)
    rest = items[:first] + items[first + 1 :]
    if known_title:
        # The title is known: a first heading repeating it goes; any other is a chapter's.
        return (heading.text, rest) if _same_text(heading.text, known_title) else (None, items)
    levels = Counter(item.level for item in items if isinstance(item, Heading))
    top = min(levels)
    if heading.level == top and levels[top] == 1 and not is_chapter_heading(heading.text):
        return heading.text, rest
    return None, items


def _take_byline(items: list[Item]) -> tuple[tuple[str, ...], list[Item]]:
    """A "By NAME" paragraph opening the story names its authors."""
    first = next((i for i, item in enumerate(items) if not isinstance(item, SceneBreak)), None)
    if first is None or not isinstance(items[first], Paragraph) or not _is_plain_line(items[first]):
        return (), items
    names = byline_names(items[first].text)
    return (names, items[:first] + items[first + 1 :]) if names else ((), items)


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _chapter_level(items: list[Item]) -> int | None:
    levels = [item.level for item in items if isinstance(item, Heading) and item.level in _CHAPTER_LEVELS]
    return min(levels) if levels else None


def _chapter_start(item: Item, chapter_level: int | None) -> SectionStart | None:
    if isinstance(item, SectionStart):
        return item
    if isinstance(item, Heading) and chapter_level is not None and item.level <= chapter_level:
        return SectionStart(item.text)
    if isinstance(item, Heading) and is_chapter_heading(item.text):
        return SectionStart(item.text)
    if isinstance(item, Paragraph) and not item.quoted and _is_plain_line(item) and is_chapter_heading(item.text):
        return SectionStart(item.text)
    return None


def _is_plain_line(paragraph: Paragraph) -> bool:
    """No inline styling, or one style over the whole line (a bold or italic heading line)."""
    styles = [s for s in paragraph.spans if s.style is not Style.LINK]
    if len(styles) != len(paragraph.spans):
        return False
    return all(s.start == 0 and s.end == len(paragraph.text) for s in styles)


def _start_chapter(chapters: list[Chapter], start: SectionStart) -> None:
    current = chapters[-1]
    if not current.blocks and current.title is None and current.kind == start.kind:
        current.title = start.title
        return
    chapters.append(Chapter(start.title, [], kind=start.kind))


def append_block(chapter: Chapter, block: Block) -> None:
    """Add a block to a chapter; a scene break opening it or doubling another is dropped."""
    if isinstance(block, SceneBreak) and (not chapter.blocks or isinstance(chapter.blocks[-1], SceneBreak)):
        return
    chapter.blocks.append(block)
