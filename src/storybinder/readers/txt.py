"""Plain text and fimfiction-style TXT exports -> Story.

A fimfiction export looks like this (tabs shown as →):

    ·→→Description
    <blank>
    <description lines>
    ·→→Chapter Title          (or a first body line starting with a space)
    <one paragraph per line; a blank line is a scene break>
    <blank>
    →→→Author's Notes:
    <notes lines>

Plain text is either one paragraph per line or blank-line-separated paragraphs
(possibly hard-wrapped); `detect_layout` tells which. Both may open with a title
line and a `By NAME` byline, and may hold "Chapter N" headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..lazy_pattern import lazy
from ..model import Block, Chapter, Metadata, Paragraph, Person, SceneBreak, Story
from .inline_marks import parse_emphasis
from .rejoin import Rejoiner
from .structure import byline_names, is_chapter_heading, is_scene_break
from .text_file import read_decoded
from .text_verse import TextShape, verse_block

if TYPE_CHECKING:
    from .fimfiction_txt import Framed

SUFFIXES = frozenset({".txt", ".text"})

_DESCRIPTION_HEADER = re.compile(r"^[ \t]*\t[ \t]*Description[ \t]*$")
# fimfiction indents chapter titles with two tabs (after an optional space).
_CHAPTER_TITLE = lazy(r"^ ?\t\t(?!\t)[ \t]*(?P<title>\S.*?)\s*$")
# A header curled by `storybinder clean` (Author’s Notes) is still the notes header.
_NOTES_HEADER = re.compile(r"^\s*Author['\u2019]?s? ?Notes?\s*:?\s*(?P<rest>.*?)\s*$", re.IGNORECASE)
_QUOTES = "\"'“”‘’«»"


def detect(path: Path) -> bool:
    """Any .txt file is plain text; decoding problems surface in read()."""
    return True


def read(path: Path) -> Story:
    """Read a plain or fimfiction-style text file into a Story."""
    decoded = read_decoded(path)
    story = parse_text(decoded.text, path)
    story.warnings += decoded.warnings(path)
    return story


def parse_text(text: str, path: Path | None = None) -> Story:
    """Parse decoded text (see module docstring) into a Story."""
    lines = text.split("\n")
    framed = _framed(lines)
    if framed is not None:
        return _framed_story(framed, path)
    description, body_start = _split_description(lines)
    sections = _split_sections(lines[body_start:], fimfiction=description is not None)
    # fimfiction's export is always one paragraph per line; other text is sniffed.
    fimfiction = description is not None
    layout = "lines" if fimfiction else detect_layout([line for section in sections for line in section.lines])
    wrapped = Wrapped(Rejoiner(text), TextShape.measure(lines)) if layout == "blocks" else None
    chapters: list[Chapter] = []
    for section in sections:
        blocks = _blocks(section.lines, layout, wrapped)
        if section.kind == "notes":
            chapters.append(Chapter("Author's Notes", blocks, kind="notes"))
        else:
            chapters.extend(_split_chapter_headings(section.title, blocks))
    metadata = Metadata(description=description)
    metadata = metadata.merged(_take_title_and_byline(chapters))
    chapters = [c for c in chapters if c.blocks or c.title]
    if not metadata.title:
        body = [c for c in chapters if c.kind == "chapter"]
        # A single-chapter export names the story only in its chapter title.
        if len(body) == 1 and body[0].title:
            metadata = metadata.merged(Metadata(title=body[0].title))
    return Story(metadata=metadata, chapters=chapters, source=path)


def _framed(lines: list[str]) -> Framed | None:
    """fimfiction's framed layout of `lines` (fimfiction_txt.parse), or None."""
    # Its frames open with a `//` ruler or a `>` line: any other text (nearly all)
    # never imports fimfiction_txt (its patterns and three dataclasses, ~2 ms of a start).
    first = next((line for line in lines if line.strip()), "")
    if not first.lstrip().startswith(("//", ">")):
        return None
    from . import fimfiction_txt

    return fimfiction_txt.parse(lines)


def _framed_story(framed: Framed, path: Path | None) -> Story:
    """A fimfiction chapter or story download: its frames name the story, authors and chapters."""
    layout = detect_layout([line for section in framed.sections for line in section.lines])
    chapters: list[Chapter] = []
    for framed_section in framed.sections:
        title = framed_section.title
        for section in _split_sections(framed_section.lines, fimfiction=False):
            blocks = _blocks(section.lines, layout)
            if section.kind == "notes":
                chapters.append(Chapter("Author's Notes", blocks, kind="notes"))
            else:
                chapters.extend(_split_chapter_headings(title, blocks))
                title = None
        if title is not None:  # a frame with no text under it still names a chapter
            chapters.append(Chapter(title, []))
    metadata = Metadata(title=framed.title, authors=tuple(Person(name) for name in framed.authors))
    if not metadata.authors:
        # A "Written by NAME" line under the frame, as at the top of other text.
        metadata = _take_title_and_byline(chapters).merged(metadata)
    chapters = [c for c in chapters if c.blocks or c.title]
    return Story(metadata=metadata, chapters=chapters, source=path)


