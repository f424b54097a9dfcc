"""Structure detection in fimfiction TXT exports and plain text."""

from __future__ import annotations

from pathlib import Path

import pytest

from storybinder.model import Paragraph, SceneBreak, Style
from storybinder.readers import read_story
from storybinder.readers.structure import is_chapter_heading, is_scene_break
from storybinder.readers.txt import detect_layout, parse_text

from .conftest import REPO, SEEDS

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not beside the checkout")


def body_text(story) -> str:
    return "\n".join(b.text for c in story.chapters for b in c.blocks if isinstance(b, Paragraph))


@pytest.mark.parametrize("line", ["***", "* * *", "~~~", "———————", "o0o", "-o0o-", "oOo", "#", "- - -", "⁂"])
def test_scene_break_marks(line):
    assert is_scene_break(line)


@pytest.mark.parametrize("line", ["Hello", "...", "x", "ooo", "**bold**", "-- he said"])
def test_not_scene_breaks(line):
    assert not is_scene_break(line)


@pytest.mark.parametrize(
    "line", ["Chapter 1", "CHAPTER ONE", "Chapter IV: Title", "Prologue", "Epilogue", "Chapter twenty-one - The End", "Part 2"]
)
def test_chapter_headings(line):
    assert is_chapter_heading(line)


@pytest.mark.parametrize("line", ["Chapter and verse, he said.", "Prologue to a life, ended,", "The chapter closed."])
def test_not_chapter_headings(line):
    assert not is_chapter_heading(line)


EXPORT = (
    " \t\tDescription\n\nA blurb line.\nSecond blurb line.\n"
    " \t\tFirst Steps\n\n\nOne paragraph.\nAnother \"quoted\" one.\n\nAfter the break.\n"
    " \t\tSecond Steps\n\nChapter two text.\n\n\t\t\tAuthor's Notes: \nThanks for reading.\n"
)


def test_fimfiction_export_structure():
    story = parse_text(EXPORT)
    assert story.metadata.description == "A blurb line.\nSecond blurb line."
    assert [c.title for c in story.chapters] == ["First Steps", "Second Steps", "Author's Notes"]
    assert [c.kind for c in story.chapters] == ["chapter", "chapter", "notes"]
    first = story.chapters[0].blocks
    assert [type(b).__name__ for b in first] == ["Paragraph", "Paragraph", "SceneBreak", "Paragraph"]
    assert "blurb" not in body_text(story)


def test_hard_wrapped_text_is_rejoined():
    text = (
        "This is a long paragraph that was wrapped by an old editor at about\n"
        "seventy characters, the way plain-text archives used to do it.\n\n"
        "A second paragraph follows, and it too is wrapped across two lines\n"
        "so that the reader has to put it back together again.\n"
    )
    assert detect_layout(text.split("\n")) == "blocks"
    story = parse_text(text)
    paragraphs = [b.text for b in story.chapters[0].blocks]
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("This is a long") and paragraphs[0].endswith("to do it.")
    assert "about seventy" in paragraphs[0]


def test_title_byline_chapters_and_emphasis_in_plain_text():
    story = read_story(REPO / "stories" / "the-clockmakers-apprentice.txt")
    assert story.metadata.title == "The Clockmaker's Apprentice"
    assert [a.name for a in story.metadata.authors] == ["Ada Fenwick"]
    assert [c.title for c in story.chapters] == ["Chapter 1: The Broken Hour", "Chapter 2: Up the Tower"]
    assert any(isinstance(b, SceneBreak) for b in story.chapters[0].blocks)
    emphasised = [
        b.text[s.start : s.end]
        for c in story.chapters
        for b in c.blocks
        if isinstance(b, Paragraph)
        for s in b.spans
        if s.style is Style.EMPHASIS
    ]
    assert emphasised == ["both", "nobody's business"]
    assert "*" not in body_text(story)


def test_byline_with_thanks_keeps_only_the_name():
    story = parse_text("“A Title”\nBy SomeWriter99 with special thanks to Helper for edits\nBody line one.\nBody line two.\n")
    assert story.metadata.title == "A Title"
    assert [a.name for a in story.metadata.authors] == ["SomeWriter99"]
    assert body_text(story) == "Body line one.\nBody line two."


def test_a_title_page_of_title_subtitle_and_byline_paragraphs():
    # An old novel's title page as plain text: each line its own paragraph.
    story = parse_text(
        "The Glass Orchard;\n\nor, a Winter Tale\n\nby Wren (Ashby) Halloway\n\n\n"
        "The orchard was made of glass. It rang in the wind.\n\nShe walked through it.\n"
    )
    assert (story.metadata.title, story.metadata.subtitle) == ("The Glass Orchard", "or, a Winter Tale")
    # A name in brackets inside the name is dropped; a pen name after it would end the name.
    assert [a.name for a in story.metadata.authors] == ["Wren Halloway"]
    assert body_text(story).startswith("The orchard was made of glass.")


def test_three_short_opening_lines_without_a_byline_stay_text():
    story = parse_text("Snow again;\n\nand the wind\n\nfrom the north.\n\nShe walked on.\n")
    assert story.metadata.title is None and story.metadata.authors == ()
    assert body_text(story).startswith("Snow again;")


def test_by_in_prose_is_not_a_byline():
    story = parse_text("By the time she woke, the sun was up.\nShe stretched.\n")
    assert story.metadata.authors == ()
    assert body_text(story).startswith("By the time")


@needs_seeds
def test_seed_000_title_author_and_description():
    story = read_story(SEEDS / "000_a7de477af8023ed2.txt")
    assert story.metadata.title == "My Greatest Failure"
    assert [a.name for a in story.metadata.authors] == ["TwilightSparkle3562"]
    desc = story.metadata.description
    assert desc and desc.startswith("Ever since he had left Twilight at the wedding rehearsal")
    assert "wedding rehearsal, Spike had wondered" not in body_text(story)
    assert not body_text(story).startswith("By ")


@needs_seeds
def test_seed_001_chapter_title_and_notes():
    story = read_story(SEEDS / "001_b463226724b1ed2d.txt")
    assert story.chapters[0].title == "Everything, Including the Stars, Is Falling"
    assert story.chapters[-1].kind == "notes"
    assert story.chapters[-1].blocks[0].text.startswith("In several stories")
    assert sum(isinstance(b, SceneBreak) for b in story.chapters[0].blocks) == 1
    assert story.metadata.description.startswith("It's been years since Twilight Sparkle")


@needs_seeds
def test_seed_002_blank_line_scene_breaks():
    story = read_story(SEEDS / "002_1e4d20ba7a460879.txt")
    blocks = story.chapters[0].blocks
    assert sum(isinstance(b, SceneBreak) for b in blocks) == 3
    assert blocks[0].text.startswith('"Just one spark.')
    assert story.metadata.title is None  # no title in the text: the pipeline falls back


def test_empty_and_binary_files_are_clear_errors(tmp_path: Path):
    from storybinder.errors import StorybinderError

    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n")
    with pytest.raises(StorybinderError, match="no text"):
        read_story(empty)
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(StorybinderError, match="not a text file"):
        read_story(binary)
