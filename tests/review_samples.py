"""A small story (our own words) with one of each thing a review decides about.

Cleaned as a build cleans it, it has a fix the author rejects (coled -> cold),
a suggestion the author accepts (recieved -> received), a fix the author
edits (beutiful -> bonny), an invented word the cleaner would change (glimer),
a fix left alone (Their -> There) and some typography.
"""

from __future__ import annotations

from pathlib import Path

STORY = """The Glimer Lantern

by Wren Hollis

Chapter 1: The Mill

Marren walked to the mill. It was coled outside, and the wind was up.

The glimer hung over the orchard, and Marren watched it drift toward the "bell tower"...

He had a recieved letter and a beutiful day to read it in.

Chapter 2: The Orchard

Their was a boat on the water -- a small one. Tovi saw it first.
"""

# What the book says once the four decisions are applied.
DECIDED_TEXT = (
    "It was coled outside",
    "The glimer hung over the orchard",
    "He had a received letter and a bonny day to read it in.",
    "There was a boat on the water",
)
# The cleaner alone (no decisions): what the decisions change.
UNDECIDED_TEXT = (
    "It was cold outside",
    "The glimer hung over the orchard",  # a suggestion (glimmer), not made
    "He had a recieved letter and a beautiful day to read it in.",
    "There was a boat on the water",
)


def write_story(folder: Path, name: str = "glimer.txt", text: str = STORY) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
