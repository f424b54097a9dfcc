"""Word .docx stories: core properties, headings and "Chapter N" lines, run styles, centred breaks."""

from __future__ import annotations

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from storybinder.errors import StorybinderError
from storybinder.model import Style
from storybinder.readers import read_story

from .reader_helpers import paragraphs, shape, styled, texts


def add_link(paragraph, url: str, text: str) -> None:
    """python-docx has no writer for hyperlinks; build the w:hyperlink by hand."""
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    text_el = OxmlElement("w:t")
    text_el.text = text
    run.append(text_el)
    link.append(run)
    paragraph._p.append(link)


@pytest.fixture
def word_story(tmp_path):
    document = docx.Document()
    props = document.core_properties
    props.title, props.author, props.comments = "The Orchard", "Ivy Stone; Rob Moss", "Apples, mostly."
    props.keywords, props.language = "autumn, apples", "en-GB"
    document.add_paragraph("The Orchard", style="Title")
    document.add_paragraph("Picking", style="Heading 1")
    p = document.add_paragraph("They picked ")
    p.add_run("red").italic = True
    p.add_run(" and ")
    p.add_run("green").bold = True
    p.add_run(" apples, ")
    p.add_run("not").font.strike = True
    p.add_run(" pears, under the ")
    p.add_run("Old Tree").font.small_caps = True
    p.add_run(". ")
    add_link(p, "https://example.org/apples", "Recipe")
    add_link(p, "javascript:alert(1)", " here")
    document.add_paragraph("* * *").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("Evening fell.\u00a0").add_run("\nThe baskets were full.")
    document.add_paragraph("A letter from the farm.", style="Quote")
    document.add_paragraph("THE END OF PART ONE").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("Chapter 2: Cider")
    document.add_paragraph("The press creaked.")
    path = tmp_path / "orchard.docx"
    document.save(path)
    return read_story(path)


def test_core_properties_are_metadata(word_story):
    meta = word_story.metadata
    assert meta.title == "The Orchard"
    assert [p.name for p in meta.authors] == ["Ivy Stone", "Rob Moss"]
    assert meta.description == "Apples, mostly."
    assert meta.tags == ("autumn", "apples")
    assert meta.language == "en-GB"


def test_headings_and_chapter_paragraphs_are_chapters(word_story):
    assert shape(word_story) == [
        ("Picking", "chapter", ["p", "break", "p", "p", "p", "p"]),
        ("Chapter 2: Cider", "chapter", ["p"]),
    ]


def test_run_styles_and_links_survive(word_story):
    first = paragraphs(word_story)[0]
    assert first.text == "They picked red and green apples, not pears, under the Old Tree. Recipe here"
    assert styled(first, Style.EMPHASIS) == ["red"]
    assert styled(first, Style.STRONG) == ["green"]
    assert styled(first, Style.STRIKE) == ["not"]
    assert styled(first, Style.SMALL_CAPS) == ["Old Tree"]
    assert [(first.text[s.start : s.end], s.href) for s in first.spans if s.style is Style.LINK] == [
        ("Recipe", "https://example.org/apples")
    ]


def test_line_breaks_quotes_and_centring(word_story):
    assert texts(word_story)[1:3] == ["Evening fell.", "The baskets were full."]
    by_text = {p.text: p for p in paragraphs(word_story)}
    assert by_text["A letter from the farm."].quoted
    assert by_text["THE END OF PART ONE"].align == "center"


def test_not_a_word_document_is_a_clear_error(tmp_path):
    fake = tmp_path / "fake.docx"
    fake.write_text("just text, renamed")
    with pytest.raises(StorybinderError, match="not a readable Word document"):
        read_story(fake)


def test_title_paragraph_names_an_untitled_document_and_is_never_a_chapter(tmp_path):
    document = docx.Document()
    document.add_paragraph("Rain on Tin", style="Title")
    document.add_paragraph("Dripping.")
    document.add_paragraph("Another Title Line", style="Title")
    path = tmp_path / "rain.docx"
    document.save(path)
    story = read_story(path)
    assert story.metadata.title == "Rain on Tin"
    assert shape(story) == [(None, "chapter", ["p"])]


def test_other_headings_are_kept_when_the_properties_name_the_story(tmp_path):
    document = docx.Document()
    document.core_properties.title = "Rain on Tin"
    document.add_paragraph("Kapitel Eins", style="Heading 1")
    document.add_paragraph("Tropfen.")
    path = tmp_path / "regen.docx"
    document.save(path)
    assert shape(read_story(path)) == [("Kapitel Eins", "chapter", ["p"])]
