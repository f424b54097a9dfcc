"""The navigation documents: the EPUB 3 nav (contents + landmarks) and the EPUB 2 NCX."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .devices import serialize_xml
from .xhtml import EPUB_TYPE, document, element, serialize, xml_text

NCX_NS = "http://www.daisy.org/z3986/2005/ncx/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass
class TocEntry:
    """One line of the table of contents; `children` nest (an anthology's story -> chapters)."""

    label: str
    href: str
    children: list[TocEntry] = field(default_factory=list)


@dataclass(frozen=True)
class Landmark:
    """A landmark: EPUB 3 structural type (cover, titlepage, toc, bodymatter), target, label."""

    type: str
    href: str
    label: str


def depth(entries: list[TocEntry]) -> int:
    """How deep the contents nest (1 = flat)."""
    return max((1 + depth(e.children) for e in entries), default=0)


def nav_document(toc: list[TocEntry], landmarks: list[Landmark], lang: str, stylesheet: str | None) -> bytes:
    """The EPUB 3 navigation document: a visible contents list and hidden landmarks."""
    html, body = document("Contents", lang, stylesheet)
    nav = element(body, "nav", id="toc", role="doc-toc", **{"aria-labelledby": "toc-title"})
    nav.set(EPUB_TYPE, "toc")
    element(nav, "h1", "Contents", id="toc-title")
    _nav_list(nav, toc)
    if landmarks:
        marks = element(body, "nav", id="landmarks", hidden="hidden", **{"aria-labelledby": "landmarks-title"})
        marks.set(EPUB_TYPE, "landmarks")
        element(marks, "h2", "Landmarks", id="landmarks-title")
        ol = element(marks, "ol")
        for mark in landmarks:
            a = element(element(ol, "li"), "a", mark.label, href=mark.href)
            a.set(EPUB_TYPE, mark.type)
    return serialize(html)


def _nav_list(parent: etree._Element, entries: list[TocEntry]) -> None:
    ol = element(parent, "ol")
    for entry in entries:
        li = element(ol, "li")
        element(li, "a", xml_text(entry.label).strip() or "Untitled", href=entry.href)
        if entry.children:
            _nav_list(li, entry.children)


def ncx_document(toc: list[TocEntry], *, identifier: str, title: str, authors: list[str], lang: str) -> bytes:
    """The EPUB 2 NCX, for readers that predate the nav document (Adobe RMSDK, Kindle conversion)."""
    ncx = etree.Element(f"{{{NCX_NS}}}ncx", {"version": "2005-1"}, nsmap={None: NCX_NS})
    ncx.set(XML_LANG, lang)
    head = etree.SubElement(ncx, f"{{{NCX_NS}}}head")
    # dtb:uid must equal the OPF's unique identifier (EPUBCheck NCX-001).
    for name, content in (
        ("dtb:uid", identifier),
        ("dtb:depth", str(max(1, depth(toc)))),
        ("dtb:totalPageCount", "0"),
        ("dtb:maxPageNumber", "0"),
    ):
        etree.SubElement(head, f"{{{NCX_NS}}}meta", {"name": name, "content": content})
    _ncx_text(etree.SubElement(ncx, f"{{{NCX_NS}}}docTitle"), title)
    for author in authors:
        _ncx_text(etree.SubElement(ncx, f"{{{NCX_NS}}}docAuthor"), author)
    nav_map = etree.SubElement(ncx, f"{{{NCX_NS}}}navMap")
    counter = [0]

    def add(parent: etree._Element, entries: list[TocEntry]) -> None:
        for entry in entries:
            counter[0] += 1
            point = etree.SubElement(
                parent, f"{{{NCX_NS}}}navPoint", {"id": f"navpoint-{counter[0]}", "playOrder": str(counter[0])}
            )
            _ncx_text(etree.SubElement(point, f"{{{NCX_NS}}}navLabel"), entry.label)
            etree.SubElement(point, f"{{{NCX_NS}}}content", {"src": entry.href})
            add(point, entry.children)

    add(nav_map, toc)
    return serialize_xml(ncx)


def _ncx_text(parent: etree._Element, text: str) -> None:
    etree.SubElement(parent, f"{{{NCX_NS}}}text").text = xml_text(text).strip() or "Untitled"
