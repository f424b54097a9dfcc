"""The joined story's helpers: blocks and joined_blocks read as the story joined, units_holding finds the units."""

import re

import pytest

from storybinder.cleanup import joined
from storybinder.cleanup.joined import blocks, join_units, joined_blocks, units_holding, units_matching

UNITS = ["One  two.", "", "Three\tfour", "five", "six  seven", "eight", "nine"]


@pytest.mark.parametrize("size", [1, 2, 3, 64])
def test_blocks_are_the_story_joined(size: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(joined, "BLOCK", size)
    assert "\n".join(blocks(UNITS)) == "\n".join(UNITS)
    assert "\x00".join(blocks(UNITS, "\x00")) == "\x00".join(UNITS)
    story = join_units(UNITS)
    for first, block in joined_blocks(UNITS):
        for k, start in enumerate(block.starts):
            # Each block's unit k is the story's unit first + k, where the story has it.
            assert block.text[start : start + len(UNITS[first + k])] == UNITS[first + k]
            assert story.text.startswith(UNITS[first + k], story.starts[first + k])
            assert block.unit_at(start) == k
    assert [first for first, _ in joined_blocks(UNITS)] == list(range(0, len(UNITS), size))
    assert list(blocks([])) == [] and list(joined_blocks([])) == []


def test_units_holding_finds_each_unit_once_in_order() -> None:
    assert units_holding(UNITS, ("  ", "\t")) == [0, 2, 4]
    assert units_holding(UNITS, ("q",)) == []


@pytest.mark.parametrize("size", [1, 2, 64])
def test_units_matching_finds_each_unit_once_in_order(size: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(joined, "BLOCK", size)
    pattern = re.compile(r"[a-z]+ [a-z]+")  # two words: twice in unit 4, never over a line break
    assert units_matching(pattern, ["one two", "three", "", "Four", "six seven eight nine"]) == [0, 4]
    assert units_matching(pattern, []) == []
