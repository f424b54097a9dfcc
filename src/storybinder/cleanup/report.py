"""Plain-text and JSON accounts of the edits: terminal summary, diff, JSON.

What a person reads first is what changed the words (spelling, quote repairs,
dialogue tags, look-alike letters...) and every suggestion waiting for a
decision; the pure typography (curled quotes, dashes, ellipses, spacing) is
folded into one line per rule with its count. `group_edits` makes that
grouping once, and the terminal summary, `--json` and the HTML report
(report_html.py) all show it. Each edit has a stable id (`edit_id`), the
anchor of its entry in the HTML report and its `id` in the JSON.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from storybinder.model import Edit


@dataclass(frozen=True)
class ReportItem:
    """One edit with its anchor and the text around it."""

    id: str
    edit: Edit
    left: str = ""
    right: str = ""


@dataclass(frozen=True)
class TypographyFold:
    """The applied edits of one typography rule, shown as one line."""

    rule: str
    items: list[ReportItem] = field(default_factory=list)


@dataclass(frozen=True)
class ReportGroups:
    """Every edit, in the order a person reads them."""

    changes: list[ReportItem]  # applied, and they change the words
    suggestions: list[ReportItem]  # not applied: waiting for the author
    typography: list[TypographyFold]  # applied typography, one fold per rule
    decided: list[ReportItem] = field(default_factory=list)  # settled by the author's review decisions

    @property
    def total(self) -> int:
        return (len(self.changes) + len(self.suggestions) + len(self.decided)
                + sum(len(f.items) for f in self.typography))


def typography_rules() -> frozenset[str]:
    """The ids of the rules that only set the words (quotes, dashes, spacing), never change them."""
    from storybinder.cleanup import RULES

    return frozenset(r.id for r in RULES if r.typography)


_UNSAFE = re.compile(r"[^a-z0-9]+")


def edit_id(edit: Edit) -> str:
    """A stable anchor for one edit: its rule and where it is (the same text gives the same id)."""
    rule = _UNSAFE.sub("-", edit.rule.lower()).strip("-")
    where = "m" if edit.chapter < 0 else f"c{edit.chapter + 1}"
    block = "t" if edit.block < 0 else f"p{edit.block + 1}"
    return f"{rule}-{where}-{block}-{edit.offset}"


def group_edits(edits: Sequence[Edit], contexts: Sequence[tuple[str, str]] = ()) -> ReportGroups:
    """Sort edits into word changes, suggestions and folded typography (contexts[i] goes with edits[i])."""
    typography = typography_rules()
    seen: Counter[str] = Counter()
    changes: list[ReportItem] = []
    suggestions: list[ReportItem] = []
    folds: dict[str, TypographyFold] = {}
    decided: list[ReportItem] = []
    for i, edit in enumerate(edits):
        base = edit_id(edit)
        seen[base] += 1
        # Two edits at one place (rules that run one after the other) keep distinct anchors.
        anchor = base if seen[base] == 1 else f"{base}-{seen[base]}"
        left, right = contexts[i] if i < len(contexts) else ("", "")
        item = ReportItem(anchor, edit, left, right)
        if edit.decision:
            decided.append(item)
        elif not edit.applied:
            suggestions.append(item)
        elif edit.rule in typography:
            folds.setdefault(edit.rule, TypographyFold(edit.rule)).items.append(item)
        else:
            changes.append(item)
    ordered = sorted(folds.values(), key=lambda f: (-len(f.items), f.rule))
    return ReportGroups(changes, suggestions, ordered, decided)


def _rule_counts(items: Iterable[ReportItem]) -> Counter[str]:
    return Counter(item.edit.rule for item in items)


def summary_lines(edits: Sequence[Edit]) -> list[str]:
    """The terminal summary: word changes and suggestions per rule first, then typography, one line a rule."""
    groups = group_edits(edits)
    if not groups.total:
        return ["no changes"]
    changed, waiting = _rule_counts(groups.changes), _rule_counts(groups.suggestions)
    rules = sorted(set(changed) | set(waiting), key=lambda r: (-changed[r] - waiting[r], r))
    typo = [(f.rule, len(f.items)) for f in groups.typography]
    width = max(len(r) for r in [*rules, *(r for r, _ in typo), "typography"]) + 2
    lines = [f"words changed: {len(groups.changes)}, suggestions waiting: {len(groups.suggestions)}"]
    if rules:
        lines.append(f"  {'rule':<{width}}  applied  suggested")
        lines.extend(f"  {r:<{width}}  {changed[r]:>7}  {waiting[r]:>9}" for r in rules)
    if typo:
        lines.append(f"typography: {sum(n for _, n in typo)} (quotes, dashes, spacing; see --report)")
        lines.extend(f"  {r:<{width}}  {n:>7}" for r, n in typo)
    if groups.decided:
        actions = Counter(item.edit.decision for item in groups.decided)
        shown = ", ".join(f"{actions[a]} {a}ed" for a in ("accept", "reject", "edit") if actions[a])
        lines.append(f"decided in review: {len(groups.decided)} ({shown})")
    return lines


def _item_json(item: ReportItem) -> dict[str, object]:
    e = item.edit
    return {
        "id": item.id, "rule": e.rule, "chapter": e.chapter, "block": e.block, "offset": e.offset,
        "before": e.before, "after": e.after, "confidence": e.confidence, "applied": e.applied,
        "message": e.message, "context": [item.left, item.right], "decision": e.decision or None,
    }


def edits_to_json(
    edits: Sequence[Edit], contexts: Sequence[tuple[str, str]] = (), extra: dict[str, object] | None = None
) -> str:
    """The edits as JSON, grouped as the report shows them: changes, suggestions, typography per rule,
    then those the author's review decisions settled; `extra` adds top-level keys (the review's words)."""
    groups = group_edits(edits, contexts)
    data = {
        "summary": {
            "words_changed": len(groups.changes),
            "suggestions": len(groups.suggestions),
            "typography": {f.rule: len(f.items) for f in groups.typography},
            "decided": len(groups.decided),
        },
        "changes": [_item_json(i) for i in groups.changes],
        "suggestions": [_item_json(i) for i in groups.suggestions],
        "typography": [
            {"rule": f.rule, "count": len(f.items), "edits": [_item_json(i) for i in f.items]} for f in groups.typography
        ],
        "decided": [_item_json(i) for i in groups.decided],
        **(extra or {}),
    }
    return json.dumps(data, ensure_ascii=False, indent=1)


def unified_diff(before: str, after: str, name: str) -> str:
    """A unified diff of the text, one paragraph line per diff line."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"{name} (original)",
        tofile=f"{name} (cleaned)",
    )
    out = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    return out
