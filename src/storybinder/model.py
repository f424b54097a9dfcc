"""The book model: stories, chapters, blocks of inline-marked text, metadata, edits.

Blocks hold plain text plus offset-based style spans, never HTML; only `epub/`
turns them into XHTML, so escaping lives in one place. A Verse block keeps its
line breaks as "\\n" in the text (a stanza); every other block is one line. The
cleaner edits the text and shifts the spans with `Paragraph.replace`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from enum import Enum
from pathlib import Path
from typing import Literal, Union


class Style(str, Enum):
    """Inline styles a span can carry; each maps to one semantic XHTML element."""

    EMPHASIS = "em"
    STRONG = "strong"
    SMALL_CAPS = "smallcaps"
    STRIKE = "strike"
    UNDERLINE = "underline"
    LINK = "link"


@dataclass(frozen=True)
class Span:
    """A style over text[start:end] of the block that owns it (`href` for links)."""

    start: int
    end: int
    style: Style
    href: str | None = None


@dataclass
class Paragraph:
    """One paragraph of prose. `align` is "center" or "right" when the author set it."""

    text: str
    spans: tuple[Span, ...] = ()
    align: Literal["center", "right"] | None = None
    quoted: bool = False  # inside a block quote (letters, epigraphs, BBCode [quote])

    def replace(self, start: int, end: int, new: str) -> Paragraph:
        """Return a copy with text[start:end] replaced by `new`, spans shifted to match."""
        text, spans = _replaced(self.text, self.spans, start, end, new)
        return replace(self, text=text, spans=spans)


def _replaced(text: str, spans: tuple[Span, ...], start: int, end: int, new: str) -> tuple[str, tuple[Span, ...]]:
    """text[start:end] replaced by `new`, and the spans shifted to match."""
    delta = len(new) - (end - start)
    shifted = []
    for span in spans:
        s, e = span.start, span.end
        s = _shift(s, start, end, delta, new, is_end=False)
        e = _shift(e, start, end, delta, new, is_end=True)
        if e > s:
            shifted.append(replace(span, start=s, end=e))
    return text[:start] + new + text[end:], tuple(shifted)


def _shift(pos: int, start: int, end: int, delta: int, new: str, *, is_end: bool) -> int:
    # Text inserted at a span's edge stays outside the span (a quote added
    # after an italic word is not italic); a span ending where a replaced
    # range begins keeps its end; positions inside a replaced range snap to
    # its edges so a span never splits a new character.
    if start == end:
        return pos if pos < start or (pos == start and is_end) else pos + delta
    if pos <= start:
        return pos
    if pos >= end:
        return pos + delta
    return start + len(new) if is_end else start


@dataclass
class Heading:
    """A heading inside a chapter (a sub-section), not the chapter's own title."""

    text: str
    spans: tuple[Span, ...] = ()
    level: int = 3


@dataclass
class SceneBreak:
    """A change of scene; `mark` is what the source used (`* * *`, a blank line...)."""

    mark: str = ""


@dataclass
class Verse:
    """One stanza of verse: its lines joined by "\\n" in `text`, styled by spans as a paragraph is.

    `indents[i]` is how far line i is set in, in steps of about one em (0 = flush
    with the stanza). A stanza is one unit for the cleaner: a quotation may run
    over its lines. Consecutive Verse blocks are the stanzas of one poem.
    """

    text: str
    spans: tuple[Span, ...] = ()
    indents: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        # One indent per line, whatever edits did to the line count.
        lines = self.text.count("\n") + 1
        if len(self.indents) != lines:
            self.indents = (tuple(self.indents) + (0,) * lines)[:lines]

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def replace(self, start: int, end: int, new: str) -> Verse:
        """Return a copy with text[start:end] replaced by `new`; spans and line indents follow."""
        text, spans = _replaced(self.text, self.spans, start, end, new)
        line = self.text.count("\n", 0, start)
        removed = self.text.count("\n", start, end)
        indents = self.indents[: line + 1] + (0,) * new.count("\n") + self.indents[line + 1 + removed :]
        return Verse(text, spans, indents)


