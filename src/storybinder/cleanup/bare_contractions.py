"""How a stretch of a story writes its contractions: with the apostrophe (don't) or without it as a habit (dont).

Molly Bloom's monologue in Ulysses, Shaw's plays and McCarthy's novels spell
"dont", "Im" and "its" for it's on purpose; a story that writes "don't" all
through and "dont" once has a slip. The habit is judged on the passage around a
word within its chapter (HABIT_WINDOW characters each way), so a habit confined
to one chapter counts there and nowhere else. spelling.realword asks it before
taking "its" for "it's"; spelling.apostrophe before giving "dont" its apostrophe.
Works on the lowered story (A-Z lowered, offsets kept).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from storybinder.cleanup.stretches import stretches
from storybinder.lazy_pattern import LazyPattern, lazy

# How far around a word (characters, within its chapter) a writer's contraction habit is judged.
HABIT_WINDOW = 20_000


def _ending_in(ending: str, words: str) -> LazyPattern:
    """Whole `words` (space-separated, all ending in `ending`), found by their ending: a literal the
    matcher searches fast, where a pattern led by a word boundary is tried at every character."""
    behind = "|".join(rf"(?<=\b{w})" for w in words.split())
    return lazy(rf"{ending}\b(?:{behind})")


# Contractions a writer may spell without the apostrophe, and with it (see writes_bare_contractions).
BARE = (
    _ending_in("nt", "dont didnt doesnt isnt wasnt werent arent couldnt wouldnt shouldnt hasnt havent hadnt"),
    _ending_in("re", "youre theyre"),
    _ending_in("ve", "ive youve theyve"),
    _ending_in("hed", "hed shed"),  # (not "ed": it ends every past tense, each a try of the lookbehinds)
    _ending_in("m", "im"),
)
APOSTROPHED = (
    _ending_in("['\u2019]t", " ".join(f"{w}['\u2019]t" for w in
               "don didn doesn isn wasn weren aren couldn wouldn shouldn hasn haven hadn".split())),
    _ending_in("['\u2019]re", "you['\u2019]re they['\u2019]re"),
    _ending_in("['\u2019]ve", "i['\u2019]ve you['\u2019]ve they['\u2019]ve"),
    _ending_in("['\u2019]d", "he['\u2019]d she['\u2019]d"),
    _ending_in("['\u2019]m", "i['\u2019]m"),
)


class BareContractions:
    """How many contractions a stretch of the lowered story spells without the apostrophe (BARE).

    The story is scanned region by region (_REGION characters), each region once, the first
    time a stretch holds it, and where the matches start is kept; a stretch's count is then
    bisections of its regions' starts, and a scan of its ends up to its first and from its
    last space. Scanning each stretch's window on its own went over the story twice where
    every stretch is asked about (the windows overlap by half): 0.25 of realword's 0.8 s on
    bench/clean_speed.py's 19 MB. The count is findall's on the window cut out of the story,
    as before: no match holds a space, so between two spaces the window and the story read
    alike, and only the ends, where a cut word reads as a whole one ("swim" cut to "im"), are
    scanned as cut.
    """

    _REGION = HABIT_WINDOW // 2
    _PAST = 8  # a region's scan reads this far past its end: a match's ending and the character after it

    def __init__(self, hay: str) -> None:
        self.hay = hay
        self._starts: dict[int, list[int]] = {}  # region -> the starts of every BARE match in it, in order

    def _region(self, r: int) -> list[int]:
        starts = self._starts.get(r)
        if starts is None:
            lo, hi = r * self._REGION, (r + 1) * self._REGION
            # (finditer from lo reads the story before it as it stands: only the end is cut, past the region.)
            found = (m.start() for scan in BARE for m in scan.finditer(self.hay, lo, hi + self._PAST))
            starts = self._starts[r] = sorted(at for at in found if at < hi)
        return starts

    def count(self, lo: int, hi: int) -> int:
        """sum(len(scan.findall(hay[lo:hi])) for scan in BARE)."""
        hay = self.hay
        first, last = hay.find(" ", lo, hi), hay.rfind(" ", lo, hi)
        if first < 0:
            return sum(len(scan.findall(hay[lo:hi])) for scan in BARE)
        head, tail = hay[lo:first], hay[last:hi]
        inside = 0  # the matches starting between the first and the last space, as the story reads
        for r in range(first // self._REGION, (last - 1) // self._REGION + 1):
            starts = self._region(r)
            inside += bisect_left(starts, last) - bisect_left(starts, first)
        return inside + sum(len(scan.findall(head)) + len(scan.findall(tail)) for scan in BARE)


def writes_bare_contractions(bare: BareContractions, at: int, lo: int, hi: int) -> bool:
    """Does the text around `at` spell its contractions without apostrophes (dont, isnt, Im) as a habit?

    Then "its" for "it's" is the writer's spelling, not a slip (Molly Bloom's monologue,
    the last episode of Ulysses: the rest of the book writes "don't"). Judged on the
    passage around it within its chapter (hay[lo:hi]), so a habit confined to one
    chapter counts there and nowhere else.
    """
    start, stop = max(lo, at - HABIT_WINDOW), min(hi, at + HABIT_WINDOW)
    written_bare = bare.count(start, stop)
    if written_bare < 3:
        return False  # (most stories: the apostrophes need no counting)
    sample = bare.hay[start:stop]
    return written_bare > sum(len(scan.findall(sample)) for scan in APOSTROPHED)


class BareHabit:
    """writes_bare_contractions asked once per stretch of each chapter (a candidate every few lines asks again)."""

    def __init__(self, hay: str, chapters: list[int]) -> None:
        self._bare = BareContractions(hay)
        self._hay_len = len(hay)
        self._chapters = chapters  # where each chapter begins in the story
        self._judged: dict[tuple[int, int], bool] = {}

    def at(self, at: int) -> bool:
        """Does the stretch of its chapter around `at` spell its contractions bare as a habit?"""
        chapters = self._chapters
        c = bisect_right(chapters, at)
        lo = chapters[c - 1] if c else 0
        hi = chapters[c] if c < len(chapters) else self._hay_len
        stretch = (c, (at - lo) // HABIT_WINDOW)
        judged = self._judged.get(stretch)
        if judged is None:
            middle = lo + stretch[1] * HABIT_WINDOW + HABIT_WINDOW // 2
            judged = self._judged[stretch] = writes_bare_contractions(self._bare, middle, lo, hi)
        return judged


def ascii_lowered(story: str) -> str:
    """The story with A-Z lowered, every character kept one character long (offsets stay put).

    str.lower() costs 14 ms a MB on text with any non-ASCII character (curly quotes) and makes İ
    two characters; bytes.lower() on the UTF-16 code units lowers only the bytes A-Z, at a fifth
    of the cost. It may shift a non-ASCII character to another in its own block of 256 (Ł to š),
    never to or from an ASCII one, and the rule reads only ASCII words.
    """
    if story.isascii():
        return story.lower()
    # A stretch at a time: all of a 19 MB story's bytes, lowered bytes and decoded copy were three
    # 37 MB blocks of new memory (75 -> 53 ms). A stretch starts at a space, so two lone
    # surrogates side by side, which decode as one pair, stay together as before.
    return "".join(
        s.encode("utf-16-le", "surrogatepass").lower().decode("utf-16-le", "surrogatepass") for s in stretches(story)
    )
