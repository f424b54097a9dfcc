"""Covers: load and normalise a given image, or draw a typographic one.

Both return a `Cover` that fits in 1600x2560 (the size Kindle Direct
Publishing recommends; see epub/devices.py): a given image as RGB JPEG, a drawn
one as a palette PNG (flat colour and text: smaller than a JPEG, without JPEG's
smudges around letters, and quicker to encode). Drawing is deterministic: the
same title and authors give the same bytes.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import os
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

# ImageCms and ImageOps (colour profiles, EXIF turns) only serve a given
# cover, so they are imported where one is loaded: a drawn cover does without
# them (12 ms of a one-story build's start).
from PIL import Image, ImageChops, ImageDraw, ImageFont, UnidentifiedImageError

from .cover_png import Band, Repeat, encode_palette_png
from .epub.devices import COVER_MAX_SIZE
from .epub.pages import join_names
from .errors import StorybinderError
from .model import Cover

WIDTH, HEIGHT = COVER_MAX_SIZE
# Pillow gives a freed image's memory straight back to the OS, so in a process
# that builds book after book every cover's strips were faulted in again page
# by page (0.8 ms of a 2.5 ms cover; 9 ms when covers were one 4 MB canvas).
# Two cached blocks let the next cover reuse them (PILLOW_BLOCKS_MAX, when
# set, still wins).
if "PILLOW_BLOCKS_MAX" not in os.environ:
    Image.core.set_blocks_max(2)
# A cover larger than this many pixels is refused before it is decoded:
# Pillow's own decompression-bomb limit (89 megapixels), which a print-size
# cover from an artist (6000x9000, 54 Mpx) is well inside.
MAX_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485
# EXIF orientations that turn the picture a quarter: its stored width is its height on screen.
_QUARTER_TURNS = frozenset({5, 6, 7, 8})
# Modes Pillow resamples smoothly (palette and 1-bit images it would resize by nearest pixel).
_SMOOTH_MODES = frozenset({"RGB", "RGBA", "L", "LA", "CMYK", "YCbCr"})
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF")
JPEG_QUALITY = 90
COVER_TEXT_LIMIT = 160  # characters of a title, subtitle or byline set on a drawn cover
COVER_HINT = "use a JPEG, PNG or WebP image, ideally 1600x2560"

FONT_PACKAGE = "font_source_serif_pro"
FONT_FILES = {
    "title": "SourceSerifPro-Bold.ttf",
    "subtitle": "SourceSerifPro-It.ttf",
    "author": "SourceSerifPro-Regular.ttf",
}


def _encode(image: Image.Image) -> Cover:
    buffer = io.BytesIO()
    # No EXIF, no ICC profile, no timestamps: nothing but pixels, so the bytes
    # depend only on the image.
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=False, subsampling="4:2:0")
    return Cover(buffer.getvalue(), "image/jpeg", image.width, image.height)


def load_cover(path: Path) -> Cover:
    """Check and normalise the cover image at `path`: RGB JPEG fitting 1600x2560.

    Raises StorybinderError naming the file when it is missing, not an image,
    truncated, or so large it could be a decompression bomb.
    """
    path = Path(path)
    if not path.is_file():
        raise StorybinderError("cover image not found", path=path, hint=COVER_HINT)
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; treat a warning as refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=ACCEPTED_FORMATS) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise StorybinderError(
                        f"cover image is {width}x{height} pixels, too large to be a cover (a decompression bomb?)",
                        path=path,
                        hint=COVER_HINT,
                    )
                image.seek(0)  # first frame of an animation
                box = _stored_box(image)
                _decode_small(image, box)
                image.load()  # decode now: a truncated file fails here, not later
                if image.mode in _SMOOTH_MODES:
                    # Shrunk first, so the turn and colour conversion copy a small image.
                    image.thumbnail(box, Image.Resampling.LANCZOS)
                rgb = _to_rgb(_upright(image))
    except StorybinderError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise StorybinderError(f"cover image refused as a decompression bomb: {exc}", path=path, hint=COVER_HINT) from exc
    except UnidentifiedImageError as exc:
        raise StorybinderError("cover is not an image Pillow can read", path=path, hint=COVER_HINT) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise StorybinderError(f"cover image is damaged or truncated: {exc}", path=path, hint=COVER_HINT) from exc
    if rgb.width > WIDTH or rgb.height > HEIGHT:
        rgb.thumbnail((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    return _encode(rgb)


def _stored_box(image: Image.Image) -> tuple[int, int]:
    """The cover's box in the image's stored orientation (EXIF may turn it a quarter on screen)."""
    return (HEIGHT, WIDTH) if image.getexif().get(0x0112) in _QUARTER_TURNS else (WIDTH, HEIGHT)


def _decode_small(image: Image.Image, box: tuple[int, int]) -> None:
    """Have a JPEG decoded at the smallest of 1/2, 1/4 or 1/8 of its size that still
    covers the size it is shrunk to (libjpeg scales in its DCT: a 6000x9000 print
    cover decodes as 3000x4500, a quarter of the memory and time); others as they are."""
    if image.format != "JPEG" or (image.width <= box[0] and image.height <= box[1]):
        return
    shrink = max(image.width / box[0], image.height / box[1])
    image.draft(None, (max(1, int(image.width / shrink)), max(1, int(image.height / shrink))))


# What a cover that came inside a book may be to go into ours as it is: the
# formats every reader shows, in colours it shows right, no larger than ours.
_PASSTHROUGH = {"JPEG": ("image/jpeg", ("RGB", "L")), "PNG": ("image/png", ("RGB", "L", "P", "RGBA", "LA"))}


def embedded_cover(cover: Cover) -> Cover:
    """A cover image found inside a story file (an EPUB's), checked like any cover.

    One that is already a JPEG or PNG of a usual colour mode and within
    1600x2560 is kept byte for byte (checked without decoding its pixels, as a
    rebuilt book should not re-encode its cover); anything else is decoded and
    normalised as load_cover does. Raises StorybinderError when it is no image.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(cover.data), formats=ACCEPTED_FORMATS) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise StorybinderError(f"the book's cover image is {width}x{height} pixels, too large to be a cover (a decompression bomb?)")
                kind = _PASSTHROUGH.get(image.format or "")
                colour_ok = kind is not None and image.mode in kind[1] and not image.info.get("icc_profile")
                if colour_ok and width <= WIDTH and height <= HEIGHT and _complete(cover.data, image.format):
                    if image.format == "PNG":
                        image.verify()  # chunk CRCs, without decoding a pixel
                    return Cover(cover.data, kind[0], width, height)
                image.seek(0)
                image.load()
                rgb = _to_rgb(_upright(image))
    except StorybinderError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise StorybinderError(f"the book's cover image was refused as a decompression bomb: {exc}") from exc
    except UnidentifiedImageError as exc:
        raise StorybinderError("the book's cover is not an image Pillow can read") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise StorybinderError(f"the book's cover image is damaged or truncated: {exc}") from exc
    if rgb.width > WIDTH or rgb.height > HEIGHT:
        rgb.thumbnail((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    return _encode(rgb)


def _complete(data: bytes, kind: str | None) -> bool:
    """A JPEG ends with its EOI marker, a PNG with IEND: a file cut short does not."""
    if kind == "JPEG":
        return data.rstrip(b"\x00").endswith(b"\xff\xd9")
    return data[-12:][4:8] == b"IEND" if kind == "PNG" else False


def _upright(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation says."""
    from PIL import ImageOps

    return ImageOps.exif_transpose(image)


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert pixels tagged with a colour profile (Adobe RGB, CMYK press profiles)
    to sRGB: readers ignore embedded profiles, so colours would shift."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "CMYK"):
        return image
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except (OSError, ValueError, ImageCms.PyCMSError):
        return image  # a broken profile: keep the pixels as they are


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB, with any transparency flattened onto white (JPEG has no alpha)."""
    image = _to_srgb(image)
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        from PIL import ImageOps

        image = ImageOps.autocontrast(image.convert("F").convert("L")) if image.mode == "F" else image.convert("L")
    return image.convert("RGB")


# ---- drawing -----------------------------------------------------------------

# A drawn cover is painted on one channel, then given colours by its palette:
# index 0 is the background, _INK the text (antialiased edges take the indices
# between, exactly as they blend between the two colours in RGB), _ACCENT the
# frame and rule. One byte a pixel to draw and encode instead of three.
_INK = 254
_ACCENT = 255

# Background hues are picked from the title; saturation and lightness stay in a
# band where light text reads well and nothing looks garish.
_PALETTE = [
    # (hue degrees, saturation, lightness) of deep, muted backgrounds
    (210, 0.45, 0.24),  # navy
    (190, 0.50, 0.22),  # teal
    (160, 0.40, 0.20),  # pine
    (130, 0.30, 0.22),  # moss
    (35, 0.45, 0.24),  # umber
    (15, 0.50, 0.26),  # rust
    (350, 0.45, 0.25),  # wine
    (320, 0.35, 0.24),  # plum
    (270, 0.35, 0.26),  # violet
    (240, 0.35, 0.25),  # indigo
    (200, 0.15, 0.20),  # slate
    (50, 0.35, 0.20),  # olive
]


@cache
def _font_path(role: str) -> Path:
    # The package's folder by find_spec: importlib.resources cost 2 ms to import.
    from importlib.util import find_spec

    spec = find_spec(FONT_PACKAGE)
    folder = Path(spec.submodule_search_locations[0]) if spec and spec.submodule_search_locations else Path(FONT_PACKAGE)
    path = folder / "files" / FONT_FILES[role]
    if not path.is_file():
        raise StorybinderError(f"cover font missing: {path}", hint="pip install font-source-serif-pro")
    return path


@cache
def _font(role: str, size: int) -> ImageFont.FreeTypeFont:
    # BASIC layout: the same glyph positions with or without libraqm, so the
    # cover's bytes do not depend on how Pillow was built.
    return ImageFont.truetype(str(_font_path(role)), size, layout_engine=ImageFont.Layout.BASIC)


def _colours(title: str) -> tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]]:
    """(background, text, accent) chosen from a hash of the title."""
    digest = hashlib.sha256(title.encode("utf-8", "surrogatepass")).digest()
    hue, sat, light = _PALETTE[digest[0] % len(_PALETTE)]
    hue = (hue + (digest[1] % 21) - 10) % 360  # small shift so neighbours differ

    def rgb(h: float, lum: float, s: float) -> tuple[int, int, int]:
        r, g, b = colorsys.hls_to_rgb(h / 360, lum, s)
        return round(r * 255), round(g * 255), round(b * 255)

    return rgb(hue, light, sat), rgb(hue, 0.94, 0.25), rgb((hue + 30) % 360, 0.70, 0.45)


@cache  # a few hundred colour schemes in all; building one is 768 roundings
def _palette(background: tuple[int, int, int], ink: tuple[int, int, int], accent: tuple[int, int, int]) -> tuple[int, ...]:
    """The drawn cover's 256 colours: background to ink in _INK steps, then the accent."""
    steps = [round(b + (k - b) * i / _INK) for i in range(_INK + 1) for b, k in zip(background, ink)]
    return (*steps, *accent)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap; a word wider than the line is broken between letters."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        while font.getlength(word) > width and len(word) > 1:
            cut = _fitting_prefix(word, font, width)
            lines.append(word[:cut] + "-")
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def _fitting_prefix(word: str, font: ImageFont.FreeTypeFont, width: int) -> int:
    """How many letters of `word` fit on a line with a hyphen after them (at least 1).

    A binary search: a linear one made a long unbroken title take minutes.
    """
    lo, hi = 1, len(word) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if font.getlength(word[:mid] + "-") <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _fit(text: str, role: str, width: int, height: int, largest: int, smallest: int) -> tuple[ImageFont.FreeTypeFont, list[str], int]:
    """The largest font size (step 4 px) at which `text` wraps into the box; (font, lines, line height)."""
    size = largest
    while True:
        font = _font(role, size)
        lines = _wrap(text, font, width)
        line_height = round(size * 1.15)
        # Break a word only once shrinking it further would make the title small.
        whole_words = size <= largest * 0.6 or all(font.getlength(w) <= width for w in text.split())
        if (len(lines) * line_height <= height and whole_words) or size <= smallest:
            return font, lines, line_height
        size -= 4


@cache
def _glyph_image(char: str) -> bytes:
    image = Image.new("L", (96, 96))
    ImageDraw.Draw(image).text((16, 16), char, font=_font("title", 48), fill=255)
    return image.tobytes()


# A private-use code point no text font maps: what the font draws for "missing".
_MISSING = "\U000f0000"


_SURE_PUNCTUATION = frozenset("\u2010\u2012\u2013\u2014\u2015\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026")


def _has_glyph(char: str) -> bool:
    """Whether Source Serif can draw `char` (it covers Latin, Greek, Cyrillic; not CJK or emoji)."""
    # Latin-1 and the dashes, quotes and ellipsis it surely has: no glyph to draw
    # and compare (a title's first cover drew one per letter, 3 ms).
    if char <= "\u00ff" or char in _SURE_PUNCTUATION:
        return True
    return char.isspace() or _glyph_image(char) != _glyph_image(_MISSING)


def _clean(text: str | None) -> str:
    """Text as the cover can set it: printable characters the font has, single-spaced.

    Characters the font lacks are left out rather than drawn as empty boxes.
    Beyond COVER_TEXT_LIMIT characters no line is legible at any size that
    fits, and fitting costs time with the length: the rest becomes "…".
    """
    kept = " ".join("".join(c for c in (text or "") if c.isprintable() and _has_glyph(c)).split())
    if len(kept) <= COVER_TEXT_LIMIT:
        return kept
    cut = kept.rfind(" ", COVER_TEXT_LIMIT // 2, COVER_TEXT_LIMIT)
    return kept[: cut if cut > 0 else COVER_TEXT_LIMIT].rstrip() + "…"


def draw_cover(title: str, authors: list[str], subtitle: str | None = None) -> Cover:
    """A typographic cover: title, subtitle and authors set in Source Serif on a
    background coloured from the title, as a palette PNG. Same input, same bytes."""
    # Colours come from the title as given; a title written entirely in a script
    # the font lacks (CJK, emoji) leaves only the byline on the cover.
    given = title.strip() or "Untitled"
    title = _clean(given)
    subtitle = _clean(subtitle)
    byline = join_names([_clean(a) for a in authors if _clean(a)])
    margin = 150
    text_width = WIDTH - 2 * margin

    strips: list[_Strip] = []
    blocks = []  # (font, lines, line height, gap above)
    if title:
        blocks.append((*_fit(title, "title", text_width, 1100, 220, 60), 0))
    if subtitle:
        blocks.append((*_fit(subtitle, "subtitle", text_width, 420, 110, 44), 70))
    # The title block sits around the upper third, never above y=300.
    height = sum(len(lines) * lh + gap for _, lines, lh, gap in blocks)
    y = max(300, 950 - height // 2)
    for font, lines, lh, gap in blocks:
        y += gap
        strips.append(_text_strip(lines, font, y, lh))
        y += len(lines) * lh
    # A rule under the title, and a thin frame (drawn into every band), give
    # the page some structure.
    rule_y = y + 90
    strips.append(_rule_strip(rule_y))
    if byline:
        author_font, author_lines, author_lh = _fit(byline, "author", text_width, 480, 110, 40)
        bottom = HEIGHT - 300
        top = max(rule_y + 80, bottom - len(author_lines) * author_lh)
        strips.append(_text_strip(author_lines, author_font, top, author_lh))
    palette = _palette(*_colours(given))
    data = encode_palette_png(WIDTH, HEIGHT, palette, _bands(strips))
    return Cover(data, "image/png", WIDTH, HEIGHT, generated=True)


# The cover is drawn in horizontal strips (text blocks, the rule), each with
# the frame's part in it; every other row is blank or frame and comes from
# _frame_row. Drawing only the strips, not a 4 MB canvas, is most of what
# makes a drawn cover cheap (see cover_png).
_FRAME = (70, 70, WIDTH - 71, HEIGHT - 71)
_FRAME_WIDTH = 6


@dataclass(frozen=True)
class _Strip:
    top: int
    image: Image.Image  # mode L, WIDTH wide: palette indices

    @property
    def bottom(self) -> int:
        return self.top + self.image.height


def _blank_strip(top: int, bottom: int) -> tuple[_Strip, ImageDraw.ImageDraw]:
    top, bottom = max(0, top), min(HEIGHT, max(bottom, top + 1))
    # The frame's rows copied in, rather than a fill and a drawn rectangle.
    rows = b"".join(run.row * run.count for run in _frame_runs(top, bottom))
    image = Image.frombytes("L", (WIDTH, bottom - top), rows)
    return _Strip(top, image), ImageDraw.Draw(image)


def _text_strip(lines: Sequence[str], font: ImageFont.FreeTypeFont, top: int, line_height: int) -> _Strip:
    """`lines` centred from `top` down, one every `line_height` pixels, in a strip just tall enough for their ink."""
    boxes = [font.getbbox(line, anchor="ma") for line in lines]
    first = min(top + i * line_height + box[1] for i, box in enumerate(boxes))
    last = max(top + i * line_height + box[3] for i, box in enumerate(boxes))
    strip, draw = _blank_strip(first, last)
    for i, line in enumerate(lines):
        draw.text((WIDTH // 2, top + i * line_height - strip.top), line, font=font, fill=_INK, anchor="ma")
    return strip


def _rule_strip(y: int) -> _Strip:
    strip, draw = _blank_strip(y - _FRAME_WIDTH, y + _FRAME_WIDTH)
    draw.line((WIDTH // 2 - 220, y - strip.top, WIDTH // 2 + 220, y - strip.top), fill=_ACCENT, width=_FRAME_WIDTH)
    return strip


def _merge(one: _Strip, other: _Strip) -> _Strip:
    """One strip holding both (where they overlap, the stronger ink wins)."""
    merged, _ = _blank_strip(min(one.top, other.top), max(one.bottom, other.bottom))
    for strip in (one, other):
        box = (0, strip.top - merged.top)
        part = merged.image.crop((0, box[1], WIDTH, box[1] + strip.image.height))
        merged.image.paste(ImageChops.lighter(part, strip.image), box)
    return merged


@cache
def _frame_row(kind: str) -> bytes:
    """One row outside every strip: "margin" (outside the frame), "edge" (its top
    or bottom line) or "sides" (its two uprights)."""
    row = bytearray(WIDTH)
    left, _, right, _ = _FRAME
    if kind == "edge":
        row[left : right + 1] = bytes([_ACCENT]) * (right + 1 - left)
    elif kind == "sides":
        row[left : left + _FRAME_WIDTH] = bytes([_ACCENT]) * _FRAME_WIDTH
        row[right + 1 - _FRAME_WIDTH : right + 1] = bytes([_ACCENT]) * _FRAME_WIDTH
    return bytes(row)


def _frame_runs(start: int, end: int) -> Iterator[Repeat]:
    """Rows start..end-1 (outside every strip) as runs of one frame row each."""
    _, upper, _, lower = _FRAME
    zones = (
        (0, "margin"),
        (upper, "edge"),
        (upper + _FRAME_WIDTH, "sides"),
        (lower + 1 - _FRAME_WIDTH, "edge"),
        (lower + 1, "margin"),
        (HEIGHT, ""),
    )
    for (zone_start, kind), (zone_end, _) in pairwise(zones):
        first, last = max(start, zone_start), min(end, zone_end)
        if first < last:
            yield Repeat(_frame_row(kind), last - first)


def _bands(strips: list[_Strip]) -> list[Band]:
    """The whole cover top to bottom: the strips, and runs of frame rows between them."""
    merged: list[_Strip] = []
    for strip in sorted(strips, key=lambda s: s.top):
        if merged and strip.top < merged[-1].bottom:
            merged[-1] = _merge(merged[-1], strip)
        else:
            merged.append(strip)
    bands: list[Band] = []
    y = 0
    for strip in [*merged, None]:
        end = strip.top if strip is not None else HEIGHT
        bands.extend(_frame_runs(y, end))
        if strip is not None:
            bands.append(strip.image)
            y = strip.bottom
    return bands
