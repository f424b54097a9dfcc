"""Covers: a given image is checked and normalised; a missing one is drawn."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from storybinder import covers
from storybinder.covers import draw_cover, load_cover
from storybinder.errors import StorybinderError


def jpeg(cover) -> Image.Image:
    image = Image.open(io.BytesIO(cover.data))
    image.load()
    return image


def drawn(cover) -> Image.Image:
    """A drawn cover's pixels in RGB (it is a palette PNG)."""
    return jpeg(cover).convert("RGB")


def save(image: Image.Image, path: Path, fmt: str, **kw) -> Path:
    image.save(path, fmt, **kw)
    return path


def test_drawn_cover_is_a_full_size_palette_png(tmp_path):
    cover = draw_cover("My Greatest Failure", ["TwilightSparkle3562"])
    image = jpeg(cover)
    assert (image.format, image.mode, image.size) == ("PNG", "P", (1600, 2560))
    assert (cover.media_type, cover.width, cover.height, cover.generated) == ("image/png", 1600, 2560, True)
    # Smaller than the optimised JPEG it replaced (~180 kB for this size).
    assert len(cover.data) < 150_000


def test_drawn_cover_is_deterministic_and_differs_by_title():
    a1 = draw_cover("The Lighthouse", ["Jane Doe"], subtitle="A story")
    a2 = draw_cover("The Lighthouse", ["Jane Doe"], subtitle="A story")
    assert a1.data == a2.data
    backgrounds = {drawn(draw_cover(t, ["X"])).getpixel((20, 20)) for t in ("Alpha", "Beta", "Gamma", "Delta", "Omega")}
    assert len(backgrounds) >= 3


def test_drawn_cover_uses_source_serif_truetype():
    font = covers._font("title", 100)
    assert font.path.endswith("SourceSerifPro-Bold.ttf")
    assert font.getlength("W") > 50  # a scalable face at 100 px, not the 11 px bitmap default


@pytest.mark.parametrize(
    "title",
    [
        "A",
        "An Extraordinarily Long Title That Goes On and On Past Any Reasonable Length For a Cover",
        "Pneumonoultramicroscopicsilicovolcanoconiosisandmore",
    ],
)
def test_drawn_text_stays_inside_the_margins(title):
    image = drawn(draw_cover(title, ["Somebody With A Long Name", "Another Author"], subtitle="Being a Tale"))
    background = image.getpixel((30, 1280))
    # Between the frame (x=70..76) and the text margin (x=150) nothing is drawn.
    for x in (90, 120, 1480, 1510):
        column = [image.getpixel((x, y)) for y in range(120, 2440, 40)]
        assert all(sum(abs(a - b) for a, b in zip(p, background)) < 40 for p in column), (title, x)
    # ... and the title is really there: the middle band is not blank.
    assert len(image.crop((150, 300, 1450, 900)).getcolors(maxcolors=1 << 20)) > 10


def test_png_with_transparency_becomes_an_rgb_jpeg_on_white(tmp_path):
    src = Image.new("RGBA", (400, 640), (255, 0, 0, 0))
    src.paste((0, 0, 255, 255), (100, 100, 300, 540))
    cover = load_cover(save(src, tmp_path / "c.png", "PNG"))
    image = jpeg(cover)
    assert (image.format, image.mode, image.size, cover.generated) == ("JPEG", "RGB", (400, 640), False)
    assert all(v > 240 for v in image.getpixel((10, 10)))  # transparent -> white, not black or red
    assert image.getpixel((200, 300))[2] > 200


def test_webp_is_converted_and_a_large_image_scaled_to_fit_keeping_its_shape(tmp_path):
    src = Image.new("RGB", (1800, 2250), (10, 120, 200))
    cover = load_cover(save(src, tmp_path / "big.webp", "WEBP"))
    assert jpeg(cover).format == "JPEG"
    assert (cover.width, cover.height) == (1600, 2000)


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(StorybinderError) as caught:
        load_cover(tmp_path / "nope.jpg")
    assert "nope.jpg" in str(caught.value) and "not found" in str(caught.value)


def test_a_file_that_is_not_an_image_is_refused(tmp_path):
    fake = tmp_path / "cover.jpg"
    fake.write_text("this is text, not a picture")
    with pytest.raises(StorybinderError, match="cover.jpg.*not an image"):
        load_cover(fake)


