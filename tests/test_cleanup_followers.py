"""cleanup.followers: how often a word goes on with a noun, the estimate spelling.realword uses for a pair the list lacks."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions, clean_text
from storybinder.cleanup.dictionary import load_lexicon
from storybinder.cleanup.followers import NOUN_BASE, NOUN_SHARES, noun_lift, noun_shares, reads_as_noun


def realword(text: str) -> tuple[str, list[tuple[str, str, bool]]]:
    out, edits = clean_text(text, CleanOptions(rules=["spelling.realword"]))
    return out, [(e.before, e.after, e.applied) for e in edits]


def test_the_shares_are_the_lexicons() -> None:
    shares, base = noun_shares(load_lexicon(), NOUN_SHARES)
    assert base == pytest.approx(NOUN_BASE, abs=0.001)
    assert shares == pytest.approx(NOUN_SHARES, abs=0.001)


NOUNS = ["weapons", "tails", "flag", "doors"]
NOT_NOUNS = [
    "free", "long", "later",  # seen after "is", "so" or "very"
    "magnificent", "curious",  # adjectives the pairs have seen only after "the"
    "lies", "stands",  # verbs ("he lies")
    "was",  # no plural of "wa"
]


@pytest.mark.parametrize("word", NOUNS)
def test_nouns_read_as_nouns(word: str) -> None:
    assert reads_as_noun(word, load_lexicon())


@pytest.mark.parametrize("word", NOT_NOUNS)
def test_other_words_do_not(word: str) -> None:
    assert not reads_as_noun(word, load_lexicon())


def test_a_noun_is_less_likely_after_there() -> None:
    lexicon = load_lexicon()
    assert noun_lift("their", "weapons", lexicon) == 0.0 > noun_lift("there", "weapons", lexicon)  # never for one
    assert noun_lift("there", "later", lexicon) == 0.0  # no noun: no estimate
    assert noun_lift("is", "weapons", lexicon) == 0.0  # a word of the class's own definition


FIXED = [
    # A pair the list lacks ("there tails"): the noun after it counts against "there".
    ("The dogs began to wag there tails at him.", "The dogs began to wag their tails at him."),
]
# ...and where the words before say less, it is a suggestion at least (it was none).
SUGGESTED = [
    "The soldiers lowered there weapons slowly.",
    "The men went round there doors one by one.",
    "They had clinched there testimony.",
]
UNTOUCHED = [
    "I was there yesterday.",
    "Out there people are dying.",
    "Put it there yourself.",
    "There men were waiting for us.",
    "None were free.",
    "I hear they're magnificent animals.",
    "She became once more their familiar guest.",
    "I know it's policy, but the thing is, it's late.",
    "Tell us the truth, for there lies your only hope.",
]


@pytest.mark.parametrize(("before", "after"), FIXED)
def test_possessives_before_a_noun_are_fixed(before: str, after: str) -> None:
    assert realword(before)[0] == after


@pytest.mark.parametrize("text", SUGGESTED)
def test_a_possessive_before_a_noun_is_suggested(text: str) -> None:
    out, edits = realword(text)
    assert out == text
    assert edits == [("there", "their", False)]


@pytest.mark.parametrize("text", UNTOUCHED)
def test_right_words_are_left_as_they_are(text: str) -> None:
    assert realword(text)[0] == text
