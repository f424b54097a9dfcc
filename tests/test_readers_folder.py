"""A folder of chapter files read as one story."""

from __future__ import annotations

import pytest

from storybinder.errors import StorybinderError
from storybinder.manifest import load_sidecar
from storybinder.model import Style
from storybinder.readers import read_story
from storybinder.sources import expand_sources

from .reader_helpers import paragraphs, shape, styled


@pytest.fixture
def folder(tmp_path):
    story = tmp_path / "river"
    story.mkdir()
    (story / "1.txt").write_text("The river *rose*.\n", encoding="utf-8")
    (story / "2 - The Flood.md").write_text("Water **everywhere**.\n", encoding="utf-8")
    (story / "10.bbcode").write_text("[center][b]Chapter 10: Dry Land[/b][/center]\nMud.\n", encoding="utf-8")
    (story / "9.html").write_text("<h1>Chapter 9: Boats</h1><p>Oars.</p>", encoding="utf-8")
    (story / "notes.toml").write_text("ignored = true\n", encoding="utf-8")
    (story / ".hidden.txt").write_text("not a chapter\n", encoding="utf-8")
    (story / "story.toml").write_text('title = "The River"\nauthor = "Nell Banks"\n', encoding="utf-8")
    return story


def test_chapter_files_in_natural_order_whatever_their_format(folder):
    story = read_story(folder)
    assert [title for title, _, _ in shape(story)] == [None, "The Flood", "Chapter 9: Boats", "Chapter 10: Dry Land"]
    first, flood = paragraphs(story)[:2]
    assert styled(first, Style.EMPHASIS) == ["rose"]
    assert styled(flood, Style.STRONG) == ["everywhere"]


def test_folder_metadata_comes_from_its_story_toml(folder):
    meta = read_story(folder).metadata.merged(load_sidecar(folder))
    assert meta.title == "The River"
    assert [p.name for p in meta.authors] == ["Nell Banks"]


def test_a_story_folder_is_one_build_job(folder):
    jobs = list(expand_sources([folder.parent]))
    assert [(j.kind, j.path) for j in jobs] == [("story", folder)]


def test_a_folder_without_chapter_files_is_a_clear_error(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "story.toml").write_text('title = "Nothing"\n', encoding="utf-8")
    with pytest.raises(StorybinderError, match="not a story file"):
        read_story(empty)


@pytest.fixture
def headed_folder(tmp_path):
    """Chapter files as a writer keeps them: headings inside, a README and notes beside, a picture."""
    story = tmp_path / "harbour"
    story.mkdir()
    (story / "01-arrival.md").write_text("# The First Night\n\nThe boat came in after dark.\n", encoding="utf-8")
    (story / "02-the-long-walk.txt").write_text("The Long Walk Home\n\nShe walked the pier twice.\n", encoding="utf-8")
    (story / "03.html").write_text("<html><body><h1>Lanterns</h1><p>Every window was lit.</p></body></html>", encoding="utf-8")
    (story / "04-the-end-of-the-road.md").write_text("They slept until noon.\n", encoding="utf-8")
    (story / "05.txt").write_text("Nobody woke the cat.\n", encoding="utf-8")
    (story / "README.md").write_text("# Harbour\n\nDrafts for the harbour story.\n", encoding="utf-8")
    (story / "notes.txt").write_text("Remember the lighthouse.\n", encoding="utf-8")
    (story / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (story / "story.toml").write_text('title = "Harbour Lights"\nauthor = "Nell Banks"\n', encoding="utf-8")
    return story


def test_a_chapter_file_is_titled_by_its_own_heading(headed_folder):
    titles = [c.title for c in read_story(headed_folder).chapters]
    assert titles[:3] == ["The First Night", "The Long Walk Home", "Lanterns"]


def test_a_file_without_a_heading_is_titled_from_its_name_in_words(headed_folder):
    titles = [c.title for c in read_story(headed_folder).chapters]
    assert titles[3:] == ["The End of the Road", None]  # 05.txt has no words: the book numbers it


def test_readme_notes_and_pictures_are_not_chapters(headed_folder):
    story = read_story(headed_folder)
    text = " ".join(b.text for c in story.chapters for b in c.blocks)
    assert "Drafts for the harbour" not in text and "lighthouse" not in text
    assert len(story.chapters) == 5
    assert any("left out map.png, notes.txt, README.md" in note for note in story.notes)


def test_the_headings_stay_out_of_the_text(headed_folder):
    story = read_story(headed_folder)
    firsts = [c.blocks[0].text for c in story.chapters]
    assert firsts[:3] == ["The boat came in after dark.", "She walked the pier twice.", "Every window was lit."]


def test_a_folder_builds_with_its_headings_and_says_what_it_took(headed_folder, tmp_path, check_epub):
    from .build_helpers import build_and_check
    from .epub_inspect import open_epub

    book, output = build_and_check(headed_folder, tmp_path / "books", check_epub)
    toc = open_epub(book).toc_titles()
    assert ["The First Night", "The Long Walk Home", "Lanterns", "The End of the Road"] == [t for t in toc if t in (
        "The First Night", "The Long Walk Home", "Lanterns", "The End of the Road")]
    assert not any("the-" in t or "01-arrival" in t for t in toc)
    assert "chapters 01-arrival.md, 02-the-long-walk.txt, 03.html, 04-the-end-of-the-road.md, 05.txt" in output
    assert "left out map.png, notes.txt, README.md (not chapters)" in output
