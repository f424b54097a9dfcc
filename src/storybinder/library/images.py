"""Covers and thumbnails of the library's books, taken from each EPUB once and kept as
files in the cache folder (keyed by the book's file, so a rebuilt book gets new ones)."""

from __future__ import annotations

import hashlib
import io
import os
import threading
from pathlib import Path

from ..errors import StorybinderError
from .book_info import BookInfo, read_entry

THUMBNAIL_SIZE = (320, 512)  # about what OPDS clients show in a list, at 2x
THUMBNAIL_QUALITY = 82
MAX_COVER_BYTES = 40 * 1024 * 1024
MAX_PIXELS = 50_000_000  # as covers.py: refused before decoding (decompression bombs)


def _digest(book: BookInfo) -> str:
    return hashlib.sha1(f"{book.key}\0{book.stamp}".encode()).hexdigest()[:24]


class CoverStore:
    """Cover images and thumbnails as files under `cache_dir`, each made once."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock(self, name: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(name, threading.Lock())

    def cover(self, book: BookInfo) -> Path:
        """The book's cover image as a file (its own format)."""
        if not book.cover_entry:
            raise StorybinderError("this book has no cover", path=book.path)
        target = self.cache_dir / "covers" / f"{_digest(book)}{Path(book.cover_entry).suffix.lower() or '.img'}"
        return self._make(target, lambda: read_entry(book.path, book.cover_entry, MAX_COVER_BYTES))

    def thumbnail(self, book: BookInfo) -> Path:
        """A small JPEG of the cover, made the first time it is asked for."""
        target = self.cache_dir / "thumbnails" / f"{_digest(book)}.jpg"
        return self._make(target, lambda: make_thumbnail(self.cover(book).read_bytes()))

    def _make(self, target: Path, produce) -> Path:
        if target.is_file():
            return target
        with self._lock(str(target)):
            if target.is_file():
                return target
            data = produce()
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, target)
        return target


def make_thumbnail(data: bytes) -> bytes:
    """A JPEG no larger than THUMBNAIL_SIZE from cover image bytes."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise StorybinderError(f"the cover is too large to read ({image.width}x{image.height})")
            image.draft("RGB", THUMBNAIL_SIZE)  # JPEG: decode at a fraction of the size
            image = image.convert("RGB")
            image.thumbnail(THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True, progressive=False)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise StorybinderError(f"the cover image cannot be read ({exc})") from exc
