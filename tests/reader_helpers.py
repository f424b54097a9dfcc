"""Helpers for the reader tests: write a file, read it, look at its blocks."""

from __future__ import annotations

from pathlib import Path

from storybinder.model import Paragraph, SceneBreak, Story, Style
from storybinder.readers import read_story


def read_text_story(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Story:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return read_story(path)


def styled(paragraph: Paragraph, style: Style) -> list[str]:
    """The text each span of `style` covers."""
    return [paragraph.text[s.start : s.end] for s in paragraph.spans if s.style is style]


def paragraphs(story: Story) -> list[Paragraph]:
    return [b for c in story.chapters for b in c.blocks if isinstance(b, Paragraph)]


def texts(story: Story) -> list[str]:
    return [p.text for p in paragraphs(story)]


def shape(story: Story) -> list[tuple[str | None, str, list[str]]]:
    """Each chapter's title, kind and block kinds ("p"/"break"/"h"), for structure assertions."""
    kinds = {Paragraph: "p", SceneBreak: "break"}
    return [(c.title, c.kind, [kinds.get(type(b), "h") for b in c.blocks]) for c in story.chapters]
