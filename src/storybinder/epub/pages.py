"""The XHTML pages of a book: cover, title pages, chapters. Each returns finished bytes."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Chapter, Person
from .xhtml import document, element, epub_type, render_blocks, safe_href, serialize, text_paragraphs, xml_text

STYLESHEET = "style.css"
NOTES_TITLE = "Author's Notes"


def names(people: Sequence[Person]) -> str:
    """The people's names as "A", "A and B", "A, B and C"."""
    return join_names([xml_text(p.name).strip() for p in people])


def join_names(names: Sequence[str]) -> str:
    """"A", "A and B", "A, B and C" (empty names skipped)."""
    items = [n for n in names if n]
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def cover_page(image_href: str, alt: str, lang: str) -> bytes:
    """A page showing only the cover image, with alt text for screen readers."""
    html, body = document("Cover", lang, STYLESHEET, body_class="cover")
    section = epub_type(element(body, "section"), "cover")
    div = element(section, "div", class_="cover")
    element(div, "img", src=image_href, alt=alt, role="doc-cover")
    return serialize(html)


def title_page(
    title: str,
    lang: str,
    *,
    subtitle: str | None = None,
    byline: str | None = None,
    description: str | None = None,
    colophon: Sequence[tuple[str, str | None]] = (),
    story: bool = False,
) -> bytes:
    """The book's title page, or (story=True) an anthology story's own title page.

    `colophon` is (text, link) pairs shown small under the description.
    """
    html, body = document(title, lang, STYLESHEET)
    if story:
        section = element(body, "section", class_="story-title", role="doc-part", id="story")
        epub_type(section, "part")
    else:
        section = epub_type(element(body, "section", class_="titlepage", id="titlepage"), "titlepage")
    element(section, "h1", title, class_="title")
    if subtitle:
        element(section, "p", subtitle, class_="subtitle")
    if byline:
        element(section, "p", byline, class_="byline")
    text_paragraphs(section, description, class_="description")
    for text, link in colophon:
        p = element(section, "p", None if safe_href(link) else text, class_="colophon")
        if safe_href(link):
            element(p, "a", text, href=safe_href(link))
    return serialize(html)


# The EPUB structural type (and DPUB-ARIA role) of front matter, by its title's first word.
_FRONT_TYPES = {
    "preface": ("preface", "doc-preface"),
    "foreword": ("foreword", "doc-foreword"),
    "introduction": ("introduction", "doc-introduction"),
    "dedication": ("dedication", "doc-dedication"),
    "epigraph": ("epigraph", "doc-epigraph"),
    "prologue": ("prologue", "doc-prologue"),
}


def chapter_page(
    chapter: Chapter, label: str, lang: str, *, notes_role: str = "afterword", continued: bool = False
) -> bytes:
    """One chapter (or author's notes section) as its own document.

    `notes_role` is "preface" for notes placed before the story, else "afterword".
    `continued` marks a later part of a chapter split over several files: it
    repeats no heading. A level-1 chapter with no blocks is a part's title page.
    """
    html, body = document(label, lang, STYLESHEET)
    heading = xml_text(chapter.title).strip()
    if chapter.kind == "notes":
        section = element(body, "section", class_="notes", role=f"doc-{notes_role}", id="notes")
        epub_type(section, notes_role)
        heading = heading or NOTES_TITLE
    elif chapter.kind == "front":
        words = heading.lower().split()
        kind, role = _FRONT_TYPES.get(words[0].strip(".:") if words else "", ("frontmatter", None))
        section = element(body, "section", class_="front", role=role, id="front")
        epub_type(section, kind)
    elif not chapter.blocks and chapter.level == 1 and heading:
        section = element(body, "section", class_="part", role="doc-part", id="part")
        epub_type(section, "part")
        element(section, "h1", heading, class_="part-title", id="part-title")
        section.set("aria-labelledby", "part-title")
        return serialize(html)
    else:
        section = element(body, "section", class_="chapter", role="doc-chapter", id="chapter")
        epub_type(section, "chapter")
    if heading and not continued:
        element(section, "h2", heading, id="chapter-title")
        section.set("aria-labelledby", "chapter-title")
    else:
        section.set("aria-label", xml_text(f"{label} (continued)" if continued else label))
    render_blocks(section, chapter.blocks)
    return serialize(html)
