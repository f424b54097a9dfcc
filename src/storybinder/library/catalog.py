"""An immutable snapshot of the library: the orders and groupings the feeds and shelf show."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from .book_info import BookInfo


def fold(text: str) -> str:
    """Case- and accent-blind form for sorting and search: 'Élan' -> 'elan'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Group:
    """Books sharing an author, a series or a tag."""

    name: str
    books: tuple[BookInfo, ...]


@dataclass(frozen=True)
class Catalog:
    """Every book of one scan, with the lists the catalogue is browsed by."""

    books: tuple[BookInfo, ...]
    version: int = 0  # bumps whenever a book is added, changed or removed
    changed_ns: int = 0  # when that last happened (wall clock)
    by_key: dict[str, BookInfo] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {b.key: b for b in self.books})

    @property
    def modified_ns(self) -> int:
        """When anything in the catalogue last changed: a book's file, or the set of books."""
        return max([self.changed_ns, *(b.mtime_ns for b in self.books)])

    @cached_property
    def newest(self) -> tuple[BookInfo, ...]:
        """Newest first, by when the library first saw each book; stable when books are rebuilt."""
        return tuple(sorted(self.books, key=lambda b: (-b.added_ns, b.key)))

    @cached_property
    def by_title(self) -> tuple[BookInfo, ...]:
        return tuple(sorted(self.books, key=lambda b: (fold(b.sort_title), b.key)))

    @cached_property
    def authors(self) -> tuple[Group, ...]:
        groups: dict[str, list[BookInfo]] = {}
        sort_names: dict[str, str] = {}
        for book in self.by_title:
            for author in book.authors or ():
                groups.setdefault(author.name, []).append(book)
                sort_names.setdefault(author.name, author.sort_name)
        return tuple(Group(name, tuple(books)) for name, books in
                     sorted(groups.items(), key=lambda kv: fold(sort_names[kv[0]])))

    @cached_property
    def series(self) -> tuple[Group, ...]:
        groups: dict[str, list[BookInfo]] = {}
        for book in self.books:
            if book.series:
                groups.setdefault(book.series, []).append(book)
        return tuple(
            Group(name, tuple(sorted(books, key=lambda b: (b.series_index is None, b.series_index or 0, fold(b.sort_title)))))
            for name, books in sorted(groups.items(), key=lambda kv: fold(kv[0]))
        )

    @cached_property
    def tags(self) -> tuple[Group, ...]:
        groups: dict[str, list[BookInfo]] = {}
        names: dict[str, str] = {}
        for book in self.by_title:
            for tag in book.tags:
                folded = fold(tag)
                names.setdefault(folded, tag)
                groups.setdefault(folded, []).append(book)
        return tuple(Group(names[k], tuple(v)) for k, v in sorted(groups.items()))

    @cached_property
    def anthologies(self) -> tuple[BookInfo, ...]:
        return tuple(b for b in self.by_title if b.anthology)

    def group(self, kind: str, name: str) -> Group | None:
        """The author, series or tag group called `name` (tags case-blind)."""
        groups = {"authors": self.authors, "series": self.series, "tags": self.tags}[kind]
        wanted = fold(name) if kind == "tags" else name
        return next((g for g in groups if (fold(g.name) if kind == "tags" else g.name) == wanted), None)

    def search(self, query: str) -> tuple[BookInfo, ...]:
        """Books matching every word of `query` in title, authors, series, tags or description; title hits first."""
        terms = fold(query).split()
        if not terms:
            return ()
        scored = []
        for book in self.by_title:
            title = fold(" ".join(filter(None, [book.title, book.series or ""])))
            people = fold(" ".join(book.author_names))
            rest = fold(" ".join([*book.tags, book.description or "", book.publisher or ""]))
            everything = f"{title} {people} {rest}"
            if all(t in everything for t in terms):
                score = sum(2 if t in title else 1 if t in people else 0 for t in terms)
                scored.append((-score, book))
        return tuple(b for _, b in sorted(scored, key=lambda sb: sb[0]))


def page(items: Iterable, number: int, size: int) -> tuple[list, int]:
    """Items of page `number` (1-based) and the number of pages (at least 1)."""
    items = list(items)
    pages = max(1, -(-len(items) // size))
    number = min(max(1, number), pages)
    return items[(number - 1) * size: number * size], pages
