"""Kobo kepub: an EPUB with Kobo's reading markup, so the Kobo's own kepub renderer
(page and time-left counts, highlights, reading stats) opens it instead of the
slower Adobe engine it uses for plain EPUBs.

Our own implementation of the documented kepub rules. Everything here is for the
Kobo e-readers' (and the Kobo apps') kepub renderer:
- every sentence of every text node in a `<span class="koboSpan" id="kobo.P.S">`
  (P counts paragraphs, S sentences in it): the renderer locates highlights,
  bookmarks and the reading position by these spans, and counts pages by them;
- the body's content inside `<div id="book-columns"><div id="book-inner">`: the
  renderer lays its columns out on these two elements;
- the cover image marked the EPUB 3 way (`properties="cover-image"`): Kobo's
  library view finds a sideloaded kepub's cover only by it;
- a small style fix: kepub's renderer adds its own margins to book-inner, so
  they are zeroed (`kobostylehacks`, the class Kobo's tools use);
- internal file names without spaces (Kobo's sideloading fails to open files
  whose names have spaces) and a table of contents in spine order (the
  renderer's chapter list and progress bar assume it).
The transform is idempotent (a kepub is first turned back into plain EPUB
markup) and reversible (`unkepubify`).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from lxml import etree

from ..epub_open import NCX_NS, OPF_NS, XHTML_NS, safe_parser
from ..errors import StorybinderError
from .epub_zip import Entry, read_entries, write_entries

X = f"{{{XHTML_NS}}}"
SPAN_CLASS = "koboSpan"
STYLE_CLASS = "kobostylehacks"
KOBO_STYLE = "div#book-inner { margin-top: 0; margin-bottom: 0; }"
XHTML_TYPES = {"application/xhtml+xml", "text/html"}
KEPUB_SUFFIX = ".kepub.epub"

# Elements whose text is not reading text: never wrapped.
SKIP = {f"{X}{t}" for t in ("script", "style", "head", "title")} | {"{http://www.w3.org/2000/svg}svg", "{http://www.w3.org/1998/Math/MathML}math"}
# Block elements: each one that holds text is a new paragraph (the P of kobo.P.S).
BLOCKS = {f"{X}{t}" for t in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "li", "dt", "dd", "blockquote",
                              "td", "th", "caption", "figcaption", "pre", "section", "aside", "header",
                              "footer", "nav", "body", "table", "tr", "ul", "ol", "dl", "figure", "hr")}
# A sentence ends at . ! ? or … (repeated), then closing quotes or brackets, then white space.
SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences of a text node; joined together they give the text back exactly."""
    pieces, start = [], 0
    for match in SENTENCE_END.finditer(text):
        pieces.append(text[start:match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    # White space alone is not a sentence: it goes with the one before it.
    out: list[str] = []
    for piece in pieces:
        if out and not piece.strip():
            out[-1] += piece
        else:
            out.append(piece)
    return out


class _Counter:
    def __init__(self) -> None:
        self.paragraph = 0
        self.sentence = 0

    def new_paragraph(self) -> None:
        self.paragraph += 1
        self.sentence = 0

    def next_id(self) -> str:
        if self.paragraph == 0:
            self.new_paragraph()
        self.sentence += 1
        return f"kobo.{self.paragraph}.{self.sentence}"


def _span(counter: _Counter, text: str) -> etree._Element:
    span = etree.Element(f"{X}span", {"class": SPAN_CLASS, "id": counter.next_id()})
    span.text = text
    return span


def _spans_for(counter: _Counter, text: str) -> list[etree._Element]:
    return [_span(counter, s) for s in split_sentences(text)]


def _wrap_text(el: etree._Element, counter: _Counter) -> None:
    """Wrap el's own text and each child's tail in sentence spans, depth first, in reading order."""
    if el.tag in SKIP or not isinstance(el.tag, str):
        return
    if el.tag in BLOCKS and _has_direct_text(el):
        counter.new_paragraph()
    if el.text and el.text.strip():
        spans = _spans_for(counter, el.text)
        el.text = None
        for i, span in enumerate(spans):
            el.insert(i, span)
        start = len(spans)
    else:
        start = 0
    for child in list(el)[start:]:
        if child.tag == f"{X}img":
            holder = _span(counter, "")
            holder.text = None
            child.addprevious(holder)
            holder.append(child)  # moves the image (and its tail) into the span
            tail, child.tail = child.tail, None
            holder.tail = tail
            child = holder
        else:
            _wrap_text(child, counter)
        if child.tail and child.tail.strip():
            spans = _spans_for(counter, child.tail)
            child.tail = None
            anchor = child
            for span in spans:
                anchor.addnext(span)
                anchor = span


def _has_direct_text(el: etree._Element) -> bool:
    if el.text and el.text.strip():
        return True
    return any((c.tail and c.tail.strip()) or (isinstance(c.tag, str) and c.tag not in BLOCKS and c.tag not in SKIP)
               for c in el)


def kepubify_document(root: etree._Element) -> etree._Element:
    """Add Kobo's markup to one parsed XHTML document (in place; returns it)."""
    unkepubify_document(root)
    body = root.find(f"{X}body")
    head = root.find(f"{X}head")
    if body is None:
        return root
    _wrap_text(body, _Counter())
    columns = etree.Element(f"{X}div", id="book-columns")
    inner = etree.SubElement(columns, f"{X}div", id="book-inner")
    inner.text, body.text = body.text, None
    for child in list(body):
        inner.append(child)
    body.append(columns)
    if head is not None:
        style = etree.SubElement(head, f"{X}style", {"type": "text/css", "class": STYLE_CLASS})
        style.text = KOBO_STYLE
    return root


def unkepubify_document(root: etree._Element) -> etree._Element:
    """Remove Kobo's markup from one parsed XHTML document (in place; returns it)."""
    for style in root.iter(f"{X}style"):
        if STYLE_CLASS in (style.get("class") or "").split():
            _drop(style)
            break
    for div_id in ("book-inner", "book-columns"):
        for div in list(root.iter(f"{X}div")):
            if div.get("id") == div_id:
                _unwrap(div)
    for span in list(root.iter(f"{X}span")):
        if SPAN_CLASS in (span.get("class") or "").split() and (span.get("id") or "").startswith("kobo."):
            _unwrap(span)
    return root


def _drop(el: etree._Element) -> None:
    parent = el.getparent()
    previous = el.getprevious()
    if el.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _unwrap(el: etree._Element) -> None:
    """Replace an element by its content (text, children, tail), keeping every character."""
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    previous = el.getprevious()
    text = el.text or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    children = list(el)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    tail = el.tail or ""
    if children:
        children[-1].tail = (children[-1].tail or "") + tail
    else:
        last = el.getprevious()
        if last is not None:
            last.tail = (last.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _serialize(root: etree._Element, original: bytes) -> bytes:
    head = original.lstrip()[:200]
    doctype = "<!DOCTYPE html>" if b"<!DOCTYPE html>" in head or b"<!doctype html>" in head.lower() else None
    body = etree.tostring(root, encoding="utf-8", doctype=doctype) if doctype else etree.tostring(root, encoding="utf-8")
    # Kobo's renderer (like Kindle's) wants the XML declaration, in double quotes.
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def _transform_documents(entries: list[Entry], opf_path: str, opf: etree._Element, transform) -> None:
    base = posixpath.dirname(opf_path)
    docs = {posixpath.normpath(posixpath.join(base, unquote(i.get("href", "")))): i
            for i in opf.iter(f"{{{OPF_NS}}}item") if (i.get("media-type") or "").strip() in XHTML_TYPES}
    for entry in entries:
        item = docs.get(entry.name)
        if item is None or "nav" in (item.get("properties") or "").split() and transform is kepubify_document:
            continue  # the nav document is navigation, not reading text
        try:
            root = etree.fromstring(entry.data, safe_parser())
        except etree.XMLSyntaxError as exc:
            raise StorybinderError(f"{entry.name} is not well-formed XHTML ({exc.msg}); fix it before making a kepub")
        entry.data = _serialize(transform(root), entry.data)


def _mark_cover(opf: etree._Element) -> None:
    """Kobo finds a sideloaded kepub's cover only by the EPUB 3 cover-image property."""
    items = list(opf.iter(f"{{{OPF_NS}}}item"))
    if any("cover-image" in (i.get("properties") or "").split() for i in items):
        return
    cover_id = next((m.get("content") for m in opf.iter(f"{{{OPF_NS}}}meta") if m.get("name") == "cover"), None)
    for item in items:
        if cover_id and item.get("id") == cover_id and (item.get("media-type") or "").startswith("image/"):
            item.set("properties", " ".join(filter(None, [item.get("properties"), "cover-image"])))
            return


def _rename_spaced_files(entries: list[Entry], opf_path: str, opf: etree._Element) -> None:
    """Kobo's sideloading cannot open files whose names have spaces: rename them, and every reference."""
    renames = {e.name: e.name.replace(" ", "_") for e in entries if " " in e.name and e.name != opf_path}
    if not renames:
        return
    taken = {e.name for e in entries}
    for old, new in renames.items():
        while new in taken:
            new = new.replace("_", "__", 1)
        renames[old] = new
        taken.add(new)
    by_name = {e.name: e for e in entries}
    for entry in entries:
        if entry.name.endswith((".xhtml", ".html", ".htm", ".ncx", ".opf", ".svg")):
            if entry.name == opf_path:
                continue
            try:
                root = etree.fromstring(entry.data, safe_parser())
            except etree.XMLSyntaxError:
                continue
            if _rewrite_refs(root, entry.name, renames):
                entry.data = _serialize(root, entry.data) if not entry.name.endswith(".ncx") else (
                    b'<?xml version="1.0" encoding="utf-8"?>\n' + etree.tostring(root, encoding="utf-8"))
        elif entry.name.endswith(".css"):
            entry.data = _rewrite_css(entry.data, entry.name, renames)
    _rewrite_refs(opf, opf_path, renames)
    for old, new in renames.items():
        by_name[old].name = new


def _new_href(href: str, base: str, renames: dict[str, str]) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(parts.path)))
    if target not in renames:
        return None
    rel = posixpath.relpath(renames[target], posixpath.dirname(base) or ".")
    return quote(rel) + (f"#{parts.fragment}" if parts.fragment else "")


def _rewrite_refs(root: etree._Element, base: str, renames: dict[str, str]) -> bool:
    changed = False
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("href", "src", "{http://www.w3.org/1999/xlink}href", "full-path"):
            value = el.get(attr)
            if value and (new := _new_href(value, base, renames)) is not None:
                el.set(attr, new)
                changed = True
    return changed


def _rewrite_css(data: bytes, base: str, renames: dict[str, str]) -> bytes:
    import tinycss2

    text = data.decode("utf-8", "replace")
    out, changed = [], False
    for token in tinycss2.parse_stylesheet(text, skip_comments=False, skip_whitespace=False):
        serialized = token.serialize()
        for old, new in renames.items():
            rel_old = posixpath.relpath(old, posixpath.dirname(base) or ".")
            rel_new = posixpath.relpath(new, posixpath.dirname(base) or ".")
            for form in (rel_old, quote(rel_old)):
                if form in serialized:
                    serialized = serialized.replace(form, rel_new)
                    changed = True
        out.append(serialized)
    return "".join(out).encode() if changed else data


def toc_in_spine_order(entries: list[Entry], opf_path: str, opf: etree._Element) -> bool:
    """Does the NCX list its documents in spine order? (Kobo's chapter list and progress assume it.)"""
    base = posixpath.dirname(opf_path)
    items = {i.get("id"): posixpath.normpath(posixpath.join(base, unquote(i.get("href", ""))))
             for i in opf.iter(f"{{{OPF_NS}}}item")}
    spine = [items.get(r.get("idref")) for r in opf.iter(f"{{{OPF_NS}}}itemref")]
    position = {path: n for n, path in enumerate(spine)}
    ncx_entry = next((e for e in entries if e.name.endswith(".ncx")), None)
    if ncx_entry is None:
        return True
    root = etree.fromstring(ncx_entry.data, safe_parser())
    order = []
    for content in root.iter(f"{{{NCX_NS}}}content"):
        path = posixpath.normpath(posixpath.join(posixpath.dirname(ncx_entry.name), unquote(urlsplit(content.get("src", "")).path)))
        if path in position:
            order.append(position[path])
    return order == sorted(order)


def convert(source: Path, target: Path, *, kobo: bool = True) -> Path:
    """Write `target`: the EPUB at `source` as a kepub (kobo=True) or back as a plain EPUB."""
    entries, package = read_entries(source)
    opf_path, opf = package.opf_path, package.opf
    _transform_documents(entries, opf_path, opf, kepubify_document if kobo else unkepubify_document)
    if kobo:
        _mark_cover(opf)
        _rename_spaced_files(entries, opf_path, opf)
    opf_entry = next(e for e in entries if e.name == opf_path)
    opf_entry.data = b'<?xml version="1.0" encoding="utf-8"?>\n' + etree.tostring(opf, encoding="utf-8")
    write_entries(entries, target)
    return target


def kepub_name(epub: Path) -> Path:
    """books/x.epub -> books/x.kepub.epub (a kepub stays as it is)."""
    if epub.name.endswith(KEPUB_SUFFIX):
        return epub
    return epub.with_name(epub.name[: -len(".epub")] + KEPUB_SUFFIX if epub.name.endswith(".epub") else epub.name + KEPUB_SUFFIX)