def _split_description(lines: list[str]) -> tuple[str | None, int]:
    """Find a fimfiction Description header; return its text and where the body starts."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not _DESCRIPTION_HEADER.match(lines[first]):
        return None, 0
    desc: list[str] = []
    i = first + 1
    # The description runs until the first line that starts with whitespace:
    # the export indents the next chapter title (or first line) that way.
    while i < len(lines) and not (lines[i][:1] in (" ", "\t") and lines[i].strip()):
        desc.append(lines[i].strip())
        i += 1
    paragraphs = "\n".join(_join_blank_separated(desc))
    return (paragraphs or None), i


def _join_blank_separated(lines: list[str]) -> list[str]:
    return [line for line in lines if line]


@dataclass
class _Section:
    kind: str  # "chapter" or "notes"
    title: str | None
    lines: list[str] = field(default_factory=list)


def _split_sections(lines: list[str], *, fimfiction: bool) -> list[_Section]:
    """Cut the body at chapter title lines and Author's Notes headers."""
    sections = [_Section("chapter", None)]
    body = sections[-1].lines
    for line in lines:
        # One match a line, and no other work for the lines that fail it (most).
        notes = _NOTES_HEADER.match(line)
        if notes and _is_notes_header(line):
            sections.append(_Section("notes", None))
            body = sections[-1].lines
            if notes.group("rest"):
                body.append(notes.group("rest"))
            continue
        title = _CHAPTER_TITLE.match(line) if fimfiction else None
        if title and not _looks_like_prose(title.group("title")):
            sections.append(_Section("chapter", title.group("title")))
            body = sections[-1].lines
        else:
            body.append(line)
    return [s for s in sections if s.title or any(line.strip() for line in s.lines)]


def _is_notes_header(line: str) -> bool:
    """Whether a line matching _NOTES_HEADER opens the notes (not a sentence about them)."""
    return line.startswith("\t") or line.strip().lower().rstrip(": ").endswith(("note", "notes"))


def _looks_like_prose(title: str) -> bool:
    # 002-style exports put the first paragraph on the indented line; a chapter
    # title is short and does not open with dialogue.
    return len(title) > 120 or title[:1] in "\"“'‘"


Layout = str  # "lines": one paragraph per line; "blocks": blank-line-separated paragraphs


