"""The author's decisions on the cleaner's changes, and finding them again in a changed text.

A decision names the rule, the text the rule changes (`original`), what the
rule proposed, the author's action (accept, reject, or edit with their own
text) and the words around it, so it is found again after the story has been
edited elsewhere. `DecisionMatcher` answers the cleanup engine for each
proposed change; it is pure (no I/O) and remembers which decisions it used,
so those whose text is gone can be reported as stale, never applied blindly.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Literal

from ..cleanup.engine import Verdict

Action = Literal["accept", "reject", "edit"]
ACTIONS: tuple[Action, ...] = ("accept", "reject", "edit")

# Context kept on each side of a decided change: enough words to tell one
# "teh" from another in the same chapter, few enough that an edit a sentence
# away does not lose the decision.
CONTEXT_CHARS = 40
# A decision whose context is this similar to the text around a change is
# the same place (1.0 is the same words; an edited neighbouring word ~0.8).
MATCH_SCORE = 0.7
# Characters next to the change that must survive on one side for a fuzzy
# match to be considered at all (keeps matching O(1) per change: thousands of
# curled quotes are looked up against a few decided ones).
ANCHOR_CHARS = 6
# More candidates than this sharing one anchor are narrowed to those sharing both.
FUZZY_CANDIDATES = 24

# The typography the cleaner itself changes around a decision (a quote curled
# or not, a dash set): folded away so contexts compare the words. One to one,
# so positions stay put.
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u2026": ".", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\t": " ",
})


def fold(text: str) -> str:
    """Text with its typography folded to ASCII and its case folded, for comparing contexts."""
    return text.translate(_FOLD).lower()


@dataclass(frozen=True)
class Decision:
    """One decision: `rule` proposed `proposed` for `original`; the author chose `action`.

    `text` is the author's own replacement (action "edit"). `everywhere` makes
    it hold for every `original` this rule changes, wherever it is (no context).
    """

    rule: str
    original: str
    proposed: str
    action: Action
    text: str = ""
    before: str = ""
    after: str = ""
    everywhere: bool = False

    @property
    def key(self) -> tuple[str, str, str, str, bool]:
        """What makes two decisions the same decision (a later one replaces an earlier)."""
        return (self.rule, self.original, self.before, self.after, self.everywhere)


@dataclass(frozen=True)
class Decisions:
    """Every decision about one story, plus the words the author keeps as they are."""

    items: tuple[Decision, ...] = ()
    words: tuple[str, ...] = ()

    def decide(self, decision: Decision) -> Decisions:
        """These decisions with `decision` added (replacing an earlier one about the same place)."""
        kept = tuple(d for d in self.items if d.key != decision.key)
        return replace(self, items=(*kept, decision))

    def update(self, add: Iterable[Decision], remove: Collection[tuple] = ()) -> Decisions:
        """These decisions without those about `remove` and with `add` (each replacing one about its place):
        one pass, however many (rejecting a novel's 5,000 curled quotes is one call)."""
        added = {d.key: d for d in add}
        gone = set(remove) | set(added)
        kept = tuple(d for d in self.items if d.key not in gone)
        return replace(self, items=(*kept, *added.values()))

    def forget(self, key: tuple[str, str, str, str, bool]) -> Decisions:
        """These decisions without the one about `key` (the change is asked about again)."""
        return replace(self, items=tuple(d for d in self.items if d.key != key))

    def keep_word(self, word: str) -> Decisions:
        """These decisions with `word` added to the words kept as the author wrote them."""
        if word in self.words:
            return self
        return replace(self, words=(*self.words, word))

    def forget_word(self, word: str) -> Decisions:
        return replace(self, words=tuple(w for w in self.words if w != word))

    def __bool__(self) -> bool:
        return bool(self.items or self.words)


def trim_context(left: str, right: str, size: int = CONTEXT_CHARS) -> tuple[str, str]:
    """The last `size` characters of `left` and the first of `right`, cut at a space (no half word at the far end)."""
    before = left[-size:] if size else ""
    if len(left) > size and " " in before:
        before = before[before.index(" ") :]
    after = right[:size]
    if len(right) > size and " " in after:
        after = after[: after.rindex(" ") + 1]
    return before, after


def context_around(text: str, start: int, end: int, size: int = CONTEXT_CHARS) -> tuple[str, str]:
    """The words around text[start:end] that a decision keeps to find its place again."""
    return trim_context(text[max(0, start - size - 1) : start], text[end : end + size + 1], size)


def decision_for(
    rule: str, original: str, proposed: str, left: str, right: str, action: Action, text: str = "",
    *, everywhere: bool = False,
) -> Decision:
    """A decision about one change, `left` and `right` being (at least) the text around it."""
    if everywhere:
        return Decision(rule, original, proposed, action, text, everywhere=True)
    before, after = trim_context(left, right)
    return Decision(rule, original, proposed, action, text, before, after)


def _similarity(expected: str, actual: str) -> float:
    if expected == actual:
        return 1.0
    if not expected or not actual:
        return 0.0
    return SequenceMatcher(None, expected, actual, autojunk=False).ratio()


@dataclass
class _Indexed:
    decision: Decision
    before: str  # folded
    after: str


@dataclass
class DecisionMatcher:
    """Finds the decision about each change the cleaner proposes (the engine's `decide` hook).

    Called as matcher(rule, text, start, end, proposed, applied) with the
    paragraph's text as the rule saw it. Exact context first, then the most
    similar context above MATCH_SCORE, then an `everywhere` decision.
    With `record`, `calls` gets (decision index or None, applied without a
    decision) for every change, in the order the engine made its edits.
    """

    decisions: Decisions
    record: bool = False
    used: set[int] = field(default_factory=set)
    calls: list[tuple[int | None, bool]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._entries = [_Indexed(d, fold(d.before), fold(d.after)) for d in self.decisions.items]
        self._exact: dict[tuple[str, str, str, str], int] = {}
        self._near: dict[tuple[str, str, str], list[int]] = {}
        self._everywhere: dict[tuple[str, str], int] = {}
        self._keys: set[tuple[str, str]] = set()
        for i, entry in enumerate(self._entries):
            d = entry.decision
            self._keys.add((d.rule, d.original))
            if d.everywhere:
                self._everywhere[(d.rule, d.original)] = i
                continue
            self._exact.setdefault((d.rule, d.original, entry.before, entry.after), i)
            for anchor in (f"<{entry.before[-ANCHOR_CHARS:]}", f">{entry.after[:ANCHOR_CHARS]}"):
                self._near.setdefault((d.rule, d.original, anchor), []).append(i)

    def __call__(self, rule: str, text: str, start: int, end: int, proposed: str, applied: bool = False) -> Verdict | None:
        original = text[start:end]
        found = None
        if (rule, original) in self._keys:  # nearly every change fails this one set look-up
            found = self._find(rule, original, text, start, end)
        if self.record:
            self.calls.append((found, applied))
        if found is None:
            return None
        self.used.add(found)
        d = self._entries[found].decision
        if d.action == "reject":
            return Verdict(False, proposed, "reject")
        if d.action == "edit":
            return Verdict(True, d.text, "edit")
        return Verdict(True, d.proposed or proposed, "accept")

    def _find(self, rule: str, original: str, text: str, start: int, end: int) -> int | None:
        # The context a decision made here would keep: the same place, unedited, is one look-up.
        here_before, here_after = context_around(text, start, end)
        exact = self._exact.get((rule, original, fold(here_before), fold(here_after)))
        if exact is not None:
            return exact
        before = fold(text[max(0, start - CONTEXT_CHARS) : start])
        after = fold(text[end : end + CONTEXT_CHARS])
        best, best_score = None, MATCH_SCORE
        near = [self._near.get((rule, original, anchor), [])
                for anchor in (f"<{before[-ANCHOR_CHARS:]}", f">{after[:ANCHOR_CHARS]}")]
        candidates = set(near[0]) | set(near[1])
        if len(candidates) > FUZZY_CANDIDATES:
            # Hundreds of decided quotes share "said. ": only those anchored on both sides.
            candidates = set(near[0]) & set(near[1])
        for i in sorted(candidates):
            # The same length of text as the decision kept (shorter near a paragraph's edge).
            entry = self._entries[i]
            actual_before = before[len(before) - len(entry.before) :] if entry.before else ""
            actual_after = after[: len(entry.after)]
            if actual_before == entry.before and actual_after == entry.after:
                return i
            score = (_similarity(entry.before, actual_before) + _similarity(entry.after, actual_after)) / 2
            if score > best_score:
                best, best_score = i, score
        if best is not None:
            return best
        return self._everywhere.get((rule, original))

    def stale(self, rules_run: Collection[str] | None = None) -> list[Decision]:
        """The decisions that matched no change (of the rules that ran, when given): their text is gone."""
        return [
            entry.decision
            for i, entry in enumerate(self._entries)
            if i not in self.used and (rules_run is None or entry.decision.rule in rules_run)
        ]


def stale_lines(stale: Iterable[Decision], where: str) -> list[str]:
    """One warning line per stale decision, naming the file and what no longer matches."""
    lines = []
    for d in stale:
        scope = "everywhere" if d.everywhere else f"in “{(d.before + d.original + d.after).strip()}”"
        lines.append(
            f"{where}: review decision no longer matches the text ({d.rule}: {d.action} “{d.original}” {scope}); "
            "not applied (storybinder review to decide again)"
        )
    return lines
