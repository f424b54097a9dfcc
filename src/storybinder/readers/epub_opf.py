"""An EPUB's package document (OPF) -> Metadata: what the book says about itself.

EPUB 2 and 3 say the same things differently: roles and sort names as
`opf:role`/`opf:file-as` attributes or as `<meta refines>`; the series as
`belongs-to-collection` or calibre's `calibre:series` metas; the cover as a
`cover-image` item, a `<meta name="cover">` or the guide's cover page. Every
form is read; where they disagree, the EPUB 3 one wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..epub.metadata import parse_date
from ..model import Metadata, Person
from .html_blocks import items_from_html

if TYPE_CHECKING:
    from lxml import etree

    from ..epub_open import EpubPackage, ManifestItem

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_ISBN = re.compile(r"^(?:urn:isbn:|isbn:?\s*)?((?:97[89])?\d{9}[\dXx])$", re.IGNORECASE)
_URL = re.compile(r"^(?:url:)?(https?://\S+)$", re.IGNORECASE)
# Roles of the tools that made the file, not people who made the story.
_TOOL_ROLES = frozenset({"bkp"})
_FIXED_LAYOUT = re.compile(r"pre-paginated")


@dataclass
class OpfInfo:
    """The book's metadata, its cover image (a zip path), and what kind of book it says it is."""

    metadata: Metadata
    cover_path: str | None = None
    fixed_layout: bool = False
    generator: str = ""
    modified: str | None = None
    guide: dict[str, str] = field(default_factory=dict)  # guide type -> zip path
    # id -> property -> values of `<meta refines>`: an anthology's stories refine their title pages.
    refines: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # id -> (name, sort name) of creators refining it, in order.
    creators: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)


def read_opf(package: EpubPackage) -> OpfInfo:
    """Everything the package document says about the book (see module docstring)."""
    opf = package.opf
    meta_el = opf.find(f"{OPF}metadata")
    if meta_el is None:
        meta_el = opf.find("metadata")  # no namespace: a sloppy EPUB 2
    refines = _refines(meta_el)
    named = _named_metas(meta_el)
    properties = _properties(meta_el)
    info = OpfInfo(Metadata(), refines=refines)
    if meta_el is None:
        return info
    for el in _meta_elements(meta_el):
        if (el.get("property") or "").strip() == "dcterms:creator" and (el.get("refines") or "").startswith("#"):
            sort = refines.get(el.get("id") or "", {}).get("file-as", [None])[0]
            info.creators.setdefault(el.get("refines")[1:], []).append((_text(el), sort))
    titles = _elements(meta_el, "title")
    main = next((t for t in titles if "main" in refines.get(t.get("id") or "", {}).get("title-type", [])), titles[0] if titles else None)
    subtitle = next((t for t in titles if "subtitle" in refines.get(t.get("id") or "", {}).get("title-type", [])), None)
    authors, contributors = _people(meta_el, refines)
    unique = _unique_identifier(opf, meta_el)
    raw_date = _date(meta_el)
    info.modified = next(iter(properties.get("dcterms:modified", [])), None)
    if raw_date and info.modified and raw_date == info.modified:
        raw_date = None  # pandoc and others stamp dc:date with the build time when the story has none
    date = raw_date[:10] if raw_date and "T" in raw_date else raw_date
    series, index = _series(meta_el, refines, named)
    info.metadata = Metadata(
        title=_text(main) or None,
        subtitle=_text(subtitle) or None,
        authors=authors,
        description=description_text(_text(_first(meta_el, "description"), keep_lines=True)),
        language=_text(_first(meta_el, "language")) or None,
        tags=tuple(dict.fromkeys(t for t in (_text(s) for s in _elements(meta_el, "subject")) if t)),
        series=series,
        series_index=index,
        date=date,
        publisher=_text(_first(meta_el, "publisher")) or None,
        rights=_text(_first(meta_el, "rights")) or None,
        source_url=_source(meta_el),
        identifier=unique,
        contributors=contributors,
    )
    info.guide = _guide(package)
    info.cover_path = _cover(package, named, info.guide)
    layout = " ".join(properties.get("rendition:layout", []))
    info.fixed_layout = bool(_FIXED_LAYOUT.search(layout)) or named.get("fixed-layout", "").lower() == "true"
    info.generator = named.get("generator", "")
    return info


