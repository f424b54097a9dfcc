"""HTML and XHTML -> Story, including fimfiction's and AO3's HTML downloads.

Metadata comes from the page's own markup (`<title>`, `<meta name="author">`,
`<meta name="description">`, keywords, `lang`; AO3's preface: title, `rel="author"`
byline, Summary, tags, series, dates). The body is sanitised (see html_blocks)
before any of it becomes text; class-based styling (Google Docs exports) is first
moved onto the elements (class_styles). AO3's chapters and fimfiction's `<article>`s
are explicit chapters; their notes become set-apart notes chapters; other
pages get chapters from their headings (see assemble).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import StorybinderError
from ..model import Metadata, Person, Story
from .assemble import assemble
from .block_sink import Item, SectionStart
from .class_styles import inline_class_styles
from .html_blocks import items_from_html, xml_safe
from .text_file import Decoded, detect_encoding, read_bytes, without_controls

if TYPE_CHECKING:
    from lxml.html import HtmlElement

SUFFIXES = frozenset({".html", ".htm", ".xhtml"})

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# An XHTML DOCTYPE with an internal subset (entity declarations): the HTML
# parser never expands those entities, but would show the subset as text.
_DOCTYPE_SUBSET = re.compile(r"^\s*<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.DOTALL | re.IGNORECASE)
_BYLINE = re.compile(r"^\s*by\s+(.+?)\s*$", re.IGNORECASE | re.DOTALL)
_SERIES = re.compile(r"Part\s+(\d+)\s+of\s+(.+)", re.IGNORECASE)
_PUBLISHED = re.compile(r"Published:\s*(\d{4}-\d{2}-\d{2})")
_CHAPTER_COUNT = re.compile(r"Chapters:\s*(\d+)/(\d+|\?)")
# AO3 names languages in their own words; the common ones, as BCP 47 tags.
_AO3_LANGUAGES = {
    "english": "en", "español": "es", "français": "fr", "deutsch": "de", "italiano": "it",
    "português brasileiro": "pt-BR", "português europeu": "pt-PT", "polski": "pl", "nederlands": "nl",
    "русский": "ru", "日本語": "ja", "中文-普通话 國語": "zh", "한국어": "ko", "suomi": "fi", "svenska": "sv",
}
_AO3_TAG_FIELDS = ("fandom", "fandoms", "relationship", "relationships", "character", "characters", "additional tags")


def detect(path: Path) -> bool:
    """Any .html/.htm/.xhtml file is read as HTML."""
    return True


def read(path: Path) -> Story:
    """Read an HTML page (generic, fimfiction or AO3 download) into a Story."""
    decoded = decode_html(read_bytes(path), path)
    story = parse_html(decoded.text, path)
    story.warnings += decoded.warnings(path)
    return story


def decode_html(data: bytes, path: Path) -> Decoded:
    """Decode an HTML file: BOM, valid UTF-8, its declared charset, or the detector (stray controls removed)."""
    data, removed = without_controls(data, path)
    encoding = detect_encoding(data, path)
    declared = _META_CHARSET.search(data[:4096])
    if encoding not in ("utf-8", "utf-8-sig") and not encoding.startswith("utf-") and declared:
        encoding = _codec(declared.group(1).decode("ascii", "replace")) or encoding
    if encoding in ("latin_1", "ascii"):
        encoding = "cp1252"  # what browsers do with a declared ISO-8859-1
    return Decoded(data.decode(encoding, errors="replace").replace("\r\n", "\n"), removed)


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def parse_document(text: str, path: Path | None = None) -> HtmlElement:
    """Decoded HTML as an lxml document (not yet sanitised), or a clear StorybinderError."""
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(huge_tree=True)
    try:
        markup = _DOCTYPE_SUBSET.sub("", _XML_DECLARATION.sub("", xml_safe(text), count=1), count=1)
        doc = lxml_html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError):
        raise StorybinderError("the HTML file has no content", path=path) from None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        # libxml2 stops at 2048 levels and would silently drop the rest of the text.
        raise StorybinderError("the HTML nests its elements too deeply to read", path=path, hint="re-save it from an editor")
    return doc


def parse_html(text: str, path: Path | None = None) -> Story:
    """Parse decoded HTML into a Story (see module docstring)."""
    doc = parse_document(text, path)
    inline_class_styles(doc)
    if _is_ao3(doc):
        metadata, items = _ao3(doc)
    elif doc.xpath("//article[.//header//h1 or .//h1]"):
        metadata, items = _fimfiction(doc)
    else:
        metadata, items = _page_metadata(doc), _body_items(doc)
    result = assemble(items, known_title=metadata.title)
    return Story(metadata=result.metadata.merged(metadata), chapters=result.chapters, source=path)


def _text(element: HtmlElement | None) -> str:
    return " ".join(element.text_content().split()) if element is not None else ""


def _first(doc: HtmlElement, xpath: str) -> HtmlElement | None:
    found = doc.xpath(xpath)
    return found[0] if found else None


def _meta(doc: HtmlElement, *names: str) -> str | None:
    for name in names:
        for element in doc.xpath("//meta[@name or @property]"):
            key = (element.get("name") or element.get("property") or "").lower()
            if key == name and (element.get("content") or "").strip():
                return " ".join(element.get("content").split())
    return None


def _fragment(element: HtmlElement) -> str:
    from lxml import html as lxml_html

    return lxml_html.tostring(element, encoding="unicode")


def _inner_items(element: HtmlElement) -> list[Item]:
    """The sanitised blocks of an element's content."""
    return items_from_html(_fragment(element))


