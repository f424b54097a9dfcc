"""names.consistency: the same name spelled two ways is suggested, never changed."""

from __future__ import annotations

import os
import subprocess
import sys

from storybinder.cleanup import CleanOptions, clean_text


def test_a_rare_spelling_of_a_name_is_suggested() -> None:
    text = "\n\n".join(["She smiled at Cadance."] * 4 + ["She smiled at Cadence."])
    out, edits = clean_text(text, CleanOptions(rules=["names"]))
    assert out == text
    [edit] = edits
    assert (edit.before, edit.after, edit.applied) == ("Cadence", "Cadance", False)


def test_derived_forms_of_a_name_are_not_variants() -> None:
    text = "\n\n".join(["They left Equestria."] * 4 + ["An old Equestrian song."])
    assert clean_text(text, CleanOptions(rules=["names"]))[1] == []


def test_an_everyday_word_capitalised_after_a_comma_is_no_misspelt_name() -> None:
    # "What" inside sentences four times, "That" once after a comma: two words, not one name.
    text = "\n\n".join(["She asked him, What was it?"] * 4 + ["All I know is, That it rained.", "That was all."])
    assert clean_text(text, CleanOptions(rules=["names"]))[1] == []


def test_each_rare_spelling_is_found_wherever_it_stands_and_only_as_a_whole_word() -> None:
    # Two usual names, one the start of the other, each with a rare spelling, which then also
    # opens a paragraph and follows a quotation mark; inside longer words it is left alone.
    text = "\n\n".join(
        ["He waved at Tavel.", "He waved at Tavelind."] * 4
        + ["He saw Tavl and Tavlind.", "Tavl came in.", "\u201cTavlind,\u201d he said.", "Tavlindas and McTavl stayed."]
    )
    out, edits = clean_text(text, CleanOptions(rules=["names"]))
    assert out == text
    assert [(e.block, e.offset, e.before, e.after) for e in edits] == [
        (8, 7, "Tavl", "Tavel"), (8, 16, "Tavlind", "Tavelind"), (9, 0, "Tavl", "Tavel"), (10, 1, "Tavlind", "Tavelind"),
    ]


def test_a_spelling_one_slip_from_two_names_gets_the_same_suggestion_in_every_run() -> None:
    # "Mell" is one slip from "Bell" (five times) and from "Melt" (four): the commoner name, and the
    # same in every process, whatever Python's hash seed orders its sets by.
    script = (
        "from storybinder.cleanup import CleanOptions, clean_text\n"
        "text = '\\n\\n'.join(['They rang for Mell.'] + ['They rang for Bell.'] * 5 + ['They waited for Melt.'] * 4)\n"
        "print([(e.before, e.after) for e in clean_text(text, CleanOptions(rules=['names']))[1]])\n"
    )
    seen = set()
    for seed in ("0", "1", "2", "3", "4", "5"):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        seen.add(done.stdout.strip())
    assert seen == {"[('Mell', 'Bell')]"}
