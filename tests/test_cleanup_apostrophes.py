"""spelling.apostrophe: a contraction typed without its apostrophe gets it back; words and a writer's habit stay."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions, clean_text

# A story that writes its contractions with the apostrophe, as nearly every story does.
_AROUND = (
    "“I don’t think we should go,” Mara said. “It’s late, and I’m tired, and you’re not listening.”\n\n"
    "“I’m listening. I just don’t agree. We’ve waited all week, and they’re expecting us.”\n\n"
    "She didn’t answer. He couldn’t tell whether she was angry or only cold, and he wasn’t going to ask."
)


def apostrophes(paragraph: str, around: str = _AROUND) -> list[tuple[str, str, bool]]:
    _, edits = clean_text(f"{around}\n\n{paragraph}", CleanOptions(rules=["spelling.apostrophe"]))
    return [(e.before, e.after, e.applied) for e in edits]


FIXED = [
    ("“But I dont want to hear about it.”", ("dont", "don’t")),
    ("“Im not carrying the oars again.”", ("Im", "I’m")),
    ("He said he couldnt see the lantern from the pier.", ("couldnt", "couldn’t")),
    ("“Theyd never find it in the dark.”", ("Theyd", "They’d")),
]
SUGGESTED = [
    # An 's: the bare word may be a plural or another word's slip (women's; their).
    ("“Thats the last of the rope,” he said.", ("Thats", "That’s")),
    ("The womans boat was gone.", ("womans", "woman’s")),
    ("They came from theres unblessed.", ("theres", "there’s")),
]
LEFT = [
    # Words of their own, whatever the context might say.
    "He cant abide it, as was his wont; its sail was torn, and well he knew it.",
    "They were wed in the shed, and the ill news came after.",
    # A name's s.
    "The Marys and the Joneses came to the pier.",
    # Dialect: ’im is him, after its own elision mark.
    "“I saw ’im at the pier,” said the boy.",
    # No contraction follows a possessive or an article: a word spelt as it sounds.
    "Tell him to lay the crown of his hed on the table.",
]


@pytest.mark.parametrize(("paragraph", "change"), FIXED)
def test_the_apostrophe_is_put_back(paragraph: str, change: tuple[str, str]) -> None:
    assert apostrophes(paragraph) == [(*change, True)]


@pytest.mark.parametrize(("paragraph", "change"), SUGGESTED)
def test_a_bare_word_one_slip_from_another_is_a_suggestion(paragraph: str, change: tuple[str, str]) -> None:
    assert apostrophes(paragraph) == [(*change, False)]


@pytest.mark.parametrize("paragraph", LEFT)
def test_words_and_elisions_are_left(paragraph: str) -> None:
    assert apostrophes(paragraph) == []


def test_a_writer_who_spells_contractions_bare_is_left_alone() -> None:
    # Molly Bloom's way: the whole passage writes dont, Im and couldnt, so one more is meant.
    bare = "I dont know why Im telling you this but I couldnt stop and I wasnt going to either and youre no better."
    assert apostrophes(bare, around="\n\n".join([bare] * 3)) == []


def test_a_story_without_apostrophes_is_left_alone() -> None:
    plain = "The lamps were lit at dusk and the boats came in one by one along the pier."
    assert apostrophes("I dont think so.", around="\n\n".join([plain] * 3)) == []


def test_a_bare_word_the_story_always_writes_so_is_its_spelling() -> None:
    # Three times "dont", never "don't": the writer's spelling of it (the others keep their apostrophes).
    around = _AROUND.replace("don’t", "do not")
    text = "\n\n".join(["“I dont know.”", "“You dont?”", "“I dont.”"])
    assert apostrophes(text, around=around) == []


def test_a_bare_word_the_story_also_writes_with_its_apostrophe_is_a_slip() -> None:
    # Three times "dont" among many "don't": slips, each of them (the story's own spelling is don't).
    text = "\n\n".join(["“I dont know.”", "“You dont?”", "“I dont.”"])
    assert [after for _, after, applied in apostrophes(text) if applied] == ["don’t"] * 3
