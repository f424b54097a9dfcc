"""EPUB documents -> chapters: cut where the contents say chapters start, notes set apart.

The contents (nav or NCX) point at documents and at ids inside them; a chapter
runs from one such point to the next, across files (calibre splits one
chapter into several) or within one (a single-file book). Each point and each
author's-note box gets a marker paragraph in the tree before the whole
document goes through the HTML reader's sanitiser and block walker once, and
the markers in the resulting stream of blocks say where chapters and notes
begin and end. A chapter's own heading becomes its title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..model import Chapter, Heading, Paragraph, SceneBreak
from .assemble import append_block, as_break
from .block_sink import Item
from .epub_pages import FRONT_TYPES, NOTE_CLASSES, NOTES_TYPES
from .html_blocks import items_from_html

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from .epub_documents import Document

_MARK = re.compile("^\ue000(\\d+)\ue001$")
_INLINE = frozenset({"a", "span", "em", "i", "b", "strong", "small", "big", "sup", "sub", "u", "s", "font", "cite", "q", "abbr", "code", "tt", "mark", "br", "img"})
_BLOCK_HOLDERS = ("p", "div", "center", "figure")
_NOTE_TITLE = re.compile(r"^\s*(author'?s?’?s?\s+notes?|a/n|notes?)\s*:?\s*$", re.IGNORECASE)
_GENERIC_LABEL = re.compile(r"^chapter\s+(\d+)$", re.IGNORECASE)

Kind = Literal["chapter", "notes", "front", "resume"]


@dataclass(frozen=True)
class Marker:
    """Where a chapter (TOC entry), front matter, a note or the text after a note begins."""

    kind: Kind
    label: str | None = None
    # The chapter's heading is expected first (a TOC entry, a file of its own).
    titled: bool = True
    level: int = 1  # 2: nested under the level-1 chapter before it in the contents


class Marks:
    """Marker paragraphs put into document trees, read back out of the block stream."""

    def __init__(self) -> None:
        self.markers: list[Marker] = []

    def _paragraph(self, marker: Marker) -> HtmlElement:
        from lxml import html as lxml_html

        self.markers.append(marker)
        p = lxml_html.Element("p")
        p.text = f"\ue000{len(self.markers) - 1}\ue001"
        return p

    def before(self, element: HtmlElement, marker: Marker) -> None:
        """A marker just before `element`, at block level."""
        element = _block_of(element)
        parent = element.getparent()
        if parent is None:
            element.insert(0, self._paragraph(marker))
            return
        element.addprevious(self._paragraph(marker))

    def at_start(self, body: HtmlElement, marker: Marker) -> None:
        mark = self._paragraph(marker)
        mark.tail = body.text
        body.text = None
        body.insert(0, mark)

    def after(self, element: HtmlElement, marker: Marker) -> None:
        mark = self._paragraph(marker)
        mark.tail = element.tail
        element.tail = None
        element.addnext(mark)

    def stream(self, doc: Document) -> list[Item | Marker]:
        """The document's blocks through the HTML reader's sanitiser, with the markers put back."""
        from lxml import html as lxml_html

        body = doc.body
        html = (body.text or "") + "".join(lxml_html.tostring(child, encoding="unicode") for child in body)
        out: list[Item | Marker] = []
        for item in items_from_html(html):
            match = _MARK.match(item.text) if isinstance(item, Paragraph) else None
            if match and int(match.group(1)) < len(self.markers):
                out.append(self.markers[int(match.group(1))])
            else:
                out.append(item)
        return out


def _block_of(element: HtmlElement) -> HtmlElement:
    """The element itself if it is a block, else its nearest block ancestor (an anchor inside a heading)."""
    while isinstance(element.tag, str) and element.tag.lower() in _INLINE and element.getparent() is not None:
        element = element.getparent()
    return element


def page_kind(doc: Document) -> str:
    """What a whole page is: "notes" (an author's note, an afterword), "front" (a preface, a dedication) or "chapter"."""
    for cls, kind in (("notes", "notes"), ("front", "front")):
        boxes = doc.body.find_class(cls)
        if boxes and len(" ".join(boxes[0].text_content().split())) >= 0.9 * len(doc.text()):
            return kind
    types = doc.epub_types()
    if types & NOTES_TYPES:
        return "notes"
    return "front" if types & FRONT_TYPES else "chapter"


def mark_notes(doc: Document, marks: Marks) -> str:
    """Marker pairs around each author's-note box inside a document; returns the page's kind (page_kind)."""
    kind = page_kind(doc)
    if kind != "chapter":
        return kind
    for box in list(doc.body.iter("blockquote", "div", "aside", "section")):
        classes = set((box.get("class") or "").lower().split())
        if not classes & NOTE_CLASSES or box.getparent() is None:
            continue
        title = _take_note_title(box)
        marks.before(box, Marker("notes", title))
        marks.after(box, Marker("resume"))
        # The box's own blockquote would make every paragraph of the note "quoted".
        box.tag = "div"
    return kind


def _take_note_title(box: HtmlElement) -> str:
    first = next((c for c in box if isinstance(c.tag, str)), None)
    if first is not None and first.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "header", "b", "strong", "p"):
        text = " ".join(first.text_content().split())
        if first.tag.startswith("h") or first.tag == "header" or _NOTE_TITLE.match(text):
            if len(text) <= 60:
                tail = first.tail
                box.remove(first)
                if tail and tail.strip():
                    box.text = (box.text or "") + tail
                return text.rstrip(": ").strip() or "Author's Note"
    return "Author's Note"


