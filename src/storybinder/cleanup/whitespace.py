"""Rule `whitespace`: runs of spaces, stray tabs, spaces before punctuation.

Only the inside of a paragraph is touched; indentation and line breaks belong
to the layout. Non-breaking and other special spaces are left alone: they are
usually deliberate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from storybinder.cleanup.engine import Change, Context, Rule

# Two or more spaces/tabs between words (double space after a full stop too).
_RUN = re.compile(r"(?<=\S)(?:[ \t]{2,}|\t)(?=\S)")
# A space between a word and a following , ; ! or ? (full stops are left
# alone: `. . .` ellipses and `.45` calibres look the same).
_BEFORE_PUNCT = re.compile(r"(?<=[A-Za-z])[ \t]+(?=[,;!?](?:\s|$|[\"'\u201d\u2019]))")


def find(ctx: Context) -> Iterator[Change]:
    for i, text in enumerate(ctx.units):
        if "  " not in text and "\t" not in text and " ," not in text and " ;" not in text \
                and " !" not in text and " ?" not in text:
            continue
        for m in _RUN.finditer(text):
            if "\n" in m.group():
                continue
            yield Change(i, m.start(), m.end(), " ", message="collapsed a run of spaces")
        for m in _BEFORE_PUNCT.finditer(text):
            yield Change(i, m.start(), m.end(), "", message="removed a space before punctuation")


RULE = Rule("whitespace", "fix", find, "runs of spaces, tabs, spaces before punctuation")
