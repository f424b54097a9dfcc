"""Rule `spelling.realword`: a real word typed for another (its for it's, there for their).

No dictionary can catch these: both words are right somewhere. At each member
of a confusion set (its/it's, your/you're, their/there/they're, then/than,
to/too, lose/loose, whose/who's, were/where, quite/quiet, past/passed,
affect/effect, breath/breathe) the rule asks which member the writer meant,
as the spelling model does: for each member m,

    log P(m) + log P(what stands before | m) + log P(what follows | m)
    + log P(typed | m)

where what stands before is the word before (Google Books pairs: how much
likelier m is after it than anywhere), or a comma, or the start of a sentence;
what follows is the next word (the pairs again), or a comma, the end of a
clause, a dash; and for then/than, whether a comparative (more, less, rather,
-er) comes earlier in the sentence. How often each member stands beside
punctuation was counted in nine Project Gutenberg novels outside the DEV set
(`_BOUNDARIES`): "too" ends a clause 36 times as often as "to" does, "than"
starts a sentence 60 times less often than "then", and 83% of "than"s follow
a comparative against 1% of "then"s. A swap is applied only when the other
word is far likelier (RealwordParams.fix_probability); a likely one is a
suggestion.

The pair list has no apostrophes, so an elided form is scored through the
words it stands for: it's as "it" after the word before and as "is" before the
word after. A pair missing from the list (it keeps only common pairs) is taken
as rare, but no rarer than the two words' own frequencies make it by chance.
"could of" before a participle is "could have". Dialect (a paragraph of
elided speech) raises the bar, as in the spelling model.

Some constructions no pair list sees are grammar, not chance: a possessive
never stands before "is", "a" or "in" ("its been", "your a", "their in"), nor
"where" after "they". Such a cue (_grammar_cue) decides the swap outright, as a
fix in standard prose and a suggestion in dialect. Each was checked on 22
proofread Project Gutenberg books (2.4M words) before it was kept. A story
that spells its contractions bare (dont, Im) keeps its "its" as written.

Pure: the lexicon and the parameters are passed in; nothing outside the
project's own lexicon is loaded, so the rule costs no start-up time. Switch it
off with `--skip spelling.realword`.
"""

from __future__ import annotations

import math
import operator
import re

from collections.abc import Iterator
from typing import TYPE_CHECKING

from storybinder.cleanup.bare_contractions import BareHabit, ascii_lowered
from storybinder.cleanup.channel import posterior
from storybinder.cleanup.dictionary import Lexicon, load_lexicon
from storybinder.cleanup.doubled import unpunctuated
from storybinder.cleanup.engine import Change, Context, Rule
from storybinder.cleanup.followers import ADJECTIVE_ENDINGS, noun_lift
from storybinder.cleanup.joined import join_units
from storybinder.cleanup.morphology import suffix_stems
from storybinder.cleanup import spelling
from storybinder.cleanup.question_slips import question_slips
from storybinder.cleanup.spelling import is_dialect_paragraph, neighbours_of
from storybinder.lazy_pattern import LazyPattern, lazy
from storybinder.record import Record

if TYPE_CHECKING:  # (imported where one is made: most candidates are right as typed)
    from storybinder.cleanup.findings import Swap


class RealwordParams(Record):
    """spelling.realword's thresholds (chosen by leave-one-book-out cross-validation, bench/cleanup_cv.py).

    (A NamedTuple, not a frozen dataclass: Python 3.11 compiles a dataclass's methods at import, ~0.5 ms.)
    """

    # CV (bench/cleanup_cv.py --grid realword.confusion=-1.5,-1.25 --grid realword.missing_pair=6.0,5.5
    # --grid realword.fix_probability=0.95,0.98,0.99): -1.25, 5.5 and 0.98 chosen in 14 of 15 folds;
    # real-word fix 0.213 -> 0.367 cross-validated, false edits on clean documents 0.88 -> 0.53 per 10k words.
    fix_probability: float = 0.98  # apply a swap the model gives at least this chance
    # Below this, not even a suggestion: at 0.5, Pride and Prejudice got 52 (nearly all wrong) for a reader to dismiss.
    suggest_probability: float = 0.85
    confusion: float = -1.25  # log10 P(a writer types this word for that one)
    context_weight: float = 1.0  # how much the word after counts against the rest
    # log10 of the count taken for a pair the list lacks (it keeps pairs seen
    # 6.4 million times or more), unless chance alone makes the pair rarer.
    missing_pair: float = 5.5
    # log10: how much rarer the slips in `_RARE_SLIPS` are than the others ("too" typed for "to").
    # No DEV fault takes this direction, so CV cannot set it; "may not I too be" -> "to" on Dracula
    # was the cost of -1.5.
    rare_direction: float = -2.5
    like_discount: float = -0.5  # log10: a follower seen after "his" only, against one seen after the possessive
    dialect_penalty: float = 1.0  # log10: how much less a swap is believed in elided speech
    # A rare word of the large dictionaries (untill, froom: obsolete forms in
    # Webster's) is this much likelier as written than a word in none.
    listed_bonus: float = 2.0
    # How much cleanup.followers' estimate counts for a pair the list lacks (1: as estimated). CV
    # (grid 0/0.5/1/1.5/2): utility 863 -> 865/868/869 at 1/1.5/2, real-word fix 0.573 -> 0.587/0.607/
    # 0.613, no wrong change on DEV; 1.5 was chosen in most folds. But on 22 proofread PG books 1.5
    # applied five wrong "their"s for an old or clipped "there" ("ye shall find there wealth", "and
    # there sleep on the cold clay", "for there silence itself kept silence"); 1 applies one.
    noun_weight: float = 1.0


DEFAULT_PARAMS = RealwordParams()

