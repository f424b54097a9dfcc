"""spelling.realword's question slips: a short word wordfreq knows, opening a question where its verb stands."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions, clean_text

_AROUND = (
    "“I don’t think we should go,” Mara said. “It’s late, and I’m tired, and you’re not listening.”\n\n"
    "“I’m listening. I just don’t agree. We’ve waited all week, and they’re expecting us.”\n\n"
    "She didn’t answer. He couldn’t tell whether she was angry or only cold, and he wasn’t going to ask."
)


def question_slips(paragraph: str, around: str = _AROUND) -> list[tuple[str, str, bool]]:
    _, edits = clean_text(f"{around}\n\n{paragraph}", CleanOptions(rules=["spelling.realword"]))
    return [(e.before, e.after, e.applied) for e in edits if "question opens" in e.message]


FIXED = [
    # The seed stories' own shape: a question joined to the sentence before by "Or".
    ("“He isn’t a threat. Or ar you going to tell me you have no plan?”", ("ar", "are")),
    ("“Ar you coming with us?”", ("Ar", "Are")),
    ("“So ar we going or not?”", ("ar", "are")),
    ("Ar they here yet? Nobody could say.", ("Ar", "Are")),
]
SUGGESTED = [
    # An interjection may stand there ("Ha you thought so?"): "had" is likely, not sure.
    ("“Ha you thought so?”", ("Ha", "Had")),
]
LEFT = [
    # No question: the sentence ends with a full stop.
    "“Ar you coming.”",
    # No auxiliary one slip away agrees with the pronoun: "are" is no verb for "he".
    "“Ar he coming?”",
    # Not where a clause begins.
    "He asked, ar you coming?",
    # An interjection whose only auxiliary needs another letter changed as well ("am").
    "“Um you know what I mean?”",
    # A capital after "Or" is a name's.
    "“Or Ar you would rather not say?”",
]


@pytest.mark.parametrize(("paragraph", "change"), FIXED)
def test_the_question_gets_its_verb(paragraph: str, change: tuple[str, str]) -> None:
    assert question_slips(paragraph) == [(*change, True)]


@pytest.mark.parametrize(("paragraph", "change"), SUGGESTED)
def test_an_interjection_in_the_place_is_only_a_suggestion(paragraph: str, change: tuple[str, str]) -> None:
    assert question_slips(paragraph) == [(*change, False)]


@pytest.mark.parametrize("paragraph", LEFT)
def test_other_places_and_words_are_left(paragraph: str) -> None:
    assert question_slips(paragraph) == []


def test_a_word_the_story_repeats_is_its_own() -> None:
    # Twice in the story: the writer's spelling (dialect), not a slip.
    assert question_slips("“Ar you coming?” “Ar you sure?”") == []


def test_in_dialect_it_is_only_a_suggestion() -> None:
    dialect = "“I’m goin’ down to the river,” said Jem. “Ain’t nothin’ there but ’em fish.”"
    around = "\n\n".join([dialect] * 4)
    assert question_slips("“Ar you comin’ with us?”", around=around) == [("Ar", "Are", False)]
