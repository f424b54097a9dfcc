"""Book -> .epub on disk: ebooklib assembles the package, we make it right.

ebooklib 0.20 writes the container, the OPF manifest, spine and guide. What it
gets wrong for us is handled here, on purpose:

- XHTML: `EpubHtml` re-parses content with lxml.html and silently writes an
  empty body when that fails, and drops our head. We hand ebooklib finished
  XHTML bytes (epub/pages.py) as plain `EpubItem`s, which it copies verbatim.
- nav and NCX: written by epub/nav.py (ebooklib's lack xml:lang, a hidden
  landmarks nav, the EPUB 3 `titlepage` type, a real dtb:depth).
- identifier: ebooklib defaults to a random uuid4; we always set a stable one.
- dcterms:modified: ebooklib uses the wall clock unless given `mtime`; we
  always give it (metadata.modified).
- zip: ebooklib stamps every entry with the current time; `_StableZip` gives
  fixed times, fixed attributes and the order we add items in.
- failure: ebooklib's `write_epub` returns False on OSError; we drive
  `EpubWriter` ourselves and turn every failure into a StorybinderError.
- OPF: `<package>` gets xml:lang (Ace, EPUB Accessibility), and every XML file
  our XML declaration (devices.py).
- META-INF/storybinder.json lists the book's stories and their pages
  (parts_manifest.py), outside the manifest like Apple's display options.
"""

from __future__ import annotations

import functools
import io
import math
import os
import zipfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from ebooklib import epub
from lxml import etree
from zlib_ng import zlib_ng

from .. import parts_manifest
from ..errors import StorybinderError
from ..interrupts import deferred
from ..model import Book
from . import metadata
from .devices import APPLE_DISPLAY_OPTIONS_PATH, COVER_PAGE_LINEAR, GUIDE_TYPES, apple_display_options, serialize_xml
from .layout import NAV_FILE, Layout, cover_file_name, plan
from .metadata import book_creators
from .nav import ncx_document, nav_document
from .pages import STYLESHEET
from .xhtml import XML_LANG, is_rtl, xml_text

XHTML_MEDIA_TYPE = "application/xhtml+xml"
# The range of times a zip entry can hold.
_ZIP_FIRST = (1980, 1, 1, 0, 0, 0)
_ZIP_LAST = (2107, 12, 31, 23, 59, 58)
# Already-compressed media is stored: deflating a cover JPEG again gains nothing
# and took about a third of the time spent writing a book (2.4 of 5.6 ms).
_STORED_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")
# zlib-ng level 2 on the XHTML of 100 generated books: 13.8 kB a book against
# 12.6 at level 6 (+2% on a 60 kB book with its cover) and 9% less time to write
# the whole book (~0.2 ms). Level 6 is as small as 9, so 6 if size ever matters more.
_DEFLATE_LEVEL = 2


@functools.cache
def stylesheet() -> bytes:
    """The house stylesheet (data/stylesheet.css)."""
    # Read once a process: finding and reading the package file cost ~0.05 ms a book.
    # Beside this package, not through importlib.resources (importing it: 2 ms of a start).
    return (Path(__file__).resolve().parent.parent / "data" / "stylesheet.css").read_bytes()


def write_epub(book: Book, path: Path, *, scratch: bool = False) -> Path:
    """Write `book` as an EPUB 3 file at `path`, atomically; return `path`.

    The file appears only when complete: it is written to a temporary file in
    the same directory, synced to disk and renamed over `path`. A `scratch`
    path (a batch's private pending file, which the batch moves into place
    itself and syncs once at its end) is written directly. The same book (and
    SOURCE_DATE_EPOCH) always gives byte-identical output.
    """
    path = Path(path)
    package = _package(book)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorybinderError(f"cannot create the output folder: {exc.strerror or exc}", path=path.parent) from exc
    target = path if scratch else path.parent / f".{path.name}.{os.urandom(4).hex()}.tmp"
    try:
        # Ctrl-C waits for the few milliseconds this takes: a zip cut off inside
        # zipfile left objects whose clean-up printed tracebacks.
        with deferred():
            # 0o666 minus the umask, like any new file (mkstemp would make it 0600).
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if scratch else os.O_EXCL), 0o666)
            with os.fdopen(fd, "wb") as out:
                # Zipped in memory and written at once: zipfile seeks back over every
                # entry's header, and each seek in a file is a flush and a syscall
                # (0.07 ms a book).
                buffer = io.BytesIO()
                package.write_to(buffer)
                out.write(buffer.getbuffer())
                out.flush()
                if not scratch:
                    os.fsync(out.fileno())
            if not scratch:
                os.replace(target, path)
    except BaseException as exc:
        target.unlink(missing_ok=True)
        if isinstance(exc, StorybinderError):
            raise
        if isinstance(exc, (OSError, ValueError, zipfile.BadZipFile, etree.LxmlError, epub.EpubException)):
            raise StorybinderError(f"cannot write the EPUB: {exc}", path=path) from exc
        raise
    return path


