"""EPUBs as readers have them (AO3, fimfiction, FanFicFare, calibre, pandoc): stories, not site pages.

The books are made by tests/epub_shapes.py from our own Lamplight sample in
each tool's layout; each is read, checked for what must and must not be in
the story, then built and handed to EPUBCheck.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from storybinder.errors import StorybinderError
from storybinder.model import Paragraph, SceneBreak, Story, Style
from storybinder.readers import read_story, reader_for
from storybinder.readers.epub import read_book

from . import epub_shapes
from .conftest import REPO
from .epub_inspect import open_epub

SAMPLE = REPO / "stories" / "lamplight-markdown-edition.md"
# What the sites and tools put around a story: none of it may reach a chapter.
BOILERPLATE = (
    "Posted originally on", "Archive of Our Own", "drop by the Archive", "Chapter Text", "Rating:", "Additional Tags",
    "Written by", "Table of Contents", "Update Log", "Summary", "Published:", "Tags:", "Cover image", "Stats:",
)


@pytest.fixture(scope="module")
def lamplight() -> Story:
    story = read_story(SAMPLE)
    story.metadata = story.metadata.merged(type(story.metadata)(tags=("fantasy", "short story")))
    return story


def body_texts(story: Story) -> list[str]:
    return [b.text for c in story.chapters if c.kind == "chapter" for b in c.blocks if hasattr(b, "text")]


def emphasis(story: Story) -> list[str]:
    return [b.text[s.start:s.end] for c in story.body_chapters for b in c.blocks if isinstance(b, Paragraph) for s in b.spans if s.style is Style.EMPHASIS]


def assert_story_text(story: Story, lamplight: Story) -> None:
    """The chapters, their text, the scene break and the emphasis of the sample, nothing else."""
    assert [c.title for c in story.body_chapters] == [c.title for c in lamplight.body_chapters]
    assert body_texts(story) == body_texts(lamplight)
    assert sum(isinstance(b, SceneBreak) for c in story.chapters for b in c.blocks) == 1
    assert emphasis(story) == emphasis(lamplight)
    joined = "\n".join(body_texts(story))
    for phrase in BOILERPLATE:
        assert phrase not in joined, phrase


SHAPES = {
    "ao3": lambda s, p: epub_shapes.ao3_epub(s, p),
    "fimfiction": lambda s, p: epub_shapes.fimfiction_epub(s, p),
    "fanficfare-epub2": lambda s, p: epub_shapes.fanficfare_epub(s, p),
    "fanficfare-epub3": lambda s, p: epub_shapes.fanficfare_epub(s, p, epub3=True),
    "calibre": lambda s, p: epub_shapes.calibre_epub(s, p),
    "pandoc-epub2": lambda s, p: epub_shapes.pandoc_epub(s, p, epub3=False),
    "pandoc-epub3": lambda s, p: epub_shapes.pandoc_epub(s, p),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_reads_as_the_story_without_boilerplate(tmp_path, lamplight, shape):
    path = SHAPES[shape](lamplight, tmp_path / f"{shape}.epub")
    assert reader_for(path).__name__.endswith(".epub")
    story = read_story(path)
    assert_story_text(story, lamplight)
    meta = story.metadata
    assert meta.title == lamplight.metadata.title
    assert [p.name for p in meta.authors] == ["Wren Calloway"]
    assert meta.language == "en"


def test_ao3_download_summary_notes_tags_and_source(tmp_path, lamplight):
    story = read_story(epub_shapes.ao3_epub(lamplight, tmp_path / "ao3.epub", work=4242))
    meta = story.metadata
    assert meta.description == lamplight.metadata.description
    assert meta.tags == ("Original Work", "fantasy", "short story")  # AO3's own tags, not calibre's "Fanworks"
    assert meta.source_url == "https://archiveofourown.org/works/4242"
    assert (meta.rating, meta.status, meta.date) == ("General Audiences", "complete", "2024-02-02")
    notes = [(c.title, [b.text for b in c.blocks]) for c in story.chapters if c.kind == "notes"]
    assert notes == [
        ("Notes", [epub_shapes.NOTE_TEXT]),
        ("Chapter Notes", ["This one is short."]),
        ("Chapter End Notes", ["More soon."]),
        ("End Notes", ["Thank you for reading."]),
    ]
    kinds = [c.kind for c in story.chapters]
    assert kinds == ["notes", "notes", "chapter", "chapter", "notes", "notes"]


def test_fimfiction_download_long_description_tags_and_notes(tmp_path, lamplight):
    story = read_story(epub_shapes.fimfiction_epub(lamplight, tmp_path / "fim.epub", story_id=777))
    meta = story.metadata
    # The title page's long description, not the package document's short one.
    assert meta.description == lamplight.metadata.description + "\n\nCover art by a friend."
    assert meta.tags == ("fantasy", "short story")
    assert meta.source_url == meta.identifier == "https://www.fimfiction.net/story/777/lamplight"
    assert meta.date == "2024-05-06"
    assert meta.cover_image is not None and meta.cover_image.data[:3] == b"\xff\xd8\xff"
    assert [(c.title, c.kind) for c in story.chapters] == [
        ("Chapter 1: The Last Lamp", "chapter"), ("Author's Notes", "notes"), ("Chapter 2: Morning Oil", "chapter"),
    ]
    assert [b.text for b in story.chapters[1].blocks] == [epub_shapes.NOTE_TEXT]


@pytest.mark.parametrize("epub3", [False, True], ids=["epub2", "epub3"])
def test_fanficfare_title_page_log_and_chapter_headings(tmp_path, lamplight, epub3):
    story = read_story(epub_shapes.fanficfare_epub(lamplight, tmp_path / "fff.epub", epub3=epub3))
    meta = story.metadata
    assert meta.identifier == "fanficfare-uid:archiveofourown.org-u77-s9191"
    assert meta.description == lamplight.metadata.description
    assert meta.tags == ("fantasy", "short story")
    assert (meta.series, meta.series_index) == ("Small Hours", 2.0)
    assert meta.status == "in progress"
    assert meta.source_url == "https://archiveofourown.org/works/9191"
    assert meta.contributors == ()  # FanFicFare itself is the "book producer", not a contributor
    assert all(c.kind == "chapter" for c in story.chapters)


def test_calibre_conversion_jacket_cover_split_files_and_class_italics(tmp_path, lamplight):
    story = read_story(epub_shapes.calibre_epub(lamplight, tmp_path / "calibre.epub"))
    meta = story.metadata
    assert [(p.name, p.sort_name) for p in meta.authors] == [("Wren Calloway", "Calloway, Wren")]
    assert meta.description == lamplight.metadata.description  # calibre's HTML comments, as text
    assert (meta.series, meta.series_index) == ("Small Hours", 1.0)
    assert meta.identifier == "7d2bd2f4-6a05-4c55-9a86-1a2a2f1b3c4d"
    assert meta.cover_image is not None
    assert "Tags:" not in "\n".join(body_texts(story))


def test_site_books_build_into_valid_books_with_notes_apart_and_tags_as_subjects(tmp_path, lamplight, check_epub):
    from typer.testing import CliRunner

    from storybinder.cli import app

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    for shape, make in SHAPES.items():
        make(lamplight, downloads / f"{shape}.epub")
    result = CliRunner().invoke(app, ["build", str(downloads), "-o", str(tmp_path / "clean"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    books = sorted((tmp_path / "clean").glob("*.epub"))
    assert len(books) == len(SHAPES)
    for path in books:
        check_epub(path)
        book = open_epub(path)
        text = book.body_text()
        for phrase in ("Posted originally on", "Update Log", "Written by", "drop by the Archive"):
            assert phrase not in text, (path.name, phrase)
    ao3 = next(open_epub(p) for p in books if open_epub(p).meta("//dc:source/text()") == ["https://archiveofourown.org/works/4242"])
    assert ao3.meta("//dc:subject/text()") == ["Original Work", "fantasy", "short story"]
    assert ao3.description.startswith("On the longest night")
    notes = [d for d in ao3.spine_docs() if d.xpath("//x:section[@class='notes']", namespaces={"x": "http://www.w3.org/1999/xhtml"})]
    assert len(notes) == 4


def test_the_book_identifier_is_kept(tmp_path, lamplight, check_epub):
    from typer.testing import CliRunner

    from storybinder.cli import app

    epub_shapes.fanficfare_epub(lamplight, tmp_path / "fff.epub")
    epub_shapes.calibre_epub(lamplight, tmp_path / "calibre.epub")
    # One job at a time: the first book is in OUTDIR before the second is built, and must not be taken
    # for the second's earlier copy (same title and author) - it was not there when the build started.
    result = CliRunner().invoke(
        app, ["build", str(tmp_path / "fff.epub"), str(tmp_path / "calibre.epub"), "-o", str(tmp_path / "out"), "--jobs", "1"]
    )
    assert result.exit_code == 0, result.output
    ids = sorted(open_epub(check_epub(p)).meta("//dc:identifier/text()")[0] for p in (tmp_path / "out").glob("*.epub"))
    assert ids == ["fanficfare-uid:archiveofourown.org-u77-s9191", "urn:uuid:7d2bd2f4-6a05-4c55-9a86-1a2a2f1b3c4d"]


# ---- what is not a story ----------------------------------------------------------------------


def _rezip(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as zf:
        files = {i.filename: zf.read(i) for i in zf.infolist()}
    change(files)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), files.pop("mimetype", b"application/epub+zip"), compress_type=zipfile.ZIP_STORED)
        for name, data in files.items():
            zf.writestr(name, data)
    return target


ENCRYPTION = """<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
<enc:EncryptedData><enc:EncryptionMethod Algorithm="{algorithm}"/><enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData></enc:EncryptedData>
</encryption>"""


def test_drm_is_refused_saying_so(tmp_path, lamplight):
    plain = epub_shapes.pandoc_epub(lamplight, tmp_path / "plain.epub")
    locked = _rezip(plain, tmp_path / "locked.epub", lambda f: f.update({
        "META-INF/encryption.xml": ENCRYPTION.format(algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc", uri="EPUB/text/ch001.xhtml").encode()
    }))
    with pytest.raises(StorybinderError, match="DRM-protected"):
        read_story(locked)


def test_obfuscated_fonts_are_not_drm(tmp_path, lamplight):
    plain = epub_shapes.pandoc_epub(lamplight, tmp_path / "plain.epub")
    fonts = _rezip(plain, tmp_path / "fonts.epub", lambda f: f.update({
        "META-INF/encryption.xml": ENCRYPTION.format(algorithm="http://www.idpf.org/2008/embedding", uri="EPUB/fonts/a.otf").encode(),
        "EPUB/fonts/a.otf": b"\x00" * 64,
    }))
    assert_story_text(read_story(fonts), lamplight)


def test_fixed_layout_is_refused_saying_so(tmp_path, lamplight):
    plain = epub_shapes.pandoc_epub(lamplight, tmp_path / "plain.epub")

    def fixed(files):
        files["EPUB/content.opf"] = files["EPUB/content.opf"].replace(
            b"</metadata>", b'<meta property="rendition:layout">pre-paginated</meta></metadata>'
        )

    with pytest.raises(StorybinderError, match="fixed-layout"):
        read_story(_rezip(plain, tmp_path / "fixed.epub", fixed))


def test_a_comic_is_refused_saying_so(tmp_path):
    pkg = epub_shapes.Package("OEBPS/content.opf")
    H = epub_shapes.H
    points = []
    for n in range(1, 7):
        name = f"page{n}.xhtml"
        pkg.add(f"p{n}", name, epub_shapes.xml(epub_shapes.page(f"Page {n}", H.div(H.img(src=f"img{n}.jpg", alt=f"Panel {n}")))), spine=True)
        pkg.add(f"i{n}", f"img{n}.jpg", epub_shapes.cover_image(), "image/jpeg")
        points.append((f"Page {n}", name))
    pkg.add("ncx", "toc.ncx", epub_shapes._ncx("comic-1", "Panels", points), "application/x-dtbncx+xml")
    meta = epub_shapes._with([epub_shapes.DC.title("Panels"), epub_shapes.DC.identifier("comic-1", id="uid"), epub_shapes.DC.language("en")])
    path = pkg.write(tmp_path / "comic.epub", meta, "2.0", "uid")
    with pytest.raises(StorybinderError, match="comic"):
        read_story(path)


def test_an_anthology_made_elsewhere_is_read_story_by_story(tmp_path, lamplight):
    """Another tool's anthology (nested contents: story -> chapters) gives one story per top entry."""
    pkg = epub_shapes.Package("OEBPS/content.opf")
    H, N = epub_shapes.H, epub_shapes.N
    nav_map = N.navMap()
    for s, (title, author) in enumerate((("First Tale", "Ann Author"), ("Second Tale", "Bo Writer")), start=1):
        pkg.add(f"s{s}", f"s{s}.xhtml", epub_shapes.xml(epub_shapes.page(title, H.h1(title), H.p(f"by {author}"))), spine=True)
        story_point = N.navPoint(N.navLabel(N.text(title)), N.content(src=f"s{s}.xhtml"), id=f"s{s}")
        for c, chapter in enumerate(lamplight.body_chapters, start=1):
            name = f"s{s}c{c}.xhtml"
            pkg.add(name.split(".")[0], name, epub_shapes.xml(epub_shapes.page(chapter.title, H.h2(chapter.title), *epub_shapes.blocks(chapter))), spine=True)
            story_point.append(N.navPoint(N.navLabel(N.text(chapter.title)), N.content(src=name), id=f"s{s}c{c}"))
        nav_map.append(story_point)
    ncx = N.ncx(N.head(N.meta(name="dtb:uid", content="merged-1")), N.docTitle(N.text("Two Tales")), nav_map, version="2005-1")
    pkg.add("ncx", "toc.ncx", epub_shapes.xml(ncx), "application/x-dtbncx+xml")
    meta = epub_shapes._with([epub_shapes.DC.title("Two Tales"), epub_shapes.DC.identifier("merged-1", id="uid"), epub_shapes.DC.language("en")])
    book = read_book(pkg.write(tmp_path / "merged.epub", meta, "2.0", "uid"))
    assert book.anthology
    assert [s.metadata.title for s in book.stories] == ["First Tale", "Second Tale"]
    assert [[p.name for p in s.metadata.authors] for s in book.stories] == [["Ann Author"], ["Bo Writer"]]
    for story in book.stories:
        assert_story_text(story, lamplight)


# ---- pandoc itself ----------------------------------------------------------------------------


PANDOC = shutil.which("pandoc")


@pytest.mark.parametrize("target", ["epub3", "epub2"])
def test_books_pandoc_writes_read_back_as_the_story(tmp_path, lamplight, target, check_epub):
    if PANDOC is None:
        if os.environ.get("CI"):
            pytest.fail("pandoc is missing; .ci/run installs it from Debian's packages")
        pytest.skip("pandoc is not installed (.ci/run installs it)")
    out = tmp_path / f"pandoc-{target}.epub"
    subprocess.run([PANDOC, str(SAMPLE), "-f", "markdown", "-t", target, "-o", str(out)], check=True, cwd=tmp_path, timeout=120)
    story = read_story(out)
    assert_story_text(story, lamplight)
    assert story.metadata.title == lamplight.metadata.title
    assert [p.name for p in story.metadata.authors] == ["Wren Calloway"]
    from typer.testing import CliRunner

    from storybinder.cli import app

    result = CliRunner().invoke(app, ["build", str(out), "-o", str(tmp_path / "books")])
    assert result.exit_code == 0, result.output
    for path in (tmp_path / "books").glob("*.epub"):
        check_epub(path)
