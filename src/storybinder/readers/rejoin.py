"""Rejoin the lines of a hard-wrapped paragraph, deciding what a line-end hyphen is.

A hyphen at the end of a line either belongs to the word (`well-known`,
`to-day` in a book that writes to-day) or only splits it (`be-autiful`). The
book's own words decide first: the form it uses elsewhere (mid-line) wins.
Otherwise the cleaner's English lexicon does: a joined form that is a word
(`beautiful`) is joined, anything else (`wellknown`) keeps its hyphen. A dash
at a line end (`--`, `—`) joins without a space, as it was typed.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cached_property

from ..lazy_pattern import lazy

# A word (letters, apostrophes inside) ending in a hyphen at the end of a line,
# and the word that starts the next line.
_TRAILING = lazy(r"([^\W\d_](?:[^\W\d_'’-]*[^\W\d_])?)-$")
_LEADING = lazy(r"^([^\W\d_]+)")
_COMPOUND = lazy(r"(?<![\w-])([^\W\d_]+(?:-[^\W\d_]+)+)(?![\w-])")
# What surrounds a word in running text: punctuation and quotation marks.
_TOKEN_EDGES = ".,;:!?\"'“”‘’()[]{}_*-–…"
_DASH_END = ("--", "—", "–")
# A joined form at least this common (wordfreq's Zipf scale: 3 is about once
# in a million words) is a word even if the curated list lacks it.
_COMMON_ZIPF = 3.0


# "farm- and field-work", "reis- en visschen": a hyphen left open before one of
# these is a suspended compound, not a broken word.
_SUSPENDING = frozenset("and or nor to en of und oder et ou y e o".split())
_SPACED = lazy(r"(?<![\w-])([^\W\d_]+)- ([a-z][^\W\d_]*)")


class Rejoiner:
    """Joins wrapped lines of one text; the text's own words are counted on first need.

    `mend_spaced`: also mend `rattlesnake- skin`, a line-end hyphen that an
    earlier rejoining left with a space (Project Gutenberg texts have them).
    """

    def __init__(self, text: str, *, mend_spaced: bool = False) -> None:
        self._text = text
        self._mend_spaced = mend_spaced

    @cached_property
    def _usage(self) -> tuple[Counter[str], Counter[str]]:
        """(hyphenated compounds written mid-line, plain words) in the text, lower-cased.

        A word broken at a line end (`beau-` / `tiful`) is neither: the text is
        cut at whitespace, so the two halves are two tokens. Tokens by split()
        rather than a regex: 0.25 s instead of 0.85 s on a 2 MB novel.
        """
        tokens = [t.strip(_TOKEN_EDGES) for t in self._text.lower().replace("--", " ").replace("—", " ").split()]
        tokens = [t[:-2] if t.endswith(("'s", "’s")) else t for t in tokens]  # to-day's counts as to-day
        compounds = Counter(t for t in tokens if "-" in t and _COMPOUND.fullmatch(t))
        return compounds, Counter(tokens)

    def join(self, lines: list[str]) -> str:
        """The lines of one paragraph as one line of text."""
        out = lines[0].strip()
        for line in lines[1:]:
            nxt = line.strip()
            if not nxt:
                continue
            out = self._join_two(out, nxt)
        if self._mend_spaced and "- " in out:
            out = _SPACED.sub(self._mend, out)
        return out

    def _mend(self, match: re.Match[str]) -> str:
        before, after = match.group(1), match.group(2)
        if after.lower() in _SUSPENDING:
            return match.group(0)
        return f"{before}-{after}" if self.keeps_hyphen(before, after) else before + after

    def _join_two(self, left: str, right: str) -> str:
        if left.endswith(_DASH_END):
            # A dash typed at the line end: no space after it, unless one stood before it.
            before = left[:-2] if left.endswith("--") else left[:-1]
            return f"{left} {right}" if before.endswith(" ") else left + right
        if not left.endswith("-"):
            return f"{left} {right}"
        tail = _TRAILING.search(left)
        head = _LEADING.match(right)
        if tail is None or head is None:
            return left + right if tail is not None else f"{left} {right}"
        return left + right if self.keeps_hyphen(tail.group(1), head.group(1)) else left[:-1] + right

    def keeps_hyphen(self, before: str, after: str) -> bool:
        """Whether `before-` at a line end and `after` on the next line are one hyphenated word."""
        compounds, words = self._usage
        hyphenated = f"{before}-{after}".lower()
        joined = f"{before}{after}".lower()
        if compounds[hyphenated] or words[joined]:
            return compounds[hyphenated] >= words[joined]
        if "-" in before or after[:1].isupper():
            return True  # out-of-the-way, Anglo-Saxon: already a compound, or a name
        return not _is_word(joined)


def _is_word(word: str) -> bool:
    from ..cleanup.dictionary import load_lexicon

    lexicon = load_lexicon()
    return word in lexicon.curated or lexicon.zipf(word) >= _COMMON_ZIPF
