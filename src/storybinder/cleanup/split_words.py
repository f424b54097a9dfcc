"""A word broken in two by a stray space ("his sq uare cutting", "a beau tiful day"),
or a space typed one letter late or early ("lookeda t him", "sh eturned").

Each half alone looks like a slip of some short word ("uare" is one letter from
"are"), so the spelling model would "correct" one half and leave the other. When
a word no dictionary has stands beside a fragment, one space away, and the two
written together make a common word, that word is what was typed. When instead
moving the space by one letter makes two common words that the pairs know side
by side ("in the", "she turned"), those two were typed.

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
# ...and two words made by moving the space must stand together often (log10 count in the
# pairs: "in the" 11.0, "she turned" 7.5, "looked at" 8.8).
SHIFTED_PAIR = 6.0
# ...and the odd word must be one people hardly write (wordfreq Zipf): "the ins and outs" is no
# "in sand".
SHIFT_ODD_ZIPF = 2.5
# A fragment this common is a word of its own ("the uare"): the odd word beside it is no half.
OWN_WORD_ZIPF = 5.0


class Rejoined(Record):
    """The span of both halves in the text, and the word (or the two words) they make."""

    start: int
    end: int
    word: str


def rejoined(text: str, start: int, end: int, lexicon: Lexicon) -> Rejoined | None:
    """What text[start:end] (a word no dictionary has) and the fragment beside it were meant to be, if
    anything: the common word they make together, or the two common words with the space moved."""
    odd = text[start:end]
    for side in (_BEFORE.search(text, max(0, start - 24), start), _AFTER.match(text, end)):
        if side is None:
            continue
        fragment = side.group(1)
        before = side.start() < start
        first, second = (fragment, odd) if before else (odd, fragment)
        lo, hi = (side.start(1), end) if before else (start, side.end(1))
        whole = (first + second).lower()
        fragment_zipf = lexicon.zipf(fragment.lower())
        if (
            whole in lexicon.curated
            and lexicon.zipf(whole) >= JOINED_ZIPF
            and fragment_zipf < OWN_WORD_ZIPF
            and not second[0].isupper()
        ):
            return Rejoined(lo, hi, first + second)
        # (Not beside a common word: "the munder" is the murder, not "them under".)
        beside_word = len(fragment) > 1 and fragment_zipf >= OWN_WORD_ZIPF
        if lexicon.zipf(odd.lower()) < SHIFT_ODD_ZIPF and not beside_word:
            shifted = _shifted(first + " " + second, lexicon)
            if shifted is not None:
                return Rejoined(lo, hi, shifted)
    return None


def _shifted(pair: str, lexicon: Lexicon) -> str | None:
    """The two common words "a b" makes with its space moved one letter either way, if the pairs know them."""
    if not pair.islower():
        return None
    a, b = pair.split(" ")
    for left, right in ((a[:-1], a[-1:] + b), (a + b[:1], b[1:])):
        if (
            left in lexicon.curated and right in lexicon.curated
            and min(lexicon.zipf(left), lexicon.zipf(right)) >= JOINED_ZIPF
            and lexicon.bigram(left, right) >= SHIFTED_PAIR
        ):
            return left + " " + right
    return None
