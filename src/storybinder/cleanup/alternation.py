"""Regexes for a list of words, factored by their common prefixes.

Python's regex engine tries the branches of a flat alternation one by one
at each place a first letter fits; factored (`Ca(?:dance|dence)`), each
letter is tried once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(words: Iterable[str]) -> str:
    """A regex for any of `words`, factored by their common prefixes (`Ca(?:dance|dence)`)."""

    def branch(group: list[str], depth: int) -> str:
        by_letter: dict[str, list[str]] = {}
        for word in group:
            if len(word) > depth:
                by_letter.setdefault(word[depth], []).append(word)
        parts = [re.escape(letter) + branch(rest, depth + 1) for letter, rest in by_letter.items()]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        # A word that ends here, where longer ones go on: the rest may be left off.
        return "(?:" + body + ")?" if any(len(w) == depth for w in group) else body

    return branch(sorted(set(words)), 0)
