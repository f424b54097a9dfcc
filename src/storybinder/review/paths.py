"""Where a story's decisions file (NAME.review.toml) lives, without the decisions model.

A build asks for it on every cleaned story, nearly always to find there is
none: this module keeps that question from importing review.decisions and
its dataclasses (~2 ms of a one-story build's start).
"""

from __future__ import annotations

from pathlib import Path

SUFFIX = ".review.toml"


def review_path(story: Path) -> Path:
    """Where a story's decisions live: NAME.review.toml beside NAME.ext (or beside a story folder)."""
    if story.is_dir():
        folder = story.resolve()
        return folder.parent / f"{folder.name}{SUFFIX}"
    return story.with_name(story.stem + SUFFIX)


def find_review(story: Path) -> Path | None:
    """The story's decisions file, when there is one."""
    path = review_path(story)
    return path if path.is_file() else None
