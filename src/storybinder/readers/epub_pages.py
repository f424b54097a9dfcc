"""What each page of an EPUB is for: the story's text, or what a site or tool put around it.

Cover pages, title pages, contents pages, calibre's metadata jacket and
FanFicFare's update log are recognised here by the marks their makers leave
(`epub:type`, FanFicFare's `fff_*` body classes, calibre's `calibre-content`
meta, pandoc's `titlepage` section, fimfiction's "Written by" title page) or,
for tools we do not know, by having nothing but the book's own metadata or
links to its chapters in them. What such pages say that the package document
does not (fimfiction's long description and tags, FanFicFare's summary and
status) is read off them; the pages themselves never become chapters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Metadata
from .epub_documents import Document, images_and_text
from .epub_opf import description_text

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# epub:type values of pages that hold no story text.
_FRONT_TYPES = {"cover": "cover", "titlepage": "titlepage", "halftitlepage": "titlepage", "toc": "toc", "copyright-page": "titlepage"}
# epub:type values (EPUB 3 Structural Semantics) of notes set apart from the story,
# and of front matter (what comes before the story proper: a preface, a dedication).
NOTES_TYPES = frozenset({"afterword", "acknowledgments", "footnotes", "endnotes", "rearnotes"})
FRONT_TYPES = frozenset({"preface", "foreword", "introduction", "dedication", "epigraph", "prologue"})
# Classes sites give the box an author's note sits in (fimfiction's EPUB writes "afterward").
NOTE_CLASSES = frozenset({"authors-note", "author-note", "authorsnote", "authornote", "afterward", "foreward", "foreword", "afterword", "notes"})
_CONTENTS = re.compile(r"^(?:table of )?contents$|^toc$|^index$", re.IGNORECASE)
_WRITTEN_BY = re.compile(r"^\s*(?:written\s+)?by\s+\S", re.IGNORECASE)
_FFF_LABEL = re.compile(r"^\s*([^:]{1,40}):\s*$")


@dataclass
class PageFacts:
    """What the recognised pages said about the story."""

    metadata: Metadata = field(default_factory=Metadata)


def classify(doc: Document, *, cover_page: str | None, title: str | None, chapters_linked: set[str]) -> str:
    """The role of a spine document (see Document.role)."""
    if doc.role == "nav":
        return "nav"
    classes = doc.classes()
    types = doc.epub_types()
    if doc.name == cover_page or doc.meta("calibre:cover") == "true" or "fff_coverpage" in classes:
        return "cover"
    if doc.meta("calibre-content") == "jacket" or doc.body.find_class("cbj_banner"):
        return "jacket"
    if "fff_titlepage" in classes:
        return "titlepage"
    if "fff_tocpage" in classes:
        return "toc"
    if "fff_logpage" in classes:
        return "log"
    if doc.body.find_class("story-title") and "part" in types:
        return "part"  # an anthology's story page (ours)
    for kind, role in _FRONT_TYPES.items():
        if kind in types and not (kind == "toc" and doc.role != "nav" and not _mostly_links(doc, chapters_linked)):
            return role
    images, text = images_and_text(doc)
    if images and text < 40:
        return "cover"
    if _pandoc_title_page(doc) or _fimfiction_title_page(doc, title):
        return "titlepage"
    if _mostly_links(doc, chapters_linked) and _has_contents_heading(doc):
        return "toc"
    return "body"


def looks_like_title_page(doc: Document, meta: Metadata) -> bool:
    """A short page before the story made only of what the metadata says (title, byline, blurb)."""
    text = doc.text()
    if not text or len(text) > 600 or not meta.title or meta.title.casefold() not in text.casefold():
        return False
    rest = text.casefold()
    for known in [meta.title, meta.subtitle, meta.description, meta.publisher, meta.rights, meta.series, *(p.name for p in meta.authors)]:
        if known:
            rest = rest.replace(" ".join(known.split()).casefold(), " ")
    rest = re.sub(r"\b(?:by|and|written|edited|copyright|published|all rights reserved)\b|[\W\d_]+", " ", rest)
    return len(rest.split()) <= 3


def _pandoc_title_page(doc: Document) -> bool:
    """pandoc's EPUB 2 title page: an h1.title and p.author and nothing much else."""
    return bool(doc.body.find_class("title")) and bool(doc.body.find_class("author")) and len(doc.text()) < 600


def _fimfiction_title_page(doc: Document, title: str | None) -> bool:
    """fimfiction's title.html: the story's title as h1, a "Written by" line, tags, the description."""
    h1 = doc.body.find(".//h1")
    if h1 is None or not title or " ".join(h1.text_content().split()).casefold() != " ".join(title.split()).casefold():
        return False
    return any(_WRITTEN_BY.match(p.text_content()) for p in doc.body.iter("p")) and doc.body.find(".//h2") is not None


def _has_contents_heading(doc: Document) -> bool:
    heading = next(iter(doc.body.iter("h1", "h2", "h3", "h4", "p", "b")), None)
    return heading is not None and bool(_CONTENTS.match(" ".join(heading.text_content().split())))


def _mostly_links(doc: Document, chapters: set[str]) -> bool:
    """Most of the page's text is links to other documents of the book (a contents page)."""
    links = [a for a in doc.body.iter("a") if a.get("href") and not a.get("href", "").startswith(("http:", "https:", "mailto:", "#"))]
    if len(links) < 2:
        return False
    linked = sum(len(a.text_content().strip()) for a in links)
    return linked >= 0.6 * max(1, len(doc.text()))