CONFUSION_SETS: tuple[tuple[str, ...], ...] = (
    ("its", "it's"),
    ("your", "you're"),
    ("their", "there", "they're"),
    ("then", "than"),
    ("to", "too"),
    ("lose", "loose"),
    ("whose", "who's"),
    ("were", "where"),
    ("quite", "quiet"),
    ("past", "passed"),
    ("affect", "effect"),
    ("breath", "breathe"),
)
_SET_OF = {w: s for s in CONFUSION_SETS for w in s}
# An elided form is looked up as (the word before it joins, the word after it follows).
_PROXIES = {"it's": ("it", "is"), "you're": ("you", "are"), "they're": ("they", "are"), "who's": ("who", "is")}
# ...and it's / who's may stand for "it has" ("it's been years").
_ALSO_HAS = frozenset({"it's", "who's"})
# Matched in the lower-cased story: a case-blind pattern scans three times slower. Each pattern is
# a tree of shared beginnings (t-h-e-n, t-h-e-r-e...): the matcher tries fewer branches than with
# a flat list of the words.
# "to" is "too" only before punctuation or a word "too" is seen before: the adjectives and
# adverbs that follow "too" in symspellpy's Google Books pairs, function words aside ("too the",
# "too and" are slips themselves). The matcher skips every other "to" (nine in ten, a third of
# all candidates) before any Python runs; "there" before a form of "be" (existential) and "were"
# before a subject pronoun (an inversion) are skipped there too, as judge() would, and so are
# "too" where it is right (before punctuation or such a word: the slip the other way is rare
# already) and "quite" before an article, "so", "as" or such a word ("quite a", "quite sure"):
# those two by a set after the scan (_QUALIFIED).
_TOO_WORDS = (
    "bad|few|late|little|low|many|much|often|afraid|big|bright|broad|busy|close|closely|cold|common|complex|"
    "complicated|concerned|cool|costly|cute|damn|dangerous|dark|deep|difficult|distant|early|easily|easy|"
    "excited|expensive|familiar|far|fast|frequently|full|funny|good|great|happy|hard|harsh|heavily|heavy|high|"
    "hot|important|keen|large|lazy|light|long|loud|narrow|nice|numerous|obvious|old|poor|powerful|quick|"
    "quickly|restrictive|risky|scared|serious|seriously|shabby|short|shy|simple|slow|slowly|small|smart|soft|"
    "soon|strong|stupid|sure|sweet|thick|thin|tight|tired|vague|warm|weak|well|wide|worried|young"
)
# _TOO_WORDS factored by their beginnings (cleanup.alternation.alternation of them, written out:
# building it costs a millisecond at import; tests/test_cleanup_realword.py checks that they
# agree). The matcher tries each letter once, not each of the hundred words in turn: the scan
# for "t", which meets every "to", costs a third less.
_TOO = (
    "(?:afraid|b(?:ad|ig|r(?:ight|oad)|usy)|c(?:lose(?:ly)?|o(?:ld|m(?:mon|pl(?:ex|icated))|ncerned|"
    "ol|stly)|ute)|d(?:a(?:mn|ngerous|rk)|eep|i(?:fficult|stant))|e(?:a(?:rly|s(?:ily|y))|x(?:cited|"
    "pensive))|f(?:a(?:miliar|r|st)|ew|requently|u(?:ll|nny))|g(?:ood|reat)|h(?:a(?:ppy|r(?:d|sh))|"
    "eav(?:ily|y)|igh|ot)|important|keen|l(?:a(?:rge|te|zy)|i(?:ght|ttle)|o(?:ng|ud|w))|m(?:any|uch)|"
    "n(?:arrow|ice|umerous)|o(?:bvious|ften|ld)|po(?:or|werful)|quick(?:ly)?|r(?:estrictive|isky)|"
    "s(?:cared|erious(?:ly)?|h(?:abby|ort|y)|imple|low(?:ly)?|ma(?:ll|rt)|o(?:ft|on)|t(?:rong|upid)|"
    "ure|weet)|t(?:hi(?:ck|n)|i(?:ght|red))|vague|w(?:arm|e(?:ak|ll)|ide|orried)|young)"
)
# One pattern per first letter: each starts with a literal, which the matcher finds by a fast
# search, where one alternation of them all is tried at every letter of the story (5 MB: 70
# against 110 ms). Their matches are merged in order of position.
_BRANCHES = (
    r"affect",
    r"breath(?:e)?",
    r"effect",
    r"it(?:s|['\u2019]s)",
    r"lo(?:ose|se)",
    r"pas(?:sed|t)",
    r"qui(?:et|te)",  # ("quite" where it is right as typed is dropped by _candidates)
    r"t(?:h(?:an|e(?:ir|n|re(?![ \n]+(?:be|being|been|having|is|was)\b)|y['\u2019]re))"
    r"|oo(?![ \n_*]*(?:[^a-z \n_*]|$))"  # (before a word it qualifies: dropped by _candidates)
    rf"|o(?=[ \n_*]*(?:[^a-z \n_*]|$)|[ \n_*]+{_TOO}(?![a-z'])(?!\u2019)))",
    r"w(?:ere(?![ \n]+(?:i|we|you|he|she|it|they)\b)|h(?:ere|o(?:se|['\u2019]s)))",
    r"you(?:r|['\u2019]re)",
)
# "kind of" / "sort of" before an adjective or adverb (one "too" qualifies): a hedge, as in "it's kind of hard".
_HEDGED = lazy(rf"[ \n]+(?:kind|sort)[ \n]+of[ \n]+(?:{_TOO_WORDS})(?![a-z'-])(?!\u2019)")
# The character before a match is checked by the loop (_JOINS): a leading lookbehind scans a third slower.
# The branches led by a literal rare in English (a few hundred in 4 MB) are found by str.find,
# faster than the matcher's search steps through the story, and matched there (affect, breath,
# effect, pas, qui: 38 -> 19 ms on 4 MB). "qui" is found by its "q" alone: a search for one
# character runs through the story four times as fast as one for three (19 MB: 21 -> 6 ms).
# The others (it, lo, t, w, you) meet thousands of places, where a Python step each costs more
# than the matcher's search: their literal is None.
# (A class mixing ’ with three or more runs of other characters, [\w'’-], compiles into a 64k-entry
# bitmap, 0.2-0.3 ms a pattern: ’ is looked ahead for apart.)
_FOUND_BY_FIND = ("affect", "breath", "effect", "pas", "q")
_SCANS = tuple(
    (next((w for w in _FOUND_BY_FIND if branch.startswith(w)), None), lazy(rf"(?:{branch})(?![\w'-])(?!\u2019)"))
    for branch in _BRANCHES
)
# "too" before a word it qualifies, and "quite" before an article, "so", "as" or such a word
# ("too late", "quite a", "quite sure"): right as typed. Told by a set after the scan, not by the
# alternation in it: each copy of the hundred words cost half a millisecond or more to compile
# ("to", which meets thousands of places, keeps its copy in the scan).
_TOO_BEFORE = frozenset(_TOO_WORDS.split("|"))
_QUALIFIED = {
    "too": (lazy(r"[ \n_*]+([a-z]+)(?![a-z'])(?!\u2019)"), _TOO_BEFORE),  # a plain word, as the "to" branch reads it
    "quite": (lazy(r"[ \n]+([a-z]+)\b"), _TOO_BEFORE | {"a", "an", "the", "so", "as"}),
}


def _qualifies(m: re.Match[str], hay: str) -> bool:
    """Does the "too" or "quite" matched stand before a word it qualifies (and so is right as typed)?"""
    next_word, words = _QUALIFIED[m.group()]
    after = next_word.match(hay, m.end())
    return after is not None and after.group(1) in words


def _matches_at(hay: str, literal: str, scan: LazyPattern) -> Iterator[re.Match[str]]:
    """scan.finditer(hay) for a pattern that starts with `literal`: the same matches, found by str.find."""
    end = 0
    at = hay.find(literal)
    while at >= 0:
        if at >= end:
            m = scan.match(hay, at)
            if m is not None:
                yield m
                end = m.end()
        at = hay.find(literal, at + 1)


def _candidates(hay: str) -> list[re.Match[str]]:
    """Every member of a confusion set in the lower-cased story (and inside longer words: the caller checks)."""
    found = [
        m for literal, scan in _SCANS
        for m in (scan.finditer(hay) if literal is None else _matches_at(hay, literal, scan))
        if m.group() not in _QUALIFIED or not _qualifies(m, hay)
    ]
    found.sort(key=_START)
    return found


_START = operator.methodcaller("start")
_JOINS = frozenset("_'\u2019-")
# "of" after a modal, the participle after it in group 1. The literal comes first and
# the modal is checked behind it: a leading alternation or lookbehind scans slowly.
_MODAL_OF = lazy(
    r"of (?:" + "|".join(rf"(?<=\b{m} of )" for m in ("could", "would", "should", "might", "must", "may"))
    + r")(?=([a-z]+)\b)"
)
_PARTICIPLE_END = ("ed", "en")
# Forms of "be" (and "having" of "having been") that the existential "there" stands before.
_EXISTENTIAL = frozenset("be being been having is was".split())
_PASSIVE_IRREGULAR = frozenset("been gone done seen known taken given".split())  # never after "where"
_IRREGULAR = frozenset("been gone done had seen known made got come taken given thought found told".split())

