"""What Amazon's Send-to-Kindle conversion rejects or garbles, and size limits of
Kindle and older e-ink readers: XML declarations, links to body ids, images with no
source, image types and sizes, oversize chapters and books."""

from __future__ import annotations

import re
import warnings

from PIL import Image, UnidentifiedImageError

from .epub_archive import ENTRY_ERRORS, XHTML_NS, XHTML_TYPES, EpubPackage
from .findings import Finding, error, warning
from .references import BookReferences

MB = 1024 * 1024
KINDLE_IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/svg+xml"}
MAX_IMAGE_BYTES = 5 * MB
MAX_IMAGE_SIDE = 4096
MAX_BOOK_BYTES = 127 * MB
MAX_XHTML_BYTES = 300 * 1024
PIL_MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp",
                   "BMP": "image/bmp", "TIFF": "image/tiff"}
XML_DECLARATION = re.compile(rb"^<\?xml\s[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def check_kindle(package: EpubPackage, refs: BookReferences) -> list[Finding]:
    findings = _xml_declarations(package)
    findings += _body_id_links(package, refs)
    findings += _images_without_source(refs)
    findings += _images(package)
    findings += _sizes(package)
    return findings


def _xml_declarations(package: EpubPackage) -> list[Finding]:
    out = []
    fix = 'make <?xml version="1.0" encoding="utf-8"?> the very first line'
    for item in package.local_items(XHTML_TYPES):
        head = package.parse(item.path).head
        if head.startswith(BOMS[1:]):
            out.append(error("content.encoding", item.path, "the file is UTF-16; EPUB readers expect UTF-8: re-save it as UTF-8"))
            continue
        head = head.removeprefix(BOMS[0])
        match = XML_DECLARATION.match(head)
        if match is None:
            missing = "has an XML declaration without encoding" if head.startswith(b"<?xml") else "has no XML declaration"
            out.append(error("kindle.xml-declaration", item.path, f"{missing}; Send-to-Kindle then reads the text as Latin-1 and garbles accents and curly quotes: {fix}"))
        elif match.group(1).decode().lower().replace("_", "-") not in ("utf-8", "utf8"):
            out.append(error("content.encoding", item.path, f"declares encoding {match.group(1).decode()!r}; EPUB content must be UTF-8: convert it and {fix}"))
    return out


def _body_id_links(package: EpubPackage, refs: BookReferences) -> list[Finding]:
    out, seen = [], set()
    for ref in refs.all:
        if ref.kind != "link" or (ref.source, ref.href) in seen:
            continue
        resolved = package.resolve(ref.source, ref.href.strip())
        if resolved is None or not resolved[1]:
            continue
        target, fragment = resolved
        if package.has(target) and fragment == refs.body_id(target):
            seen.add((ref.source, ref.href))
            out.append(error("kindle.body-id-link", ref.source, f"links to {ref.href}, the id of the <body> element; Send-to-Kindle rejects such links as unresolved: link to {target.rsplit('/', 1)[-1]} without the #fragment", ref.line))
    return out


def _images_without_source(refs: BookReferences) -> list[Finding]:
    out = []
    for name, root in refs.roots():
        for img in root.iter(f"{{{XHTML_NS}}}img"):
            if not (img.get("src") or "").strip():
                out.append(error("kindle.img-no-src", name, "an <img> has no src; Send-to-Kindle fails on it: remove the element or give it a source", img.sourceline))
    return out


def _images(package: EpubPackage) -> list[Finding]:
    out = []
    for item in package.manifest:
        if not item.media_type.startswith("image/") or item.remote or not package.has(item.path):
            continue
        if item.path in package.encrypted:
            continue
        if item.media_type not in KINDLE_IMAGE_TYPES:
            out.append(error("kindle.image-type", item.path, f"{item.media_type} images are not supported by Kindle (and many readers); convert to JPEG or PNG"))
        size = package.size(item.path)
        if size > MAX_IMAGE_BYTES:
            out.append(error("kindle.image-size", item.path, f"image is {size / MB:.1f} MB; Kindle accepts at most {MAX_IMAGE_BYTES // MB} MB per image: scale it down or compress it"))
        if item.media_type != "image/svg+xml":
            out += _raster(package, item.path, item.media_type)
    return out


def _raster(package: EpubPackage, name: str, media_type: str) -> list[Finding]:
    """Open only the image header: dimensions and real format, without decoding pixels."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with package.archive.open(name) as stream, Image.open(stream) as image:
                width, height, real = image.width, image.height, image.format
    except Image.DecompressionBombError as exc:
        return [error("kindle.image-dimensions", name, f"image is far too large to decode safely ({exc}); scale it down")]
    except (UnidentifiedImageError, ValueError, SyntaxError, *ENTRY_ERRORS):
        return [error("content.image-corrupt", name, "this image cannot be decoded (corrupt or not an image); replace it")]
    out = []
    actual = PIL_MEDIA_TYPES.get(real or "")
    if actual and actual != media_type:
        out.append(error("content.image-type-mismatch", name, f"declared as {media_type} but the file is {real}; fix the manifest media-type or convert the file"))
    if max(width, height) > MAX_IMAGE_SIDE:
        out.append(error("kindle.image-dimensions", name, f"image is {width}x{height} px; Kindle conversion takes at most {MAX_IMAGE_SIDE} px on a side: scale it down (about 1600x2560 suits a cover)"))
    return out


def _sizes(package: EpubPackage) -> list[Finding]:
    out = []
    for item in package.local_items(XHTML_TYPES):
        size = package.size(item.path)
        if size > MAX_XHTML_BYTES:
            out.append(warning("content.xhtml-size", item.path, f"{size // 1024} KB of XHTML in one file; Kindle and older readers are slow or fail above ~{MAX_XHTML_BYTES // 1024} KB: split it into several chapters"))
    book = package.source.stat().st_size
    if book > MAX_BOOK_BYTES:
        out.append(error("kindle.book-size", "", f"the book is {book / MB:.0f} MB; Kindle conversion rejects books over {MAX_BOOK_BYTES // MB} MB: shrink the images"))
    return out
