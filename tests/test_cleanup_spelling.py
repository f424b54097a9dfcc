"""Golden cases for spelling.doubled and spelling.common; the story's own words survive."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions, clean_text


def spell(text: str, words: tuple[str, ...] = ()) -> str:
    return clean_text(text, CleanOptions(rules=["spelling"], words=words))[0]


DOUBLED = [
    # A word typed twice.
    ("He opened the the door.", "He opened the door."),
    # Across a capital at the start of a sentence.
    ("The the door was open.", "The door was open."),
    # "had had" and "that that" are good English.
    ("He had had enough.", "He had had enough."),
    ("He said that that was all.", "He said that that was all."),
    # Emphatic repetition is only suggested.
    ("It was very very cold.", "It was very very cold."),
]

MISSPELT = [
    # A swapped pair of letters.
    ("She could scarceyl see.", "She could scarcely see."),
    # A doubled letter.
    ("He came froom the house.", "He came from the house."),
    # A neighbouring key.
    ("He stood in the cornwr of the room.", "He stood in the corner of the room."),
    # A dropped letter in a long word, the only word it can be.
    ("He sat listlesly by the fire.", "He sat listlessly by the fire."),
    # A typo in a fimfiction seed: shivering with "coled".
    ("He replied, shivering with coled.", "He replied, shivering with cold."),
    # A doubled letter that happens to read as prefix + word (un + till).
    ("She waited untill the pain passed.", "She waited until the pain passed."),
]

UNTOUCHED = [
    # Invented names (capitalised inside a sentence).
    "They rode to Ponyville to see Cadance.",
    # Dialect with elisions.
    "I ain’t goin’ to tell ’em becuz they’ll laugh.",
    # Period spellings.
    "He despatched the letter and quitted the room to-day.",
    # Rare real words and derived forms.
    "There were knockings on the table, and the raciest tales.",
    # Compounds of dictionary words, inflections of rare words.
    "He put the rake in the toolhouse and thanked the ostlers.",
    # A foreign phrase.
    "We were a partie carrée that evening.",
]


@pytest.mark.parametrize(("before", "after"), DOUBLED + MISSPELT)
def test_fixes(before: str, after: str) -> None:
    assert spell(before) == after


@pytest.mark.parametrize("text", UNTOUCHED)
def test_the_authors_words_survive(text: str) -> None:
    assert spell(text) == text


def test_words_that_recur_in_the_story_are_the_authors() -> None:
    text = "The wuzzle came.\n\nAnother wuzzle came."
    assert spell(text) == text


def test_project_words_are_correct() -> None:
    assert spell("He bought a scarceyl.", words=("scarceyl",)) == "He bought a scarceyl."


def test_an_ambiguous_slip_is_a_suggestion() -> None:
    out, edits = clean_text("It was tme to go.", CleanOptions(rules=["spelling"]))
    assert out == "It was tme to go."
    assert any(e.rule == "spelling.common" and not e.applied for e in edits)


def test_a_british_text_gets_no_american_spelling() -> None:
    text = "The colour of the sea matched the collor of her eyes."
    out, edits = clean_text(text, CleanOptions(rules=["spelling"]))
    assert out == text
    assert [(e.before, e.after, e.applied) for e in edits] == [("collor", "color", False)]


def test_a_doubled_word_across_a_line_break_keeps_the_line_break() -> None:
    text = "He opened the\nthe door slowly, and then he went in to look\nat it.\n\n" * 3
    out = spell(text)
    assert out.count("\n") == text.count("\n")
    assert "opened the\n" not in out and "opened\nthe door" in out


def test_a_text_in_another_language_gets_no_spelling_edits() -> None:
    text = "Il était une fois une petite fille qui allait voir sa grand-mère dans la forêt. " * 20
    assert clean_text(text, CleanOptions(rules=["spelling"]))[1] == []


def test_a_keyboard_smash_is_left_alone() -> None:
    text = "He typed " + "a" * 5000 + " and stopped."
    assert spell(text) == text
