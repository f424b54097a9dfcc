"""How fast each reader turns a long story into a Story (no assertions: numbers to watch).

Generates a ~1 MB story (2,000 paragraphs x 10 chapters' worth of styled
prose) in each format under a temporary folder, reads each three times and
prints the best time. Run: `python bench/readers_speed.py`.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import docx

from storybinder.readers import read_story

CHAPTERS = 10
PARAGRAPHS = 200
SENTENCE = "The lamp was quiet for a long moment, and across the river the gulls were waking"


def write_samples(folder: Path) -> dict[str, Path]:
    md, html, bb, txt = [], ["<html><head><title>Bench</title></head><body>"], [], []
    document = docx.Document()
    for c in range(1, CHAPTERS + 1):
        md.append(f"# Chapter {c}\n")
        html.append(f"<h2>Chapter {c}</h2>")
        bb.append(f"[center][b]Chapter {c}[/b][/center]")
        txt.append(f"Chapter {c}\n")
        document.add_paragraph(f"Chapter {c}", style="Heading 1")
        for p in range(PARAGRAPHS):
            md.append(f"{SENTENCE} *{p}* and **bold** text.\n")
            html.append(f"<p>{SENTENCE} <em>{p}</em> and <strong>bold</strong> text.</p>")
            bb.append(f"{SENTENCE} [i]{p}[/i] and [b]bold[/b] text.")
            txt.append(f"{SENTENCE} *{p}* and bold text.\n")
            para = document.add_paragraph(f"{SENTENCE} ")
            para.add_run(str(p)).italic = True
            para.add_run(" and ")
            para.add_run("bold").bold = True
            para.add_run(" text.")
    html.append("</body></html>")
    paths = {
        "markdown": folder / "bench.md",
        "html": folder / "bench.html",
        "bbcode": folder / "bench.bbcode",
        "txt": folder / "bench.txt",
        "txt-cp1252": folder / "bench-cp1252.txt",
        "docx": folder / "bench.docx",
    }
    paths["markdown"].write_text("\n".join(md), encoding="utf-8")
    paths["html"].write_text("\n".join(html), encoding="utf-8")
    paths["bbcode"].write_text("\n".join(bb), encoding="utf-8")
    paths["txt"].write_text("\n".join(txt), encoding="utf-8")
    paths["txt-cp1252"].write_bytes(("“Café” — " + "\n".join(txt)).encode("cp1252"))
    document.save(paths["docx"])
    return paths


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in write_samples(Path(tmp)).items():
            best = min(_time(path) for _ in range(3))
            size = path.stat().st_size / 1e6
            print(f"{name:12} {size:6.2f} MB  {best * 1000:7.0f} ms  ({size / best:5.1f} MB/s)")


def _time(path: Path) -> float:
    start = time.perf_counter()
    story = read_story(path)
    elapsed = time.perf_counter() - start
    assert len(story.chapters) == CHAPTERS, (path, len(story.chapters))
    return elapsed


if __name__ == "__main__":
    main()
