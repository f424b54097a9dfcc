"""spelling.participle: the past typed for the participle after have ("had ran") is fixed; what print allows stays."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions, clean_text


def participle(text: str) -> tuple[str, list[tuple[str, str, bool]]]:
    out, edits = clean_text(text, CleanOptions(rules=["spelling.participle"]))
    return out, [(e.before, e.after, e.applied) for e in edits]


FIXED = [
    ("The ferryman had ran off before dawn.", "The ferryman had run off before dawn."),
    ("She’d went home by the river road.", "She’d gone home by the river road."),
    ("They have never came back to the landing.", "They have never come back to the landing."),
    ("He said he had did it on purpose.", "He said he had done it on purpose."),
    ("The storm has already began.", "The storm has already begun."),
]
SUGGESTED = [
    # A past that doubles as something else often enough: a saw, a rose, a fell.
    ("He had saw the lantern go out.", "seen"),
    ("The tide had rose past the steps.", "risen"),
]
LEFT = [
    # Pasts print once took for participles: a period's grammar, not a slip.
    "He had forgot the fare, and had spoke of it since.",
    "She had ate her supper and had wrote to her sister.",
    "The dog had bit him twice.",
    # The elided -ed of verse ("summon’d") is no "had".
    "The queen summon’d came each noble matron to the hall.",
    "He had Rose to thank for the boat.",  # a name
    "They had ran-away horses in the yard.",  # a compound
    "It was all they had\n\nran through his head.",  # have ends one paragraph, the past opens the next
]


@pytest.mark.parametrize(("before", "after"), FIXED)
def test_the_participle_is_put_back(before: str, after: str) -> None:
    assert participle(before)[0] == after


@pytest.mark.parametrize(("text", "meant"), SUGGESTED)
def test_a_past_that_is_also_a_noun_is_only_suggested(text: str, meant: str) -> None:
    out, edits = participle(text)
    assert out == text and [(after, applied) for _, after, applied in edits] == [(meant, False)]


@pytest.mark.parametrize("text", LEFT)
def test_what_print_allows_is_left_alone(text: str) -> None:
    assert participle(text) == (text, [])


def test_a_story_that_makes_its_perfects_with_the_past_is_in_a_voice() -> None:
    # Huckleberry Finn's shape: "had took", "had stole", then "you've went": only suggestions.
    text = "He had took the skiff. She had stole the oars.\n\nThey had forgot the rope.\n\nAnd you’ve went and lost it."
    out, edits = participle(text)
    assert out == text and edits and not any(applied for _, _, applied in edits)


def test_the_quick_look_before_a_past_misses_no_have() -> None:
    # _after_have looks at the last two letters before the past first: it must agree with the pattern alone.
    import random

    from storybinder.cleanup import participles

    rnd = random.Random(3)
    words = ("have has had Have Has Had I've you’ve They'd it’d who've never already just not ever always also "
             "finally all now only since once long quickly she he and the cat ran went came had.").split()
    text = " ".join(rnd.choice(words) for _ in range(5_000))
    for at in range(1, len(text)):
        if text[at - 1] == " ":
            assert participles._after_have(text, at) == (
                participles._BEFORE.search(text, max(0, at - 32), at) is not None)
