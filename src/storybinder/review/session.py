"""What the review page works on: the stories read once, their decisions, the cleaner's edits as items.

Each story is cleaned as `build` cleans it (project words, kept words,
decisions), so what the page lists is what the book gets. A decision is saved
to the story's NAME.review.toml at once and put straight into the cleaned text
the preview shows (review.patch): a long novel is not cleaned again for each
decision, only when a decision cannot be placed that way.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..cleanup import RULES, CleanResult
from ..cleanup.report import typography_rules
from ..model import Story
from .decisions import Decision, Decisions, decision_for
from .patch import PatchedStory
from .store import find_review, load_decisions, review_path, save_decisions
from .story_decisions import StoryDecisions

RULE_INFO = {r.id: r.description for r in RULES}
RULE_ORDER = {r.id: n for n, r in enumerate(RULES)}
_ONE_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
GENERATIONS_KEPT = 8  # listings an open page may still act on (several tabs, a reload)


@dataclass(frozen=True)
class Item:
    """One change or suggestion as the page shows it, and what was decided about it."""

    id: str
    story: int
    chapter: int
    block: int
    offset: int
    rule: str
    original: str
    proposed: str
    left: str
    right: str
    fix: bool  # the cleaner applies it when nothing is decided (else a suggestion)
    decision: str = ""  # accept, reject, edit ("" undecided)
    text: str = ""  # the author's own text (edit)
    everywhere: bool = False  # decided for every such word of this rule
    kept: bool = False  # the word is one the author keeps
    message: str = ""
    confidence: float = 1.0
    typography: bool = False
    decision_key: tuple | None = None  # the decision that settled it (to replace it)

    @property
    def state(self) -> str:
        """fix, suggestion, accepted, rejected, edited or kept."""
        if self.kept:
            return "kept"
        if self.decision:
            return {"accept": "accepted", "reject": "rejected", "edit": "edited"}[self.decision]
        return "fix" if self.fix else "suggestion"

    @property
    def result(self) -> str:
        """What the book has in place of `original`."""
        if self.kept or self.decision == "reject" or (not self.decision and not self.fix):
            return self.original
        return self.text if self.decision == "edit" else self.proposed

    @property
    def keepable(self) -> bool:
        """A spelling change of one word, which the author may keep as written."""
        return self.rule.startswith("spelling.") and bool(_ONE_WORD.fullmatch(self.original))


@dataclass
class RuleGroup:
    """The items of one rule in one story."""

    rule: str
    description: str
    typography: bool
    items: list[Item] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for item in self.items if item.state == state)


@dataclass
class StoryListing:
    index: int
    label: str
    decisions_file: Path
    groups: list[RuleGroup]
    chapters: list[str]
    stale: list[Decision]


@dataclass
class Listing:
    """One rendering of the page: every story's groups, items by id."""

    generation: int
    stories: list[StoryListing]
    items: dict[str, Item]
    version: int = 0  # the session's decisions version when it was made
    place: dict[str, tuple[list[Item], int]] = field(default_factory=dict)  # where each item is in its group
    positions: dict[tuple, int] | None = None  # decision key -> its place in story order (made when needed)

    def counts(self) -> dict[str, int]:
        out = {"fix": 0, "suggestion": 0, "decided": 0, "typography": 0}
        for item in self.items.values():
            if item.typography and not item.decision:
                out["typography"] += 1
            elif item.decision or item.kept:
                out["decided"] += 1
            else:
                out[item.state] += 1
        return out


@dataclass
class DecisionFile:
    """One NAME.review.toml and the decisions in it (shared by the stories of one source)."""

    path: Path
    name: str
    decisions: Decisions

    def save(self) -> None:
        save_decisions(self.path, self.decisions, self.name)


@dataclass
class Snapshot:
    """One cleaning of a story, and the decisions made since put into its text (for the preview)."""

    result: CleanResult
    calls: list[tuple[int | None, bool]]  # which decision settled each edit (DecisionMatcher.calls)
    decisions: Decisions  # what `calls` index into
    stale: list[Decision]
    patched: PatchedStory
    generation: int = 0  # the listing made from it


@dataclass
class ReviewedStory:
    """A story read once (sidecar layered, not cleaned) and its latest cleaning."""

    source: Path
    story: Story
    label: str
    file: DecisionFile
    snapshot: Snapshot | None = None  # None: to be cleaned again (a decision could not be patched in)

    @property
    def preview(self) -> Story:
        """The story as the book will have it, decisions so far included."""
        assert self.snapshot is not None
        return self.snapshot.patched.story


Cleaner = Callable[[Story, Path, StoryDecisions], CleanResult]


