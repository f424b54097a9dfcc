"""The book's reading order: which pages exist, in what order, and how the contents nest.

Single story: cover, title page, (contents), chapters.
Anthology: cover, title page, contents, then per story its title page and chapters,
with the contents nested story -> chapters.

Chapter pages are named by what they hold, not where they stand (epub/names.py):
`ch_STEM.xhtml` in a single story, `st_STORY.xhtml` and `st_STORY_STEM.xhtml` in an
anthology, so an updated story or a grown anthology keeps every unchanged page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import StorybinderError
from ..model import Book, Chapter, Person, Story
from . import pages
from .devices import format_number
from .metadata import book_creators, language_tag
from .names import SEPARATOR, chapter_stems, story_stems
from .nav import Landmark, TocEntry
from .split import PART_BYTES, split_blocks
from .xhtml import xml_text

NAV_FILE = "nav.xhtml"


@dataclass
class Page:
    """One XHTML document in the spine; `body` for a story's own pages (not cover, title page)."""

    file_name: str
    item_id: str
    label: str
    content: bytes
    front: bool = False  # front matter (before the body's first page)
    body: bool = False  # a story's own page (not the cover, the book's title page or contents)


@dataclass
class StoryPages:
    """Which pages hold one story: its title page (anthologies only) and each chapter's pages, in order."""

    title_page: Page | None
    chapters: list[list[Page]]


@dataclass
class Layout:
    """Pages in reading order, the contents tree and the landmarks.

    `contents_at` is the spine position of the visible contents page (the nav
    document), or None when the book is too short to need one.
    """

    pages: list[Page]
    toc: list[TocEntry]
    landmarks: list[Landmark]
    contents_at: int | None = None
    cover_alt: str | None = None
    stories: list[StoryPages] = field(default_factory=list)


# Cover image types every EPUB reader must show (EPUB 3 core media types).
COVER_FILES = {"image/jpeg": "cover.jpg", "image/png": "cover.png", "image/gif": "cover.gif", "image/webp": "cover.webp"}


def cover_file_name(media_type: str) -> str:
    """The cover image's file name inside the book, by media type."""
    try:
        return COVER_FILES[media_type]
    except KeyError:
        raise StorybinderError(
            f"cover image type {media_type!r} cannot go in an EPUB", hint="convert the cover to JPEG or PNG"
        ) from None


def byline(people: list[Person]) -> str | None:
    text = pages.names(people)
    if not text:
        return None
    if people and all(p.role == "edt" for p in people):
        return f"Edited by {text}"
    return f"by {text}"


def chapter_label(story: Story, chapter: Chapter, number: int, book_title: str = "Untitled") -> str:
    """What the contents call a chapter: its title, else the story's title for a
    lone untitled chapter, else "Chapter N"."""
    title = xml_text(chapter.title).strip()
    if title:
        return title
    if chapter.kind == "notes":
        return pages.NOTES_TITLE
    if chapter.kind == "front":
        return "Front Matter"
    if len(story.body_chapters) == 1:
        return xml_text(story.metadata.title).strip() or book_title
    return f"Chapter {number}"


def plan(book: Book, lang: str) -> Layout:
    """Lay out the pages of `book` (documents in `lang` unless a story says otherwise)."""
    meta = book.metadata
    title = xml_text(meta.title).strip() or "Untitled"
    layout = Layout(pages=[], toc=[], landmarks=[])

    if book.cover is not None:
        who = pages.names(book_creators(book))
        layout.cover_alt = f"Cover of {title}" + (f" by {who}" if who else "")
        content = pages.cover_page(cover_file_name(book.cover.media_type), layout.cover_alt, lang)
        layout.pages.append(Page("cover.xhtml", "cover-page", "Cover", content))
        layout.landmarks.append(Landmark("cover", "cover.xhtml", "Cover"))

    colophon: list[tuple[str, str | None]] = []
    if meta.series:
        position = f", book {format_number(meta.series_index)}" if meta.series_index is not None else ""
        colophon.append((f"{meta.series}{position}", None))
    if meta.publisher:
        colophon.append((f"Published by {meta.publisher}", None))
    if meta.rights:
        colophon.append((meta.rights, None))
    if meta.source_url and not book.anthology:
        colophon.append((meta.source_url, meta.source_url))
    layout.pages.append(
        Page(
            "titlepage.xhtml",
            "titlepage",
            "Title Page",
            pages.title_page(
                title,
                lang,
                subtitle=meta.subtitle,
                byline=byline(book_creators(book)),
                description=meta.description,
                colophon=colophon,
            ),
        )
    )
    layout.landmarks.append(Landmark("titlepage", "titlepage.xhtml", "Title Page"))
    layout.toc.append(TocEntry("Title Page", "titlepage.xhtml"))

    if book.anthology:
        _anthology(book, lang, layout)
    else:
        # Several stories bound without story pages still need distinct file names.
        prefixes = ["ch"] if len(book.stories) == 1 else [f"st{SEPARATOR}{s}" for s in story_stems(book.stories)]
        for prefix, story in zip(prefixes, book.stories):
            layout.toc.extend(_chapters(story, lang, layout, prefix=prefix, book_title=title))

    if book.anthology or len(layout.toc) > 2:
        # A visible contents page right after the title page.
        layout.contents_at = next(i for i, p in enumerate(layout.pages) if p.item_id == "titlepage") + 1
        layout.landmarks.append(Landmark("toc", NAV_FILE, "Contents"))
    first_body = next((p for p in layout.pages if p.body and not p.front), None)
    if first_body is not None:
        layout.landmarks.append(Landmark("bodymatter", first_body.file_name, "Start of Content"))
    return layout


