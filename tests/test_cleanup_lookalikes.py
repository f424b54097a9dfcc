"""Golden cases for unicode.lookalikes: Cyrillic and Greek letters hiding inside Latin words."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions, clean_text


def lookalikes(text: str) -> str:
    return clean_text(text, CleanOptions(rules=["unicode.lookalikes"]))[0]


FIXED = [
    ("The k\u0435ttle was on.", "The kettle was on."),  # Cyrillic е
    ("\u0421ats sleep all day.", "Cats sleep all day."),  # Cyrillic capital С opening the word
    ("She w\u0430s t\u043e\u043e tired.", "She was too tired."),  # several in one paragraph
    ("It was a m\u03bfment of calm.", "It was a moment of calm."),  # Greek omicron
    ("I d\u043en\u2019t know.", "I don\u2019t know."),  # a word with an apostrophe
    ("Such na\u0457vet\u00e9 in a grown man.", "Such na\u00efvet\u00e9 in a grown man."),  # ї is і with a diaeresis
    ("He said it was \u0445-rays.", "He said it was \u0445-rays."),  # (alone, the х is a word of its own)
]
LEFT = [
    "They flew to \u041c\u043e\u0441\u043a\u0432\u0430 in the spring.",  # a Russian word in English text
    "The word \u03bb\u03cc\u03b3\u03bf\u03c2 meant reason to them.",  # a Greek word
    "The \u03b1 particles and the \u03b2 rays.",  # Greek letters used as letters
    "\u041e\u043d\u0430 \u0441\u043a\u0430\u0437\u0430\u043b\u0430: \u043f" + "p\u0438\u0432\u0435\u0442, \u043c\u0438\u0440.",
    # a Cyrillic passage (a Latin p inside a Cyrillic word is not ours to change)
    "A gap of 5 \u00b5m between them.",  # the micro sign is no Greek letter
    "The city of \u0414ublin.",  # Д looks like no Latin letter
]


@pytest.mark.parametrize(("before", "after"), FIXED)
def test_lookalike_letters_become_latin(before: str, after: str) -> None:
    assert lookalikes(before) == after


@pytest.mark.parametrize("text", LEFT)
def test_words_in_their_own_script_are_left_alone(text: str) -> None:
    assert lookalikes(text) == text


def test_each_letter_is_an_edit_naming_what_it_was() -> None:
    out, edits = clean_text("h\u0435ll\u043e", CleanOptions(rules=["unicode.lookalikes"]))
    assert out == "hello"
    assert [(e.before, e.after, e.applied) for e in edits] == [("\u0435", "e", True), ("\u043e", "o", True)]
    assert "cyrillic small letter ie" in edits[0].message


def test_a_lookalike_is_found_far_into_a_long_story() -> None:
    # Paragraphs are looked at in blocks: the slip is in the hundredth, after plain and accented ones.
    paragraphs = [f"Plain paragraph {i}, caf\u00e9 and all." for i in range(150)]
    paragraphs[99] = "She said h\u0435llo."  # Cyrillic е
    out, edits = clean_text("\n\n".join(paragraphs), CleanOptions(rules=["unicode.lookalikes"]))
    assert [(e.block, e.before, e.after) for e in edits] == [(99, "\u0435", "e")]
    assert out.split("\n\n")[99] == "She said hello."
