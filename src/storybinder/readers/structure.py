"""Structure marks shared by every reader: scene-break lines and chapter headings."""

from __future__ import annotations

import re

from ..lazy_pattern import lazy

# A line made only of a repeated break character (with optional spaces):
# `***`, `* * *`, `~~~`, `———`, `---`, `###`, `===`, `•••`, `◇ ◇ ◇`; or `o0o`-style
# (`o0o`, `oOo`, `0o0`, `-o0o-`), or a lone `#`/`§`/`⁂`.
_BREAK_CHARS = "*~—–\\-_=#•·◇◆♦❖✦✧+x"
_REPEATED = lazy(rf"^\s*([{_BREAK_CHARS}])(?:\s*\1){{2,}}\s*$")
_MIXED = lazy(rf"^\s*[{_BREAK_CHARS}](?:\s*[{_BREAK_CHARS}]){{2,}}\s*$")
_O0O = lazy(r"^\s*[-~=*]*\s*(?:[oO0]\s*){3,}\s*[-~=*]*\s*$")
_SINGLE = lazy(r"^\s*[#§⁂]\s*$")
# Every character the patterns above can start with: a line starting otherwise
# (nearly every line of prose) is refused without running four regexes.
_BREAK_FIRST = frozenset(_BREAK_CHARS + "-~=*oO0" + "#§⁂")


def is_scene_break(line: str) -> bool:
    """True when a line holds only a scene-break mark (`* * *`, `~~~`, `———`, `o0o`...)."""
    text = line.strip()
    if not text or len(text) > 40 or text[0] not in _BREAK_FIRST:
        return False
    return bool(_REPEATED.match(text) or _MIXED.match(text) or _SINGLE.match(text) or _is_o0o(text))


def _is_o0o(text: str) -> bool:
    # "ooo" alone could be an exclamation; demand a zero or the oOo case pattern.
    return bool(_O0O.match(text)) and ("0" in text or ("o" in text and "O" in text))


_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred"
)
_NUMBER = rf"(?:\d+|[ivxlcdm]+|(?:{_NUMBER_WORDS})(?:[\s-](?:{_NUMBER_WORDS}))*)"
_CHAPTER = lazy(
    rf"^(?:chapter|part|book|act)\s+{_NUMBER}\b\s*(?:[:.\-—–]\s*(?P<title>.+)?)?$",
    re.IGNORECASE,
)
_NAMED = lazy(
    r"^(?:prologue|epilogue|interlude|afterword|foreword|preface|introduction)\b\s*(?:[:.\-—–]\s*.+)?$",
    re.IGNORECASE,
)
# The first letters of the words above, as re.IGNORECASE matches them (İ and ı
# match i): a line starting otherwise is refused without the two regexes.
_HEADING_FIRST = frozenset("AaBbCcEeFfIiPp\u0130\u0131")


def is_chapter_heading(line: str) -> bool:
    """True for "Chapter 1", "CHAPTER ONE", "Chapter IV: Title", "Prologue", "Epilogue: After"..."""
    text = line.strip()
    if not text or len(text) > 120 or text[0] not in _HEADING_FIRST or text.endswith((",", ";")):
        return False
    return bool(_CHAPTER.match(text) or _NAMED.match(text))


# "By NAME", and the longer forms authors put under a title: "Written by NAME", "A story by NAME".
_BYLINE = lazy(r"^\s*(?:(?:written|a\s+story|story)\s+)?by\s*:?\s+(?P<names>\S.*?)\s*$", re.IGNORECASE)
# Where a byline's names end: "By X with thanks to Y", "By X, edited by Y", "By X (pen name)".
_BYLINE_END = lazy(r"\s+(?:with|for|featuring|feat\.)\s+|\s*[,;(\[]|\s+[—–-]\s+", re.IGNORECASE)
_NAME_SPLIT = lazy(r"\s+(?:and|&)\s+", re.IGNORECASE)
# A maiden or middle name in brackets inside a name ("Mary Wollstonecraft (Godwin) Shelley"),
# unlike a pen name after it ("Mark Twain (Samuel Clemens)"), which ends the names.
_INNER_BRACKETS = lazy(r"\s*\([^()]{1,40}\)(?=\s+[A-Z])")


def byline_names(line: str) -> tuple[str, ...]:
    """The names in a "By NAME" / "Written by A and B" line, or () when the line is not a byline."""
    if len(line) > 200:
        return ()
    match = _BYLINE.match(line)
    if not match:
        return ()
    names = _BYLINE_END.split(_INNER_BRACKETS.sub("", match.group("names")), maxsplit=1)[0]
    people = [n.strip(" .") for n in _NAME_SPLIT.split(names) if n.strip(" .")]
    # A real byline names people in a few words; "By the time she woke..." is prose.
    if not people or any(len(p.split()) > 4 for p in people) or people[0][:1].islower():
        return ()
    return tuple(people)
