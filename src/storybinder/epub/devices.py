"""Every workaround for a particular reading system, in one place.

Each entry names the reader that needs it, so when that reader dies the
workaround can go too. The EPUB 3 parts (nav, landmarks, properties) are the
standard; what is here is extra, for readers that lag behind it.
"""

from __future__ import annotations

import functools

from lxml import etree

# Kindle (Send to Kindle and KindleGen) rejects or mis-decodes XHTML files that
# lack an XML declaration, so every XHTML file starts with one, written with the
# double quotes every tool expects (lxml's own declaration uses single quotes).
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
HTML_DOCTYPE = "<!DOCTYPE html>"

# Kindle (KF8 via calibre's AZW3 output and Amazon's converter) drops the border
# that makes a bare <hr> visible and collapses empty elements, so a scene break
# is a paragraph of visible characters (with role="separator" for screen readers).
SCENE_BREAK_TEXT = "* * *"

# Apple Books and EPUBCheck: a non-linear cover page that nothing links to is
# unreachable (OPF-096), so the cover page is the first *linear* spine item.
COVER_PAGE_LINEAR = True

# Kindle Direct Publishing's recommended cover size (1:1.6); Kobo and Apple
# Books scale it down without visible loss.
COVER_MAX_SIZE = (1600, 2560)

# EPUB 2 guide types for our EPUB 3 landmarks. Kindle uses the guide's "text"
# reference as "Go to Beginning" and its "cover"/"toc" entries; Adobe RMSDK
# readers (older Kobo, Nook, Sony) know only the guide.
GUIDE_TYPES = {
    "cover": "cover",
    "titlepage": "title-page",
    "toc": "toc",
    "bodymatter": "text",
}


def serialize_xml(root: etree._Element, *, pretty: bool = True) -> bytes:
    """An XML file of the book (OPF, NCX) with our XML declaration."""
    return XML_DECLARATION + etree.tostring(root, encoding="utf-8", pretty_print=pretty)


APPLE_DISPLAY_OPTIONS_PATH = "META-INF/com.apple.ibooks.display-options.xml"


@functools.cache  # the same bytes for every book
def apple_display_options() -> bytes:
    """META-INF/com.apple.ibooks.display-options.xml.

    Apple Books reads its per-book options here, and epub.js (the engine of
    many web and app readers) requests the file when it opens any book, so a
    missing one shows up as a failed load. We embed no fonts, so
    specified-fonts is false: the reader's own font choice applies.
    """
    root = etree.Element("display_options")
    platform = etree.SubElement(root, "platform", name="*")
    etree.SubElement(platform, "option", name="specified-fonts").text = "false"
    return serialize_xml(root)


def epub2_cover_meta(cover_image_id: str) -> dict[str, str]:
    """Attributes of `<meta name="cover">`.

    Kindle (KF8 conversion), Kobo and Adobe RMSDK find the cover image by this
    EPUB 2 meta, not by the EPUB 3 `cover-image` manifest property.
    """
    # name before content: KindleGen's parser once required this order.
    return {"name": "cover", "content": cover_image_id}


def calibre_series_metas(series: str, index: float | None) -> list[dict[str, str]]:
    """`<meta name="calibre:series">` and `calibre:series_index` attributes.

    calibre and Kobo (sideloaded books) read the series only from these; they
    ignore EPUB 3 `belongs-to-collection`.
    """
    metas = [{"name": "calibre:series", "content": series}]
    if index is not None:
        metas.append({"name": "calibre:series_index", "content": format_number(index)})
    return metas


def format_number(value: float) -> str:
    """2.0 -> "2", 2.5 -> "2.5" (series positions)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
