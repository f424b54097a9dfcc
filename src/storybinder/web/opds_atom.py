"""OPDS 1.2 catalogue documents (Atom): navigation and acquisition feeds, complete
entries and the OpenSearch description. Pure: a catalogue in, XML bytes out.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from lxml import etree

from ..epub.devices import format_number
from ..library.book_info import BookInfo
from .site import (
    ATOM_ACQ, ATOM_ENTRY, ATOM_NAV, EPUB_TYPE, KEPUB_TYPE, OPDS2_PUB_TYPE, OPDS2_TYPE, OPENSEARCH_TYPE, Site,
)

ATOM = "http://www.w3.org/2005/Atom"
OPDS = "http://opds-spec.org/2010/catalog"
DCTERMS = "http://purl.org/dc/terms/"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
CALIBRE = "http://calibre.kovidgoyal.net/2009/metadata"
NSMAP = {None: ATOM, "opds": OPDS, "dc": DCTERMS, "opensearch": OPENSEARCH, "calibre": CALIBRE}
ACQUISITION = "http://opds-spec.org/acquisition"
IMAGE = "http://opds-spec.org/image"
THUMBNAIL = "http://opds-spec.org/image/thumbnail"
FEED_NS = uuid.UUID("5b0d9c1e-5d3c-4b7a-9f43-8f1f2d0c6a11")  # our namespace for feed ids


def iso(ns: int) -> str:
    """Nanoseconds since the epoch as an Atom date (UTC, seconds)."""
    return datetime.fromtimestamp(ns / 1e9, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _el(parent: etree._Element, tag: str, text: str | None = None, ns: str = ATOM, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{ns}}}{tag}", {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = text
    return el


def _link(parent: etree._Element, rel: str, href: str, type: str, title: str | None = None, **extra: str) -> etree._Element:
    attrs = {"rel": rel, "href": href, "type": type}
    if title:
        attrs["title"] = title
    attrs.update(extra)
    return etree.SubElement(parent, f"{{{ATOM}}}link", attrs)


def book_urn(book: BookInfo) -> str:
    """The entry id: the book's own identifier when it is a URI, else one derived from it."""
    ident = book.identifier
    if ident.lower().startswith(("urn:", "http://", "https://", "tag:")):
        return ident
    return f"urn:uuid:{uuid.uuid5(FEED_NS, 'book:' + ident)}"


@dataclass(frozen=True)
class Paging:
    """Where a page sits in its list: for first/previous/next/last and OpenSearch counts."""

    number: int
    pages: int
    total: int
    size: int


