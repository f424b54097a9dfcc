"""Golden cases for spelling.common (the noisy-channel model); the story's own words survive."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions, clean_text


def spell(text: str, words: tuple[str, ...] = ()) -> str:
    return clean_text(text, CleanOptions(rules=["spelling"], words=words))[0]


MISSPELT = [
    # A swapped pair of letters.
    ("She could scarceyl see.", "She could scarcely see."),
    # A doubled letter.
    ("He came froom the house.", "He came from the house."),
    # A neighbouring key.
    ("He stood in the cornwr of the room.", "He stood in the corner of the room."),
    # A letter dropped, decided by the words around it.
    ("I asekd her twice.", "I asked her twice."),
    # A short word: its neighbours decide ("the tme" is no word; "the time" is common).
    ("We spent some tme there and then left.", "We spent some time there and then left."),
    # wordfreq knows "beeb", but no more often than slips of "been" would make it.
    ("We have beeb waiting for hours.", "We have been waiting for hours."),
    # A misspelling by ear is of a word at least as long (unless a long one): "momey" is money, not my.
    ("She had no momey left for the bus.", "She had no money left for the bus."),
    # A long word one slip from another: its letters (three r's) read like no English word.
    ("His conduct was irrreproachable.", "His conduct was irreproachable."),
    # A last letter typed twice is a slip, not a suffix (looked-d, over-r).
    ("She turned and lookedd back at the gate.", "She turned and looked back at the gate."),
    ("He climbed overr the wall at dusk.", "He climbed over the wall at dusk."),
    # A suffix on a common word makes none of its forms (they are all listed): a slip, not a rare word's plural.
    ("She was verys tired that night.", "She was very tired that night."),
    ("He said it was becauses of the rain.", "He said it was because of the rain."),
    # A short slip with several corrections (two, to, ago): the words around choose between them.
    ("She had tgo sisters and a brother.", "She had two sisters and a brother."),
    # wordfreq has seen "litlle" (a slip people make), but its letters read like no English word's.
    ("It matters litlle to me now.", "It matters little to me now."),
    # A word right after an opening quote or a dash is a word like any other.
    ("“hwere did you put the lamp?” she asked.", "“where did you put the lamp?” she asked."),
    ("He went down to the pier—wiht the others.", "He went down to the pier—with the others."),
    # Two words written as one are no excuse where one slip makes a common word of them (three + fore).
    ("And threefore we left at dawn.", "And therefore we left at dawn."),
]

SUGGESTED = [
    # A regular inflection of a common word (bitter-er, carouse-d) is corrected by ear only as a suggestion.
    "No wind that blew was bitterer than he.",
    # "coled": cold, cooled or cole? Only a suggestion.
    "She sat by the stove, still shaking with coled.",
    # A suffix added without the dictionary's doubled letter is no word of its own (permit-ed is
    # permitted's slip), so it is questioned; one slip from several words, it is only suggested.
    "The clerk permited them to pass the gate.",
    # A cry drawn out on purpose, standing alone before "!", is written as it is said.
    "He had waited all night for nothing. Pshhaw! The old branches would never hold him.",
    # A spelling that varies where spellings do before a suffix, and that people often write
    # (benefitted, knowledgable), is a variant: questioned, not changed.
    "He was someone who benefitted from the loan, and our knowledgable one besides.",
    # Two words written as one (sone + thing), one slip from a common word: questioned, not changed.
    "There was sonething odd about it, she thought.",
]

UNTOUCHED = [
    # A number's ending set apart by a space is no slip of "and".
    "They met in a building on 42 nd Street and in another on 3 rd Avenue.",
    # The plain letters of a word with a letter beyond ASCII (naïve's "na", café's "caf"), or an
    # accent put on after it, are no words of their own.
    "She was naïve, and the café was closed, and the cafe\u0301 beside it too.",
    # Invented names (capitalised inside a sentence).
    "They rode to Ponyville to see Cadance.",
    # ...and after a title, whose full stop ends no sentence.
    "She wrote to Mrs. Anje Brandt and to Dr. Olse about it.",
    # Dialect with elisions.
    "I ain’t goin’ to tell ’em becuz they’ll laugh.",
    # Period spellings.
    "He despatched the letter and quitted the room to-day.",
    # ...and a period prefix, beside today's (in-/en-, un-/in-): the word is made as it was then.
    "It was ungratitude, and worse, in one so young; they were inclosed in a yard of stones.",
    # Rare real words and derived forms.
    "There were knockings on the table, and the raciest tales.",
    # Compounds of dictionary words, inflections of rare words.
    "He put the rake in the toolhouse and thanked the ostlers.",
    # A regular form of a rare word of the curated list (swash) is as real as a derived one.
    "The elephant swashed out of the pool and shook himself.",
    "They caroused with the jockey all night.",
    # A foreign phrase.
    "We were a partie carrée that evening.",
    # ...and a line of French verse: its neighbours are no English words either.
    "They sang: sur une gamme chromatique.",
    # Sounds spelled as they sound, far from any word.
    "“Hhrrmph!” said the old bear. “Wahooa!”",
    # Rare adverbs and nouns a large dictionary lists (Webster's Second, GCIDE).
    "She stammered pitiably; the irids of her eyes were lustrous, and Linton hallooed from the yard.",
    "He had no incumbrances, and saw a wolverene by the mirrours.",
    # Dialect used once is still dialect.
    "I reckon he was tolable tired, an’ I knowed it.",
    # A British -ise spelling of a dictionary word in -ize, which the curated list leaves out.
    "He was in no mood to philosophise upon it, and they were tyrannised by the squire.",
    # A word cut by a hyphen at the end of a line is two pieces of one word, not two typos.
    "He walked to the vil-\nlage and back.",
    # Two words written as one, one slip from no common word.
    "They walked past the boathouse, the farmyard and the beechwoods to the toolshed.",
]


@pytest.mark.parametrize(("before", "after"), MISSPELT)
def test_fixes(before: str, after: str) -> None:
    assert spell(before) == after


@pytest.mark.parametrize("text", UNTOUCHED)
def test_the_authors_words_survive(text: str) -> None:
    assert spell(text) == text


def test_words_that_recur_in_the_story_are_the_authors() -> None:
    text = "The wuzzle came.\n\nAnother wuzzle came."
    assert spell(text) == text


def test_project_words_are_correct() -> None:
    assert spell("He bought a scarceyl.", words=("scarceyl",)) == "He bought a scarceyl."


@pytest.mark.parametrize("text", SUGGESTED)
def test_unsure_corrections_are_suggestions(text: str) -> None:
    out, edits = clean_text(text, CleanOptions(rules=["spelling"]))
    assert out == text
    assert any(e.rule == "spelling.common" and not e.applied for e in edits)


def test_a_rare_dictionary_word_is_questioned_only_from_context() -> None:
    # "untill" is an obsolete form in Webster's: never a typo for spelling.common,
    # but the real-word rule suggests "until" where the words around ask for it.
    out, edits = clean_text("She waited untill the pain passed.", CleanOptions(rules=["spelling"]))
    assert out == "She waited untill the pain passed."
    assert [(e.rule, e.after, e.applied) for e in edits] == [("spelling.realword", "until", False)]
    out, _ = clean_text("He came froom the house.", CleanOptions(rules=["spelling"]))
    assert out == "He came from the house."


STORY_DECIDES = [
    # The story's own words are the likeliest corrections (a cache model): "feret" is
    # "feet" anywhere else, "ferret" in a story about one; "rfat" is "raft" on a river.
    ("The old ferret ran off. The ferret hid in a hole, and the ferret slept there.\n\n"
     "At noon the feret woke and went home.", "At noon the ferret woke"),
    ("They built a raft. The raft was long.\n\nWe got on the rfat at last.", "on the raft at"),
]


@pytest.mark.parametrize(("text", "fixed"), STORY_DECIDES)
def test_the_story_itself_is_evidence_for_a_correction(text: str, fixed: str) -> None:
    assert fixed in spell(text)


def test_a_plural_of_a_rare_word_is_no_slip_of_a_word_the_story_uses() -> None:
    # "weals" (of "weal", in the large dictionaries) is no slip of "deals", however often the story deals.
    text = "The deals were bad, and the deals were many.\n\nHe showed the weals across his back."
    assert spell(text) == text


def test_an_ambiguous_slip_is_a_suggestion() -> None:
    # "saw me there" or "saw time there": the neighbours cannot tell.
    out, edits = clean_text("I saw tme there.", CleanOptions(rules=["spelling"]))
    assert out == "I saw tme there."
    assert any(e.rule == "spelling.common" and not e.applied for e in edits)


def test_the_neighbours_choose_between_corrections() -> None:
    # "was time to go", not "was the" or "was me": once the pairs are read at full weight
    # for the choice, the slip is fixed (it was a 95% suggestion).
    assert spell("It was tme to go.") == "It was time to go."


def test_a_british_text_gets_no_american_spelling() -> None:
    text = "The colour of the sea matched the collor of her eyes."
    _, edits = clean_text(text, CleanOptions(rules=["spelling"]))
    assert not [e for e in edits if e.after == "color" and e.applied]
    # The story's own spelling is the likelier correction (it writes "colour").
    _, edits = clean_text(text + "\n\nThe colour faded.", CleanOptions(rules=["spelling"]))
    assert [e.after for e in edits if e.before == "collor"] == ["colour"]


def test_a_doubled_word_across_a_line_break_keeps_the_line_break() -> None:
    text = "He opened the\nthe door slowly, and then he went in to look\nat it.\n\n" * 3
    out = spell(text)
    assert out.count("\n") == text.count("\n")
    assert "opened the\n" not in out and "opened\nthe door" in out


def test_a_text_in_another_language_gets_no_spelling_edits() -> None:
    text = "Il était une fois une petite fille qui allait voir sa grand-mère dans la forêt. " * 20
    assert clean_text(text, CleanOptions(rules=["spelling"]))[1] == []


def test_a_keyboard_smash_is_left_alone() -> None:
    text = "He typed " + "a" * 5000 + " and stopped."
    assert spell(text) == text


_NARRATION = (
    "The road ran down past the mill and over the bridge, and the boys walked it every morning. "
    "Their mother watched them go from the kitchen window, drying her hands on her apron. "
    "In the summer the fields were full of corn, and the river was low and warm. "
    "Nobody in the town had ever been further than the county seat, and nobody wanted to. "
)
_SPEECH = [
    "“Dey’s a-comin’ up from de mill, an’ dey’s gwine to stop,” said Jem.",
    "“De mill? Dey ain’t gwine to de mill, dey’s gwine home,” said Sal.",
    "“Dat’s what I says. Dey’s gwine home, an’ dat’s nuffin to me,” said Jem.",
]


def _dialect_story(last: str) -> str:
    """A story that spells its speech as it sounds, ending with `last`."""
    return "\n\n".join([_NARRATION] * 4 + _SPEECH + [_NARRATION] * 2 + _SPEECH + [last])


RESPELT = [
    # In elided speech a word may be respelt on purpose: the neighbours ("five ... dollars")
    # favour the respelling as much as the word, so it is only a suggestion...
    ("“It’s worth five hunderd dollars, an’ I ain’t sellin’,” said Jem.", "hunderd", False),
    # ...the same word in plain narration is a slip...
    ("It was worth five hunderd dollars, and he would not sell.", "hunderd", True),
    # ...and in the same speech a slip with letters no respelling has is still fixed.
    ("“It’s worth five dolalrs, an’ I ain’t sellin’,” said Jem.", "dolalrs", True),
    # Speech spelt as it sounds without elisions (wuz, heah): its odd words may be meant.
    ("“Dey wuz heah by de mill arter supper, so dey wuz,” said Jem.", "arter", None),
]


@pytest.mark.parametrize(("last", "word", "fixed"), RESPELT)
def test_a_respelling_in_elided_speech_is_only_a_suggestion(last: str, word: str, fixed: bool | None) -> None:
    # fixed: True (applied), False (a suggestion), None (not even that).
    _, edits = clean_text(_dialect_story(last), CleanOptions(rules=["spelling"]))
    assert [e.applied for e in edits if e.before == word] == ([] if fixed is None else [fixed])


def test_a_misspelling_in_prose_without_punctuation_is_only_suggested() -> None:
    # (a stream of consciousness spells as it runs: "I always make that mistake and newphew")
    stream = (
        "and I always make that mistake and newphew with two double yous in it I hope he will get a nice "
        "long swim in the sea and the sun on his back and the sand warm under him all the afternoon till "
        "the tea is ready and his aunt calling him in from the garden and the dog barking at the gate and "
        "the postman going by with the letters for the big house and nobody minding what time it is or "
        "who is coming up the road at all and the bells ringing out over the water for the last mass "
        "and the smell of the bread from the bakery on the corner"
    )
    out, edits = clean_text(stream, CleanOptions(rules=["spelling"]))
    assert out == stream
    assert any(e.before == "newphew" and not e.applied for e in edits)
