"""Decode a text file whatever its encoding, or say clearly that it is not text.

UTF-8 (with or without BOM) and BOM-marked UTF-16/32 are recognised directly;
anything else is identified by charset-normalizer. Western text that fits
several single-byte code pages is read as Windows-1252, the code page Word and
older sites write (a superset of Latin-1's printable characters).

Stray C0 control characters (a NUL from a damaged export, a terminal's colour
codes pasted in) are removed before the encoding is judged, and counted so the
reader can warn once; a file full of them is binary and refused.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from ..errors import StorybinderError
from ..lazy_pattern import lazy

# Each byte-order mark (UTF-32 before UTF-16: FF FE starts both), with the codec
# that reads a file starting with it, the mark included, and the one that writes
# the text after it back in the same byte order without a mark (Python's "utf-16"
# writes the machine's order): `clean` on markup keeps the file's bytes.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)
_WIDE_BOMS = tuple(bom for bom, reading, _ in BYTE_ORDER_MARKS if reading != "utf-8-sig")
# Code pages that decode Western text the same way for the characters it uses;
# when the detector ranks one of these first, cp1252 is the safer reading.
_WESTERN = frozenset({"cp1252", "latin_1", "iso8859_15", "cp1254", "cp1258", "iso8859_14", "iso8859_3"})
_NON_ASCII = lazy("[^\x00-\x7f\ufffd]")
# C0 controls other than tab, newline, form feed and carriage return. A regex,
# not a loop over characters: the loop cost 0.8 ms a story.
_CONTROLS = lazy("[\x00-\x08\x0b\x0e-\x1f]")
# The same as bytes, for ASCII-compatible encodings (UTF-8, the code pages, Shift_JIS, GBK,
# Big5, EUC: no multi-byte character holds a byte below 0x20).
_CONTROL_BYTES = lazy(rb"[\x00-\x08\x0b\x0e-\x1f]")
_CONTROL_SET = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)])
# A terminal's escape sequences, removed whole so no "[1m" is left behind:
# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), and two-byte ESC codes.
_ESCAPES = lazy(rb"\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[\x40-\x5f]")
_ESCAPES_TEXT = lazy(_ESCAPES.pattern.decode("ascii"))
# ISO-2022-JP (Japanese mail) switches character sets with ESC: such a file's ESC bytes are its text.
_ISO_2022 = lazy(rb"\x1b(?:\$[@AB(]|\([BJ])")
# How common binary formats begin (images, PDF, zip/docx/epub, old .doc, executables, archives):
# a file holding control bytes that opens so is no damaged text, however few the controls.
_BINARY_SIGNATURES = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x7fELF", b"MZ",
    b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf", b"Rar!", b"RIFF", b"OggS", b"II*\x00", b"MM\x00*",
)
_NOT_TEXT = "this is not a text file (it holds binary data)"
_HINT = "storybinder reads plain text, Markdown, HTML, BBCode and .docx files"


def detect_encoding(data: bytes, path: Path) -> str:
    """The Python codec name that decodes `data`, or a StorybinderError if it is not text."""
    for bom, encoding, _ in BYTE_ORDER_MARKS:
        if data.startswith(bom):
            return encoding
    if data.isascii() and _ISO_2022.search(data) and _decodes(data, "iso2022_jp"):
        return "iso2022_jp"  # 7-bit, so it would pass for UTF-8 and come out as "$B1+$,9_"
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


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


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


@dataclass(frozen=True)
class Decoded:
    """A story file's text, and how many stray control characters were taken out of it."""

    text: str
    controls: int = 0

    def warnings(self, path: Path) -> list[str]:
        """The one warning a reader passes on (Story.warnings), if anything was removed."""
        if not self.controls:
            return []
        plural = "s" if self.controls != 1 else ""
        return [f"{path}: removed {self.controls} stray control character{plural} (NUL, escape codes...) from the text"]


def without_controls(data: bytes, path: Path) -> tuple[bytes, int]:
    """`data` without stray C0 controls (escape sequences whole), and how many were removed.

    Tab, newline, carriage return and form feed are layout and stay. UTF-16/32
    (a BOM, or NULs between letters) and ISO-2022 text come back untouched.
    Raises StorybinderError when there are so many that the file is not text.
    """
    if len(data.translate(None, _CONTROL_SET)) == len(data):
        return data, 0  # nearly every file: bytes.translate scans 4 MB in 4 ms, the regex in 18
    if data.startswith(_BINARY_SIGNATURES):
        raise StorybinderError(_NOT_TEXT, path=path, hint=_HINT)
    # Preallocated files cut short by a crash end in NUL padding: not text, not damage to count.
    text_part = data.rstrip(b"\x00")
    if data.startswith(_WIDE_BOMS) or _mostly_nul(text_part[:8192]) or _ISO_2022.search(text_part):
        return data, 0
    data, escapes = _ESCAPES.subn(b"", text_part)
    head = data[:8192]
    data, strays = _CONTROL_BYTES.subn(b"", data)
    # A few are damage; more than one byte in a hundred (in the whole file, or
    # in its opening, where a binary format keeps its header) means not text.
    if strays > max(8, len(data) // 100) or len(_CONTROL_BYTES.findall(head)) > max(8, len(head) // 100):
        raise StorybinderError(_NOT_TEXT, path=path, hint=_HINT)
    return data, escapes + strays


def decode(data: bytes, path: Path) -> Decoded:
    """Decode bytes of a story file, stray controls removed, newlines normalised to \\n."""
    data, removed = without_controls(data, path)
    encoding = detect_encoding(data, path)
    text = _decode(data, encoding)
    if _looks_binary(text):
        raise StorybinderError(_NOT_TEXT, path=path, hint=_HINT)
    if encoding.startswith(("utf-16", "utf-32")):
        # The bytes could not show them; ASCII-compatible bytes have none left.
        text, escapes = _ESCAPES_TEXT.subn("", text)
        text, strays = _CONTROLS.subn("", text)
        removed += escapes + strays
    return Decoded(_normalise_newlines(text), removed)


def decode_text(data: bytes, path: Path) -> str:
    """Decode bytes of a story file to str (see `decode`)."""
    return decode(data, path).text


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


def read_decoded(path: Path) -> Decoded:
    """read_text, with the count of stray control characters removed (for the reader's warning)."""
    return decode(read_bytes(path), path)


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
