"""fimfiction's framed TXT layouts: the chapter download and the `>`-marked story download.

fimfiction (and FiMFetch, which mirrors it) have written plain-text files in
more than one shape besides the tab-indented `Description` export (txt.py):

- a chapter download, framed by ruler lines (`//------------------------------//`)::

      //------------------------------//
      // The Chapter's Title
      // Story: The Story's Title
      // by Author Name
      //------------------------------//

  and a whole story as one such frame per chapter, the first naming the story
  (`// Story Title// by Author Name` on one line in FiMFetch's copies);

- a story download marked with `>`: `> Story Title`, `> by Author Name`, then each
  chapter's title as `> Title` underlined by a `> -----` line.

This module only finds these frames and says what they name (story, authors,
where each chapter starts and its title); txt.py turns the lines between them
into blocks as it does for any text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .structure import byline_names

_RULER = re.compile(r"^\s*//\s*-{5,}\s*//\s*$")
_COMMENT = re.compile(r"^\s*//(?P<text>.*?)(?://)?\s*$")
_STORY = re.compile(r"^story\s*:\s*(?P<title>\S.*)$", re.IGNORECASE)
_CHAPTER = re.compile(r"^chapter\s*:\s*(?P<title>\S.*)$", re.IGNORECASE)
_ARROW = re.compile(r"^\s*>\s?(?P<text>.*?)\s*$")
_ARROW_RULE = re.compile(r"^\s*>\s*-{5,}\s*$")
# A frame is a few lines; a longer run of `//` lines is something else (code).
_MAX_FRAME = 8


@dataclass
class Section:
    """The lines of one chapter and the title its frame gave it."""

    title: str | None
    lines: list[str] = field(default_factory=list)


@dataclass
class Framed:
    """What the frames name: the story, its authors, and the chapters in reading order."""

    title: str | None
    authors: tuple[str, ...]
    sections: list[Section]


def parse(lines: list[str]) -> Framed | None:
    """The framed layout of `lines`, or None when the text does not open with a frame."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    if _RULER.match(lines[first]):
        return _parse_rulers(lines, first)
    if _ARROW.match(lines[first]):
        return _parse_arrows(lines, first)
    return None


def _frame_at(lines: list[str], start: int) -> tuple[list[str], int] | None:
    """The `//` lines of a frame opening at lines[start] (a ruler), and the index after it."""
    texts: list[str] = []
    for i in range(start + 1, min(len(lines), start + 2 + _MAX_FRAME)):
        line = lines[i]
        if _RULER.match(line):
            return (texts, i + 1) if texts else None
        comment = _COMMENT.match(line)
        if comment is None:
            return None
        # FiMFetch joins a frame's lines with `//`: "Story Title// by Author".
        texts += [part.strip() for part in comment.group("text").split("//") if part.strip()]
    return None


@dataclass
class _Frame:
    chapter: str | None = None
    story: str | None = None
    authors: tuple[str, ...] = ()
    names: list[str] = field(default_factory=list)  # lines that are neither a byline nor labelled


def _read_frame(texts: list[str]) -> _Frame:
    frame = _Frame()
    for text in texts:
        authors = byline_names(text)
        story = _STORY.match(text)
        chapter = _CHAPTER.match(text)
        if authors and not frame.authors:
            frame.authors = authors
        elif story:
            frame.story = story.group("title").strip()
        elif chapter:
            frame.chapter = chapter.group("title").strip()
        else:
            frame.names.append(text)
    # A chapter download names the chapter and then the story; a story's own
    # frame (the first of a whole-story file) names only the story.
    if frame.names and frame.chapter is None and (frame.story is not None or len(frame.names) >= 2):
        frame.chapter = frame.names.pop(0)
    if frame.names and frame.story is None:
        frame.story = frame.names.pop(0)
    return frame


def _parse_rulers(lines: list[str], first: int) -> Framed | None:
    found = _frame_at(lines, first)
    if found is None:
        return None
    title: str | None = None
    authors: tuple[str, ...] = ()
    sections: list[Section] = []
    i = first
    while i < len(lines):
        found = _frame_at(lines, i) if _RULER.match(lines[i]) else None
        if found is None:
            if not sections:
                sections.append(Section(None))
            sections[-1].lines.append(lines[i])
            i += 1
            continue
        opening = i == first
        texts, i = found
        frame = _read_frame(texts)
        if frame.chapter is None and not opening:
            # After the first frame, a frame naming one thing names a chapter.
            frame.chapter, frame.story = frame.story, None
        title = title or frame.story
        authors = authors or frame.authors
        if frame.chapter is not None:
            sections.append(Section(frame.chapter))
        # else: the story's own frame, a title page rather than a chapter
    return Framed(title, authors, sections)


def _parse_arrows(lines: list[str], first: int) -> Framed | None:
    rest = [i for i in range(first + 1, len(lines)) if lines[i].strip()]
    if not rest:
        return None
    byline = _ARROW.match(lines[rest[0]])
    authors = byline_names(byline.group("text")) if byline else ()
    if not authors:
        return None  # "> a quoted line" opening an ordinary text
    title = _ARROW.match(lines[first]).group("text").strip() or None  # type: ignore[union-attr]
    sections: list[Section] = []
    i = rest[0] + 1
    while i < len(lines):
        line = lines[i]
        underline = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
        heading = _ARROW.match(line)
        if heading and underline is not None and _ARROW_RULE.match(lines[underline]) and heading.group("text"):
            sections.append(Section(heading.group("text").strip()))
            i = underline + 1
            continue
        if not _ARROW_RULE.match(line):
            if not sections:
                sections.append(Section(None))
            sections[-1].lines.append(line)
        i += 1
    return Framed(title, authors, sections)
