"""`storybinder clean` on marked-up files: the prose is cleaned, the markup kept byte for byte.

One module per format cuts a file into pieces of prose and markup
(segments.Piece); segments.py runs the cleaner over the prose and writes it
back between the markup. `detect_format` picks the format from the file's
name or, for stdin and unknown names, from its opening bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..errors import StorybinderError

if TYPE_CHECKING:
    from ..cleanup import CleanOptions
    from ..model import Edit
    from .source_text import SourceText

Format = Literal["text", "html", "markdown", "bbcode", "docx"]
FORMATS: tuple[str, ...] = ("text", "html", "markdown", "bbcode", "docx")

_BY_SUFFIX: dict[str, Format] = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown",
    ".bbcode": "bbcode", ".bbc": "bbcode",
    ".docx": "docx",
}
READS = "plain text (.txt), Markdown (.md), HTML (.html, .htm, .xhtml), BBCode (.bbcode) and Word (.docx)"
# Files clean cannot take, with what to do instead.
_OTHER = {
    ".epub": "an EPUB is cleaned as it is built: storybinder build FILE.epub",
    ".doc": "save it as .docx from Word or LibreOffice first",
    ".odt": "save it as .docx from LibreOffice first",
    ".rtf": "save it as .docx first",
    ".pdf": "PDF text cannot be cleaned in place; export the story as text or .docx",
}
_HTML_START = re.compile(rb"\s*(?:<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*<(?:!doctype\s+)?html)", re.IGNORECASE)
_FRONT_MATTER = re.compile(rb"(?:\xef\xbb\xbf)?(?:---|\+\+\+)[ \t]*\r?\n")
_BBCODE = re.compile(rb"\[(?:b|i|u|s|center|quote|url|size|color|hr|smcaps)(?:=[^\]\n]*)?\]", re.IGNORECASE)


def detect_format(path: Path | None, head: bytes) -> Format:
    """The format of a file to clean: by its suffix, else (stdin, no suffix) by its first bytes."""
    suffix = path.suffix.lower() if path is not None else ""
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    if suffix in _OTHER:
        raise StorybinderError(f"clean cannot read {suffix} files", path=path, hint=_OTHER[suffix])
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in head[:4096]:
            return "docx"
        raise StorybinderError(f"clean reads {READS} files; this is a zip archive", path=path)
    if _HTML_START.match(head):
        return "html"
    if _FRONT_MATTER.match(head):
        return "markdown"
    if _BBCODE.search(head[:8192]):
        return "bbcode"
    return "text"


@dataclass(frozen=True)
class CleanedFile:
    """A cleaned file: its bytes, the edits, and the text before and after (for --diff)."""

    data: bytes
    edits: list[Edit]
    contexts: list[tuple[str, str]]
    before: str
    after: str
    binary: bool = False  # a .docx: not for a terminal

    @property
    def changed(self) -> bool:
        return self.before != self.after


def clean_markup(fmt: Format, data: bytes, path: Path, options: CleanOptions, *, with_context: bool = True) -> CleanedFile:
    """Clean an HTML, Markdown, BBCode or .docx file's prose; every byte of markup is kept."""
    if fmt == "docx":
        from .docx import clean_docx

        doc = clean_docx(data, path, options, with_context=with_context)
        return CleanedFile(doc.data, doc.edits, doc.contexts, "\n\n".join(doc.before) + "\n", "\n\n".join(doc.after) + "\n", binary=True)
    from .segments import clean_pieces
    from .source_text import decode_source

    source = decode_source(data, path)
    if fmt == "html":
        from . import html as module
    elif fmt == "markdown":
        from . import markdown as module  # type: ignore[no-redef]
    else:
        from . import bbcode as module  # type: ignore[no-redef]
    pieces = module.pieces(source.text)
    if module.CHARACTER_REFERENCES:
        # HTML and Markdown can write any character as &#N;: nothing is refused.
        def escape(text: str) -> str:
            return _referenced(module.escape(text), source)

        result = clean_pieces(pieces, options, escape=escape, with_context=with_context)
    else:
        result = clean_pieces(pieces, options, escape=module.escape, can_write=source.can_encode, with_context=with_context)
    cleaned = result.source
    return CleanedFile(source.encode(cleaned), result.edits, result.contexts, source.text, cleaned)


def _referenced(text: str, source: SourceText) -> str:
    """`text` with each character the file's encoding lacks written as a numeric character reference."""
    if source.can_encode(text):
        return text
    return "".join(ch if source.can_encode(ch) else f"&#{ord(ch)};" for ch in text)
