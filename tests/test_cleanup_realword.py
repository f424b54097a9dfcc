"""spelling.realword: a real word typed for another, judged from the words around it."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions, clean_story, clean_text
from storybinder.model import Chapter, Metadata, Paragraph, Story


def realword(text: str) -> tuple[str, list[tuple[str, str, bool]]]:
    out, edits = clean_text(text, CleanOptions(rules=["spelling.realword"]))
    return out, [(e.before, e.after, e.applied) for e in edits]


FIXED = [
    # "of" for "have" after a modal, before a participle.
    ("He would of been there.", "He would have been there."),
    ("You should of gone home.", "You should have gone home."),
    # "than" wants a comparative before it; "then" does not.
    ("She was taller then her brother.", "She was taller than her brother."),
    ("It was better then nothing.", "It was better than nothing."),
    ("Their were three of them.", "There were three of them."),
    ("You where right about it.", "You were right about it."),
    # A possessive cannot stand before a verb of being, an article, a preposition or a pronoun.
    ("Well, its been a long week.", "Well, it’s been a long week."),
    ("Its a fine morning for a walk.", "It’s a fine morning for a walk."),
    ("I think your a good sort, Tom.", "I think you’re a good sort, Tom."),
    ("We left the bags their in the hall.", "We left the bags there in the hall."),
    ("Their is no more bread.", "There is no more bread."),
    # Letters beyond ASCII before it (İ lower-cases to two characters) leave the offsets right.
    ("İzmir, Łódź: Their is no more bread.", "İzmir, Łódź: There is no more bread."),
    # After a preposition, an elided form is the possessive ("is expense" is no phrase).
    ("He laughed at who’s expense?", "He laughed at whose expense?"),
    ("She was quiet happily settled.", "She was quite happily settled."),
    ("The dog wagged the end of it's tail.", "The dog wagged the end of its tail."),
    ("He pulled at it’s collar.", "He pulled at its collar."),
    ("We never heard from you're brother.", "We never heard from your brother."),
    ("How long will you're plan take?", "How long will your plan take?"),
    # "where" after a subject, or before what only follows a verb.
    ("They where late again.", "They were late again."),
    ("How where the roads?", "How were the roads?"),
    ("I said you where right.", "I said you were right."),
    # "quiet" qualifying an adjective or an adverb is "quite".
    ("She spoke quiet freely of it.", "She spoke quite freely of it."),
    ("The wound was quiet healed by May.", "The wound was quite healed by May."),
    ("I am not quiet sure.", "I am not quite sure."),
    ("I am really quiet grateful, you know.", "I am really quite grateful, you know."),
    # "to" alone between commas is "too".
    ("The road, to, was flooded.", "The road, too, was flooded."),
    # ...and so is "to" after "be" or a word of degree, before an adjective that ends the clause
    # or goes on with "to" or "for".
    ("It was to late to go back.", "It was too late to go back."),
    ("That is to bad.", "That is too bad."),
    ("It is much to cold for a walk.", "It is much too cold for a walk."),
    ("It would be to late—and then what?", "It would be too late—and then what?"),
    # "past" after "have", before an article, a possessive, "away" or the clause's end, is the participle.
    ("He had past his prime.", "He had passed his prime."),
    ("The danger had past.", "The danger had passed."),
    ("She has past away.", "She has passed away."),
    # A possessive goes before "not" only with a gerund after it.
    ("“Its not my fault,” said Zillah.", "“It’s not my fault,” said Zillah."),
    ("He said your not a child any more.", "He said you’re not a child any more."),
    # A "than" with nothing to compare in its sentence, opening a clause, is "then".
    ("He looked up. Than he smiled.", "He looked up. Then he smiled."),
    ("I than went home.", "I then went home."),
    ("She sniffed it, than licked it.", "She sniffed it, then licked it."),
    # A possessive ends no clause and trails off only after a preposition; "kind of" before an adjective hedges.
    ("He left the box over their, by the door.", "He left the box over there, by the door."),
    ("Oh, thank heaven your... wait, who is that?", "Oh, thank heaven you’re... wait, who is that?"),
    ("Well, its kind of late to ask.", "Well, it’s kind of late to ask."),
    # A dash typed as hyphens stands between words, not inside one.
    ("He was free--their was no doubt.", "He was free--there was no doubt."),
    ("If you where quiet---as you were not---you heard it.", "If you were quiet---as you were not---you heard it."),
]

FOUND = [
    # Found, applied or suggested depending on how sure the model is: never missed.
    # A possessive cannot end a clause.
    ("He stood their, waiting.", "there"),
    ("It was less then the rest.", "than"),
    ("Their is a cat on the roof.", "There"),
    # "to" between commas is "too"; "than" does not start a sentence.
    ("I caught a fish, to, and cooked it.", "too"),
    ("Than he turned and walked away.", "Then"),
    ("Its not fair, said the boy.", "It’s"),
]

UNTOUCHED = [
    "They were there with their dogs.",
    # "to" before a verb (one seen after a modal, and after "to" more than "too"), or before more words.
    "The aim is to slow down, and the idea is to close.",
    "The plan was to close the gate; the trick is to keep low.",
    "We went to school. He wanted to help.",
    # "quiet" before an adjective and its noun, or with "and" between.
    "They sat in quiet thoughtful silence. He grew quiet and thoughtful.",
    # A speaker's pause after a possessive: the noun is still to come.
    "“Where are we meeting your, uh, friend?” he asked. “I saw your, um… brother.”",
    # A possessive needs its noun: not an adjective or adverb that ends the phrase.
    "“Think you’ll be in there long?” He was brought there later on. I forgot you’re full of yourself.",
    "I actually forgot you’re one of the bigger dogs now.",
    # "past" as an adjective after "have", or after a verb of motion.
    "I have past experience of this; he had past lives, he said. They walked past the church.",
    # A list broken off after its "and" may end on a possessive: "your" as likely as "you're".
    "“Your boat and your nets and your—” He stopped there.",
    # A preposition or helper that ends a clause whose comma is missing: "not" and "her" follow no possessive.
    "“Back where we came from it’s not like this.”",
    "“If she does it’s her own lookout.”",
    # Speech broken off after a word that takes a possessive: its object was cut short.
    "“Your hands were shaking too much to hold your—”",
    "“They will say anything to protect their—”",
    "“She isn’t your—”",
    # ...or after "to" and its verb: the verb's object was cut short.
    "“Reed, stop, you need to rest your —”",
    "“I would like to see your… guest, Doctor.”",
    # A noun in -er far before "then" is no comparative (Cruncher, a farmer).
    "His attention, when the old farmer looked at him then or afterwards, was on the door.",
    "It is their own fault, and they’re sorry.",
    "Where were you? It’s late, and the dog has lost its collar.",
    "You’re late, and your tea is cold.",
    "It was quiet in the room; she was quite happy.",
    # "quite" before an article, "so", "as" or a word "too" qualifies is right as typed.
    "It was quite late, the hall was quite cold, and he was quite the host, quite as kind as ever.",
    "Quite so; she was quite\nsure of it, and quite _certain_ of him.",
    "I want to go too, but it is too late to go.",
    "He took a deep breath and began to breathe slowly.",
    "Who’s there? Whose book is this?",
    "He came in then, taller than before.",
    "The effect was odd; it did not affect him.",
    "They passed the old mill and walked past the church.",
    # "would of course": not a modal "of".
    "It would, of course, be late; it would of course be late.",
    # "to" ends a clause when its verb is understood.
    "I promised not to.",
    "He tried not to; she did too.",
    "He slammed the door to; the house shook.",
    "Where have they gone to?",
    # An inversion: "were" before its subject.
    "Were I in your place, I would go.",
    "So near were we that I could touch it.",
    # A comparative in italics, the subjunctive, "it's" for "it has".
    "You will only think I feel _more_ than I ought to do.",
    "They went about their work as though that loathsome place were a garden of roses.",
    "I wish it were over.",
    "It’s been years since she came.",
    # "than" answers a comparative earlier in the sentence, across a semicolon or a speech tag.
    "There was more of it in the south, by ten to one; than we had at home.",
    "“Much better,” said Tom, with a sullen look at the judge, “than I wish to know the place.”",
    # A capitalised -er word is a name, not a comparative.
    "Her eyes, when Mr. Baker looked at her then or later, were on the floor.",
    # The existential "there"; the passive after "were".
    "He put it down, perhaps, to there having been so many sick men aboard.",
    "Until the time or place were reached, we waited.",
    # A word in italics after the member is still the next word, not the end of the clause.
    "Is it true that you told your _mother_ before the rest of us?",
    # A swap that would double the next word, or put a possessive before a verb.
    "He would be no better off then than he was before.",
    "When we got through there couldn't nobody see us.",
    # Nouns that are also function words, a gerund, a letter, a coordination, a compound.
    "They pulled with all their might at the rope.",
    "You shall have your will, and your can of paint.",
    "Nobody spoke of their not being asked.",
    "He learned his letters, and your A was as good as mine.",
    "It was your and my mistake.",
    "We met their in-laws at the station.",
    # Particles, clauses after "where", "quiet" as an adjective before another.
    "Don't let on it's yours.",
    "I told you where the key was, and showed it where to go.",
    "Can you tell me where is the station?",
    "It was a quiet wooded valley, and a quiet orderly house.",
    "She kept quiet, naturally.",
    "From one to, say, ten.",
    # "than" answering a comparison across the sentence, or a literary "than whom".
    "No sooner had he sat down than he rose.",
    "Hardly had she spoken than the door opened.",
    "It was other than he said.",
    "He was a knight than whom none was braver.",
    "Rather you than me.",
    # A possessive cut short after a preposition; "its kind of" before a noun.
    "Are you happy in your...?",
    "It was the best of its kind of work.",
    # A writer who spells contractions without apostrophes (dont, Im) writes "its" so on purpose.
    "I dont know. Im tired and hes late and its a long way and I cant wait and youre not here.",
    # Dialect keeps its own grammar.
    "“I reckon their ain’t nobody home,” says he, “an’ I’m goin’ to see.”",
    # "quiet" before a noun ending in -ly, or before so, enough, too and right, which follow it as
    # often as they follow "quite".
    "The suddenly quiet family sat down to eat.",
    "“Keep quiet so the baby can sleep,” she said.",
    # "were" before a verb's -ing form: the progressive.
    "Two of the clerks were watching the door.",
    # "were" after a subject that a clause of its own runs into.
    "From the window, all he could make out were the lamps of the town.",
    "The ones who came out were the oldest.",
    # A question after a preposition: "is" may stand before what follows.
    "Nobody had any idea of who’s leading the race.",
    "Look at who’s awake at last!",
]


# "been" takes "have": what was meant is outside the confusion set, so only a suggestion.
HAVE_BEFORE_BEEN = [
    ("“Your been gone for hours,” she said.", "Your", "You’ve"),
    ("I think your been lying to me.", "your", "you’ve"),
    ("They're been gone seven years.", "They're", "They've"),
    ("“Their been here before,” he said.", "Their", "They’ve"),
    ("You’re been so kind.", "You’re", "You’ve"),
]


def test_quiet_enough_is_at_most_a_suggestion() -> None:
    text = "Her tone was quiet enough that the guard missed it."
    assert realword(text)[0] == text


@pytest.mark.parametrize(("text", "typed", "meant"), HAVE_BEFORE_BEEN)
def test_a_possessive_or_are_before_been_is_a_suggested_have(text: str, typed: str, meant: str) -> None:
    assert realword(text) == (text, [(typed, meant, False)])


def test_its_before_been_is_still_its_has() -> None:
    assert realword("“Its been a long day.”")[0] == "“It’s been a long day.”"


@pytest.mark.parametrize(("before", "after"), FIXED)
def test_sure_swaps_are_made(before: str, after: str) -> None:
    assert realword(before)[0] == after


@pytest.mark.parametrize(("text", "meant"), FOUND)
def test_likely_swaps_are_found(text: str, meant: str) -> None:
    _, edits = realword(text)
    assert [after for _, after, _ in edits] == [meant]


@pytest.mark.parametrize("text", UNTOUCHED)
def test_right_words_are_left_alone(text: str) -> None:
    assert realword(text) == (text, [])


def test_than_opening_a_line_of_verse_answers_the_line_before() -> None:
    # (the paragraph before ends no sentence: "easier" is in the same sentence)
    text = "It is easier to endure a thousand years of torment\n\nThan it is to endure the betrayal of a friend."
    assert realword(text)[0] == text


def test_a_possessive_before_not_and_a_gerund_is_not_changed() -> None:
    # ("their not being gone": the possessive of a gerund; grammar cannot rule it out)
    for text in ("Their not being gone was a relief.", "Its not knowing was the worst of it."):
        assert realword(text)[0] == text


def test_the_rule_can_be_switched_off() -> None:
    out, edits = clean_text("He would of been there.", CleanOptions(skip=["spelling.realword"]))
    assert "would of been" in out
    assert not [e for e in edits if e.rule == "spelling.realword"]



def test_the_bare_contraction_habit_is_judged_in_each_chapter() -> None:
    # A book that writes "don't" until its last chapter, a monologue that writes "dont" and "Im":
    # the monologue's "its" is the writer's spelling; a slip in the earlier chapter is still one.
    opening = "“I don’t know where the ferry is,” he said, and it wasn’t far. " * 700
    slip = "The fare was paid and its a long way to the far bank of the river now."
    monologue = "I dont know why Im here and hes late again and its a long way home I cant say. " * 600
    story = Story(Metadata(title="The Ferry"), [
        Chapter("One", [Paragraph(opening), Paragraph(slip)]), Chapter("Two", [Paragraph(monologue)]),
    ])
    result = clean_story(story, CleanOptions(rules=["spelling.realword"]))
    assert [(e.chapter, e.before, e.after) for e in result.applied] == [(0, "its", "it’s")]
    # the monologue keeps every "its" as written
    assert result.story.chapters[1].blocks[0].text == monologue


def test_the_written_out_too_words_agree_with_their_list() -> None:
    from storybinder.cleanup import realword
    from storybinder.cleanup.alternation import alternation

    assert realword._TOO == alternation(realword._TOO_WORDS.split("|"))


def test_candidates_found_by_find_are_those_the_patterns_find() -> None:
    from storybinder.cleanup import realword

    hay = ("the effect of affecting it; she passed past the pasta, quite quiet, quitequite; "
           "a breath, breathe, breathed; effect" * 3)
    for literal, scan in realword._SCANS:
        if literal is not None:
            assert [m.span() for m in realword._matches_at(hay, literal, scan)] == [
                m.span() for m in scan.finditer(hay)]


def test_bare_contractions_are_counted_as_in_each_window_alone() -> None:
    # The counts kept for the whole story are those of the window cut out of it, cut words and all
    # ("swim" cut to "im" counts, as it did when each window was scanned on its own).
    import random

    from storybinder.cleanup import bare_contractions as bc

    rnd = random.Random(7)
    words = "dont didnt isnt im swim hed shed youre theyre ive youve don't i'm he’d xdont imim dontt,".split()
    gaps = [" ", "  ", "\n", ".", "-", "'", "", "\x00"]
    hay = "".join(rnd.choice(words) + rnd.choice(gaps) for _ in range(20_000))
    counts = bc.BareContractions(hay)
    for _ in range(2_000):
        lo = rnd.randrange(len(hay))
        hi = min(len(hay), lo + rnd.choice([0, 1, 5, 40, 900, 2 * bc.HABIT_WINDOW]))
        assert counts.count(lo, hi) == sum(len(scan.findall(hay[lo:hi])) for scan in bc.BARE)


# A stream of consciousness written without a mark spells as it runs: a real-word swap there is a suggestion.
_STREAM = (
    "and he might have planted me too if he had come a bit sooner then I would not be here as I am "
    "lying awake and the train whistling far off and the sea below all the way down past the rocks "
    "and the lamps going out one after another and nobody minding how late it got or who was walking "
    "home along the wall in the dark with the smell of the tide and the boats knocking at the steps "
    "and the old woman next door calling her cat in and the clock on the landing striking two and still "
    "no sign of sleep coming"
)


def test_a_swap_in_prose_without_punctuation_is_only_suggested() -> None:
    out, edits = realword(_STREAM)
    assert out == _STREAM
    assert edits == [("then", "than", False)]


def test_the_same_swap_in_punctuated_prose_is_made() -> None:
    text = "He came a bit sooner then I did. I was lying awake."
    assert realword(text)[0] == "He came a bit sooner than I did. I was lying awake."
