"""Split a plain-text file into paragraphs without losing a byte of its layout.

`storybinder clean` must give back the same paragraphs and line breaks, so the
text is cut into alternating layout pieces (line breaks, indentation, blank
lines) and paragraph pieces; joining them again gives the input. Two layouts
are recognised: one paragraph per line (fimfiction TXT, most exports) and
hard-wrapped paragraphs separated by blank lines (Gutenberg-style), where a
paragraph keeps its inner line breaks.
"""

from __future__ import annotations

from storybinder.lazy_pattern import lazy

_BLANK_SPLIT = lazy(r"((?:\r?\n)[ \t\r\f\v\u00a0\u3000]*(?:\r?\n)(?:[ \t\r\f\v\u00a0\u3000]*\r?\n)*)")
_SAMPLE = 200_000
_LINE_TEXT = lazy(r"(\S(?:[^\n]*\S)?)")


class Layout:
    """pieces[i] is layout when i is even and a paragraph when i is odd.

    (Not a dataclass: Python 3.11 compiles a dataclass's methods at import, on every run.)
    """

    __slots__ = ("pieces",)

    def __init__(self, pieces: list[str]) -> None:
        self.pieces = pieces

    @property
    def paragraphs(self) -> list[str]:
        return self.pieces[1::2]

    def join(self, paragraphs: list[str]) -> str:
        """Rebuild the text with new paragraph texts in the original layout."""
        out = list(self.pieces)
        out[1::2] = paragraphs
        return "".join(out)


def _is_hard_wrapped(blocks: list[str]) -> bool:
    # Hard-wrapped text has many multi-line blocks whose lines are all short;
    # one-paragraph-per-line text has long lines, or few multi-line blocks.
    multi = [b for b in blocks if "\n" in b.strip()]
    if len(multi) < max(2, len(blocks) // 4):
        return False
    lengths = sorted(len(line) for b in multi for line in b.strip().splitlines()[:-1])
    return bool(lengths) and lengths[len(lengths) * 9 // 10] <= 100


def split_layout(text: str) -> Layout:
    """Cut text into layout and paragraph pieces (see module docstring)."""
    # The layout is judged on the opening of the text: enough to tell, and
    # splitting a whole novel on blank lines just to look would cost time.
    if not _is_hard_wrapped(_BLANK_SPLIT.split(text[:_SAMPLE])[0::2]):
        # One paragraph a line: each paragraph is a line's text from its first to its last
        # non-space character, and splitting on those gives the pieces as the loop below
        # would (re's \s and str.strip agree on what is a space), in a third less time.
        return Layout(_LINE_TEXT.split(text))
    chunks = _BLANK_SPLIT.split(text)
    # Layout between two paragraphs is gathered in a list and joined once:
    # `+=` on a growing string would be quadratic over a million blank lines.
    pieces: list[str] = []
    gap: list[str] = []
    for i, chunk in enumerate(chunks):
        if i % 2 == 1:
            gap.append(chunk)
            continue
        body = chunk.strip()
        if not body:
            gap.append(chunk)
            continue
        lead = len(chunk) - len(chunk.lstrip())
        gap.append(chunk[:lead])
        pieces.append("".join(gap))
        pieces.append(body)
        gap = [chunk[lead + len(body) :]]
    pieces.append("".join(gap))
    return Layout(pieces)


def stanzas(layout: Layout) -> frozenset[int]:
    """The paragraphs set out as verse (short lines, set in), judged as the TXT reader judges them.

    Only hard-wrapped text has lines inside a paragraph. The quote rules treat a
    stanza as one unit of a quotation that may run on (see quotes_repair), as
    they do when building a book, whose reader made these paragraphs Verse.
    """
    paragraphs = layout.paragraphs
    if not any("\n" in p for p in paragraphs):
        return frozenset()
    from storybinder.readers.text_verse import TextShape, verse_block  # only for hard-wrapped text

    groups = []
    for i, text in enumerate(paragraphs):
        before = layout.pieces[2 * i]
        groups.append((before[before.rfind("\n") + 1 :] + text).split("\n"))
    shape = TextShape.measure([line for group in groups for line in (*group, "")])
    return frozenset(i for i, group in enumerate(groups) if len(group) > 1 and verse_block(group, shape) is not None)

