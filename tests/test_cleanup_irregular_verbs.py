"""spelling.common on a past made by the regular rule ("sayed", "caughted"): the irregular form is put back."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions, clean_text
from storybinder.cleanup.irregular_verbs import meant_by, tense_of

_NARRATION = (
    "The lane ran down between the hedges to the mill, and the water turned the wheel as it had "
    "done every morning since the old miller built it."
)


def spelling(sentence: str) -> list[tuple[str, str, bool]]:
    """What spelling.common does with `sentence` in a paragraph of plain narration."""
    text = f"{_NARRATION}\n\n{sentence} {_NARRATION}"
    _, edits = clean_text(text, CleanOptions(rules=["spelling.common"]))
    return [(e.before, e.after, e.applied) for e in edits]


FIXED = [
    # The base made regular: the past and the participle are the same word.
    ("When the ferryman came back he sayed nothing at all.", ("sayed", "said")),
    ("She thinked of the harbour all that winter.", ("thinked", "thought")),
    # A past marked twice.
    ("The boy caughted the rope as it fell.", ("caughted", "caught")),
    ("The noise upseted the horses in the yard.", ("upseted", "upset")),
    # A have before it asks for the participle.
    ("They have knowed the miller for years.", ("knowed", "known")),
]
SUGGESTED = [
    # Past or participle? "he drawed" may be drew, "and drawed" after an earlier had drawn.
    ("He drawed a long breath and went on.", ("drawed", "drew")),
]
UNTOUCHED = [
    # Words of their own that look like such pasts.
    "The mill was founded by his grandfather and wounded men were carried in.",
    "The church bells ringed the valley with sound, and the trees were felled.",
]


@pytest.mark.parametrize(("sentence", "change"), FIXED)
def test_the_irregular_form_is_put_back(sentence: str, change: tuple[str, str]) -> None:
    assert spelling(sentence) == [(*change, True)]


@pytest.mark.parametrize(("sentence", "change"), SUGGESTED)
def test_past_or_participle_without_a_have_is_a_suggestion(sentence: str, change: tuple[str, str]) -> None:
    assert spelling(sentence) == [(*change, False)]


@pytest.mark.parametrize("sentence", UNTOUCHED)
def test_real_words_are_left(sentence: str) -> None:
    assert spelling(sentence) == []


def test_a_voice_that_says_knowed_again_and_again_is_left() -> None:
    # Huck's "knowed", used all through the story: a word of the story's, never a suspect.
    speech = "“I knowed it was him, I knowed it the minute I seen the raft,” he said."
    text = "\n\n".join([_NARRATION, speech, _NARRATION, speech, speech])
    _, edits = clean_text(text, CleanOptions(rules=["spelling.common"]))
    assert edits == []


def test_the_table_gives_both_forms_where_they_differ() -> None:
    assert meant_by("knowed") == ("knew", "known")
    assert meant_by("caughted") == ("caught",)
    assert meant_by("walked") == ()  # a regular verb's own past
    assert tense_of("drawn") == "participle" and tense_of("drew") == "past" and tense_of("said") == ""