# What stands around each member, as shares of its uses, counted in nine
# Project Gutenberg novels outside the DEV set (Pride and Prejudice,
# Frankenstein, Dracula, A Tale of Two Cities, Moby-Dick, A Room with a View,
# The Great Gatsby, Peter Pan, The Jungle Book; 1.1M words): one row for each
# thing before it (a word, a comma, the start of a sentence), one column for
# each thing after it (a word, a comma, the end of a clause, a dash), each
# cell smoothed towards the product of its row's and column's shares (20 uses'
# worth) and floored at half a use; then the share that follows a comparative.
# The elided forms are rare in those books and take it's counts.
_BOUNDARIES: dict[str, tuple[tuple[float, float, float, float] | float, ...]] = {
    "affect": ((1.00e+00, 1.32e-02, 1.32e-02, 1.32e-02), (1.32e-02, 1.32e-02, 1.32e-02, 1.32e-02), (1.32e-02, 1.32e-02, 1.32e-02, 1.32e-02), 0.026),
    "breath": ((5.68e-01, 2.84e-01, 1.37e-01, 1.05e-02), (4.35e-03, 4.35e-03, 4.35e-03, 4.35e-03), (4.35e-03, 4.35e-03, 4.35e-03, 4.35e-03), 0.057),
    "breathe": ((5.68e-01, 1.90e-01, 1.42e-01, 1.25e-02), (8.25e-02, 1.25e-02, 1.25e-02, 1.25e-02), (1.25e-02, 1.25e-02, 1.25e-02, 1.25e-02), 0.024),
    "effect": ((6.33e-01, 1.89e-01, 1.78e-01, 4.55e-03), (4.55e-03, 4.55e-03, 4.55e-03, 4.55e-03), (4.55e-03, 4.55e-03, 4.55e-03, 4.55e-03), 0.005),
    "it's": ((2.92e-01, 4.31e-03, 4.31e-03, 4.31e-03), (1.04e-01, 4.31e-03, 4.31e-03, 4.31e-03), (6.04e-01, 4.31e-03, 4.31e-03, 4.31e-03), 0.005),
    "its": ((9.29e-01, 4.50e-04, 4.50e-04, 4.50e-04), (3.94e-02, 4.50e-04, 4.50e-04, 4.50e-04), (3.11e-02, 4.50e-04, 4.50e-04, 4.50e-04), 0.027),
    "loose": ((8.94e-01, 6.14e-02, 5.68e-03, 5.68e-03), (3.20e-02, 1.21e-02, 5.68e-03, 5.68e-03), (5.68e-03, 5.68e-03, 5.68e-03, 5.68e-03), 0.022),
    "lose": ((7.98e-01, 8.08e-02, 1.08e-01, 5.32e-03), (5.32e-03, 5.32e-03, 5.32e-03, 5.32e-03), (1.30e-02, 5.32e-03, 5.32e-03, 5.32e-03), 0.033),
    "passed": ((8.15e-01, 9.52e-02, 4.90e-02, 1.37e-03), (3.44e-02, 1.37e-03, 1.37e-03, 1.37e-03), (5.73e-03, 1.37e-03, 1.37e-03, 1.37e-03), 0.019),
    "past": ((6.23e-01, 1.69e-01, 1.48e-01, 6.71e-03), (3.95e-02, 6.94e-03, 2.98e-03, 2.98e-03), (6.49e-03, 2.98e-03, 2.98e-03, 2.98e-03), 0.010),
    "quiet": ((5.33e-01, 2.53e-01, 1.66e-01, 6.91e-03), (7.02e-03, 6.58e-03, 3.05e-03, 3.05e-03), (3.05e-03, 2.54e-02, 3.05e-03, 3.05e-03), 0.072),
    "quite": ((9.09e-01, 2.29e-03, 6.61e-03, 1.06e-03), (5.09e-02, 1.06e-03, 1.06e-03, 1.06e-03), (2.88e-02, 2.12e-03, 1.06e-03, 1.06e-03), 0.012),
    "than": ((9.25e-01, 2.14e-03, 7.29e-04, 7.29e-04), (6.63e-02, 3.51e-04, 3.51e-04, 3.51e-04), (4.99e-03, 3.51e-04, 3.51e-04, 3.51e-04), 0.827),
    "their": ((9.34e-01, 2.11e-04, 2.11e-04, 2.11e-04), (2.69e-02, 2.11e-04, 2.11e-04, 2.11e-04), (3.88e-02, 2.11e-04, 2.11e-04, 2.11e-04), 0.023),
    "then": ((4.26e-01, 8.24e-02, 3.04e-02, 3.42e-03), (5.35e-02, 6.43e-02, 1.96e-02, 1.28e-03), (2.65e-01, 5.27e-02, 5.61e-04, 4.38e-04), 0.011),
    "there": ((4.76e-01, 7.50e-02, 8.54e-02, 3.17e-03), (8.26e-02, 3.50e-03, 4.07e-03, 1.44e-04), (2.52e-01, 1.25e-02, 5.32e-03, 5.81e-04), 0.014),
    "they're": ((2.92e-01, 4.31e-03, 4.31e-03, 4.31e-03), (1.04e-01, 4.31e-03, 4.31e-03, 4.31e-03), (6.04e-01, 4.31e-03, 4.31e-03, 4.31e-03), 0.005),
    "to": ((9.33e-01, 2.90e-03, 4.29e-03, 3.28e-04), (4.10e-02, 2.04e-05, 2.04e-05, 2.04e-05), (1.88e-02, 2.04e-05, 4.09e-05, 1.23e-04), 0.029),
    "too": ((5.68e-01, 7.07e-02, 9.02e-02, 6.16e-03), (2.31e-02, 1.77e-01, 5.28e-02, 3.06e-03), (7.10e-03, 5.01e-04, 5.01e-04, 1.00e-03), 0.020),
    "were": ((9.03e-01, 2.18e-02, 9.52e-03, 1.12e-03), (5.38e-02, 5.64e-04, 1.39e-04, 1.39e-04), (1.01e-02, 5.58e-04, 1.39e-04, 1.39e-04), 0.024),
    "where": ((5.58e-01, 7.76e-03, 1.24e-02, 9.57e-04), (2.74e-01, 7.62e-03, 1.04e-03, 4.68e-04), (1.23e-01, 1.04e-02, 5.66e-03, 4.68e-04), 0.013),
    "who's": ((2.92e-01, 4.31e-03, 4.31e-03, 4.31e-03), (1.04e-01, 4.31e-03, 4.31e-03, 4.31e-03), (6.04e-01, 4.31e-03, 4.31e-03, 4.31e-03), 0.005),
    "whose": ((4.87e-01, 1.50e-03, 1.50e-03, 1.50e-03), (4.90e-01, 1.50e-03, 1.50e-03, 1.50e-03), (2.23e-02, 1.50e-03, 1.50e-03, 1.50e-03), 0.021),
    "you're": ((2.92e-01, 4.31e-03, 4.31e-03, 4.31e-03), (1.04e-01, 4.31e-03, 4.31e-03, 4.31e-03), (6.04e-01, 4.31e-03, 4.31e-03, 4.31e-03), 0.005),
    "your": ((8.94e-01, 2.55e-04, 5.27e-04, 2.55e-04), (3.09e-02, 2.55e-04, 2.55e-04, 2.55e-04), (7.46e-02, 2.55e-04, 2.55e-04, 2.55e-04), 0.028),
}
_LOG_BOUNDARIES = {
    w: (
        tuple(tuple(math.log10(x) for x in row) for row in rows),
        tuple(math.log10(x / sum(rows[0])) for x in rows[0]),  # what follows, given a word before
        math.log10(cue),
        math.log10(1 - cue),
    )
    for w, (*rows, cue) in _BOUNDARIES.items()
}
BEFORE_WORD, BEFORE_COMMA, BEFORE_START = 0, 1, 2
AFTER_WORD, AFTER_COMMA, AFTER_END, AFTER_DASH = 0, 1, 2, 3
# (typed, meant) slips far rarer than their reverse: "quiet" is typed for "quite"
# (two letters swapped), "to" for "too", "loose" for "lose", "past" for "passed"; seldom the other way.
_RARE_SLIPS = frozenset({("too", "to"), ("quite", "quiet"), ("lose", "loose"), ("passed", "past"), ("breathe", "breath")})
# A possessive's followers are much like "his"'s: where the pairs lack "their breakfasts", "his breakfasts" may be there.
_FOLLOWS_LIKE = {"its": "his", "your": "his", "their": "his", "whose": "his"}
_SUBJECTS = frozenset({"i", "we", "you", "he", "she", "it", "they"})
_POSSESSIVES = frozenset({"its", "your", "their", "whose"})
_NEGATED = lazy(r"[ \n]+[a-z]+n['\u2019]t\b")
# Only then/than differ in how often a comparative precedes them.
_COMPARED = frozenset({"then", "than"})
_COMPARATIVES = frozenset(
    "more less rather other else sooner better worse fewer greater larger smaller higher lower longer shorter "
    "older younger bigger faster slower stronger weaker easier harder later earlier farther further nearer "
    "deeper wider richer poorer happier".split()
)
_CLAUSE_BREAK = frozenset(".!?;\u2026" + "\x00")  # (and the end of the paragraph: see _SEPARATOR)
_COMPARATIVES_PROPER = _COMPARATIVES - {"other", "else"}  # (each other, or else: no comparison)
_WRAPPING = ",\u201c\u201d\"'\u2018\u2019()_*"
_SENTENCE_BREAK = frozenset(".!?\u2026\x00")
# A possessive (its, your, their) stands before its noun, or an adjective or adverb of it: never
# directly before a preposition, a verb of being or having, a modal, an article or a pronoun.
# "its been", "your a", "their is", "of it in" cannot be possessives, whatever the pairs say.
# Words that are also nouns are left out: "with all their might", "your will", "their can of
# grog", "their not being gone" (a gerund), and so are "and"/"or" ("your and my").
_NOT_AFTER_POSSESSIVE = frozenset(
    "in on at of for with by from to into upon is was are were be been had has have would could shall "
    "should did does a an the he she it they we i you me him them if when than that this".split()
)
# ...nor, to say a clause ended before an elided form, "not" or another possessive ("their not
# being gone" is a gerund's possessive, but "from its not" is no reason to make one).
_NO_POSSESSIVE_BEFORE = _NOT_AFTER_POSSESSIVE | {"not", "his", "her", "my", "our", "your", "their"}
_CUED = frozenset({"its", "your", "their"})
_NOT_AND_WORD = lazy(r"[ \n]+not[ \n]+([a-z]+)(?![a-z'])(?!\u2019)")
_CLAUSE_END = lazy(r"[ \n]*(?:\.\.\.|\u2026|\u2014|--|[,;:.!?])")
_TRUNCATING = frozenset(
    "in of on at to with for from by into upon about under through after before without like "
    "does do did is was are were has have had will would can could shall should may might must touch".split()
    # "not" takes a possessive ("not your fault") and never a contraction ("not you're"): "He's not your—".
    + ["not"]
)
_JOINING = frozenset(("and", "or", "nor", "but"))
# "to" and a verb right before: the possessive is that verb's object ("need to rest your—").
_INFINITIVE_BEFORE = lazy(r"(?<![a-z])to[ \n]+[a-z]+[ \n]+\Z")
# A filler word set off by commas or dashes after the comma: "your, uh, friend", "their, um—".
_HESITATION = lazy(r"[ \n]*(?:u+h+|u+m+|e+r+m*|a+h+|e+h+|h+m+)(?:[,\u2014\u2026]|--|\.\.\.)")
_BREAKS = frozenset(("...", "\u2026", "\u2014", "--"))
# After a preposition that is seldom a verb's particle ("let on it's" is), an elided form is a possessive.
_PREPOSITIONS = frozenset(
    "of at with from into upon towards toward within among between beneath against without".split()
)
# ...and after a modal or "do", which a subject follows, not "you are" ("will you're experiment take").
_MODALS = frozenset("will would do did does can could shall should may might must".split())
_POSSESSIVE_OF = {"it's": "its", "you're": "your", "they're": "their", "who's": "whose"}
# "been" takes "have": "your been gone" and "they're been here" meant you've and they've, which no
# member of the set is ("you're been", "there been" would be as wrong as the word typed). Only
# suggested: "their been" may as well have meant "there's been".
_HAVE_BEFORE_BEEN = {"your": "you've", "you're": "you've", "their": "they've", "they're": "they've"}
_HAVE_FORMS = frozenset(_HAVE_BEFORE_BEEN.values())
_HAVE_FORM_CHANCE = 0.9
# A subject that only "were" follows: "they where" never asks where.
_WHERE_SUBJECTS = frozenset("i we they he she who how why".split())
# What may open the clause after "where" ("told you where the key was", "where to go", "where is it").
_CLAUSE_OPENERS = frozenset(
    "i you he she it we they the a an my your his her its our their this that these those there one some any "
    "no all every each to is are was were do did does can could would will shall should have had has may might "
    "must".split()
)
_ANSWERED = frozenset(
    "different differently otherwise prefer preferred sooner hardly scarcely twice thrice superior inferior "
    "anything nothing none nobody no elsewhere".split()
)
_ATTRIBUTIVE = frozenset("a an the his her my our their its your this that very so".split())
_HAVE_AUXILIARIES = frozenset("have has had having".split())
_PASSED_BEFORE = _ATTRIBUTIVE - {"very", "so"} | {"away", "by", "through", "over", "them", "him", "me", "us"}
# Adjectives that "quite" commonly qualifies and "quiet" never does.
_QUITE_BEFORE = frozenset(
    "so too right sure true certain possible impossible different alone enough useless ready clear natural "
    "wrong unable likely unlikely content".split()
)
# ...but these follow "quiet" as often: "be quiet so you don't wake them", "his voice quiet enough",
# "it was quiet too", "be quiet right now" (19 AO3 works: three false fixes of "quiet" to "quite").
_AFTER_QUIET = frozenset("so too enough right".split())


