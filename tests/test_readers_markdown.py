"""Markdown stories: front matter, headings as chapters, emphasis, breaks, quotes, safety."""

from __future__ import annotations

import pytest

from storybinder.errors import StorybinderError
from storybinder.model import Heading, SceneBreak, Style

from .reader_helpers import paragraphs, read_text_story, shape, styled, texts

YAML_STORY = """---
title: The Kettle
authors: [Ada Quill, Bo Reed]
summary: A kettle that will not boil.
tags: [comedy, kitchen]
language: en-GB
series: Kitchen Tales
series_index: 2
---

# Chapter 1: Cold Water

Ada waited *patiently* for the **kettle**, which did ~~nothing~~ nothing at all.
See [the recipe](https://example.org/tea) or [this](javascript:alert(1)).

* * *

> Dear kettle,
> please boil.

## A note on kettles

Kettles are stubborn.

# Chapter 2: Steam

It boiled.
"""


def test_yaml_front_matter_becomes_metadata(tmp_path):
    story = read_text_story(tmp_path, "kettle.md", YAML_STORY)
    meta = story.metadata
    assert meta.title == "The Kettle"
    assert [p.name for p in meta.authors] == ["Ada Quill", "Bo Reed"]
    assert meta.description == "A kettle that will not boil."
    assert meta.tags == ("comedy", "kitchen")
    assert (meta.language, meta.series, meta.series_index) == ("en-GB", "Kitchen Tales", 2.0)


def test_toml_front_matter_and_single_author(tmp_path):
    story = read_text_story(tmp_path, "k.md", '+++\ntitle = "Tea"\nauthor = "Cy Dunn"\ndescription = "Hot."\n+++\n\nSip.\n')
    assert story.metadata.title == "Tea"
    assert [p.name for p in story.metadata.authors] == ["Cy Dunn"]
    assert story.metadata.description == "Hot."
    assert texts(story) == ["Sip."]


def test_headings_are_chapters_and_deeper_headings_stay_inside(tmp_path):
    story = read_text_story(tmp_path, "kettle.md", YAML_STORY)
    assert shape(story) == [
        ("Chapter 1: Cold Water", "chapter", ["p", "break", "p", "h", "p"]),
        ("Chapter 2: Steam", "chapter", ["p"]),
    ]
    heading = story.chapters[0].blocks[3]
    assert isinstance(heading, Heading) and heading.text == "A note on kettles" and heading.level == 3


def test_inline_styles_become_spans_and_only_web_links_survive(tmp_path):
    first = paragraphs(read_text_story(tmp_path, "kettle.md", YAML_STORY))[0]
    assert first.text.startswith("Ada waited patiently for the kettle, which did nothing nothing at all.")
    assert styled(first, Style.EMPHASIS) == ["patiently"]
    assert styled(first, Style.STRONG) == ["kettle"]
    assert styled(first, Style.STRIKE) == ["nothing"]
    links = [s for s in first.spans if s.style is Style.LINK]
    assert [(first.text[s.start : s.end], s.href) for s in links] == [("the recipe", "https://example.org/tea")]


def test_block_quotes_are_quoted_paragraphs(tmp_path):
    quote = paragraphs(read_text_story(tmp_path, "kettle.md", YAML_STORY))[1]
    assert quote.text == "Dear kettle, please boil." and quote.quoted


def test_lone_top_heading_is_the_title_and_level_two_are_chapters(tmp_path):
    text = "# The Long Way\n\n## One\n\nFirst.\n\n## Two\n\nSecond.\n\n***\n\nThird.\n"
    story = read_text_story(tmp_path, "long.md", text)
    assert story.metadata.title == "The Long Way"
    assert shape(story) == [("One", "chapter", ["p"]), ("Two", "chapter", ["p", "break", "p"])]


def test_chapter_lines_and_scene_marks_in_plain_paragraphs(tmp_path):
    # Fiction, not code: `~~~` is a scene break and indented paragraphs are prose.
    text = "Chapter 1\n\n    One.\n\n~~~\n\nTwo.\n\nCHAPTER TWO: Rain\n\nThree.\n"
    story = read_text_story(tmp_path, "plain.md", text)
    assert shape(story) == [("Chapter 1", "chapter", ["p", "break", "p"]), ("CHAPTER TWO: Rain", "chapter", ["p"])]
    assert isinstance(story.chapters[0].blocks[1], SceneBreak)
    assert texts(story) == ["One.", "Two.", "Three."]


def test_raw_html_in_markdown_is_sanitised(tmp_path):
    text = (
        'Hello <span style="font-variant: small-caps">Sir</span>.\n\n'
        "<script>alert(1)</script>\n\n"
        '<img src="https://tracker.example/p.png" onerror="steal()">\n\n'
        "<iframe src=\"https://evil.example\"></iframe>\n\nBye.\n"
    )
    story = read_text_story(tmp_path, "raw.md", text)
    assert texts(story) == ["Hello Sir.", "Bye."]
    assert styled(paragraphs(story)[0], Style.SMALL_CAPS) == ["Sir"]


def test_thematic_breaks_around_text_are_not_front_matter(tmp_path):
    story = read_text_story(tmp_path, "breaks.md", "---\n\nJust text.\n\n---\n\nMore text.\n")
    assert story.metadata.title is None
    assert texts(story) == ["Just text.", "More text."]


def test_malformed_front_matter_is_a_clear_error(tmp_path):
    with pytest.raises(StorybinderError, match="front matter"):
        read_text_story(tmp_path, "bad.md", "---\ntitle: [unclosed\nauthor: x\n---\n\nText.\n")


def test_a_byline_under_the_title_names_the_author(tmp_path):
    story = read_text_story(tmp_path, "walk.md", "# A Walk\n\n*by Tam Lee and Ro Vance*\n\nWe walked.\n")
    assert story.metadata.title == "A Walk"
    assert [p.name for p in story.metadata.authors] == ["Tam Lee", "Ro Vance"]
    assert texts(story) == ["We walked."]


def test_front_matter_author_wins_over_the_byline(tmp_path):
    story = read_text_story(tmp_path, "walk.md", "---\nauthor: Real Name\n---\n\nBy Pen Name\n\nBy the river we walked.\n")
    assert [p.name for p in story.metadata.authors] == ["Real Name"]
    assert texts(story) == ["By the river we walked."]


LONG = "She walked the whole length of the harbour wall before she let herself look back at the town and its lights. "


def test_one_paragraph_per_line_markdown_keeps_its_paragraphs(tmp_path):
    text = "# Chapter 1\n\n" + "\n".join(f"{LONG}*Line {n}*." for n in range(4)) + "\n\n* * *\n\nAfter.\n"
    story = read_text_story(tmp_path, "lines.md", text)
    assert texts(story) == [f"{LONG}Line {n}." for n in range(4)] + ["After."]
    assert styled(paragraphs(story)[2], Style.EMPHASIS) == ["Line 2"]


def test_hard_wrapped_markdown_still_joins_its_lines(tmp_path):
    wrapped = "She walked the whole length of the harbour\nwall before she let herself look back at\nthe town.\n\nThen home.\n"
    assert texts(read_text_story(tmp_path, "wrapped.md", wrapped)) == [
        "She walked the whole length of the harbour wall before she let herself look back at the town.",
        "Then home.",
    ]
