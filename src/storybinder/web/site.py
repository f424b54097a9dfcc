"""The catalogue's map: its sections (New, Title A–Z, Authors...), the URL of every
feed, page, book, cover and download, and the names downloads are saved under.

Shared by the OPDS feeds, the shelf and the static export, so all three agree.
URLs are site-absolute paths; the export rewrites them into relative links.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from ..library.book_info import BookInfo
from ..library.catalog import Catalog, Group

EPUB_TYPE = "application/epub+zip"
KEPUB_TYPE = "application/kepub+zip"
ATOM_NAV = "application/atom+xml;profile=opds-catalog;kind=navigation"
ATOM_ACQ = "application/atom+xml;profile=opds-catalog;kind=acquisition"
ATOM_ENTRY = "application/atom+xml;type=entry;profile=opds-catalog"
OPDS2_TYPE = "application/opds+json"
OPDS2_PUB_TYPE = "application/opds-publication+json"
OPENSEARCH_TYPE = "application/opensearchdescription+xml"


@dataclass(frozen=True)
class Section:
    """A top-level way to browse: a flat list of books, or a list of groups."""

    name: str  # URL segment
    title: str
    summary: str
    kind: str  # "books" or "groups"


SECTIONS = (
    Section("new", "New", "The most recently added books first.", "books"),
    Section("titles", "Title A–Z", "Every book, by title.", "books"),
    Section("authors", "Authors", "Books by author.", "groups"),
    Section("series", "Series", "Books in series, in reading order.", "groups"),
    Section("tags", "Tags", "Books by tag.", "groups"),
    Section("anthologies", "Anthologies", "Books that collect several stories.", "books"),
)
SECTION_BY_NAME = {s.name: s for s in SECTIONS}


def section_books(catalog: Catalog, name: str) -> tuple[BookInfo, ...]:
    """The books of a flat section, in its order."""
    return {"new": catalog.newest, "titles": catalog.by_title, "anthologies": catalog.anthologies}[name]


def section_groups(catalog: Catalog, name: str) -> tuple[Group, ...]:
    return {"authors": catalog.authors, "series": catalog.series, "tags": catalog.tags}[name]


def slugify(text: str) -> str:
    """'Jonas de Vries' -> 'jonas-de-vries' (ASCII, for URLs and file names)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def group_slugs(groups: tuple[Group, ...]) -> dict[str, Group]:
    """slug -> group; names that slugify alike each get a short hash of their own name."""
    plain: dict[str, list[Group]] = {}
    for group in groups:
        plain.setdefault(slugify(group.name), []).append(group)
    out = {}
    for slug, same in plain.items():
        for group in same:
            digest = hashlib.sha1(group.name.encode()).hexdigest()[:6]
            out[slug if len(same) == 1 else f"{slug}-{digest}"] = group
    return out


def slug_of(groups: tuple[Group, ...], group: Group) -> str:
    return next(slug for slug, g in group_slugs(groups).items() if g is group)


def cover_extension(book: BookInfo) -> str:
    return {"image/png": "png", "image/gif": "gif", "image/webp": "webp"}.get(book.cover_type or "", "jpg")


def _path(key: str) -> str:
    return "/".join(quote(part, safe="") for part in key.split("/"))


@dataclass(frozen=True)
class Site:
    """URLs of everything the server (static=False) or an export (static=True) offers."""

    static: bool = False
    title: str = "storybinder"

    def _page(self, base: str, page: int, ext: str) -> str:
        if self.static:
            return f"{base}{'' if page <= 1 else f'-{page}'}.{ext}"
        return base if page <= 1 else f"{base}?page={page}"

    # OPDS 1.2
    def opds_root(self) -> str:
        return "/opds/index.xml" if self.static else "/opds"

    def opds_section(self, name: str, page: int = 1) -> str:
        return self._page(f"/opds/{name}", page, "xml")

    def opds_group(self, section: str, slug: str, page: int = 1) -> str:
        return self._page(f"/opds/{section}/{slug}", page, "xml")

    def opds_entry(self, book: BookInfo) -> str:
        return f"/opds/book/{_path(book.key)}" + (".xml" if self.static else "")

    def opds_search_template(self) -> str | None:
        return None if self.static else "/opds/search?q={searchTerms}"

    def opds_search(self, query: str, page: int = 1) -> str:
        return f"/opds/search?q={quote(query, safe='')}" + (f"&page={page}" if page > 1 else "")

    def opensearch(self) -> str | None:
        return None if self.static else "/opds/opensearch.xml"

    # OPDS 2.0
    def v2_root(self) -> str:
        return "/opds/v2/index.json" if self.static else "/opds/v2"

    def v2_section(self, name: str, page: int = 1) -> str:
        return self._page(f"/opds/v2/{name}", page, "json")

    def v2_group(self, section: str, slug: str, page: int = 1) -> str:
        return self._page(f"/opds/v2/{section}/{slug}", page, "json")

    def v2_publication(self, book: BookInfo) -> str:
        return f"/opds/v2/publication/{_path(book.key)}" + (".json" if self.static else "")

    def v2_search_template(self) -> str | None:
        return None if self.static else "/opds/v2/search{?query}"

    def v2_search(self, query: str, page: int = 1) -> str:
        return f"/opds/v2/search?query={quote(query, safe='')}" + (f"&page={page}" if page > 1 else "")

    # Shelf (HTML)
    def shelf_home(self) -> str:
        return "/index.html" if self.static else "/"

    def shelf_section(self, name: str, page: int = 1) -> str:
        return self._page(f"/{name}", page, "html") if self.static or page > 1 else f"/{name}"

    def shelf_group(self, section: str, slug: str, page: int = 1) -> str:
        return self._page(f"/{section}/{slug}", page, "html") if self.static or page > 1 else f"/{section}/{slug}"

    def shelf_book(self, book: BookInfo) -> str:
        return f"/book/{_path(book.key)}" + (".html" if self.static else "")

    def shelf_search(self) -> str | None:
        return None if self.static else "/search"

    def send_form(self, book: BookInfo) -> str | None:
        return None if self.static else f"/send/{_path(book.key)}"

    # Files
    def download(self, book: BookInfo, kepub: bool = False) -> str:
        return f"/books/{_path(book.key)}{'.kepub' if kepub else ''}.epub"

    def cover(self, book: BookInfo) -> str | None:
        return f"/covers/{_path(book.key)}.{cover_extension(book)}" if book.cover_entry else None

    def thumbnail(self, book: BookInfo) -> str | None:
        return f"/thumbnails/{_path(book.key)}.jpg" if book.cover_entry else None


def download_name(book: BookInfo, kepub: bool = False) -> str:
    """The name a download is saved under: 'Title - Author.epub' (or .kepub.epub)."""
    author = book.authors[0].name if book.authors else ""
    name = f"{book.title} - {author}" if author else book.title
    name = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]+', " ", name)
    name = " ".join(name.split())[:150].rstrip(" .") or "book"
    return f"{name}{'.kepub' if kepub else ''}.epub"


def content_disposition(filename: str) -> str:
    """`attachment; filename="ASCII"` for every client, plus RFC 6266's `filename*` when the name is not ASCII."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    # No quotes or backslashes (they end the quoted string) and no % (KOReader URL-decodes the name).
    ascii_name = re.sub(r'["\\%]', "", ascii_name)
    ascii_name = " ".join(ascii_name.split()) or "book.epub"
    if ascii_name == filename:
        return f'attachment; filename="{ascii_name}"'
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
