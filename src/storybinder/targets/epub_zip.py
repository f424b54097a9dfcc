"""Read an EPUB's entries through the shared safe opener and write a new EPUB from them
(mimetype first and stored, the rest deflated, entry times kept: reproducible)."""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..epub_open import ENTRY_ERRORS, EpubPackage, open_book
from ..epub.writer import ScratchZip
from ..errors import StorybinderError
from ..interrupts import deferred


@dataclass
class Entry:
    name: str
    data: bytes
    date_time: tuple[int, int, int, int, int, int]


def read_entries(path: Path) -> tuple[list[Entry], EpubPackage]:
    """Every entry of the EPUB at `path`, in zip order, plus its package (closed; parsed OPF kept)."""
    with open_book(path) as package:
        try:
            entries = [Entry(i.filename, package.archive.read(i), i.date_time)
                       for i in package.archive.infolist() if not i.is_dir()]
        except ENTRY_ERRORS as exc:
            raise StorybinderError(f"cannot be read ({exc})", path=path) from exc
    return entries, package


def write_entries(entries: list[Entry], target: Path) -> None:
    """Write an EPUB atomically (temporary file, then rename): never half a book at `target`."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with deferred(), ScratchZip(tmp, "w") as archive:
            ordered = sorted(entries, key=lambda e: e.name != "mimetype")  # mimetype first, the rest as they were
            for entry in ordered:
                info = zipfile.ZipInfo(entry.name, entry.date_time)
                info.compress_type = zipfile.ZIP_STORED if entry.name == "mimetype" else zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, entry.data)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
