"""Book -> EPUB 3 (with the EPUB 2 pieces older readers use): `write_epub`."""

from .writer import write_epub

__all__ = ["write_epub"]
