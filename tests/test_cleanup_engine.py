"""The engine and API: suggestions vs fixes, edit records, idempotence, rule selection."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions, clean_text, select_rules
from storybinder.errors import StorybinderError

# Written for these tests: dialogue, dialect, dashes, typos and a multi-paragraph speech.
SAMPLE = """"Well," said Granny Oakhart -- and paused...  "I ain't goin' to tell 'em."

He looked at the the door, which stood open to the yard, and thought of his freind.

"It was a long winter. The snow came early and stayed late, the wood ran out before the new year, we burned the old fence and the broken chairs to keep warm, the well was solid ice for six weeks, and the river froze.

"And then, one morning, the ice broke."

She said 'yes' -- twice."""


def test_a_second_run_changes_nothing() -> None:
    once, _ = clean_text(SAMPLE)
    twice, edits = clean_text(once)
    assert twice == once
    assert not [e for e in edits if e.applied]


def test_every_edit_records_what_changed_where() -> None:
    _, edits = clean_text(SAMPLE)
    doubled = [e for e in edits if e.rule == "spelling.doubled"]
    assert len(doubled) == 1
    edit = doubled[0]
    assert (edit.chapter, edit.block, edit.before, edit.after, edit.applied) == (0, 1, " the", "", True)


def test_suggestions_are_applied_only_when_asked() -> None:
    text = "I saw tme there."
    assert clean_text(text)[0] == text
    assert clean_text(text, CleanOptions(apply_suggestions=True))[0] != text


def test_the_multi_paragraph_speech_keeps_its_open_paragraph() -> None:
    out, _ = clean_text(SAMPLE)
    assert "the river froze.\n\n\u201cAnd then" in out


def test_rule_selection_by_prefix_and_skip() -> None:
    ids = [r.id for r, _ in select_rules(CleanOptions(rules=["quotes", "spelling"], skip=["spelling.common"]))]
    assert ids == [
        "quotes.curl", "quotes.unbalanced", "spelling.doubled", "spelling.apostrophe", "spelling.realword",
        "spelling.participle", "spelling.unknown",
    ]
    with pytest.raises(StorybinderError):
        select_rules(CleanOptions(skip=["quotes.nonsense"]))


def test_unknown_words_are_reported_only_when_asked() -> None:
    text = "The zorblaxian fleet arrived."
    _, edits = clean_text(text)
    assert not [e for e in edits if e.rule == "spelling.unknown"]
    out, edits = clean_text(text, CleanOptions(rules=["spelling.unknown"]))
    assert out == text
    assert [(e.before, e.applied) for e in edits] == [("zorblaxian", False)]


def test_the_engines_quick_edits_are_model_edits() -> None:
    # The engine fills Edit's fields without its __init__ (for speed): a field
    # added to the model must show up here, not go missing from every edit.
    from dataclasses import fields

    from storybinder.cleanup.engine import _edit
    from storybinder.model import Edit

    args = ("dashes", 1, 2, 30, "--", "\u2014", 0.9, False, "typewriter dash")
    quick, model = _edit(*args), Edit(*args)
    assert quick == model and hash(quick) == hash(model) and repr(quick) == repr(model)
    assert list(vars(quick)) == [f.name for f in fields(Edit)] == list(vars(model))
