"""Seeded generator of stories in our own words, for batch tests and benchmarks.

Every story is a fimfiction-style plain-text export: a title line, a byline,
chapters with headings, scene breaks, dialogue in straight quotes, the odd
`...` and `--` for the cleaner to work on. The words are combined from the
small phrase lists below (written for this project); the same seed always
gives the same stories.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path

NAMES = [
    "Marren", "Tovi", "Ashwick", "Pell", "Quillon", "Sabeth", "Dunmore", "Iria", "Callow", "Fenna",
    "Ostrand", "Bree", "Halvard", "Nim", "Corriway", "Elsa Venn", "Jory", "Wickett", "Lune", "Thessaly",
]
PLACES = [
    "the mill", "the harbour wall", "the orchard", "the bell tower", "the lower market", "the ferry landing",
    "the old observatory", "the greenhouse", "the rope bridge", "the kitchen garden", "the signal house",
    "the chalk road", "the boathouse", "the reading room", "the hayloft", "the salt flats",
]
THINGS = [
    "a brass key", "the lantern", "a folded map", "the last letter", "a jar of honey", "the compass",
    "a cracked teacup", "the ledger", "a spool of red thread", "the weather vane", "a wooden whistle",
    "the iron kettle", "a bundle of feathers", "the clock's spare hand", "a tin of buttons",
]
VERBS = [
    "carried", "found", "mended", "hid", "weighed", "polished", "traded", "dropped", "studied", "wrapped",
    "counted", "returned", "buried", "lifted", "painted",
]
MOODS = [
    "quietly", "at once", "without a word", "with some care", "half asleep", "before anyone noticed",
    "as the rain began", "in the grey light", "for the third time", "as if it mattered",
]
WEATHER = [
    "The wind came off the water in long cold pulls.",
    "Rain ticked against the shutters all afternoon.",
    "By evening the fog had swallowed the lane.",
    "The sun sat low and orange over the fields.",
    "Frost had drawn ferns across every window.",
    "It was the kind of still, warm day that made the bees lazy.",
]
SAYINGS = [
    "I told you it would keep", "We should have left before dark", "That isn't yours to give",
    "Nobody counts the buttons twice", "You always say that", "Look again, closer this time",
    "It was never about the key", "I can fix it by morning", "Do you hear the bell", "Then we wait",
    "Say it plainly", "It's colder than last year", "Give it here", "I remember the old road",
]
TAGS = ["said", "asked", "whispered", "muttered", "called", "replied", "admitted"]
TITLE_WORDS = [
    "Lantern", "Orchard", "Salt", "Winter", "Bells", "Harbour", "Thread", "Clockwork", "Honey", "Ferry",
    "Chalk", "Signal", "Feathers", "Kettle", "Compass", "Morning", "Quiet", "Weather", "Letters", "Tide",
]


@dataclass(frozen=True)
class GeneratedStory:
    """One generated story: its file and what it should become."""

    path: Path
    title: str
    author: str
    words: int


def _sentence(rng: random.Random) -> str:
    kind = rng.random()
    who = rng.choice(NAMES)
    if kind < 0.45:
        return f"{who} {rng.choice(VERBS)} {rng.choice(THINGS)} {rng.choice(MOODS)} at {rng.choice(PLACES)}."
    if kind < 0.65:
        return rng.choice(WEATHER)
    if kind < 0.8:
        return f"Nobody at {rng.choice(PLACES)} had seen {rng.choice(THINGS)} since {rng.choice(NAMES)} left."
    if kind < 0.9:
        return f"{who} waited... then {rng.choice(VERBS)} {rng.choice(THINGS)} anyway."
    return f"It was {rng.choice(THINGS)} -- of course it was -- and {who} knew it."


def _paragraph(rng: random.Random) -> str:
    if rng.random() < 0.35:
        # Straight quotes on purpose: the cleaner curls them.
        line = f'"{rng.choice(SAYINGS)}," {rng.choice(NAMES)} {rng.choice(TAGS)}.'
        if rng.random() < 0.5:
            line += f' "{rng.choice(SAYINGS)}."'
        return line
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 7)))


def story_text(rng: random.Random, title: str, author: str, target_words: int) -> str:
    """A whole story of about `target_words` words."""
    chapters = max(1, round(target_words / 2500))
    per_chapter = target_words // chapters
    lines = [title, "", f"by {author}", ""]
    for number in range(1, chapters + 1):
        lines += [f"Chapter {number}: {rng.choice(TITLE_WORDS)} and {rng.choice(TITLE_WORDS)}", ""]
        words = 0
        while words < per_chapter:
            if words and rng.random() < 0.03:
                lines += ["* * *", ""]
            paragraph = _paragraph(rng)
            words += paragraph.count(" ") + 1
            lines += [paragraph, ""]
    return "\n".join(lines)


def story_length(rng: random.Random, median: int = 6000) -> int:
    """Words in a story: log-normal around `median` (most short, a few long), 800 to 60,000."""
    return int(min(60_000, max(800, math.exp(rng.gauss(math.log(median), 0.7)))))


def generate(folder: Path, count: int, *, seed: int = 1, median_words: int = 6000) -> list[GeneratedStory]:
    """Write `count` stories as folder/story-NNNNN.txt; the same seed gives the same files."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    stories = []
    for n in range(count):
        title = f"The {rng.choice(TITLE_WORDS)} of {rng.choice(TITLE_WORDS)} {n}"
        author = f"{rng.choice(NAMES).split()[0]}{rng.randint(10, 9999)}"
        words = story_length(rng, median_words)
        path = folder / f"story-{n:05d}.txt"
        path.write_text(story_text(rng, title, author, words), encoding="utf-8")
        stories.append(GeneratedStory(path, title, author, words))
    return stories


def novel(folder: Path, megabytes: float = 5.0, *, seed: int = 7) -> GeneratedStory:
    """One very long story (a novel in a single file) of about `megabytes` MB."""
    rng = random.Random(seed)
    title, author = "The Long Weather", "Halvard Nim"
    path = folder / "the-long-weather.txt"
    folder.mkdir(parents=True, exist_ok=True)
    words = int(megabytes * 1_000_000 / 5.4)  # about 5.4 bytes a word in this prose
    path.write_text(story_text(rng, title, author, words), encoding="utf-8")
    return GeneratedStory(path, title, author, words)