def _is_adverb(word: str, lexicon: Lexicon) -> bool:
    """Is the -ly word an adjective's adverb (freely, happily), not a noun that ends so (assembly, family)?"""
    return word.endswith("ly") and any(stem in lexicon.curated for stem in suffix_stems(word, "ly"))


def _noun_after(word: str, lexicon: Lexicon) -> bool:
    """Does `word` read as a possessive's noun (the pairs have "the expense", "whose name") and not as
    what follows "is" ("is winning", "is high", "is in")?"""
    if not word or lexicon.bigram("is", word):
        return False
    return bool(lexicon.bigram("the", word) or lexicon.bigram("whose", word))


def _zipf(word: str, lexicon: Lexicon) -> float:
    return lexicon.zipf(word.replace("\u2019", "'"))


class Scorer:
    """The model's log-probabilities, with the lexicon look-ups a run repeats remembered.

    One per run (Context.memo): "want to", "to the" and "there was" are asked
    about hundreds of times in a story.
    """

    def __init__(self, lexicon: Lexicon, params: RealwordParams) -> None:
        self.lexicon = lexicon
        self.params = params
        self._totals: dict[str, float] = {}
        self._zipfs: dict[str, float] = {}
        self._er: dict[str, bool] = {}
        self._left: dict[tuple[str, str], float | None] = {}
        self._right: dict[tuple[str, str], float | None] = {}

    def total(self, word: str) -> float:
        """log10 of the summed counts of the listed pairs starting with `word` (0.0: none)."""
        t = self._totals.get(word)
        if t is None:
            t = self._totals[word] = self.lexicon.bigram_first(word)
        return t

    def comparative_er(self, word: str) -> bool:
        """Is an -er word a comparative: taller (tall), larger (large), bigger (big), uglier (ugly), a commoner stem?"""
        known = self._er.get(word)
        if known is None:
            lexicon, zipf = self.lexicon, self.zipf(word)
            known = self._er[word] = any(
                stem in lexicon.curated and self.zipf(stem) > zipf
                for stem in (word[:-2], word[:-1], word[:-3], word[:-3] + "y")
            )
        return known

    def zipf(self, word: str) -> float:
        z = self._zipfs.get(word)
        if z is None:
            z = self._zipfs[word] = _zipf(word, self.lexicon)
        return z

    def left(self, before: str, member: str) -> float | None:
        """log10 P(before | member) up to a term shared by the members; None: the pairs know nothing of `before`."""
        key = (before, member)
        if key in self._left:
            return self._left[key]
        total = self.total(before)
        value: float | None = None
        if total:
            proxy = _PROXIES.get(member, (member, member))[0]
            by_chance = total + self.zipf(proxy) - 9.0
            pair = self.lexicon.bigram(before, proxy) or min(self.params.missing_pair, by_chance)
            value = pair - by_chance  # how much likelier after `before` than anywhere
        self._left[key] = value
        return value

    def right(self, member: str, after: str) -> float | None:
        """log10 P(after | member, a word follows); None: the pairs know nothing of the member."""
        key = (member, after)
        if key in self._right:
            return self._right[key]
        proxy = _PROXIES.get(member, (member, member))[1]
        total = self.total(proxy)
        value: float | None = None
        if total:
            pair = self.lexicon.bigram(proxy, after)
            if member in _ALSO_HAS and self.lexicon.bigram("has", after) - self.total("has") > pair - total:
                proxy, pair, total = "has", self.lexicon.bigram("has", after), self.total("has")
            if pair:
                value = pair - total
            else:
                # A pair the list lacks: as likely as chance makes it (or missing_pair, if that is
                # rarer), times how much less likely a noun is after this word than after any
                # ("there flag": a fourteenth; "their flag": as chance makes it).
                value = min(self.params.missing_pair, total + self.zipf(after) - 9.0) - total
                value += self.params.noun_weight * noun_lift(proxy, after, self.lexicon)
                like = _FOLLOWS_LIKE.get(member)
                if like is not None and self.lexicon.bigram(like, after):
                    value = max(value, self.lexicon.bigram(like, after) - self.total(like) + self.params.like_discount)
        self._right[key] = value
        return value

    def score(self, member: str, before: str, before_kind: int, after: str, after_kind: int,
              compared: bool | None) -> float:
        """log10 P(member) P(its surroundings | member), up to a constant shared by the set."""
        joint, after_a_word, cue, no_cue = _LOG_BOUNDARIES[member]
        score = self.zipf(member) - 9.0
        left = self.left(before, member) if before_kind == BEFORE_WORD and before else None
        # The pairs say how likely the word before is; the table, what follows it.
        score += joint[before_kind][after_kind] if left is None else left + after_a_word[after_kind]
        if after_kind == AFTER_WORD and after:
            right = self.right(member, after)
            if right is not None:
                score += self.params.context_weight * right
        if compared is not None and member in _COMPARED:
            score += cue if compared else no_cue
        return score


