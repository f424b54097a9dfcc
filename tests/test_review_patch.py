"""Decisions put straight into the cleaned text (the preview of a long novel is not cleaned again):
the result is the text a fresh cleaning with those decisions gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from storybinder.cleanup import clean_story
from storybinder.model import Story
from storybinder.readers import read_story
from storybinder.review.loading import load_review
from storybinder.review.patch import LOST, PatchedStory

from .review_samples import write_story

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p for p in (REPO / "stories").iterdir() if p.suffix in (".txt", ".md", ".html", ".bbcode", ".docx"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_edit_is_found_where_the_cleaned_text_has_its_result(path):
    result = clean_story(read_story(path))
    patched = PatchedStory(result.story, result.edits)
    for n, edit in enumerate(result.edits):
        at = patched.positions[n]
        assert at != LOST, edit
        want = edit.after if edit.applied else edit.before
        assert patched.text_of(n)[at : at + len(want)] == want, edit


def _texts(story: Story) -> list[str]:
    return [ch.title or "" for ch in story.chapters] + [
        getattr(b, "text", "") for ch in story.chapters for b in ch.blocks]


def test_a_patched_story_reads_as_one_cleaned_with_the_decisions(tmp_path):
    story = write_story(tmp_path)
    session = load_review(story, lambda w: None)
    listing = session.listing()
    ids = {item.original: item.id for item in listing.items.values()}
    g = listing.generation
    session.decide(g, [ids["coled"]], "reject")
    session.decide(g, [ids["recieved"]], "accept")
    session.decide(g, [ids["beutiful"]], "edit", "bonny")
    session.decide(g, [ids["glimer"]], "keep")
    session.decide(g, [ids["Their"]], "reject")
    session.decide(g, [ids["Their"]], "undo")
    quote = next(i.id for i in listing.items.values() if i.rule == "quotes.curl")
    session.decide(g, [quote], "reject", scope="rule")  # both curled quotes of the story
    assert session.stories[0].snapshot is not None  # every decision was put in, nothing cleaned again
    patched = _texts(session.stories[0].preview)
    fresh = load_review(story, lambda w: None)
    assert _texts(fresh.cleaned(0).preview) == patched
    assert any('"bell tower"' in t for t in patched) and any("a received letter and a bonny day" in t for t in patched)
