"""How much a string of letters looks like an English word: a letter-trigram model.

A word nobody has written (a name, a coinage, a dialect spelling, or a slip)
is judged as written by how likely its letters are, one after another, in
English words: "hunderd" and "clumb" read like English, "irrreproachable"
(three r's) and "sheddihg" do not, and a longer string is less likely than a
shorter one, as the spelling model needs: P(a novel word) = P(novelty) x
P(its letters). Counted over the curated word list (each word once: novel
words resemble the vocabulary, not its commonest tokens), add-k smoothed.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

START, END = "^", "$"
_SMOOTHING = 0.5
_ALPHABET = 27  # 26 letters and the end of the word


def build_table(words: Iterable[str]) -> dict[str, int]:
    """log10 P(letter | two before) x 100 for each seen trigram, and for each context the unseen letter's."""
    trigrams: Counter[str] = Counter()
    contexts: Counter[str] = Counter()
    for word in words:
        s = START + START + word + END
        for i in range(2, len(s)):
            trigrams[s[i - 2 : i + 1]] += 1
            contexts[s[i - 2 : i]] += 1
    table = {
        tri: round(100 * math.log10((n + _SMOOTHING) / (contexts[tri[:2]] + _ALPHABET * _SMOOTHING)))
        for tri, n in trigrams.items()
    }
    for ctx, n in contexts.items():
        table[ctx] = round(100 * math.log10(_SMOOTHING / (n + _ALPHABET * _SMOOTHING)))
    return table


# log10 of the letters of a typical seven-letter word: the point at which spelling's
# `letters_weight` leaves `unseen_zipf` as it is.
LETTERS_TYPICAL = -8.0
# A context never seen at all (two letters that never meet): as rare as the rarest seen one's unseen letter.
_UNSEEN_CONTEXT = -450


def letters_logp(word: str, table: Mapping[str, int]) -> float:
    """log10 of the probability of the lowercase word's letters, end of word included."""
    s = START + START + word + END
    total = 0
    get = table.get
    for i in range(2, len(s)):
        value = get(s[i - 2 : i + 1])
        if value is None:
            value = get(s[i - 2 : i], _UNSEEN_CONTEXT)
        total += value
    return total / 100