Block = Union[Paragraph, Heading, SceneBreak, Verse]

# "front": front matter before the story proper (a preface, a dedication, a notice).
ChapterKind = Literal["chapter", "notes", "front"]


@dataclass
class Chapter:
    """A titled (or untitled) run of blocks; `kind="notes"` marks an author's note.

    `level` 2 nests the chapter under the level-1 chapter before it in the
    contents (a collection's story -> its sections, a novel's book -> its
    chapters); a level-1 chapter with no blocks is such a part's title page.
    """

    title: str | None
    blocks: list[Block] = field(default_factory=list)
    kind: ChapterKind = "chapter"
    level: int = 1


@dataclass(frozen=True)
class Person:
    """An author or contributor. `role` is a MARC relator code (aut, edt, ill, trl...)."""

    name: str
    sort_name: str | None = None
    role: str = "aut"


@dataclass
class Metadata:
    """Everything known about a story or book. None / empty means "not set here".

    Layers (text, sidecar, book.toml, CLI) are merged with `merged`, later wins.
    """

    title: str | None = None
    subtitle: str | None = None
    authors: tuple[Person, ...] = ()
    description: str | None = None
    language: str | None = None
    tags: tuple[str, ...] = ()
    series: str | None = None
    series_index: float | None = None
    date: str | None = None
    publisher: str | None = None
    rights: str | None = None
    source_url: str | None = None
    isbn: str | None = None
    identifier: str | None = None
    rating: str | None = None
    status: str | None = None
    contributors: tuple[Person, ...] = ()
    cover: Path | None = None
    words: tuple[str, ...] = ()
    # An image that came inside the story file (an EPUB's cover): used when no
    # cover file is named and covers/<slug>.* has none.
    cover_image: Cover | None = None

    def merged(self, later: Metadata) -> Metadata:
        """Return self overridden by every field `later` sets."""
        changes = {}
        for f in fields(self):
            value = getattr(later, f.name)
            if value is not None and value != ():
                changes[f.name] = value
        return replace(self, **changes)


@dataclass
class Story:
    """One story: its metadata and chapters, plus where it came from."""

    metadata: Metadata
    chapters: list[Chapter]
    source: Path | None = None
    # What the reader chose that the user should hear of, though nothing is wrong
    # (the files a chapter folder took and left out); printed by `build`.
    notes: list[str] = field(default_factory=list)
    # What the reader repaired in the file (stray control characters removed); `build` warns.
    warnings: list[str] = field(default_factory=list)
    # The name of the file the story was first read from, when it comes from
    # inside another book (an EPUB storybinder made, an anthology).
    origin: str | None = None

    @property
    def body_chapters(self) -> list[Chapter]:
        return [c for c in self.chapters if c.kind == "chapter"]


@dataclass(frozen=True)
class Edit:
    """One change (or suggested change) to the author's words.

    Location is (chapter index, block index, character offset in that block's
    text *before* the edit). `applied` is False for a suggestion (and for a
    fix the author rejected). `decision` is the author's review decision that
    settled it ("accept", "reject", "edit"), "" when none did.
    """

    rule: str
    chapter: int
    block: int
    offset: int
    before: str
    after: str
    confidence: float = 1.0
    applied: bool = True
    message: str = ""
    decision: str = ""

    @property
    def waiting(self) -> bool:
        """A suggestion still waiting for the author (not applied, not decided)."""
        return not self.applied and not self.decision


@dataclass(frozen=True)
class Cover:
    """A ready-to-embed cover image."""

    data: bytes
    media_type: str
    width: int
    height: int
    generated: bool = False


@dataclass
class Book:
    """One or more stories bound together; a single story and an anthology are the same type."""

    metadata: Metadata
    stories: list[Story]
    cover: Cover | None = None
    slug: str = "book"
    anthology: bool = False  # per-story title pages and a nested contents list
