"""Golden cases for punctuation.dash_stop and punctuation.comma_capital."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions, clean_text

LD, RD, EM = "\u201c", "\u201d", "\u2014"


def punctuation(text: str) -> str:
    return clean_text(text, CleanOptions(rules=["dashes", "ellipsis", "quotes", "punctuation"]))[0]


DASH_STOP = [
    ('"If you would only listen, just---."', f"{LD}If you would only listen, just{EM}{RD}"),
    ('"If you would only listen, just--."', f"{LD}If you would only listen, just{EM}{RD}"),
    (f"{LD}If you would only listen, just{EM}.{RD}", f"{LD}If you would only listen, just{EM}{RD}"),
    ("He had meant to say more, but\u2014.", "He had meant to say more, but\u2014"),
]
DASH_LEFT = [
    f"{LD}Wait{EM}\u2026{RD}",  # a dash then an ellipsis: a pause, not a slip
    f"{LD}Wait{EM}...{RD}",
    f"The years 1914{EM}. Then peace.",  # (a stop in mid-paragraph, not before a closer)
    f"Harbour Street, June 3rd, 18{EM}.",  # an elided year: the dateline of a letter
    f"{LD}Lisbon, May 12th, 17{EM}.{RD}",
    f"It was told me by Mr. B{EM}.",  # an elided name
]
COMMA_CAPITAL = [
    ("Her teacher, Mistress Avel, The keeper of the seals, had gone.",
     "Her teacher, Mistress Avel, the keeper of the seals, had gone."),
    ("He ran home, And then he slept.", "He ran home, and then he slept."),
]
COMMA_LEFT = [
    # A title or a name after the comma keeps its capital.
    "Read the first chapter of my serial, In the Hall of Lanterns, on my blog.",
    "She curtsied to her aunt, The Duchess of Ware, and sat down.",
    "His favourite book, The Hobbit, was on the shelf.",  # a title: the next word is a capital too
    "She thought, The door is open.",  # a thought quoted after its verb
    "The question is, Who opened it?",
    "\u201cYes, sir, A dog. A big dog, too.\u201d",
    "All I remember of the fair are, That the band played and we were sent home early.",
    "As His disciple I follow His pure, His merciful teaching.",  # a deity's capital
    "We went to Paris, London, and Rome.",
    # Articles of a list, each numbered: `1st, The ferryman shall`.
    f"{LD}1st, The ferryman shall not leave the landing without our licence.{RD}",
    f"{LD}3d, The said ferryman shall keep to the river.{RD}",
    "2. The tolls, (a) The fare for a cart shall be a penny.",
    # Verse run into one line keeps the capital of every line.
    "The wind was high upon the hill, And all the wood Did sway and sigh.",
    # ...hard-wrapped, a line of the poem starting a line of the text.
    "We sang of lanterns burning low, Of roads that wind Through rain and snow, And home at last.",
    # A song quoted in prose: the line before opens with a capital of its own.
    "His rule was ever, Mend your nets, Keep your powder dry, And trust the tide.",
    # Two lines of a song rejoined into one paragraph, each with its capital.
    "\u201cWe have swept the hearth and lit the lamp, The kettle is on the hob, We cannot sit, you know.\u201d",
    # An inscription or a song's source in capitals: no prose rule for its capitals.
    "SACRED TO THE MEMORY of the crew, Who sailed from this harbour, And were seen no more.",
    f"{LD}So sing it loud, my boys, and pull together, While the old moon is rising!{RD} {EM}A SAILORS\u2019 SONG.",
]


@pytest.mark.parametrize(("before", "after"), DASH_STOP)
def test_a_stop_after_the_breaking_dash_goes(before: str, after: str) -> None:
    assert punctuation(before) == after


@pytest.mark.parametrize("text", DASH_LEFT)
def test_other_stops_after_a_dash_stay(text: str) -> None:
    out = punctuation(text)
    assert out.count(".") + out.count("\u2026") * 3 == text.count(".") + text.count("\u2026") * 3


@pytest.mark.parametrize(("before", "after"), COMMA_CAPITAL)
def test_a_capital_after_a_comma_is_lowered(before: str, after: str) -> None:
    assert punctuation(before) == after


@pytest.mark.parametrize("text", COMMA_LEFT)
def test_capitals_that_belong_stay(text: str) -> None:
    assert punctuation(text) == text


def test_verse_in_hard_wrapped_prose_keeps_its_capitals() -> None:
    # Gutenberg-style paragraphs: a line of the song starts a line of the text.
    text = (
        "The old man hummed as he worked the nets, and the tune went\n"
        "round the harbour all that evening long.\n\n"
        "We sang of lanterns burning low, Of roads that wind\n"
        "Through rain and snow, And home at last.\n"
    )
    assert punctuation(text) == text
