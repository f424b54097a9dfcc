"""A story's units joined into one string, for rules that scan the whole story at once.

A regex scan of the joined story costs less than one per unit (15,000
paragraphs in 4 MB: each finditer call has its own start-up); the rule
then asks which unit a match falls in and where in it. A "\\n" joins the
units (or the rule's own separator): a rule that looks across line breaks
checks its matches itself.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from itertools import accumulate, compress, repeat
from operator import contains
from re import Pattern

from storybinder.lazy_pattern import LazyPattern
from storybinder.record import Record


class Joined(Record):
    """`text` is the units joined by one separator ("\\n"); `starts[u]` is where unit u begins in it.

    (A NamedTuple, not a frozen dataclass: made at import in a fifth of the time.)
    """

    text: str
    starts: list[int]

    def unit_at(self, at: int) -> int:
        """The unit the character at `at` belongs to (a joining separator belongs to the unit before it)."""
        return bisect_right(self.starts, at) - 1


def join_units(units: list[str], separator: str = "\n") -> Joined:
    """The units joined by `separator` (one character), with where each one begins."""
    return Joined(separator.join(units), list(accumulate((len(t) + 1 for t in units[:-1]), initial=0)))


def units_holding(units: list[str], needles: tuple[str, ...]) -> list[int]:
    """The units (in order) that hold any of `needles`, each unit searched in C (map), no Python step per unit.

    (As fast as str.find over the joined story, whose 37 MB a 19 MB story takes are not needed.)
    """
    found: set[int] = set()
    for needle in needles:
        found.update(compress(range(len(units)), map(contains, units, repeat(needle))))
    return sorted(found)


# How many units a block joins (blocks): some 16 kB of prose, which stays in the cache. All of a
# 19 MB story joined is a 37 MB string (curly quotes make it two bytes a character), memory
# touched for the first time, page by page (9,000 page faults), and so is each copy made of it.
BLOCK = 64


def blocks(units: list[str], separator: str = "\n") -> Iterator[str]:
    """The units joined BLOCK at a time: joined by `separator` in turn, the blocks are the units joined.

    For a question the joined story answers separator by separator (is there junk anywhere?).
    """
    for lo in range(0, len(units), BLOCK):
        yield separator.join(units[lo : lo + BLOCK])


def joined_blocks(units: list[str], separator: str = "\n") -> Iterator[tuple[int, Joined]]:
    """join_units over BLOCK units at a time, each with its first unit's index.

    For a rule whose matches never run over a separator (or that checks those that do): a
    match in a block is the match in the story joined, at `first` units and `starts[0]` on.
    """
    for first in range(0, len(units), BLOCK):
        yield first, join_units(units[first : first + BLOCK], separator)


def units_matching(pattern: LazyPattern | Pattern[str], units: list[str]) -> list[int]:
    """The units (in order) where `pattern` matches, for a pattern that never matches over a "\\n":
    one scan of each block of them joined (joined_blocks), not one a unit."""
    found: list[int] = []
    for first, block in joined_blocks(units):
        for m in pattern.finditer(block.text):
            u = first + block.unit_at(m.start())
            if not found or found[-1] != u:
                found.append(u)
    return found
