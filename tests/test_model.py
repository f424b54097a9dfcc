"""Paragraph.replace keeps inline spans on the words they styled."""

from __future__ import annotations

import pytest

from storybinder.model import Paragraph, Span, Style

EM = Style.EMPHASIS


def styled(p: Paragraph) -> list[str]:
    return [p.text[s.start : s.end] for s in p.spans]


@pytest.mark.parametrize(
    "text,span,edit,expected_text,expected_styled",
    [
        # An ellipsis replacing dots right after an italic word is not italic.
        ("ab...", (0, 2), (2, 5, "…"), "ab…", ["ab"]),
        # A closing quote inserted after an italic word stays outside it.
        ("say hi", (4, 6), (6, 6, "”"), "say hi”", ["hi"]),
        # An opening quote inserted before an italic word stays outside it.
        ("say hi", (4, 6), (4, 4, "“"), "say “hi", ["hi"]),
        # Curling a quote inside the span keeps it inside.
        ('x "hi" y', (2, 6), (2, 3, "“"), "x “hi\" y", ['“hi"']),
        # Text before the span shifts it; text after leaves it.
        ("aa bb cc", (3, 5), (0, 2, "a"), "a bb cc", ["bb"]),
        ("aa bb cc", (3, 5), (6, 8, "dddd"), "aa bb dddd", ["bb"]),
        # Replacing the whole styled word keeps the style on the new word.
        ("teh cat", (0, 3), (0, 3, "the"), "the cat", ["the"]),
        # Deleting a doubled word inside a span shrinks the span.
        ("the the cat", (0, 11), (3, 7, ""), "the cat", ["the cat"]),
    ],
)
def test_replace_shifts_spans(text, span, edit, expected_text, expected_styled):
    p = Paragraph(text, (Span(span[0], span[1], EM),)).replace(*edit)
    assert p.text == expected_text
    assert styled(p) == expected_styled


def test_span_emptied_by_a_deletion_disappears():
    p = Paragraph("a bb c", (Span(2, 4, EM),)).replace(1, 5, "")
    assert p.text == "ac" and p.spans == ()
