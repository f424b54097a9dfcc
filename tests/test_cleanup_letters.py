"""cleanup.letters: how English-like a string of letters is."""

from __future__ import annotations

import pytest

from storybinder.cleanup.dictionary import load_lexicon
from storybinder.cleanup.letters import build_table, letters_logp


@pytest.mark.parametrize(
    ("plain", "strange"),
    [
        ("irreproachable", "irrreproachable"),  # three r's
        ("shedding", "sheddihg"),
        ("decidedly", "dceidedly"),
        ("went", "wnt"),  # no vowel
    ],
)
def test_slips_read_less_like_english_than_their_words(plain: str, strange: str) -> None:
    lexicon = load_lexicon()
    assert lexicon.letters_logp(strange) < lexicon.letters_logp(plain) - 1.0


def test_dialect_spelled_as_it_sounds_reads_like_english() -> None:
    lexicon = load_lexicon()
    # Within a decade of a real word of the same length.
    assert abs(lexicon.letters_logp("hunderd") - lexicon.letters_logp("hundred")) < 1.0
    assert abs(lexicon.letters_logp("tolable") - lexicon.letters_logp("notable")) < 1.0


def test_a_small_table_counts_what_it_saw() -> None:
    table = build_table(["ab", "ab", "ac"])
    # After the start, "a" always came first; "b" follows "^a" twice as often as "c".
    assert letters_logp("ab", table) > letters_logp("ac", table) > letters_logp("ad", table)
    # A context the table never saw (two letters that never met) is rarer still.
    assert letters_logp("zq", table) < letters_logp("ad", table)
