"""HTML for `storybinder clean`: text nodes are prose, everything else stays as typed.

Tags (with attributes, whatever quotes they hold), comments, the doctype and
the content of script, style, pre, code, textarea, svg and math are never
changed. Inline tags (<em>, <a>, <span>...) are invisible to the cleaner, so
a sentence runs on across them; any other tag ends a paragraph. Entities are
seen as the character they stand for (&quot; as ") and, when the cleaner
changes that character, written as the new one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from .segments import OBJECT, Piece, anchor, block, frozen, prose, soft

# Phrasing elements: they do not break a paragraph.
INLINE = frozenset(
    "a abbr b bdi bdo big cite data del dfn em font i img ins label mark nobr q rp rt ruby s small span "
    "strike strong sub sup time tt u wbr".split()
)
# Elements whose content is never cleaned: code, or not prose at all. An
# inline one (code, kbd...) is one frozen piece within its paragraph.
_VERBATIM_INLINE = frozenset({"code", "kbd", "samp", "var"})
_VERBATIM_BLOCK = frozenset({"script", "style", "pre", "textarea", "svg", "math", "template", "iframe", "object", "xmp", "listing", "plaintext", "noembed", "noframes"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# A tag as the HTML tokenizer reads it: a name, then attributes whose quoted
# values may hold any character, > included.
TAG = re.compile(
    r"""<(/?)([A-Za-z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>"""
)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_DECLARATION = re.compile(r"<(?:![^>]*|\?[^>]*)>?")
_CDATA = re.compile(r"<!\[CDATA\[.*?(?:\]\]>|\Z)", re.DOTALL)
ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_TEXT_END = re.compile(r"[<&]")


# Can any character be written as &#N; in this format?
CHARACTER_REFERENCES = True


def escape(text: str) -> str:
    """New prose as HTML text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pieces(text: str) -> list[Piece]:
    """Cut an HTML document into pieces for segments.clean_pieces; joined, their sources are `text`."""
    return list(_tokens(text))


def _tokens(text: str) -> Iterator[Piece]:
    pos, n = 0, len(text)
    title = False  # inside <title>: text up to </title> (RCDATA: entities, no tags)
    while pos < n:
        if title:
            end = _find_end_tag(text, "title", pos)
            yield from text_pieces(text[pos:end])
            pos = end
            title = False
            continue
        lt = text.find("<", pos)
        amp = text.find("&", pos)
        stop = min(i for i in (lt, amp, n) if i >= 0)
        if stop > pos:
            yield prose(text[pos:stop])
            pos = stop
            continue
        if text.startswith("&", pos):
            m = ENTITY.match(text, pos)
            if m:
                yield entity_piece(m.group())
                pos = m.end()
            else:
                yield prose("&")
                pos += 1
            continue
        # At a "<".
        for pattern in (_COMMENT, _CDATA):
            m = pattern.match(text, pos)
            if m:
                # A comment inside a paragraph does not end it.
                yield anchor(m.group()) if pattern is _COMMENT else block(m.group())
                pos = m.end()
                break
        else:
            m = TAG.match(text, pos)
            if m is None:
                d = _DECLARATION.match(text, pos) if text.startswith(("<!", "<?"), pos) else None
                if d:
                    yield block(d.group())
                    pos = d.end()
                else:
                    yield prose("<")  # a lone < in text
                    pos += 1
                continue
            closing, name = m.group(1) == "/", m.group(2).lower()
            self_closing = m.group(3).rstrip().endswith("/")
            if not closing and not self_closing and (name in _VERBATIM_BLOCK or name in _VERBATIM_INLINE):
                end = _find_end_tag(text, name, m.end())
                close = TAG.match(text, end)
                stop = close.end() if close else end
                whole = text[pos:stop]
                yield frozen(whole, OBJECT) if name in _VERBATIM_INLINE else block(whole)
                pos = stop
                continue
            if name in INLINE:
                yield anchor(m.group(), closes=closing)
            elif name == "title" and not closing and not self_closing:
                yield block(m.group(), "title")
                title = True
            else:
                kind = "heading" if name in _HEADINGS and not closing else "para"
                yield block(m.group(), kind)
            pos = m.end()


def text_pieces(text: str) -> Iterator[Piece]:
    """Text with entities: prose, each entity a soft piece."""
    pos = 0
    for m in ENTITY.finditer(text):
        if m.start() > pos:
            yield prose(text[pos : m.start()])
        yield entity_piece(m.group())
        pos = m.end()
    if pos < len(text):
        yield prose(text[pos:])


def entity_piece(source: str) -> Piece:
    """An entity seen as its character; one that stands for markup (&lt;) is frozen."""
    char = html.unescape(source)
    if char == source or char in "<>&":
        return frozen(source, char if char != source else OBJECT)
    return soft(source, char)


def _find_end_tag(text: str, name: str, start: int) -> int:
    """Where `</name` begins after `start` (the end of the text if it never does)."""
    m = re.compile(rf"</{re.escape(name)}[\s/>]", re.IGNORECASE).search(text, start)
    return m.start() if m else len(text)
