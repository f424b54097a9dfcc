"""A story's decisions as `build` and `clean` use them: loaded from beside the story, given to the cleaner.

Decisions are applied whenever NAME.review.toml exists (no option needed);
the ones that no longer match the text come back as warning lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..cleanup import CleanOptions, select_rules
from .decisions import Decision, DecisionMatcher, Decisions, stale_lines
from .store import find_review, load_decisions


@dataclass
class StoryDecisions:
    """The decisions of one story source (none when it has no decisions file)."""

    path: Path | None = None
    decisions: Decisions = field(default_factory=Decisions)
    record: bool = False  # the review page's cleaning: which decision settled each edit (DecisionMatcher.calls)

    def __post_init__(self) -> None:
        self.matcher = DecisionMatcher(self.decisions, self.record) if self.decisions.items or self.record else None
        self._rules_run: set[str] = set()

    def options(self, base: CleanOptions) -> CleanOptions:
        """`base` with the kept words added and the decisions settling the changes they are about."""
        if not self.decisions and not self.record:
            return base
        self._rules_run.update(rule.id for rule, _ in select_rules(base))
        return base.replace(words=frozenset(base.words) | frozenset(self.decisions.words), decide=self.matcher)

    def stale(self) -> list[Decision]:
        """The decisions (of the rules that ran) that matched nothing in every cleaning since this was loaded."""
        return [] if self.matcher is None else self.matcher.stale(self._rules_run)

    def stale_warnings(self) -> list[str]:
        """One warning line per stale decision."""
        return stale_lines(self.stale(), str(self.path))


def story_decisions(source: Path) -> StoryDecisions:
    """The decisions beside `source` (a story file or folder), or none."""
    path = find_review(source)
    if path is None:
        return StoryDecisions()
    return StoryDecisions(path, load_decisions(path))
