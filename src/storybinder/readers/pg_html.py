"""Project Gutenberg's HTML editions -> Story.

PG's HTML wraps the book the way its text files do: a header (since 2020 a
`<section id="pg-header">` whose `#pg-machine-header` lists Title, Author,
Release date, Language; before that the plain-text header at the top of the
page), the `*** START OF ... ***` marker, the book, the `*** END` marker and the
licence (`#pg-footer`). All of that is cut away before the book is read, and so
are what only makes sense in print or on PG's site: page numbers, the contents
list (the EPUB has its own), figures and their captions. A drop capital set as
an image (`<img alt="M">`) becomes its letter again. Transcriber's notes are set
apart in a notes section. Headings become chapters: the book's top heading
level starts chapters, and a second level of section numerals or chapters under
titled parts nests under them (a collection's stories, a novel's books).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Chapter, Heading, Metadata, Paragraph, Person, SceneBreak, Story
from .block_sink import Item, SectionStart
from .html import parse_document
from .html_blocks import items_from_html
from .pg_boilerplate import header_metadata, is_gutenberg_text
from .structure import byline_names, is_scene_break

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_TITLE_SUFFIX = re.compile(r"\s*\|\s*Project Gutenberg\s*$", re.IGNORECASE)
_TITLE_PREFIX = re.compile(r"^\s*The Project Gutenberg e-?Book of\s+", re.IGNORECASE)
_START_TEXT = re.compile(r"\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG", re.IGNORECASE)
_END_TEXT = re.compile(r"\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG|End of (?:the )?Project Gutenberg", re.IGNORECASE)
_CONTENTS = re.compile(r"^(?:table of )?contents?\.?$|^index\.?$|^table des mati[èe]res\.?$|^inhalt\.?$", re.IGNORECASE)
_ILLUSTRATIONS = re.compile(r"^(?:list of )?illustrations\.?$", re.IGNORECASE)
# Classes PG's volunteers use for what is not the book's text in an ebook.
_DROP_CLASSES = {"pagenum", "pageno", "page-number", "caption", "figcenter", "figleft", "figright", "figure", "fig",
                 "illus", "illustration", "toc", "contents", "pg-boilerplate", "footnote-marker"}
_NOTE_CLASSES = {"transnote", "tnote", "transcriber", "tn", "trans-note", "transcribernote"}
_NOTE_LABEL = re.compile(r"^transcriber['’]?s? notes?\s*[:.]?\s*", re.IGNORECASE)
_NUMERAL = re.compile(r"^(?=[IVXL])L?X{0,3}(?:IX|IV|V?I{0,3})\.?$")
_CHAPTERISH = re.compile(r"^(?:chapter|chap\.|book|part|stave|letter|adventure|canto|volume)\b", re.IGNORECASE)
_PART = re.compile(r"^(?:book|part|volume)\b", re.IGNORECASE)
_FRONT = re.compile(r"^(?:preface|foreword|introduction|dedication|notice|explanatory|au lecteur|préface)\b", re.IGNORECASE)


def is_gutenberg_html(head: str) -> bool:
    """Whether the opening of an HTML page is a Project Gutenberg edition."""
    return (
        'id="pg-header"' in head
        or "pg-boilerplate" in head
        or bool(_TITLE_SUFFIX.search(_title_tag(head)))
        or bool(_TITLE_PREFIX.match(_title_tag(head)))
        or is_gutenberg_text(re.sub(r"<[^>]+>", "", head))
    )


def _title_tag(head: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", head, re.IGNORECASE | re.DOTALL)
    return " ".join(match.group(1).split()) if match else ""


def parse_gutenberg_html(text: str, path: Path | None = None) -> Story:
    """A decoded PG HTML edition as a Story (see module docstring)."""
    from lxml import html as lxml_html

    doc = parse_document(text, path)
    metadata = _metadata(doc)
    body = doc.body if doc.find("body") is not None else doc
    _cut_boilerplate(body)
    notes = _take_notes(body)
    _tidy_figures(body)
    _drop_lists(body)
    items = items_from_html(lxml_html.tostring(body, encoding="unicode"))
    if not metadata.authors:
        metadata = metadata.merged(_byline(items))
    chapters = _chapters(items, metadata)
    if notes:
        chapters.append(Chapter("Transcriber's Note", notes, kind="notes"))
    return Story(metadata=metadata, chapters=chapters, source=path)


# Metadata -----------------------------------------------------------------------------


def _metadata(doc: HtmlElement) -> Metadata:
    machine = doc.xpath("//*[@id='pg-machine-header']")
    if machine:
        lines = [" ".join(p.text_content().split()) for p in machine[0].iter("p", "div") if not len(p.xpath(".//p"))]
        found = header_metadata("\n".join(lines))
    else:
        # Older editions: the plain-text header at the top of the page, up to the start marker.
        whole = doc.text_content()
        marker = _START_TEXT.search(whole)
        found = header_metadata(whole[: marker.start()] if marker else whole[:20_000])
    title_tag = " ".join(" ".join(doc.xpath("//head/title//text()")).split())
    fallback = _TITLE_PREFIX.sub("", _TITLE_SUFFIX.sub("", title_tag)).split(", by ")[0].strip() or None
    lang = (doc.get("lang") or doc.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip() or None
    return Metadata(title=fallback, language=lang).merged(found)


def _byline(items: list[Item]) -> Metadata:
    """A "by NAME" heading or paragraph near the top (editions whose header was cut off)."""
    for item in items[:15]:
        names = byline_names(item.text) if isinstance(item, (Heading, Paragraph)) else ()
        if names:
            return Metadata(authors=tuple(Person(n) for n in names))
    return Metadata()


# Boilerplate, notes, figures, lists ----------------------------------------------------------


def _cut_boilerplate(body: HtmlElement) -> None:
    """Remove PG's header and footer sections, or everything up to the start marker and from the end marker."""
    for element in body.xpath(".//*[@id='pg-header' or @id='pg-footer' or contains(@class, 'pg-boilerplate')]"):
        element.drop_tree()
    children = [child for child in body if isinstance(child.tag, str)]
    start = next((i for i, child in enumerate(children) if _START_TEXT.search(child.text_content() or "")), None)
    if start is not None:
        for child in children[: start + 1]:
            body.remove(child)
        body.text = None
    children = [child for child in body if isinstance(child.tag, str)]
    end = next((i for i, child in enumerate(children) if _END_TEXT.search(child.text_content() or "")), None)
    if end is not None:
        for child in children[end:]:
            body.remove(child)


