"""cleanup.layout: plain text cut into layout and paragraph pieces, and joined back byte for byte."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storybinder.cleanup.layout import split_layout

# One paragraph a line (the layout of most exports): each paragraph is its line without the
# spaces around it; everything else, line breaks included, is layout.
LINE_CASES = [
    ("", [""]),
    (" \n\t\n", [" \n\t\n"]),
    ("One line.", ["", "One line.", ""]),
    ("  Set in.  \n\nNext one.\r\n", ["  ", "Set in.", "  \n\n", "Next one.", "\r\n"]),
    # Spaces beyond ASCII are spaces at a line's ends and text inside it.
    ("\u3000Wide\u00a0space\u2003\n\x0cFeed", ["\u3000", "Wide\u00a0space", "\u2003\n\x0c", "Feed", ""]),
    # A line separator that is not a line break stays inside its paragraph.
    ("first\u2028second\nthird", ["", "first\u2028second", "\n", "third", ""]),
]


@pytest.mark.parametrize(("text", "pieces"), LINE_CASES)
def test_one_paragraph_a_line(text: str, pieces: list[str]) -> None:
    assert split_layout(text).pieces == pieces


@given(st.text(alphabet="ab \n\r\t\x0b\x0c\x1c\x85\u00a0\u2028\u3000\u00e9"))
def test_the_pieces_join_back_and_each_paragraph_is_a_stripped_line(text: str) -> None:
    layout = split_layout(text)
    assert "".join(layout.pieces) == text
    assert all(not piece.strip() for piece in layout.pieces[0::2])
    lines = text.split("\n")
    if all(line.strip() for line in lines[1:-1]):  # no blank line between paragraphs: one a line
        assert layout.paragraphs == [line.strip() for line in lines if line.strip()]
