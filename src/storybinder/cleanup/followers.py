"""What follows a word: how often the pairs that start with it go on with a noun.

The pair list (Google Books pairs, as symspellpy ships them) keeps only common pairs,
so "their flag" and "there flag" are both missing from it, and spelling.realword
took either to be as likely as chance makes it. But of the listed pairs that start
with "their", 36% (by count) go on with a word that reads as a noun; of those that
start with "there", none. A missing pair whose second word reads as a noun is that
much less likely after a word seldom followed by one ("there flag", "then weapons"):
a class-based estimate, in place of chance alone, for the pairs the list lacks.

It only ever counts against a word, never for one: the other side of the possessives'
sets (it's, you're, they're: "is" and "are" after a pronoun) has no share to weigh a
gain against, and a gain for "its" alone turned "I know it's policy" into "its policy".

A word reads as a noun here when the pairs have "the X" (or "the" before the
singular of a plural X) and none of "is X", "very X", "he X" and the like: "the
weapons", but not "the magnificent" ("are magnificent") nor "the lies" ("he lies").
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from storybinder.cleanup.dictionary import Lexicon

# The share of each word's listed pairs (weighted by count) that go on with a word read as a
# noun, as noun_shares() computes them from the lexicon (tests/test_cleanup_followers.py checks
# them against it): the words of spelling.realword's confusion sets. Not "is", "are", "has" and
# "too", which it reads it's, you're, they're and who's by: "is", "are" and "too" are of
# _BEFORE_NO_NOUN, so no word they are seen before reads as a noun and their share says nothing,
# and "has" alone would count against "it's" ("I know it's policy" is no "its policy").
# A share too small to say much is taken as LEAST_SHARE.
NOUN_SHARES: dict[str, float] = {
    "affect": 0.017, "breath": 0.0, "breathe": 0.0, "effect": 0.003, "its": 0.388,
    "lose": 0.037, "loose": 0.112, "passed": 0.006, "past": 0.199, "quiet": 0.195, "quite": 0.0,
    "than": 0.01, "their": 0.362, "then": 0.018, "there": 0.0, "to": 0.084, "were": 0.001,
    "where": 0.001, "whose": 0.46, "your": 0.454,
}
# ...and of all the listed pairs.
NOUN_BASE = 0.139
LEAST_SHARE = 0.01


# Words that go before what a noun's article also goes before, but no noun: "is free", "are
# magnificent", "very old", "so kind", "most welcome", "he lies", "it stands".
_BEFORE_NO_NOUN = ("is", "are", "was", "very", "so", "too", "more", "most", "he", "she", "it", "they", "we", "i")


# Endings only adjectives have (grateful, curious, helpless)...
ADJECTIVE_ENDINGS = ("ful", "ous", "ive", "able", "ible", "less", "ish")
# ...and those of adjectives the pairs have seen too seldom to tell (the magnificent, the curious):
# a noun missed for them (parent, moment, signal) only goes without the estimate.
_NOT_NOUN_ENDINGS = ADJECTIVE_ENDINGS + ("ent", "ant", "al", "ic", "est")


def reads_as_noun(word: str, lexicon: Lexicon) -> bool:
    """Do the pairs have "the `word`" (or "the" before its singular) and none of `_BEFORE_NO_NOUN` before it?"""
    if word.endswith(_NOT_NOUN_ENDINGS) or any(lexicon.bigram(first, word) for first in _BEFORE_NO_NOUN):
        return False
    if lexicon.bigram("the", word):
        return True
    # (weapons: the weapon; not "is", "was" or "glass")
    return len(word) > 3 and word[-1] == "s" and word[-2] != "s" and bool(lexicon.bigram("the", word[:-1]))


def noun_lift(word: str, after: str, lexicon: Lexicon) -> float:
    """log10 of how much less likely a noun-like `after` is after `word` than after any word (0.0: not a noun,
    or no less likely)."""
    share = NOUN_SHARES.get(word)
    if share is None or not reads_as_noun(after, lexicon):
        return 0.0
    return min(0.0, math.log10(max(share, LEAST_SHARE) / NOUN_BASE))


def noun_shares(lexicon: Lexicon, words: Iterable[str]) -> tuple[dict[str, float], float]:
    """NOUN_SHARES for `words`, and NOUN_BASE, computed from the lexicon's pairs (a pass over all of them)."""
    wanted = set(words)
    nouns: dict[str, float] = {}
    totals: dict[str, float] = {}
    all_nouns = all_pairs = 0.0
    noun_like: dict[str, bool] = {}
    for first, second, log_count in lexicon.pairs():
        count = 10.0 ** log_count
        noun = noun_like.get(second)
        if noun is None:
            noun = noun_like[second] = reads_as_noun(second, lexicon)
        all_pairs += count
        all_nouns += count if noun else 0.0
        if first in wanted:
            totals[first] = totals.get(first, 0.0) + count
            nouns[first] = nouns.get(first, 0.0) + (count if noun else 0.0)
    return {w: nouns[w] / totals[w] for w in totals}, all_nouns / all_pairs
