"""Inline spans and blocks to XHTML: nesting, escaping, forbidden characters."""

from __future__ import annotations

from lxml import etree

from storybinder.epub.xhtml import element, fill_inline, render_blocks, safe_href, xml_text
from storybinder.model import Heading, Paragraph, SceneBreak, Span, Style


def render(text: str, *spans: Span) -> str:
    p = element(None, "p")
    fill_inline(p, text, spans)
    return etree.tostring(p, encoding="unicode").split(">", 1)[1].rsplit("<", 1)[0]


def test_plain_text_is_escaped_not_interpreted():
    assert render("a <b> & c") == "a &lt;b&gt; &amp; c"


def test_nested_spans_nest():
    assert render("one two three", Span(0, 13, Style.EMPHASIS), Span(4, 7, Style.STRONG)) == (
        "<em>one <strong>two</strong> three</em>"
    )


def test_overlapping_spans_are_split_so_the_markup_stays_well_formed():
    html = render("abcdef", Span(0, 4, Style.EMPHASIS), Span(2, 6, Style.STRONG))
    assert html == "<em>ab<strong>cd</strong></em><strong>ef</strong>"


def test_every_style_maps_to_its_element():
    text = "em st sc s u"
    html = render(
        text,
        Span(0, 2, Style.EMPHASIS),
        Span(3, 5, Style.STRONG),
        Span(6, 8, Style.SMALL_CAPS),
        Span(9, 10, Style.STRIKE),
        Span(11, 12, Style.UNDERLINE),
    )
    assert html == (
        '<em>em</em> <strong>st</strong> <span class="smallcaps">sc</span> <s>s</s> <span class="underline">u</span>'
    )


def test_spans_outside_the_text_or_repeated_do_no_harm():
    assert render("abc", Span(1, 99, Style.EMPHASIS), Span(5, 9, Style.STRONG), Span(1, 99, Style.EMPHASIS)) == (
        "a<em>bc</em>"
    )


def test_links_never_nest_and_unsafe_ones_are_dropped():
    html = render(
        "click here now",
        Span(0, 14, Style.LINK, "https://a.example/"),
        Span(6, 10, Style.LINK, "https://b.example/"),
    )
    assert html.count("<a ") == 1
    assert safe_href("javascript:alert(1)") is None
    assert safe_href("data:text/html,hi") is None
    assert safe_href("https://") is None
    assert safe_href("file:///etc/passwd") is None
    assert safe_href("mailto:me@example.com") == "mailto:me@example.com"


def test_forbidden_characters_are_removed_wherever_they_are():
    assert xml_text("a\x00b\x08c\x0bd\ud800e\ufffff\x85g\th\ni") == "abcdefg\th\ni"
    assert render("x\x01y", Span(0, 2, Style.EMPHASIS)) == "<em>x</em>y"


def test_blocks_render_as_the_reader_expects():
    body = element(None, "body")
    render_blocks(
        body,
        [
            Paragraph("Dear Sir,", quoted=True),
            Paragraph("Yours.", quoted=True),
            SceneBreak(""),
            Heading("Part", level=1),
            Heading("Deep", level=9),
            Paragraph("Right", align="right"),
        ],
    )
    tags = [etree.QName(c).localname for c in body]
    assert tags == ["blockquote", "p", "h3", "h6", "p"]
    assert len(body[0]) == 2  # consecutive quoted paragraphs share one blockquote
    assert body[1].text == "* * *" and body[1].get("aria-label") == "scene break"
    assert body[4].get("class") == "right"
