"""PNG encoding for drawn covers: most rows are repeats, so compress them once.

A drawn cover is 1600x2560 palette pixels, and Pillow's encoder spends about
6 ms a cover deflating all 4 MB of them, though most rows are one of three
rows repeated (margin, frame edge, frame sides). Here a cover is described
as bands from top to bottom: a row repeated N times, or a drawn strip (text,
rules). Each band is deflated on its own and ends on a byte boundary (a sync
flush), so the pieces can be laid side by side in one zlib stream; a
repeated-row band is compressed once per process and then reused, so only
the strips cost anything (about a quarter of the pixels). The result is an
ordinary PNG any reader decodes; the same bands always give the same bytes.
Deflate is zlib-ng's (as in the EPUB writer): the stdlib's API, and its RLE
mode packs the strips 4x quicker to the same size.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from PIL import Image
from zlib_ng import zlib_ng as zlib

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_FILTER_NONE = b"\x00"  # each PNG scanline starts with its filter type; 0 = raw bytes
_ZLIB_HEADER = b"\x78\x01"  # deflate, 32 KB window, no preset dictionary
_FINAL_EMPTY_BLOCK = b"\x03\x00"  # a last, empty fixed-Huffman block ends the deflate stream
_ADLER_BASE = 65521


@dataclass(frozen=True)
class Repeat:
    """`row` (one palette index a pixel, the image's width) repeated `count` times."""

    row: bytes
    count: int


Band = Repeat | Image.Image  # a strip as wide as the cover, mode "L" (palette indices)


def encode_palette_png(width: int, height: int, palette: Sequence[int], bands: Sequence[Band]) -> bytes:
    """A PNG (8-bit palette, 256 colours given as r, g, b, ...) of `bands` stacked top to bottom."""
    rows = sum(b.count if isinstance(b, Repeat) else b.height for b in bands)
    if rows != height:
        raise ValueError(f"bands cover {rows} rows of {height}")
    pieces: list[bytes] = [_ZLIB_HEADER]
    adler = 1  # Adler-32 of no data
    for data, band_adler, length in _deflated(width, bands):
        pieces.append(data)
        adler = adler32_combine(adler, band_adler, length)
    pieces.append(_FINAL_EMPTY_BLOCK)
    pieces.append(struct.pack(">I", adler))
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)  # 8-bit, palette, no interlace
    return b"".join(
        [
            _SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"PLTE", bytes(palette)),
            _chunk(b"IDAT", b"".join(pieces)),
            _chunk(b"IEND", b""),
        ]
    )


def _deflated(width: int, bands: Sequence[Band]) -> Iterator[tuple[bytes, int, int]]:
    """(deflate piece ending on a byte boundary, Adler-32 of its input, input length) per band."""
    for band in bands:
        if isinstance(band, Repeat):
            if len(band.row) != width:
                raise ValueError(f"a repeated row is {len(band.row)} pixels wide, not {width}")
            # Repeats by powers of two: a handful of cached pieces cover any count.
            count, power = band.count, 0
            while count:
                if count & 1:
                    yield _repeated(band.row, 1 << power)
                count >>= 1
                power += 1
        else:
            if band.width != width or band.mode != "L":
                raise ValueError(f"a strip must be {width} pixels wide, one palette index a pixel (mode L)")
            # A zero column in front of the pixels is each scanline's filter
            # byte: Pillow lays the rows out in C, not a Python loop.
            scanlines_image = Image.new("L", (width + 1, band.height), 0)
            scanlines_image.paste(band, (1, 0))
            scanlines = scanlines_image.tobytes()
            yield _deflate(scanlines), zlib.adler32(scanlines), len(scanlines)


@cache
def _repeated(row: bytes, count: int) -> tuple[bytes, int, int]:
    scanlines = (_FILTER_NONE + row) * count
    return _deflate(scanlines), zlib.adler32(scanlines), len(scanlines)


def _deflate(data: bytes) -> bytes:
    # A fresh raw-deflate stream per piece: nothing refers back to another
    # piece, and the sync flush leaves it on a byte boundary, unfinished.
    # Z_RLE: flat colour is long runs, which run-length matching packs as well
    # as full matching at a fraction of the time.
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15, 9, zlib.Z_RLE)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


def adler32_combine(first: int, second: int, second_length: int) -> int:
    """Adler-32 of A+B from those of A and B (zlib's adler32_combine, which Python lacks)."""
    rem = second_length % _ADLER_BASE
    sum1 = first & 0xFFFF
    sum2 = (rem * sum1) % _ADLER_BASE
    sum1 = (sum1 + (second & 0xFFFF) + _ADLER_BASE - 1) % _ADLER_BASE
    sum2 = (sum2 + (first >> 16) + (second >> 16) + _ADLER_BASE - rem) % _ADLER_BASE
    return (sum2 << 16) | sum1


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
