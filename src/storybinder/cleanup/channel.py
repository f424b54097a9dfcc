"""The noisy-channel spelling model: which word did the writer mean to type?

For a typed word t and each word c it may be a slip of, the model scores

    log P(c | context) + log P(t | c)

against the hypothesis that t was meant as written, and turns the scores into
probabilities. P(t | c), the *error model*, says how often people make that
slip: a swapped pair, a doubled or dropped letter, a neighbouring key, a
vowel or doubled consonant spelled by ear (bigining for beginning). P(c |
context), the *language model*, is the word's frequency (wordfreq), moved up
or down by how often it follows the word before and precedes the word after
(Google Books pairs). All scores are log10.

Pure functions: the lexicon and the parameters are passed in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import product, starmap
from typing import TYPE_CHECKING

from storybinder.cleanup.dictionary import Lexicon
from storybinder.cleanup.irregular_verbs import meant_by
from storybinder.record import Record

if TYPE_CHECKING:  # (made by spelling.judge: only a story with a suspect word needs it)
    from storybinder.cleanup.findings import ContextModel

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_VOWELS = frozenset("aeiouy")
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
# Longer than any dictionary word plus a slip: no correction is one edit away,
# and the edit set grows with the square of the length.
MAX_SLIP_LENGTH = 40


def _neighbours() -> dict[str, frozenset[str]]:
    # Each row sits half a key to the right of the one above it: the keys
    # touching row r, column i are i-1 and i+1 beside it, i and i+1 above,
    # i-1 and i below.
    grid = {(r, i): c for r, row in enumerate(_KEYBOARD_ROWS) for i, c in enumerate(row)}
    out: dict[str, frozenset[str]] = {}
    for (r, i), c in grid.items():
        spots = [(r, i - 1), (r, i + 1), (r - 1, i), (r - 1, i + 1), (r + 1, i - 1), (r + 1, i)]
        out[c] = frozenset(grid[s] for s in spots if s in grid)
    return out


NEAR = _neighbours()
_NO_KEYS: frozenset[str] = frozenset()


class ErrorModel(Record):
    """log10 P(typed | intended) of one slip of each kind.

    The relative sizes follow how many ways each slip can happen: a word of n
    letters has n-1 pairs to swap but about 4n neighbouring keys to hit, so
    one particular neighbouring-key slip is rarer than one particular swap.
    `offset` moves them all (how typo-ridden the text is); it and the others
    are chosen by cross-validation with the thresholds in SpellingParams.
    (A NamedTuple, not a frozen dataclass: Python 3.11 compiles a dataclass's methods at import, ~0.5 ms.)
    """

    # swap and dropped by cross-validation (bench/cleanup_cv.py --grid slips.dropped=-4.3,-3.9,-3.5,-3.1
    # --grid slips.swap=-4.0,-3.6,-3.2 --grid slips.doubled=-4.0,-3.6,-3.2: utility 709 -> 721); doubled -3.6
    # gave 724 but fixed the period "maccaroni" in Moby-Dick and took "untill" for a slip. The rest by hand.
    swap: float = -3.6
    doubled: float = -4.0  # an extra copy of a neighbouring letter (froom)
    dropped_double: float = -3.7  # one of a double letter left out (litle)
    dropped: float = -3.9
    near_key: float = -4.6  # a neighbouring key instead of the right one
    near_extra: float = -5.0  # a neighbouring key pressed as well
    vowel: float = -4.8  # one vowel for another (seperate)
    other: float = -5.8  # any other one-letter change, insertion or deletion
    by_ear: float = -5.3  # a misspelling two or three edits away with the same consonants (bigining)
    # An irregular verb's past made by the regular rule (sayed, caughted: cleanup.irregular_verbs).
    # CV (grid -2/-2.5/-3/-3.5/-4): -2 in 15/15 folds (utility 860; 859 at -2.5 and -3, 856 at -4),
    # but -2 fixed Ulysses' period "kirtles catched up"; at -3, 18 proofread PG books get no fix.
    regularised: float = -3.0
    per_extra_edit: float = -0.7  # ...for each edit past the first
    offset: float = 0.0


def _first_difference(a: str, b: str) -> int:
    i = 0
    n = min(len(a), len(b))
    while i < n and a[i] == b[i]:
        i += 1
    return i


def slip_logp(typed: str, intended: str, model: ErrorModel) -> float:
    """log10 P(typed | intended): the cheapest slip or misspelling that turns one into the other."""
    if typed[-1:] == "d" and intended in meant_by(typed):
        return model.regularised + model.offset
    n, m = len(typed), len(intended)
    i = _first_difference(typed, intended)
    if n == m + 1 and typed[i + 1 :] == intended[i:]:  # a letter too many: typed[i]
        x = typed[i]
        before = typed[i - 1] if i else ""
        after = typed[i + 1] if i + 1 < n else ""
        if x == before or x == after:
            cost = model.doubled
        elif x in NEAR.get(before, _NO_KEYS) or x in NEAR.get(after, _NO_KEYS):
            cost = model.near_extra
        else:
            cost = model.other
    elif n + 1 == m and typed[i:] == intended[i + 1 :]:  # a letter left out: intended[i]
        x = intended[i]
        if (i and intended[i - 1] == x) or (i + 1 < m and intended[i + 1] == x):
            cost = model.dropped_double
        else:
            cost = model.dropped
    elif n == m and typed[i + 1 :] == intended[i + 1 :]:  # one letter changed
        a, b = typed[i], intended[i]
        if a in NEAR.get(b, _NO_KEYS):
            cost = model.near_key
        elif a in _VOWELS and b in _VOWELS:
            cost = model.vowel
        else:
            cost = model.other
    elif n == m and i + 1 < n and typed[i] == intended[i + 1] and typed[i + 1] == intended[i] and (
        typed[i + 2 :] == intended[i + 2 :]
    ):
        cost = model.swap
    else:
        d = edit_distance(typed, intended)
        cost = model.by_ear + (d - 1) * model.per_extra_edit
    return cost + model.offset


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count one), for the few candidates a word has.

    The optimal string alignment distance (no letter is edited twice), by Hyyrö's bit-vector
    algorithm (2003): one bit per letter of `a`, one step of a few integer operations per letter
    of `b`, where the table of every pair of letters took five times longer (22 against 4.5 us a
    pair, for the ~3,000 pairs of a novel's once-used words). tests/test_cleanup_channel.py
    checks it against that table.
    """
    if not a:
        return len(b)
    full = (1 << len(a)) - 1
    last = 1 << (len(a) - 1)  # the bit of a's last letter: the distance of all of a so far
    where: dict[str, int] = {}  # the bits of each letter's places in a
    bit = 1
    for c in a:
        where[c] = where.get(c, 0) | bit
        bit <<= 1
    # The vertical differences of the table's column, +1 (vp) or -1 (vn) at each bit; d0: the
    # diagonal steps that cost nothing (a match, or the second letter of a swap).
    vp, vn, d0, previous = full, 0, 0, 0
    distance = len(a)
    for c in b:
        match = where.get(c, 0)
        swap = ((~d0 & match) << 1) & previous
        d0 = ((((match & vp) + vp) ^ vp) | match | vn | swap) & full
        hp = vn | (~(d0 | vp) & full)
        hn = d0 & vp
        if hp & last:
            distance += 1
        elif hn & last:
            distance -= 1
        hp = ((hp << 1) | 1) & full
        vp = ((hn << 1) & full) | (~(d0 | hp) & full)
        vn = hp & d0
        previous = match
    return distance


def one_slip_away(word: str, known: frozenset[str]) -> set[str]:
    """The strings of `known` one deletion, swap, replacement or insertion away (Norvig).

    Every insertion and replacement is made by `str.join` (a letter joining what stands
    before and after it) and checked against `known` in one intersection: a third faster than
    concatenating them place by place in Python (4,700 once-used words of Ulysses: 0.86-0.98
    -> 0.55-0.75 s), the same strings.
    """
    n = len(word)
    around = [(word[:i], word[i:]) for i in range(n + 1)] + [(word[:i], word[i + 1 :]) for i in range(n)]
    found = set(known.intersection(starmap(str.join, product(_LETTERS, around))))
    for i in range(n):
        a, b = word[:i], word[i:]
        if a + b[1:] in known:  # deletion
            found.add(a + b[1:])
        if len(b) > 1 and a + b[1] + b[0] + b[2:] in known:  # swap
            found.add(a + b[1] + b[0] + b[2:])
    found.discard(word)
    return found


MAX_BY_EAR_DISTANCE = 3
# Spelling by ear changes and adds letters more than it drops them: a word misspelt two or
# three edits away is no longer than the word meant, unless that one is long (probly:
# probably). Without this, "beeb" and "momey" were as likely "be" and "my" as "been" and
# "money", and the common short words took the chance from the right one (DEV, CV: 7 more
# typos fixed at the same precision).
BY_EAR_LONG = 6


def candidates(word: str, lexicon: Lexicon) -> set[str]:
    """Curated words the typed word may be a slip or a misspelling of."""
    if len(word) > MAX_SLIP_LENGTH:
        return set()
    found = one_slip_away(word, lexicon.curated)
    found.update(meant_by(word))
    if len(word) > 3:  # short words share their consonants with too many others
        for other in lexicon.same_skeleton(word):
            if (
                other != word and other not in found and (len(other) >= len(word) or len(other) >= BY_EAR_LONG)
                and edit_distance(word, other) <= MAX_BY_EAR_DISTANCE
            ):
                found.add(other)
    return found


def _p(zipf: float) -> float:
    return 10.0 ** (zipf - 9.0) if zipf > 0 else 1e-9


# One neighbour's evidence: (P(second | first) from the pair counts, P(predicted)), or None when
# the pair list has no pairs starting with `first` (no evidence either way).
Lift = tuple[float, float] | None


def _pair_lift(first: str, second: str, predicted: str, lexicon: Lexicon) -> Lift:
    total = lexicon.bigram_first(first)
    if not total:
        return None
    pair = lexicon.bigram(first, second)
    return ((10.0 ** (pair - total)) if pair else 0.0), _p(lexicon.zipf(predicted))


def pair_lifts(before: str, word: str, after: str, lexicon: Lexicon) -> tuple[Lift, Lift]:
    """The pair evidence for `word` between its neighbours: P(word | before) against P(word),
    P(after | word) against P(after) (None where a neighbour is missing or has no listed pairs)."""
    return (
        _pair_lift(before, word, word, lexicon) if before else None,
        _pair_lift(word, after, after, lexicon) if after else None,
    )


def lifts_gain(lifts: tuple[Lift, Lift], model: ContextModel) -> float:
    """log10 of how much likelier the word is between its neighbours (see context_gain), from its pair_lifts.

    Each pair estimate is mixed with the plain frequency (`model.mix`, below 1).
    """
    gain = 0.0
    for lift in lifts:
        if lift is not None:
            estimate, plain = lift
            mixed = model.mix * estimate / plain + (1 - model.mix)
            gain += min(model.cap, math.log10(mixed) - math.log10(1 - model.mix))
    return model.weight * gain


def context_gain(before: str, word: str, after: str, lexicon: Lexicon, model: ContextModel) -> float:
    """log10 of how much likelier `word` is between these neighbours than anywhere.

    P(word | before) / P(word) + P(after | word) / P(after), each pair estimate
    (a count over the counts of all pairs that start the same way) mixed with
    the plain frequency. A pair missing from the list (it holds only common
    pairs) counts as no evidence: the word as typed has no pairs either.
    """
    return lifts_gain(pair_lifts(before, word, after, lexicon), model)


def posterior(scores: Sequence[tuple[float, str]], as_typed: float) -> list[tuple[float, str]]:
    """Probabilities of each candidate (and not of the word as typed), best first."""
    top = max([as_typed, *(s for s, _ in scores)])
    total = 10.0 ** (as_typed - top) + sum(10.0 ** (s - top) for s, _ in scores)
    ranked = [(10.0 ** (s - top) / total, c) for s, c in scores]
    ranked.sort(reverse=True)
    return ranked