def detect_layout(lines: list[str]) -> Layout:
    """Tell one-paragraph-per-line text from blank-line-separated (maybe hard-wrapped) text."""
    groups = _groups(lines)
    sizes = sorted(len(g) for g in groups)
    if not groups or sizes[len(sizes) // 2] <= 1:
        return "blocks"  # every paragraph stands alone between blank lines
    # A line that is a whole paragraph ends a sentence; a hard-wrapped line
    # mostly stops mid-sentence. Look at every line that has a successor.
    inner = [line.rstrip() for g in groups for line in g[:-1]]
    # A word hyphenated at the wrap (`beau-`) goes on; a dash (`--`, ` -`) may end a line of speech.
    ended = sum(1 for line in inner if line.endswith(_SENTENCE_ENDS) and not _WRAP_HYPHEN.search(line))
    return "lines" if ended >= 0.5 * len(inner) else "blocks"


_SENTENCE_ENDS = tuple(".!?\"'“”‘’:;)]…—–-*~")
_WRAP_HYPHEN = lazy(r"[^\W\d_]-$")


def _groups(lines: list[str]) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    return [g for g in groups if g]


@dataclass(frozen=True)
class Wrapped:
    """What reading blank-line-separated text needs beyond its lines: how to
    rejoin wrapped lines, and the prose's shape (to tell verse from it)."""

    rejoiner: Rejoiner
    shape: TextShape


def _blocks(lines: list[str], layout: Layout, wrapped: Wrapped | None = None) -> list[Block]:
    """Turn a section's lines into paragraphs, stanzas and scene breaks."""
    blocks: list[Block] = []
    if layout == "lines":
        pending_break = False
        for line in lines:
            if not line.strip():
                pending_break = bool(blocks)
                continue
            if pending_break:
                _add_break(blocks, "")
                pending_break = False
            _add_line(blocks, line)
    else:
        if wrapped is None:  # (one paragraph a line rejoins nothing: measured only here, ~6% of reading 5 MB)
            wrapped = Wrapped(Rejoiner("\n".join(lines)), TextShape.measure(lines))
        blank_run = 0
        for group in _groups_with_gaps(lines):
            if group is None:
                blank_run += 1
                continue
            if blank_run >= 3 and blocks:
                _add_break(blocks, "")
            blank_run = 0
            if not blocks and _is_title_block(group):
                for line in group:
                    _add_line(blocks, line)
            elif len(group) == 1:
                _add_line(blocks, group[0])  # _add_line strips it
            elif any(is_scene_break(line) or is_chapter_heading(line) for line in group):
                for line in group:
                    _add_line(blocks, line)
            elif (verse := verse_block(group, wrapped.shape)) is not None:
                blocks.append(verse)
            else:
                _add_line(blocks, wrapped.rejoiner.join(group))
    while blocks and isinstance(blocks[-1], SceneBreak):
        blocks.pop()
    return blocks


def _is_title_block(group: list[str]) -> bool:
    # "Title\nBy Name" at the top of a text is two lines, not one wrapped paragraph.
    return 2 <= len(group) <= 3 and any(_byline(Paragraph(line.strip())) for line in group[1:])


def _groups_with_gaps(lines: list[str]):
    """Yield runs of non-blank lines, and None once per blank line."""
    run: list[str] = []
    for line in lines:
        if line.strip():
            run.append(line)
            continue
        if run:
            yield run
            run = []
        yield None
    if run:
        yield run


def _add_line(blocks: list[Block], line: str) -> None:
    if is_scene_break(line):
        _add_break(blocks, line.strip())
        return
    text, spans = parse_emphasis(_collapse_spaces(line))
    blocks.append(Paragraph(text, spans))


def _collapse_spaces(line: str) -> str:
    """`line` with each run of whitespace as one space, none at either end."""
    # Most lines are so already: these checks cost half of splitting and
    # joining. Every whitespace character but the space is unprintable.
    if line.isprintable() and "  " not in line and line[:1] != " " and line[-1:] != " ":
        return line
    return " ".join(line.split())


def _add_break(blocks: list[Block], mark: str) -> None:
    # A break at the very start, or right after another, carries no meaning.
    if blocks and not isinstance(blocks[-1], SceneBreak):
        blocks.append(SceneBreak(mark))


def _split_chapter_headings(title: str | None, blocks: list[Block]) -> list[Chapter]:
    """Start a new chapter at every "Chapter N" / "Prologue" paragraph."""
    chapters = [Chapter(title, [])]
    for block in blocks:
        if isinstance(block, Paragraph) and not block.spans and is_chapter_heading(block.text):
            if chapters[-1].blocks or chapters[-1].title:
                chapters.append(Chapter(block.text, []))
            else:
                chapters[-1].title = block.text
            continue
        if isinstance(block, SceneBreak) and not chapters[-1].blocks:
            continue
        chapters[-1].blocks.append(block)
    return chapters


def _take_title_and_byline(chapters: list[Chapter]) -> Metadata:
    """Pop a title line (and a subtitle line) and a `By NAME` byline off the top of the first chapter."""
    first = next((c for c in chapters if c.kind == "chapter" and c.blocks), None)
    if first is None:
        return Metadata()
    paras = first.blocks
    # "Frankenstein;" / "or, the Modern Prometheus" / "by Mary Shelley": a title page's three lines.
    if (
        len(paras) >= 3
        and _is_title_line(paras[0], ends=(".", ","))
        and _is_title_line(paras[1])
        and not _byline(paras[1])
        and _byline(paras[2])
    ):
        title = paras[0].text.strip().strip(_QUOTES).rstrip(";:").strip()
        subtitle = paras[1].text.strip().strip(_QUOTES).strip()
        authors = _byline(paras[2])
        _drop_opening(paras, 3)
        return Metadata(title=title or None, subtitle=subtitle or None, authors=authors)
    if len(paras) >= 2 and _is_title_line(paras[0]) and _byline(paras[1]):
        title = paras[0].text.strip().strip(_QUOTES).strip()
        authors = _byline(paras[1])
        _drop_opening(paras, 2)
        return Metadata(title=title or None, authors=authors)
    authors = _byline(paras[0])
    if authors:
        _drop_opening(paras, 1)
        return Metadata(authors=authors)
    return Metadata()


def _drop_opening(blocks: list[Block], count: int) -> None:
    """Take the title lines off the top, and the blank line (a "scene break") that followed them."""
    del blocks[:count]
    while blocks and isinstance(blocks[0], SceneBreak):
        del blocks[0]


def _is_title_line(block: Block, ends: tuple[str, ...] = (".", ",", ";")) -> bool:
    """A short line that does not end as a sentence or clause does (`ends`)."""
    return isinstance(block, Paragraph) and 0 < len(block.text) <= 120 and not block.text.rstrip(_QUOTES).endswith(ends)


def _byline(block: Block) -> tuple[Person, ...]:
    if not isinstance(block, Paragraph):
        return ()
    return tuple(Person(name) for name in byline_names(block.text))
