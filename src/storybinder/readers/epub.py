"""EPUB (2 and 3) -> Story: the books readers already have, from AO3, fimfiction,
FanFicFare, calibre, pandoc, or storybinder itself.

The file is opened by the one safe opener (epub_open: zip limits, safe XML,
no path escapes) and refused when it is not a story: DRM, fixed layout, a
comic. Metadata comes from the package document (epub_opf); chapters from the
contents, nav or NCX, or the spine (epub_toc, epub_sections); every page goes
through the HTML reader's sanitiser and block walker, so text, emphasis,
small caps, links, scene breaks and block quotes come out as they do from an
HTML file. Cover pages, title pages, contents pages, jackets and update logs
are recognised (epub_pages) and left out; AO3's download is read as AO3's
HTML page (epub_ao3). A book storybinder made says what it is made of
(parts_manifest): its stories come back exactly as they went in.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import StorybinderError
from ..model import Chapter, Cover, Metadata, Story
from . import EPUB_SUFFIXES

if TYPE_CHECKING:
    from ..epub_open import EpubPackage
    from ..parts_manifest import PartsManifest
    from .epub_documents import Document
    from .epub_opf import OpfInfo
    from .epub_toc import TocEntry

SUFFIXES = EPUB_SUFFIXES
# A book whose pages are nearly all pictures, with this little text a page, is a comic.
_COMIC_TEXT_PER_PAGE = 200
_IMAGE_TYPES = {"image/jpeg": "image/jpeg", "image/png": "image/png", "image/gif": "image/gif", "image/webp": "image/webp"}


def detect(path: Path) -> bool:
    """Any .epub file is read as an EPUB (one that is not says so when read)."""
    return True


@dataclass
class EpubBook:
    """What an EPUB holds: the book's metadata and its stories (several for an anthology)."""

    metadata: Metadata
    stories: list[Story]
    anthology: bool = False
    parts: PartsManifest | None = None
    warnings: list[str] = field(default_factory=list)

    def as_story(self, path: Path) -> Story:
        """The whole book as one story (an anthology's stories one after another)."""
        if len(self.stories) == 1:
            return self.stories[0]
        chapters = [c for s in self.stories for c in s.chapters]
        return Story(self.metadata, chapters, source=path, warnings=list(self.warnings))


def read(path: Path) -> Story:
    """Read an EPUB into one Story."""
    return read_book(path).as_story(path)


def read_book(path: Path) -> EpubBook:
    """Read an EPUB into its stories (see module docstring)."""
    from ..epub_open import open_book

    with open_book(path) as package:
        return _read(package, path)


def _read(package: EpubPackage, path: Path) -> EpubBook:
    from .epub_opf import read_opf

    locked = package.drm_locked()
    if locked:
        raise StorybinderError(
            f"the book is DRM-protected ({len(locked)} of its files are encrypted, e.g. {locked[0]}); "
            "storybinder cannot read it",
            path=path,
            hint="remove the DRM with the tool your store allows, or download a DRM-free copy",
        )
    info = read_opf(package)
    if info.fixed_layout:
        raise StorybinderError(
            "a fixed-layout book (each page drawn as it is printed), not a story storybinder can reflow", path=path
        )
    cover = _cover_image(package, info)
    book = _ours(package, info, path)
    if book is None:
        book = _theirs(package, info, path)
    if cover is not None:
        book.metadata = replace(book.metadata, cover_image=cover)
        book.stories = [replace(s, metadata=replace(s.metadata, cover_image=cover)) for s in book.stories] if len(book.stories) == 1 else book.stories
    for rule, what in (("epub.unsafe-path", "whose names lead out of the book"), ("epub.symlink", "that are symbolic links")):
        bad = sorted({p.file for p in package.problems if p.rule == rule and p.file})
        if bad:
            book.warnings.append(f"{path}: ignored {len(bad)} file(s) in the EPUB {what} (e.g. {bad[0]!r})")
    for story in book.stories:
        story.warnings += book.warnings
    return book


def _cover_image(package: EpubPackage, info: OpfInfo) -> Cover | None:
    """The cover image's bytes (checked later, by the pipeline, like any cover)."""
    name = info.cover_path
    if not name or name in package.encrypted:
        return None
    item = next((i for i in package.manifest if package.find(i.path) == name), None)
    media = _IMAGE_TYPES.get(item.media_type if item is not None else "", "application/octet-stream")
    try:
        data = package.read_limited(name, 64 * 2**20)
    except StorybinderError:
        return None
    return Cover(data, media, 0, 0)


# ---- books storybinder made --------------------------------------------------------


