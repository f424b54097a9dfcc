"""Word .docx for `storybinder clean`: the text of each run is cleaned where it stands.

Every paragraph (tables' included) is one unit; its runs keep their
formatting because only the text of their <w:t> elements changes. Run
boundaries are invisible to the cleaner, so a sentence runs on across an
italic word. Tabs, breaks, pictures, fields and footnote marks are never
changed. Text the cleaner adds where two runs meet (a closing quote after an
italic word) joins the plainer of the two.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cleanup import CleanOptions
from ..errors import StorybinderError
from ..model import Edit
from .segments import OBJECT, Piece, anchor, block, clean_pieces, frozen, prose

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Run children that show as text without being <w:t>, and what the cleaner sees of them.
_SHOWN = {"tab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "\u2011", "ptab": "\t"}
# Run children that show something that is not text (a picture, a footnote mark, a symbol).
_OBJECTS = frozenset({"drawing", "pict", "object", "footnoteReference", "endnoteReference", "sym", "ruby", "fldSimple"})
# Where runs hold text that is not shown (deleted, moved away).
_HIDDEN = frozenset({_W + "del", _W + "moveFrom"})


@dataclass(frozen=True)
class CleanedDocx:
    """The cleaned document's bytes, its edits, and each paragraph's text before and after."""

    data: bytes
    edits: list[Edit]
    contexts: list[tuple[str, str]]
    before: list[str]
    after: list[str]


def clean_docx(data: bytes, path: Path, options: CleanOptions | None = None, *, with_context: bool = True) -> CleanedDocx:
    """Clean a .docx file's text in place; every other part of it is kept."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    from ..epub_open import refuse_zip_bomb

    refuse_zip_bomb(path, "Word document")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError):
        raise StorybinderError("not a readable Word document", path=path, hint="save it from Word or LibreOffice as .docx") from None
    pieces: list[Piece] = []
    for paragraph in document.element.body.iter(_W + "p"):
        pieces.append(block("", "heading" if _is_heading(paragraph) else "para"))
        pieces += _paragraph_pieces(paragraph)
    result = clean_pieces(pieces, options, with_context=with_context)
    if result.units_before != result.units_after:
        _write_back(result.pieces)
    out = io.BytesIO()
    document.save(out)
    return CleanedDocx(out.getvalue(), result.edits, result.contexts, result.units_before, result.units_after)


def _is_heading(paragraph: Any) -> bool:
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    name = (style.get(_W + "val") or "").lower() if style is not None else ""
    return name.startswith(("heading", "title", "subtitle"))


def _paragraph_pieces(paragraph: Any) -> list[Piece]:
    pieces: list[Piece] = []
    for run in paragraph.iter(_W + "r"):
        if _owner(run) is not paragraph or any(a.tag in _HIDDEN for a in run.iterancestors()):
            continue
        pieces.append(_slotted(anchor(""), ("open", run)))
        for child in run:
            name = child.tag[len(_W) :] if isinstance(child.tag, str) and child.tag.startswith(_W) else ""
            if name == "t":
                pieces.append(prose(child.text or "", ("t", child)))
            elif name in _SHOWN:
                pieces.append(_slotted(frozen("", _SHOWN[name]), ("after", child)))
            elif name in _OBJECTS:
                pieces.append(_slotted(frozen("", OBJECT), ("after", child)))
            elif name != "rPr":
                pieces.append(_slotted(anchor(""), ("after", child)))  # field codes, soft hyphens, page marks
        pieces.append(_slotted(anchor("", closes=True), ("close", run)))
    return pieces


def _slotted(piece: Piece, slot: tuple[str, Any]) -> Piece:
    piece.slot = slot
    return piece


def _owner(run: Any) -> Any:
    """The paragraph a run belongs to (a text box's runs belong to its own paragraphs)."""
    for ancestor in run.iterancestors(_W + "p"):
        return ancestor
    return None


def _write_back(pieces: list[Piece]) -> None:
    """Give each <w:t> its new text; text added between runs goes into a new <w:t>."""
    from lxml import etree

    texts: dict[Any, list[str]] = {}
    loose: list[tuple[str, Piece | None, Piece | None]] = []  # (text, piece before, piece after)
    for i, piece in enumerate(pieces):
        if piece.kind == "prose" and isinstance(piece.slot, tuple) and piece.slot[0] == "t":
            texts.setdefault(piece.slot[1], []).append(piece.view)
        elif piece.kind == "prose" and piece.view:
            loose.append((piece.view, pieces[i - 1] if i else None, pieces[i + 1] if i + 1 < len(pieces) else None))
    for element, parts in texts.items():
        _set_text(element, "".join(parts))
    for text, before, after in loose:
        kind, element = _home(before, after)
        t = etree.Element(_W + "t")
        _set_text(t, text)
        if kind == "open":  # first in the run, after its properties
            properties = element.find(_W + "rPr")
            element.insert(0 if properties is None else element.index(properties) + 1, t)
        elif kind == "close":
            element.append(t)
        else:
            element.addnext(t)


def _home(before: Piece | None, after: Piece | None) -> tuple[str, Any]:
    """Where text added between two pieces goes: the end of the run before or the start of the one after."""
    if before is not None and before.slot and before.slot[0] == "close" and after is not None and after.slot and after.slot[0] == "open":
        if _formatting(after.slot[1]) < _formatting(before.slot[1]):
            return after.slot
        return before.slot
    if before is not None and before.slot:
        return before.slot
    assert after is not None and after.slot, "text added outside every run"
    return after.slot


def _formatting(run: Any) -> int:
    properties = run.find(_W + "rPr")
    return 0 if properties is None else len(properties)


def _set_text(element: Any, text: str) -> None:
    element.text = text
    if text != text.strip():
        element.set(_XML_SPACE, "preserve")