def _description(element: HtmlElement | None) -> str | None:
    """An element's paragraphs as plain text, one per line."""
    if element is None:
        return None
    lines = [item.text for item in _inner_items(element) if hasattr(item, "text")]
    return "\n".join(lines) or None


# Generic pages -----------------------------------------------------------------


def _page_metadata(doc: HtmlElement) -> Metadata:
    title = _meta(doc, "og:title", "dc.title", "title") or _text(_first(doc, "//head/title")) or None
    headings = doc.xpath("//body//h1")
    if title and len(headings) == 1 and _text(headings[0]) and _text(headings[0]).casefold() in title.casefold():
        title = _text(headings[0])  # "<title>The Story | Some Site</title>" over "<h1>The Story</h1>"
    author = _meta(doc, "author", "dc.creator", "article:author")
    authors = tuple(Person(a) for a in _split_names(author)) if author else _rel_authors(doc)
    keywords = _meta(doc, "keywords")
    return Metadata(
        title=title,
        authors=authors,
        description=_meta(doc, "description", "og:description", "dc.description"),
        tags=tuple(k.strip() for k in keywords.split(",") if k.strip()) if keywords else (),
        language=(doc.get("lang") or doc.get("xml:lang") or "").strip() or None,
    )


def _split_names(text: str) -> list[str]:
    return [n.strip() for n in re.split(r"\s*(?:,|;|\band\b|&)\s*", text) if n.strip()]


def _rel_authors(doc: HtmlElement) -> tuple[Person, ...]:
    names = [_text(a) for a in doc.xpath("//a[@rel='author']")]
    return tuple(Person(n) for n in dict.fromkeys(names) if n)


def _body_items(doc: HtmlElement) -> list[Item]:
    body = doc.body if doc.find("body") is not None else doc
    return _inner_items(body)


# fimfiction's HTML download ---------------------------------------------------


def _fimfiction(doc: HtmlElement) -> tuple[Metadata, list[Item]]:
    """One <article> per chapter, its title in <header><h1>; author's notes in <aside>."""
    metadata = _page_metadata(doc)
    articles = doc.xpath("//article")
    story_header = _first(doc, "//body//header[not(ancestor::article)]")
    if story_header is not None:
        heading = _first(story_header, ".//h1")
        byline = next((m for h in story_header.xpath(".//h2|.//p|.//div") if (m := _BYLINE.match(_text(h)))), None)
        metadata = metadata.merged(
            Metadata(
                title=_text(heading) or None,
                authors=tuple(Person(n) for n in _split_names(byline.group(1))) if byline else (),
            )
        )
    description = _first(doc, "//*[not(ancestor::article)][contains(@class, 'description') or contains(@id, 'description')]")
    if description is not None:
        metadata = metadata.merged(Metadata(description=_description(description)))
    items: list[Item] = []
    for article in articles:
        header = _first(article, "./header")
        title_element = _first(header, ".//h1") if header is not None else _first(article, "./h1")
        title = _text(title_element) or None
        for part in [header if header is not None else title_element, *article.xpath("./footer")]:
            if part is not None:
                _remove(part)
        notes_before: list[Item] = []
        notes_after: list[Item] = []
        seen_text = bool((article.text or "").strip())
        for child in list(article):
            if child.tag == "aside":
                # A note above the chapter text is read first; one below, after it.
                (notes_after if seen_text else notes_before).extend(_aside_notes(child))
                _remove(child)
            elif _text(child):
                seen_text = True
        items += notes_before
        items.append(SectionStart(title))
        items += _inner_items(article)
        items += notes_after
    return metadata, items


def _aside_notes(aside: HtmlElement) -> list[Item]:
    heading = _first(aside, ".//h1|.//h2|.//b")
    title = _text(heading).rstrip(":") or "Author's Note"
    if heading is not None:
        _remove(heading)
    return [SectionStart(title, "notes"), *_inner_items(aside)]


