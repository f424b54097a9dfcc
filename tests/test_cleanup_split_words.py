"""cleanup.split_words: a word broken in two by a stray space is written whole again."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions, clean_text
from storybinder.cleanup.dictionary import load_lexicon
from storybinder.cleanup.split_words import rejoined

# A paragraph of ordinary prose first: a story of one short line has too few words to judge.
PROSE = (
    "The rain had stopped by the time they reached the bridge, and the river ran high and brown "
    "under it. Nobody spoke for a while. They watched the water and the birds on the far bank, "
    "and then they walked on toward the town, where the lamps were being lit one by one.\n\n"
)


def spelling(text: str) -> str:
    return clean_text(PROSE + text, CleanOptions(rules=["spelling"]))[0][len(PROSE) :]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("He cut a sq uare hole in the lid.", "He cut a square hole in the lid."),  # both halves odd
        ("It was a beau tiful morning.", "It was a beautiful morning."),  # the first half a word
        ("They were diffe rent from us.", "They were different from us."),  # ...the second
        ("The peo ple of the valley came.", "The people of the valley came."),
        ("Peo ple came from the hills.", "People came from the hills."),  # the capital kept
        # The space typed a letter early or late: two common words the pairs know side by side.
        ("Then sh eturned away from the window.", "Then she turned away from the window."),
        ("She lookeda t him for a long time.", "She looked at him for a long time."),
    ],
)
def test_a_word_split_by_a_space_is_rejoined(typed: str, meant: str) -> None:
    assert spelling(typed) == meant


@pytest.mark.parametrize(
    "text",
    [
        "She said the uare was an old word.",  # a fragment as common as "the" is a word of its own
        "It was sq Uare and nothing else.",  # a capital inside: no word is written so
        "The well-sq uare stood empty.",  # a fragment joined by a hyphen is no half
    ],
)
def test_halves_that_are_no_split_word_are_not_joined(text: str) -> None:
    lexicon = load_lexicon()
    start = text.lower().index("uare")
    assert rejoined(text, start, start + 4, lexicon) is None


@pytest.mark.parametrize(
    ("text", "odd"),
    [
        ("He knew the ins and outs of the trade.", "ins"),  # a word people write: no "in sand"
        ("It was the munder of the old man.", "munder"),  # beside a common word: a slip of murder
    ],
)
def test_a_space_is_not_moved_where_the_words_stand_as_written(text: str, odd: str) -> None:
    start = text.index(odd)
    assert rejoined(text, start, start + len(odd), load_lexicon()) is None


def test_rejoined_spans_both_halves() -> None:
    text = "his sq uare cutting"
    start = text.index("uare")
    found = rejoined(text, start, start + 4, load_lexicon())
    assert found is not None and text[found.start : found.end] == "sq uare" and found.word == "square"
