"""Kindle: an EPUB that Send-to-Kindle accepts and that fits in one e-mail.

Amazon's Send-to-Kindle service converts EPUBs itself; what it rejects is
checked by check/kindle_rules.py (XML declarations, image sizes, book size).
Here the book is made to pass those rules and fit the mail limit:
- Send-to-Kindle by e-mail takes at most 50 MB a message (attachments
  base64-encoded, so about 37 MB of book): images are scaled down, step by
  step, until the book fits;
- Kindle conversion rejects images over 5 MB or 4096 px a side
  (check/kindle_rules.py): those are scaled down first, whatever the total.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from ..check.kindle_rules import MAX_IMAGE_BYTES, MAX_IMAGE_SIDE
from ..errors import StorybinderError
from .epub_zip import Entry, read_entries, write_entries

MB = 1024 * 1024
MAIL_LIMIT = 50 * MB  # Send-to-Kindle's e-mail limit, for the whole message
MIME_HEADROOM = 256 * 1024  # headers, the text part, MIME boundaries
RASTER = (".jpg", ".jpeg", ".png", ".gif", ".webp")
STEPS = (2560, 1800, 1280, 960, 640)  # longest side tried, largest first


def encoded_size(raw: int) -> int:
    """Bytes of `raw` bytes as a base64 MIME part (76-character lines and CRLFs)."""
    b64 = -(-raw // 3) * 4
    return b64 + 2 * -(-b64 // 76)


def fits_in_mail(raw: int) -> bool:
    return encoded_size(raw) + MIME_HEADROOM <= MAIL_LIMIT


def _scaled(data: bytes, name: str, longest: int) -> bytes:
    """The image no longer than `longest` px a side and no larger than Kindle's per-image limit."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        if image.width * image.height > 50_000_000:
            raise StorybinderError(f"{name}: image too large to read ({image.width}x{image.height})")
        if max(image.size) <= longest and len(data) <= MAX_IMAGE_BYTES:
            return data
        fmt = "PNG" if name.lower().endswith(".png") else "JPEG"
        image.load()
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        side = min(longest, max(image.size))
        while True:
            copy = image.copy()
            copy.thumbnail((side, side), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            copy.save(out, fmt, **({"quality": 85, "optimize": True} if fmt == "JPEG" else {"optimize": True}))
            if out.tell() <= MAX_IMAGE_BYTES or side <= 320:
                return out.getvalue()
            side = int(side * 0.8)


def _total(entries: list[Entry]) -> int:
    import zlib

    # Deflated size, near enough: images barely compress, text compresses well.
    return sum(len(e.data) if e.name.lower().endswith(RASTER) else len(zlib.compress(e.data, 6)) for e in entries)


def make_kindle_ready(source: Path, target: Path) -> Path:
    """Write `target`: the EPUB at `source` with images inside Kindle's limits and the whole book inside one mail."""
    entries, _ = read_entries(source)
    images = [e for e in entries if e.name.lower().endswith(RASTER)]
    before = [e.data for e in images]
    for entry in images:
        entry.data = _scaled(entry.data, entry.name, MAX_IMAGE_SIDE)
    for longest in STEPS:
        if fits_in_mail(_total(entries)):
            break
        for entry in images:
            entry.data = _scaled(entry.data, entry.name, longest)
    if not fits_in_mail(_total(entries)):
        raise StorybinderError(f"too large for Send-to-Kindle even with its images scaled down "
                               f"({_total(entries) / MB:.0f} MB; the mail limit is {MAIL_LIMIT // MB} MB)", path=source)
    if all(e.data is old for e, old in zip(images, before)):
        shutil.copyfile(source, target)  # nothing to change: the book as built, byte for byte
    else:
        write_entries(entries, target)
    return target


def kindle_name(epub: Path) -> Path:
    """books/x.epub -> books/x.kindle.epub."""
    return epub.with_name(epub.name[: -len(".epub")] + ".kindle.epub")
