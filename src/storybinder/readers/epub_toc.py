"""An EPUB's table of contents: the EPUB 3 nav document, else the EPUB 2 NCX.

Entries keep their nesting (an anthology's story -> chapters) and point at a
zip entry and an optional fragment. An entry that leads outside the book, to
a file that is not there or to a document not in the spine is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..epub_open import NCX_NS, NCX_TYPE, parse_xml
from ..errors import StorybinderError
from .epub_documents import parse_document

if TYPE_CHECKING:
    from lxml import etree
    from lxml.html import HtmlElement

    from ..epub_open import EpubPackage

_MAX_ENTRIES = 10_000
# Contents nest a few levels (book > part > chapter); deeper is hostile, and read flat.
_MAX_DEPTH = 8


@dataclass
class TocEntry:
    label: str
    target: str  # zip path of a spine document
    fragment: str = ""
    children: list[TocEntry] = field(default_factory=list)


def read_toc(package: EpubPackage, spine: set[str]) -> list[TocEntry]:
    """The book's contents as nested entries into `spine` documents (nav first, then NCX)."""
    for reader in (_nav, _ncx):
        try:
            entries = reader(package, spine)
        except StorybinderError:
            entries = []
        if entries:
            return entries
    return []


def flatten(entries: list[TocEntry], depth: int = 0) -> list[tuple[int, TocEntry]]:
    """(depth, entry) for every entry, parents before their children."""
    out: list[tuple[int, TocEntry]] = []
    for entry in entries:
        out.append((depth, entry))
        out += flatten(entry.children, depth + 1)
    return out


def _label(text: str) -> str:
    return " ".join(text.split())


def _resolve(package: EpubPackage, base: str, href: str, spine: set[str]) -> tuple[str, str] | None:
    href = (href or "").strip()
    if not href:
        return None
    resolved = package.resolve(base, href)
    if resolved is None:
        return None
    found = package.find(resolved[0])
    return (found, resolved[1]) if found in spine else None


def _nav(package: EpubPackage, spine: set[str]) -> list[TocEntry]:
    item = next((i for i in package.manifest if "nav" in i.properties and not i.remote), None)
    name = package.find(item.path) if item is not None else None
    if name is None:
        return []
    root = parse_document(package.read_limited(name), name)
    navs = list(root.iter("nav"))
    toc = next((n for n in navs if "toc" in (n.get("epub:type") or "").split()), navs[0] if navs else None)
    if toc is None:
        return []
    ol = toc.find(".//ol")
    count = [0]
    return _nav_list(package, name, ol, spine, count) if ol is not None else []


def _nav_list(package: EpubPackage, base: str, ol: HtmlElement, spine: set[str], count: list[int], depth: int = 0) -> list[TocEntry]:
    entries: list[TocEntry] = []
    for li in ol:
        if not isinstance(li.tag, str) or li.tag != "li" or count[0] > _MAX_ENTRIES:
            continue
        count[0] += 1
        link = next((c for c in li if isinstance(c.tag, str) and c.tag in ("a", "span")), None)
        nested = next((c for c in li if isinstance(c.tag, str) and c.tag == "ol"), None)
        children = _nav_list(package, base, nested, spine, count, depth + 1) if nested is not None and depth < _MAX_DEPTH else []
        target = _resolve(package, base, link.get("href", ""), spine) if link is not None and link.tag == "a" else None
        label = _label(link.text_content()) if link is not None else ""
        if target is not None:
            entries.append(TocEntry(label, target[0], target[1], children))
        elif children:
            # A heading without a link of its own (a part): it starts where its first child does.
            first = children[0]
            entries.append(TocEntry(label, first.target, first.fragment, children))
    return entries


def _ncx(package: EpubPackage, spine: set[str]) -> list[TocEntry]:
    item = package.item_by_id(package.spine_toc or "") or next((i for i in package.manifest if i.media_type == NCX_TYPE), None)
    name = package.find(item.path) if item is not None and not item.remote else None
    if name is None:
        return []
    root = parse_xml(package.read_limited(name)).root
    if root is None:
        return []
    nav_map = root.find(f"{{{NCX_NS}}}navMap")
    count = [0]
    return _nav_points(package, name, nav_map, spine, count) if nav_map is not None else []


def _nav_points(package: EpubPackage, base: str, parent: etree._Element, spine: set[str], count: list[int], depth: int = 0) -> list[TocEntry]:
    entries: list[TocEntry] = []
    for point in parent.findall(f"{{{NCX_NS}}}navPoint"):
        if count[0] > _MAX_ENTRIES:
            break
        count[0] += 1
        text = point.find(f"{{{NCX_NS}}}navLabel/{{{NCX_NS}}}text")
        content = point.find(f"{{{NCX_NS}}}content")
        children = _nav_points(package, base, point, spine, count, depth + 1) if depth < _MAX_DEPTH else []
        target = _resolve(package, base, content.get("src", "") if content is not None else "", spine)
        label = _label("".join(text.itertext())) if text is not None else ""
        if target is not None:
            entries.append(TocEntry(label, target[0], target[1], children))
        elif children:
            entries.append(TocEntry(label, children[0].target, children[0].fragment, children))
    return entries
