"""The drawn cover's PNG encoder: bands of repeated rows and strips make a PNG
that decodes to exactly those pixels."""

from __future__ import annotations

import io
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from storybinder.cover_png import Repeat, adler32_combine, encode_palette_png
from storybinder.covers import draw_cover

PALETTE = tuple(v for i in range(256) for v in (i, 255 - i, (i * 7) % 256))


def strip(width: int, height: int, seed: int) -> Image.Image:
    return Image.frombytes("L", (width, height), bytes((seed + 31 * i) % 256 for i in range(width * height)))


def test_bands_decode_to_exactly_their_pixels():
    width = 40
    edge = bytes([255] * width)
    sides = bytes([255, 255] + [0] * (width - 4) + [255, 255])
    bands = [Repeat(bytes(width), 3), Repeat(edge, 1), strip(width, 5, 1), Repeat(sides, 1000), strip(width, 2, 9)]
    png = encode_palette_png(width, 1011, PALETTE, bands)

    image = Image.open(io.BytesIO(png))
    image.load()
    assert (image.format, image.mode, image.size) == ("PNG", "P", (width, 1011))
    expected = bytes(width) * 3 + edge + strip(width, 5, 1).tobytes() + sides * 1000 + strip(width, 2, 9).tobytes()
    assert image.tobytes() == expected
    assert tuple(image.getpalette()) == PALETTE
    # The same bands, the same bytes (the repeated rows now come from the cache).
    assert encode_palette_png(width, 1011, PALETTE, bands) == png


def test_bands_must_fill_the_image_exactly():
    with pytest.raises(ValueError, match="cover 4 rows of 5"):
        encode_palette_png(8, 5, PALETTE, [Repeat(bytes(8), 4)])
    with pytest.raises(ValueError, match="wide"):
        encode_palette_png(8, 4, PALETTE, [Repeat(bytes(7), 4)])
    with pytest.raises(ValueError, match="wide"):
        encode_palette_png(8, 4, PALETTE, [strip(9, 4, 0)])


@given(st.binary(max_size=3000), st.binary(max_size=70000))
def test_adler32_combine_matches_zlib(first, second):
    assert adler32_combine(zlib.adler32(first), zlib.adler32(second), len(second)) == zlib.adler32(first + second)


def test_drawn_cover_frame_and_text_land_where_drawn():
    image = Image.open(io.BytesIO(draw_cover("Harbour Lights", ["Ada Quill"], subtitle="A winter tale").data))
    indices = image.tobytes()
    row = lambda y: indices[y * 1600 : (y + 1) * 1600]
    assert set(row(30)) == {0}  # margin outside the frame
    assert set(row(72)[70:1530]) == {255}  # the frame's top edge
    assert row(1200)[70:76] == bytes([255] * 6) and row(1200)[1524:1530] == bytes([255] * 6)  # its sides
    inked = [y for y in range(2560) if any(0 < v < 255 for v in row(y)[150:1450])]
    assert inked and 300 <= inked[0] < 1100 and inked[-1] > 1900  # title near the top third, byline near the foot
