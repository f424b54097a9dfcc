"""Collect styled text into Blocks: the common back end of the marked-up readers.

HTML, Markdown, BBCode and Word readers walk their own syntax and call a
BlockSink: `text()` for words, `push()`/`pop()` around inline styles, `block()`
around paragraphs, headings and quotes, `scene_break()` for a separator. The
sink collapses whitespace, records styles as offset Spans and normalises them
the same way for every format, so the same story gives the same blocks.
Inside a `block(verse=True)` region `line_break()` ends a line of verse instead
of the paragraph, and the collected lines become a Verse stanza.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Literal, Union

from ..model import Heading, Paragraph, SceneBreak, Span, Style, Verse

Align = Literal["center", "right"] | None
# ASCII whitespace only, as in HTML: a no-break space is the author's choice and stays.
_SPACE = re.compile(r"[ \t\n\r\f\v]+")


@dataclass(frozen=True)
class SectionStart:
    """An explicit chapter boundary a format marks itself (AO3 chapter, fimfiction article, a file)."""

    title: str | None
    kind: Literal["chapter", "notes"] = "chapter"


Item = Union[Paragraph, Heading, SceneBreak, Verse, SectionStart]


@dataclass
class _Open:
    style: Style
    href: str | None
    start: int


@dataclass
class _Context:
    align: Align = None
    quoted: bool = False
    heading: int | None = None
    verse: bool = False


# Leading spaces that make one step of verse indentation (source text and
# HTML set in `white-space: pre`); a no-break space counts as a space.
_SPACES_PER_INDENT = 4
_INDENT_CHARS = " \t\n\r\f\v\u00a0"


class BlockSink:
    """Accumulates paragraphs, headings and scene breaks from a stream of styled text."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self._text: list[str] = []
        self._length = 0
        self._open: list[_Open] = []
        self._spans: list[Span] = []
        self._contexts: list[_Context] = [_Context()]
        # Verse: the indent of each line collected so far (None: not set), whether
        # the current line has no words yet, whether it began at a <br>.
        self._indents: list[int | None] = [None]
        self._line_fresh = True
        self._hard_break = False

    # Inline text and styles -------------------------------------------------

    def text(self, text: str) -> None:
        """Add running text; runs of whitespace become one space."""
        if self._contexts[-1].verse and self._line_fresh:
            text = self._line_start(text)
            if not text:
                return
            self._line_fresh = self._hard_break = False
        text = _SPACE.sub(" ", text)
        if not text:
            return
        if text.startswith(" ") and (self._length == 0 or self._ends_with_space()):
            text = text[1:]
        if text:
            self._text.append(text)
            self._length += len(text)

    def _line_start(self, text: str) -> str:
        """A verse line's first text: its leading spaces set the line's indent (unless a class did)."""
        body = text.lstrip(_INDENT_CHARS)
        if body and self._indents[-1] is None:
            lead = text[: len(text) - len(body)]
            spaces = len(lead) - (lead.rfind("\n") + 1)  # a newline in the source is not indentation
            self._indents[-1] = -((spaces + _SPACES_PER_INDENT - 1) // _SPACES_PER_INDENT) - 1
        return body

    def line_indent(self, level: int) -> None:
        """Set the indent of the verse line being collected (from markup such as PG's `i2` classes)."""
        if self._contexts[-1].verse and self._line_fresh:
            self._indents[-1] = max(0, level)

    def line_break(self, *, hard: bool = True) -> None:
        """A <br>: in verse the end of a line (two in a row end the stanza); elsewhere the end of a paragraph.

        `hard=False` is the edge of a block set as one line of a poem: it ends
        a line with words on it and nothing else.
        """
        if not self._contexts[-1].verse:
            if self._contexts[-1].heading is not None:
                self.text(" ")  # "I.<br>A SCANDAL IN BOHEMIA" is one heading
            else:
                self.end_paragraph()
            return
        if self._line_fresh:
            if hard and self._hard_break and self._length:
                self.end_paragraph()  # a blank line: the next stanza
            self._hard_break = self._hard_break or hard
            return
        if self._text and self._text[-1].endswith(" "):
            self._text[-1] = self._text[-1][:-1]
            self._length -= 1
        self._text.append("\n")
        self._length += 1
        self._indents.append(None)
        self._line_fresh, self._hard_break = True, hard

    def _ends_with_space(self) -> bool:
        return bool(self._text) and self._text[-1].endswith(" ")

    def push(self, style: Style, href: str | None = None) -> None:
        """Open an inline style at the current position."""
        self._open.append(_Open(style, href, self._length))

    def pop(self, style: Style) -> None:
        """Close the innermost open span of `style` (a stray close is ignored)."""
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i].style is style:
                opened = self._open.pop(i)
                self._close(opened)
                return

    def _close(self, opened: _Open) -> None:
        if self._length > opened.start:
            self._spans.append(Span(opened.start, self._length, opened.style, opened.href))

    # Blocks -------------------------------------------------------------------

    @property
    def in_verse(self) -> bool:
        return self._contexts[-1].verse

    @contextmanager
    def block(
        self, *, align: Align = None, quoted: bool = False, heading: int | None = None, verse: bool = False
    ) -> Iterator[None]:
        """A block-level region: a paragraph starts and ends with it; settings nest.

        `verse=True`: a poem or a stanza, its lines kept (see line_break).
        """
        outer = self._contexts[-1]
        self.end_paragraph()
        self._contexts.append(
            _Context(
                align=align or outer.align,
                quoted=quoted or outer.quoted,
                heading=heading if heading is not None else outer.heading,
                verse=verse or outer.verse,
            )
        )
        try:
            yield
        finally:
            self.end_paragraph()
            self._contexts.pop()

    def end_paragraph(self) -> None:
        """Finish the paragraph being collected (styles still open carry on into the next)."""
        still_open = self._open
        for opened in still_open:
            self._close(opened)
        text = "".join(self._text)
        spans = self._spans
        indents = self._indents
        self._text, self._length, self._spans = [], 0, []
        self._indents, self._line_fresh, self._hard_break = [None], True, False
        self._open = [_Open(o.style, o.href, 0) for o in still_open]
        stripped = text.strip()
        if not stripped:
            return
        lead = len(text) - len(text.lstrip())
        spans = normalise_spans(stripped, [Span(s.start - lead, s.end - lead, s.style, s.href) for s in spans])
        context = self._contexts[-1]
        if context.verse and context.heading is None:
            first = text.count("\n", 0, lead)
            self.items.append(Verse(stripped, spans, _relative_indents(indents[first : first + stripped.count("\n") + 1])))
        elif context.heading is not None:
            self.items.append(Heading(stripped, spans, context.heading))
        else:
            self.items.append(Paragraph(stripped, spans, context.align, context.quoted))

    def scene_break(self, mark: str = "") -> None:
        """A separator between scenes (an <hr>, a [hr], a thematic break)."""
        self.end_paragraph()
        self.items.append(SceneBreak(mark))

    def section(self, title: str | None, kind: Literal["chapter", "notes"] = "chapter") -> None:
        """An explicit chapter boundary."""
        self.end_paragraph()
        self.items.append(SectionStart(title, kind))

    def finish(self) -> list[Item]:
        """Close everything and return the collected items."""
        self.end_paragraph()
        self._open = []
        return self.items


