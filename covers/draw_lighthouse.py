"""Draw covers/the-lighthouse-keepers-cat.jpg, the sample story's cover art.

Run from the repository root: `python covers/draw_lighthouse.py`. The art is
ours (shapes drawn with Pillow), set in Source Serif from font-source-serif-pro.
"""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

W, H = 1600, 2560
OUT = Path(__file__).with_name("the-lighthouse-keepers-cat.jpg")


def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path = resources.files("font_source_serif_pro") / "files" / name
    with resources.as_file(path) as real:
        return ImageFont.truetype(str(real), size)


def main() -> None:
    img = Image.new("RGB", (W, H))
    px = ImageDraw.Draw(img)
    # Night sky: a vertical gradient from ink blue to storm grey.
    for y in range(H):
        t = y / H
        px.line([(0, y), (W, y)], fill=(int(14 + 40 * t), int(24 + 46 * t), int(48 + 50 * t)))
    # The beam: a soft wedge of light from the lamp room.
    beam = Image.new("L", (W, H), 0)
    ImageDraw.Draw(beam).polygon([(980, 1060), (W, 700), (W, 1300)], fill=120)
    beam = beam.filter(ImageFilter.GaussianBlur(40))
    img.paste(Image.new("RGB", (W, H), (255, 226, 150)), mask=beam)
    px = ImageDraw.Draw(img)
    # Sea: dark bands with wave crests.
    px.rectangle([0, 1900, W, H], fill=(10, 30, 44))
    for row in range(12):
        y = 1930 + row * 52
        pts = [(x, y + 10 * math.sin(x / 60 + row)) for x in range(0, W + 20, 20)]
        px.line(pts, fill=(40, 80, 100), width=4)
    # Rock and tower.
    px.polygon([(520, 1960), (700, 1780), (1260, 1770), (1420, 1960)], fill=(28, 28, 34))
    px.polygon([(800, 1790), (860, 1140), (1000, 1140), (1060, 1790)], fill=(236, 232, 222))
    for y in (1300, 1480, 1660):
        px.polygon([(800 + (1790 - y) * 0.09 - 4, y), (1060 - (1790 - y) * 0.09 + 4, y),
                    (1060 - (1790 - y - 80) * 0.09 + 4, y + 80), (800 + (1790 - y - 80) * 0.09 - 4, y + 80)],
                   fill=(178, 40, 44))
    px.rectangle([840, 1040, 1020, 1140], fill=(255, 214, 120), outline=(30, 30, 30), width=8)
    px.polygon([(820, 1040), (930, 950), (1040, 1040)], fill=(40, 40, 48))
    # The cat, in silhouette on the gallery rail.
    px.ellipse([1030, 1080, 1110, 1140], fill=(20, 20, 24))
    px.ellipse([1085, 1050, 1135, 1095], fill=(20, 20, 24))
    px.polygon([(1092, 1058), (1098, 1030), (1108, 1056)], fill=(20, 20, 24))
    px.polygon([(1114, 1056), (1126, 1030), (1130, 1060)], fill=(20, 20, 24))
    px.line([(1032, 1120), (1000, 1150), (990, 1190)], fill=(20, 20, 24), width=10)
    # Title and byline.
    title = font("SourceSerifPro-Bold.ttf", 150)
    for i, line in enumerate(["The Lighthouse", "Keeper’s Cat"]):
        px.text((W // 2, 260 + i * 175), line, font=title, fill=(250, 244, 228), anchor="mm")
    px.text((W // 2, 2420), "WREN HALLOWAY", font=font("SourceSerifPro-Semibold.ttf", 80), fill=(250, 244, 228), anchor="mm")
    img.save(OUT, "JPEG", quality=88, optimize=True)


if __name__ == "__main__":
    main()
