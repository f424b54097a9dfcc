"""A markup file's text, decoded so that writing it back gives the same bytes.

`storybinder clean` on HTML, Markdown or BBCode must leave every byte it does
not clean as it was: line endings (CRLF stays CRLF), the encoding, a BOM, even
bytes that are no valid character (kept as surrogate escapes). Only the
encoding is judged as the readers judge it (readers/text_file.py).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from ..readers.text_file import BYTE_ORDER_MARKS, detect_encoding, without_controls


@dataclass(frozen=True)
class SourceText:
    """Decoded text plus what it takes to encode it back to the same bytes."""

    text: str
    codec: str
    bom: bytes = b""

    def encode(self, text: str) -> bytes:
        """`text` in the file's own encoding (the unchanged parts byte for byte)."""
        return self.bom + text.encode(self.codec, "surrogateescape")

    def can_encode(self, text: str) -> bool:
        """Can `text` be written in the file's encoding as it is?"""
        try:
            text.encode(self.codec)
        except UnicodeEncodeError:
            return False
        return True


def decode_source(data: bytes, path: Path) -> SourceText:
    """Decode a markup file exactly (see module docstring); StorybinderError if it is not text."""
    # A BOM-marked file as the mark plus a codec that writes none: the mark and byte order come back as they were.
    for bom, _, codec in BYTE_ORDER_MARKS:
        if data.startswith(bom):
            return SourceText(data[len(bom) :].decode(codec, "surrogateescape"), codec, bom)
    # Stray controls are judged (a file full of them is refused) but kept: they
    # are the user's bytes, and the cleaner removes those inside the prose.
    judged, _ = without_controls(data, path)
    codec = codecs.lookup(detect_encoding(judged, path)).name
    if codec.startswith(("utf-16", "utf-32")):
        codec += "-le"  # no BOM: the detector reads such text as little-endian
    return SourceText(data.decode(codec, "surrogateescape"), codec)
