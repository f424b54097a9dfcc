"""A word broken in two by a stray space ("his sq uare cutting", "a beau tiful day").

Each half alone looks like a slip of some short word ("uare" is one letter from
"are"), so the spelling model would "correct" one half and leave the other. When
a word no dictionary has stands beside a fragment, one space away, and the two
written together make a common word, that word is what was typed.

Pure: text and lexicon in, the span to rejoin out.
"""

from __future__ import annotations

from storybinder.cleanup.dictionary import Lexicon
from storybinder.lazy_pattern import lazy
from storybinder.record import Record

# A fragment one space before or after the odd word, not itself joined to more letters, an
# apostrophe or a hyphen (“sq uare”, not “New-York uare”).
_BEFORE = lazy(r"(?<![\w'\u2019-])([A-Za-z]+) \Z")
_AFTER = lazy(r" ([A-Za-z]+)(?![\w'\u2019-])")
# The whole must be a word people write often (Zipf): two slips side by side may join into a
# rare word by chance.
JOINED_ZIPF = 4.0
# A fragment this common is a word of its own ("the uare"): the odd word beside it is no half.
OWN_WORD_ZIPF = 5.0


class Rejoined(Record):
    """The span of both halves in the text, and the word they make."""

    start: int
    end: int
    word: str


def rejoined(text: str, start: int, end: int, lexicon: Lexicon) -> Rejoined | None:
    """The common word that text[start:end] (a word no dictionary has) makes with the fragment beside it, if any."""
    odd = text[start:end]
    for side in (_BEFORE.search(text, max(0, start - 24), start), _AFTER.match(text, end)):
        if side is None:
            continue
        fragment = side.group(1)
        before = side.start() < start
        whole = fragment + odd if before else odd + fragment
        lowered = whole.lower()
        if (
            lowered in lexicon.curated
            and lexicon.zipf(lowered) >= JOINED_ZIPF
            and lexicon.zipf(fragment.lower()) < OWN_WORD_ZIPF
            and not (fragment[0].isupper() if not before else odd[0].isupper())
        ):
            return Rejoined(side.start(1), end, whole) if before else Rejoined(start, side.end(1), whole)
    return None