def _passive(after: str) -> bool:
    """Is the word after "were" a past participle ("were attained"), which "where" never stands before?"""
    return after in _PASSIVE_IRREGULAR or (len(after) > 4 and after.endswith("ed"))


def _progressive(after: str) -> bool:
    """Is the word after "were" a verb's -ing form ("were observing her"), which "where" never stands before?"""
    return len(after) > 4 and after.endswith("ing") and not after.endswith("thing")


def judge(word: str, before: str, before_kind: int, after: str, after_kind: int, compared: bool | None,
          dialect: bool, scorer: Scorer, subjunctive: bool = False) -> Swap | None:
    """The member of the word's confusion set meant here, when it is not the word itself."""
    members = _SET_OF.get(word)
    if members is None or (
        word == "were" and (after in _SUBJECTS or subjunctive or _passive(after) or _progressive(after))
    ):
        # "Were I in your place", "so near were we": an inversion; "as though the place were a
        # garden", "if it were": the subjunctive; "time and place were joined": the passive;
        # "the employees were observing her": the progressive. Not "where".
        return None
    if word == "there" and after in _EXISTENTIAL:
        return None  # "there being", "there having been": the existential there, not "their"
    params = scorer.params
    as_typed = scorer.score(word, before, before_kind, after, after_kind, compared)
    penalty = params.confusion - (params.dialect_penalty if dialect else 0.0)
    others = [
        (scorer.score(m, before, before_kind, after, after_kind, compared) + penalty
         + (params.rare_direction if (word, m) in _RARE_SLIPS else 0.0), m)
        for m in members if m != word
    ]
    probability, best = posterior(others, as_typed)[0]
    if probability < params.suggest_probability:
        return None
    from storybinder.cleanup.findings import Swap

    return Swap(best, probability)


def _cued_swap(word: str, meant: str, before: str, before_kind: int, after: str, after_kind: int,
               scorer: Scorer) -> Swap:
    """The member meant where grammar rules the typed one out ("": the likeliest of the others), surely."""
    if not meant:
        others = [m for m in _SET_OF[word] if m != word]
        meant = max(others, key=lambda m: scorer.score(m, before, before_kind, after, after_kind, None))
    from storybinder.cleanup.findings import Swap

    # (you've for "your been": the likeliest reading, not the only one; see _HAVE_BEFORE_BEEN)
    return Swap(meant, _HAVE_FORM_CHANCE if meant in _HAVE_FORMS else 1.0)


_CUE_WORDS = _CUED | _POSSESSIVE_OF.keys() | {"where", "quiet", "to", "than", "past"}
_LETTER = frozenset("abcdefghijklmnopqrstuvwxyz")
# What follows a member: a plain word (1), a word joined by an apostrophe, a quotation or a number (2),
# a comma (3), a dash (4); nothing matched: the end of a clause. Emphasis marks before the word
# (`told your _fiancée_`) are skipped.
# (The curly quotes apart, as in _SCANS: "(?=[“‘])." is one of them; in one class with the rest,
# or in a group, re would join them into a class again.)
_FOLLOWS = lazy(r"[ \n_*]*(?:([a-z]+)(?![a-z'])(?!\u2019)|([a-z\"(0-9]|(?=[\u201c\u2018]).)|(,)|([\u2014\u2013-]))?")


