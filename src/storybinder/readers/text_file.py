"""Decode a text file whatever its encoding, or say clearly that it is not text.

UTF-8 (with or without BOM) and BOM-marked UTF-16/32 are recognised directly;
anything else is identified by charset-normalizer. Western text that fits
several single-byte code pages is read as Windows-1252, the code page Word and
older sites write (a superset of Latin-1's printable characters).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import StorybinderError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Code pages that decode Western text the same way for the characters it uses;
# when the detector ranks one of these first, cp1252 is the safer reading.
_WESTERN = frozenset({"cp1252", "latin_1", "iso8859_15", "cp1254", "cp1258", "iso8859_14", "iso8859_3"})
_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")
# C0 controls other than tab, newline, form feed and carriage return. A regex,
# not a loop over characters: the loop cost 0.8 ms a story.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
_NOT_TEXT = "this is not a text file (it holds binary data)"
_HINT = "storybinder reads plain text, Markdown, HTML, BBCode and .docx files"


def detect_encoding(data: bytes, path: Path) -> str:
    """The Python codec name that decodes `data`, or a StorybinderError if it is not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    # UTF-16/32 without a BOM is full of NUL bytes; a stray NUL or two in
    # UTF-8 text (a damaged export) is not.
    if not _mostly_nul(data[:8192]):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            if _mostly_utf8(data):
                return "utf-8"  # decoded with the odd broken sequence replaced
        else:
            return "utf-8"
    encoding = _guess(data)
    if encoding is None:
        raise StorybinderError(_NOT_TEXT, path=path, hint=_HINT)
    return encoding


def _guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    # Short Western texts score the same in cp1250, cp1252, cp1257...; among
    # equally good readings prefer the one Western writers' tools produce.
    for match in matches:
        tied = match.chaos <= best.chaos + 0.1 and match.coherence >= best.coherence - 0.05
        if tied and _WESTERN & set(match.could_be_from_charset):
            return "cp1252"
    return best.encoding


def decode_text(data: bytes, path: Path) -> str:
    """Decode bytes of a story file to str with newlines normalised to \\n."""
    encoding = detect_encoding(data, path)
    text = _decode(data, encoding)
    if _looks_binary(text):
        raise StorybinderError(_NOT_TEXT, path=path, hint=_HINT)
    return _normalise_newlines(text)


def _decode(data: bytes, encoding: str) -> str:
    if encoding == "cp1252":
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            # The five bytes cp1252 leaves undefined keep their Latin-1 meaning.
            return data.decode("latin-1")
    return data.decode(encoding, errors="replace")


def read_bytes(path: Path) -> bytes:
    """Read a file's bytes, with a clear error when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise StorybinderError(f"cannot read the file: {exc.strerror or exc}", path=path) from None


def read_text(path: Path) -> str:
    """Read and decode a story file, with a clear error when it cannot be read."""
    return decode_text(read_bytes(path), path)


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few broken sequences (a cut-off copy, a stray byte), not another encoding.

    Without this the detector picks whatever single-byte code page fits the
    broken bytes and turns every accented letter of the story into mojibake.
    """
    text = data.decode("utf-8", "replace")
    broken = text.count("\ufffd") - data.count("\ufffd".encode())
    well_formed = len(_NON_ASCII.findall(text))
    return well_formed >= 1 and broken <= max(3, well_formed // 20)


def _mostly_nul(sample: bytes) -> bool:
    return sample.count(0) * 10 > len(sample)  # UTF-16 of Latin text: about half


def _looks_binary(text: str) -> bool:
    # A few control characters (NUL included) are damage in a text, dropped
    # when the book is written; many of them mean the file is not text at all.
    sample = text[:8192]
    return len(_CONTROLS.findall(sample)) > max(8, len(sample) // 100)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
