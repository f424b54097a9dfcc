"""Regular expressions compiled the first time they are used, not when their module is imported.

A rule module holds dozens of patterns, some of them long alternations of
speech verbs that take a millisecond or more each to compile; most are only
reached when a story has the fault they look for (an unbalanced quotation, a
Gutenberg header, a letter's dateline). Compiled at import, they were about
20 ms of a one-story build's start, used or not.

`lazy(pattern, flags)` stands in for `re.compile(pattern, flags)` at module
level. Its `.pattern` is there at once (other patterns are built from it);
the first use of any other attribute compiles it, and from then on the
compiled pattern's methods sit in the instance's own attributes, so a call
costs what it costs on the compiled pattern. Pass it to the methods of a
pattern (`_X.sub(...)`), not to `re.sub(_X, ...)`. The program a pattern
compiles to is kept on disk for the next process (pattern_cache).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

# The methods and attributes of re.Pattern that become the instance's own on first use.
_FORWARDED = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner",
              "flags", "groups", "groupindex")


class LazyPattern:
    """A compiled regular expression, compiled when first used (see the module's docstring)."""

    # Declared for type checkers; set on the instance at the first use (see __getattr__).
    search: Callable[..., re.Match[str] | None]
    match: Callable[..., re.Match[str] | None]
    fullmatch: Callable[..., re.Match[str] | None]
    finditer: Callable[..., Iterator[re.Match[str]]]
    findall: Callable[..., list[Any]]
    sub: Callable[..., str]
    subn: Callable[..., tuple[str, int]]
    split: Callable[..., list[Any]]
    flags: int
    groups: int
    groupindex: dict[str, int]

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern, from the program stored by an earlier run when there is one (pattern_cache)."""
        from storybinder.pattern_cache import compile_pattern

        return compile_pattern(self.pattern, self._flags)

    def __getattr__(self, name: str) -> Any:
        # Only called for a name the instance lacks: before the first use, or a name
        # re.Pattern does not have either.
        if name.startswith("_") or name not in _FORWARDED:
            raise AttributeError(name)
        compiled = self.compiled()
        for attribute in _FORWARDED:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r}, {self._flags})"


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    """`re.compile(pattern, flags)`, compiled on first use."""
    return LazyPattern(pattern, flags)
