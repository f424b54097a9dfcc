"""The folder storybinder keeps its caches in (the lexicon, compiled patterns): per user, rebuilt when missing."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """$STORYBINDER_CACHE, else the user's cache folder's storybinder/ ($XDG_CACHE_HOME or ~/.cache)."""
    base = os.environ.get("STORYBINDER_CACHE")
    if base:
        return Path(base)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "storybinder"
