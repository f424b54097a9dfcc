"""fimfiction BBCode stories: inline tags, blocks across lines, titles, scene breaks, unknown tags."""

from __future__ import annotations

from storybinder.model import SceneBreak, Style

from .reader_helpers import paragraphs, read_text_story, shape, styled, texts

STORY = """[center][size=2em][b]Chapter 1: The Bell[/b][/size][/center]

The [i]bell[/i] rang [b]twice[/b], then [u]once[/u], then [s]never[/s].
[smcaps]Midnight[/smcaps] came, [color=#ff0000]red[/color] and [size=0.8em]small[/size].
[center]* * *[/center]
She read the [url=https://example.org/bells]bell register[/url] and [url]https://example.org/raw[/url].
[url=javascript:alert(1)]Click me[/url] [spoiler]the twist[/spoiler]
[hr]
[quote]Dear bell,
please stop.[/quote]
[center]Centred words
across two lines[/center]

[b]NO![/b]

Chapter 2

Quiet at last.
"""


def test_title_lines_and_chapter_lines_start_chapters(tmp_path):
    story = read_text_story(tmp_path, "bell.bbcode", STORY)
    assert [(title, kind) for title, kind, _ in shape(story)] == [("Chapter 1: The Bell", "chapter"), ("Chapter 2", "chapter")]


def test_inline_tags_become_spans(tmp_path):
    first, second = paragraphs(read_text_story(tmp_path, "bell.bbcode", STORY))[:2]
    assert first.text == "The bell rang twice, then once, then never."
    assert styled(first, Style.EMPHASIS) == ["bell"]
    assert styled(first, Style.STRONG) == ["twice"]
    assert styled(first, Style.UNDERLINE) == ["once"]
    assert styled(first, Style.STRIKE) == ["never"]
    assert second.text == "Midnight came, red and small."
    assert styled(second, Style.SMALL_CAPS) == ["Midnight"]
    assert [s.style for s in second.spans] == [Style.SMALL_CAPS]  # colour and size carry no style


def test_links_keep_web_addresses_only(tmp_path):
    story = read_text_story(tmp_path, "bell.bbcode", STORY)
    link_line = next(p for p in paragraphs(story) if p.text.startswith("She read"))
    links = [(link_line.text[s.start : s.end], s.href) for s in link_line.spans if s.style is Style.LINK]
    assert links == [("bell register", "https://example.org/bells"), ("https://example.org/raw", "https://example.org/raw")]
    click = next(p for p in paragraphs(story) if p.text.startswith("Click me"))
    assert not any(s.style is Style.LINK for s in click.spans)


def test_unknown_tags_stay_as_text(tmp_path):
    assert "Click me [spoiler]the twist[/spoiler]" in texts(read_text_story(tmp_path, "bell.bbcode", STORY))


def test_scene_breaks_from_hr_and_centred_marks(tmp_path):
    story = read_text_story(tmp_path, "bell.bbcode", STORY)
    kinds = shape(story)[0][2]
    assert kinds.count("break") == 2
    assert all(isinstance(b, SceneBreak) for b in story.chapters[0].blocks if getattr(b, "text", "") == "* * *")


def test_quote_and_center_blocks_span_lines(tmp_path):
    by_text = {p.text: p for p in paragraphs(read_text_story(tmp_path, "bell.bbcode", STORY))}
    assert by_text["Dear bell,"].quoted and by_text["please stop."].quoted
    assert by_text["Centred words"].align == "center" and by_text["across two lines"].align == "center"
    assert by_text["Quiet at last."].align is None and not by_text["Quiet at last."].quoted


def test_a_bold_exclamation_is_not_a_chapter(tmp_path):
    story = read_text_story(tmp_path, "bell.bbcode", STORY)
    shout = next(p for p in paragraphs(story) if p.text == "NO!")
    assert styled(shout, Style.STRONG) == ["NO!"]


def test_styles_open_across_lines_carry_on(tmp_path):
    story = read_text_story(tmp_path, "dream.bbcode", "[i]A dream,\nstill dreaming.[/i]\nAwake.\n")
    dream, still, awake = paragraphs(story)
    assert styled(dream, Style.EMPHASIS) == ["A dream,"] and styled(still, Style.EMPHASIS) == ["still dreaming."]
    assert not awake.spans