def _ours(package: EpubPackage, info: OpfInfo, path: Path) -> EpubBook | None:
    """A book whose META-INF/storybinder.json lists its stories: read as listed (None if it does not fit)."""
    from .. import parts_manifest
    from .epub_documents import load_document
    from .epub_sections import Marker, Marks, build_chapters

    name = package.find(parts_manifest.PATH)
    if name is None:
        return None
    try:
        parts = parts_manifest.decode(package.read_limited(name, 4 * 2**20))
    except StorybinderError:
        return None
    if parts is None or not parts.stories:
        return None
    base = posixpath.dirname(package.opf_path)
    stories = []
    for part in parts.stories:
        chapters: list[Chapter] = []
        for entry in part.chapters:
            stream: list = []
            marks = Marks()
            for n, file in enumerate((entry.file, *entry.more)):
                found = package.find(posixpath.normpath(posixpath.join(base, file)))
                if found is None:
                    return None
                doc = load_document(package, found)
                if n == 0:
                    marks.at_start(doc.body, Marker("notes" if entry.kind == "notes" else "chapter", entry.title))
                stream += marks.stream(doc)
            built = build_chapters(stream, part.metadata.title)
            chapter = built[0] if built else Chapter(entry.title, [], entry.kind)  # type: ignore[arg-type]
            chapter.title, chapter.kind, chapter.level = entry.title, entry.kind, entry.level  # type: ignore[assignment]
            chapters.append(chapter)
        stories.append(Story(part.metadata, chapters, source=path, origin=part.source))
    if parts.anthology and len(stories) > 1:
        return EpubBook(parts.metadata, stories, anthology=True, parts=parts)
    # One story: the book's metadata is the story's, as the package document has it.
    meta = stories[0].metadata.merged(parts.metadata)
    stories[0].metadata = meta
    return EpubBook(meta, stories, parts=parts)


# ---- everyone else's books -----------------------------------------------------------


def _theirs(package: EpubPackage, info: OpfInfo, path: Path) -> EpubBook:
    from .assemble import assemble
    from .epub_ao3 import is_ao3, read_ao3
    from .epub_documents import spine_documents
    from .epub_pages import classify, looks_like_title_page, page_facts
    from .epub_toc import read_toc

    meta = info.metadata
    docs = spine_documents(package)
    if not docs:
        raise StorybinderError("the EPUB's spine lists no readable pages", path=path)
    toc = read_toc(package, {d.name for d in docs})
    if is_ao3(meta.publisher, docs):
        ao3_meta, items = read_ao3([d for d in docs if d.role != "nav"])
        if items:
            # AO3's own tags over calibre's list, which starts with "Fanworks" and the rating.
            meta = replace(meta, tags=()).merged(ao3_meta)
            result = assemble(items, known_title=meta.title)
            return EpubBook(meta, [Story(meta, result.chapters, source=path)])
    targets = _targets(toc)
    linked = set(targets)
    cover_page = info.guide.get("cover")
    first_target = next((i for i, d in enumerate(docs) if d.name in linked), None)
    for index, doc in enumerate(docs):
        doc.role = classify(doc, cover_page=cover_page, title=meta.title, chapters_linked=linked)
        facts = page_facts(doc, doc.role)
        meta = _fill(meta, facts)
        before_story = first_target is None or index < first_target
        if doc.role == "body" and before_story and doc.name not in linked and looks_like_title_page(doc, meta):
            doc.role = "titlepage"
    body = [d for d in docs if d.role in ("body", "part") and (d.linear or d.name in linked)]
    _refuse_comics(body, path)
    if not body:
        raise StorybinderError("the EPUB holds no story text (only a cover, title or contents pages)", path=path)
    parts = _story_parts(body, toc)
    if parts is not None:
        stories = [_story_from_part(package, info, part_docs, entry, path) for entry, part_docs in parts]
        return EpubBook(meta, [s for s in stories if s.chapters], anthology=True)
    chapters = _chapters(body, toc, meta.title)
    if chapters is None:
        items = [i for d in body for i in _plain_items(d)]
        chapters = assemble(items, known_title=meta.title).chapters
    return EpubBook(meta, [Story(meta, chapters, source=path)])


def _story_parts(body: list[Document], toc: list[TocEntry]) -> list[tuple[TocEntry, list[Document]]] | None:
    """An anthology's stories: two or more contents entries with chapters under them, each
    opening on a story's title page (ours, or any page with a "by NAME" line); else None
    (a novel's parts nest chapters too)."""
    from .epub_pages import has_byline

    stories = [e for e in toc if e.children]
    if len(stories) < 2:
        return None
    firsts = {d.name: d for d in body}
    opening = [firsts.get(e.target) for e in stories]
    if sum(1 for d in opening if d is not None and (d.role == "part" or has_byline(d))) < 2:
        return None
    index = {d.name: i for i, d in enumerate(body)}
    starts = [(index[e.target], e) for e in stories if e.target in index]
    if len(starts) < 2:
        return None
    starts.sort(key=lambda pair: pair[0])
    out = []
    for n, (start, entry) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(body)
        out.append((entry, body[start:end]))
    return out


