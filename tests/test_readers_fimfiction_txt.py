"""fimfiction's framed TXT downloads (a chapter, a whole story) and `Written by` bylines."""

from __future__ import annotations

from storybinder.model import SceneBreak
from storybinder.readers.txt import parse_text

from .build_helpers import build_and_check
from .epub_inspect import open_epub
from .reader_helpers import read_text_story, texts

RULER = "//------------------------------//"

# The shape of fimfiction's "download chapter as .txt": the frame names the
# chapter, the story and the author; paragraphs are separated by blank lines.
CHAPTER_DOWNLOAD = f"""{RULER}
// The Night Ferry
// Story: Lanterns Over Marrow Bay
// by Odile Harte
{RULER}

The ferry left at nine, and Pell was the only passenger who did not look at the water.

"You'll miss the lights," said the boatman.

"I've seen lights," Pell said.

* * *

By midnight the bay had gone black, and the lanterns rose out of it one by one.
"""

# A whole story as FiMFetch keeps it: the story's own frame, then one frame per chapter.
STORY_DOWNLOAD = f"""{RULER}
// Lanterns Over Marrow Bay// by Odile Harte
{RULER}
{RULER}
// The Night Ferry
{RULER}
The ferry left at nine.
Pell did not look at the water.
{RULER}
// Low Tide
{RULER}
In the morning the bay was only mud and gulls.
"""

# fimfiction's story download marked with `>`: title, byline, underlined chapter titles.
ARROW_DOWNLOAD = """> Lanterns Over Marrow Bay
> by Odile Harte

> The Night Ferry
> ------------------------------

The ferry left at nine.

> Low Tide
> ------------------------------

In the morning the bay was only mud and gulls.
"""


def test_a_chapter_download_names_the_story_its_author_and_the_chapter(tmp_path):
    story = read_text_story(tmp_path, "the-night-ferry.txt", CHAPTER_DOWNLOAD)
    assert story.metadata.title == "Lanterns Over Marrow Bay"
    assert [p.name for p in story.metadata.authors] == ["Odile Harte"]
    assert [c.title for c in story.chapters] == ["The Night Ferry"]
    blocks = story.chapters[0].blocks
    assert texts(story)[0].startswith("The ferry left at nine")
    assert sum(isinstance(b, SceneBreak) for b in blocks) == 1
    assert not any("//" in t or "Story:" in t for t in texts(story))


def test_a_chapter_download_with_windows_line_ends_and_a_bom(tmp_path):
    data = ("\ufeff" + CHAPTER_DOWNLOAD).replace("\n", "\r\n")
    story = read_text_story(tmp_path, "ferry.txt", data)
    assert (story.metadata.title, [c.title for c in story.chapters]) == ("Lanterns Over Marrow Bay", ["The Night Ferry"])


def test_a_story_download_with_one_frame_a_chapter():
    story = parse_text(STORY_DOWNLOAD)
    assert story.metadata.title == "Lanterns Over Marrow Bay"
    assert [p.name for p in story.metadata.authors] == ["Odile Harte"]
    assert [c.title for c in story.chapters] == ["The Night Ferry", "Low Tide"]
    assert texts(story) == ["The ferry left at nine.", "Pell did not look at the water.", "In the morning the bay was only mud and gulls."]


def test_the_arrow_marked_story_download():
    story = parse_text(ARROW_DOWNLOAD)
    assert story.metadata.title == "Lanterns Over Marrow Bay"
    assert [p.name for p in story.metadata.authors] == ["Odile Harte"]
    assert [c.title for c in story.chapters] == ["The Night Ferry", "Low Tide"]
    assert not any(t.startswith(">") for t in texts(story))


def test_a_quoted_line_opening_plain_text_is_not_a_download():
    story = parse_text("> Not every quote is a title.\nShe said so twice.\n")
    assert story.metadata.title is None and story.metadata.authors == ()
    assert texts(story)[0] == "> Not every quote is a title."


def test_written_by_is_a_byline():
    story = parse_text("The Glass Orchard\nWritten by Hollis Penrose\n\nThe trees rang when the wind came.\n")
    assert story.metadata.title == "The Glass Orchard"
    assert [p.name for p in story.metadata.authors] == ["Hollis Penrose"]
    assert texts(story) == ["The trees rang when the wind came."]


def test_written_by_in_prose_is_not_a_byline():
    story = parse_text("Written by the light of one candle, the letter was short.\nShe read it twice.\n")
    assert story.metadata.authors == ()
    assert texts(story)[0].startswith("Written by the light")


def test_the_chapter_download_builds_a_book_named_after_the_story(tmp_path, check_epub):
    source = tmp_path / "the-night-ferry.txt"
    source.write_text(CHAPTER_DOWNLOAD, encoding="utf-8")
    book, _ = build_and_check(source, tmp_path / "books", check_epub)
    epub = open_epub(book)
    assert book.name == "lanterns-over-marrow-bay.epub"
    assert (epub.title, epub.creators) == ("Lanterns Over Marrow Bay", ["Odile Harte"])
    assert "The Night Ferry" in epub.toc_titles()
    assert "Story:" not in epub.body_text() and RULER not in epub.body_text()
