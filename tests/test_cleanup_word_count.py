"""count_words counts as Counter(text.split()) does, stretch by stretch."""

from collections import Counter

import pytest

from storybinder.cleanup import word_count
from storybinder.cleanup.word_count import count_words


@pytest.mark.parametrize("text", ["", " ", "word", "  two  words ", "a b a\nc\td a", "x" * 50 + " y"])
def test_counts_as_split(text: str) -> None:
    assert count_words(text) == (Counter(text.split()), len(text.split()))


def test_stretches_cut_no_word(monkeypatch: pytest.MonkeyPatch) -> None:
    # Stretches of a few characters: every cut falls among words of every length.
    monkeypatch.setattr(word_count, "STRETCH", 3)
    text = " ".join(["a", "bb", "ccc", "dddd", "a", "bb", "eeeee", "  ", "ccc", "x"] * 7) + "  tail"
    assert count_words(text) == (Counter(text.split()), len(text.split()))