def _classes(element: HtmlElement) -> set[str]:
    return set((element.get("class") or "").lower().split())


def _take_notes(body: HtmlElement) -> list[Paragraph]:
    """Transcriber's notes, out of the text, as paragraphs for a notes section."""
    notes: list[Paragraph] = []
    for element in body.iter():
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if _classes(element) & _NOTE_CLASSES or (element.get("id") or "").lower() in ("tn", "transnote"):
            from lxml import html as lxml_html

            for item in items_from_html(lxml_html.tostring(element, encoding="unicode")):
                label = _NOTE_LABEL.match(item.text) if isinstance(item, Paragraph) else None
                if label and label.end() < len(item.text):
                    notes.append(item.replace(0, label.end(), ""))
                elif isinstance(item, Paragraph) and not label:
                    notes.append(item)
            element.drop_tree()
    return notes


def _tidy_figures(body: HtmlElement) -> None:
    """Drop figures, captions and page numbers; a drop capital or a heading set as an image becomes its alt text."""
    for img in list(body.iter("img")):
        alt = (img.get("alt") or "").strip()
        in_heading = any(a.tag in ("h1", "h2", "h3", "h4", "h5", "h6") for a in img.iterancestors())
        words = alt.lower()
        heading_text = in_heading and len(alt) <= 60 and "[" not in alt and "image" not in words and not words.endswith((".jpg", ".png", ")"))
        if alt and (len(alt) <= 2 and alt.isalpha() or heading_text):
            _replace_with_text(img, alt)
    for element in list(body.iter()):
        if isinstance(element.tag, str) and element.getparent() is not None and _classes(element) & _DROP_CLASSES:
            element.drop_tree()


def _replace_with_text(element: HtmlElement, text: str) -> None:
    parent = element.getparent()
    previous = element.getprevious()
    tail = (element.tail or "")
    if previous is not None:
        previous.tail = (previous.tail or "") + text + tail
    else:
        parent.text = (parent.text or "") + text + tail
    parent.remove(element)


def _drop_lists(body: HtmlElement) -> None:
    """The contents list (and a list of illustrations): a heading naming it and the links under it."""
    for heading in list(body.xpath(".//h1|.//h2|.//h3|.//h4|.//p")):
        label = " ".join(heading.text_content().split())
        if not (_CONTENTS.match(label) or _ILLUSTRATIONS.match(label)):
            continue
        sibling = heading.getnext()
        heading.drop_tree()
        while sibling is not None and _is_link_list(sibling):
            following = sibling.getnext()
            sibling.drop_tree()
            sibling = following
    # A list of in-book links left anywhere else (a table of chapter links).
    for element in list(body.xpath(".//table|.//ul|.//ol|.//div")):
        if element.getparent() is not None and _is_link_list(element) and len(element.xpath(".//a[starts-with(@href, '#')]")) >= 3:
            element.drop_tree()