class _Package:
    """An ebooklib book plus what our writer needs to serialise it."""

    def __init__(self, ebook: epub.EpubBook, *, lang: str, modified: datetime, nav: bytes, ncx: bytes) -> None:
        self.ebook, self.lang, self.modified, self.nav, self.ncx = ebook, lang, modified, nav, ncx

    def write_to(self, out: BinaryIO) -> None:
        options = {
            "mtime": self.modified,
            "epub3_landmark": False,  # our nav document has its own landmarks
            "epub3_pages": False,
            "raise_exceptions": True,
        }
        _Writer(out, self, options).write()


def _package(book: Book) -> _Package:
    if not book.stories:
        raise StorybinderError("the book has no stories to write")
    index = book.metadata.series_index
    if index is not None and not math.isfinite(index):
        # "nan" is no position in a series (--series-index nan parses as a float).
        book = replace(book, metadata=replace(book.metadata, series_index=None))
    lang = metadata.language(book)
    ident = metadata.identifier(book)
    layout = plan(book, lang)

    ebook = epub.EpubBook()
    ebook.metadata = {}  # drop ebooklib's random identifier and generator tag
    ebook.IDENTIFIER_ID = "bookid"
    ebook.uid = ident
    ebook.title = xml_text(book.metadata.title).strip() or "Untitled"
    ebook.language = lang
    if is_rtl(lang):
        ebook.direction = "rtl"  # ebooklib writes it as the spine's page-progression-direction
    ebook.add_metadata("DC", "identifier", ident, {"id": "bookid"})

    cover_id = "cover-image" if book.cover is not None else None
    story_ids = [s.title_page.item_id for s in layout.stories if s.title_page is not None]
    for entry in metadata.entries(book, lang=lang, cover_image_id=cover_id, cover_alt=bool(layout.cover_alt), story_ids=story_ids):
        ebook.add_metadata(entry.namespace, entry.name, entry.value, dict(entry.attrs))

    # First, beside container.xml: outside the manifest, so ebooklib writes it
    # at this path rather than under EPUB/.
    ebook.add_item(
        # Media types given although outside the manifest: without them ebooklib
        # guesses and reads the system's mime.types (2 ms of a one-story build).
        epub.EpubItem(uid="apple-options", file_name=APPLE_DISPLAY_OPTIONS_PATH, content=apple_display_options(),
                      media_type="application/xml", manifest=False)
    )
    ebook.add_item(
        epub.EpubItem(uid="parts", file_name=parts_manifest.PATH, content=_parts(book, layout, ident),
                      media_type="application/json", manifest=False)
    )
    nav = epub.EpubNav(uid="nav", file_name=NAV_FILE)
    ncx = epub.EpubNcx(uid="ncx", file_name="toc.ncx")
    ebook.add_item(nav)
    ebook.add_item(ncx)
    ebook.add_item(epub.EpubItem(uid="style", file_name=STYLESHEET, media_type="text/css", content=stylesheet()))
    if book.cover is not None:
        image = epub.EpubCover(uid="cover-image", file_name=cover_file_name(book.cover.media_type))
        image.media_type = book.cover.media_type
        image.content = book.cover.data
        ebook.add_item(image)

    items = {}
    for page in layout.pages:
        item = epub.EpubItem(uid=page.item_id, file_name=page.file_name, media_type=XHTML_MEDIA_TYPE, content=page.content)
        item.is_linear = page.item_id != "cover-page" or COVER_PAGE_LINEAR
        items[page.item_id] = ebook.add_item(item)
    spine = [items[p.item_id] for p in layout.pages]
    if layout.contents_at is not None:
        spine.insert(layout.contents_at, nav)
    ebook.spine = spine
    ebook.guide = [
        {"type": GUIDE_TYPES[m.type], "title": m.label, "href": m.href} for m in layout.landmarks if m.type in GUIDE_TYPES
    ]

    nav_bytes = nav_document(layout.toc, layout.landmarks, lang, STYLESHEET)
    ncx_bytes = ncx_document(
        layout.toc,
        identifier=ident,
        title=ebook.title,
        authors=[p.name for p in book_creators(book)],
        lang=lang,
    )
    return _Package(ebook, lang=lang, modified=metadata.modified(book), nav=nav_bytes, ncx=ncx_bytes)