def surroundings(lowered: str, start: int, end: int) -> tuple[str, int, str, int]:
    """(the word before or "", what stands before, the word after or "", what follows) in a lower-cased paragraph."""
    i = start
    while i and lowered[i - 1] in " \n":
        i -= 1
    before, before_kind = "", BEFORE_START
    if i and lowered[i - 1] in _LETTER:
        j = i
        while j and lowered[j - 1] in _LETTER:
            j -= 1
        # A word joined by an apostrophe or hyphen (don't, half-past) is no plain word before.
        before = lowered[j:i] if not (j and lowered[j - 1] in "'\u2019-") else ""
        before_kind = BEFORE_WORD
    elif i and lowered[i - 1] == ",":
        before_kind = BEFORE_COMMA
    after, after_kind = "", AFTER_END
    m = _FOLLOWS.match(lowered, end)
    if m.lastindex == 1:
        after, after_kind = m.group(1), AFTER_WORD
    elif m.lastindex == 2:
        after_kind = AFTER_WORD  # a word joined by an apostrophe (don't), a quotation or a number follows
    elif m.lastindex == 3:
        after_kind = AFTER_COMMA
    elif m.lastindex == 4:
        after_kind = AFTER_DASH
    return before, before_kind, after, after_kind


def _capitalised(original: str, at: int) -> bool:
    """Does the word at `at` (perhaps after a quote or a bracket) start with a capital?"""
    while at < len(original) and original[at] in "\"'\u201c\u2018(_*":
        at += 1
    return at < len(original) and original[at].isupper()


def _after_comparative(lowered: str, start: int, scorer: Scorer, original: str, sentence: bool = False) -> bool:
    """Is there a comparative (more, less, rather, an -er adjective) among the ten words before `start`, in its clause?

    `sentence`: a comparative proper (not "other", not an -er word) anywhere earlier in its sentence,
    across semicolons and a speech tag ("Much better," said he, "than I wish"). A capitalised -er
    word is a name (Mr. Cruncher), not a comparative.
    """
    lo = max(0, start - (400 if sentence else 90))
    window = lowered[lo:start]
    cut = max(window.rfind(mark) for mark in (_SENTENCE_BREAK if sentence else _CLAUSE_BREAK))
    lo, window = lo + cut + 1, window[cut + 1 :]
    # _more_: italics marked up, "more,": a comma after it
    words = [t.strip(_WRAPPING) for t in window.split()]
    if sentence:
        return not _COMPARATIVES_PROPER.isdisjoint(words)
    last = words[-10:]
    if not _COMPARATIVES.isdisjoint(last):
        return True
    # An -er word only just before: "taller than", "a bigger house than"; further back it is
    # as likely a noun ("when the old farmer looked at him then or afterwards").
    at = len(window)
    for w in reversed(last[-3:]):
        at = window.rfind(w, 0, at)
        if len(w) > 4 and w.endswith("er") and scorer.comparative_er(w) and not _capitalised(original, lo + at):
            return True
    return False


_CONDITIONS = frozenset({"if", "though", "wish", "wished", "wishes", "suppose", "supposing", "unless"})


def _clause_words(lowered: str, start: int, marks: frozenset[str]) -> list[str]:
    """The words of the clause before `start` (within 60 characters, after the last of `marks`), unwrapped."""
    window = lowered[max(0, start - 60) : start]
    for mark in marks:
        cut = window.rfind(mark)
        if cut >= 0:
            window = window[cut + 1 :]
    return [w.strip(",\u201c\u201d\"'()_*") for w in window.split()]


def _after_condition(lowered: str, start: int) -> bool:
    """Is "were" at `start` in a condition or a wish ("as though it were", "I wish you were")?"""
    return any(w in _CONDITIONS for w in _clause_words(lowered, start, _CLAUSE_BREAK)[-6:])


# A subject with a clause of its own ends before its verb: "all she could see were the lights",
# "the people who had turned out were her family" (AO3, Dracula: both fixed to "where" before).
_RELATIVE_OPENERS = frozenset("all what whatever who whom everything everyone".split())


_PHRASE_BREAK = _CLAUSE_BREAK | {","}


def _after_relative(lowered: str, start: int) -> bool:
    """Is "were" at `start` the verb of a subject that a relative clause runs into ("all she could see were")?"""
    # (the opener with at least a subject and a verb after it: "who had turned out", "all she saw")
    return any(w in _RELATIVE_OPENERS for w in _clause_words(lowered, start, _PHRASE_BREAK)[:-2])


def _styled(original: str, replacement: str, text: str) -> str:
    """The replacement in the original's case and the text's apostrophe."""
    if "'" in replacement and ("\u2019" in text or "'" not in text):
        replacement = replacement.replace("'", "\u2019")
    if original[0].isupper():
        replacement = replacement[0].upper() + replacement[1:]
    return replacement


def _find_listed_slips(ctx: Context, params: RealwordParams) -> Iterator[Change]:
    """Rare dictionary words that read as a slip of a common one here ("waited untill the")."""
    spelling_params = spelling.params_of(ctx)
    lexicon = load_lexicon()
    for u, m, suspect, dialect in spelling.listed_occurrences(ctx):
        text = ctx.units[u]
        verdict = spelling.judge(suspect, *neighbours_of(text, m.start(), m.end()),
                                 dialect or spelling.writes_dialect(ctx), spelling_params, lexicon,
                                 listed_bonus=params.listed_bonus, habit=spelling.story_habit(ctx),
                                 slips=spelling.slips_of(ctx))
        if verdict is None or (m.group()[0].isupper() and suspect.zipf > 0):
            continue
        yield Change(u, m.start(), m.end(), _styled(m.group(), verdict.correction, text), sure=verdict.sure,
                     confidence=round(verdict.probability, 3),
                     message=f"a rare word, or a slip for “{verdict.correction}”? ({verdict.probability:.0%})")


def _find_question_slips(ctx: Context, params: RealwordParams) -> Iterator[Change]:
    """Once-used words wordfreq knows that open a question where its auxiliary stands ("Or ar you…?")."""
    odd = spelling.unquestioned_once(ctx)
    if not odd:
        return
    lexicon = load_lexicon()
    slips = spelling.slips_of(ctx)._replace(offset=spelling.params_of(ctx).slip_offset)
    story_dialect = spelling.writes_dialect(ctx)
    for u, text in enumerate(ctx.units):
        if ctx.kinds[u] != "para" or "?" not in text:
            continue
        dialect = story_dialect or is_dialect_paragraph(text)
        for slip in question_slips(text, odd, lexicon, slips, params.dialect_penalty if dialect else 0.0):
            if slip.probability < params.suggest_probability:
                continue
            sure = slip.probability >= params.fix_probability
            yield Change(u, slip.start, slip.end, _styled(text[slip.start : slip.end], slip.meant, text), sure=sure,
                         confidence=round(slip.probability, 3),
                         message=f"“{slip.meant}” meant? (a question opens with its verb)"
                         + ("" if sure else f" ({slip.probability:.0%})"))


# Joins the paragraphs into one story to scan: no word, space or punctuation that the rule looks
# across, so each paragraph's beginning and end read as they do alone. One scan of the story costs
# less than one per paragraph (20,000 of them in 5 MB).
_SEPARATOR = "\x00"


