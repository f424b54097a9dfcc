"""CleanOptions: immutable, compared and hashed by its fields, any collection taken as a set."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions


def test_options_are_sets_compared_by_value_and_changed_only_by_a_copy() -> None:
    options = CleanOptions(rules=["spelling", "quotes"], skip=("quotes.curl",), words=["Fenna"])
    assert options.rules == frozenset({"spelling", "quotes"}) and options.skip == frozenset({"quotes.curl"})
    same = CleanOptions(rules={"quotes", "spelling"}, skip=["quotes.curl"], words=("Fenna",))
    assert options == same and hash(options) == hash(same) and options != CleanOptions()
    assert CleanOptions().rules is None and CleanOptions().words == frozenset()
    changed = options.replace(words=["Ostrand"], apply_suggestions=True)
    assert changed.words == frozenset({"Ostrand"}) and changed.apply_suggestions and changed.rules == options.rules
    assert options.words == frozenset({"Fenna"}) and not options.apply_suggestions
    with pytest.raises(AttributeError):
        options.words = frozenset()  # type: ignore[misc]
    assert "words=frozenset({'Fenna'})" in repr(options)
