"""Rule `spelling.participle`: a simple past typed for the past participle after have ("had ran").

`Spike had ran off`, `she'd went home`, `they have came back`: the perfect
takes the participle (run, gone, come). Only verbs whose past was never their
participle in print: Austen's "had ate", Swift's "had spoke", "had forgot",
"had broke" and "had bit" were standard once and stand in proofread books, so
those are left alone. The surest five (ran, went, came, did, began) are fixed;
the others, whose past doubles as something else often enough ("had saw" as
in a saw, "had rose" as in a rose), are suggestions; in dialect ("I had went")
every one is only a suggestion, for the writer may mean it, and so is each in
a story that makes three or more perfects with the past (Huckleberry Finn's
"had took", "had stole", "you've went": a voice, not a slip).
"""

from __future__ import annotations

from collections.abc import Iterator

from storybinder.cleanup.alternation import alternation
from storybinder.cleanup.engine import Change, Context, Rule
from storybinder.cleanup.joined import joined_blocks
from storybinder.cleanup.spelling import is_dialect_paragraph
from storybinder.lazy_pattern import lazy

# The past and the participle it stands for.
_PARTICIPLES = {
    "ran": "run", "went": "gone", "came": "come", "did": "done", "began": "begun",
    "saw": "seen", "swam": "swum", "rang": "rung", "sang": "sung", "sank": "sunk", "took": "taken",
    "gave": "given", "flew": "flown", "threw": "thrown", "knew": "known", "grew": "grown", "drove": "driven",
    "rode": "ridden", "rose": "risen", "fell": "fallen", "froze": "frozen", "stole": "stolen", "chose": "chosen",
    "drew": "drawn", "wore": "worn", "tore": "torn",
}
_SURE = frozenset({"ran", "went", "came", "did", "began"})
# Pasts that stood for participles in print once (had forgot, had spoke, had ate): never changed,
# but a writer who uses them, or the others, again and again writes that grammar on purpose.
_PERIOD = ("forgot", "broke", "spoke", "bit", "hid", "shook", "drank", "ate", "wrote", "stank", "shrank", "sprang")
# Stories with this many perfects made with a past are in a voice (Huck's, a period's): only suggestions.
_HABIT = 3
_ADVERBS = ("never", "already", "just", "not", "ever", "always", "also", "finally", "all", "now", "only", "since",
            "once", "long")
_ADVERB = r"(?: (?:" + "|".join(_ADVERBS) + r"|[a-z]+ly))?"
# have/has/had, or a pronoun's 've/'d (not the elided -ed of verse: summon'd), an adverb, then the past.
_HAVE = r"\b(?:[Hh]a(?:ve|s|d)|(?:I|[Yy]ou|[Ww]e|[Tt]hey|[Ww]ho)['\u2019]ve|(?:I|[Yy]ou|[Hh]e|[Ss]he|[Ii]t|[Ww]e|[Tt]hey|[Ww]ho)['\u2019]d)"
# The past is looked for first (a few in a thousand words), then what stands before it: a scan
# for have at every word cost five times more. The space before it is matched, not looked
# behind for, and the words are factored by their beginnings (cleanup.alternation): the
# matcher tries them only after a space, each letter once.
# (’ looked ahead for apart: in one class with ' and - it compiles into a 64k-entry bitmap, 0.3 ms.)
_ANY_PAST = lazy(" (" + alternation([*_PARTICIPLES, *_PERIOD]) + r")\b(?!['-])(?!\u2019)")
_BEFORE = lazy(_HAVE + _ADVERB + r" \Z")
# How what stands right before the past may end: a have (have, has, had, ’ve, ’d) or an adverb.
# Looked at before _BEFORE is searched for: nine pasts in ten follow another word ("he saw",
# "and came"), told by a slice and a set (38,000 pasts in 19 MB: 73 -> 19 ms).
_BEFORE_ENDS = frozenset({"ve", "as", "ad", "'d", "\u2019d", "ly"} | {w[-2:] for w in _ADVERBS})


def _after_have(text: str, at: int) -> bool:
    """Does a have (and perhaps an adverb) stand right before the past at `at`, after its space?"""
    return text[at - 3 : at - 1] in _BEFORE_ENDS and _BEFORE.search(text, max(0, at - 32), at) is not None


def find(ctx: Context) -> Iterator[Change]:
    # One scan of the joined story (block by block) finds every past after have: the fixable ones
    # are the candidates, and all of them (in any unit) count towards the story's habit. (Have, its
    # adverb and the past never run over a line break: each unit reads as it does alone.)
    perfects = [
        (first, block, m) for first, block in joined_blocks(ctx.units)
        for m in _ANY_PAST.finditer(block.text) if _after_have(block.text, m.start(1))
    ]
    # Stories that make their perfects with the past as a habit (Huck's "had took", "had stole").
    habitual = len(perfects) >= _HABIT
    for first, block, m in perfects:
        past = m.group(1)  # (lower case only: "had Rose" names someone)
        k = block.unit_at(m.start(1))
        u = first + k
        if past not in _PARTICIPLES or ctx.kinds[u] != "para":
            continue
        text, at = ctx.units[u], m.start(1) - block.starts[k]
        sure = past in _SURE and not is_dialect_paragraph(text) and not habitual
        yield Change(u, at, at + len(past), _PARTICIPLES[past], sure=sure, confidence=0.95 if sure else 0.5,
                     message="the past participle after have" + ("" if sure else "?"))


RULE = Rule("spelling.participle", "fix", find, "had ran -> had run")