def _next_word(hay: str, story: str, end: int) -> str:
    """The plain lowercase word right after `end` ("" for punctuation, a capital, a compound or an elision)."""
    m = _FOLLOWS.match(hay, end)
    if m.lastindex != 1:
        return ""
    at, stop = m.span(1)
    # A capital is a name or a letter ("your A B C"); a hyphen joins a compound ("their in-laws"),
    # where a dash ("quiet---which") does not.
    if story[at].isupper() or hay.startswith("-", stop) and hay[stop + 1 : stop + 2].isalpha():
        return ""
    return m.group(1)


def _than_answers_nothing(before: str, hay: str, story: str, start: int, end: int, scorer: Scorer) -> bool:
    """Does "than" stand where "then" opens a clause, with nothing in its sentence to compare?"""
    after = _next_word(hay, story, end)
    if after in ("whom", "which"):
        return False  # "than whom none could be better": the comparison follows
    i = start
    while i and hay[i - 1] in " \n\"'\u201c\u2018":
        i -= 1
    opens = story[start] == "T" and (not i or hay[i - 1] in _SENTENCE_BREAK) and not _line_runs_on(hay, i)
    if not (opens or before in _SUBJECTS or (len(after) > 4 and after.endswith("ed"))):
        return False
    if _after_comparative(hay, start, scorer, story) or _after_comparative(hay, start, scorer, story, True):
        return False
    window = hay[max(0, start - 400) : start]
    window = window[max(window.rfind(mark) for mark in _SENTENCE_BREAK) + 1 :]
    # Any -er word, and the words "than" answers that are no comparatives: other than, different
    # than, sooner than, hardly ... than, nothing else than.
    return not any(
        w in _ANSWERED or w in _COMPARATIVES or (len(w) > 3 and w.endswith("er"))
        for w in (t.strip(_WRAPPING) for t in window.split())
    )


def _line_runs_on(hay: str, at: int) -> bool:
    """Does the paragraph break just before `at` end no sentence (a line of verse: "a thousand years
    of torment" / "Than it is to endure"), so the sentence runs on into the next paragraph?"""
    if not at or hay[at - 1] != _SEPARATOR:
        return False
    j = at - 1
    while j and hay[j - 1] in " \n":
        j -= 1
    return bool(j) and (hay[j - 1] in _LETTER or hay[j - 1] == ",")


def _after_dash(hay: str, start: int) -> bool:
    """Does a dash typed as hyphens ("however--their") stand right before `start`, rather than a hyphen?"""
    return start >= 2 and hay[start - 1] == "-" and hay[start - 2] == "-"


def _grammar_cue(word: str, before: str, hay: str, story: str, start: int, end: int, scorer: Scorer) -> str | None:
    """The member grammar demands where the typed one cannot stand ("" : any other member), or None.

    Each cue is a construction the typed word has no place in, whatever the pairs say:
    a possessive before a preposition, a verb or an article ("its been", "your a", "their in"),
    or ending a clause ("over their, and"), or "its kind of" before an adjective; an elided
    form after a preposition or a modal ("at it's robe", "will you're plan work"); "where"
    after a subject ("they where") or before what only follows a verb ("you where right");
    "quiet" qualifying an adjective or adverb ("quiet freely"); "past" after "have" where only the
    participle can stand ("had past his prime"); a "to" alone between commas
    ("the air, to, was") or after "be" before an adjective that ends the clause ("it was to late");
    a "than" with nothing in its sentence to compare, where "then" would
    open a clause ("Than he stopped", "I than left her", "than licked").
    """
    if word in _CUED or word in _POSSESSIVE_OF:
        after = _next_word(hay, story, end)
        if after == "been" and word in _HAVE_BEFORE_BEEN:
            return _HAVE_BEFORE_BEEN[word]
    if word in _CUED:
        if after in _NOT_AFTER_POSSESSIVE:
            return ""
        if after == "not":
            # "Its not my fault", "your not listening": a possessive goes before "not" only with a
            # gerund after it ("their not being gone", "its not knowing").
            gerund = _NOT_AND_WORD.match(hay, end)
            return "" if gerund is not None and not gerund.group(1).endswith("ing") else None
        if word == "its" and after in ("kind", "sort") and _HEDGED.match(hay, end):
            return "it's"  # "its kind of hard": the hedge before an adjective, not "its kind of work"
        # Nor does a possessive end a clause or trail off ("over their, and", "thank goodness your...");
        # only a truncated phrase after a preposition or a verb's helper does ("happy in your?").
        trails = _CLAUSE_END.match(hay, end)
        if trails is None or not before or before in _TRUNCATING:
            return None
        if _HESITATION.match(hay, trails.end()):
            return None  # "meeting your, uh, friend": a speaker's pause, and the noun still to come
        # ...and a list broken off after its and, or or but ("your sports and your young ladies
        # and your—"): as likely "your" as "you're" there.
        if before in _JOINING and trails.group().strip() in _BREAKS:
            return None
        # ...and speech broken off after a word that takes a possessive ("so fat you couldn't find
        # your—", "anything to keep their—", "meeting your… patient": the pairs have find your,
        # keep their far above chance): the object was cut short. Where the pairs know no such use
        # ("thank goodness your… Twilight?"), a possessive still cannot trail off.
        if trails.group().strip() in _BREAKS:
            taken = scorer.left(before, word)
            if taken is not None and taken > 0:
                return None
            if _INFINITIVE_BEFORE.search(hay, max(0, start - 40), start):
                return None  # "you need to rest your—": an infinitive's object, cut short
        return ""
    if word in _POSSESSIVE_OF:
        if before not in _PREPOSITIONS and before not in _MODALS:
            return None
        if word == "who's" and before in _PREPOSITIONS and not _noun_after(after, scorer.lexicon):
            # A question stands after a preposition as often as a possessive does: "a sense of
            # who's winning", "look at who's high in command" (19 AO3 works: two false fixes).
            return None
        # ...unless what follows cannot follow a possessive: then the preposition or helper ended
        # a clause whose comma is missing ("Where we come from it's not easy", "If he does it's
        # his fault").
        return None if after in _NO_POSSESSIVE_BEFORE else _POSSESSIVE_OF[word]
    if word == "where":
        if before in _WHERE_SUBJECTS:
            return "were"
        if before in {"you", "it"}:
            after = _next_word(hay, story, end)
            return "were" if after and after not in _CLAUSE_OPENERS else None
        return None
    if word == "quiet":
        if before in _ATTRIBUTIVE:
            return None  # "a quiet orderly house": an adjective before another
        after = _next_word(hay, story, end)
        qualified = _is_adverb(after, scorer.lexicon) or (len(after) > 4 and after.endswith("ed")) or (
            after in _QUITE_BEFORE and after not in _AFTER_QUIET
        ) or (
            # ("really quiet grateful, you know": an adjective that ends the clause, qualified)
            len(after) > 5 and after.endswith(ADJECTIVE_ENDINGS) and _word_ending_clause(hay, story, end) == after
        )
        return "quite" if qualified else None
    if word == "than":
        return "then" if _than_answers_nothing(before, hay, story, start, end, scorer) else None
    if word == "past":
        # After "have", before an article, a possessive, "away" or "by" or the clause's end: the
        # participle ("had past his prime", "the danger had past."), not "had past experience".
        if before not in _HAVE_AUXILIARIES:
            return None
        after = _next_word(hay, story, end)
        return "passed" if after in _PASSED_BEFORE or (not after and _CLAUSE_END.match(hay, end)) else None
    if word == "to":
        i = start
        while i and hay[i - 1] == " ":
            i -= 1
        if i and hay[i - 1] == "," and hay.startswith(",", end):
            return "too"
        return "too" if before in _BE_OR_DEGREE and _qualifies_to_an_end(hay, story, end, scorer.lexicon) else None
    return None