def _remove(element: HtmlElement) -> None:
    """Drop an element but keep the text that follows it."""
    element.drop_tree()


# AO3's HTML download -------------------------------------------------------------


def ao3_download(doc: HtmlElement) -> tuple[Metadata, list[Item]]:
    """AO3's download markup (a page, or an EPUB's pages put back together) -> metadata and items."""
    return _ao3(doc)


def _is_ao3(doc: HtmlElement) -> bool:
    return doc.get_element_by_id("chapters", None) is not None and doc.get_element_by_id("preface", None) is not None


def _ao3(doc: HtmlElement) -> tuple[Metadata, list[Item]]:
    preface = doc.get_element_by_id("preface")
    metadata = _ao3_metadata(doc, preface)
    items: list[Item] = []
    items += _labelled_notes(preface, {"notes": "Notes"})
    chapters = doc.get_element_by_id("chapters")
    for landmark in chapters.xpath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' landmark ')]"):
        _remove(landmark)
    headed = chapters.xpath("./div[contains(concat(' ', normalize-space(@class), ' '), ' meta ')][.//h2 or .//h3]")
    if not headed:
        items.append(SectionStart(None))
        items += _inner_items(chapters)
    else:
        items += _ao3_chapters(chapters)
    afterword = doc.get_element_by_id("afterword", None)
    if afterword is not None:
        items += _labelled_notes(afterword, {"end notes": "End Notes", "chapter end notes": "Chapter End Notes"})
    return metadata, items


def _ao3_chapters(chapters: HtmlElement) -> list[Item]:
    """A multi-chapter work: per chapter a meta group (heading, summary, notes), the text, end notes."""
    items: list[Item] = []
    for child in chapters:
        if not isinstance(child.tag, str):
            continue  # AO3's <!--chapter content--> markers
        classes = (child.get("class") or "").split()
        if (child.get("id") or "").startswith("endnotes"):
            items += _labelled_notes(child, {"chapter end notes": "Chapter End Notes"})
        elif "meta" in classes:
            items += _labelled_notes(child, {"chapter summary": "Chapter Summary", "chapter notes": "Chapter Notes"})
            items.append(SectionStart(_text(_first(child, ".//h2|.//h3")) or None))
        elif "userstuff" in classes:
            items += _inner_items(child)
    return items


def _ao3_metadata(doc: HtmlElement, preface: HtmlElement) -> Metadata:
    fields = {_text(dt).rstrip(":").lower(): dd for dt in preface.xpath(".//dl//dt") if (dd := dt.getnext()) is not None}
    tags = [_text(a) for key in _AO3_TAG_FIELDS if key in fields for a in (fields[key].xpath(".//a") or [fields[key]])]
    series = _SERIES.search(_text(fields.get("series"))) if "series" in fields else None
    stats = _text(fields.get("stats")) if "stats" in fields else ""
    published = _PUBLISHED.search(stats)
    count = _CHAPTER_COUNT.search(stats)
    language = _text(fields.get("language")) if "language" in fields else ""
    source = _first(preface, ".//a[contains(@href, '/works/')]")
    summary = _label_block(preface, "summary")
    return Metadata(
        title=_text(_first(preface, ".//h1")) or _text(_first(preface, ".//b")) or None,
        authors=_rel_authors(doc),
        description=_description(summary),
        tags=tuple(t for t in dict.fromkeys(tags) if t),
        language=_AO3_LANGUAGES.get(language.lower()) or (doc.get("lang") or None),
        series=series.group(2).strip() if series else None,
        series_index=float(series.group(1)) if series else None,
        date=published.group(1) if published else None,
        rating=_text(fields.get("rating")) or None if "rating" in fields else None,
        status=("complete" if count.group(1) == count.group(2) else "in progress") if count else None,
        source_url=source.get("href") if source is not None else None,
    )


def _label_block(container: HtmlElement, label: str) -> HtmlElement | None:
    """The block quote AO3 sets after a label paragraph ("Summary", "Notes")."""
    for p in container.xpath(".//p|.//h3|.//h2"):
        if _text(p).rstrip(":").lower() == label:
            following = p.getnext()
            if following is not None and following.tag == "blockquote":
                return following
    return None


def _labelled_notes(container: HtmlElement, labels: dict[str, str]) -> list[Item]:
    """Notes chapters for each `label` block quote found in `container`."""
    items: list[Item] = []
    for label, title in labels.items():
        block = _label_block(container, label)
        if block is not None:
            notes = _inner_items(block)
            if notes:
                items.append(SectionStart(title, "notes"))
                items += notes
    return items
