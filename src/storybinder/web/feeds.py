"""Every catalogue document by name: the root, each section, each group, search results
and single entries, in OPDS 1.2 (bytes) and OPDS 2.0 (dicts). The server's routes
and the static export both call these; None means "no such feed" (a 404).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..library.book_info import BookInfo
from ..library.catalog import Catalog, page
from . import opds_json
from .opds_atom import FeedBuilder, Paging
from .site import ATOM_ACQ, ATOM_NAV, SECTION_BY_NAME, SECTIONS, Site, group_slugs, section_books, section_groups


@dataclass(frozen=True)
class Listing:
    """What one feed or shelf page shows: a list of books, or a list of groups to choose from."""

    id: str
    title: str
    section: str
    slug: str | None = None
    books: tuple[BookInfo, ...] | None = None
    groups: tuple[tuple[str, str, int], ...] | None = None  # (name, slug, number of books)


def listing(catalog: Catalog, section: str, slug: str | None = None) -> Listing | None:
    """The books or groups of a section (or of one group in it); None when there is no such thing."""
    spec = SECTION_BY_NAME.get(section)
    if spec is None:
        return None
    if spec.kind == "books":
        if slug is not None:
            return None
        return Listing(f"section:{section}", spec.title, section, books=section_books(catalog, section))
    slugs = group_slugs(section_groups(catalog, section))
    if slug is None:
        groups = tuple((g.name, s, len(g.books)) for s, g in slugs.items())
        return Listing(f"section:{section}", spec.title, section, groups=groups)
    group = slugs.get(slug)
    if group is None:
        return None
    return Listing(f"group:{section}:{group.name}", group.name, section, slug=slug, books=group.books)


def search_listing(catalog: Catalog, query: str) -> Listing:
    return Listing(f"search:{query}", f"Search: {query}", "search", books=catalog.search(query))


def _updated(catalog: Catalog) -> int:
    return max((b.mtime_ns for b in catalog.books), default=0)


class Documents:
    """The catalogue's documents for one snapshot and one URL scheme."""

    def __init__(self, catalog: Catalog, site: Site, page_size: int) -> None:
        self.catalog = catalog
        self.site = site
        self.page_size = page_size
        self.atom = FeedBuilder(site, _updated(catalog))

    # -- OPDS 1.2 -----------------------------------------------------------

    def atom_root(self) -> bytes:
        entries = []
        for s in SECTIONS:
            kind = ATOM_ACQ if s.kind == "books" else ATOM_NAV
            entries.append((f"section:{s.name}", s.title, s.summary, self.site.opds_section(s.name), kind))
        return self.atom.navigation("root", self.site.title, self.site.opds_root(), entries, up=None,
                                    alternate=self.site.v2_root(), subtitle=f"{len(self.catalog.books)} books")

    def atom_listing(self, item: Listing, number: int = 1, query: str | None = None) -> bytes:
        site = self.site
        if item.groups is not None:
            entries = [(f"{item.id}:{name}", name, f"{count} book{'s' if count != 1 else ''}",
                        site.opds_group(item.section, slug), ATOM_ACQ) for name, slug, count in item.groups]
            return self.atom.navigation(item.id, item.title, site.opds_section(item.section), entries,
                                        up=site.opds_root(), alternate=site.v2_section(item.section))
        if query is not None:
            href = lambda n: site.opds_search(query, n)  # noqa: E731
            alternate = site.v2_search(query)
            up = site.opds_root()
        elif item.slug is None:
            href = lambda n: site.opds_section(item.section, n)  # noqa: E731
            alternate, up = site.v2_section(item.section), site.opds_root()
        else:
            href = lambda n: site.opds_group(item.section, item.slug, n)  # noqa: E731
            alternate, up = site.v2_group(item.section, item.slug), site.opds_section(item.section)
        books, paging = self._page(item.books or (), number)
        return self.atom.acquisition(item.id, item.title, books, paging, href, up=up, alternate=alternate)

    def atom_entry(self, book: BookInfo) -> bytes:
        return self.atom.complete_entry(book)

    # -- OPDS 2.0 -----------------------------------------------------------

    def json_root(self) -> dict:
        entries = [(s.title, self.site.v2_section(s.name)) for s in SECTIONS]
        return opds_json.navigation_feed(self.site, self.site.title, self.site.v2_root(), entries,
                                         alternate=self.site.opds_root())

    def json_listing(self, item: Listing, number: int = 1, query: str | None = None) -> dict:
        site = self.site
        if item.groups is not None:
            entries = [(f"{name} ({count})", site.v2_group(item.section, slug)) for name, slug, count in item.groups]
            return opds_json.navigation_feed(site, item.title, site.v2_section(item.section), entries,
                                             alternate=site.opds_section(item.section))
        if query is not None:
            href, alternate = (lambda n: site.v2_search(query, n)), site.opds_search(query)
        elif item.slug is None:
            href, alternate = (lambda n: site.v2_section(item.section, n)), site.opds_section(item.section)
        else:
            href = lambda n: site.v2_group(item.section, item.slug, n)  # noqa: E731
            alternate = site.opds_group(item.section, item.slug)
        books, paging = self._page(item.books or (), number)
        return opds_json.publications_feed(site, item.title, books, paging, href, alternate)

    def json_publication(self, book: BookInfo) -> dict:
        return opds_json.publication(self.site, book)

    def _page(self, books: tuple[BookInfo, ...], number: int) -> tuple[list[BookInfo], Paging]:
        items, pages = page(books, number, self.page_size)
        return items, Paging(min(max(1, number), pages), pages, len(books), self.page_size)
