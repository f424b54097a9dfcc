"""Golden cases for quotes.unbalanced: missing and stray quotation marks."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions, clean_text

LD, RD = "\u201c", "\u201d"


def repair(text: str) -> str:
    return clean_text(text, CleanOptions(rules=["quotes"]))[0]


CASES = [
    # Missing closing quote at the end of a dialogue paragraph followed by narration.
    ('"I should be better able to advise you.\n\nThe man sprang up.',
     f"{LD}I should be better able to advise you.{RD}\n\nThe man sprang up."),
    # Missing opening quote before a closer and a speech tag.
    ('You had my note?" he asked.', f"{LD}You had my note?{RD} he asked."),
    # Missing opening quote, speech continues after the tag.
    ('Please your Majesty," said the Knave, "I didn\'t write it."',
     f"{LD}Please your Majesty,{RD} said the Knave, {LD}I didn\u2019t write it.{RD}"),
    # A stray mark with spaces on both sides in narration.
    ('He held up a piece of " white cardboard.', "He held up a piece of white cardboard."),
    # A lone closer after plain narration is a stray.
    ("He looked at her and she smiled, and they went home together as the sun set.\"",
     "He looked at her and she smiled, and they went home together as the sun set."),
    # A closer after a spaced dash is not a stray.
    ('"Well \u2014 " he began.', f"{LD}Well \u2014 {RD} he began."),
    # An answer to the question just asked lost its opener.
    ('"Did the cart come?" asked Tobin.\n\nYes, sir, it came at noon and it was gone again before dark."',
     f"{LD}Did the cart come?{RD} asked Tobin.\n\n{LD}Yes, sir, it came at noon and it was gone again before dark.{RD}"),
    # A stray closer after plain narration, even right after dialogue.
    ('"We should go," said Mara.\n\nShe took her coat from the hook and he followed her out into the yard."',
     f"{LD}We should go,{RD} said Mara.\n\nShe took her coat from the hook and he followed her out into the yard."),
    # A single closing mark typed for the double one: it becomes the closer (no second mark after it).
    ('"You could help my aunt peel the apples for the cake.\'\n\nThe kitchen smelled of cinnamon.',
     f"{LD}You could help my aunt peel the apples for the cake.{RD}\n\nThe kitchen smelled of cinnamon."),
    # ...but not a mark that closes a single quotation the speech opened.
    (f"{LD}She told me, \u2018Keep the gate shut.\u2019\n\nThe kitchen smelled of cinnamon.",
     f"{LD}She told me, \u2018Keep the gate shut.\u2019{RD}\n\nThe kitchen smelled of cinnamon."),
    # Narration that ends on a colon or a dash introduces the next paragraph: its lone closer lost its opener.
    ("She ran up to say beseechingly\u2014\n\nLet me stay with him; he will be good, John.\"\n\nHe smiled.",
     f"She ran up to say beseechingly\u2014\n\n{LD}Let me stay with him; he will be good, John.{RD}\n\nHe smiled."),
    ("The note read:\n\nCome at nine and bring the lamp.\" She burned it.",
     f"The note read:\n\n{LD}Come at nine and bring the lamp.{RD} She burned it."),
    # ...but a colon inside a speech that runs on introduces nothing of the narration's.
    ('"Diana gave me a card with a verse on it:\n\nAnd that is true, Marilla. We had an elegant tea, and '
     'the very best china, and I can tell you it was lovely, and we talked about school and the apples."',
     f"{LD}Diana gave me a card with a verse on it:\n\nAnd that is true, Marilla. We had an elegant tea, and "
     f"the very best china, and I can tell you it was lovely, and we talked about school and the apples.{RD}"),
    # A line of dialogue with its tag left open, then plain narration that ends on a closer: the speech
    # lost its closer, the narration's is a stray (a speech that ran on would have reopened the paragraph).
    ('"Mole," said the Badger, "you have more sense than the rest of them put together.\n\n'
     'The Toad was wild with jealousy, and he sulked in his chair until the bell rang for the luncheon."',
     f"{LD}Mole,{RD} said the Badger, {LD}you have more sense than the rest of them put together.{RD}\n\n"
     "The Toad was wild with jealousy, and he sulked in his chair until the bell rang for the luncheon."),
    # Balanced dialogue is untouched.
    ('"Yes," she said. "No."', f"{LD}Yes,{RD} she said. {LD}No.{RD}"),
    (f"{LD}One,{RD} he said, {LD}two,{RD} and then {LD}three.{RD}", f"{LD}One,{RD} he said, {LD}two,{RD} and then {LD}three.{RD}"),
    # Two openers in a row with nothing between to close the first: the second is the stray.
    (f"He held {LD}a piece of {LD} white card{RD} up.", f"He held {LD}a piece of white card{RD} up."),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_repair(before: str, after: str) -> None:
    assert repair(before) == after


def test_last_paragraph_of_a_quoted_letter_is_only_a_suggestion() -> None:
    text = '"Dear Jo,\n\n"We sailed up the river and it was lovely.\n\nShe put the letter down.'
    out, edits = clean_text(text, CleanOptions(rules=["quotes"]))
    assert out == text.replace('"', LD)
    assert [e for e in edits if e.rule == "quotes.unbalanced" and not e.applied]


def test_an_unclear_missing_opener_is_suggested_not_applied() -> None:
    text = 'Pretty well. It passes the time."'
    out, edits = clean_text(text, CleanOptions(rules=["quotes"]))
    assert out == f"Pretty well. It passes the time.{RD}"
    suggestion = [e for e in edits if not e.applied]
    assert suggestion and suggestion[0].after == LD


def test_an_unclosed_opener_in_mid_sentence_is_only_a_suggestion() -> None:
    # It may be a stray mark rather than a speech that lost its end.
    text = 'He held up a piece of "white cardboard about the size of a sheet of notepaper.'
    out, edits = clean_text(text, CleanOptions(rules=["quotes"]))
    assert not out.endswith(RD)
    assert any(e.rule == "quotes.unbalanced" and not e.applied for e in edits)


def test_verse_quoted_over_two_paragraphs_is_left_alone() -> None:
    text = '"Twinkle, twinkle, little star,\n\nHow I wonder what you are!" she sang.'
    out, edits = clean_text(text, CleanOptions(rules=["quotes"]))
    assert out == f"{LD}Twinkle, twinkle, little star,\n\nHow I wonder what you are!{RD} she sang."
    assert all(not e.applied for e in edits if e.rule == "quotes.unbalanced")


def test_a_letters_dateline_before_narration_is_only_a_suggestion() -> None:
    text = f"{LD}12 March.\n\n(Private)\n\n{LD}Dear Madam,\n\n{LD}The parcel is on its way.{RD}"
    out, edits = clean_text(text, CleanOptions(rules=["quotes"]))
    assert out == text
    assert not any(e.applied for e in edits if e.rule == "quotes.unbalanced")


def test_a_tag_inside_an_open_quotation_is_only_a_suggestion() -> None:
    # The lost closer belongs before the tag ("Stop!" cried Mara), not at the end.
    text = f'{_EXCHANGE}{LD}Stop! cried Mara, and ran for the gate.\n\n{LD}Let her go.{RD}'
    out, edits = clean_text(text, CleanOptions(rules=["quotes"]))
    assert out == text
    assert not any(e.applied for e in edits if e.rule == "quotes.unbalanced")


_SONG = (
    "\u201cDid your father ever sing to you when you were small, out on\n"
    "the boats in the evening?\u201d\n\n"
    "\u201cHe did, every night of the year,\u201d the old man said, and then\n"
    "he sang it for us:\n\n"
    "\u201cThe tide goes out, the tide comes in,\n"
    "     And round the harbour wall,\n"
    "     The boats come home at evening.\n\n"
    "\u201cThat was how it went, and I never heard him sing another song\n"
    "in all the years I knew him.\u201d\n"
)


def test_verse_quoted_in_hard_wrapped_speech_keeps_the_speech_open() -> None:
    # A stanza set in by its lines: the speech quotes a poem and goes on after it.
    out, edits = clean_text(_SONG, CleanOptions(rules=["quotes"]))
    assert out == _SONG
    assert not any(e.applied for e in edits if e.rule == "quotes.unbalanced")


def test_a_closer_ending_a_long_quotation_is_not_removed() -> None:
    letter = (
        '"Dear Jo, we sailed up the river today and saw the old castles on the hills, and the '
        "boatmen sang all the way, and I thought of you at home with the others."
    )
    text = letter + '\n\nHe was there and she was there, and they had all gone home at last."'
    out, edits = clean_text(text, CleanOptions(rules=["quotes"]))
    assert out.endswith(RD)
    assert all(not e.applied for e in edits if e.rule == "quotes.unbalanced")


# A line of dialogue left open before a paragraph that opens a quotation: the
# other speaker's reply (the closer was forgotten: close it) or the same
# speaker going on (multi-paragraph speech: leave it open). Our own lines.
_LONG_1 = (
    f"{LD}When the river rose that spring we carried everything up to the loft, the flour and the seed "
    "potatoes and the chairs, and we slept up there among the sacks for nine nights while the water "
    "stood in the kitchen and the ducks swam past the window as if they owned the place."
)
_LONG_2 = (
    f"{LD}On the tenth morning the water went down as fast as it had come, and it left a line of mud on "
    "every wall at the height of my shoulder, and my mother said we would paint over it, but we never "
    "did, and the line is there to this day if you care to look."
)
LS, RS = "\u2018", "\u2019"
# One line closed right before the next speech: a story of exchanges, where a short open line
# before another speech reads as a line missing its closer.
_EXCHANGE = f"{LD}Read it out.{RD}\n\n{LD}Very well.{RD}\n\n"
REPLY_CASES = [
    # A single closing mark typed for the double one, before the reply.
    (f"{_EXCHANGE}\"My aunt might like some help with the cake,\" Sam said. \"She is in the kitchen.'\n\n\"Of course,\" Mary said.",
     f"{_EXCHANGE}{LD}My aunt might like some help with the cake,{RD} Sam said. {LD}She is in the kitchen.{RD}\n\n"
     f"{LD}Of course,{RD} Mary said."),
    # A line that mentions a date is still a line of speech.
    (f'{_EXCHANGE}"Is it the 4th of June already?\n\n"It is, and we are late."',
     f"{_EXCHANGE}{LD}Is it the 4th of June already?{RD}\n\n{LD}It is, and we are late.{RD}"),
    # A short question, then the answer.
    ('"Where did you leave the lantern?\n\n"By the gate, same as always."',
     f"{LD}Where did you leave the lantern?{RD}\n\n{LD}By the gate, same as always.{RD}"),
    # In a story of exchanges, a run of lines whose closers were forgotten: each is its own speech.
    ('"Morning."\n\n"Morning."\n\n"Is the kettle on?\n\n"Not yet, the stove is cold.\n\n"Then light it, please.\n\n"Fine."',
     f"{LD}Morning.{RD}\n\n{LD}Morning.{RD}\n\n{LD}Is the kettle on?{RD}\n\n{LD}Not yet, the stove is cold.{RD}"
     f"\n\n{LD}Then light it, please.{RD}\n\n{LD}Fine.{RD}"),
    # A line broken off by the other speaker.
    ('"If you would only listen to me for one moment\u2014\n\n"I have listened all day."',
     f"{LD}If you would only listen to me for one moment\u2014{RD}\n\n{LD}I have listened all day.{RD}"),
    # A longer line whose own tag and the next paragraph's name different speakers.
    ('"I shall be late tonight," said Mara, pulling on her boots by the door. "Keep the stove warm and '
     "do not wait up for me, because the road from the mill is long and the bridge is out again after "
     'all the rain we had this week.\n\n"Then take the lamp," said Tobin.',
     f"{LD}I shall be late tonight,{RD} said Mara, pulling on her boots by the door. {LD}Keep the stove "
     "warm and do not wait up for me, because the road from the mill is long and the bridge is out again "
     f"after all the rain we had this week.{RD}\n\n{LD}Then take the lamp,{RD} said Tobin."),
    # A longer line answered with a yes.
    ('"I have counted the sheep twice this evening and there are still two missing from the top field, '
     'the black-faced ewe and her lamb, and I think they went through the gap by the old wall again.\n\n'
     '"Yes, I saw them on the lane."',
     f"{LD}I have counted the sheep twice this evening and there are still two missing from the top field, "
     "the black-faced ewe and her lamb, and I think they went through the gap by the old wall again."
     f"{RD}\n\n{LD}Yes, I saw them on the lane.{RD}"),
]
RUNS_ON_CASES = [
    # A long speech over three paragraphs: only the last one closes.
    f"{_LONG_1}\n\n{_LONG_2}\n\n{LD}That was the year I was born.{RD}",
    # A short paragraph inside a long speech goes on as well.
    f"{_LONG_1}\n\n{LD}Nine nights.\n\n{LD}That was the year I was born.{RD}",
    # The next paragraph's tag says the same speaker goes on.
    f"{LD}That is the whole of it.\n\n{LD}And one more thing,{RD} she went on, {LD}the key is under the mat.{RD}",
    # The next paragraph quotes someone inside the speech.
    f"{LD}He stopped me at the door.\n\n{LD}{LS}Where do you think you are going?{RS} he asked me.{RD}",
    # The salutation of a letter read out.
    f"{LD}My dear Edwin:\u2014\n\n{LD}We arrived on Tuesday and the weather has been fine.{RD}",
    # A text with no exchange at all gives no reason to doubt the convention.
    f"{LD}The first paragraph of what I have to say.\n\n{LD}And the second, which ends it.{RD}",
    # A transcript, each paragraph labelled with who speaks.
    f"{LD}Clerk: Did you see the cart?\n\n{LD}Witness: I did not.\n\n{LD}Clerk: Thank you.{RD}",
    # In a story of exchanges, a letter read out paragraph by paragraph: its dateline,
    # salutation, body, closing and signature each open and only the last closes.
    f"{_EXCHANGE}{LD}_3 June._\n\n{LD}My dear Tobin,\u2014\n\n{LD}The roof is mended and the hens are laying."
    f"\n\n{LD}Yours ever,\n\n{LD}MARA.{RD}",
    f"{_EXCHANGE}{LD}Millbrook, Tuesday, March 4.\n\n{LD}Dear Sir,\n\n{LD}The seed you sent has come.{RD}",
    # Diary entries, each opening on its date; a telegram and its signature.
    f"{_EXCHANGE}{LD}2nd. Rain all day.\n\n{LD}5th. The ferry ran late.\n\n{LD}8th. Home.{RD}",
    f"{_EXCHANGE}{LD}_4 July._\u2014Arrive by the noon coach. Meet me at the inn.\n\n{LD}TOBIN.{RD}",
    # A speech that goes on across a scene break.
    f"{_EXCHANGE}{_LONG_1}\n\n* * *\n\n{LD}I must stop now, for the lamp is low.\n\n* * *\n\n"
    f"{LD}Morning again.{RD}",
    # A speaker named in the line goes on talking, into a long account of several paragraphs.
    f"{_EXCHANGE}{LD}Thank you!{RD} cried the old man. {LD}I would have kept it to myself for ever.\n\n"
    f"{_LONG_1}\n\n{LD}That is all.{RD}",
    # A note and its postscript.
    f"{_EXCHANGE}These were its contents:\n\n{LD}I have gone to the coast and will write when I can.\n\n"
    f"{LD}P.S. The key is under the mat.{RD}",
    # A long speech, then the same speaker going on with "Of course" as an adverb, not an answer.
    f"{_EXCHANGE}{_LONG_1}\n\n{LD}Of course the cellar was the worst of it, and we lost the apples and the "
    f"cider, and my father swore he would build the house again on the hill.{RD}",
    # A passage read out after narration, paragraph by paragraph, that reads as narration itself.
    f"{_EXCHANGE}She found the page, and read it to him slowly:\n\n"
    f"{LD}And the miller went down to the river, and he saw that the wheel had stopped.\n\n"
    f"{LD}Then he called his sons, and they came, and they looked at the wheel.\n\n"
    f"{LD}And they said unto him, the water is gone.{RD}",
    # Headlines in capitals, and extracts set off with their sources: not dialogue.
    f"{_EXCHANGE}{LD}GREAT FIRE AT THE MILL LAST NIGHT.\n\n{LD}ALL HANDS SAVED.{RD}",
    f"{_EXCHANGE}{LD}The herring came in so thick that year the boats could barely row....\n\n"
    f"{LD}No fish is more plentiful in these waters.{RD} \u2014OLD ALMANAC.",
]


@pytest.mark.parametrize(("before", "after"), REPLY_CASES)
def test_a_line_before_the_reply_is_closed(before: str, after: str) -> None:
    out, edits = clean_text(before, CleanOptions(rules=["quotes"]))
    assert out == after
    assert clean_text(out, CleanOptions(rules=["quotes"]))[0] == out  # cleaning again changes nothing


@pytest.mark.parametrize("text", RUNS_ON_CASES)
def test_a_speech_that_goes_on_stays_open(text: str) -> None:
    out, edits = clean_text(text, CleanOptions(rules=["quotes"]))
    assert out == text
    assert not any(e.applied for e in edits if e.rule == "quotes.unbalanced")


def test_a_reply_that_opens_with_an_emphasised_beat_is_a_turn(tmp_path) -> None:
    # Fan fiction's action beat before a line (`*sigh* "Yes...`): the Markdown reader makes the
    # asterisks emphasis, and the line left open before the other speaker's reply is closed
    # there as it is in the plain text.
    from storybinder.cleanup import clean_story
    from storybinder.readers import read_story

    lines = [
        '"Did you finish the map of the harbour?"',
        '"Nearly. The east pier took longer than I thought."',
        '*sigh* "It always does. Why did the pier take so long, though?',
        '"The old charts disagree about where the rocks are, so I measured them myself."',
        '"Then the map is better than the charts."',
    ]
    source = tmp_path / "harbour.md"
    source.write_text("# The Harbour Map\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    result = clean_story(read_story(source))
    texts = [b.text for ch in result.story.chapters for b in ch.blocks]
    assert any(t.startswith("sigh") and t.endswith("though?\u201d") for t in texts)
    assert [e.applied for e in result.edits if e.rule == "quotes.unbalanced"] == [True]
    # ...and the plain text, asterisks kept, is read the same way.
    plain = clean_text("\n\n".join(lines), CleanOptions(rules=["quotes"]))[0]
    assert "though?\u201d" in plain
