"""`bind`, `unbind` and rebuilding books that grew: what an anthology editor and a reader of serials see.

Bind three of our books and unbind them: the same three books. Add a story to
an anthology, or a chapter to a story: every page that did not change keeps
its name and its bytes, the book keeps its identifier, and build says what is
new or changed.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storybinder.cli import app
from storybinder.readers import read_story

from . import epub_shapes
from .conftest import REPO
from .epub_inspect import NS, open_epub
from .test_epub_roundtrip import _signature

THREE = ("the-lighthouse-keepers-cat", "letters-from-the-orchard", "the-clockmakers-apprentice")


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    return result


def pages(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


@pytest.fixture(scope="module")
def bound(sample_books, tmp_path_factory, epubcheck_books):
    work = tmp_path_factory.mktemp("bind")
    sources = [str(sample_books[s]) for s in THREE]
    result = run("bind", *sources, "-o", str(work / "three.epub"), "--title", "Three Tales", "--editor", "Ed Itor")
    assert result.exit_code == 0, result.output
    assert "bound 3 stories" in result.output
    epubcheck_books.add(work / "three.epub")
    return work / "three.epub"


def test_bind_nests_story_then_chapters_and_keeps_each_storys_metadata(bound, sample_books):
    book = open_epub(bound)
    assert book.title == "Three Tales"
    assert book.opf.get("version") == "3.0" and book.ncx() is not None
    top = book.nav().xpath("//x:nav[@epub:type='toc']/x:ol/x:li", namespaces=NS)
    tree = [(li.xpath("x:a/text()", namespaces=NS)[0], li.xpath("x:ol/x:li/x:a/text()", namespaces=NS)) for li in top]
    assert [t for t, _ in tree] == ["Title Page", "The Lighthouse Keeper’s Cat", "Letters from the Orchard", "The Clockmaker’s Apprentice"]
    assert tree[3][1] == ["Chapter 1: The Broken Hour", "Chapter 2: Up the Tower"]
    ncx_top = book.ncx().xpath("/ncx:ncx/ncx:navMap/ncx:navPoint", namespaces=NS)
    assert [len(p.xpath("ncx:navPoint", namespaces=NS)) for p in ncx_top] == [0, 1, 2, 2]
    # Each story's own metadata refines its title page, and shows on it.
    for slug in THREE:
        original = open_epub(sample_books[slug])
        story_id = book.opf.xpath(f"//opf:meta[@property='dcterms:title'][.='{original.title}']/@refines", namespaces=NS)[0][1:]
        refined = lambda prop: book.meta(f"//opf:meta[@refines='#{story_id}'][@property='dcterms:{prop}']/text()")  # noqa: E731
        assert refined("creator") == original.creators
        assert refined("description") == [original.description]
        assert refined("subject") == original.meta("//dc:subject/text()")
        assert refined("source") == original.meta("//dc:source/text()")
        page = book.manifest()[story_id]["href"]
        text = "".join(book.spine_docs()[book.spine_names().index(page)].itertext())
        assert original.description.split("\n")[0] in text and original.creators[0] in text
    assert book.meta("//dc:contributor/text()") == ["Ed Itor"]
    authors = [a for slug in THREE for a in open_epub(sample_books[slug]).creators]
    assert book.creators == list(dict.fromkeys(authors))


def test_bind_then_unbind_gives_back_the_three_books(bound, sample_books, tmp_path, check_epub):
    result = run("unbind", str(bound), "-o", str(tmp_path / "again"))
    assert result.exit_code == 0, result.output
    for slug in THREE:
        again = check_epub(tmp_path / "again" / f"{slug}.epub")
        assert _signature(again) == _signature(sample_books[slug]), slug
        original, back = open_epub(sample_books[slug]), open_epub(again)
        assert back.meta("//dc:identifier/text()") == original.meta("//dc:identifier/text()")
        assert back.spine_names() == original.spine_names()
        assert {n: v for n, v in pages(again).items() if "/ch_" in n} == {n: v for n, v in pages(sample_books[slug]).items() if "/ch_" in n}


def test_unbinding_a_single_story_says_it_is_no_anthology(sample_books, tmp_path):
    result = run("unbind", str(sample_books["the-clockmakers-apprentice"]), "-o", str(tmp_path))
    assert result.exit_code == 1
    assert "error:" in result.stderr and "not an anthology" in result.stderr


def test_bind_errors_are_one_line(tmp_path):
    missing = run("bind", str(tmp_path / "nope.epub"), "-o", str(tmp_path / "a.epub"))
    assert missing.exit_code == 1 and missing.stderr.startswith("error:") and "nope.epub" in missing.stderr
    assert "Traceback" not in missing.output


def test_adding_a_story_leaves_the_other_stories_pages_byte_for_byte(sample_books, tmp_path, check_epub):
    first = [str(sample_books[s]) for s in THREE[:2]]
    out = tmp_path / "growing.epub"
    assert run("bind", *first, "-o", str(out), "--title", "Growing").exit_code == 0
    before = pages(check_epub(out))
    ident = open_epub(out).meta("//dc:identifier/text()")
    result = run("bind", *first, str(sample_books[THREE[2]]), "-o", str(out), "--title", "Growing")
    assert result.exit_code == 0, result.output
    after = pages(out)
    kept = {n: v for n, v in before.items() if "/st_" in n}
    assert kept and all(after.get(n) == v for n, v in kept.items())
    assert len([n for n in after if "/st_" in n]) > len(kept)
    assert open_epub(out).meta("//dc:identifier/text()") == ident
    assert "new chapters: The Clockmaker’s Apprentice: Chapter 1" in result.output


def test_book_toml_may_bind_epubs(sample_books, tmp_path, check_epub):
    for slug in THREE:
        (tmp_path / f"{slug}.epub").write_bytes(sample_books[slug].read_bytes())
    toml = tmp_path / "book.toml"
    entries = "".join(f'[[story]]\nsource = "{slug}.epub"\n' for slug in THREE)
    toml.write_text(f'[book]\ntitle = "From EPUBs"\neditor = "Ed Itor"\n{entries}', encoding="utf-8")
    result = run("build", str(toml), "-o", str(tmp_path / "books"))
    assert result.exit_code == 0, result.output
    book = open_epub(check_epub(tmp_path / "books" / "from-epubs.epub"))
    assert book.title == "From EPUBs"
    assert len(book.opf.xpath("//opf:meta[@property='dcterms:title']", namespaces=NS)) == 3


# ---- stories that grow --------------------------------------------------------------------------


STORY = """The Long Road

