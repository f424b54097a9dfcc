"""Project Gutenberg books -> Story: plain text in any of PG's encodings, and PG's HTML.

PG's header and licence are recognised and left out of the book; the header's
Title, Author, contributors, Language, Release Date and ebook number become the
metadata (the source is the ebook's page, https://www.gutenberg.org/ebooks/N).
What is inside the markers is read by pg_text (plain text) or pg_html (HTML):
contents lists, chapter and story headings, front matter, verse, notes.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Story
from .text_file import read_bytes

SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".xhtml"})
_HTML = frozenset({".html", ".htm", ".xhtml"})
# PG's marks sit in the first few kilobytes (the 1990s licence ran to ~15 kB).
_SNIFF_BYTES = 64 * 1024


def detect(path: Path) -> bool:
    """A text or HTML file carrying Project Gutenberg's header or start marker (or, in text, its end and licence)."""
    try:
        with path.open("rb") as f:
            head = f.read(_SNIFF_BYTES)
            size = f.seek(0, 2)
            f.seek(max(0, size - _SNIFF_BYTES))
            tail = f.read(_SNIFF_BYTES) if size > len(head) else head
    except OSError:
        return False  # read() of the next reader says what is wrong
    named_in_head = b"gutenberg" in head.lower()
    if path.suffix.lower() in _HTML:
        from .pg_html import is_gutenberg_html

        return named_in_head and is_gutenberg_html(head.decode("utf-8", "replace"))
    named_in_tail = named_in_head if tail is head else b"gutenberg" in tail.lower()
    if not (named_in_head or named_in_tail):
        return False  # both checks below need the name: most text never imports pg_boilerplate (~1 ms)
    from .pg_boilerplate import is_gutenberg_ending, is_gutenberg_text

    if named_in_head and is_gutenberg_text(head.decode("latin-1")):
        return True
    # A copy whose owner cut the header off but left PG's end line and licence.
    return named_in_tail and is_gutenberg_ending(tail.decode("latin-1"))


def read(path: Path) -> Story:
    """Read a Project Gutenberg text or HTML file into a Story."""
    if path.suffix.lower() in _HTML:
        from .html import decode_html
        from .pg_html import parse_gutenberg_html

        decoded = decode_html(read_bytes(path), path)
        story = parse_gutenberg_html(decoded.text, path)
    else:
        from .text_file import read_decoded

        decoded = read_decoded(path)
        story = parse_gutenberg_text(decoded.text, path)
    story.warnings += decoded.warnings(path)
    return story


def parse_gutenberg_text(text: str, path: Path | None = None) -> Story:
    """A decoded PG text as a Story (see module docstring)."""
    from .pg_boilerplate import ending_metadata, header_metadata, split_parts
    from .pg_text import read_body

    parts = split_parts(text.lstrip("\ufeff"))
    metadata = header_metadata(parts.header)
    book = read_body(parts.body, metadata)
    # What the book itself says fills in only what the header left out (pg_text._title_block),
    # and PG's end line only what both left out (a copy with its header cut off).
    metadata = metadata.merged(book.metadata).merged(ending_metadata(parts.licence))
    return Story(metadata=metadata, chapters=book.chapters, source=path)