class FeedBuilder:
    """Builds the Atom documents of one catalogue with one Site's URLs."""

    def __init__(self, site: Site, updated_ns: int) -> None:
        self.site = site
        self.updated = iso(updated_ns)

    def _feed(self, feed_id: str, title: str, self_href: str, self_type: str, *, up: str | None,
              alternate: str | None, subtitle: str | None = None) -> etree._Element:
        feed = etree.Element(f"{{{ATOM}}}feed", nsmap=NSMAP)
        _el(feed, "id", f"urn:uuid:{uuid.uuid5(FEED_NS, feed_id)}")
        _el(feed, "title", title)
        if subtitle:
            _el(feed, "subtitle", subtitle)
        _el(feed, "updated", self.updated)
        author = _el(feed, "author")
        _el(author, "name", self.site.title)
        _link(feed, "self", self_href, self_type)
        _link(feed, "start", self.site.opds_root(), ATOM_NAV, self.site.title)
        if up:
            _link(feed, "up", up, ATOM_NAV)
        if alternate:
            _link(feed, "alternate", alternate, OPDS2_TYPE, "OPDS 2.0")
        if self.site.opensearch():
            _link(feed, "search", self.site.opensearch(), OPENSEARCH_TYPE, "Search")
        if self.site.opds_search_template():
            _link(feed, "search", self.site.opds_search_template(), ATOM_ACQ, "Search")
        return feed

    def navigation(self, feed_id: str, title: str, self_href: str, entries: Sequence[tuple[str, str, str, str, str]], *,
                   up: str | None, alternate: str | None, subtitle: str | None = None) -> bytes:
        """A navigation feed; entries are (id, title, summary, href, type of the feed it leads to)."""
        feed = self._feed(feed_id, title, self_href, ATOM_NAV, up=up, alternate=alternate, subtitle=subtitle)
        for entry_id, entry_title, summary, href, kind in entries:
            entry = _el(feed, "entry")
            _el(entry, "title", entry_title)
            _el(entry, "id", f"urn:uuid:{uuid.uuid5(FEED_NS, entry_id)}")
            _el(entry, "updated", self.updated)
            _el(entry, "content", summary, type="text")
            rel = "http://opds-spec.org/sort/new" if entry_id.endswith(":new") else "subsection"
            _link(entry, rel, href, kind)
        return serialize(feed)

    def acquisition(self, feed_id: str, title: str, books: Sequence[BookInfo], paging: Paging, page_href, *,
                    up: str | None, alternate: str | None, subtitle: str | None = None) -> bytes:
        """An acquisition feed of one page of books, with paging links and OpenSearch counts."""
        feed = self._feed(feed_id, title, page_href(paging.number), ATOM_ACQ, up=up, alternate=alternate,
                          subtitle=subtitle)
        if paging.pages > 1:
            _link(feed, "first", page_href(1), ATOM_ACQ)
            if paging.number > 1:
                _link(feed, "previous", page_href(paging.number - 1), ATOM_ACQ)
            if paging.number < paging.pages:
                _link(feed, "next", page_href(paging.number + 1), ATOM_ACQ)
            _link(feed, "last", page_href(paging.pages), ATOM_ACQ)
        _el(feed, "totalResults", str(paging.total), ns=OPENSEARCH)
        _el(feed, "itemsPerPage", str(paging.size), ns=OPENSEARCH)
        _el(feed, "startIndex", str((paging.number - 1) * paging.size + 1), ns=OPENSEARCH)
        for book in books:
            self._entry(feed, book)
        return serialize(feed)

    def complete_entry(self, book: BookInfo) -> bytes:
        """A standalone entry document (the target of each entry's alternate link)."""
        holder = etree.Element(f"{{{ATOM}}}feed", nsmap=NSMAP)
        entry = self._entry(holder, book)
        root = etree.Element(f"{{{ATOM}}}entry", nsmap=NSMAP)
        root.extend(list(entry))
        return serialize(root)

    def _entry(self, feed: etree._Element, book: BookInfo) -> etree._Element:
        site = self.site
        entry = _el(feed, "entry")
        _el(entry, "title", book.title)
        _el(entry, "id", book_urn(book))
        _el(entry, "updated", iso(book.mtime_ns))
        for author in book.authors:
            person = _el(entry, "author")
            _el(person, "name", author.name)
        if book.language:
            _el(entry, "language", book.language, ns=DCTERMS)
        if book.publisher:
            _el(entry, "publisher", book.publisher, ns=DCTERMS)
        if book.date:
            _el(entry, "issued", book.date, ns=DCTERMS)
        # Word count: dcterms:extent for any client, and in the summary line people see.
        if book.word_count:
            _el(entry, "extent", f"{book.word_count} words", ns=DCTERMS)
        for tag in book.tags:
            _el(entry, "category", term=tag, label=tag)
        if book.series:
            # calibre's elements are what KOReader and calibre-style clients read for a series;
            # dcterms:isPartOf is the Dublin Core way.
            _el(entry, "series", book.series, ns=CALIBRE)
            if book.series_index is not None:
                _el(entry, "series_index", format_number(book.series_index), ns=CALIBRE)
            _el(entry, "isPartOf", book.series, ns=DCTERMS)
        summary = book.description or ""
        facts = [f"{book.word_count:,} words" if book.word_count else "",
                 f"{book.series} #{format_number(book.series_index)}" if book.series and book.series_index is not None
                 else (book.series or "")]
        line = " · ".join(f for f in facts if f)
        _el(entry, "summary", "\n\n".join(p for p in (summary, line) if p) or book.title, type="text")
        if book.cover_entry:
            _link(entry, IMAGE, site.cover(book), book.cover_type or "image/jpeg")
            _link(entry, THUMBNAIL, site.thumbnail(book), "image/jpeg")
        modified = iso(book.mtime_ns)
        _link(entry, ACQUISITION, site.download(book), EPUB_TYPE, "EPUB", length=str(book.size),
              **{f"{{{DCTERMS}}}modified": modified})
        _link(entry, ACQUISITION, site.download(book, kepub=True), KEPUB_TYPE, "Kobo (kepub)",
              **{f"{{{DCTERMS}}}modified": modified})
        _link(entry, "alternate", site.opds_entry(book), ATOM_ENTRY, "Full entry")
        _link(entry, "alternate", site.v2_publication(book), OPDS2_PUB_TYPE, "OPDS 2.0")
        return entry


def opensearch_description(site: Site, base: str) -> bytes:
    """The OpenSearch description document: URL templates (absolute, from `base`) clients fill with the terms."""
    ns = "http://a9.com/-/spec/opensearch/1.1/"
    root = etree.Element(f"{{{ns}}}OpenSearchDescription", nsmap={None: ns})
    etree.SubElement(root, f"{{{ns}}}ShortName").text = site.title[:16]
    etree.SubElement(root, f"{{{ns}}}Description").text = f"Search the books of {site.title}"
    etree.SubElement(root, f"{{{ns}}}InputEncoding").text = "UTF-8"
    etree.SubElement(root, f"{{{ns}}}OutputEncoding").text = "UTF-8"
    etree.SubElement(root, f"{{{ns}}}Url", type=ATOM_ACQ, template=base + (site.opds_search_template() or ""))
    etree.SubElement(root, f"{{{ns}}}Url", type="text/html", template=base + "/search?q={searchTerms}")
    return serialize(root)


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