def test_a_truncated_image_is_refused(tmp_path):
    good = save(Image.effect_noise((800, 800), 50).convert("RGB"), tmp_path / "full.jpg", "JPEG")
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(StorybinderError, match="cut.jpg.*(damaged|truncated)"):
        load_cover(cut)


def test_a_decompression_bomb_is_refused_before_decoding(tmp_path):
    # 10000x10000 one-bit pixels: a few kilobytes on disk, 100 megapixels decoded.
    bomb = save(Image.new("1", (10000, 10000)), tmp_path / "bomb.png", "PNG")
    assert bomb.stat().st_size < 100_000
    with pytest.raises(StorybinderError, match="bomb.png.*(too large|decompression bomb)"):
        load_cover(bomb)


def test_cmyk_jpeg_becomes_rgb(tmp_path):
    cover = load_cover(save(Image.new("CMYK", (300, 480), (0, 100, 100, 0)), tmp_path / "cmyk.jpg", "JPEG"))
    assert jpeg(cover).mode == "RGB"


def test_characters_the_font_lacks_are_left_out_not_drawn_as_boxes():
    assert covers._clean("Ünïcödé 日本 👩 Title — ½") == "Ünïcödé Title — ½"
    image = drawn(draw_cover("日本語の本", ["Yamada Taro"]))
    grey = image.convert("L")

    def ink(box) -> int:  # light text pixels on the dark background
        return sum(n for n, v in grey.crop(box).getcolors(maxcolors=1 << 20) if v > 180)

    assert ink((150, 300, 1450, 440)) == 0  # no boxes where the title would be
    assert ink((150, 2000, 1450, 2300)) > 1000  # the byline is there


def test_colour_profile_is_applied_and_not_embedded(tmp_path):
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    tagged = save(Image.new("RGB", (100, 160), (200, 30, 30)), tmp_path / "icc.jpg", "JPEG", icc_profile=srgb)
    image = jpeg(load_cover(tagged))
    assert "icc_profile" not in image.info
    assert all(abs(a - b) < 8 for a, b in zip(image.getpixel((50, 80)), (200, 30, 30)))
    broken = save(Image.new("RGB", (100, 160)), tmp_path / "bad.jpg", "JPEG", icc_profile=b"not a profile" * 10)
    assert load_cover(broken).width == 100


@pytest.fixture(scope="module")
def print_cover(tmp_path_factory) -> Path:
    """A 6000x9000 JPEG, as an artist delivers a print cover (54 megapixels)."""
    image = Image.linear_gradient("L").resize((6000, 9000)).convert("RGB")
    return save(image, tmp_path_factory.mktemp("print") / "print-cover.jpg", "JPEG", quality=90)


def test_a_print_size_cover_is_scaled_down_not_refused(print_cover):
    cover = load_cover(print_cover)
    assert (cover.width, cover.height) == (1600, 2400)
    image = jpeg(cover)
    assert (image.format, image.mode) == ("JPEG", "RGB")
    top, bottom = image.getpixel((800, 10)), image.getpixel((800, 2390))
    assert top[0] < 20 and bottom[0] > 235  # the gradient survives the reduced decode


def test_only_covers_past_pillows_own_bomb_limit_are_refused():
    assert covers.MAX_PIXELS == Image.MAX_IMAGE_PIXELS
    assert 6000 * 9000 < covers.MAX_PIXELS < 10000 * 10000


def test_a_large_jpeg_turned_by_exif_is_scaled_to_fit_as_it_is_shown(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown turned a quarter: portrait
    path = save(Image.new("RGB", (4000, 2500), (200, 30, 30)), tmp_path / "turned.jpg", "JPEG", exif=exif)
    cover = load_cover(path)
    assert (cover.width, cover.height) == (1600, 2560)


def test_the_characters_taken_as_drawable_without_looking_are_in_the_font():
    """covers._has_glyph skips drawing Latin-1 and common punctuation: the bundled font must have every one."""
    from storybinder.covers import _MISSING, _SURE_PUNCTUATION, _glyph_image

    sure = [chr(c) for c in range(0x21, 0x100) if chr(c).isprintable() and not chr(c).isspace()] + sorted(_SURE_PUNCTUATION)
    assert [c for c in sure if _glyph_image(c) == _glyph_image(_MISSING)] == []
