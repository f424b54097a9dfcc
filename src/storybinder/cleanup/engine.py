"""Runs cleanup rules over a sequence of text units and records every change.

A *unit* is one paragraph-like piece of text (a paragraph, a heading, a chapter
title). Rules see all units at once because some need context across
paragraphs (multi-paragraph speech). Rules only *propose* changes; the engine
decides which are applied (sure changes of a `fix` rule) and which stay
suggestions, applies them right to left, and turns each into a model.Edit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from storybinder.cleanup.tuning import Tuning
from storybinder.model import Edit
from storybinder.record import Record

Mode = Literal["fix", "suggest", "off"]
UnitKind = Literal["para", "heading", "title"]


class Change(Record):
    """A proposed replacement of units[unit][start:end] by `new`.

    `sure` marks a change the rule is confident in; an unsure change is only
    ever a suggestion unless the user asks for suggestions to be applied.
    (A NamedTuple: rules make one per curled quote, and tuples are cheap.)
    """

    unit: int
    start: int
    end: int
    new: str
    sure: bool = True
    confidence: float = 1.0
    message: str = ""


class Context:
    """What a rule sees: the current text of every unit plus story-level facts.

    (Not a dataclass: Python 3.11 compiles a dataclass's methods when its module is imported,
    0.3 ms here, on every run; nothing asks a Context for them.)
    """

    __slots__ = ("units", "kinds", "extra_words", "cache", "tuning", "stanzas", "beats")

    def __init__(
        self,
        units: list[str],
        kinds: list[UnitKind],
        extra_words: frozenset[str] = frozenset(),
        cache: dict[str, object] | None = None,
        tuning: Tuning = Tuning(),  # the rules' thresholds (cleanup.tuning)
        # Units that are stanzas of verse ("para" units whose "\n" separate lines):
        # a quotation may run over their lines and on into the next stanza.
        stanzas: frozenset[int] = frozenset(),
        # Units that open with an emphasised beat before their speech (fan fiction's `*sigh* "Yes…`,
        # whose asterisks the reader made emphasis): each one's beat as its text shows it ("sigh").
        beats: dict[int, str] | None = None,
    ) -> None:
        self.units = units
        self.kinds = kinds
        self.extra_words = extra_words
        self.cache: dict[str, object] = {} if cache is None else cache
        self.tuning = tuning
        self.stanzas = stanzas
        self.beats: dict[int, str] = {} if beats is None else beats

    def memo(self, key: str, make: Callable[[], object]) -> object:
        """Compute a per-run value (e.g. the story's word counts) once."""
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]


class Rule(Record):
    """One family of fixes: an id, a default mode and a function proposing changes.

    (A NamedTuple: as immutable as a frozen dataclass, and made at import in a fifth of the time.)
    """

    id: str
    default: Mode
    find: Callable[[Context], Iterable[Change]]
    description: str = ""
    # Typography only (curly quotes, dashes, spacing): it never changes which
    # words are there, so reports fold its edits away behind one line.
    typography: bool = False


CONTEXT = 80  # characters of context kept on each side of an edit for reports


_new = object.__new__
_set = object.__setattr__


def _edit(
    rule: str, chapter: int, block: int, offset: int, before: str, after: str,
    confidence: float, applied: bool, message: str, decision: str = "",
) -> Edit:
    """Edit(...) at a fifth of the cost (tests/test_cleanup_engine.py checks they are equal).

    Edit is a frozen dataclass: its __init__ sets each of the nine fields
    through object.__setattr__, and that took 40% of the engine's time (one
    edit per curled quote). Giving the new instance its filled dict gives the same object.
    """
    edit = _new(Edit)
    _set(edit, "__dict__", {
        "rule": rule, "chapter": chapter, "block": block, "offset": offset, "before": before, "after": after,
        "confidence": confidence, "applied": applied, "message": message, "decision": decision,
    })
    return edit


Locate = Callable[[int], tuple[int, int]]
Apply = Callable[[int, list[Change], str], None]


class Verdict(Record):
    """The author's decision on one proposed change: apply it or not, with which text."""

    apply: bool
    new: str
    action: str  # "accept", "reject" or "edit"


# decide(rule id, unit text, start, end, proposed text, applied without a decision):
# the author's decision, or None.
Decide = Callable[[str, str, int, int, str, bool], "Verdict | None"]


def run_rules(
    ctx: Context,
    rules: Iterable[tuple[Rule, Mode]],
    *,
    apply_suggestions: bool,
    locate: Locate,
    on_apply: Apply | None = None,
    contexts: list[tuple[str, str]] | None = None,
    decide: Decide | None = None,
) -> list[Edit]:
    """Run each rule in order over ctx.units (updated in place) and return the edits.

    `locate(unit)` gives the (chapter, block) an edit is reported under;
    `on_apply(unit, changes, new_text)` mirrors the applied changes of one
    unit (in text order, offsets before any of them) onto the caller's own
    objects (e.g. Paragraph.replace to keep spans aligned).
    `contexts`, when given, receives the text around each edit (before, after)
    as it stood when the edit was made, for reports.
    `decide`, when given, settles each change the author has decided about
    (review decisions): it overrides fix-or-suggest and may give the text.
    """
    edits: list[Edit] = []
    add_edit = edits.append
    for rule, mode in rules:
        if mode == "off":
            continue
        by_unit: dict[int, list[Change]] = {}
        get = by_unit.get
        for change in rule.find(ctx):
            # (no setdefault: it would make a new list for every change)
            same = get(change[0])
            if same is None:
                by_unit[change[0]] = [change]
            else:
                same.append(change)
        rule_id = rule.id
        fixing = mode == "fix"
        for unit, changes in by_unit.items():
            text = ctx.units[unit]
            chapter, block = locate(unit)
            if len(changes) > 1:
                changes.sort()  # tuples: by position (all share the unit)
            applied_changes: list[Change] = []
            last_end = -1
            for c in changes:
                # Unpacked at once, positional: this runs once per curled quote.
                _, start, end, new, sure, confidence, message = c
                before = text[start:end]
                if start < last_end or (sure and before == new):
                    continue  # overlapping proposals: the first one wins; no-op fixes vanish
                last_end = end if end > start else start + 1
                applied = apply_suggestions or (fixing and sure)
                decision = ""
                if decide is not None:
                    verdict = decide(rule_id, text, start, end, new, applied)
                    if verdict is not None:
                        applied, new, decision = verdict
                        if new != c.new:
                            c = c._replace(new=new)
                if applied:
                    applied_changes.append(c)
                if contexts is not None:
                    contexts.append((text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]))
                add_edit(_edit(rule_id, chapter, block, start, before, new, confidence, applied, message, decision))
            if not applied_changes:
                continue
            parts: list[str] = []
            pos = 0
            for c in applied_changes:
                parts.append(text[pos : c.start])
                parts.append(c.new)
                pos = c.end
            parts.append(text[pos:])
            ctx.units[unit] = "".join(parts)
            if on_apply is not None:
                on_apply(unit, applied_changes, ctx.units[unit])
    return edits
