"""Plain-text and JSON accounts of the edits: terminal summary, diff, JSON."""

from __future__ import annotations

import difflib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict

from storybinder.model import Edit


def summary_lines(edits: Iterable[Edit]) -> list[str]:
    """A small table: per rule, edits applied and suggestions waiting."""
    applied: Counter[str] = Counter()
    suggested: Counter[str] = Counter()
    for e in edits:
        (applied if e.applied else suggested)[e.rule] += 1
    if not applied and not suggested:
        return ["no changes"]
    rules = sorted(set(applied) | set(suggested))
    width = max(len(r) for r in rules + ["rule"])
    lines = [f"{'rule':<{width}}  applied  suggested"]
    for r in rules:
        lines.append(f"{r:<{width}}  {applied[r]:>7}  {suggested[r]:>9}")
    lines.append(f"{'total':<{width}}  {sum(applied.values()):>7}  {sum(suggested.values()):>9}")
    return lines


def edits_to_json(edits: Iterable[Edit]) -> str:
    """Every edit as a JSON list of objects (the Edit fields)."""
    return json.dumps([asdict(e) for e in edits], ensure_ascii=False, indent=1)


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
