"""Golden cases for quotes.unbalanced: missing and stray quotation marks."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions, clean_text

LD, RD = "\u201c", "\u201d"


def repair(text: str) -> str:
    return clean_text(text, CleanOptions(rules=["quotes"]))[0]


CASES = [
    # Missing closing quote at the end of a dialogue paragraph followed by narration.
    ('"I should be better able to advise you.\n\nThe man sprang up.',
     f"{LD}I should be better able to advise you.{RD}\n\nThe man sprang up."),
    # Missing opening quote before a closer and a speech tag.
    ('You had my note?" he asked.', f"{LD}You had my note?{RD} he asked."),
    # Missing opening quote, speech continues after the tag.
    ('Please your Majesty," said the Knave, "I didn\'t write it."',
     f"{LD}Please your Majesty,{RD} said the Knave, {LD}I didn\u2019t write it.{RD}"),
    # A stray mark with spaces on both sides in narration.
    ('He held up a piece of " white cardboard.', "He held up a piece of white cardboard."),
    # A lone closer after plain narration is a stray.
    ("He looked at her and she smiled, and they went home together as the sun set.\"",
     "He looked at her and she smiled, and they went home together as the sun set."),
    # Multi-paragraph speech: the first paragraph legitimately stays open.
    ('"The first part of my story.\n\n"And the second part."',
     f"{LD}The first part of my story.\n\n{LD}And the second part.{RD}"),
    # A closer after a spaced dash is not a stray.
    ('"Well \u2014 " he began.', f"{LD}Well \u2014 {RD} he began."),
    # Balanced dialogue is untouched.
    ('"Yes," she said. "No."', f"{LD}Yes,{RD} she said. {LD}No.{RD}"),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_repair(before: str, after: str) -> None:
    assert repair(before) == after


def test_last_paragraph_of_a_quoted_letter_is_only_a_suggestion() -> None:
    text = '"Dear Jo,\n\n"We sailed up the river and it was lovely.\n\nShe put the letter down.'
    out, edits = clean_text(text, CleanOptions(rules=["quotes"]))
    assert out == text.replace('"', LD)
    assert [e for e in edits if e.rule == "quotes.unbalanced" and not e.applied]


def test_an_unclear_missing_opener_is_suggested_not_applied() -> None:
    text = 'Pretty well. It passes the time."'
    out, edits = clean_text(text, CleanOptions(rules=["quotes"]))
    assert out == f"Pretty well. It passes the time.{RD}"
    suggestion = [e for e in edits if not e.applied]
    assert suggestion and suggestion[0].after == LD


def test_an_unclosed_opener_in_mid_sentence_is_only_a_suggestion() -> None:
    # It may be a stray mark rather than a speech that lost its end.
    text = 'He held up a piece of "white cardboard about the size of a sheet of notepaper.'
    out, edits = clean_text(text, CleanOptions(rules=["quotes"]))
    assert not out.endswith(RD)
    assert any(e.rule == "quotes.unbalanced" and not e.applied for e in edits)


def test_verse_quoted_over_two_paragraphs_is_left_alone() -> None:
    text = '"Twinkle, twinkle, little star,\n\nHow I wonder what you are!" she sang.'
    out, edits = clean_text(text, CleanOptions(rules=["quotes"]))
    assert out == f"{LD}Twinkle, twinkle, little star,\n\nHow I wonder what you are!{RD} she sang."
    assert all(not e.applied for e in edits if e.rule == "quotes.unbalanced")


def test_a_closer_ending_a_long_quotation_is_not_removed() -> None:
    letter = (
        '"Dear Jo, we sailed up the river today and saw the old castles on the hills, and the '
        "boatmen sang all the way, and I thought of you at home with the others."
    )
    text = letter + '\n\nHe was there and she was there, and they had all gone home at last."'
    out, edits = clean_text(text, CleanOptions(rules=["quotes"]))
    assert out.endswith(RD)
    assert all(not e.applied for e in edits if e.rule == "quotes.unbalanced")