def _story_from_part(package: EpubPackage, info: OpfInfo, docs: list[Document], entry: TocEntry, path: Path) -> Story:
    """One story of an anthology: its metadata from its title page (and what refines it), its chapters."""
    from .assemble import assemble
    from .epub_opf import refined_metadata
    from .epub_pages import story_page_facts

    from .epub_pages import has_byline

    meta = Metadata(title=entry.label or None)
    if docs and (docs[0].role == "part" or has_byline(docs[0])):
        page = docs.pop(0)
        item = next((i for i in package.manifest if package.find(i.path) == page.name), None)
        refined = refined_metadata(info.refines.get(item.id, {}), info.creators.get(item.id, [])) if item is not None else Metadata()
        meta = meta.merged(story_page_facts(page)).merged(refined)
    chapters = _chapters(docs, entry.children, meta.title) if docs else []
    if chapters is None:
        chapters = assemble([i for d in docs for i in _plain_items(d)], known_title=meta.title).chapters
    return Story(meta, chapters, source=path)


def _fill(meta: Metadata, facts: Metadata) -> Metadata:
    """Metadata a recognised page gave: a longer description wins; the rest fills what is unset."""
    if facts == Metadata():
        return meta
    longer = facts.description and len(facts.description) > len(meta.description or "")
    filled = facts.merged(meta)  # the package document's own values win...
    return replace(filled, description=facts.description) if longer else filled  # ...but for a fuller blurb


def _targets(toc: list[TocEntry]) -> dict[str, list[tuple[int, TocEntry]]]:
    from .epub_toc import flatten

    out: dict[str, list[tuple[int, TocEntry]]] = {}
    for depth, entry in flatten(toc):
        out.setdefault(entry.target, []).append((depth, entry))
    return out


def _refuse_comics(body: list[Document], path: Path) -> None:
    from .epub_documents import images_and_text

    if len(body) < 3:
        return
    counts = [images_and_text(d) for d in body]
    pictures = sum(1 for images, text in counts if images and text < _COMIC_TEXT_PER_PAGE)
    if pictures >= 0.8 * len(body) and sum(text for _, text in counts) < _COMIC_TEXT_PER_PAGE * len(body):
        raise StorybinderError(
            f"a comic or picture book ({pictures} of its {len(body)} pages are pictures with next to no text), not a story to reflow",
            path=path,
        )


def _plain_items(doc: Document) -> list:
    from .epub_sections import Marks, ornaments_to_breaks

    ornaments_to_breaks(doc.body)
    return [t for t in Marks().stream(doc)]


def _chapters(body: list[Document], toc: list[TocEntry], title: str | None) -> list[Chapter] | None:
    """Chapters cut where the contents point (or one a page); None when there is nothing to cut by."""
    from .epub_sections import Marker, Marks, build_chapters, mark_notes, ornaments_to_breaks

    targets = _targets(toc)
    pointed = [d for d in body if d.name in targets]
    by_contents = len(pointed) >= 2 or (len(pointed) == 1 and len(targets[pointed[0].name]) >= 2)
    if not by_contents and len(body) < 2:
        return None
    marks = Marks()
    stream: list = []
    for index, doc in enumerate(body):
        kind = mark_notes(doc, marks)
        ornaments_to_breaks(doc.body)
        entries = targets.get(doc.name, []) if by_contents else []
        if entries:
            _mark_entries(doc, entries, kind, marks)
        elif not by_contents or index == 0 or kind != "chapter":
            marks.at_start(doc.body, Marker(kind, None))  # type: ignore[arg-type]
        stream += marks.stream(doc)
    return build_chapters(stream, title)


def _mark_entries(doc: Document, entries: list[tuple[int, TocEntry]], kind: str, marks) -> None:
    """A chapter marker where each contents entry into this document points (one a place: the deepest)."""
    from .epub_sections import Marker

    places: dict[int, tuple[object, str, int]] = {}
    order: list[int] = []
    for depth, entry in entries:
        element = _find_id(doc, entry.fragment) if entry.fragment else None
        key = id(element) if element is not None else 0
        if key not in places:
            order.append(key)
        places[key] = (element, entry.label, min(2, depth + 1))
    for key in order:
        element, label, level = places[key]
        marker = Marker(kind, label or None, level=level)  # type: ignore[arg-type]
        if element is None or element is doc.body or element is doc.root:
            marks.at_start(doc.body, marker)
        else:
            marks.before(element, marker)


def _find_id(doc: Document, fragment: str):
    """The element a fragment names inside the body; None for the body itself, or none at all."""
    found = doc.root.get_element_by_id(fragment, None)
    if found is None:
        found = next((a for a in doc.root.iter("a") if a.get("name") == fragment), None)
    if found is None or found is doc.body or doc.body not in found.iterancestors():
        return None
    return found
