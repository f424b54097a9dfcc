"""The records the rules make only when a story gives them something to judge.

A suspect word and its verdict (spelling), the story's word counts and the
context model behind that verdict, a real-word swap (spelling.realword), the evidence about a paragraph
left open before another (quotes.repair, through speech_turns). A proofread
story often needs none of them, so the modules that make them import this one
when they first do. They are NamedTuples (storybinder.record), not frozen dataclasses: as immutable
and comparable, and made in a tenth of the time (Python 3.11 compiles a
dataclass's methods when it is made, about half a millisecond each: 2.8 ms for
these six, in the first story with a word outside the dictionary).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from storybinder.cleanup.letters import LETTERS_TYPICAL
from storybinder.record import Record

if TYPE_CHECKING:
    from storybinder.cleanup.dictionary import Lexicon


class Suspect(Record):
    """A word in no dictionary, used once: how common it is and what it may be."""

    word: str
    zipf: float
    derived: bool
    candidates: tuple[str, ...]
    listed: bool = False  # in a large dictionary: a real word, for spelling.realword to question from context
    inflected: bool = False  # a regular inflection of a curated word (carouse-d, bitter-er)
    letters: float = LETTERS_TYPICAL  # log10 of its letters (cleanup.letters)
    compound: bool = False  # two dictionary words written as one (toolhouse, sometomes)


class ContextModel(Record):
    """How much the neighbouring words count, and how the pair counts are smoothed (cleanup.channel.context_gain)."""

    weight: float = 1.0  # 0: frequency alone; 1: the pair probabilities as they are
    mix: float = 0.5  # share of the pair estimate against the word's own frequency
    cap: float = 3.0  # no neighbour moves a word by more than this (log10)


class Verdict(Record):
    """spelling.judge's answer: the likeliest correction, the model's belief in it, and whether to apply it."""

    correction: str
    probability: float
    sure: bool


class StoryCounts(Record):
    """How often the story uses each word (lower case), for the cache model."""

    counts: Counter[str]
    total: int

    def zipf_with(self, lexicon: Lexicon, weight: float) -> Callable[[str], float]:
        """A word's Zipf frequency mixed with its frequency in this story (`weight` of it)."""

        def zipf(word: str) -> float:
            known = lexicon.zipf(word)
            general = 10.0**known if known > 0 else 0.0
            own = 1e9 * self.counts.get(word, 0) / self.total
            mixed = (1 - weight) * general + weight * own
            return math.log10(mixed) if mixed > 0 else 0.0

        return zipf


class Swap(Record):
    """spelling.realword's answer: the member of the confusion set meant, and how likely it is."""

    word: str
    probability: float


class TurnEvidence(Record):
    """What the text says about one open paragraph and the one after it (speech_turns.turn_evidence)."""

    words: int  # words in the open paragraph
    plain: bool  # a line of speech: opens with a quotation, ends a sentence, quotes no one, no label
    question: bool  # it ends with a question
    cut_off: bool  # it ends with a dash: broken off, the other speaker cuts in
    own_speaker: str | None  # the speaker its own tag names (lower case), if any
    next_speaker: str | None  # the speaker the next paragraph's first tag names, if any
    next_tagged: bool  # the next paragraph has a speech tag whose verb is not `went on`
    next_goes_on: bool  # the next paragraph's tag says the speaker goes on
    next_nested: bool  # the next paragraph opens with a quotation inside the speech (“‘)
    next_runs_on: bool  # the next paragraph is left open too
    next_answers: bool  # the next paragraph opens with an answer (Yes, No, Of course...)
    next_words: int = 0  # words in the next paragraph
    next_cited: bool = False  # the next paragraph is a quotation with its source: extracts, not dialogue
