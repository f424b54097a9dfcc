"""The rules' thresholds reach them through CleanOptions.tuning, and only known ones can be set."""

from __future__ import annotations

import pytest

from storybinder.cleanup import TUNABLES, CleanOptions, clean_text
from storybinder.cleanup.tuning import Tuning, with_overrides
from storybinder.errors import StorybinderError


def test_no_override_is_the_defaults() -> None:
    text = "I asekd her twice."
    assert clean_text(text, CleanOptions(tuning=Tuning()))[0] == clean_text(text)[0]


def test_an_override_reaches_the_rule() -> None:
    # Asking for more than certainty: no correction is ever sure.
    strict = with_overrides(TUNABLES, {"spelling.fix_probability": "1.5", "spelling.suggest_probability": 0.0})
    out, edits = clean_text("I asekd her twice.", CleanOptions(rules=["spelling"], tuning=strict))
    assert out == "I asekd her twice."
    assert any(e.rule == "spelling.common" and not e.applied for e in edits)


@pytest.mark.parametrize("key", ["nosuch.fix_probability", "spelling.nosuch", "spelling"])
def test_unknown_tunables_are_errors(key: str) -> None:
    with pytest.raises(StorybinderError):
        with_overrides(TUNABLES, {key: "1"})


def test_a_value_of_the_wrong_type_is_an_error() -> None:
    with pytest.raises(StorybinderError):
        with_overrides(TUNABLES, {"spelling.fix_probability": "high"})


def test_options_with_tuning_stay_hashable() -> None:
    options = CleanOptions(tuning=with_overrides(TUNABLES, {"spelling.slip_offset": "3"}))
    assert hash(options) == hash(CleanOptions(tuning=with_overrides(TUNABLES, {"spelling.slip_offset": 3.0})))


def test_the_error_model_is_a_family_of_its_own() -> None:
    # A swap made all but impossible: "asekd" is no longer taken for "asked".
    rare_swaps = with_overrides(TUNABLES, {"slips.swap": "-12"})
    assert clean_text("I asekd her twice.", CleanOptions(rules=["spelling"], tuning=rare_swaps))[0] == "I asekd her twice."
    assert clean_text("I asekd her twice.", CleanOptions(rules=["spelling"]))[0] == "I asked her twice."
