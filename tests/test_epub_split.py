"""Long chapters are split over several XHTML files; the contents still list each chapter once."""

from __future__ import annotations

import re
import zipfile

from storybinder.check import check_books
from storybinder.epub import write_epub
from storybinder.epub.split import PART_BYTES, split_blocks
from storybinder.model import Book, Chapter, Heading, Metadata, Paragraph, Person, SceneBreak, Span, Story, Style

# About 1.1 KB a paragraph.
PARAGRAPH = "The ferry crossed and crossed again, and the ferryman counted every fare twice. " * 14


def _long_chapter(paragraphs: int, *, breaks_every: int = 0) -> Chapter:
    blocks = []
    for n in range(paragraphs):
        if breaks_every and n and n % breaks_every == 0:
            blocks.append(SceneBreak("* * *"))
        blocks.append(Paragraph(f"{n}: {PARAGRAPH}"))
    return Chapter("The Long Crossing", blocks)


def _book(*chapters: Chapter) -> Book:
    story = Story(Metadata(title="Ferry Road", authors=(Person("Maren Holt"),), language="en"), list(chapters))
    return Book(metadata=story.metadata, stories=[story], slug="ferry-road")


def test_a_long_chapter_becomes_several_files_under_one_contents_entry(tmp_path, check_epub):
    book = _book(Chapter("Before", [Paragraph("A short first chapter.")]), _long_chapter(900), Chapter("After", [Paragraph("The end.")]))
    path = check_epub(write_epub(book, tmp_path / "ferry.epub"))
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        sizes = {n: z.getinfo(n).file_size for n in names if n.endswith(".xhtml")}
        nav = z.read("EPUB/nav.xhtml").decode()
        opf = z.read("EPUB/content.opf").decode()
        second = z.read("EPUB/ch_the-long-crossing_2.xhtml").decode()
        first = z.read("EPUB/ch_the-long-crossing.xhtml").decode()
    # Named after the chapter's own stable name (epub/names.py), never its place.
    parts = sorted(n for n in names if re.fullmatch(r"EPUB/ch_the-long-crossing(_\d+)?\.xhtml", n))
    assert parts == ["EPUB/ch_the-long-crossing.xhtml", "EPUB/ch_the-long-crossing_2.xhtml", "EPUB/ch_the-long-crossing_3.xhtml", "EPUB/ch_the-long-crossing_4.xhtml"]
    assert max(sizes.values()) <= PART_BYTES + 4096
    # One contents entry for the chapter; every part in the spine, in order.
    assert nav.count('href="ch_the-long-crossing') == 1
    spine = re.findall(r'<itemref idref="([^"]+)"', opf)
    assert spine.index("ch_the-long-crossing") < spine.index("ch_the-long-crossing_2") < spine.index("ch_the-long-crossing_4") < spine.index("ch_after")
    # The heading opens the first part only; the text is all there, in order.
    assert "The Long Crossing</h2>" in first and "<h2" not in second
    assert 'aria-label="The Long Crossing (continued)"' in second
    # (The book has no cover: check says so, and nothing else.)
    assert [f.rule for f in check_books([path], epubcheck=False).reports[0].findings] == ["metadata.cover"]


def test_cuts_fall_on_scene_breaks_and_repeat_from_build_to_build():
    chapter = _long_chapter(700, breaks_every=40)
    parts = split_blocks(chapter.blocks)
    assert len(parts) == 4
    assert sum(len(p) for p in parts) == len(chapter.blocks)
    assert all(isinstance(p[0], SceneBreak) for p in parts[1:])
    assert [len(p) for p in parts] == [len(p) for p in split_blocks(list(chapter.blocks))]


def test_without_breaks_the_cut_is_between_paragraphs_and_prefers_a_sub_heading():
    blocks = [Paragraph(PARAGRAPH) for _ in range(300)]
    blocks.insert(190, Heading("II.", level=3))
    parts = split_blocks(blocks)
    assert len(parts) == 2 and isinstance(parts[1][0], Heading)
    assert split_blocks(blocks[:100]) == [blocks[:100]]  # a chapter that fits stays whole


def test_a_paragraph_bigger_than_a_file_is_cut_at_sentence_ends_with_its_emphasis(tmp_path, check_epub):
    # An export that lost its line breaks: the whole chapter is one paragraph of ~600 KB.
    sentence = "The ferryman counted every fare twice. "
    text = (sentence * 16000).strip()
    marked = text.index("counted", 300_000)
    wall = Paragraph(text, spans=(Span(marked, marked + len("counted"), Style.EMPHASIS),))
    parts = split_blocks([wall])
    pieces = [block for part in parts for block in part]
    assert len(parts) > 2 and all(isinstance(p, Paragraph) for p in pieces)
    # Cut only at sentence ends, nothing lost but the spaces between the pieces.
    assert all(p.text.endswith("twice.") and p.text.startswith("The ferryman") for p in pieces)
    assert " ".join(p.text for p in pieces) == text
    # The emphasis moved with its words.
    spans = [(p, s) for p in pieces for s in p.spans]
    assert len(spans) == 1 and spans[0][0].text[spans[0][1].start:spans[0][1].end] == "counted"
    # The book passes check with no warning about the file size.
    path = check_epub(write_epub(_book(Chapter("The Wall", [wall])), tmp_path / "wall.epub"))
    rules = [f.rule for f in check_books([path], epubcheck=False).reports[0].findings]
    assert rules == ["metadata.cover"]
