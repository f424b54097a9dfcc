"""Rule `whitespace`: runs of spaces, stray tabs, spaces before punctuation.

Only the inside of a paragraph is touched; indentation and line breaks belong
to the layout. Non-breaking and other special spaces are left alone: they are
usually deliberate.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from storybinder.cleanup.engine import Change, Context, Rule
from storybinder.cleanup.joined import blocks, units_holding
from storybinder.lazy_pattern import lazy

# Two or more spaces/tabs between words (double space after a full stop too).
_RUN = lazy(r"  +|\t[ \t]*| \t[ \t]*")
# The same runs in a paragraph without a tab: a pattern that starts with a literal lets the
# regex engine skip ahead to it, where _RUN's alternation is tried at every space (a third the time).
_SPACES = lazy(r"  +")
# A space between a word and a following , ; ! or ? (full stops are left
# alone: `. . .` ellipses and `.45` calibres look the same).
_BEFORE_PUNCT = lazy(r"[,;!?](?<=[ \t][,;!?])(?=\s|$|[\"'\u201d\u2019])")


def _spaced(text: str) -> bool:
    """Could a space stand before , ; ! or ? (or a tab anywhere)?"""
    return " ," in text or " ;" in text or " !" in text or " ?" in text or "\t" in text


def _holds_tab(text: str) -> bool:
    return "\t" in text


# , ; ! and ? all as a comma: one scan for " ," instead of four.
_PUNCT_AS_COMMA = bytes.maketrans(b";!?", b",,,")


def _story_spaces_punctuation(story: str) -> bool:
    """Does the story (or a block of it) hold a space before , ; ! or ??"""
    # In UTF-8 every byte of a non-ASCII character is over 127: the ASCII
    # bytes found are the text's own.
    return b" ," in story.encode("utf-8", "surrogatepass").translate(_PUNCT_AS_COMMA)


def find(ctx: Context) -> Iterator[Change]:
    # prefilter: most paragraphs (most stories) have no run of spaces, no tab and no space before
    # punctuation; C searches find the units that may, where a test of every unit in Python cost
    # twice as much. (A run of spaces or a tab: units_holding; a space before punctuation in the
    # story at all, asked block by block: then every unit is tested, as before.)
    spaced = _spaced
    if any(map(_story_spaces_punctuation, blocks(ctx.units))):
        units: Iterable[int] = range(len(ctx.units))
    else:
        units = units_holding(ctx.units, ("  ", "\t"))
        # No space stands before , ; ! or ? anywhere: only a tab can (one search, not five, a unit).
        spaced = _holds_tab
    for i in units:
        text = ctx.units[i]
        # Simple patterns, neighbours checked here: lookbehinds at every
        # position would cost more than the rest of the rule.
        n = len(text)
        # Without a tab, a run is spaces alone: _SPACES finds the same runs as _RUN, faster.
        runs = _RUN.finditer(text) if "\t" in text else _SPACES.finditer(text) if "  " in text else ()
        for m in runs:
            s, e = m.span()
            if s and e < n and not text[s - 1].isspace() and not text[e].isspace():
                # Positional arguments: a keyword one makes Change() 2.5x slower (a run after every stop, in some texts).
                yield Change(i, s, e, " ", True, 1.0, "collapsed a run of spaces")
        for m in _BEFORE_PUNCT.finditer(text) if spaced(text) else ():
            end = m.start()
            start = end - 1
            while start and text[start - 1] in " \t":
                start -= 1
            if start and text[start - 1].isalpha() and text[start - 1].isascii():
                yield Change(i, start, end, "", True, 1.0, "removed a space before punctuation")


RULE = Rule("whitespace", "fix", find, "runs of spaces, tabs, spaces before punctuation", typography=True)
