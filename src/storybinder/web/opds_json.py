"""OPDS 2.0 catalogue documents (JSON): the same feeds as OPDS 1.2, as Readium Web
Publication Manifest publications. Pure: a catalogue in, dicts out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..library.book_info import BookInfo
from .opds_atom import Paging, book_urn, iso
from .site import ATOM_ACQ, ATOM_ENTRY, EPUB_TYPE, KEPUB_TYPE, OPDS2_PUB_TYPE, OPDS2_TYPE, Site

OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"


def _link(rel: str | None, href: str, type: str, title: str | None = None, **extra: object) -> dict:
    out: dict = {"href": href, "type": type}
    if rel:
        out["rel"] = rel
    if title:
        out["title"] = title
    out.update(extra)
    return out


def _feed_links(site: Site, self_href: str, alternate: str | None) -> list[dict]:
    links = [_link("self", self_href, OPDS2_TYPE), _link("start", site.v2_root(), OPDS2_TYPE, site.title)]
    if site.v2_search_template():
        links.append(_link("search", site.v2_search_template(), OPDS2_TYPE, "Search", templated=True))
    if alternate:
        links.append(_link("alternate", alternate, ATOM_ACQ, "OPDS 1.2"))
    return links


def navigation_feed(site: Site, title: str, self_href: str, entries: Sequence[tuple[str, str]],
                    alternate: str | None) -> dict:
    """A feed of navigation links; entries are (title, href of an OPDS 2 feed)."""
    return {
        "metadata": {"title": title},
        "links": _feed_links(site, self_href, alternate),
        "navigation": [_link(None, href, OPDS2_TYPE, entry_title) for entry_title, href in entries],
    }


def publications_feed(site: Site, title: str, books: Sequence[BookInfo], paging: Paging,
                      page_href: Callable[[int], str], alternate: str | None) -> dict:
    """One page of publications with paging links and counts."""
    links = _feed_links(site, page_href(paging.number), alternate)
    if paging.pages > 1:
        links.append(_link("first", page_href(1), OPDS2_TYPE))
        if paging.number > 1:
            links.append(_link("previous", page_href(paging.number - 1), OPDS2_TYPE))
        if paging.number < paging.pages:
            links.append(_link("next", page_href(paging.number + 1), OPDS2_TYPE))
        links.append(_link("last", page_href(paging.pages), OPDS2_TYPE))
    return {
        "metadata": {"title": title, "numberOfItems": paging.total, "itemsPerPage": paging.size,
                     "currentPage": paging.number},
        "links": links,
        "publications": [publication(site, b) for b in books],
    }


def publication(site: Site, book: BookInfo) -> dict:
    """One book as an OPDS 2 publication."""
    metadata: dict = {
        "@type": "http://schema.org/Book",
        "identifier": book_urn(book),
        "title": book.title,
        "sortAs": book.sort_title,
        "modified": iso(book.mtime_ns),
    }
    if book.authors:
        metadata["author"] = [{"name": a.name, "sortAs": a.sort_name} for a in book.authors]
    if book.language:
        metadata["language"] = book.language
    if book.description:
        metadata["description"] = book.description
    if book.publisher:
        metadata["publisher"] = book.publisher
    if book.date and len(book.date) >= 4 and book.date[:4].isdigit():
        metadata["published"] = book.date
    if book.tags:
        metadata["subject"] = [{"name": t} for t in book.tags]
    if book.series:
        series: dict = {"name": book.series}
        if book.series_index is not None:
            series["position"] = book.series_index
        metadata["belongsTo"] = {"series": [series]}
    if book.word_count:
        metadata["wordCount"] = book.word_count  # not in RWPM's vocabulary; extra metadata is allowed
    modified = iso(book.mtime_ns)
    links = [
        _link("self", site.v2_publication(book), OPDS2_PUB_TYPE),
        _link(OPEN_ACCESS, site.download(book), EPUB_TYPE, "EPUB", properties={"modified": modified, "length": book.size}),
        _link(OPEN_ACCESS, site.download(book, kepub=True), KEPUB_TYPE, "Kobo (kepub)", properties={"modified": modified}),
        _link("alternate", site.opds_entry(book), ATOM_ENTRY, "OPDS 1.2 entry"),
    ]
    out = {"metadata": metadata, "links": links}
    if book.cover_entry:
        out["images"] = [
            _link("cover", site.cover(book), book.cover_type or "image/jpeg"),
            _link("http://opds-spec.org/image/thumbnail", site.thumbnail(book), "image/jpeg"),
        ]
    return out
