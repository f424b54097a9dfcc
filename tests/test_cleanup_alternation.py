"""cleanup.alternation: a factored alternation matches exactly the words it was built from."""

from __future__ import annotations

import re

from storybinder.cleanup.alternation import alternation

WORDS = ["ran", "rang", "rose", "rode", "went", "wore", "a", "an", "and", "Cadance", "Cadence", "x.y"]


def test_each_word_matches_whole_and_nothing_else_does() -> None:
    pattern = re.compile(rf"(?:{alternation(WORDS)})\Z")
    for word in WORDS:
        assert pattern.match(word), word
    for other in ["ra", "rangs", "ro", "wen", "anda", "Cadnce", "xzy", "", "r"]:
        assert not pattern.match(other), other


def test_the_longest_word_is_taken_where_a_shorter_one_is_its_beginning() -> None:
    assert re.match(alternation(["an", "and", "a"]), "andes").group() == "and"
