"""stretches cuts a text only at spaces; count_words counts as Counter(text.split()) does."""

from collections import Counter

import pytest

from storybinder.cleanup import stretches as module
from storybinder.cleanup.bare_contractions import ascii_lowered
from storybinder.cleanup.stretches import count_words, stretches

TEXTS = ["", " ", "word", "  two  words ", "a b a\nc\td a", "x" * 50 + " y", "Ünïcödé “Quotes” and İ \ud800\udc00 x"]


@pytest.fixture(params=[module.STRETCH, 1, 3])
def stretch(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    # Stretches of a few characters: cuts fall among words of every length.
    monkeypatch.setattr(module, "STRETCH", request.param)
    return int(request.param)


@pytest.mark.parametrize("text", TEXTS + [" ".join(["a", "bb", "ccc", "dddd", "  ", "eeeee\n"] * 7) + "  tail"])
def test_stretches_cut_only_at_spaces(text: str, stretch: int) -> None:
    pieces = list(stretches(text))
    assert "".join(pieces) == text
    assert all(p.startswith(" ") for p in pieces[1:])
    assert count_words(text) == (Counter(text.split()), len(text.split()))


@pytest.mark.parametrize("text", TEXTS)
def test_lowered_by_stretches_as_whole(text: str, stretch: int) -> None:
    whole = text.encode("utf-16-le", "surrogatepass").lower().decode("utf-16-le", "surrogatepass")
    assert ascii_lowered(text) == (text.lower() if text.isascii() else whole)
