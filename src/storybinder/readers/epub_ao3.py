"""AO3's EPUB download: calibre's conversion of AO3's HTML download, read as that HTML.

AO3 makes its EPUBs by running calibre's ebook-convert over the same HTML page
the HTML reader knows (readers/html.py), with the preface, each chapter and
the afterword as split points. calibre cuts the page into files, repeating
the enclosing `div#preface`/`div#chapters`/`div#afterword` in each, and
renames most classes (`meta group` becomes `calibre1`). So the files' bodies
are put back into one page, the repeated wrappers joined, the classes the
HTML reader looks for given back by position, and the page read as AO3's.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from ..model import Metadata
from .block_sink import Item
from .epub_documents import Document

if TYPE_CHECKING:
    from lxml.html import HtmlElement

PUBLISHER = "Archive of Our Own"
_WRAPPERS = ("preface", "chapters", "afterword")


def is_ao3(publisher: str | None, docs: list[Document]) -> bool:
    """An AO3 download: AO3 as publisher, or a `div#preface` naming the Archive."""
    if (publisher or "").strip() == PUBLISHER:
        return True
    return any(
        doc.body.get_element_by_id("preface", None) is not None and PUBLISHER in doc.text()[:2000] for doc in docs[:3]
    )


def read_ao3(docs: list[Document]) -> tuple[Metadata, list[Item]]:
    """The story's metadata and items, as the HTML reader reads AO3's page."""
    from lxml import html as lxml_html

    from .html import ao3_download

    page = lxml_html.document_fromstring("<html><body></body></html>")
    body = page.body
    for doc in docs:
        if doc.body.text and doc.body.text.strip():
            paragraph = lxml_html.Element("p")
            paragraph.text = doc.body.text
            body.append(paragraph)
        for child in doc.body:
            body.append(copy.deepcopy(child))
    _join_wrappers(body)
    _restore_classes(body)
    if body.get_element_by_id("chapters", None) is None or body.get_element_by_id("preface", None) is None:
        return Metadata(), []
    return ao3_download(page)


def _join_wrappers(body: HtmlElement) -> None:
    """calibre's split files each repeat the wrapper they cut: one div#chapters again, not three."""
    kept: dict[str, HtmlElement] = {}
    for child in list(body):
        ident = child.get("id") if isinstance(child.tag, str) else None
        if ident not in _WRAPPERS:
            continue
        if ident in kept:
            for grandchild in list(child):
                kept[ident].append(grandchild)
            body.remove(child)
        else:
            kept[ident] = child
    for element in list(body.iter()):
        # calibre's page-break markers: empty divs with ids of its own.
        if isinstance(element.tag, str) and (element.get("id") or "").startswith("calibre_pb_") and not element.text_content().strip():
            element.drop_tree()


def _restore_classes(body: HtmlElement) -> None:
    """Give back the classes the HTML reader's AO3 rules use, from where things stand."""
    for heading in body.iter("h3"):
        if " ".join(heading.text_content().split()).lower() == "chapter text":
            _add_class(heading, "landmark")
    preface = body.get_element_by_id("preface", None)
    if preface is not None:
        for div in preface.iter("div"):
            if div.find(".//dl") is not None or div.find(".//h1") is not None:
                _add_class(div, "meta")
    chapters = body.get_element_by_id("chapters", None)
    if chapters is not None:
        for child in chapters:
            if not isinstance(child.tag, str) or child.tag != "div":
                continue
            if (child.get("id") or "").startswith("endnotes"):
                _add_class(child, "meta")
            elif any(c.tag in ("h2", "h3") for c in child if isinstance(c.tag, str)) and not child.find_class("landmark"):
                _add_class(child, "meta")
                _add_class(child, "group")
            else:
                _add_class(child, "userstuff")


def _add_class(element: HtmlElement, name: str) -> None:
    classes = (element.get("class") or "").split()
    if name not in classes:
        element.set("class", " ".join([*classes, name]))
