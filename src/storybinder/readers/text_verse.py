"""Verse in plain text: a group of short lines, set in from the prose, is a stanza.

Project Gutenberg's texts and most hard-wrapped prose set poems, songs and
letter headings in by a few spaces, one line per line of verse, with deeper
indents for some lines. Wrapped prose reads differently: its lines run to the
wrap width and most of them go on mid-sentence in lower case. `TextShape`
measures the text once (where prose starts, how wide it wraps); `verse_block`
judges one blank-line-separated group of lines against it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..model import Verse
from .inline_marks import parse_emphasis

# Shares of a group's lines (after the first) that open with a capital letter:
# verse written in the usual way capitalises every line; wrapped prose goes
# on in lower case far more often than not.
_VERSE_CAPITALS = 0.75
_INDENTED_VERSE_CAPITALS = 0.4
# A line of verse set flush with the prose must stay this far inside the
# text's wrap width (flush lines of prose near it are a paragraph).
_FLUSH_VERSE_WIDTH = 0.75
_MAX_VERSE_LINE = 90
_QUOTES = "\"'“”‘’«»([_*"


@dataclass(frozen=True)
class TextShape:
    """What one text's prose looks like: its usual indent and the width it wraps at."""

    prose_indent: int = 0
    wrap_width: int = 72
    verse_text: bool = False  # more groups of capitalised lines than of prose: a poem the length of a book

    @classmethod
    def measure(cls, lines: list[str]) -> TextShape:
        """Measure the prose of a text from its lines."""
        indents: Counter[int] = Counter()
        lengths: list[int] = []
        group: list[str] = []
        prose = verse = 0
        for line in [*lines, ""]:
            if line.strip():
                group.append(line.expandtabs(4))
                continue
            share = _capital_share(group) if len(group) >= 3 else None
            if share is not None and share < 0.5:
                indents.update(_indent(g) for g in group[1:])
                lengths.extend(len(g.rstrip()) for g in group[:-1])
                prose += 1
            elif share is not None and share >= _VERSE_CAPITALS:
                verse += 1
            group = []
        if not lengths:
            return cls(verse_text=verse > 0)
        lengths.sort()
        return cls(
            prose_indent=indents.most_common(1)[0][0], wrap_width=lengths[len(lengths) * 9 // 10], verse_text=verse > prose
        )


def verse_block(group: list[str], shape: TextShape) -> Verse | None:
    """The group as a stanza when it reads as verse, else None."""
    if len(group) < 2:
        return None
    lines = [line.expandtabs(4).rstrip() for line in group]
    stripped = [line.strip() for line in lines]
    if max(len(s) for s in stripped) > _MAX_VERSE_LINE:
        return None
    if any(s.endswith("-") and not s.endswith("--") for s in stripped[:-1]):
        return None  # a word hyphenated at the wrap: prose
    indents = [_indent(line) for line in lines]
    least = min(indents)
    capitals = _capital_share(stripped)
    if least >= shape.prose_indent + 2:
        ok = capitals >= _VERSE_CAPITALS or (len(set(indents)) > 1 and capitals >= _INDENTED_VERSE_CAPITALS)
    elif min(indents[1:]) > shape.prose_indent:
        # Every line after the first set in (a song's couplet, long lines and all): wrapped
        # prose takes its lines back to the margin.
        ok = capitals >= _VERSE_CAPITALS
    else:
        # Flush verse (Pope's Iliad, a song in a story): lines that start with capitals and stop
        # well short of the wrap width, where wrapped prose fills every line but its last.
        # Judged on the usual line, not the longest: a couplet's lines vary, prose's do not.
        widths = sorted(len(s) for s in stripped[:-1])
        usual = widths[len(widths) // 2]
        ok = (
            (len(lines) >= 3 or shape.verse_text)  # (a couplet alone reads as verse only in a poem)
            and capitals >= _VERSE_CAPITALS
            and usual <= _FLUSH_VERSE_WIDTH * shape.wrap_width
            and max(len(s) for s in stripped) <= shape.wrap_width
        )
    if not ok:
        return None
    text, spans = parse_emphasis("\n".join(" ".join(s.split()) for s in stripped))
    return Verse(text, spans, tuple((i - least + 1) // 2 for i in indents))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _capital_share(lines: list[str]) -> float:
    """The share of lines after the first whose first letter is a capital."""
    rest = [line.strip().lstrip(_QUOTES) for line in lines[1:]]
    rest = [line for line in rest if line]
    if not rest:
        return 0.0
    return sum(1 for line in rest if line[0].isupper()) / len(rest)