def _relative_indents(indents: list[int | None]) -> tuple[int, ...]:
    """Line indents relative to the stanza's least indented line.

    A level set by markup is kept as is (>= 0); one counted from spaces is
    stored as -(steps) - 1 and turned into steps here.
    """
    levels = [0 if i is None else (i if i >= 0 else -i - 1) for i in indents]
    least = min(levels, default=0)
    return tuple(level - least for level in levels)


def normalise_spans(text: str, spans: list[Span]) -> tuple[Span, ...]:
    """Clip spans to the text, trim their edge whitespace, merge touching ones of one style."""
    cleaned: list[Span] = []
    for span in spans:
        start, end = max(0, span.start), min(len(text), span.end)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            cleaned.append(Span(start, end, span.style, span.href))
    cleaned.sort(key=lambda s: (s.style.value, s.href or "", s.start, s.end))
    merged: list[Span] = []
    for span in cleaned:
        last = merged[-1] if merged else None
        # "*a* *b*" and "<em>a</em> <em>b</em>" both read as one emphasis over "a b".
        if last and last.style is span.style and last.href == span.href and _touches(text, last.end, span.start):
            merged[-1] = Span(last.start, max(last.end, span.end), span.style, span.href)
        else:
            merged.append(span)
    merged.sort(key=lambda s: (s.start, -s.end, s.style.value))
    return tuple(merged)


def _touches(text: str, end: int, start: int) -> bool:
    return start <= end or not text[end:start].strip()
