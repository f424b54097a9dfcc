"""Every hyperlink and resource reference in a book's XHTML, SVG, NCX and CSS files,
and the ids each document defines, so rules can test where references lead."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import tinycss2
from lxml import etree

from .epub_archive import (
    CSS_TYPE, ENTRY_ERRORS, NCX_NS, NCX_TYPE, SVG_NS, SVG_TYPE, XHTML_NS, XHTML_TYPES, XLINK_NS, EpubPackage,
)

# Elements whose attribute loads something into the page (as opposed to a link the reader follows).
RESOURCE_ATTRS = {
    "img": ("src",), "script": ("src",), "audio": ("src",), "video": ("src", "poster"), "source": ("src",),
    "track": ("src",), "iframe": ("src",), "embed": ("src",), "object": ("data",), "input": ("src",),
}
LINK_TAGS = {"a", "area"}
TEXT_TYPES = XHTML_TYPES | {SVG_TYPE, NCX_TYPE, CSS_TYPE}


@dataclass(frozen=True)
class Reference:
    """`href` as written in `source` (a zip entry); `kind` is "link" (followed) or "resource" (loaded)."""

    source: str
    href: str
    kind: str
    line: int | None


class BookReferences:
    """References and ids of one opened book, computed once and shared by the rules."""

    def __init__(self, package: EpubPackage) -> None:
        self.package = package

    @cached_property
    def documents(self) -> list[str]:
        """Zip paths of the XHTML, SVG and NCX files declared in the manifest and present."""
        return [i.path for i in self.package.local_items(XHTML_TYPES | {SVG_TYPE, NCX_TYPE})]

    def roots(self) -> Iterator[tuple[str, etree._Element]]:
        """(name, parsed root) of every document that could be parsed, even leniently."""
        for name in self.documents:
            root = self.package.parse(name).root
            if root is not None:
                yield name, root

    @cached_property
    def stylesheets(self) -> list[str]:
        return [i.path for i in self.package.local_items({CSS_TYPE})]

    @cached_property
    def all(self) -> list[Reference]:
        refs: list[Reference] = []
        for name, root in self.roots():
            refs += _document_references(name, root)
        for name in self.stylesheets:
            try:
                text = self.package.read(name).decode("utf-8", "replace")
            except ENTRY_ERRORS:  # a damaged entry is reported by the zip integrity check
                continue
            refs += [Reference(name, href, "resource", None) for href in css_urls(text)]
        return refs

    def ids(self, name: str) -> set[str] | None:
        """Ids defined in document `name`, or None when it cannot be parsed (so fragments are unknowable)."""
        if not self.package.has(name):
            return None
        if not (name in self.documents or name.lower().endswith((".xhtml", ".html", ".htm", ".svg", ".xml"))):
            return None
        root = self.package.parse(name).root
        if root is None:
            return None
        found = set()
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in ("id", "{http://www.w3.org/XML/1998/namespace}id"):
                if el.get(attr):
                    found.add(el.get(attr))
            if etree.QName(el).localname == "a" and el.get("name"):
                found.add(el.get("name"))
        return found

    def body_id(self, name: str) -> str | None:
        root = self.package.parse(name).root if self.package.has(name) else None
        body = root.find(f"{{{XHTML_NS}}}body") if root is not None else None
        return body.get("id") if body is not None else None


def _document_references(name: str, root: etree._Element) -> list[Reference]:
    refs = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        qname = etree.QName(el)
        local, ns = qname.localname, qname.namespace
        line = el.sourceline
        if ns == XHTML_NS:
            if local in LINK_TAGS and el.get("href") is not None:
                refs.append(Reference(name, el.get("href", ""), "link", line))
            elif local == "link" and el.get("href") is not None:
                # Only stylesheets are loaded; rel="alternate"/"canonical" just name other places.
                loaded = "stylesheet" in (el.get("rel") or "").lower().split()
                refs.append(Reference(name, el.get("href", ""), "resource" if loaded else "link", line))
            for attr in RESOURCE_ATTRS.get(local, ()):
                if el.get(attr):
                    refs.append(Reference(name, el.get(attr, ""), "resource", line))
            if local == "style" and el.text:
                refs += [Reference(name, href, "resource", line) for href in css_urls(el.text)]
        elif ns == SVG_NS:
            href = el.get(f"{{{XLINK_NS}}}href") or el.get("href")
            if href is not None and local in ("a", "image", "use", "script"):
                refs.append(Reference(name, href, "link" if local == "a" else "resource", line))
        elif ns == NCX_NS and local == "content" and el.get("src") is not None:
            refs.append(Reference(name, el.get("src", ""), "link", line))
        style = el.get("style")
        if style and "url" in style.lower():
            refs += [Reference(name, href, "resource", line) for href in css_urls(style, declarations=True)]
    return refs


def css_urls(text: str, *, declarations: bool = False) -> list[str]:
    """Every url(...) and @import target in a stylesheet (or a style attribute's declarations)."""
    tokens = (
        tinycss2.parse_blocks_contents(text) if declarations else tinycss2.parse_component_value_list(text)
    )
    urls: list[str] = []
    _walk(tokens, urls)
    return urls


def _walk(tokens, urls: list[str]) -> None:
    expect_import = False
    for token in tokens:
        kind = getattr(token, "type", None)
        if kind in ("whitespace", "comment"):
            continue
        if kind == "url":
            urls.append(token.value)
        elif kind == "function" and token.lower_name == "url":
            urls += [t.value for t in token.arguments if t.type == "string"]
        elif kind == "string" and expect_import:
            urls.append(token.value)
        expect_import = kind == "at-keyword" and token.lower_value == "import"
        for child in ("content", "arguments", "prelude", "value"):
            nested = getattr(token, child, None)
            if isinstance(nested, list):
                _walk(nested, urls)