# ---- what recognised pages say ------------------------------------------------


def page_facts(doc: Document, role: str) -> Metadata:
    """Metadata a recognised page holds that the package document may lack."""
    if role != "titlepage":
        return Metadata()
    if "fff_titlepage" in doc.classes():
        return _fanficfare_title_page(doc)
    if doc.body.find(".//h1") is not None and any(_WRITTEN_BY.match(p.text_content()) for p in doc.body.iter("p")):
        return _fimfiction_facts(doc)
    return Metadata()


def _fimfiction_facts(doc: Document) -> Metadata:
    """fimfiction's title page: tags as a list, then "Description" and the long description."""
    from lxml import html as lxml_html

    tags = tuple(t for t in (" ".join(li.text_content().split()) for li in doc.body.iter("li")) if t)
    heading = next((h for h in doc.body.iter("h2") if " ".join(h.text_content().split()).lower() == "description"), None)
    description = None
    if heading is not None:
        parts = []
        for sibling in heading.itersiblings():
            parts.append(lxml_html.tostring(sibling, encoding="unicode"))
        description = description_text("".join(parts) or None)
    return Metadata(tags=tags, description=description)


def _fanficfare_title_page(doc: Document) -> Metadata:
    """FanFicFare's title page: `<b>Label:</b> value` lines (or table rows) of the story's metadata."""
    fields = fanficfare_fields(doc.body)
    status = fields.get("status", "").lower()
    tags: list[str] = []
    for key in ("category", "genre", "characters", "relationships", "ships", "freeform tags", "fandoms", "fandom"):
        tags += [t.strip() for t in re.split(r",\s*", fields.get(key, "")) if t.strip()]
    return Metadata(
        description=description_text(fields.get("summary_html") or fields.get("summary")),
        status=("complete" if status.startswith("complete") else "in progress" if "progress" in status else None),
        rating=fields.get("rating") or None,
        tags=tuple(dict.fromkeys(tags)),
    )


def fanficfare_fields(body: HtmlElement) -> dict[str, str]:
    """label (lower case) -> text of FanFicFare's title page entries; "summary_html" keeps the summary's markup."""
    from lxml import html as lxml_html

    out: dict[str, str] = {}
    for bold in body.iter("b"):
        match = _FFF_LABEL.match(bold.text_content())
        if not match:
            continue
        label = match.group(1).strip().lower()
        cell = bold.getparent()
        if cell is not None and cell.tag == "td" and cell.getnext() is not None:
            value_html = lxml_html.tostring(cell.getnext(), encoding="unicode")
            value = cell.getnext().text_content()
        else:
            # "<b>Label:</b> value<br/>": the text up to the next line break.
            pieces, html_pieces = [bold.tail or ""], [bold.tail or ""]
            for sibling in bold.itersiblings():
                if sibling.tag in ("br", "b"):
                    break
                pieces.append(sibling.text_content() + (sibling.tail or ""))
                html_pieces.append(lxml_html.tostring(sibling, encoding="unicode"))
            value, value_html = "".join(pieces), "".join(html_pieces)
        out.setdefault(label, " ".join(value.split()))
        if label == "summary":
            out.setdefault("summary_html", value_html)
    return out


_BYLINE = re.compile(r"^\s*(?:edited\s+)?by\s+(.+)$", re.IGNORECASE)
_NAMES = re.compile(r"\s*,\s*|\s+and\s+")


def story_page_facts(doc: Document) -> Metadata:
    """An anthology's story title page: title, subtitle, byline, description, tags and source line."""
    from ..model import Person

    def texts(cls: str) -> list[str]:
        return [" ".join(e.text_content().split()) for e in doc.body.find_class(cls)]

    from .structure import byline_names

    h1 = doc.body.find(".//h1")
    byline = next((m.group(1) for t in texts("byline") if (m := _BYLINE.match(t))), None)
    if byline is None:
        # Another tool's story page: the first "by NAME" line.
        names = next((n for p in doc.body.iter("p", "div", "h2", "h3", "h4") if (n := byline_names(" ".join(p.text_content().split())))), ())
        byline = " and ".join(names) or None
    links = [a.get("href") for e in doc.body.find_class("colophon") for a in e.iter("a") if a.get("href")]
    plain = [t for e in doc.body.find_class("colophon") if e.find(".//a") is None for t in [" ".join(e.text_content().split())] if t]
    return Metadata(
        title=" ".join(h1.text_content().split()) if h1 is not None else None,
        subtitle=next(iter(texts("subtitle")), None),
        authors=tuple(Person(n) for n in _NAMES.split(byline) if n.strip()) if byline else (),
        description="\n\n".join(texts("description")) or None,
        tags=tuple(t.strip() for t in plain[0].split(",") if t.strip()) if plain else (),
        source_url=links[0] if links else None,
    )


def has_byline(doc: Document) -> bool:
    """A short page with a "by NAME" line: a story's own title page in an anthology."""
    from .structure import byline_names

    if len(doc.text()) > 1500:
        return False
    return any(byline_names(" ".join(p.text_content().split())) for p in doc.body.iter("p", "div", "h2", "h3", "h4"))
