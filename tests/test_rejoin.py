"""Rejoining hard-wrapped lines: hyphens that belong to the word stay, hyphens that split it go."""

from __future__ import annotations

import pytest

from storybinder.readers.rejoin import Rejoiner
from storybinder.readers.txt import parse_text


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["It was a well-", "known fact."], "It was a well-known fact."),
        (["It was a beau-", "tiful day."], "It was a beautiful day."),
        (["the out-of-the-", "way places"], "the out-of-the-way places"),
        (["an Anglo-", "Saxon king"], "an Anglo-Saxon king"),
        (["and then--", "nothing"], "and then--nothing"),
        (["and then —", "nothing"], "and then — nothing"),
        (["farm -", "hands"], "farm - hands"),
    ],
)
def test_line_end_hyphens(lines, joined):
    assert Rejoiner("\n".join(lines)).join(lines) == joined


def test_the_book_s_own_spelling_decides():
    # A book that writes to-day keeps it when the line breaks there; one that writes today joins it.
    old = "He came to-day and left to-day.\nHe will come again to-\nday."
    new = "He came today and left today.\nHe will come again to-\nday."
    assert Rejoiner(old).join(["He will come again to-", "day."]) == "He will come again to-day."
    assert Rejoiner(new).join(["He will come again to-", "day."]) == "He will come again today."


def test_spaced_hyphens_left_by_an_earlier_rejoining_are_mended_when_asked():
    text = "the rattlesnake-skin was there\nit was some more work of the rattlesnake- skin, and farm- and field-work"
    line = text.split("\n")[1]
    assert Rejoiner(text, mend_spaced=True).join([line]) == "it was some more work of the rattlesnake-skin, and farm- and field-work"
    assert Rejoiner(text).join([line]) == line


def test_the_txt_reader_rejoins_with_hyphens():
    text = (
        "The ferry left from a well-\nknown landing below the mill, and the\nview from it was beau-\ntiful in the morning.\n\n"
        "The second para-\ngraph went on about\nthe ferryman and his\nhabit of counting twice.\n"
    )
    paras = [b.text for b in parse_text(text).chapters[0].blocks]
    assert paras == [
        "The ferry left from a well-known landing below the mill, and the view from it was beautiful in the morning.",
        "The second paragraph went on about the ferryman and his habit of counting twice.",
    ]