def _anthology(book: Book, lang: str, layout: Layout) -> None:
    for stem, story in zip(story_stems(book.stories), book.stories):
        meta = story.metadata
        story_lang = language_tag(meta.language, lang)
        title = xml_text(meta.title).strip() or "Untitled"
        item_id = f"st{SEPARATOR}{stem}"
        file_name = f"{item_id}.xhtml"
        colophon: list[tuple[str, str | None]] = []
        tags = [t for t in (xml_text(t).strip() for t in meta.tags) if t]
        if tags:
            colophon.append((", ".join(dict.fromkeys(tags)), None))
        if meta.source_url:
            colophon.append((meta.source_url, meta.source_url))
        content = pages.title_page(
            title,
            story_lang,
            subtitle=meta.subtitle,
            byline=byline(list(meta.authors)),
            description=meta.description,
            colophon=colophon,
            story=True,
        )
        page = Page(file_name, item_id, title, content, body=True)
        layout.pages.append(page)
        children = _chapters(story, story_lang, layout, prefix=item_id, title_page=page)
        if len(story.body_chapters) == 1 and len(children) == len(story.chapters):
            # A one-chapter story: its chapter entry would only repeat the story's
            # title (or "Chapter 1"); the story entry leads there already.
            first = next(i for i, c in enumerate(story.chapters) if c.kind == "chapter")
            children.pop(first)
        layout.toc.append(TocEntry(title, file_name, children))


def _chapters(
    story: Story, lang: str, layout: Layout, prefix: str, book_title: str = "Untitled", title_page: Page | None = None
) -> list[TocEntry]:
    """Add a page per chapter (more for a long one) and return the contents entries,
    level-2 chapters nested under the level-1 chapter before them."""
    entries: list[TocEntry] = []
    parent: TocEntry | None = None
    number = 0
    seen_body = False
    placed = StoryPages(title_page, [])
    for stem, chapter in zip(chapter_stems(story), story.chapters):
        if chapter.kind == "chapter":
            number += 1
            seen_body = True
        label = chapter_label(story, chapter, number, book_title)
        item_id = f"{prefix}{SEPARATOR}{stem}"
        role = "afterword" if seen_body else "preface"
        chapter_pages = _chapter_pages(chapter, label, lang, item_id, role)
        for page in chapter_pages:
            page.front, page.body = chapter.kind == "front", True
            layout.pages.append(page)
        placed.chapters.append(chapter_pages)
        entry = TocEntry(label, f"{item_id}.xhtml")
        if chapter.level >= 2 and parent is not None:
            parent.children.append(entry)
        else:
            entries.append(entry)
            parent = entry if chapter.kind == "chapter" else None
    layout.stories.append(placed)
    return entries


def _chapter_pages(chapter: Chapter, label: str, lang: str, item_id: str, role: str) -> list[Page]:
    """The chapter's page, or (a long chapter) its first page and continuation pages.

    Continuations are named after the chapter's own stable file name
    (ch_the-storm_2.xhtml, ch_the-storm_3.xhtml...; "_" never comes from a
    title, so no chapter can be given the same name): in the spine, not in the
    contents.
    """
    content = pages.chapter_page(chapter, label, lang, notes_role=role)
    if len(content) <= PART_BYTES:
        return [Page(f"{item_id}.xhtml", item_id, label, content)]
    parts = split_blocks(chapter.blocks)
    out = []
    for n, blocks in enumerate(parts, start=1):
        part = Chapter(chapter.title, blocks, kind=chapter.kind, level=chapter.level)
        page_id = item_id if n == 1 else f"{item_id}{SEPARATOR}{n}"
        data = pages.chapter_page(part, label, lang, notes_role=role, continued=n > 1)
        out.append(Page(f"{page_id}.xhtml", page_id, label, data))
    return out
