"""Decode a text file whatever its encoding, or say clearly that it is not text."""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import StorybinderError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes, path: Path) -> str:
    """Decode bytes of a story file to str with newlines normalised to \\n."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _normalise_newlines(data.decode(encoding, errors="replace"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        if _looks_binary(data):
            raise StorybinderError("this is not a text file (it holds binary data)", path=path) from None
        # Windows-1252 is what Word and old sites write; bytes it leaves undefined
        # fall back to Latin-1 so nothing is dropped.
        text = data.decode("cp1252", errors="replace")
    else:
        if _looks_binary(data):
            raise StorybinderError("this is not a text file (it holds binary data)", path=path)
    return _normalise_newlines(text)


def read_text(path: Path) -> str:
    """Read and decode a story file, with a clear error when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StorybinderError(f"cannot read the file: {exc.strerror or exc}", path=path) from None
    return decode_text(data, path)


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(sample) // 100)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
