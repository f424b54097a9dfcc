"""Sanitised HTML -> Blocks: the shared back end of the HTML and Markdown readers.

`sanitise` runs nh3 (the Ammonia sanitiser) with a prose-only allow-list: no
script, no event handlers, no images or other remote resources, no forms or
iframes, links only to http(s) and mailto. `walk` turns the cleaned tree into
BlockSink calls: inline elements become Spans, `<hr>` a scene break, alignment
and block quotes become paragraph settings.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..model import Style
from .block_sink import Align, BlockSink, Item

if TYPE_CHECKING:  # lxml is imported only when an HTML-ish file is read
    from lxml.html import HtmlElement

_TAGS = {
    "p", "div", "span", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "i", "strong", "b",
    "s", "strike", "del", "u", "ins", "a", "blockquote", "center", "ul", "ol", "li", "section",
    "article", "aside", "header", "footer", "main", "pre", "code", "sup", "sub", "small", "big",
    "cite", "q", "abbr", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
    "figure", "figcaption", "font", "mark", "var", "dfn", "address", "tt", "kbd", "samp",
}
# Dropped with everything inside them: nothing in these is prose a reader should see.
_DROP_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "noscript", "template", "textarea", "select",
    "button", "svg", "math", "canvas", "audio", "video", "title", "frameset", "noembed", "head",
}
_ATTRIBUTES = {"*": {"class", "style", "align", "lang", "dir"}, "a": {"href"}}
_STYLE_PROPERTIES = {
    "text-align", "font-style", "font-weight", "font-variant", "font-variant-caps",
    "text-decoration", "text-decoration-line",
}
SAFE_SCHEMES = ("http://", "https://", "mailto:")

_BLOCKS = {
    "p", "div", "section", "article", "aside", "header", "footer", "main", "li", "dt", "dd",
    "figure", "figcaption", "pre", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "ul",
    "ol", "dl", "center", "blockquote", "address", "h1", "h2", "h3", "h4", "h5", "h6",
}
_INLINE_STYLES = {
    "em": Style.EMPHASIS, "i": Style.EMPHASIS, "cite": Style.EMPHASIS, "var": Style.EMPHASIS,
    "dfn": Style.EMPHASIS, "strong": Style.STRONG, "b": Style.STRONG, "s": Style.STRIKE,
    "strike": Style.STRIKE, "del": Style.STRIKE, "u": Style.UNDERLINE, "ins": Style.UNDERLINE,
}
_CENTER_CLASSES = {"center", "centered", "centre", "text-center", "aligncenter", "align-center"}
_SMALL_CAPS_CLASSES = {"smallcaps", "small-caps", "smcaps", "sc"}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DECLARATION = re.compile(r"\s*([\w-]+)\s*:\s*([^;]+)")


def sanitise(html: str) -> str:
    """Clean an HTML fragment down to prose markup (see module docstring)."""
    import nh3

    return nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        filter_style_properties=_STYLE_PROPERTIES,
        link_rel=None,
        strip_comments=True,
    )


def xml_safe(text: str) -> str:
    """`text` without what XML forbids (controls, lone surrogates, U+FFFE/U+FFFF).

    lxml refuses such text and nh3 cannot even encode it; no book could show it anyway.
    """
    return _NOT_XML.sub("", text)


def parse_fragment(html: str) -> HtmlElement:
    """Sanitise an HTML fragment and parse it into a tree under one <div>."""
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(huge_tree=True)
    return lxml_html.fragment_fromstring(sanitise(xml_safe(html)) or "<p></p>", create_parent="div", parser=parser)


def items_from_html(html: str) -> list[Item]:
    """Sanitise an HTML fragment and return its blocks and headings."""
    sink = BlockSink()
    walk(parse_fragment(html), sink)
    return sink.finish()


# Real prose nests a few levels deep; past this, markup is broken or hostile and
# only its text is kept (no recursion, so no RecursionError).
_MAX_DEPTH = 100


def walk(element: HtmlElement, sink: BlockSink, depth: int = 0) -> None:
    """Feed the children of a sanitised element (not the element itself) into `sink`."""
    if depth > _MAX_DEPTH:
        sink.text(element.text_content())
        return
    if element.text:
        sink.text(element.text)
    for child in element:
        _visit(child, sink, depth + 1)
        if child.tail:
            sink.text(child.tail)


# Classes that mark verse: Project Gutenberg's `poem`/`stanza` (and `poetry`,
# `verse`, `lg`) in HTML made by its volunteers' tools and TEI conversions.
_POEM_CLASSES = {"poem", "poetry", "verse", "lg", "stanza"}
_INDENT_CLASS = re.compile(r"^i(\d{1,2})$")


def _visit(element: HtmlElement, sink: BlockSink, depth: int) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if not tag:
        return  # comment or processing instruction
    tag = tag.lower()
    if tag == "br":
        sink.line_break()
        return
    if tag == "hr":
        sink.scene_break("")
        return
    css = _css(element)
    styles = _styles(tag, element, css)
    for style, href in styles:
        sink.push(style, href)
    classes = _classes(element)
    if classes & _POEM_CLASSES and tag in _BLOCKS:
        with sink.block(verse=True):
            walk(element, sink, depth)
    elif sink.in_verse:
        _visit_verse_part(tag, element, classes, sink, depth)
    elif tag in _BLOCKS:
        heading = int(tag[1]) if tag in {"h1", "h2", "h3", "h4", "h5", "h6"} else None
        with sink.block(align=_align(tag, element, css), quoted=tag == "blockquote", heading=heading):
            if tag == "pre":
                _walk_preformatted(element, sink)
            else:
                walk(element, sink, depth)
    else:
        walk(element, sink, depth)
    for style, _ in reversed(styles):
        sink.pop(style)


def _visit_verse_part(tag: str, element: HtmlElement, classes: set[str], sink: BlockSink, depth: int) -> None:
    """Inside a poem: a block (PG's `<div class="i2">`, `<p>`) is one line; `iN` sets its indent."""
    # PG's classes count half-ems (i2 = 1em); a verse step is about one em.
    indent = next((int(m.group(1)) for c in classes if (m := _INDENT_CLASS.match(c))), None)
    line = tag in _BLOCKS
    if line:
        sink.line_break(hard=False)
    if indent is not None:
        sink.line_indent((indent + 1) // 2)
    walk(element, sink, depth)
    if line:
        sink.line_break(hard=False)


def _walk_preformatted(element: HtmlElement, sink: BlockSink) -> None:
    # Line breaks inside <pre> separate lines of prose (pasted plain text).
    for line in element.text_content().split("\n"):
        sink.text(line)
        sink.end_paragraph()


def _css(element: HtmlElement) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2).strip().lower() for m in _DECLARATION.finditer(element.get("style") or "")}