def _parts(book: Book, layout: Layout, ident: str) -> bytes:
    """META-INF/storybinder.json for this book: its stories, their metadata and their pages."""
    stories = []
    for story, placed in zip(book.stories, layout.stories):
        chapters = tuple(
            parts_manifest.ChapterPart(
                pages[0].file_name, chapter.title, chapter.kind, parts_manifest.digest(b"".join(p.content for p in pages)),
                chapter.level, tuple(p.file_name for p in pages[1:]),
            )
            for chapter, pages in zip(story.chapters, placed.chapters)
        )
        every = ([placed.title_page] if placed.title_page is not None else []) + [p for pages in placed.chapters for p in pages]
        stories.append(parts_manifest.StoryPart(
            story.metadata,
            story.origin or (story.source.name if story.source is not None else None),  # never the builder's folders
            placed.title_page.file_name if placed.title_page is not None else None,
            chapters,
            parts_manifest.digest(b"".join(p.content for p in every)),
        ))
    meta = replace(book.metadata, identifier=ident, isbn=None) if not book.metadata.isbn else book.metadata
    return parts_manifest.encode(parts_manifest.PartsManifest(meta, book.anthology, tuple(stories)))


class _StableZip:
    """The `writestr` ebooklib calls, with fixed entry times and attributes."""

    def __init__(self, zf: zipfile.ZipFile, date_time: tuple[int, int, int, int, int, int]) -> None:
        self.zf, self.date_time = zf, date_time

    def writestr(self, name: str, data: bytes | str, compress_type: int | None = None) -> None:
        info = zipfile.ZipInfo(name, date_time=self.date_time)
        if compress_type is None:
            compress_type = zipfile.ZIP_STORED if name.lower().endswith(_STORED_SUFFIXES) else zipfile.ZIP_DEFLATED
        info.compress_type = compress_type
        info.create_system = 3  # Unix, whatever machine builds the book
        info.external_attr = 0o100644 << 16
        payload = data.encode("utf-8") if isinstance(data, str) else data
        if compress_type != zipfile.ZIP_DEFLATED:
            self.zf.writestr(info, payload)
            return
        info.file_size = len(payload)  # as ZipFile.writestr sets it: it decides on zip64
        with self.zf.open(info, "w") as dest:
            # zlib-ng deflates at 2.5 times the speed of the stdlib's zlib to the
            # same size (level 6 on 100 generated books: 0.39 against 1.0 ms a
            # book, 12.56 against 12.55 kB). zipfile has no public way to choose the
            # compressor; should a later Python rename this attribute, zlib
            # deflates the entry as before.
            dest._compressor = zlib_ng.compressobj(_DEFLATE_LEVEL, zlib_ng.DEFLATED, -15)
            dest.write(payload)


class ScratchZip(zipfile.ZipFile):
    """A ZipFile that, abandoned half made, goes without a word.

    ZipFile.__del__ closes the archive; one stopped inside its __init__ (an
    interrupt) has no `_writing` yet, and its close() printed "Exception
    ignored in ... AttributeError: _writing" as the program ended.
    """

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            fp = self.__dict__.get("fp")
            if fp is not None and not self.__dict__.get("_filePassed", True):
                fp.close()


class _Writer(epub.EpubWriter):
    def __init__(self, out: BinaryIO, package: _Package, options: dict) -> None:
        super().__init__(out, package.ebook, options)
        self.package = package

    def write(self) -> None:
        stamp = self.package.modified.timetuple()[:6]
        date_time = min(max(tuple(stamp), _ZIP_FIRST), _ZIP_LAST)
        with ScratchZip(self.file_name, "w", zipfile.ZIP_DEFLATED) as zf:
            self.out = _StableZip(zf, date_time)
            # The mimetype entry first and stored: readers sniff the file by it.
            self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
            self._write_container()
            self._write_opf()
            self._write_items()

    def _write_opf_file(self, root: etree._Element) -> None:
        root.set(XML_LANG, self.package.lang)
        self.out.writestr(f"{self.book.FOLDER_NAME}/content.opf", serialize_xml(root))

    def _get_nav(self, item: epub.EpubNav) -> bytes:
        return self.package.nav

    def _get_ncx(self) -> bytes:
        return self.package.ncx