def refined_metadata(values: dict[str, list[str]], people: list[tuple[str, str | None]] = ()) -> Metadata:
    """A story's metadata from the dcterms properties that refine its title page (our anthologies);
    `people` are its creators with their sort names, when they are refined themselves."""

    def one(name: str) -> str | None:
        found = [v for v in values.get(f"dcterms:{name}", []) if v.strip()]
        return found[0].strip() if found else None

    date = one("date")
    return Metadata(
        title=one("title"),
        authors=tuple(Person(n, s) for n, s in people) or tuple(Person(n.strip()) for n in values.get("dcterms:creator", []) if n.strip()),
        description=description_text(one("description")),
        tags=tuple(dict.fromkeys(t.strip() for t in values.get("dcterms:subject", []) if t.strip())),
        language=one("language"),
        source_url=one("source"),
        date=date if date and parse_date(date) is not None else None,
        identifier=one("identifier"),
    )


def description_text(text: str | None) -> str | None:
    """A description as plain text: HTML in it (calibre's, FanFicFare's) sanitised, paragraphs kept."""
    if not text or not text.strip():
        return None
    if not _HTML_TAG.search(text):
        return "\n".join(line.strip() for line in text.strip().splitlines()).strip() or None
    lines = [item.text for item in items_from_html(text) if hasattr(item, "text") and item.text.strip()]
    return "\n\n".join(lines) or None


def _elements(parent: etree._Element | None, name: str) -> list[etree._Element]:
    if parent is None:
        return []
    return [el for el in parent if isinstance(el.tag, str) and el.tag in (f"{DC}{name}", name)]


def _first(parent: etree._Element | None, name: str) -> etree._Element | None:
    found = _elements(parent, name)
    return found[0] if found else None


def _text(el: etree._Element | None, keep_lines: bool = False) -> str:
    if el is None:
        return ""
    text = "".join(el.itertext())
    return text.strip() if keep_lines else " ".join(text.split())


def _meta_elements(meta_el: etree._Element | None) -> list[etree._Element]:
    if meta_el is None:
        return []
    return [el for el in meta_el if isinstance(el.tag, str) and el.tag in (f"{OPF}meta", "meta")]


def _refines(meta_el: etree._Element | None) -> dict[str, dict[str, list[str]]]:
    """id -> property -> values, from EPUB 3 `<meta refines="#id" property="...">`."""
    out: dict[str, dict[str, list[str]]] = {}
    for el in _meta_elements(meta_el):
        target = (el.get("refines") or "").strip()
        prop = (el.get("property") or "").strip()
        if target.startswith("#") and prop:
            out.setdefault(target[1:], {}).setdefault(prop, []).append(_text(el, keep_lines=True))
    return out


def _properties(meta_el: etree._Element | None) -> dict[str, list[str]]:
    """property -> values of EPUB 3 metas that refine nothing (dcterms:modified, rendition:layout...)."""
    out: dict[str, list[str]] = {}
    for el in _meta_elements(meta_el):
        prop = (el.get("property") or "").strip()
        if prop and not el.get("refines"):
            out.setdefault(prop, []).append(_text(el))
    return out


def _named_metas(meta_el: etree._Element | None) -> dict[str, str]:
    """name -> content of EPUB 2 `<meta name="..." content="...">` (first wins)."""
    out: dict[str, str] = {}
    for el in _meta_elements(meta_el):
        name = (el.get("name") or "").strip()
        if name and name not in out:
            out[name] = (el.get("content") or "").strip()
    return out


def _attr(el: etree._Element, name: str) -> str:
    return (el.get(f"{OPF}{name}") or el.get(name) or "").strip()


