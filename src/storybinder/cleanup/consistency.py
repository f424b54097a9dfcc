"""Rule `names.consistency`: one name spelled two ways in the same story.

Names are words capitalised inside a sentence. Two names one slip apart
(Cadance / Cadence, Twilght / Twilight) where one is clearly the usual
spelling are reported: the rarer spelling gets a suggestion. Never applied by
default: both may be right (two characters, a pun).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from storybinder.cleanup.alternation import alternation
from storybinder.cleanup.dictionary import load_lexicon
from storybinder.cleanup.engine import Change, Context, Rule
from storybinder.cleanup.joined import blocks, joined_blocks
from storybinder.lazy_pattern import lazy

# A capitalised word after a lower-case letter or a comma: inside a sentence.
# (The capital is tested before the lookbehind: most spaces fail there, cheaply.)
# (’ looked ahead for apart: in one class with [\w'-] it compiles into a 64k-entry bitmap, 0.3 ms.)
_NAME = lazy(r" ([A-Z](?<=[a-z,;] [A-Z])[a-z]{3,30})(?![\w'-])(?!\u2019)")
MIN_USUAL = 3  # the usual spelling must occur at least this often...
RATIO = 3  # ...and this many times as often as the variant
# Zipf frequency (wordfreq) of the lower-case form from which a capitalised "variant" is an
# everyday word capitalised after a comma (`are, That they`), not a misspelt name: suggesting
# "What" for every "That" in a novel (121 in Great Expectations) helps no one.
COMMON_WORD_ZIPF = 5.0


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))} | {word}


def variants(counts: Counter[str]) -> dict[str, str]:
    """Map each rare spelling to the usual spelling it is one slip away from."""
    by_key: dict[str, set[str]] = {}
    for name in counts:
        for key in _deletes(name.lower()):
            by_key.setdefault(key, set()).add(name)
    found: dict[str, str] = {}
    for group in by_key.values():
        if len(group) < 2:
            continue
        usual = max(group, key=lambda n: (counts[n], n))
        for name in group:
            if name.startswith(usual) or usual.startswith(name):
                continue  # Spike / Spikey, Equestria / Equestrian: a derived form
            if name != usual and counts[usual] >= MIN_USUAL and counts[usual] >= RATIO * counts[name]:
                # One slip from two usual names (Mill: Hill, Mile): the commoner, then the later
                # in the alphabet, whatever order the groups come in (it was set order, so the
                # suggestion changed from run to run).
                best = found.get(name)
                if best is None or (counts[usual], usual) > (counts[best], best):
                    found[name] = usual
    return found


def find(ctx: Context) -> Iterator[Change]:
    # One scan of the joined story (block by block: all of a 19 MB story joined is 37 MB of memory
    # new to the cache), not one per unit: a name never runs over a line break. Names are counted
    # in the paragraphs only; the variants are looked for in every unit.
    paragraphs = ctx.units if all(k == "para" for k in ctx.kinds) else [
        t for t, k in zip(ctx.units, ctx.kinds) if k == "para"]
    counts: Counter[str] = Counter()
    for text in blocks(paragraphs):
        counts.update(_NAME.findall(text))
    rare = variants(counts)
    if rare:
        lexicon = load_lexicon()
        rare = {name: usual for name, usual in rare.items() if lexicon.zipf(name.lower()) < COMMON_WORD_ZIPF}
    if not rare:
        return
    # No leading \b: starting with the names themselves lets the regex engine
    # skip ahead to their first letters (five times faster). Each name is a whole
    # run of letters (none may follow it), so at most one of them matches at a place.
    pattern = re.compile(alternation(rare) + r"(?![a-z])")
    for first, block in joined_blocks(ctx.units):
        text, starts = block.text, block.starts
        for m in pattern.finditer(text):
            at = m.start()
            k = block.unit_at(at)
            if at > starts[k] and text[at - 1].isalpha():
                continue
            usual = rare[m.group()]
            yield Change(first + k, at - starts[k], m.end() - starts[k], usual, sure=False, confidence=0.4,
                         message=f"“{usual}” elsewhere in the story")


RULE = Rule("names.consistency", "suggest", find, "one name spelled two ways")
