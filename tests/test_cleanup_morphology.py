"""cleanup.morphology: derived forms built by English's spelling rules count as words; others do not."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions, clean_text
from storybinder.cleanup.dictionary import load_lexicon
from storybinder.cleanup.morphology import (
    archaic_verb_form, derivation, drawn_out, is_british_ise, is_reduced_function_word,
)

COMMON_STEM = 5.0


def derive(word: str, seen: bool = True) -> str | None:
    lexicon = load_lexicon()
    return derivation(word, lexicon.is_word, lexicon.zipf, COMMON_STEM, seen)


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("knockings", "knock"),  # plural of a rare gerund
        ("snuffled", "snuffle"),  # -d after -e
        ("hallooed", "halloo"),
        ("glimmerings", "glimmer"),
        ("unkindnesses", "kindnesses"),  # a prefix on a derived form
        ("reburied", "buried"),
        ("flappings", "flap"),  # the doubled consonant undone
    ],
)
def test_regular_derivations_of_rarer_words(word: str, stem: str | None) -> None:
    assert derive(word) == stem


@pytest.mark.parametrize(
    "word",
    [
        "goood",  # good + d: -d only follows an -e
        "gald",  # gal + d: likewise
        "biger",  # big + er doubles the g (bigger)
        "theys",  # they is far too common for an unlisted form of it
        "sayed",  # say's forms are all in the curated list (said)
        "truely",  # true + ly is "truly", in the list
        "gaves",
        "helding",
    ],
)
def test_no_derivation_the_rules_do_not_make(word: str) -> None:
    assert derive(word) is None


def test_short_endings_count_only_for_words_someone_has_written() -> None:
    # cole + d would be regular, but nobody writes "coled": an easy ending hit by accident.
    assert derive("coled", seen=False) is None
    assert derive("coled", seen=True) is not None


@pytest.mark.parametrize(
    ("word", "stem"),
    [("takest", "take"), ("taketh", "take"), ("knowest", "know"), ("speaketh", "speak"), ("runneth", "run"),
     ("givest", "give"), ("bigest", None), ("happyest", None), ("forest", None), ("teeth", None)],
)
def test_archaic_verb_forms(word: str, stem: str | None) -> None:
    assert archaic_verb_form(word, load_lexicon().is_word) == stem


def test_an_archaic_verb_form_is_a_word_only_where_the_story_speaks_so() -> None:
    def fixes(text: str) -> list[tuple[str, str]]:
        _, edits = clean_text(text, CleanOptions(rules=["spelling"]))
        return [(e.before, e.after) for e in edits if e.applied]

    assert fixes("Lamb of the river, who takest away the fares of the ferry. Thou art kind.") == []
    assert fixes("The ferryman, who takest away the fares, was kind to us.") == [("takest", "takes")]


@pytest.mark.parametrize(
    ("word", "british"),
    [("philosophise", True), ("tyrannised", True), ("organisations", True),
     ("promise", False), ("surprise", False), ("exercise", False), ("realiised", False)],
)
def test_british_ise_spellings_of_ize_words(word: str, british: bool) -> None:
    assert is_british_ise(word, load_lexicon().curated) is british


@pytest.mark.parametrize(
    ("word", "reduced"),
    [("coupla", True), ("hearda", True), ("oughta", True), ("shoulda", True), ("outta", True), ("buncha", True),
     # Slips that end in "a": no word before them takes "of", "to" or "have" so often.
     ("railwa", False), ("thata", False), ("heva", False), ("thea", False), ("wasa", False)],
)
def test_function_words_run_into_the_word_before(word: str, reduced: bool) -> None:
    lexicon = load_lexicon()
    assert is_reduced_function_word(word, lexicon.curated, lexicon.bigram, lexicon.bigram_first) is reduced


def test_speech_spelt_as_it_sounds_is_left() -> None:
    text = "“Give me a coupla days and I’ll have it running,” he said. “You never hearda such a thing?”"
    assert clean_text(text, CleanOptions(rules=["spelling"]))[1] == []



@pytest.mark.parametrize(
    ("word", "meant"),
    [
        ("goood", ("good",)),  # a key struck once too often on a double letter
        ("willl", ("will",)),
        ("currrent", ("current",)),
        ("irrreproachable", ("irreproachable",)),
        ("wheee", ("whee",)),  # whee is a word: drawn out or a slip, never "where"
        ("sooo", ()),  # drawn out as it is said: so
        ("nooo", ()),
        ("funnn", ()),
        ("pleeease", ()),
        ("heyyy", ()),
        ("sooooo", ()),  # four or more: no slip makes that many
        ("yaaayyy", ()),  # two runs
        ("posesssed", None),  # neither: the spelling rules decide as for any word
        ("good", None),  # no run at all
        ("freeing", None),  # a double is no run
    ],
)
def test_drawn_out_words(word: str, meant: tuple[str, ...] | None) -> None:
    assert drawn_out(word, load_lexicon().is_word) == meant


def test_words_drawn_out_in_speech_are_left_and_a_tripled_double_is_fixed() -> None:
    text = (
        "“It was sooo good,” she said. “Pleeease come with us, it’s a lot of funnn.”\n\n"
        "“Heyyy, why are you so late?” The currrent had carried him off."
    )
    out, _ = clean_text(text, CleanOptions(rules=["spelling"]))
    assert out == text.replace("currrent", "current")
