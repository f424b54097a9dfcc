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
