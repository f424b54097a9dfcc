"""Golden cases for the typography rules: unicode, whitespace, dashes, ellipsis."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions, clean_text


def run_rule(rule: str, text: str) -> str:
    return clean_text(text, CleanOptions(rules=[rule]))[0]

UNICODE_CASES = [
    # UTF-8 read as Windows-1252 (mojibake) is decoded back.
    ("don\u00e2\u20ac\u2122t stop", "don\u2019t stop"),
    # Decomposed accents are composed (NFC).
    ("cafe\u0301 au lait", "caf\u00e9 au lait"),
    # Control characters that make XHTML invalid disappear.
    ("bell\x07 and back\x08space", "bell and backspace"),
    # Zero-width spaces and a stray BOM vanish.
    ("zero\u200bwidth\ufeff", "zerowidth"),
    # Emoji joiners survive: they hold emoji together.
    ("family \U0001f468\u200d\U0001f469", "family \U0001f468\u200d\U0001f469"),
    # Correct accented text is untouched.
    ("Na\u00efve fianc\u00e9e, \u00c0 bient\u00f4t", "Na\u00efve fianc\u00e9e, \u00c0 bient\u00f4t"),
    # Letters that garbled text is made of, apart, are no garbling.
    ("Stra\u00dfe \u00e2 \u00a9 and \u00c3 (\u2122)", "Stra\u00dfe \u00e2 \u00a9 and \u00c3 (\u2122)"),
    # Junk and decomposed accents are found beside plain ASCII paragraphs too.
    ("plain words\n\nzero\u200bwidth", "plain words\n\nzerowidth"),
    ("plain words\n\ncafe\u0301", "plain words\n\ncaf\u00e9"),
]

WHITESPACE_CASES = [
    # A double space after a full stop.
    ("Stop.  Go.", "Stop. Go."),
    # A run of spaces between words.
    ("a    b", "a b"),
    # A tab inside a sentence.
    ("a\tb", "a b"),
    # A space before a comma or question mark.
    ("Well , what ?", "Well, what?"),
    # A full stop after a space may be an ellipsis or a number: untouched.
    ("Wait . . . the .45 is here", "Wait . . . the .45 is here"),
]

DASH_CASES = [
    # Typewriter double hyphen.
    ("word--word", "word\u2014word"),
    # Triple hyphen.
    ("word---word", "word\u2014word"),
    # A spaced hyphen between words is a dash; the spacing is the author's.
    ("word - word", "word \u2014 word"),
    # A number range takes an en dash.
    ("pages 10--20", "pages 10\u201320"),
    # Speech broken off with a hyphen before the quote.
    ('"I was going-" she said', '"I was going\u2014" she said'),
    # Hyphenated words and rules of hyphens are not dashes.
    ("a well-known man", "a well-known man"),
    ("----------", "----------"),
]

ELLIPSIS_CASES = [
    # Three stops.
    ("Well... no.", "Well\u2026 no."),
    # Spaced stops.
    ("Well. . . no.", "Well\u2026 no."),
    # Four stops end a sentence after an ellipsis; five or more are one long pause.
    ("I waited for her....", "I waited for her\u2026."),
    ("Well.... no.", "Well\u2026. no."),
    ("So..... then what?", "So\u2026 then what?"),
    ("........Nothing.", "\u2026Nothing."),
    # An ellipsis then its stop is left as it is.
    ("I waited for her\u2026.", "I waited for her\u2026."),
]


@pytest.mark.parametrize(
    ("rule", "before", "after"),
    [("unicode", *c) for c in UNICODE_CASES]
    + [("whitespace", *c) for c in WHITESPACE_CASES]
    + [("dashes", *c) for c in DASH_CASES]
    + [("ellipsis", *c) for c in ELLIPSIS_CASES],
)
def test_rule(rule: str, before: str, after: str) -> None:
    assert run_rule(rule, before) == after