By Pell Harrow

Chapter 1: Setting Out

Wren packed the last of the bread and shut the gate behind her.

Chapter 2: The Ford

The river was higher than the miller had promised.
"""


def test_a_story_that_gains_a_chapter_keeps_its_identifier_and_unchanged_pages(tmp_path, check_epub):
    story = tmp_path / "road.txt"
    story.write_text(STORY, encoding="utf-8")
    out = tmp_path / "books"
    assert run("build", str(story), "-o", str(out)).exit_code == 0
    book = out / "the-long-road.epub"
    before, ident = pages(check_epub(book)), open_epub(book).meta("//dc:identifier/text()")
    story.write_text(STORY.replace("higher than", "much higher than") + "\nChapter 3: Home\n\nShe came back by the hill road.\n", encoding="utf-8")
    result = run("build", str(story), "-o", str(out))
    assert result.exit_code == 0, result.output
    after = pages(book)
    assert open_epub(book).meta("//dc:identifier/text()") == ident  # though the words, which the id is made of, changed
    assert after["EPUB/ch_chapter-1-setting-out.xhtml"] == before["EPUB/ch_chapter-1-setting-out.xhtml"]
    assert after["EPUB/ch_chapter-2-the-ford.xhtml"] != before["EPUB/ch_chapter-2-the-ford.xhtml"]
    assert "EPUB/ch_chapter-3-home.xhtml" in after
    assert "1 new chapter: Chapter 3: Home; 1 changed chapter: Chapter 2: The Ford" in result.output
    spine = open_epub(book).manifest()
    assert spine["ch_chapter-1-setting-out"]["href"] == "ch_chapter-1-setting-out.xhtml"


def test_a_new_download_of_a_serial_keeps_the_identifier_the_reader_has(tmp_path, check_epub):
    """AO3 gives every download a new identifier; the rebuilt book keeps the one the library knows."""
    lamplight = read_story(REPO / "stories" / "lamplight-markdown-edition.md")
    short = type(lamplight)(lamplight.metadata, lamplight.chapters[:1])
    epub_shapes.ao3_epub(short, tmp_path / "download.epub")
    out = tmp_path / "clean"
    assert run("build", str(tmp_path / "download.epub"), "-o", str(out)).exit_code == 0
    built = next(out.glob("*.epub"))
    ident = open_epub(check_epub(built)).meta("//dc:identifier/text()")
    first = pages(built)
    download = epub_shapes.ao3_epub(lamplight, tmp_path / "download.epub")
    with zipfile.ZipFile(download) as zf:
        assert b"0f9c7a52" in zf.read("content.opf")  # the download's own id (the same here: changed below)
    opf = pages(download)["content.opf"].replace(b"0f9c7a52-63a1", b"11111111-2222")
    files = pages(download)
    files["content.opf"] = opf
    with zipfile.ZipFile(download, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), files.pop("mimetype"))
        for name, data in files.items():
            zf.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    result = run("build", str(download), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert open_epub(built).meta("//dc:identifier/text()") == ident
    assert pages(built)["EPUB/ch_chapter-1-the-last-lamp.xhtml"] == first["EPUB/ch_chapter-1-the-last-lamp.xhtml"]
    assert "new chapter" in result.output and "Chapter 2: Morning Oil" in result.output
