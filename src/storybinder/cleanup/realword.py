"""Rule `spelling.realword`: a real word typed for another (its for it's, there for their).

No dictionary can catch these: both words are right somewhere. The rule looks
at each member of a confusion set (its/it's, your/you're, their/there/they're,
then/than, to/too, lose/loose, whose/who's, were/where, quite/quiet,
past/passed, affect/effect, breath/breathe) and scores every member of its
set in that place, like the spelling model: how common the word is, how
likely it is after the word before and before the word after (Google Books
pairs), and how rarely a writer types one for the other (RealwordParams.
confusion). A swap is applied only when the other word is far likelier
(RealwordParams.fix_probability); a likely one is a suggestion.

The pair list has no apostrophes, so an elided form is scored through the
words it stands for: it's as "it" after the word before and as "is" before the
word after. A possessive (its, your, their, whose), "to" and "than" cannot
end a clause: one before a full stop or a comma is scored as all but
impossible. "could of" before a participle is "could have". Dialect (a paragraph
of elided speech) raises the bar, as in the spelling model.

Pure: the lexicon and the parameters are passed in; nothing outside the
project's own lexicon is loaded, so the rule costs no start-up time. Switch it
off with `--skip spelling.realword`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from storybinder.cleanup.channel import posterior
from storybinder.cleanup.dictionary import Lexicon, load_lexicon
from storybinder.cleanup.engine import Change, Context, Rule
from storybinder.cleanup import spelling
from storybinder.cleanup.spelling import is_dialect_paragraph, neighbours_of


@dataclass(frozen=True)
class RealwordParams:
    """spelling.realword's thresholds (chosen by leave-one-book-out cross-validation, bench/cleanup_cv.py)."""

    # CV (confusion -1/-1.5/-2 x fix_probability 0.9/0.95/0.98): -1 and 0.98 chosen in 15/15 folds;
    # real-word fix 0.193 cross-validated with no added false edits (0.9 with -1 cost 40 wrong swaps).
    fix_probability: float = 0.98  # apply a swap the model gives at least this chance
    suggest_probability: float = 0.5  # an even chance or better: worth a reader's look
    confusion: float = -1.0  # log10 P(a writer types this word for that one)
    context_weight: float = 1.0
    dialect_penalty: float = 1.0  # log10: how much less a swap is believed in elided speech
    # A rare word of the large dictionaries (untill, froom: obsolete forms in
    # Webster's) is this much likelier as written than a word in none.
    listed_bonus: float = 2.0


DEFAULT_PARAMS = RealwordParams()

CONFUSION_SETS: tuple[tuple[str, ...], ...] = (
    ("its", "it's"),
    ("your", "you're"),
    ("their", "there", "they're"),
    ("then", "than"),
    ("to", "too"),
    ("lose", "loose"),
    ("whose", "who's"),
    ("were", "where"),
    ("quite", "quiet"),
    ("past", "passed"),
    ("affect", "effect"),
    ("breath", "breathe"),
)
_SET_OF = {w: s for s in CONFUSION_SETS for w in s}
# An elided form is looked up as (the word before it joins, the word after it follows).
_PROXIES = {"it's": ("it", "is"), "you're": ("you", "are"), "they're": ("they", "are"), "who's": ("who", "is")}
# Words that need a word after them: a possessive its noun, "to" and "than" their object.
_NEED_A_FOLLOWER = frozenset({"its", "your", "their", "whose", "to", "than"})
_CANDIDATE = re.compile(
    r"(?<![\w'\u2019-])(?:its|it['\u2019]s|your|you['\u2019]re|their|there|they['\u2019]re|then|than|to|too|lose|"
    r"loose|whose|who['\u2019]s|were|where|quite|quiet|past|passed|affect|effect|breath|breathe)(?![\w'\u2019-])",
    re.IGNORECASE,
)
_MODAL_OF = re.compile(r"\b(could|would|should|might|must|may)( )(of)( )([a-z]+)\b", re.IGNORECASE)
_PARTICIPLE_END = ("ed", "en")
_IRREGULAR = frozenset("been gone done had seen known made got come taken given thought found told".split())
_CLAUSE_END = re.compile(r"\s*[.,;:!?\u2026\u2014)\"\u201d]")


def _zipf(word: str, lexicon: Lexicon) -> float:
    return lexicon.zipf(word.replace("\u2019", "'"))


# The pair list keeps pairs seen 6.4 million times or more: a missing pair is
# taken to be just under that (log10), not impossible.
PAIR_FLOOR = 6.5


