"""Rule `unicode`: mojibake, Unicode normal form, characters that break XHTML.

Mojibake (`donâ€™t`, UTF-8 read as Windows-1252) is repaired by ftfy, which
only touches text that is measurably garbled. ftfy is imported only when a
paragraph holds the tell-tale characters, so clean text costs one regex scan.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from storybinder.cleanup.engine import Change, Context, Rule
from storybinder.cleanup.joined import blocks
from storybinder.lazy_pattern import lazy

# Lead bytes of UTF-8 sequences as they look when decoded as cp1252/latin-1,
# followed by a continuation-byte look-alike: the signature of mojibake.
_MOJIBAKE_HINT = lazy(
    "[\u00c2\u00c3\u00c5\u00c6\u00ce\u00cf\u00d0\u00d1\u00e2\u00f0]"
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
# C0/C1 controls are not allowed in XHTML; zero-width space, BOM and word joiner
# are invisible debris from copy and paste. ZWJ/ZWNJ stay: emoji and scripts need them.
_JUNK_CLASS = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2060\ufeff\ufffe\uffff]"
_JUNK = lazy(_JUNK_CLASS + "+")
# To ask whether there is any: a pattern of one character class is scanned for
# faster than a run (+) is.
_ANY_JUNK = lazy(_JUNK_CLASS)
# The junk an ASCII text can hold, as bytes to delete.
_ASCII_JUNK = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_ASCII = bytes(range(0x80))


def _trim_change(unit: int, old: str, new: str, message: str) -> Change:
    # Report the smallest differing region rather than the whole paragraph.
    p = 0
    limit = min(len(old), len(new))
    while p < limit and old[p] == new[p]:
        p += 1
    s = 0
    while s < limit - p and old[-1 - s] == new[-1 - s]:
        s += 1
    return Change(unit, p, len(old) - s, new[p : len(new) - s], message=message)


def _removable(text: str) -> list[re.Match[str]]:
    """The runs of junk to remove: all but those that are a whole line on their own.

    A line of nothing but such characters stays: emptied, it would become a
    blank line and change the paragraph layout (and the next cleaning). The
    book never shows them anyway: the EPUB writer drops what XML forbids.
    """
    runs = []
    for m in _JUNK.finditer(text):
        first = text.rfind("\n", 0, m.start()) + 1
        last = text.find("\n", m.end())
        line = text[first : last if last >= 0 else len(text)]
        if _JUNK.sub("", line).strip():
            runs.append(m)
    return runs


def _without_ascii(data: bytes) -> str:
    # In UTF-8 every byte of a character beyond ASCII is over 127: deleting the
    # others leaves those characters whole, in order.
    return data.translate(None, _ASCII).decode("utf-8", "surrogatepass")


def beyond_ascii(text: str) -> str:
    """The characters of `text` beyond ASCII, in order (a C pass over its bytes, no regex)."""
    return _without_ascii(text.encode("utf-8", "surrogatepass"))


def _nothing_to_do(text: str) -> bool:
    """No junk, no sign of mojibake, NFC already: true of most stories."""
    if text.isascii():
        # Deleting bytes is a tight C loop, several times faster than a regex scan.
        return len(text.encode("ascii").translate(None, _ASCII_JUNK)) == len(text)
    data = text.encode("utf-8", "surrogatepass")
    if len(data.translate(None, _ASCII_JUNK)) != len(data):
        return False
    # Junk beyond ASCII and mojibake are non-ASCII characters: look for them among those
    # alone (a few in a hundred of a story's), not in the whole text. Two such characters
    # side by side there may have text between them in the story: the story tells.
    beyond = _without_ascii(data)
    return (
        not _ANY_JUNK.search(beyond)
        and not (_MOJIBAKE_HINT.search(beyond) and _MOJIBAKE_HINT.search(text))
        and unicodedata.is_normalized("NFC", text)
    )


def find(ctx: Context) -> Iterator[Change]:
    # prefilter: one look at a block of paragraphs instead of one per paragraph. A
    # line break neither is junk nor combines with anything, so the joined text
    # is clean and NFC exactly when every paragraph is. (Blocks, not the whole
    # story joined: its copies, as UTF-8 and without junk, are as big again.)
    if all(map(_nothing_to_do, blocks(ctx.units))):
        return
    for i, text in enumerate(ctx.units):
        junk = _removable(text) if not text.isascii() or _JUNK.search(text) else []
        kept, pos = [], 0
        for m in junk:
            kept.append(text[pos : m.start()])
            pos = m.end()
        junk_free = "".join(kept) + text[pos:]
        fixed = junk_free
        if _MOJIBAKE_HINT.search(fixed):
            import ftfy  # lazy: costs ~50 ms to import, needed only for garbled text

            fixed = ftfy.fix_encoding(fixed)
        # Normalised after the junk is gone: a control character between two
        # combining marks hides that they are out of canonical order.
        if not fixed.isascii() and not unicodedata.is_normalized("NFC", fixed):
            fixed = unicodedata.normalize("NFC", fixed)
        if fixed != junk_free:
            # Every change is located in the unit as given, so a repair and the
            # removal of control characters around it are one change.
            yield _trim_change(i, text, fixed, "repaired encoding / normalised Unicode")
            continue
        for m in junk:
            yield Change(i, m.start(), m.end(), "", message="removed invisible control character")


RULE = Rule("unicode", "fix", find, "mojibake, NFC, control and zero-width characters", typography=True)
