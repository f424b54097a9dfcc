"""Rule `dashes`: typewriter dashes to em dashes, number ranges to en dashes.

`--` and `---` become an em dash (an en dash between two numbers: `1914--1918`);
a hyphen with a space on each side between two words is a dash too. The
author's spacing around the dash is kept. Longer runs of hyphens are rules
or scene breaks, not dashes, and are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from storybinder.cleanup.engine import Change, Context, Rule
from storybinder.lazy_pattern import lazy

EM, EN = "\u2014", "\u2013"
# Each pattern starts with its hyphens and looks behind only after them: a
# pattern that starts with a literal lets the regex engine skip ahead to it,
# one that starts with a lookbehind is tried at every character (3x slower).
_DOUBLE = lazy(r"--(?<![-\u2014\u2013]--)-?(?![-\u2014\u2013])")
# ` - ` between words (or after closing punctuation / before an opening quote).
_SPACED = lazy(r" -(?<=[\w,.;:!?\"'\u2019\u201d)] -)(?= [\w\"'\u2018\u201c(])")
# `going-"` : speech broken off with a single hyphen before the closing quote.
_CUT_OFF = lazy(r"-(?<=[a-z]-)(?=[\"\u201d](?:\s|$))")


def find(ctx: Context) -> Iterator[Change]:
    for i, text in enumerate(ctx.units):
        if "-" not in text:
            continue
        for m in _DOUBLE.finditer(text) if "--" in text else ():
            s, e = m.span()
            ranged = s > 0 and e < len(text) and text[s - 1].isdigit() and text[e].isdigit()
            # Positional arguments: a keyword one makes Change() 2.5x slower.
            yield Change(i, s, e, EN if ranged else EM, True, 1.0, "typewriter dash")
        for m in _SPACED.finditer(text) if " - " in text else ():
            yield Change(i, m.start() + 1, m.end(), EM, True, 1.0, "spaced hyphen used as a dash")
        for m in _CUT_OFF.finditer(text):
            yield Change(i, m.start(), m.end(), EM, True, 1.0, "hyphen ending broken-off speech")


RULE = Rule("dashes", "fix", find, "-- and --- to em dashes, number ranges to en dashes", typography=True)
