"""A folder of EPUBs as a catalogue: each book's own OPF metadata, read once and cached,
kept up to date as books are added, changed and removed. Used by `serve` (feeds,
shelf, downloads) and `serve --export`; needs no server.
"""

from .catalog import Catalog
from .scan import Library
from .book_info import BookInfo

__all__ = ["BookInfo", "Catalog", "Library"]
