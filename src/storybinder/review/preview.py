"""The book preview: one chapter as the EPUB's own XHTML page, with ids the review page scrolls to.

The page is made by epub.pages.chapter_page, so it is the book's markup and
stylesheet (style.css beside it); only ids (b0, b1... one per block, in the
order of the chapter's blocks) and a link to the preview's highlight style
are added.
"""

from __future__ import annotations

from lxml import etree

from ..epub.layout import chapter_label
from ..epub.pages import chapter_page
from ..epub.xhtml import XHTML_NS, serialize
from ..model import Story

HIGHLIGHT_CSS = "/static/review-preview.css"
_HEADINGS = {f"{{{XHTML_NS}}}h{n}" for n in range(3, 7)}
_P = f"{{{XHTML_NS}}}p"
_DIV = f"{{{XHTML_NS}}}div"
_CONTAINERS = {f"{{{XHTML_NS}}}section", f"{{{XHTML_NS}}}blockquote"}


def chapter_preview(story: Story, index: int, lang: str = "en") -> bytes:
    """Chapter `index` of `story` as the book shows it, each block's element given the id b<block>."""
    chapter = story.chapters[index]
    number = sum(1 for ch in story.chapters[: index + 1] if ch.kind == "chapter")
    label = chapter_label(story, chapter, number, story.metadata.title or "Untitled")
    root = etree.fromstring(chapter_page(chapter, label, story.metadata.language or lang))
    head, body = root[0], root[1]
    etree.SubElement(head, f"{{{XHTML_NS}}}link", rel="stylesheet", type="text/css", href=HIGHLIGHT_CSS)
    for n, element in enumerate(_block_elements(body)):
        element.set("id", f"b{n}")
    return serialize(root)


def _block_elements(body: etree._Element) -> list[etree._Element]:
    """The elements render_blocks made, one per block, in block order."""
    found = []
    for element in body.iter():
        parent = element.getparent()
        if element.tag == _P and parent is not None and parent.tag in _CONTAINERS:
            found.append(element)  # a paragraph or scene break
        elif element.tag in _HEADINGS and parent is not None and parent.tag in _CONTAINERS:
            found.append(element)
        elif element.tag == _DIV and "stanza" in (element.get("class") or "").split():
            found.append(element)
    return found
