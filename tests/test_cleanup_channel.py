"""The noisy-channel model's parts: the error model ranks slips as people make them."""

from __future__ import annotations

import pytest

from storybinder.cleanup.channel import ErrorModel, candidates, edit_distance, posterior, slip_logp
from storybinder.cleanup.dictionary import load_lexicon, skeleton

MODEL = ErrorModel()


@pytest.mark.parametrize(
    ("typed", "intended", "kind"),
    [
        ("teh", "the", "swap"),
        ("froom", "from", "doubled"),
        ("litle", "little", "dropped_double"),
        ("cornwr", "corner", "near_key"),
        ("seperate", "separate", "vowel"),
        ("bigining", "beginning", "by_ear"),
    ],
)
def test_each_slip_is_recognised(typed: str, intended: str, kind: str) -> None:
    expected = getattr(MODEL, kind)
    if kind == "by_ear":
        expected += (edit_distance(typed, intended) - 1) * MODEL.per_extra_edit
    assert slip_logp(typed, intended, MODEL) == pytest.approx(expected)


def test_common_slips_are_likelier_than_arbitrary_ones() -> None:
    assert slip_logp("teh", "the", MODEL) > slip_logp("tqe", "the", MODEL)  # swap beats a far key
    assert slip_logp("cornwr", "corner", MODEL) > slip_logp("cornqr", "corner", MODEL)  # w is beside e


def test_misspellings_by_ear_find_their_word() -> None:
    lexicon = load_lexicon()
    assert skeleton("bigining") == skeleton("beginning")
    assert "beginning" in candidates("bigining", lexicon)
    assert "immediate" in candidates("imeddiate", lexicon)
    # ...dropping letters only of a long word (probly: probably); "beeb" and "momey" are
    # misspellings of "been" and "money", never of "be" or "my".
    assert "probably" in candidates("probly", lexicon)
    assert {"been"} <= candidates("beeb", lexicon) and not {"be", "by"} & candidates("beeb", lexicon)
    assert "money" in candidates("momey", lexicon) and not {"me", "my", "may"} & candidates("momey", lexicon)


def test_posterior_weighs_the_word_as_typed() -> None:
    # Two candidates as likely as the word itself: a third each.
    ranked = posterior([(0.0, "a"), (0.0, "b")], 0.0)
    assert [round(p, 3) for p, _ in ranked] == [0.333, 0.333]
    assert posterior([(3.0, "x")], 0.0)[0][0] > 0.99


def _table_distance(a: str, b: str) -> int:
    """The optimal string alignment distance by the full table: what edit_distance must agree with."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("", "", 0), ("", "abc", 3), ("abc", "", 3), ("teh", "the", 1), ("ca", "abc", 3), ("abcd", "badc", 2),
     ("bigining", "beginning", 2), ("kitten", "sitting", 3), ("ab", "ba", 1), ("a", "a", 0), ("naïve", "naive", 1)],
)
def test_edit_distance_counts_a_swap_as_one_edit(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance == _table_distance(a, b)


def test_edit_distance_agrees_with_the_table() -> None:
    import random

    rng = random.Random(7)
    for alphabet in ("ab", "abc", "abcdefghijklmnopqrstuvwxyz"):
        for _ in range(2000):
            a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
            b = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
            assert edit_distance(a, b) == _table_distance(a, b), (a, b)
    long_a, long_b = "ab" * 40 + "c", "ba" * 41  # longer than a machine word
    assert edit_distance(long_a, long_b) == _table_distance(long_a, long_b)


def test_one_slip_away_finds_every_single_edit_in_the_word_list() -> None:
    from storybinder.cleanup.channel import one_slip_away

    letters = "abcdefghijklmnopqrstuvwxyz"

    def edits(word: str) -> set[str]:  # Norvig's edits1, the plain way
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        return ({a + b[1:] for a, b in splits if b} | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
                | {a + c + b[1:] for a, b in splits if b for c in letters} | {a + c + b for a, b in splits for c in letters})

    known = frozenset("the then than they them tea ten hen hat that this cat cart care act a an at".split())
    for word in ["teh", "thn", "hte", "thenn", "ct", "caer", "a", "", "xyz", "that"]:
        assert one_slip_away(word, known) == (edits(word) & known) - {word}, word
