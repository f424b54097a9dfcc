"""Every format in stories/ built to EPUB, read back by the EPUB reader and built again: the same book.

Two ways back: with the book's META-INF/storybinder.json (our own books say
what they are made of) and without it (read like anyone's EPUB, from the
package document, the nav and the pages). Both must give the chapters,
headings, scene breaks, emphasis and metadata of the direct build; with the
manifest the rebuilt file is byte for byte the same.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storybinder.cli import app
from storybinder.model import Heading, Paragraph, SceneBreak, Verse
from storybinder.readers.epub import read_book

from .epub_inspect import NS, open_epub


def _strip_manifest(source: Path, target: Path) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            if info.filename != "META-INF/storybinder.json":
                zout.writestr(info, zin.read(info))
    return target


@pytest.fixture(scope="module")
def rebuilt(sample_books, tmp_path_factory, epubcheck_books):
    """(direct build, rebuilt from it, rebuilt from it without our manifest) per sample slug."""
    work = tmp_path_factory.mktemp("roundtrip")
    plain = work / "plain"
    plain.mkdir()
    for slug, path in sample_books.items():
        _strip_manifest(path, plain / f"{slug}.epub")
    runner = CliRunner()
    for source, out in ((sorted(sample_books.values()), work / "again"), ([plain], work / "again-plain")):
        result = runner.invoke(app, ["build", *map(str, source), "-o", str(out), "--jobs", "1"])
        assert result.exit_code == 0, result.output
        assert " fixes:" not in result.output  # the text was clean already: nothing to change
    books = {}
    for slug, path in sample_books.items():
        again, again_plain = work / "again" / f"{slug}.epub", work / "again-plain" / f"{slug}.epub"
        epubcheck_books.add_all([again, again_plain])
        books[slug] = (path, again, again_plain)
    return books


def test_every_sample_comes_back(rebuilt, sample_books):
    assert set(rebuilt) == set(sample_books)
    assert {"lamplight-markdown-edition", "lamplight-word-edition", "lamplight-bbcode-edition", "lamplight-html-edition",
            "lamplight-folder-edition", "small-hours", "the-lighthouse-keepers-cat"} <= set(rebuilt)


def test_our_own_books_rebuild_byte_for_byte(rebuilt):
    for slug, (direct, again, _) in rebuilt.items():
        assert direct.read_bytes() == again.read_bytes(), slug


def _signature(path: Path):
    """What a reader notices: per story, its metadata and chapters with their blocks and inline styles."""
    book = read_book(path)
    out = []
    for story in book.stories:
        m = story.metadata
        meta = (m.title, [p.name for p in m.authors], m.description, m.tags, m.language, m.source_url, m.identifier, m.date, m.publisher, m.rights)
        chapters = []
        for c in story.chapters:
            blocks = []
            for b in c.blocks:
                if isinstance(b, Paragraph):
                    blocks.append(("p", b.text, tuple((s.start, s.end, s.style.value, s.href) for s in b.spans), b.align, b.quoted))
                elif isinstance(b, Heading):
                    blocks.append(("h", b.text, b.level))
                elif isinstance(b, Verse):
                    blocks.append(("verse", b.text, tuple((s.start, s.end, s.style.value) for s in b.spans), b.indents))
                else:
                    assert isinstance(b, SceneBreak)
                    blocks.append(("*",))
            chapters.append((c.title, c.kind, c.level, blocks))
        out.append((meta, chapters))
    return out


def test_read_like_anyones_epub_the_samples_give_the_same_story(rebuilt):
    for slug, (direct, _, again_plain) in rebuilt.items():
        assert _signature(again_plain) == _signature(direct), slug


def _pages(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n.endswith((".xhtml", ".opf", ".ncx"))}


def test_read_like_anyones_epub_the_pages_are_the_same_pages(rebuilt):
    """Chapters, headings, scene breaks, emphasis, the contents and the package document, file for file."""
    for slug, (direct, _, again_plain) in rebuilt.items():
        if slug == "small-hours":
            continue  # an anthology: per-story series and sort names live only in our manifest; compared below
        assert _pages(again_plain) == _pages(direct), slug


def test_an_anthology_read_like_anyones_keeps_its_stories_and_their_pages(rebuilt):
    direct, _, again_plain = rebuilt["small-hours"]
    a, b = _pages(direct), _pages(again_plain)
    assert sorted(a) == sorted(b)
    assert {n: v for n, v in a.items() if "/st_" in n or n.endswith("nav.xhtml")} == {n: v for n, v in b.items() if "/st_" in n or n.endswith("nav.xhtml")}
    book = open_epub(again_plain)
    top = book.nav().xpath("//x:nav[@epub:type='toc']/x:ol/x:li/x:a/text()", namespaces=NS)
    assert top == ["Title Page", "The Lighthouse Keeper’s Cat", "Letters from the Orchard", "The Clockmaker’s Apprentice"]
    refined = book.opf.xpath("//opf:meta[@property='dcterms:title']/text()", namespaces=NS)
    assert refined == ["The Lighthouse Keeper’s Cat", "Letters from the Orchard", "The Clockmaker’s Apprentice"]


def test_a_folder_of_books_built_into_itself_reads_no_book_twice(tmp_path, sample_books):
    shelf = tmp_path / "shelf"
    shutil.copytree(Path(next(iter(sample_books.values()))).parent, shelf / "books")
    (shelf / "story.txt").write_text("A Tiny Tale\n\nBy Ann Other\n\nIt was short.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(shelf), "-o", str(shelf / "books"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    # The output folder is never walked for stories: only story.txt was built.
    assert result.output.count("built ") == 1, result.output
