"""Golden cases for dialogue.tags: the comma and the lower case between a speech and its tag."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions, clean_text

LD, RD = "\u201c", "\u201d"


def tags(text: str) -> str:
    return clean_text(text, CleanOptions(rules=["quotes", "dialogue"]))[0]


def q(text: str) -> str:
    """Our straight-quoted case as the curled text the rule sees."""
    return clean_text(text, CleanOptions(rules=["quotes"]))[0]


FIXED = [
    # A full stop where the sentence goes on into its tag.
    ('"Bring the lamp." she said.', '"Bring the lamp," she said.'),
    ('"Bring the lamp." he quietly said.', '"Bring the lamp," he quietly said.'),
    # ...and a short quotation broken by its tag before the next.
    ('"Tobin." I cried, "I have found it!"', '"Tobin," I cried, "I have found it!"'),
    ('"Curse the lamp!" He answered, "and the rope too."', '"Curse the lamp!" he answered, "and the rope too."'),
    ('"Bring the lamp." said Tobin.', '"Bring the lamp," said Tobin.'),
    ('"Bring the lamp." said the miller, "and the rope."', '"Bring the lamp," said the miller, "and the rope."'),
    ('"Bring the lamp." answered our guest.', '"Bring the lamp," answered our guest.'),
    ('"Bring the lamp." I said.', '"Bring the lamp," I said.'),
    # A name the story uses in its own tags.
    ('"Hush," said Mara. "Bring the lamp." Mara said.', '"Hush," said Mara. "Bring the lamp," Mara said.'),
    # A capital on the tag after a comma, a question or an exclamation.
    ('"Bring the lamp," She said.', '"Bring the lamp," she said.'),
    ('"Bring the lamp," Said Tobin.', '"Bring the lamp," said Tobin.'),
    ('"Where is the lamp?" He asked.', '"Where is the lamp?" he asked.'),
    ('"The lamp!" They shouted at once.', '"The lamp!" they shouted at once.'),
    # Both slips at once.
    ('"Bring the lamp." He answered.', '"Bring the lamp," he answered.'),
    # A tag of two words, and two tags in one paragraph.
    ('"And the rope," She went on.', '"And the rope," she went on.'),
    ('"Bring it." she said. "Now." he said.', '"Bring it," she said. "Now," he said.'),
]
LEFT = [
    '"Bring the lamp." She turned away.',  # two sentences: the second is narration
    # A clause ending on a colon opens the next speech: it is no tag of the last one.
    '"There were marks of it." I said to him: "Look at them."',
    '"It was over." He interrupted:—"Not yet."',
    '"Where is the lamp?" She said nothing.',  # the verb has an object: narration
    '"Trouble?" He continued to smile at the gate.',  # going on to do something: an action
    '"Where is the lamp?" She said it to the wall.',
    '"Bring the lamp," Mara said.',  # a name keeps its capital
    '"Bring the lamp," Mara Venn said.',
    '"Bring the lamp," He turned away.',  # a pronoun then no speech verb: narration after a slip of its own
    '"Bring the lamp." she saidé.',  # not the word `said`
    '"Bring the lamp," I said.',
    '"Right." I continued, "you see it now."',  # the narrator takes the speech up again
    '"Bring the lamp." Tobin said.',  # a name the story never uses in a tag: not sure it is one
    '"Ask Mr." he said.',  # (an abbreviation's full stop is not the sentence's)
    'A bottle marked "poison." it was, and blue.',  # no speech verb after the quotation
    '"Bring the lamp," he nodded.',  # nodding is no saying, and there is no slip anyway
    # A sound or a thought after a full stop, a question or a cry begins a sentence of narration.
    '"I hear it ticking and I run." He laughed, but not for long.',
    '"Do you think so?" She laughed again.',
    '"Is he gone?" He groaned and turned to the wall.',
    # The verb has what was said as its object: narration.
    '"It is lovely, such a view." He said to her the same thing he said to all his guests.',
    '"Is it far?" He said to them something about the road.',
    # After a long quotation and a full stop or a question, a capital speaker whose verb introduces the
    # next quotation begins a sentence of its own (an answer reported by the narrator): only a suggestion.
    '"The river runs level for a mile above the landing, and the current is slow there." He said, "that being '
    'so, the ferry can cross at any hour."',
    '"Is anybody there on the landing below the mill? If there is, let them speak up." I answered, "I was a '
    'ferryman once."',
    # A heading in Title Case keeps its capitals.
    '"I Will Not Go," Says the Old Farmer',
    # A quotation introduced by its own tag takes no second one: the next speaker's tag follows.
    '"Hush," said Tobin. Mara went to the door and said, "A little like it." Tobin sharply retorted, "I say '
    'it is very like."',
]


@pytest.mark.parametrize(("before", "after"), FIXED)
def test_tag_punctuation_is_fixed(before: str, after: str) -> None:
    assert tags(before) == q(after)


@pytest.mark.parametrize("text", LEFT)
def test_what_is_not_a_tag_slip_is_left_alone(text: str) -> None:
    assert tags(text) == q(text)


def test_the_edit_says_what_it_did() -> None:
    _, edits = clean_text('"Bring the lamp." she said.', CleanOptions(rules=["quotes", "dialogue"]))
    (edit,) = [e for e in edits if e.rule == "dialogue.tags"]
    assert (edit.before, edit.after, edit.applied) == (".", ",", True)
    assert "comma" in edit.message


def test_a_tag_that_introduces_the_next_quotation_is_suggested_not_made() -> None:
    long = '"The river runs level for a mile above the landing, and the current is slow there."'
    _, edits = clean_text(q(long + ' He said, "that being so."'), CleanOptions(rules=["dialogue"]))
    [edit] = edits
    assert not edit.applied and edit.after.endswith("h")


def test_the_tags_tried_at_each_closing_quote_are_those_the_patterns_find() -> None:
    from storybinder.cleanup import dialogue_tags as tags

    text = ("“Come here.” she said. “Wait.” Holmes said, “now.” “Why?” He asked. “No,” She said, "
            "“Go,” Said Holmes. ” “Tea.” said the doctor quietly. “Mr.” He said. “So!” They went on. ") * 3
    starts = tags._before_closers(text)
    for exact, relaxed, marks in [(tags._STOP, tags._STOP_ANY, "."), (tags._STOP_NAME, tags._STOP_NAME_ANY, "."),
                                  (tags._CAPITAL_AFTER_COMMA, tags._CAPITAL_AFTER_COMMA_ANY, ","),
                                  (tags._CAPITAL_AFTER_MARK, tags._CAPITAL_AFTER_MARK_ANY, "?!")]:
        found = tags._exact_matches(exact, relaxed, text, starts, marks)
        assert found and [m.span() for m in found] == [m.span() for m in exact.finditer(text)]
