"""Collect styled text into Blocks: the common back end of the marked-up readers.

HTML, Markdown, BBCode and Word readers walk their own syntax and call a
BlockSink: `text()` for words, `push()`/`pop()` around inline styles, `block()`
around paragraphs, headings and quotes, `scene_break()` for a separator. The
sink collapses whitespace, records styles as offset Spans and normalises them
the same way for every format, so the same story gives the same blocks.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Literal, Union

from ..model import Heading, Paragraph, SceneBreak, Span, Style

Align = Literal["center", "right"] | None
# ASCII whitespace only, as in HTML: a no-break space is the author's choice and stays.
_SPACE = re.compile(r"[ \t\n\r\f\v]+")


@dataclass(frozen=True)
class SectionStart:
    """An explicit chapter boundary a format marks itself (AO3 chapter, fimfiction article, a file)."""

    title: str | None
    kind: Literal["chapter", "notes"] = "chapter"


Item = Union[Paragraph, Heading, SceneBreak, SectionStart]


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


class BlockSink:
    """Accumulates paragraphs, headings and scene breaks from a stream of styled text."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self._text: list[str] = []
        self._length = 0
        self._open: list[_Open] = []
        self._spans: list[Span] = []
        self._contexts: list[_Context] = [_Context()]

    # Inline text and styles -------------------------------------------------

    def text(self, text: str) -> None:
        """Add running text; runs of whitespace become one space."""
        text = _SPACE.sub(" ", text)
        if not text:
            return
        if text.startswith(" ") and (self._length == 0 or self._ends_with_space()):
            text = text[1:]
        if text:
            self._text.append(text)
            self._length += len(text)

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

    @contextmanager
    def block(self, *, align: Align = None, quoted: bool = False, heading: int | None = None) -> Iterator[None]:
        """A block-level region: a paragraph starts and ends with it; settings nest."""
        outer = self._contexts[-1]
        self.end_paragraph()
        self._contexts.append(
            _Context(
                align=align or outer.align,
                quoted=quoted or outer.quoted,
                heading=heading if heading is not None else outer.heading,
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
        self._text, self._length, self._spans = [], 0, []
        self._open = [_Open(o.style, o.href, 0) for o in still_open]
        stripped = text.strip()
        if not stripped:
            return
        lead = len(text) - len(text.lstrip())
        spans = normalise_spans(stripped, [Span(s.start - lead, s.end - lead, s.style, s.href) for s in spans])
        context = self._contexts[-1]
        if context.heading is not None:
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
