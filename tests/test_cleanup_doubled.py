"""spelling.doubled: a word typed twice is removed; the doublings English means are kept."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions, clean_text


def doubled(text: str) -> tuple[str, list[tuple[str, bool]]]:
    out, edits = clean_text(text, CleanOptions(rules=["spelling.doubled"]))
    return out, [(e.before, e.applied) for e in edits]


FIXED = [
    ("He opened the the door.", "He opened the door."),
    ("The the door was open.", "The door was open."),
    # A past perfect has one "had" before its participle.
    ("Those who had had determined to stay were few.", "Those who had determined to stay were few."),
    # "that that" before a subject or a determiner: one is a slip.
    ("It was the idea that that it was over.", "It was the idea that it was over."),
    ("I knew that that the door was locked.", "I knew that the door was locked."),
    # A pronoun doubled where a clause starts.
    ("Did you you bring the lamp?", "Did you bring the lamp?"),
    ("If it it rains we stay.", "If it rains we stay."),
    # "to" is no particle that meets its preposition: "to to" is a slip, before a noun's words or a
    # name wherever it stands, before a verb unless the first "to" ends a clause whose object moved ahead.
    ("She went to to the market.", "She went to the market."),
    ("I want to to go home.", "I want to go home."),
    ("It was a chore she always left to to Anna.", "It was a chore she always left to Anna."),
    ("He said that they had come to to stay.", "He said that they had come to stay."),
    # A copula doubled with no clause before it that could be its subject.
    ("He was was going home.", "He was going home."),
]

SUGGESTED = [
    # Emphasis in speech.
    "It was very very cold.",
    "“No, really really, I mean it.”",
    # A clause ending in a copula is the subject of the next copula.
    "What it is is a lantern with no wick.",
    "“The only fool I was was when I trusted him,” she said.",
    "“Who they say you are and what you are are not the same,” she said.",
    "Whoever had rung the bell was was gone by the time she opened the door.",
    # A "to" that ends a clause, then an infinitive's "to": its object went ahead (a wh-word, a passive).
    "“Do whatever you have to to get home safe,” she said.",
    "“I won’t be talked to to make me feel better.”",
    # A cleft: "it was that" then the relative.
    "It was that that he had kept in his coat all winter.",
    # An object then a subject: "when I got to it it was gone".
    "When I got to it it was gone.",
    "I tell you you had better run.",
    # A particle, then the same word as a preposition.
    "He came in in the evening.",
    # A causative past perfect whose object a relative moved ahead.
    "She wore the gown that she had had made in the spring.",
    # Numbers read out digit by digit, or a sum: a number word repeats.
    "Her locker code was four four two, she said.",
    "“That comes to six naught naught, sir,” said the clerk.",
    # Calls, sounds and dialect stammers double rarer words than slips do.
    "“Ay ay, captain!” came the shout from the rigging.",
    "“Dey say dat dat ol’ mule won’t pull,” he grumbled.",
]

UNTOUCHED = [
    "He had had enough.",
    "He had had a long day.",
    "He said that that was all.",
    # A pronoun after a preposition, then the conjunction.
    "He never said after that that he was sorry.",
    "It was only in that that she showed her fear.",
    # A word with a letter beyond ASCII is one word ("an anæmic man").
    "He was an anæmic little man with flaxen hair.",
    # A name that doubles.
    "They sailed to Bora Bora in June.",
    # Runs of three are meant.
    "“No no no!” she cried.",
    # Elisions and compounds.
    "’Tis tis the season, well-well.",
]


@pytest.mark.parametrize(("before", "after"), FIXED)
def test_slips_are_fixed(before: str, after: str) -> None:
    assert doubled(before)[0] == after


@pytest.mark.parametrize("text", SUGGESTED)
def test_doubles_that_may_be_meant_are_suggested(text: str) -> None:
    out, edits = doubled(text)
    assert out == text
    assert edits and not any(applied for _, applied in edits)


@pytest.mark.parametrize("text", UNTOUCHED)
def test_meant_doubles_are_left_alone(text: str) -> None:
    assert doubled(text) == (text, [])


# A stream of consciousness written without a mark: a repeated word stands where a comma would.
_STREAM = (
    "and then I thought well why not go down to the harbour again and see the boats come in the way "
    "we used to when the evenings were long and nobody minded how late it got and the lamps along the "
    "wall were lit one after another and he said he would wait for me by the steps and I said I might "
    "and I might not and why why would he think I would come running every time he whistled for me "
    "like a dog and still I went down in the end because the night was warm and the tide was high"
)


def test_a_doubled_word_in_prose_without_punctuation_is_only_suggested() -> None:
    assert doubled(_STREAM) == (_STREAM, [(" why", False)])


def test_the_same_double_in_punctuated_prose_is_fixed() -> None:
    text = "He said he would wait for me by the steps. And why why would he think I would come?"
    assert doubled(text) == (text.replace("why why", "why"), [(" why", True)])


# What could set the bytes the unit-finding scan reads apart from what _DOUBLED reads: case, the
# white space \s is, marks and digits around a word, characters beyond ASCII, unit breaks.
_PIECES = ["the", "The", "THE", "a", "to", " ", "  ", "\n", "\t", "\x0b", ".", ",", "_", "3", "é", "\u212a", "k",
           "\u2019", "'", "-", "\u00a0", "\x1c", "\ud800", "\u017f", "s", "\u0130", "i", "\u201c"]


def test_the_scan_for_units_with_pairs_finds_every_unit_a_pair_is_in() -> None:
    import random

    from storybinder.cleanup.doubled import _DOUBLED, _units_with_pairs

    rng = random.Random(1)
    for _ in range(300):
        units = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 12))) for _ in range(rng.randint(1, 150))]
        found = set(_units_with_pairs(units))
        assert {u for u, text in enumerate(units) if _DOUBLED.search(text)} <= found