class ReviewSession:
    """The stories under review; every method is safe to call from several threads."""

    def __init__(self, stories: list[ReviewedStory], title: str, clean: Cleaner) -> None:
        self.stories = stories
        self.title = title
        self._clean = clean
        self._lock = threading.RLock()
        self._generation = 0
        self._listings: dict[int, Listing] = {}
        self.version = 0  # bumped by every decision: the preview's cache key

    # -- cleaning -------------------------------------------------------------------------------
    def cleaned(self, index: int) -> ReviewedStory:
        """The story with a cleaning (made now only when there is none that holds)."""
        with self._lock:
            entry = self.stories[index]
            if entry.snapshot is None:
                decisions = entry.file.decisions
                review = StoryDecisions(entry.file.path, decisions, record=True)
                result = self._clean(entry.story, entry.source, review)
                assert review.matcher is not None
                entry.snapshot = Snapshot(result, list(review.matcher.calls), decisions, review.stale(),
                                          PatchedStory(result.story, result.edits))
            return entry

    def listing(self) -> Listing:
        """The items of every story: the latest listing (its items as decided since), or a new
        generation when a story had to be cleaned again."""
        with self._lock:
            latest = self._listings.get(self._generation)
            if latest is not None and all(s.snapshot is not None and s.snapshot.generation == self._generation
                                          for s in self.stories):
                return latest
            self._generation += 1
            stories = [self._story_listing(i) for i in range(len(self.stories))]
            items = {item.id: item for s in stories for g in s.groups for item in g.items}
            listing = Listing(self._generation, stories, items, self.version)
            listing.place = {item.id: (g.items, n) for s in stories for g in s.groups for n, item in enumerate(g.items)}
            self._listings[self._generation] = listing
            for old in [g for g in self._listings if g <= self._generation - GENERATIONS_KEPT]:
                del self._listings[old]
            return listing

    def listing_of(self, generation: int) -> Listing | None:
        """An earlier listing an open page still shows (its items as decided since), if kept."""
        with self._lock:
            return self._listings.get(generation)

    def _story_listing(self, index: int) -> StoryListing:
        entry = self.cleaned(index)
        snapshot = entry.snapshot
        assert snapshot is not None
        snapshot.generation = self._generation
        decisions = snapshot.decisions
        typography = typography_rules()
        groups: dict[str, RuleGroup] = {}
        for n, (edit, (left, right)) in enumerate(zip(snapshot.result.edits, snapshot.result.contexts)):
            found, fix = snapshot.calls[n] if n < len(snapshot.calls) else (None, edit.applied)
            decision = decisions.items[found] if found is not None else None
            item = Item(
                id=f"{self._generation}-{index}-{n}", story=index, chapter=edit.chapter, block=edit.block,
                offset=edit.offset,
                rule=edit.rule, original=edit.before,
                proposed=decision.proposed if decision is not None and decision.action == "edit" else edit.after,
                left=left, right=right, fix=fix, decision=edit.decision,
                text=decision.text if decision is not None else "",
                everywhere=decision.everywhere if decision is not None else False,
                kept=False, message=edit.message, confidence=edit.confidence, typography=edit.rule in typography,
                decision_key=decision.key if decision is not None else None,
            )
            group = groups.get(edit.rule)
            if group is None:
                group = groups[edit.rule] = RuleGroup(edit.rule, RULE_INFO.get(edit.rule, ""), item.typography)
            group.items.append(item)
        ordered = sorted(groups.values(), key=lambda g: (g.typography, RULE_ORDER.get(g.rule, 99), g.rule))
        labels = chapter_labels(snapshot.result.story)
        return StoryListing(index, entry.label, entry.file.path, ordered, labels, list(snapshot.stale))

    # -- deciding -------------------------------------------------------------------------------
    def decide(self, generation: int, item_ids: Iterable[str], action: str, text: str = "",
               scope: str = "item") -> list[Item]:
        """Record the author's decision on items of one listing; returns the items as they now stand.

        `action`: accept, reject, edit (with `text`), undo (asked again), keep (the word, every
        spelling change of it). `scope`: item (each given item), rule (every item of the given
        items' rules in their stories) or word (every such word of the item's rule in its story,
        now and later).
        """
        with self._lock:
            listing = self._listings.get(generation)
            if listing is None:
                raise LookupError("this list is out of date: reload the page")
            ids = list(item_ids)
            if any(i not in listing.items for i in ids):
                raise LookupError("unknown item: reload the page")
            items = [listing.items[i] for i in ids]
            if scope == "rule":
                rules = {(i.story, i.rule) for i in items}
                items = [i for i in listing.items.values() if (i.story, i.rule) in rules]
                scope = "item"
            changed: list[Item] = []
            touched: set[int] = set()
            updates: dict[int, tuple[DecisionFile, list[Decision], set[tuple]]] = {}
            for item in items:
                entry = self.stories[item.story]
                file = entry.file
                if action == "keep":
                    file.decisions = _keep(file.decisions, item.original)
                    changed += [_replace_state(i, kept=True) for i in listing.items.values()
                                if i.story == item.story and i.keepable and i.original == item.original]
                elif action == "unkeep":
                    file.decisions = file.decisions.forget_word(item.original)
                    changed += [_replace_state(i, kept=False) for i in listing.items.values()
                                if i.story == item.story and i.keepable and i.original == item.original]
                elif scope == "word":
                    file.decisions = _decide_word(file.decisions, item, action, text)
                    changed += [_replace_state(i, decision=action, text=text, everywhere=True)
                                for i in listing.items.values()
                                if i.story == item.story and i.rule == item.rule and i.original == item.original]
                else:
                    _, adds, removes = updates.setdefault(id(file), (file, [], set()))
                    if item.decision_key is not None and not item.everywhere:
                        removes.add(item.decision_key)
                    new = _decision(item, "reject" if action == "undo" else action, text)
                    if action == "undo":
                        removes.add(new.key)
                    else:
                        adds.append(new)
                    changed.append(_replace_state(item, decision="" if action == "undo" else action, text=text))
                touched.add(item.story)
            for file, adds, removes in updates.values():
                file.decisions = file.decisions.update(adds, removes)
            for index in touched:
                self.stories[index].file.decisions = _in_story_order(self.stories[index].file.decisions, listing)
            for file in {id(self.stories[i].file): self.stories[i].file for i in touched}.values():
                file.save()
            if touched:
                self.version += 1
            for item in changed:
                self._patch(listing, listing.items[item.id], item)
                # Later requests (and a reloaded page) see the new state.
                listing.items[item.id] = item
                where = listing.place.get(item.id)
                if where is not None:
                    where[0][where[1]] = item
            return changed

    def forget_stale(self, index: int) -> int:
        """Drop the story's decisions that no longer match its text from its file; returns how many."""
        with self._lock:
            entry = self.cleaned(index)
            assert entry.snapshot is not None
            gone = {d.key for d in entry.snapshot.stale}
            kept = tuple(d for d in entry.file.decisions.items if d.key not in gone)
            dropped = len(entry.file.decisions.items) - len(kept)
            if dropped:
                entry.file.decisions = Decisions(kept, entry.file.decisions.words)
                entry.file.save()
                self.version += 1
            entry.snapshot.stale = []
            for listing in self._listings.values():
                if index < len(listing.stories):
                    listing.stories[index].stale = []
            return dropped

    def _patch(self, listing: Listing, before: Item, after: Item) -> None:
        """Put a decision into the story's preview text; clean it again when that cannot be done."""
        entry = self.stories[after.story]
        snapshot = entry.snapshot
        if before.result == after.result or snapshot is None:
            return
        index = int(after.id.rsplit("-", 1)[1])
        if snapshot.generation != listing.generation or not snapshot.patched.patch(index, before.result, after.result):
            entry.snapshot = None

    def story_of(self, index: int) -> ReviewedStory:
        return self.stories[index]


