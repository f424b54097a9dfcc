"""Kobo kepub (targets/kobo.py, `build --target kobo`): every sample book as a kepub passes
EPUBCheck and `storybinder check`; every text node is inside a koboSpan, ids increase,
kepub twice = kepub once, and un-kepub gives back the same text."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from storybinder.check import check_books
from storybinder.cli import app
from storybinder.targets.epub_zip import read_entries
from storybinder.targets.kobo import convert, split_sentences, toc_in_spine_order

XHTML = "{http://www.w3.org/1999/xhtml}"
SKIP = {f"{XHTML}script", f"{XHTML}style", f"{XHTML}title"}


def documents(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist()
                if n.endswith(".xhtml") and not n.endswith("nav.xhtml")}


def in_span(el: etree._Element) -> bool:
    while el is not None:
        if el.tag == f"{XHTML}span" and el.get("class") == "koboSpan":
            return True
        el = el.getparent()
    return False


@pytest.fixture(scope="module")
def kepubs(sample_books, tmp_path_factory, epubcheck_books):
    out = tmp_path_factory.mktemp("kepub")
    made = {slug: convert(path, out / f"{slug}.kepub.epub") for slug, path in sample_books.items()}
    epubcheck_books.add_all(made.values())
    return made


def test_every_text_node_is_inside_a_kobo_span(kepubs):
    for slug, path in kepubs.items():
        for name, root in documents(path).items():
            body = root.find(f"{XHTML}body")
            for el in body.iter():
                if not isinstance(el.tag, str) or any(a.tag in SKIP for a in [el, *el.iterancestors()]):
                    continue
                if el.text and el.text.strip():
                    assert in_span(el), (slug, name, el.text)
                if el.tail and el.tail.strip() and el is not body:
                    assert in_span(el.getparent()), (slug, name, el.tail)


def test_span_ids_increase_and_wrappers_are_there(kepubs):
    for path in kepubs.values():
        for name, root in documents(path).items():
            ids = [tuple(map(int, s.get("id").split(".")[1:])) for s in root.iter(f"{XHTML}span")
                   if s.get("class") == "koboSpan"]
            assert ids == sorted(ids) and len(ids) == len(set(ids)), name
            body = root.find(f"{XHTML}body")
            assert [c.get("id") for c in body] == ["book-columns"]
            assert body[0][0].get("id") == "book-inner"
            assert root.find(f"{XHTML}head/{XHTML}style[@class='kobostylehacks']") is not None


def test_cover_marked_and_contents_in_spine_order(kepubs):
    for path in kepubs.values():
        entries, package = read_entries(path)
        covers = [i for i in package.manifest if "cover-image" in i.properties]
        assert len(covers) == 1 and covers[0].media_type.startswith("image/")
        assert toc_in_spine_order(entries, package.opf_path, package.opf)
        assert not any(" " in e.name for e in entries)


def test_kepub_twice_is_kepub_once(kepubs, tmp_path):
    for slug, path in kepubs.items():
        again = convert(path, tmp_path / f"{slug}.again.kepub.epub")
        assert again.read_bytes() == path.read_bytes(), slug


def test_unkepub_gives_back_the_same_text(kepubs, sample_books, tmp_path):
    for slug, path in kepubs.items():
        plain = convert(path, tmp_path / f"{slug}.epub", kobo=False)
        original, restored = documents(sample_books[slug]), documents(plain)
        assert original.keys() == restored.keys()
        for name in original:
            a = "".join(original[name].find(f"{XHTML}body").itertext())
            b = "".join(restored[name].find(f"{XHTML}body").itertext())
            assert a == b, (slug, name)
            assert b"koboSpan" not in etree.tostring(restored[name])


def test_check_accepts_kepub_and_plain(kepubs, sample_books):
    run = check_books([*kepubs.values(), *sample_books.values()], epubcheck=False)
    assert run.passed(strict=True), [(b.path, [str(f) for f in b.findings]) for b in run.books if b.findings]


def test_file_names_with_spaces_are_renamed(sample_books, tmp_path, check_epub):
    source = sample_books["the-lighthouse-keepers-cat"]
    spaced = tmp_path / "spaced.epub"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(spaced, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            name = info.filename.replace("ch_the-lighthouse-keepers-cat.xhtml", "chapter 001.xhtml")
            if name.endswith((".opf", ".xhtml", ".ncx")):
                data = data.replace(b"ch_the-lighthouse-keepers-cat.xhtml", b"chapter%20001.xhtml")
            dst.writestr(zipfile.ZipInfo(name, info.date_time), data,
                         zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    kepub = check_epub(convert(spaced, tmp_path / "spaced.kepub.epub"))
    names = zipfile.ZipFile(kepub).namelist()
    assert "EPUB/chapter_001.xhtml" in names and not any(" " in n for n in names)
    opf = zipfile.ZipFile(kepub).read("EPUB/content.opf")
    assert b'href="chapter_001.xhtml"' in opf


@pytest.mark.parametrize("text, sentences", [
    ("One. Two! Three? Four", ["One. ", "Two! ", "Three? ", "Four"]),
    ("“It holds,” she said. “Always.” Then", ["“It holds,” she said. ", "“Always.” ", "Then"]),
    ("Wait... what?  ", ["Wait... ", "what?  "]),
    ("   ", ["   "]),
    ("no end", ["no end"]),
])
def test_sentences_join_back_exactly(text, sentences):
    assert split_sentences(text) == sentences
    assert "".join(split_sentences(text)) == text


def test_build_target_kobo_writes_kepub(tmp_path, check_epub):
    story = tmp_path / "tale.txt"
    story.write_text("A Tale\nBy Some One\n\nChapter 1\n\nIt began. It ended.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(story), "-o", str(tmp_path / "out"), "--target", "kobo"])
    assert result.exit_code == 0, result.output
    kepub = check_epub(tmp_path / "out" / "a-tale.kepub.epub")
    assert (tmp_path / "out" / "a-tale.epub").is_file()
    assert re.search(rb'id="kobo\.\d+\.\d+"', zipfile.ZipFile(kepub).read("EPUB/ch_chapter-1.xhtml"))