def _score(word: str, before: str, after: str, ends_clause: bool, lexicon: Lexicon) -> float:
    """log10 P(word | the word before) + log10 P(the word after | word), up to a constant shared by the set."""
    left, right = _PROXIES.get(word, (word, word))
    if before and lexicon.bigram_first(before):
        score = lexicon.bigram(before, left) or PAIR_FLOOR  # over C(before ·), the same for every member
    else:
        score = _zipf(word, lexicon) + 3.0  # no word before: how common the word is (on the pairs' scale)
    if after:
        total = lexicon.bigram_first(right)
        score += (lexicon.bigram(right, after) or PAIR_FLOOR) - total if total else 0.0
    if ends_clause and word in _NEED_A_FOLLOWER:
        score -= 4.0  # "stood their.", "there, to, most": nothing follows that needs to
    return score


@dataclass(frozen=True)
class Swap:
    word: str
    probability: float


def judge(word: str, before: str, after: str, ends_clause: bool, dialect: bool, params: RealwordParams,
          lexicon: Lexicon) -> Swap | None:
    """The member of the word's confusion set meant here, when it is not the word itself."""
    members = _SET_OF.get(word)
    if members is None:
        return None
    weight = params.context_weight
    as_typed = weight * _score(word, before, after, ends_clause, lexicon)
    others = [
        (weight * _score(m, before, after, ends_clause, lexicon) + params.confusion
         - (params.dialect_penalty if dialect else 0.0), m)
        for m in members if m != word
    ]
    probability, best = posterior(others, as_typed)[0]
    if probability < params.suggest_probability:
        return None
    return Swap(best, probability)


def _styled(original: str, replacement: str, text: str) -> str:
    """The replacement in the original's case and the text's apostrophe."""
    if "'" in replacement and ("\u2019" in text or "'" not in text):
        replacement = replacement.replace("'", "\u2019")
    if original[0].isupper():
        replacement = replacement[0].upper() + replacement[1:]
    return replacement


def _find_listed_slips(ctx: Context, params: RealwordParams) -> Iterator[Change]:
    """Rare dictionary words that read as a slip of a common one here ("waited untill the")."""
    spelling_params = spelling.params_of(ctx)
    lexicon = load_lexicon()
    for u, m, suspect, dialect in spelling.listed_occurrences(ctx):
        text = ctx.units[u]
        verdict = spelling.judge(suspect, *neighbours_of(text, m.start(), m.end()),
                                 dialect or spelling.writes_dialect(ctx), spelling_params, lexicon,
                                 listed_bonus=params.listed_bonus)
        if verdict is None or (m.group()[0].isupper() and suspect.zipf > 0):
            continue
        yield Change(u, m.start(), m.end(), _styled(m.group(), verdict.correction, text), sure=verdict.sure,
                     confidence=round(verdict.probability, 3),
                     message=f"a rare word, or a slip for “{verdict.correction}”? ({verdict.probability:.0%})")


def find_realword(ctx: Context) -> Iterator[Change]:
    params: RealwordParams = ctx.tuning.get("realword", DEFAULT_PARAMS)
    yield from _find_listed_slips(ctx, params)
    lexicon: Lexicon | None = None
    seen: dict[tuple[str, str, str, bool, bool], Swap | None] = {}
    for u, text in enumerate(ctx.units):
        if ctx.kinds[u] != "para":
            continue
        dialect = is_dialect_paragraph(text)
        for m in _MODAL_OF.finditer(text):
            participle = m.group(5).lower()
            if participle in _IRREGULAR or participle.endswith(_PARTICIPLE_END):
                yield Change(u, m.start(3), m.end(3), _styled(m.group(3), "have", text), sure=not dialect,
                             confidence=0.95, message="“of” for “have” after a modal")
        for m in _CANDIDATE.finditer(text):
            if lexicon is None:
                lexicon = load_lexicon()
            word = m.group().lower().replace("\u2019", "'")
            before, after = neighbours_of(text, m.start(), m.end())
            ends_clause = bool(_CLAUSE_END.match(text, m.end())) or m.end() == len(text)
            key = (word, before, after, ends_clause, dialect)
            if key not in seen:  # "to the", "there was": the same question again and again
                seen[key] = judge(word, before, after, ends_clause, dialect, params, lexicon)
            swap = seen[key]
            if swap is None:
                continue
            sure = swap.probability >= params.fix_probability
            yield Change(u, m.start(), m.end(), _styled(m.group(), swap.word, text), sure=sure,
                         confidence=round(swap.probability, 3),
                         message=f"“{swap.word}” meant?" + ("" if sure else f" ({swap.probability:.0%})"))


RULE = Rule("spelling.realword", "fix", find_realword, "a real word typed for another (its/it's, their/there)")
