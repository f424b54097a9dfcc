"""Plain-text emphasis: `*word*` and `_word_` become emphasis spans."""

from __future__ import annotations

from ..lazy_pattern import lazy
from ..model import Span, Style

# An opening mark follows a non-word character and precedes a non-space; the
# closing mark mirrors it. `*sigh*` and `_really_` match; `2*3*4`, snake_case and
# a stray `*Special thanks` do not.
_EMPHASIS = lazy(r"(?<![\w*_])([*_])(?=[^\s*_])([^\n]*?[^\s*_])\1(?![\w*_])")


def parse_emphasis(text: str) -> tuple[str, tuple[Span, ...]]:
    """Strip `*...*` / `_..._` marks from text and return it with emphasis spans."""
    if "*" not in text and "_" not in text:
        return text, ()  # most paragraphs: the scan (a lookbehind at every character) costs far more
    spans: list[Span] = []
    out: list[str] = []
    pos = 0
    for match in _EMPHASIS.finditer(text):
        inner = match.group(2)
        if match.group(1) in inner:  # nested or mismatched marks: leave as typed
            continue
        out.append(text[pos : match.start()])
        start = sum(len(s) for s in out)
        out.append(inner)
        spans.append(Span(start, start + len(inner), Style.EMPHASIS))
        pos = match.end()
    out.append(text[pos:])
    return "".join(out), tuple(spans)