def _replace_state(item: Item, **changes) -> Item:
    from dataclasses import replace

    return replace(item, **changes)


def _decision(item: Item, action: str, text: str, everywhere: bool = False) -> Decision:
    return decision_for(item.rule, item.original, item.proposed, item.left, item.right,
                        action, text if action == "edit" else "", everywhere=everywhere)  # type: ignore[arg-type]


def _decide_word(decisions: Decisions, item: Item, action: str, text: str) -> Decisions:
    # "All of this word": one decision for now and later; the single ones it covers go.
    kept = tuple(d for d in decisions.items if not (d.rule == item.rule and d.original == item.original))
    decisions = Decisions(kept, decisions.words)
    if action == "undo":
        return decisions
    return decisions.decide(_decision(item, action, text, everywhere=True))


def _keep(decisions: Decisions, word: str) -> Decisions:
    # A kept word is never proposed again: decisions about changing it would only go stale.
    kept = tuple(d for d in decisions.items if not (d.rule.startswith("spelling.") and d.original == word))
    return Decisions(kept, decisions.words).keep_word(word)


def _in_story_order(decisions: Decisions, listing: Listing) -> Decisions:
    """The decisions in the order their places come in the story (the file reads top to bottom)."""
    position = listing.positions
    if position is None:  # once a listing: a novel has thousands of items
        position = listing.positions = {}
        for n, item in enumerate(sorted(listing.items.values(), key=lambda i: (i.story, i.chapter, i.block, i.offset))):
            position.setdefault(_decision(item, "reject", "").key, n)
            position.setdefault(_decision(item, "reject", "", everywhere=True).key, n)
    ordered = sorted(enumerate(decisions.items), key=lambda p: (position.get(p[1].key, len(position) + p[0]), p[0]))
    return Decisions(tuple(d for _, d in ordered), decisions.words)


def chapter_labels(story: Story) -> list[str]:
    """What the book's contents call each chapter."""
    from ..epub.layout import chapter_label

    labels, number = [], 0
    for chapter in story.chapters:
        if chapter.kind == "chapter":
            number += 1
        labels.append(chapter_label(story, chapter, number, story.metadata.title or "Untitled"))
    return labels


def decision_file_for(source: Path, name: str) -> DecisionFile:
    """The decisions beside `source` (none yet: the file is written at the first decision)."""
    found = find_review(source)
    return DecisionFile(found or review_path(source), name, load_decisions(found) if found else Decisions())
