"""fimfiction BBCode (`.bbcode`) -> Story.

Each line is a paragraph. Known tags: [i] [b] [u] [s] [smcaps] [url] (inline),
[center] [right] [quote] (blocks that may span lines), [size] [color] (kept
for nesting, no style), [hr] (scene break). Any other tag stays as typed text.
A line holding only a bold or sized title (centred or not) starts a chapter,
as does a "Chapter N" line. BBCode has no place for metadata: it comes from
the sidecar NAME.toml.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Story, Style
from .assemble import assemble
from .block_sink import BlockSink, Item
from .html_blocks import SAFE_SCHEMES
from .structure import is_chapter_heading, is_scene_break
from .text_file import read_decoded

SUFFIXES = frozenset({".bbcode", ".bbc"})

_TAG = re.compile(r"\[(/?)([a-zA-Z]+)(?:=([^\]\n]*))?\]")
_INLINE = {"i": Style.EMPHASIS, "b": Style.STRONG, "u": Style.UNDERLINE, "s": Style.STRIKE, "smcaps": Style.SMALL_CAPS}
_NEUTRAL = {"size", "color", "colour", "font"}
_BLOCKS = {"center", "right", "quote"}
_TITLE_WRAPPERS = {"b", "size"}  # a whole line inside one of these reads as a title
_TITLE_LINE = re.compile(r"^\s*((?:\[(?:center|size|b|i|u|color|font)(?:=[^\]\n]*)?\]\s*)+)([^\[\]\n]+?)\s*((?:\[/(?:center|size|b|i|u|color|font)\]\s*)+)$", re.IGNORECASE)
_SENTENCE_END = tuple(".!?…,;\"”’)")


def detect(path: Path) -> bool:
    """Any .bbcode file is BBCode."""
    return True


def read(path: Path) -> Story:
    """Read a BBCode file into a Story."""
    decoded = read_decoded(path)
    story = parse_bbcode(decoded.text, path)
    story.warnings += decoded.warnings(path)
    return story


def parse_bbcode(text: str, path: Path | None = None) -> Story:
    """Parse BBCode text into a Story."""
    parser = _Parser()
    for line in text.split("\n"):
        parser.line(line)
    result = assemble(parser.finish())
    return Story(metadata=result.metadata, chapters=result.chapters, source=path)


def title_line(line: str) -> str | None:
    """The title of a line that holds only a bold or sized title (or a "Chapter N" line), else None."""
    match = _TITLE_LINE.match(line)
    if not match:
        return None
    title = " ".join(match.group(2).split())
    opened = {m.group(2).lower() for m in _TAG.finditer(match.group(1))}
    if is_scene_break(title) or not any(ch.isalpha() for ch in title) or len(title) > 100:
        return None
    if is_chapter_heading(title):
        return title
    if opened & _TITLE_WRAPPERS and not title.endswith(_SENTENCE_END):
        return title
    return None


@dataclass
class _Parser:
    sink: BlockSink = field(default_factory=BlockSink)
    blocks: list[tuple[str, AbstractContextManager[None]]] = field(default_factory=list)
    inline: list[str] = field(default_factory=list)

    def line(self, line: str) -> None:
        title = title_line(line) if not any(tag == "quote" for tag, _ in self.blocks) else None
        if title is not None:
            self.sink.section(title)
            return
        pos = 0
        for match in _TAG.finditer(line):
            if match.start() < pos:
                continue  # inside a [url]...[/url] already consumed
            self.sink.text(line[pos : match.start()])
            pos = self._tag(match, line)
        self.sink.text(line[pos:])
        self.sink.end_paragraph()

    def _tag(self, match: re.Match[str], line: str) -> int:
        """Handle one tag; return where the text resumes."""
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name == "hr" and not closing:
            self.sink.scene_break("[hr]")
        elif name == "url":
            return self._url(match, line, closing)
        elif name in _INLINE or name in _NEUTRAL:
            self._inline(name, closing)
        elif name in _BLOCKS:
            self._block(name, closing)
        else:
            self.sink.text(match.group(0))  # unknown tags stay as the author typed them
        return match.end()

    def _inline(self, name: str, closing: bool) -> None:
        if not closing:
            self.inline.append(name)
            if name in _INLINE:
                self.sink.push(_INLINE[name])
        elif name in self.inline:
            self.inline.reverse()
            self.inline.remove(name)
            self.inline.reverse()
            if name in _INLINE:
                self.sink.pop(_INLINE[name])

    def _block(self, name: str, closing: bool) -> None:
        if not closing:
            region = self.sink.block(align="center" if name == "center" else "right" if name == "right" else None, quoted=name == "quote")
            region.__enter__()
            self.blocks.append((name, region))
            return
        if not any(tag == name for tag, _ in self.blocks):
            return  # a stray closing tag carries no text
        while self.blocks:
            tag, region = self.blocks.pop()
            region.__exit__(None, None, None)
            if tag == name:
                return

    def _url(self, match: re.Match[str], line: str, closing: bool) -> int:
        if closing:
            self.sink.pop(Style.LINK)
            return match.end()
        href = (match.group(3) or "").strip().strip("\"'")
        if not href:
            # [url]https://...[/url]: the link is its own text.
            end = line.lower().find("[/url]", match.end())
            href = line[match.end() : end if end >= 0 else len(line)].strip()
        if href.lower().startswith(SAFE_SCHEMES):
            self.sink.push(Style.LINK, href)
        return match.end()

    def finish(self) -> list[Item]:
        while self.blocks:
            _, region = self.blocks.pop()
            region.__exit__(None, None, None)
        return self.sink.finish()