# After a form of "be" or a word of degree, "to" before an adjective or adverb "too" qualifies,
# that ends the clause or goes on with "to" or "for", can only be "too": "it was to late to go
# back", "much to cold for a walk", "be to late—". Not before a verb: one the pairs have after a
# modal, and after "to" more than after "too" ("the idea is to close", "was to slow down").
_BE_OR_DEGREE = frozenset("is was are were be been being am much far way all just".split())


def _end_or(words: str) -> LazyPattern:
    """The clause's end (a mark, a closing quote or bracket, the paragraph's end) or one of `words` ("to|for")."""
    return lazy(rf"[ \n_*]*(?:[,;:.!?\u2014\u2026)\"\u201d]|--|(?:{words})(?![a-z'])(?!\u2019)|$)")


_AFTER_QUALIFIED = _end_or("to|for")


def _qualifies_to_an_end(hay: str, story: str, end: int, lexicon: Lexicon) -> bool:
    """Is the word after `end` one "too" qualifies (_TOO_BEFORE) and no verb, with the clause's end,
    "to" or "for" after it?"""
    word = _word_ending_clause(hay, story, end)
    if word not in _TOO_BEFORE:
        return False
    return not (
        lexicon.bigram("to", word) > lexicon.bigram("too", word) and any(lexicon.bigram(modal, word) for modal in _MODALS)
    )


def _word_ending(hay: str, story: str, end: int, ending: LazyPattern) -> str:
    """The plain lower-case word after `end` when `ending` matches right after it ("" if not)."""
    m = _FOLLOWS.match(hay, end)
    if m.lastindex != 1 or story[m.start(1)].isupper() or ending.match(hay, m.end(1)) is None:
        return ""
    return m.group(1)


def _word_ending_clause(hay: str, story: str, end: int) -> str:
    """The plain lower-case word after `end` when the clause's end, "to" or "for" follows it ("" if not)."""
    return _word_ending(hay, story, end, _AFTER_QUALIFIED)


# What a possessive's phrase cannot end on: the clause's end, or a preposition after a word that
# is no noun ("their later on", "your full of").
_PHRASE_END = _end_or("of|on|in|at|to|for|with|from|by|about")


def _no_head_after(hay: str, story: str, end: int, lexicon: Lexicon) -> bool:
    """Is the word after `end` an adjective or adverb (the pairs have "so X" or "too X"), with the
    phrase's end right after it (`there long?`, `you're full of`)? A possessive needs its noun."""
    word = _word_ending(hay, story, end, _PHRASE_END)
    return bool(word) and bool(lexicon.bigram("so", word) or lexicon.bigram("too", word))


def find_realword(ctx: Context) -> Iterator[Change]:
    params: RealwordParams = ctx.tuning.get("realword", DEFAULT_PARAMS)
    yield from _find_listed_slips(ctx, params)
    yield from _find_question_slips(ctx, params)
    units = ctx.units
    joined = join_units(units, _SEPARATOR)
    story, starts = joined.text, joined.starts
    hay = ascii_lowered(story)
    dialects: dict[int, bool] = {}

    def dialect_of(u: int) -> bool:
        if u not in dialects:
            dialects[u] = is_dialect_paragraph(units[u])
        return dialects[u]

    for m in _MODAL_OF.finditer(hay):
        participle = m.group(1)
        u = joined.unit_at(m.start())
        if ctx.kinds[u] == "para" and (participle in _IRREGULAR or participle.endswith(_PARTICIPLE_END)):
            text, s = units[u], m.start() - starts[u]
            yield Change(u, s, s + 2, _styled(text[s : s + 2], "have", text), sure=not dialect_of(u),
                         confidence=0.95, message="“of” for “have” after a modal")
    scorer: Scorer | None = None
    # Where each chapter begins (its title's unit): a story's chapters may differ in their habits.
    bare_contractions_at = BareHabit(hay, [starts[u] for u, kind in enumerate(ctx.kinds) if kind == "title"]).at

    seen: dict[tuple[str, str, int, str, int, bool | None, bool, bool], Swap | None] = {}
    for m in _candidates(hay):
        start, end = m.span()
        if start and (hay[start - 1].isalnum() or hay[start - 1] in _JOINS) and not _after_dash(hay, start):
            continue  # inside a word (into, bits) or joined to one
        if scorer is None:
            scorer = ctx.memo("realword.scorer", lambda: Scorer(load_lexicon(), params))  # type: ignore[assignment]
            assert scorer is not None
        word = m.group()
        if "\u2019" in word:
            word = word.replace("\u2019", "'")
        before, before_kind, after, after_kind = surroundings(hay, start, end)
        compared = _after_comparative(hay, start, scorer, story) if word in _COMPARED else None
        key = (word, before, before_kind, after, after_kind, compared, False, False)
        if key not in seen:  # "to the", "there was": the same question again and again
            seen[key] = judge(word, before, before_kind, after, after_kind, compared, False, scorer)
        swap = seen[key]
        # Asked only of a "were" the model doubts: "as though the place were a garden" is no "where".
        subjunctive = swap is not None and word == "were" and (
            _after_condition(hay, start) or _after_relative(hay, start))
        if subjunctive:
            swap = None
        meant = _grammar_cue(word, before, hay, story, start, end, scorer) if word in _CUE_WORDS else None
        cued = meant is not None
        if cued:
            swap = _cued_swap(word, meant, before, before_kind, after, after_kind, scorer)
        if swap is None:
            continue  # (dialect only lowers the chance of a swap: no need to ask)
        if "'" in swap.word and bare_contractions_at(start):
            continue  # a writer of "dont" and "Im" writes "its" for "it's" on purpose
        u = joined.unit_at(start)
        if ctx.kinds[u] != "para":
            continue
        if dialect_of(u) and not cued:
            key = (word, before, before_kind, after, after_kind, compared, True, False)
            if key not in seen:
                seen[key] = judge(word, before, before_kind, after, after_kind, compared, True, scorer)
            swap = seen[key]
            if swap is None:
                continue
        if word == "than" and swap.word == "then" and _after_comparative(hay, start, scorer, story, True):
            continue  # a comparative earlier in the sentence is what "than" answers
        if after == swap.word or (swap.word in _POSSESSIVES and (
            _NEGATED.match(hay, end) or _no_head_after(hay, story, end, scorer.lexicon)
        )):
            # "better off then than": the swap would double the next word; "through there couldn't
            # nobody": a possessive stands before a noun, never before a verb; "be in there long?",
            # "forgot you're full of yourself": nor before a word that is no noun and ends the phrase.
            continue
        # Grammar is surest in standard prose: in dialect, or from a writer of "dont", a suggestion;
        # and in prose written without punctuation (Molly Bloom's "a bit sooner then I wouldnt be
        # here"), where a writer spells as the stream runs, a suggestion too.
        text, s, e = units[u], start - starts[u], end - starts[u]
        sure = swap.probability >= params.fix_probability and not (
            cued and (dialect_of(u) or bare_contractions_at(start))) and swap.word not in _HAVE_FORMS and (
            not unpunctuated(text))
        yield Change(u, s, e, _styled(text[s:e], swap.word, text), sure=sure,
                     confidence=round(swap.probability, 3),
                     message=f"“{swap.word}” meant?" + ("" if sure else f" ({swap.probability:.0%})"))


RULE = Rule("spelling.realword", "fix", find_realword, "a real word typed for another (its/it's, their/there)")
