"""BBCode for `storybinder clean`: each line is a paragraph, tags are never changed.

Tags (`[i]`, `[url=...]`, `[quote="Name"]`) are invisible to the cleaner, so a
sentence runs on across them; what [url], [img], [code], [email] and
[noparse] enclose (a link, an image's address, code) is kept as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .segments import Piece, anchor, block, frozen, prose

TAG = re.compile(r"\[(/?)([A-Za-z*][A-Za-z0-9]*)(?:=(?:\"[^\"\n]*\"|[^\]\n]*))?\]")
# Tags whose content is an address or code, not prose.
_VERBATIM = frozenset({"url", "img", "code", "email", "noparse", "youtube", "video", "pre"})


# Can any character be written as &#N; in this format?
CHARACTER_REFERENCES = False


def escape(text: str) -> str:
    """New prose as BBCode text (the cleaner never adds brackets)."""
    return text


def pieces(text: str) -> list[Piece]:
    """Cut a BBCode file into pieces for segments.clean_pieces; joined, their sources are `text`."""
    return list(_tokens(text))


def _tokens(text: str) -> Iterator[Piece]:
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        yield from _line(body)
        if len(line) > len(body):
            yield block(line[len(body) :])  # the line break: one line, one paragraph


def _line(text: str) -> Iterator[Piece]:
    pos = start = 0
    while True:
        m = TAG.search(text, pos)
        if m is None:
            break
        closing, name = m.group(1) == "/", m.group(2).lower()
        end = m.end()
        piece: Piece
        if not closing and name in _VERBATIM and "=" not in m.group():
            close = re.compile(rf"\[/{name}\]", re.IGNORECASE).search(text, end)
            stop = close.end() if close else len(text)
            piece, end = frozen(text[m.start() : stop]), stop
        else:
            piece = anchor(m.group(), closes=closing)
        if m.start() > start:
            yield prose(text[start : m.start()])
        yield piece
        pos = start = end
    if start < len(text):
        yield prose(text[start:])