def _is_link_list(element: HtmlElement) -> bool:
    """An element whose words are mostly the text of links inside the book (a contents entry or list)."""
    if not isinstance(element.tag, str):
        return False
    words = len(element.text_content().split())
    links = element.xpath(".//a[starts-with(@href, '#') or contains(@href, '.htm#')]")
    linked = sum(len(a.text_content().split()) for a in links)
    return bool(links) and linked >= 0.5 * words or (words == 0 and element.tag in ("p", "br", "div"))


# Chapters ------------------------------------------------------------------------------------


def _chapters(items: list[Item], metadata: Metadata) -> list[Chapter]:
    """Chapters from the headings: the top level starts chapters; a second level nests under titled parts."""
    items = [SceneBreak(i.text.strip()) if isinstance(i, Paragraph) and is_scene_break(i.text) else i for i in items]
    headings = [i for i in items if isinstance(i, Heading) and i.text.strip() and i.level <= 4]
    title = (metadata.title or "").casefold()
    names = {a.name.casefold() for a in metadata.authors}
    # The title page's headings: the book's title, its byline, an edition line before the first chapter.
    def is_title_page(h: Heading) -> bool:
        text = h.text.strip().casefold()
        return text == title or text.rstrip(".") == title or bool(byline_names(h.text)) or text in names
    levels = sorted({h.level for h in headings if not is_title_page(h)})
    top = _top_level(headings, levels, is_title_page)
    second = next((level for level in levels if level > top), None) if top is not None else None
    tops = [h for h in headings if h.level == top]
    titled_parts = any(_PART.match(h.text) or not (_CHAPTERISH.match(h.text) or _NUMERAL.match(h.text)) for h in tops)
    nests = second is not None and titled_parts and any(
        _NUMERAL.match(h.text.strip()) or _CHAPTERISH.match(h.text) for h in headings if h.level == second
    )
    chapters: list[Chapter] = []
    current: Chapter | None = None
    for item in items:
        if isinstance(item, SectionStart):
            continue
        if isinstance(item, Heading) and top is not None:
            if current is None and is_title_page(item):
                continue
            if item.level == top or (nests and item.level == second):
                level = 2 if item.level != top else 1
                kind = "front" if level == 1 and not chapters_started(chapters) and _FRONT.match(item.text) else "chapter"
                current = Chapter(" ".join(item.text.split()), [], kind=kind, level=level)
                chapters.append(current)
                continue
            if item.level < top:
                continue  # the title page's own headings
            if current is not None:
                current.blocks.append(Heading(item.text, item.spans, min(6, 3 + item.level - (second or top))))
            continue
        if current is None:
            if top is None:
                current = Chapter(None, [])
                chapters.append(current)
            else:
                continue  # the title page before the first chapter
        if isinstance(item, SceneBreak) and (not current.blocks or isinstance(current.blocks[-1], SceneBreak)):
            continue
        current.blocks.append(item)
    for chapter in chapters:
        while chapter.blocks and isinstance(chapter.blocks[-1], SceneBreak):
            chapter.blocks.pop()
    return _without_title_page([c for c in chapters if c.blocks or c.title])


def chapters_started(chapters: list[Chapter]) -> bool:
    return any(c.kind == "chapter" and _words(c) >= _TITLE_PAGE_WORDS for c in chapters)


# Headings with fewer words under them than this, before a preface, are the title page's.
_TITLE_PAGE_WORDS = 40


def _words(chapter: Chapter) -> int:
    return sum(len(getattr(b, "text", "").split()) for b in chapter.blocks)


def _without_title_page(chapters: list[Chapter]) -> list[Chapter]:
    """Drop the title page's headings (a series line, "ILLUSTRATED") set before the front matter."""
    first_front = next((i for i, c in enumerate(chapters) if c.kind == "front"), None)
    if first_front is None:
        return chapters
    lead = chapters[:first_front]
    if all(c.level == 1 and _words(c) < _TITLE_PAGE_WORDS for c in lead):
        return chapters[first_front:]
    return chapters


def _top_level(headings: list[Heading], levels: list[int], is_title_page) -> int | None:
    """The heading level that starts chapters: the highest one used more than once (not by the title page)."""
    for level in levels:
        if sum(1 for h in headings if h.level == level and not is_title_page(h)) >= 2:
            return level
    return levels[0] if levels else None
