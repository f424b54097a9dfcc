"""`check`'s view of the shared EPUB opener (storybinder.epub_open): every problem as a Finding."""

from __future__ import annotations

from pathlib import Path

from ..epub_open import (  # noqa: F401 - the names the rules import from here
    CSS_TYPE,
    DC_NS,
    ENTRY_ERRORS,
    NCX_NS,
    NCX_TYPE,
    OPF_NS,
    SVG_NS,
    SVG_TYPE,
    XHTML_NS,
    XHTML_TYPES,
    XLINK_NS,
    EpubPackage,
)
from ..epub_open import open_epub as _open
from .findings import Finding, error


def open_epub(path: Path) -> tuple[EpubPackage | None, list[Finding]]:
    """Open `path` for checking: the package (None if it cannot be checked further) and findings."""
    package, problems = _open(path, verify=True)
    return package, [error(p.rule, p.file, p.message) for p in problems]
