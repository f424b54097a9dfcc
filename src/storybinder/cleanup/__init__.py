"""The cleaner: typography, quote repair, spelling; every change recorded as an Edit.

Public surface:

- `clean_story(story, options)` -> CleanResult (a new Story plus its edits);
- `clean_text(text, options)` -> (cleaned text, edits), preserving the layout;
- `CleanOptions` (which rules run, whether suggestions are applied, extra words);
- `RULES` (every rule in the order it runs) and `select_rules`.

Each rule lives in its own module and proposes changes; `engine.run_rules`
applies the sure ones and keeps the rest as suggestions.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace
from typing import Any

from storybinder.cleanup import (
    apostrophes,
    consistency,
    dashes,
    dialogue_tags,
    doubled,
    ellipsis,
    lookalikes,
    participles,
    punctuation,
    quotes_curl,
    quotes_repair,
    realword,
    speech_turns,
    spelling,
    unicode_repair,
    whitespace,
)
from storybinder.cleanup.channel import ErrorModel
from storybinder.cleanup.engine import Change, Context, Decide, Mode, Rule, UnitKind, run_rules
from storybinder.cleanup.layout import split_layout, stanzas
from storybinder.cleanup.tuning import Tuning
from storybinder.errors import StorybinderError
from storybinder.lazy_pattern import lazy
from storybinder.model import Edit, Heading, Paragraph, Story, Style, Verse

RULES: tuple[Rule, ...] = (
    unicode_repair.RULE,
    lookalikes.RULE,
    whitespace.RULE,
    dashes.RULE,
    ellipsis.RULE,
    quotes_curl.RULE,
    quotes_repair.RULE,
    dialogue_tags.RULE,
    punctuation.DASH_STOP_RULE,
    punctuation.COMMA_CAPITAL_RULE,
    doubled.RULE,
    apostrophes.RULE,
    spelling.COMMON_RULE,
    realword.RULE,
    participles.RULE,
    spelling.UNKNOWN_RULE,
    consistency.RULE,
)
RULE_IDS: tuple[str, ...] = tuple(r.id for r in RULES)
# Each family's thresholds (a NamedTuple, defaults chosen by
# cross-validation): what `CleanOptions.tuning` and bench/cleanup_cv.py can set.
TUNABLES: dict[str, type] = {
    "spelling": spelling.SpellingParams,
    "slips": ErrorModel,  # the spelling model's chances of each kind of slip (cleanup.channel)
    "quotes": speech_turns.TurnParams,
    "realword": realword.RealwordParams,
}


class CleanOptions:
    """Which rules run and how.

    `rules`: run only these rule ids (a prefix such as `quotes` selects every
    `quotes.*` rule; a rule that is off by default runs as suggestions when
    named). `skip`: never run these. `apply_suggestions`: apply the changes
    the cleaner is unsure of as well. `words`: extra correct words (a
    project words.txt; the story's own Metadata.words are added by clean_story).
    `tuning`: the rules' thresholds, when not their defaults (see TUNABLES).
    `decide`: the author's review decisions (review.decisions.DecisionMatcher).

    Immutable, compared and hashed by its fields, as the frozen dataclass it was (not one:
    Python 3.11 compiles a dataclass's methods at import, 0.5 ms of every cleaning run).
    """

    __slots__ = ("rules", "skip", "apply_suggestions", "words", "tuning", "decide")
    rules: frozenset[str] | None
    skip: frozenset[str]
    apply_suggestions: bool
    words: frozenset[str]
    tuning: Tuning
    decide: Decide | None

    def __init__(
        self,
        rules: Collection[str] | None = None,
        skip: Collection[str] = frozenset(),
        apply_suggestions: bool = False,
        words: Collection[str] = frozenset(),
        tuning: Tuning = Tuning(),
        decide: Decide | None = None,
    ) -> None:
        # Any collection is accepted (tuples from Metadata, lists from the CLI), kept as a frozenset.
        put = object.__setattr__
        put(self, "rules", None if rules is None else frozenset(rules))
        put(self, "skip", frozenset(skip))
        put(self, "apply_suggestions", apply_suggestions)
        put(self, "words", frozenset(words))
        put(self, "tuning", tuning)
        put(self, "decide", decide)

    def replace(self, **changes: Any) -> CleanOptions:
        """These options with some fields changed (as dataclasses.replace)."""
        return CleanOptions(**{**{name: getattr(self, name) for name in self.__slots__}, **changes})

    def _values(self) -> tuple[Any, ...]:
        return (self.rules, self.skip, self.apply_suggestions, self.words, self.tuning, self.decide)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"CleanOptions is immutable: cannot set {name}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"CleanOptions is immutable: cannot delete {name}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"CleanOptions({shown})"


class CleanResult:
    """A cleaned story and every edit made or suggested.

    (Not a dataclass: Python 3.11 compiles a dataclass's methods at import, on every run.)
    """

    __slots__ = ("story", "edits", "contexts")

    def __init__(self, story: Story, edits: list[Edit], contexts: list[tuple[str, str]] | None = None) -> None:
        self.story = story
        self.edits = edits
        self.contexts: list[tuple[str, str]] = [] if contexts is None else contexts  # text around each edit

    @property
    def applied(self) -> list[Edit]:
        return [e for e in self.edits if e.applied]

    @property
    def suggestions(self) -> list[Edit]:
        return [e for e in self.edits if e.waiting]


def _matches(rule_id: str, names: Iterable[str]) -> bool:
    return any(rule_id == n or rule_id.startswith(n + ".") for n in names)


def select_rules(options: CleanOptions) -> list[tuple[Rule, Mode]]:
    """The rules to run, in order, each with the mode it runs in."""
    names = set(options.rules or ()) | set(options.skip)
    unknown = [n for n in names if not any(_matches(r, [n]) for r in RULE_IDS)]
    if unknown:
        raise StorybinderError(
            f"unknown cleanup rule {', '.join(sorted(unknown))}",
            hint=f"rules are: {', '.join(RULE_IDS)}",
        )
    chosen: list[tuple[Rule, Mode]] = []
    for rule in RULES:
        if _matches(rule.id, options.skip):
            continue
        if options.rules is None:
            mode = rule.default
        elif _matches(rule.id, options.rules):
            mode = "suggest" if rule.default == "off" else rule.default
        else:
            continue
        if mode != "off":
            chosen.append((rule, mode))
    return chosen


def clean_text(text: str, options: CleanOptions | None = None) -> tuple[str, list[Edit]]:
    """Clean plain text, keeping its layout; edits are located as (0, paragraph index)."""
    cleaned, edits, _ = _clean_text(text, options, with_context=False)
    return cleaned, edits


def clean_text_in_context(
    text: str, options: CleanOptions | None = None
) -> tuple[str, list[Edit], list[tuple[str, str]]]:
    """clean_text, plus the text around each edit (for reports)."""
    return _clean_text(text, options, with_context=True)


def _clean_text(
    text: str, options: CleanOptions | None, *, with_context: bool
) -> tuple[str, list[Edit], list[tuple[str, str]]]:
    options = options or CleanOptions()
    layout = split_layout(text)
    units = layout.paragraphs
    ctx = Context(
        units=units, kinds=["para"] * len(units), extra_words=frozenset(options.words), tuning=options.tuning,
        stanzas=stanzas(layout),
    )
    contexts: list[tuple[str, str]] = []
    edits = run_rules(
        ctx,
        select_rules(options),
        apply_suggestions=options.apply_suggestions,
        locate=lambda u: (0, u),
        contexts=contexts if with_context else None,
        decide=options.decide,
    )
    return layout.join(ctx.units), edits, contexts


_OPENS_AFTER = lazy("[ \t]*[\"\u201c]")  # (the text right after the beat opens a quotation)


def _beat(block: Paragraph) -> str:
    """The emphasised words a paragraph opens with before its speech (`*sigh* "Yes`: "sigh"), or ""."""
    if not block.spans:
        return ""
    first = block.spans[0]
    if first.start != 0 or first.style is not Style.EMPHASIS or not _OPENS_AFTER.match(block.text, first.end):
        return ""
    return block.text[: first.end].strip()


def clean_story(story: Story, options: CleanOptions | None = None, *, with_contexts: bool = True) -> CleanResult:
    """Clean every paragraph, heading and chapter title of a story.

    Returns a new Story (the input is not modified); inline spans follow the
    edits. An edit on a chapter title is located at block -1.
    `with_contexts=False` leaves CleanResult.contexts empty: only reports need
    the text around each edit, and collecting it costs a tenth of the cleaning.
    """
    options = options or CleanOptions()
    # Copy the structure only: no block is changed in place (an edit puts a new
    # block into the copied list), so the blocks themselves can be shared.
    # copy.deepcopy took a fifth of the cleaning time (2 of 10 ms for a 48 kB story).
    new_story = replace(story, chapters=[replace(ch, blocks=list(ch.blocks)) for ch in story.chapters])
    units: list[str] = []
    kinds: list[UnitKind] = []
    where: list[tuple[int, int]] = []
    stanzas: list[int] = []
    beats: dict[int, str] = {}
    for ci, chapter in enumerate(new_story.chapters):
        if chapter.title:
            units.append(chapter.title)
            kinds.append("title")
            where.append((ci, -1))
        for bi, block in enumerate(chapter.blocks):
            if isinstance(block, (Paragraph, Heading, Verse)):
                if isinstance(block, Verse):
                    stanzas.append(len(units))
                if isinstance(block, Paragraph) and (beat := _beat(block)):
                    beats[len(units)] = beat
                units.append(block.text)
                kinds.append("heading" if isinstance(block, Heading) else "para")
                where.append((ci, bi))

    def apply(unit: int, changes: list[Change], new_text: str) -> None:
        # Only spans must follow each rule's changes. Titles and blocks without
        # spans (nearly all) take their final text once, after the last rule:
        # one copy of a block however many rules change it.
        ci, bi = where[unit]
        if bi < 0:
            return
        chapter = new_story.chapters[ci]
        block = chapter.blocks[bi]
        if not block.spans:
            return
        moved = block if isinstance(block, Verse) else Paragraph(block.text, block.spans)
        for c in reversed(changes):  # right to left: earlier offsets stay valid
            moved = moved.replace(c.start, c.end, c.new)
        chapter.blocks[bi] = moved if isinstance(block, Verse) else replace(block, text=moved.text, spans=moved.spans)

    words = frozenset(options.words) | frozenset(story.metadata.words)
    units_before = list(units)  # ctx.units changes in place
    ctx = Context(units=units, kinds=kinds, extra_words=words, tuning=options.tuning, stanzas=frozenset(stanzas),
                  beats=beats)
    contexts: list[tuple[str, str]] = []
    edits = run_rules(
        ctx,
        select_rules(options),
        apply_suggestions=options.apply_suggestions,
        locate=lambda u: where[u],
        on_apply=apply,
        contexts=contexts if with_contexts else None,
        decide=options.decide,
    )
    for unit, (ci, bi) in enumerate(where):
        text = ctx.units[unit]
        if text == units_before[unit]:
            continue
        chapter = new_story.chapters[ci]
        if bi < 0:
            chapter.title = text
            continue
        block = chapter.blocks[bi]
        if not block.spans:  # (a block with spans was rebuilt by apply)
            chapter.blocks[bi] = replace(block, text=text)
    return CleanResult(story=new_story, edits=edits, contexts=contexts)


__all__ = [
    "RULES",
    "RULE_IDS",
    "TUNABLES",
    "CleanOptions",
    "CleanResult",
    "clean_story",
    "clean_text",
    "clean_text_in_context",
    "select_rules",
    "Tuning",
]
