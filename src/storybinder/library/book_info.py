"""What the catalogue knows of one book, read from its package document (OPF).

Pure reading: an opened EpubPackage in, a BookInfo out. Works on any EPUB 2 or 3
(ours, calibre's, FanFicFare's), preferring the EPUB 3 form of each field and
falling back to the EPUB 2 / calibre metas older tools write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..epub_open import DC_NS, ENTRY_ERRORS, OPF_NS, XHTML_TYPES, EpubPackage, open_book
from ..errors import StorybinderError

IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
ARTICLES = {"en": ("the ", "a ", "an ")}
WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True)
class Author:
    name: str
    sort_name: str


@dataclass(frozen=True)
class BookInfo:
    """One book of the catalogue: where it is, what its OPF says, how many words it has."""

    key: str  # the path under the library folder, POSIX, without ".epub": "small-hours", "sf/dune"
    path: Path
    file_name: str
    size: int
    mtime_ns: int
    inode: int
    identifier: str
    title: str
    sort_title: str
    authors: tuple[Author, ...] = ()
    language: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    series: str | None = None
    series_index: float | None = None
    date: str | None = None
    publisher: str | None = None
    modified: str | None = None
    word_count: int = 0
    cover_entry: str | None = None  # zip entry name of the cover image
    cover_type: str | None = None
    anthology: bool = False
    kepub_name: str | None = None  # a sibling NAME.kepub.epub, when the folder has one
    added_ns: int = 0  # when the library first saw this book (by identifier): the "New" order

    @property
    def author_names(self) -> list[str]:
        return [a.name for a in self.authors]

    @property
    def stamp(self) -> tuple[int, int, int]:
        """What changes when the file is replaced or rewritten."""
        return (self.size, self.mtime_ns, self.inode)


def read_book_info(path: Path, key: str, stat_result) -> BookInfo:
    """Open the EPUB at `path` with the shared safe opener and read its catalogue entry."""
    with open_book(path) as package:
        return info_from_package(package, path, key, stat_result)


def info_from_package(package: EpubPackage, path: Path, key: str, stat_result) -> BookInfo:
    """The catalogue entry for an opened package (stat_result: the file's os.stat)."""
    opf = package.opf
    metadata = opf.find(f"{{{OPF_NS}}}metadata")
    if metadata is None:
        metadata = etree.Element(f"{{{OPF_NS}}}metadata")
    refines = _refinements(metadata)
    metas = _named_metas(metadata)

    title_el = _main_title(metadata, refines)
    title = _text(title_el) or path.name.removesuffix(".epub")
    sort_title = (refines.get((title_el.get("id") if title_el is not None else None) or "", {}).get("file-as")
                  or metas.get("calibre:title_sort") or "")
    language = _text(metadata.find(f"{{{DC_NS}}}language"))
    if not sort_title:
        sort_title = sort_title_of(title, language)

    authors = tuple(_people(metadata, refines, "creator", {"aut", ""}))
    contributors = list(_people(metadata, refines, "contributor", {"edt"}))
    series, series_index = _series(metadata, refines, metas)
    tags = tuple(dict.fromkeys(t for el in metadata.iter(f"{{{DC_NS}}}subject") if (t := _text(el))))
    types = " ".join(_text(el) or "" for el in metadata.iter(f"{{{DC_NS}}}type")).lower()
    anthology = ("antholog" in types or "collection" in types
                 or any(t.lower() == "anthology" for t in tags)
                 or (bool(contributors) and len(authors) >= 2))
    cover_entry, cover_type = _cover(package, metas)
    modified = next((_text(el) for el in metadata.iter(f"{{{OPF_NS}}}meta")
                     if el.get("property") == "dcterms:modified"), None)
    return BookInfo(
        key=key, path=path, file_name=path.name, size=stat_result.st_size, mtime_ns=stat_result.st_mtime_ns,
        inode=stat_result.st_ino, identifier=_identifier(opf, metadata) or f"file:{key}",
        title=title, sort_title=sort_title, authors=authors, language=language,
        description=_plain(_text(metadata.find(f"{{{DC_NS}}}description"))),
        tags=tags, series=series, series_index=series_index,
        date=_text(metadata.find(f"{{{DC_NS}}}date")), publisher=_text(metadata.find(f"{{{DC_NS}}}publisher")),
        modified=modified, word_count=word_count(package), cover_entry=cover_entry, cover_type=cover_type,
        anthology=anthology,
    )


def sort_title_of(title: str, language: str | None) -> str:
    """'The Lighthouse' -> 'Lighthouse, The' (English articles only), for A–Z lists."""
    lowered = title.lower()
    for article in ARTICLES.get((language or "en").split("-")[0].lower(), ()):
        if lowered.startswith(article) and len(title) > len(article):
            return f"{title[len(article):]}, {title[:len(article) - 1]}"
    return title


def word_count(package: EpubPackage) -> int:
    """Words in the spine's XHTML documents (the nav excluded): what a reader will read."""
    total = 0
    for idref in package.spine:
        item = package.item_by_id(idref)
        if item is None or item.media_type not in XHTML_TYPES or "nav" in item.properties or not package.has(item.path):
            continue
        parsed = package.parse(item.path)
        if parsed.root is None:
            continue
        body = next(parsed.root.iter("{*}body"), parsed.root)
        total += sum(len(WORD.findall(text)) for text in body.itertext())
    return total


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    value = " ".join("".join(el.itertext()).split())
    return value or None


def _plain(text: str | None) -> str | None:
    """Descriptions are sometimes HTML (calibre writes <p>...</p>): keep the words."""
    if not text or "<" not in text:
        return text
    try:
        root = etree.fromstring(f"<div>{text}</div>".encode(), etree.XMLParser(resolve_entities=False, no_network=True, recover=True))
    except etree.XMLSyntaxError:
        return re.sub(r"<[^>]*>", " ", text).strip()
    return " ".join("".join(root.itertext()).split()) if root is not None else text


def _refinements(metadata: etree._Element) -> dict[str, dict[str, str]]:
    """EPUB 3 `<meta refines="#id" property="...">` as {id: {property: value}}."""
    out: dict[str, dict[str, str]] = {}
    for el in metadata.iter(f"{{{OPF_NS}}}meta"):
        target, prop = el.get("refines"), el.get("property")
        if target and prop and target.startswith("#"):
            out.setdefault(target[1:], {}).setdefault(prop, _text(el) or "")
    return out


def _named_metas(metadata: etree._Element) -> dict[str, str]:
    """EPUB 2 `<meta name="..." content="...">` (calibre's series, the cover id...)."""
    return {el.get("name", ""): el.get("content", "") for el in metadata.iter(f"{{{OPF_NS}}}meta") if el.get("name")}


def _main_title(metadata: etree._Element, refines: dict[str, dict[str, str]]) -> etree._Element | None:
    titles = list(metadata.iter(f"{{{DC_NS}}}title"))
    for el in titles:
        if refines.get(el.get("id") or "", {}).get("title-type") == "main":
            return el
    return titles[0] if titles else None


def _people(metadata, refines, tag: str, roles: set[str]):
    for el in metadata.iter(f"{{{DC_NS}}}{tag}"):
        name = _text(el)
        if not name:
            continue
        ref = refines.get(el.get("id") or "", {})
        role = ref.get("role") or el.get(f"{{{OPF_NS}}}role") or ""
        if role not in roles:
            continue
        sort = ref.get("file-as") or el.get(f"{{{OPF_NS}}}file-as") or name
        yield Author(name, sort)


def _series(metadata, refines, metas) -> tuple[str | None, float | None]:
    for el in metadata.iter(f"{{{OPF_NS}}}meta"):
        if el.get("property") == "belongs-to-collection" and _text(el):
            ref = refines.get(el.get("id") or "", {})
            if ref.get("collection-type", "series") == "series":
                return _text(el), _number(ref.get("group-position"))
    if metas.get("calibre:series"):
        return metas["calibre:series"].strip(), _number(metas.get("calibre:series_index"))
    return None, None


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _identifier(opf, metadata) -> str | None:
    unique = opf.get("unique-identifier")
    ids = list(metadata.iter(f"{{{DC_NS}}}identifier"))
    chosen = next((el for el in ids if unique and el.get("id") == unique), ids[0] if ids else None)
    return _text(chosen)


def _cover(package: EpubPackage, metas: dict[str, str]) -> tuple[str | None, str | None]:
    items = [i for i in package.manifest if not i.remote and i.media_type in IMAGE_TYPES and package.has(i.path)]
    chosen = next((i for i in items if "cover-image" in i.properties), None)
    if chosen is None and metas.get("cover"):
        chosen = next((i for i in items if i.id == metas["cover"]), None)
    if chosen is None:
        chosen = next((i for i in items if "cover" in i.id.lower() or "cover" in i.href.lower()), None)
    return (chosen.path, chosen.media_type) if chosen else (None, None)


def read_entry(path: Path, entry: str, limit: int) -> bytes:
    """One zip entry of the book at `path` (its cover), through the safe opener, at most `limit` bytes."""
    with open_book(path) as package:
        if not package.has(entry) or package.size(entry) > limit:
            raise StorybinderError(f"{entry} is missing or too large", path=path)
        try:
            return package.read(entry)
        except ENTRY_ERRORS as exc:
            raise StorybinderError(f"{entry} cannot be read ({exc})", path=path) from exc
