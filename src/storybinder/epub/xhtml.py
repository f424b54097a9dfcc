"""Blocks and inline spans to XHTML elements, built with lxml (escaping lives here).

Everything that reaches the tree passes through `xml_text`, which drops the
characters XML 1.0 forbids (C0 controls, lone surrogates, U+FFFE/U+FFFF) and C1
controls, so no input text can make a document that is not well-formed.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote, urlsplit, urlunsplit

from lxml import etree

from ..model import Block, Heading, Paragraph, SceneBreak, Span, Style, Verse
from .devices import HTML_DOCTYPE, SCENE_BREAK_TEXT, XML_DECLARATION
from ..lazy_pattern import lazy

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {None: XHTML_NS, "epub": EPUB_NS}
EPUB_TYPE = f"{{{EPUB_NS}}}type"

# XML 1.0 Char production, minus the C1 controls (legal XML but never meant as text).
# Written as the characters that are out rather than those that are in: the
# same set, compiled in 0.5 ms instead of 4.5 (the astral range made sre build
# a big table at every start).
_NOT_XML_CHAR = lazy("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto"})

# Nesting order when several styles start at the same offset: outermost first.
_STYLE_ORDER = {style: i for i, style in enumerate(Style)}


def xml_text(text: str | None) -> str:
    """`text` with every character XML cannot carry removed."""
    if not text:
        return ""
    if text.isprintable():
        # Printable text holds no control, surrogate or non-character, and the
        # check runs at twice the speed of the regex (most text takes this path).
        return text
    return _NOT_XML_CHAR.sub("", text)


def element(parent: etree._Element | None, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """A new XHTML element (appended to `parent` when given); `class_` sets class."""
    qualified = {("class" if k == "class_" else k): xml_text(v) for k, v in attrs.items() if v is not None}
    if parent is None:
        el = etree.Element(f"{{{XHTML_NS}}}{tag}", qualified, nsmap=NSMAP)
    else:
        el = etree.SubElement(parent, f"{{{XHTML_NS}}}{tag}", qualified)
        if tag in _BLOCK_NAMES:
            _lay_out_block(parent, el)
    if text:
        el.text = xml_text(text)
    return el


# Elements whose surrounding whitespace never shows; a line break after each
# makes the files readable without touching the text inside paragraphs.
_BLOCK_NAMES = frozenset("html head meta title link body section nav div h1 h2 h3 h4 h5 h6 p blockquote ol li img".split())
_BLOCK_TAGS = frozenset(f"{{{XHTML_NS}}}{t}" for t in _BLOCK_NAMES)


def _lay_out_block(parent: etree._Element, el: etree._Element) -> None:
    """A line break after a new block element, and before the first one in a block parent.

    Done as each element is made: a pass over the finished tree cost more than
    building it (every paragraph visited again in Python).
    """
    el.tail = "\n"
    text = parent.text
    # A parent already opening with "\n" needs nothing (and len() walks every child).
    if text != "\n" and not (text or "").strip() and len(parent) == 1 and parent.tag in _BLOCK_TAGS:
        parent.text = "\n"


# What RFC 3986 allows unescaped in a path, query or fragment ("%" only before two hex digits).
_URL_PART_SAFE = "/?:@!$&'()*+,;=-._~%"
_LONE_PERCENT = lazy(r"%(?![0-9A-Fa-f]{2})")
_HOST = lazy(r"^(?:[A-Za-z0-9._~!$&'()*+,;=%:-]+@)?[A-Za-z0-9.-]+(?::[0-9]*)?$")


def safe_href(href: str | None) -> str | None:
    """`href` as a valid URL when it is an absolute http(s) or mailto link, else None.

    Characters a URL cannot hold (`<`, `"`, `{`, non-ASCII letters...) are
    percent-encoded, so EPUBCheck and reading systems accept the link.
    """
    if not href:
        return None
    href = xml_text(href).strip()
    if any(c.isspace() for c in href):
        return None
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in SAFE_LINK_SCHEMES:
        return None
    netloc = parts.netloc
    if scheme != "mailto":
        try:
            netloc = netloc.encode("idna").decode("ascii") if not netloc.isascii() else netloc
        except UnicodeError:
            return None
        if not netloc or not _HOST.match(netloc):
            return None

    def encode(part: str) -> str:
        return quote(_LONE_PERCENT.sub("%25", part), safe=_URL_PART_SAFE)

    path, query, fragment = encode(parts.path), encode(parts.query), encode(parts.fragment)
    return urlunsplit((scheme, netloc, path, query, fragment)) + ("?" if not query and href.endswith("?") else "")


def _append_text(parent: etree._Element, text: str) -> None:
    text = xml_text(text)
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _open_span(parent: etree._Element, span: Span) -> etree._Element:
    if span.style is Style.EMPHASIS:
        return element(parent, "em")
    if span.style is Style.STRONG:
        return element(parent, "strong")
    if span.style is Style.SMALL_CAPS:
        return element(parent, "span", class_="smallcaps")
    if span.style is Style.STRIKE:
        return element(parent, "s")
    if span.style is Style.UNDERLINE:
        return element(parent, "span", class_="underline")
    return element(parent, "a", href=safe_href(span.href))


def _usable_spans(text: str, spans: Iterable[Span]) -> list[Span]:
    out = []
    for span in spans:
        start, end = max(0, span.start), min(len(text), span.end)
        if end <= start:
            continue
        if span.style is Style.LINK and safe_href(span.href) is None:
            continue  # unsafe or relative link: keep the words, drop the link
        out.append(Span(start, end, span.style, span.href))
    return list(dict.fromkeys(out))  # a repeated span must not nest in itself


def fill_inline(parent: etree._Element, text: str, spans: Sequence[Span] = ()) -> etree._Element:
    """Append `text` to `parent`, wrapping styled ranges in nested elements.

    Overlapping spans are split where they cross, so the result always nests.
    """
    usable = _usable_spans(text, spans)
    if not usable:
        _append_text(parent, text)
        return parent
    cuts = sorted({0, len(text), *(s.start for s in usable), *(s.end for s in usable)})
    # Canonical order: earlier start first, then longer, then by style.
    ordered = sorted(usable, key=lambda s: (s.start, -s.end, _STYLE_ORDER[s.style], s.href or ""))
    stack: list[tuple[Span, etree._Element]] = []
    for a, b in zip(cuts, cuts[1:]):
        active = [s for s in ordered if s.start <= a and s.end >= b]
        # Never nest a link inside a link.
        seen_link = False
        wanted = []
        for s in active:
            if s.style is Style.LINK:
                if seen_link:
                    continue
                seen_link = True
            wanted.append(s)
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep][0] == wanted[keep]:
            keep += 1
        del stack[keep:]
        for s in wanted[keep:]:
            holder = stack[-1][1] if stack else parent
            stack.append((s, _open_span(holder, s)))
        _append_text(stack[-1][1] if stack else parent, text[a:b])
    return parent


_P_TAG = f"{{{XHTML_NS}}}p"


def render_block(parent: etree._Element, block: Block) -> etree._Element:
    """Append one block (paragraph, sub-heading or scene break) to `parent`."""
    if isinstance(block, Paragraph):
        if not block.spans and not block.align:
            # Most paragraphs: plain text, built directly (the general path
            # below gives the same element at twice the cost).
            p = etree.SubElement(parent, _P_TAG)
            _lay_out_block(parent, p)
            text = xml_text(block.text)
            if text:
                p.text = text
            return p
        classes = [c for c in (block.align,) if c]
        p = element(parent, "p", class_=" ".join(classes) or None)
        return fill_inline(p, block.text, block.spans)
    if isinstance(block, SceneBreak):
        # A visible text separator, not a border-only <hr>: see devices.py.
        return element(parent, "p", SCENE_BREAK_TEXT, class_="scene-break", role="separator", **{"aria-label": "scene break"})
    if isinstance(block, Heading):
        level = min(6, max(3, block.level))
        return fill_inline(element(parent, f"h{level}"), block.text, block.spans)
    if isinstance(block, Verse):
        return render_stanza(parent, block)
    raise TypeError(f"not a block: {block!r}")


# Deepest indent a verse line gets (p.i1 ... p.i8 in the stylesheet): deeper
# indents (a refrain set far right in a text file) would leave a phone's
# screen a few words wide.
MAX_VERSE_INDENT = 8


def render_stanza(parent: etree._Element, verse: Verse) -> etree._Element:
    """A stanza as a div of lines, one <p class="line"> each (a long line wraps under itself)."""
    stanza = element(parent, "div", class_="stanza")
    start = 0
    for line, indent in zip(verse.text.split("\n"), verse.indents):
        end = start + len(line)
        spans = [
            Span(max(s.start, start) - start, min(s.end, end) - start, s.style, s.href)
            for s in verse.spans
            if s.start < end and s.end > start
        ]
        level = min(MAX_VERSE_INDENT, max(0, indent))
        fill_inline(element(stanza, "p", class_=f"line i{level}" if level else "line"), line, spans)
        start = end + 1
    return stanza


def render_blocks(parent: etree._Element, blocks: Iterable[Block]) -> None:
    """Append blocks in order; consecutive quoted paragraphs share one blockquote,
    consecutive stanzas one poem."""
    quote: etree._Element | None = None
    poem: etree._Element | None = None
    for block in blocks:
        if isinstance(block, Verse):
            quote = None
            if poem is None:
                poem = element(parent, "div", class_="poem")
            render_stanza(poem, block)
            continue
        poem = None
        if isinstance(block, Paragraph) and block.quoted:
            if quote is None:
                quote = element(parent, "blockquote")
            render_block(quote, block)
            continue
        quote = None
        render_block(parent, block)


def text_paragraphs(parent: etree._Element, text: str | None, class_: str | None = None) -> None:
    """Append plain text (e.g. a description) as paragraphs, one per blank-line-separated part."""
    for part in re.split(r"\n\s*\n|\n", xml_text(text or "")):
        part = " ".join(part.split())
        if part:
            element(parent, "p", part, class_=class_)


# Languages written right to left (primary subtags).
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "syr", "ug", "ur", "yi"})


def is_rtl(lang: str) -> bool:
    """Whether text in BCP 47 language `lang` runs right to left."""
    return lang.split("-")[0].lower() in RTL_LANGUAGES


def document(title: str, lang: str, stylesheet: str | None, body_class: str | None = None) -> tuple[etree._Element, etree._Element]:
    """An empty XHTML 5 document: returns (html root, body)."""
    # A copy of a skeleton made once: building it afresh cost 20 us a document
    # (six of them a book), the copy 6 us.
    html = copy.deepcopy(_skeleton(stylesheet))
    html.set("lang", xml_text(lang))
    html.set(XML_LANG, xml_text(lang))
    if is_rtl(lang):
        html.set("dir", "rtl")
    head, body = html
    head[1].text = xml_text(title).strip() or "Untitled"
    if body_class is not None:
        body.set("class", xml_text(body_class))
    return html, body


@functools.cache
def _skeleton(stylesheet: str | None) -> etree._Element:
    """html > head (meta charset, empty title, stylesheet link) + empty body; never handed out, only copied."""
    html = element(None, "html")
    head = element(html, "head")
    element(head, "meta", charset="utf-8")
    element(head, "title")
    if stylesheet:
        element(head, "link", rel="stylesheet", type="text/css", href=stylesheet)
    element(html, "body")
    return html


def epub_type(el: etree._Element, value: str) -> etree._Element:
    """Set epub:type on `el` and return it."""
    el.set(EPUB_TYPE, value)
    return el


def serialize(root: etree._Element) -> bytes:
    """An XHTML content document as bytes: XML declaration, HTML5 doctype, UTF-8.

    Line breaks between block elements were placed as `element` made them.
    """
    return XML_DECLARATION + etree.tostring(root, encoding="utf-8", doctype=HTML_DOCTYPE)
