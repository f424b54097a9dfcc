"""Rule `unicode.lookalikes`: a Cyrillic or Greek letter inside a Latin word becomes the Latin letter.

`hеllo` with a Cyrillic е (a keyboard layout slip, or text pasted through a
tool that swaps letters) looks right and breaks search, spelling and
hyphenation. Which letters look alike is Unicode's confusables data (UTS #39,
through the confusable_homoglyphs package); a letter with a mark is taken apart
first (NFD), so Cyrillic ї becomes Latin ï as TR39's skeletons do.

Only a word that mixes scripts is touched, and only in a paragraph written
mostly in Latin letters: words and passages genuinely in Cyrillic or Greek
(and a lone α or Ω in English text) are left alone, and so is a letter with no
Latin look-alike. The data loads only when a paragraph holds such a letter.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from storybinder.cleanup.engine import Change, Context, Rule
from storybinder.cleanup.unicode_repair import beyond_ascii
from storybinder.lazy_pattern import lazy

# Greek, Cyrillic (with its supplement) and Greek Extended: the scripts whose
# letters pass for Latin ones in running text.
_FOREIGN_CLASS = "\u0370-\u03ff\u0400-\u052f\u1f00-\u1fff"
_ANY_FOREIGN = lazy(f"[{_FOREIGN_CLASS}]")
_LETTERS = lazy(r"[^\W\d_]+")  # a word: letters (and the marks that NFD splits off stay inside)
_LATIN = lazy("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


@cache
def _confusables_json() -> str:
    # Unicode's confusables as the package ships them (1 MB of JSON), read
    # straight from its folder: importing confusable_homoglyphs.confusables also
    # imports urllib.request, http.client and email for an updater we never use,
    # and importlib.resources brings zipfile and tempfile.
    from importlib.util import find_spec

    spec = find_spec("confusable_homoglyphs")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("confusable_homoglyphs")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / "confusables.json").read_text(encoding="utf-8")


def _confusables_of(letter: str) -> list[dict[str, str]]:
    """The confusables entry of one BMP character (the JSON's keys are ASCII-escaped).

    Only that entry is decoded: a story asks for a few letters, and decoding
    all 9,600 entries took 15-60 ms on first use.
    """
    import json

    text = _confusables_json()
    at = text.find(f'"\\u{ord(letter):04x}": [')
    if at < 0:
        return []
    entry, _ = json.JSONDecoder().raw_decode(text, at + 10)
    return entry  # type: ignore[no-any-return]


@cache
def latin_lookalike(letter: str) -> str | None:
    """The Latin letter that `letter` (Greek or Cyrillic) is confusable with, or None."""
    base, *marks = unicodedata.normalize("NFD", letter)
    for glyph in _confusables_of(base):
        c = glyph["c"]
        # A basic Latin letter only: Cyrillic ь is also "like" Latin ƅ (tone six), a
        # letter no English word holds.
        if len(c) == 1 and c.isascii() and c.isalpha():
            return unicodedata.normalize("NFC", c + "".join(marks))
    return None


def _mostly_latin(text: str) -> bool:
    foreign = len(_ANY_FOREIGN.findall(text))
    return len(_LATIN.findall(text)) > foreign


# Paragraphs looked at together first: nearly all blocks of them hold no Greek or Cyrillic letter.
_BLOCK = 64


def _units_with_foreign_letters(units: list[str]) -> Iterator[int]:
    """The units holding a Greek or Cyrillic letter, looked for among each block's non-ASCII characters first."""
    for lo in range(0, len(units), _BLOCK):
        if _ANY_FOREIGN.search(beyond_ascii("".join(units[lo : lo + _BLOCK]))) is None:
            continue
        for u in range(lo, min(lo + _BLOCK, len(units))):
            # (isascii first: a C check at memory speed, true of most paragraphs)
            if not units[u].isascii() and _ANY_FOREIGN.search(units[u]) is not None:
                yield u


def find(ctx: Context) -> Iterator[Change]:
    for u in _units_with_foreign_letters(ctx.units):
        text = ctx.units[u]
        if not _mostly_latin(text):
            continue
        for word in _LETTERS.finditer(text):
            w = word.group()
            if not _ANY_FOREIGN.search(w) or not _LATIN.search(w):
                continue  # all Latin, or all Greek/Cyrillic: a word in its own script
            for k, ch in enumerate(w):
                if not _ANY_FOREIGN.match(ch):
                    continue
                latin = latin_lookalike(ch)
                if latin is not None:
                    at = word.start() + k
                    yield Change(u, at, at + 1, latin, message=f"{unicodedata.name(ch, 'letter').lower()} in a Latin word")


RULE = Rule("unicode.lookalikes", "fix", find, "a Cyrillic or Greek look-alike letter inside a Latin word")