def _people(meta_el: etree._Element, refines: dict[str, dict[str, list[str]]]) -> tuple[tuple[Person, ...], tuple[Person, ...]]:
    authors: list[Person] = []
    contributors: list[Person] = []
    for kind in ("creator", "contributor"):
        for el in _elements(meta_el, kind):
            name = _text(el)
            if not name:
                continue
            extra = refines.get(el.get("id") or "", {})
            role = (extra.get("role") or [_attr(el, "role")])[0].strip().lower() or ("aut" if kind == "creator" else "ctb")
            sort = (extra.get("file-as") or [_attr(el, "file-as")])[0].strip() or None
            if role in _TOOL_ROLES:
                continue
            person = Person(name, sort, role)
            (authors if role == "aut" else contributors).append(person)
    return tuple(dict.fromkeys(authors)), tuple(dict.fromkeys(contributors))


def _unique_identifier(opf: etree._Element, meta_el: etree._Element) -> str | None:
    wanted = (opf.get("unique-identifier") or "").strip()
    identifiers = _elements(meta_el, "identifier")
    chosen = next((el for el in identifiers if wanted and el.get("id") == wanted), identifiers[0] if identifiers else None)
    if chosen is None:
        return None
    text = _text(chosen)
    isbn = _ISBN.match(text.replace("-", "").replace(" ", ""))
    if isbn and (_attr(chosen, "scheme").upper() == "ISBN" or text.lower().startswith(("urn:isbn", "isbn"))):
        return f"urn:isbn:{isbn.group(1).upper()}"
    return text or None


def _date(meta_el: etree._Element) -> str | None:
    """The publication date (a day, YYYY-MM-DD, or as much of it as is given)."""
    dates = _elements(meta_el, "date")
    chosen = next((d for d in dates if _attr(d, "event").lower() == "publication"), None)
    if chosen is None:
        chosen = next((d for d in dates if not _attr(d, "event")), dates[0] if dates else None)
    text = _text(chosen)
    if not text or parse_date(text) is None:
        return None
    return text


def _series(meta_el: etree._Element, refines: dict, named: dict[str, str]) -> tuple[str | None, float | None]:
    for el in _meta_elements(meta_el):
        if (el.get("property") or "").strip() == "belongs-to-collection" and _text(el):
            extra = refines.get(el.get("id") or "", {})
            if extra.get("collection-type", ["series"])[0] in ("series", "set"):
                return _text(el), _number((extra.get("group-position") or [""])[0])
    name = named.get("calibre:series", "").strip()
    if name:
        return name, _number(named.get("calibre:series_index", ""))
    return None, None


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _source(meta_el: etree._Element) -> str | None:
    for el in _elements(meta_el, "source") + _elements(meta_el, "identifier"):
        match = _URL.match(_text(el))
        if match:
            return match.group(1)
    return None


def _guide(package: EpubPackage) -> dict[str, str]:
    guide = package.opf.find(f"{OPF}guide")
    out: dict[str, str] = {}
    if guide is None:
        return out
    for ref in guide:
        kind, href = (ref.get("type") or "").strip().lower(), (ref.get("href") or "").strip()
        resolved = package.resolve(package.opf_path, href) if href else None
        if kind and resolved and (found := package.find(resolved[0])):
            out.setdefault(kind, found)
    return out


def _cover(package: EpubPackage, named: dict[str, str], guide: dict[str, str]) -> str | None:
    """The cover image's zip path: the EPUB 3 cover-image, the EPUB 2 meta, or the guide's cover page's image."""
    images = [i for i in package.manifest if i.media_type.startswith("image/") and not i.remote]
    item: ManifestItem | None = next((i for i in images if "cover-image" in i.properties), None)
    if item is None and named.get("cover"):
        wanted = named["cover"]
        item = next((i for i in images if i.id == wanted), None) or next((i for i in images if i.href == wanted), None)
    if item is not None:
        return package.find(item.path)
    page = guide.get("cover")
    if page is None:
        return None
    from .epub_documents import first_image

    return first_image(package, page)
