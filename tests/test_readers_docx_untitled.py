"""Word files without document properties (Google Docs, LibreOffice, converters): the page names the story."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH

from storybinder.readers import read_story

from .build_helpers import build_and_check
from .epub_inspect import open_epub
from .reader_helpers import shape


def without_properties(document: docx.document.Document, path: Path) -> Path:
    """Save `document` as a .docx with no docProps part at all, as Google Docs and many converters write."""
    document.save(path)
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in entries:
            if info.filename.startswith("docProps/"):
                continue
            if info.filename == "_rels/.rels":
                data = re.sub(rb"<Relationship [^>]*docProps/[^>]*/>", b"", data)
            elif info.filename == "[Content_Types].xml":
                data = re.sub(rb'<Override PartName="/docProps/[^>]*/>', b"", data)
            out.writestr(info, data)
    return path


def styled_file(path: Path, *paragraphs: tuple[str, str]) -> Path:
    """A .docx without properties holding (style, text) paragraphs."""
    document = docx.Document()
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    return without_properties(document, path)


def centred(document, text: str) -> None:
    document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER


def test_no_properties_is_never_titled_word_document(tmp_path):
    document = docx.Document()
    document.add_paragraph("The kettle sang at six.")
    story = read_story(without_properties(document, tmp_path / "kettle.docx"))
    assert story.metadata.title is None  # the pipeline falls back to the file name, with a warning


def test_the_placeholder_python_docx_saved_back_is_not_a_title(tmp_path):
    # Opening a file without properties and saving it with python-docx writes its made-up ones.
    path = without_properties(docx.Document(), tmp_path / "kettle.docx")
    resaved = docx.Document(str(path))
    resaved.add_paragraph("The kettle sang at six.")
    resaved.save(path)
    assert docx.Document(str(path)).core_properties.title == "Word Document"
    assert read_story(path).metadata.title is None


def test_a_centred_title_line_and_byline_open_the_story(tmp_path):
    document = docx.Document()
    centred(document, "The Glass Orchard")
    centred(document, "by Hollis Penrose")
    document.add_paragraph("The trees rang when the wind came.")
    centred(document, "* * *")
    document.add_paragraph("Morning came, and the bells were quiet.")
    story = read_story(without_properties(document, tmp_path / "orchard.docx"))
    assert story.metadata.title == "The Glass Orchard"
    assert [p.name for p in story.metadata.authors] == ["Hollis Penrose"]
    assert shape(story) == [(None, "chapter", ["p", "break", "p"])]


def test_a_centred_sentence_is_not_a_title(tmp_path):
    document = docx.Document()
    centred(document, "It was the coldest night of the year.")
    document.add_paragraph("Nobody went out.")
    story = read_story(without_properties(document, tmp_path / "cold.docx"))
    assert story.metadata.title is None
    assert shape(story) == [(None, "chapter", ["p", "p"])]


def test_title_subtitle_and_author_paragraphs_as_pandoc_writes_them(tmp_path):
    document = docx.Document()
    document.add_paragraph("The Glass Orchard", style="Title")
    document.add_paragraph("A Story of Small Bells", style="Subtitle")
    document.styles.add_style("Author", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Hollis Penrose", style="Author")
    document.add_paragraph("The First Day", style="Heading 1")
    document.add_paragraph("The trees rang.")
    document.add_paragraph("The Second Day", style="Heading 1")
    document.add_paragraph("Morning came.")
    story = read_story(without_properties(document, tmp_path / "orchard.docx"))
    meta = story.metadata
    assert (meta.title, meta.subtitle, [p.name for p in meta.authors]) == (
        "The Glass Orchard", "A Story of Small Bells", ["Hollis Penrose"]
    )
    assert [c.title for c in story.chapters] == ["The First Day", "The Second Day"]


def test_a_heading_two_under_each_chapter_heading_is_its_subtitle(tmp_path):
    document = docx.Document()
    document.add_paragraph("The Glass Orchard", style="Title")
    for number, subtitle, text in (("Chapter One", "The Wind", "The trees rang."), ("Chapter Two", "The Quiet", "Morning came.")):
        document.add_paragraph(number, style="Heading 1")
        document.add_paragraph(subtitle, style="Heading 2")
        document.add_paragraph(text)
    story = read_story(without_properties(document, tmp_path / "orchard.docx"))
    assert shape(story) == [("Chapter One: The Wind", "chapter", ["p"]), ("Chapter Two: The Quiet", "chapter", ["p"])]


def test_heading_two_chapters_under_a_title_heading_stay_chapters(tmp_path):
    story = read_story(styled_file(
        tmp_path / "orchard.docx",
        ("Heading 1", "The Glass Orchard"), ("Heading 2", "Planting"), ("Normal", "Seeds went in."),
        ("Heading 2", "Harvest"), ("Normal", "Bells came out."),
    ))
    assert story.metadata.title == "The Glass Orchard"
    assert [c.title for c in story.chapters] == ["Planting", "Harvest"]


def test_a_title_heading_and_its_subtitle_over_a_one_chapter_story(tmp_path):
    story = read_story(styled_file(
        tmp_path / "orchard.docx",
        ("Heading 1", "The Glass Orchard"), ("Heading 2", "A Story of Small Bells"), ("Normal", "The trees rang."),
    ))
    assert (story.metadata.title, story.metadata.subtitle) == ("The Glass Orchard", "A Story of Small Bells")
    assert shape(story) == [(None, "chapter", ["p"])]


def test_a_title_heading_over_chapter_headings_of_its_level(tmp_path):
    # Everything set in Heading 1: the first, with a chapter heading right under it, is the title.
    story = read_story(styled_file(
        tmp_path / "orchard.docx",
        ("Heading 1", "The Glass Orchard"), ("Heading 1", "Chapter 1"), ("Normal", "The trees rang."),
        ("Heading 1", "Chapter 2"), ("Normal", "Morning came."),
    ))
    assert story.metadata.title == "The Glass Orchard"
    assert [c.title for c in story.chapters] == ["Chapter 1", "Chapter 2"]


def test_a_first_chapter_heading_names_an_otherwise_untitled_story(tmp_path):
    story = read_story(styled_file(
        tmp_path / "orchard.docx",
        ("Heading 1", "The Wind in the Orchard"), ("Normal", "The trees rang."),
        ("Heading 1", "The Quiet After"), ("Normal", "Morning came."),
    ))
    assert story.metadata.title == "The Wind in the Orchard"
    assert [c.title for c in story.chapters] == ["The Wind in the Orchard", "The Quiet After"]


def test_an_untitled_word_file_builds_with_the_usual_warning(tmp_path, check_epub):
    document = docx.Document()
    document.add_paragraph("The kettle sang at six, and nobody came to take it off the stove.")
    source = without_properties(document, tmp_path / "kettle_draft.docx")
    book, output = build_and_check(source, tmp_path / "books", check_epub, expect_warnings=("no title found", "no author found"))
    assert "no title found" in output
    assert open_epub(book).title == "kettle draft"


def test_a_word_file_without_properties_builds_with_its_title_page_names(tmp_path, check_epub):
    document = docx.Document()
    centred(document, "The Glass Orchard")
    centred(document, "by Hollis Penrose")
    document.add_paragraph("The trees rang when the wind came.")
    source = without_properties(document, tmp_path / "Document1.docx")
    book, _ = build_and_check(source, tmp_path / "books", check_epub)
    epub = open_epub(book)
    assert (epub.title, epub.creators) == ("The Glass Orchard", ["Hollis Penrose"])
    assert "Word Document" not in epub.body_text()
