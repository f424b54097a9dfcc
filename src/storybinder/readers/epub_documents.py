"""An EPUB's content documents, parsed the way the HTML reader parses a page.

Each XHTML file of the spine is decoded, parsed with lxml's HTML parser (it
never loads a DTD or fetches anything, reads XHTML's `<x/>` empty elements and
`&nbsp;` as a browser does, and recovers broken markup instead of failing),
and given the class styling of the stylesheets it links (calibre turns
`<i>` into `class="calibre7"` with the italics in its stylesheet). What the
sanitiser would drop anyway (scripts, images, remote links) is left to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..epub_open import XHTML_TYPES
from ..errors import StorybinderError
from .class_styles import inline_class_styles

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from ..epub_open import EpubPackage

# A stylesheet larger than this is not read for class styling: no book's is.
_MAX_CSS = 1 << 20
EPUB_TYPE = "epub:type"


@dataclass
class Document:
    """One spine document: its zip path, parsed tree and body, and whether the spine reads it in order."""

    name: str
    root: HtmlElement
    body: HtmlElement
    linear: bool = True
    role: str = "body"  # body, cover, titlepage, toc, jacket, log, nav, part

    def text(self) -> str:
        return " ".join(self.body.text_content().split())

    def epub_types(self) -> set[str]:
        """Every epub:type value on the body and its sections (pandoc, our books, Sigil...)."""
        types: set[str] = set()
        for el in [self.body, *self.body.iter("section", "div", "nav", "header")]:
            types.update((el.get(EPUB_TYPE) or "").split())
        return types

    def classes(self) -> set[str]:
        return set((self.body.get("class") or "").split())

    def meta(self, name: str) -> str:
        """The content of a `<meta name=...>` in the head (FanFicFare, calibre and pandoc leave them)."""
        for el in self.root.iter("meta"):
            if (el.get("name") or "").lower() == name:
                return (el.get("content") or "").strip()
        return ""


def parse_document(data: bytes, name: str) -> HtmlElement:
    """Parse XHTML/HTML bytes as the HTML reader parses a page (safely: no DTD, no entities, no network)."""
    from lxml import html as lxml_html

    from .html import decode_html
    from .html import parse_document as parse_page

    where = Path(name)
    text = decode_html(data, where).text
    if not text.strip():
        return lxml_html.document_fromstring("<html><body></body></html>")
    try:
        return parse_page(text, where)
    except StorybinderError as exc:
        if "no content" in exc.message:
            return lxml_html.document_fromstring("<html><body></body></html>")
        raise StorybinderError(f"{name} inside the EPUB: {exc.message}") from None


def load_document(package: EpubPackage, name: str, linear: bool = True, css_cache: dict[str, str] | None = None) -> Document:
    """The spine document at zip path `name`, parsed and given its stylesheets' class styling."""
    data = package.read_limited(name)
    try:
        root = parse_document(data, name)
    except StorybinderError as exc:
        raise StorybinderError(exc.message, path=package.source) from None
    body = root.find("body")
    if body is None:
        body = root
    css = _linked_css(package, name, root, {} if css_cache is None else css_cache)
    inline_class_styles(root, css)
    return Document(name, root, body, linear)


def _linked_css(package: EpubPackage, name: str, root: HtmlElement, cache: dict[str, str]) -> str:
    sheets = []
    for link in root.iter("link"):
        if "stylesheet" not in (link.get("rel") or "").lower() or not link.get("href"):
            continue
        resolved = package.resolve(name, link.get("href"))
        found = package.find(resolved[0]) if resolved else None
        if found is None:
            continue
        if found not in cache:
            try:
                cache[found] = package.read_limited(found, _MAX_CSS).decode("utf-8", "replace")
            except StorybinderError:
                cache[found] = ""  # a stylesheet too big or damaged only costs its styling
        sheets.append(cache[found])
    return "\n".join(sheets)


def spine_documents(package: EpubPackage) -> list[Document]:
    """The spine's XHTML documents in reading order (each file once; non-linear ones marked)."""
    spine = package.opf.find("{http://www.idpf.org/2007/opf}spine")
    linear = {}
    if spine is not None:
        for ref in spine:
            if isinstance(ref.tag, str):
                linear[ref.get("idref", "")] = (ref.get("linear") or "yes").strip().lower() != "no"
    docs: list[Document] = []
    seen: set[str] = set()
    css_cache: dict[str, str] = {}
    for idref in package.spine:
        item = package.item_by_id(idref)
        if item is None or item.remote or item.media_type not in XHTML_TYPES | {""}:
            continue
        found = package.find(item.path)
        if found is None or found in seen or found in package.encrypted:
            continue
        seen.add(found)
        doc = load_document(package, found, linear.get(idref, True), css_cache)
        if "nav" in item.properties:
            doc.role = "nav"
        docs.append(doc)
    return docs


def first_image(package: EpubPackage, page: str) -> str | None:
    """The zip path of the first image a page shows (<img src> or SVG <image href>)."""
    try:
        root = parse_document(package.read_limited(page), page)
    except StorybinderError:
        return None
    for el in root.iter("img", "image"):
        href = el.get("src") or el.get("xlink:href") or el.get("href") or ""
        resolved = package.resolve(page, href.strip()) if href.strip() else None
        found = package.find(resolved[0]) if resolved else None
        if found is not None:
            return found
    return None


def images_and_text(doc: Document) -> tuple[int, int]:
    """How many images a document shows and how many characters of text it holds."""
    images = sum(1 for _ in doc.body.iter("img", "image", "svg"))
    return images, len(doc.text())