def ornaments_to_breaks(body: HtmlElement) -> None:
    """A paragraph holding only an image (an ornament between scenes) becomes a scene break."""
    from lxml import html as lxml_html

    for holder in list(body.iter(*_BLOCK_HOLDERS)):
        if holder.find(".//img") is None or holder.text_content().strip() or holder.getparent() is None:
            continue
        if any(isinstance(c.tag, str) and c.tag not in ("img", "span", "a", "br") for c in holder.iter()) and holder.tag != "p":
            continue
        rule = lxml_html.Element("hr")
        rule.tail = holder.tail
        holder.getparent().replace(holder, rule)


# ---- the stream -> chapters ------------------------------------------------------------------


class _Builder:
    def __init__(self, story_title: str | None) -> None:
        self.story_title = story_title
        self.out: list[Chapter] = []
        self.chapter: Chapter | None = None  # the chapter run text goes to
        self.story_chapter: Chapter | None = None  # the chapter a note interrupts
        self.expect_title = False
        self.heading_level: int | None = None
        self.label: str | None = None
        self.headed: set[int] = set()  # ids of chapters whose title is their own heading

    def start(self, marker: Marker) -> None:
        if marker.kind in ("chapter", "front"):
            self.chapter = Chapter(marker.label, [], marker.kind, level=marker.level)
            self.out.append(self.chapter)
            self.story_chapter = self.chapter
            self.expect_title, self.heading_level, self.label = marker.titled, None, marker.label
        elif marker.kind == "notes":
            notes = Chapter(marker.label or "Author's Note", [], "notes")
            self.label = marker.label
            host = self.story_chapter
            if host is not None and not host.blocks and host in self.out:
                self.out.insert(self.out.index(host), notes)  # a note above the text is read first
            else:
                self.out.append(notes)
            self.chapter = notes
            self.expect_title = marker.titled
        else:  # resume
            chapter = self.chapter = self.story_chapter
            self.expect_title = chapter is not None and not chapter.blocks and id(chapter) not in self.headed

    def add(self, item: Item) -> None:
        if self.chapter is None:
            self.start(Marker("chapter", None, titled=True))
        chapter = self.chapter
        assert chapter is not None
        if isinstance(item, Heading) and self.expect_title and not chapter.blocks:
            chapter.title = _title(item.text, self.label)
            self.headed.add(id(chapter))
            self.heading_level = item.level
            self.expect_title = False
            return
        if isinstance(item, Heading) and not chapter.blocks and chapter.title and _same(item.text, chapter.title):
            return  # the title again (FanFicFare's heading over the site's own)
        if (
            isinstance(item, Heading) and chapter.kind == "chapter" and not chapter.blocks and id(chapter) in self.headed
            and self.out and chapter is self.out[0] and self.story_title and _same(chapter.title or "", self.story_title)
            and self.label and not _same(self.label, self.story_title) and self.label.casefold().startswith(item.text.casefold())
        ):
            # The story's title set over its first chapter's heading: the second heading names the chapter.
            chapter.title = _title(item.text, self.label)
            self.heading_level = item.level
            return
        self.expect_title = False
        if isinstance(item, Heading):
            base = self.heading_level if self.heading_level is not None else 2
            item = Heading(item.text, item.spans, max(3, min(6, 2 + item.level - base)))
        append_block(chapter, as_break(item))

    def finish(self) -> list[Chapter]:
        for chapter in self.out:
            while chapter.blocks and isinstance(chapter.blocks[-1], SceneBreak):
                chapter.blocks.pop()
        chapters = [c for c in self.out if c.blocks or (c.title and c.kind == "chapter")]
        number = 0
        body = [c for c in chapters if c.kind == "chapter"]
        for chapter in chapters:
            if chapter.kind != "chapter":
                continue
            number += 1
            if chapter.title and id(chapter) not in self.headed and _is_generated_label(chapter.title, number, len(body), self.story_title):
                chapter.title = None
        return chapters


def build_chapters(stream: list[Item | Marker], story_title: str | None) -> list[Chapter]:
    """Chapters from a marked stream of blocks (see module docstring)."""
    builder = _Builder(story_title)
    for token in stream:
        if isinstance(token, Marker):
            builder.start(token)
        else:
            builder.add(token)
    return builder.finish()


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _title(heading: str, label: str | None) -> str:
    """A chapter's heading is its title; a contents label that only adds to it ("Chapter 1" -> "Chapter 1: Wind") wins."""
    if label and len(label) > len(heading) and label.casefold().startswith(heading.casefold()):
        return label
    return heading


def _is_generated_label(title: str, number: int, total: int, story_title: str | None) -> bool:
    """A contents label no heading gave, that only says what our contents say anyway ("Chapter 3")."""
    match = _GENERIC_LABEL.match(title)
    if match and int(match.group(1)) == number:
        return True
    return total == 1 and story_title is not None and _same(title, story_title)
