"""Markdown for `storybinder clean`: paragraphs, headings, quotes and list items are prose.

Never changed: YAML/TOML front matter, fenced and indented code, HTML blocks,
link reference definitions, thematic breaks and setext underlines (`---` is
no dash), code spans, autolinks, images, link destinations and titles,
backslash escapes and inline HTML tags. Emphasis markers and the markers that
open a line (`#`, `>`, `-`, `1.`) are invisible to the cleaner, so a sentence
runs on across `*italics*` as it reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .html import ENTITY, TAG, entity_piece
from .segments import Piece, anchor, block, frozen, prose

_FRONT_START = re.compile(r"(?:---|\+\+\+)[ \t]*$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"( {0,3}#{1,6})(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
_THEMATIC = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT = re.compile(r" {0,3}(?:=+|-+)[ \t]*$")
_QUOTE = re.compile(r" {0,3}>[ \t]?")
_LIST = re.compile(r" {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)")
_REFERENCE = re.compile(r" {0,3}\[[^\]]+\]:[ \t]*\S")
_HTML_BLOCK = re.compile(
    r" {0,3}(?:<!--|<\?|<![A-Za-z]|<!\[CDATA\[|</?(?:[A-Za-z][A-Za-z0-9-]*)(?:[\s/>]|$))"
)
_TABLE_RULE = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")
_INDENTED = re.compile(r"(?: {4}|\t)")

# Inline: what stops the scan of plain text.
_SPECIAL = re.compile(r"[`\\<&*_~\[\]!]")
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>")
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\u201c\u201d\u2018\u2019\u2014\u2013\u2026")


# Can any character be written as &#N; in this format?
CHARACTER_REFERENCES = True


def escape(text: str) -> str:
    """New prose as Markdown text (the cleaner adds quotes and dashes, never markup)."""
    return text


def pieces(text: str) -> list[Piece]:
    """Cut a Markdown file into pieces for segments.clean_pieces; joined, their sources are `text`."""
    return list(_blocks(text.splitlines(keepends=True)))


def _blocks(lines: list[str]) -> Iterator[Piece]:
    i, n = 0, len(lines)
    if n and _FRONT_START.match(lines[0].rstrip("\r\n")):
        fence = lines[0].strip()[:3]
        for j in range(1, n):
            if lines[j].rstrip("\r\n").strip() in (fence, "..." if fence == "---" else fence):
                yield block("".join(lines[: j + 1]))
                i = j + 1
                break
    paragraph: list[str] = []  # the lines of the paragraph being read
    after_blank = True
    in_list = False

    def flush() -> Iterator[Piece]:
        if paragraph:
            yield from _paragraph(paragraph)
            paragraph.clear()

    while i < n:
        line = lines[i]
        bare = line.rstrip("\r\n")
        if not bare.strip():
            yield from flush()
            yield block(line)
            after_blank = True
            i += 1
            continue
        fence = _FENCE.match(bare)
        if fence:
            yield from flush()
            mark = fence.group(1)
            j = i + 1
            while j < n and not re.match(rf" {{0,3}}{re.escape(mark[0])}{{{len(mark)},}}[ \t]*$", lines[j].rstrip("\r\n")):
                j += 1
            yield block("".join(lines[i : j + 1]))
            i, after_blank = j + 1, False
            continue
        if _INDENTED.match(bare) and after_blank and not paragraph and not in_list:
            j = i
            while j < n and (_INDENTED.match(lines[j]) or not lines[j].strip()):
                j += 1
            while j > i and not lines[j - 1].strip():
                j -= 1  # trailing blank lines are not code
            yield block("".join(lines[i:j]))
            i, after_blank = j, False
            continue
        if _HTML_BLOCK.match(bare) and not paragraph:
            j = i
            while j < n and lines[j].strip():
                j += 1  # to the blank line that ends it
            yield block("".join(lines[i:j]))
            i, after_blank = j, False
            continue
        if paragraph and _SETEXT.match(bare):
            # The paragraph above is a heading; its underline is markup.
            yield block("", "heading")
            yield from flush()
            yield block(line)
            i += 1
            continue
        if _THEMATIC.match(bare) or (_TABLE_RULE.match(bare) and paragraph) or _REFERENCE.match(bare):
            if _TABLE_RULE.match(bare):
                # A table: its header line, this rule and every row after are kept as typed.
                header = paragraph.pop()
                yield from flush()
                j = i + 1
                while j < n and "|" in lines[j]:
                    j += 1
                yield block(header + "".join(lines[i:j]))
                i = j
            else:
                # (A reference definition is kept even where CommonMark would read it as text.)
                yield from flush()
                yield block(line)
                i += 1
            after_blank = False
            continue
        atx = _ATX.match(bare)
        if atx:
            yield from flush()
            yield block("", "heading")
            marker = atx.group()
            rest = line[len(marker) :]
            close = _ATX_CLOSE.search(rest.rstrip("\r\n"))
            yield anchor(marker)
            body, end = (rest[: close.start()], rest[close.start() :]) if close else (rest.rstrip("\r\n"), rest[len(rest.rstrip("\r\n")) :])
            yield from inline_pieces(body)
            yield block(end)
            i, after_blank = i + 1, False
            continue
        item = _LIST.match(bare)
        if item:
            yield from flush()
            in_list = True
        elif after_blank and not _QUOTE.match(bare) and not line.startswith((" ", "\t")):
            in_list = False
        paragraph.append(line)
        after_blank = False
        i += 1
    yield from flush()


def _paragraph(lines: list[str]) -> Iterator[Piece]:
    """One paragraph (its lines joined by their own line breaks): line markers are anchors."""
    yield block("")  # a unit of its own
    for line in lines:
        rest = line
        while True:
            m = _QUOTE.match(rest) or _LIST.match(rest)
            if not m or not m.group():
                break
            yield anchor(m.group())
            rest = rest[m.end() :]
        yield from inline_pieces(rest)


def inline_pieces(text: str) -> Iterator[Piece]:
    """Markdown inline text: code spans, links, escapes, tags and emphasis markers picked out of the prose."""
    pos, n = 0, len(text)
    start = 0  # where the pending prose began
    while pos < n:
        m = _SPECIAL.search(text, pos)
        if m is None:
            break
        at = m.start()
        ch = text[at]
        piece: Piece | None = None
        end = at + 1
        if ch == "`":
            run = len(text[at:]) - len(text[at:].lstrip("`"))
            close = _closing_backticks(text, at + run, run)
            if close is not None:
                piece, end = frozen(text[at:close]), close
            else:
                end = at + run  # unmatched: literal backticks
        elif ch == "\\" and at + 1 < n and (text[at + 1] in _ESCAPABLE or text[at + 1] in "\r\n"):
            piece, end = frozen(text[at : at + 2], text[at + 1] if text[at + 1] not in "\r\n" else " "), at + 2
            if text[at + 1] in "\r\n":
                piece, end = anchor("\\"), at + 1  # a hard line break: the newline stays prose
        elif ch == "<":
            link = _AUTOLINK.match(text, at)
            tag = TAG.match(text, at) if link is None else None
            if link:
                piece, end = frozen(link.group()), link.end()
            elif tag:
                piece, end = anchor(tag.group(), closes=tag.group(1) == "/"), tag.end()
            elif text.startswith("<!--", at):
                close_at = text.find("-->", at)
                end = close_at + 3 if close_at >= 0 else n
                piece = anchor(text[at:end])
        elif ch == "&":
            entity = ENTITY.match(text, at)
            if entity:
                piece, end = entity_piece(entity.group()), entity.end()
        elif ch in "*_~":
            run_end = at
            while run_end < n and text[run_end] == ch:
                run_end += 1
            if ch != "~" or run_end - at >= 2:
                flank = _flanking(text, at, run_end, ch)
                if flank is not None:
                    piece = anchor(text[at:run_end], closes=flank)
            end = run_end
        elif ch == "!" and text.startswith("![", at):
            close = _link_end(text, at + 1)
            if close is not None:
                piece, end = frozen(text[at:close]), close  # an image: alt text and source kept whole
        elif ch == "[":
            if text.startswith("[^", at) and "]" in text[at:]:
                close = text.index("]", at) + 1
                piece, end = frozen(text[at:close]), close  # a footnote reference
            elif _link_end(text, at) is not None:
                piece = anchor("[")
        elif ch == "]":
            dest = _destination_end(text, at + 1)
            if dest is not None:
                piece, end = anchor(text[at:dest], closes=True), dest
        if piece is None:
            pos = end
            continue
        if at > start:
            yield prose(text[start:at])
        yield piece
        pos = start = end
    if start < n:
        yield prose(text[start:])


def _closing_backticks(text: str, start: int, run: int) -> int | None:
    """The end of the backtick run of length `run` that closes a code span, if any."""
    for m in re.finditer(r"`+", text[start:]):
        if len(m.group()) == run:
            return start + m.end()
    return None


def _flanking(text: str, start: int, end: int, ch: str) -> bool | None:
    """For a delimiter run: False when it can open emphasis, True when it can only close it, None when neither."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    left = not after.isspace() and (after not in _PUNCTUATION or before.isspace() or before in _PUNCTUATION)
    right = not before.isspace() and (before not in _PUNCTUATION or after.isspace() or after in _PUNCTUATION)
    if ch == "_" and left and right:
        return None  # snake_case: an underscore inside a word is a letter
    if left:
        return False
    if right:
        return True
    return None


def _link_end(text: str, open_at: int) -> int | None:
    """For a `[` at `open_at`: the end of `[text](destination)` or `[text][ref]`, if it is a link."""
    depth = 0
    for i in range(open_at, len(text)):
        c = text[i]
        if c == "\\":
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return _destination_end(text, i + 1)
    return None


def _destination_end(text: str, at: int) -> int | None:
    """After a link's `]`: the end of its `(destination "title")` or `[ref]`, if one follows."""
    if text.startswith("[", at):
        close = text.find("]", at)
        return close + 1 if close >= 0 else None
    if not text.startswith("(", at):
        return None
    depth, i, quote = 0, at, ""
    while i < len(text):
        c = text[i]
        if quote:
            if c == quote:
                quote = ""
        elif c == "\\":
            i += 1
        elif c in "\"'" and text[i - 1].isspace():
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        elif c in "\r\n" and text[i - 1] in "\r\n":
            return None
        i += 1
    return None