def _classes(element: HtmlElement) -> set[str]:
    return set((element.get("class") or "").lower().split())


def _styles(tag: str, element: HtmlElement, css: dict[str, str]) -> list[tuple[Style, str | None]]:
    styles: list[tuple[Style, str | None]] = []
    if tag in _INLINE_STYLES:
        styles.append((_INLINE_STYLES[tag], None))
    if tag == "a":
        href = (element.get("href") or "").strip()
        if href.lower().startswith(SAFE_SCHEMES):
            styles.append((Style.LINK, href))
    if css.get("font-style") in ("italic", "oblique"):
        styles.append((Style.EMPHASIS, None))
    weight = css.get("font-weight", "")
    if weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600):
        styles.append((Style.STRONG, None))
    if "small-caps" in (css.get("font-variant", ""), css.get("font-variant-caps", "")) or _classes(element) & _SMALL_CAPS_CLASSES:
        styles.append((Style.SMALL_CAPS, None))
    decoration = css.get("text-decoration", "") + " " + css.get("text-decoration-line", "")
    if "line-through" in decoration:
        styles.append((Style.STRIKE, None))
    if "underline" in decoration:
        styles.append((Style.UNDERLINE, None))
    return styles


def _align(tag: str, element: HtmlElement, css: dict[str, str]) -> Align:
    value = (element.get("align") or css.get("text-align") or "").lower()
    if tag == "center" or value in ("center", "centre") or _classes(element) & _CENTER_CLASSES:
        return "center"
    if value == "right":
        return "right"
    return None
