"""names.consistency: the same name spelled two ways is suggested, never changed."""

from __future__ import annotations

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
