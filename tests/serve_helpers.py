"""Libraries and running shelves for the serve tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from storybinder.web.guard import AccessPolicy
from storybinder.web.serve_app import shelf_app


def make_library(folder: Path, sample_books: dict[str, Path]) -> Path:
    """A folder holding copies of the sample books (one in a subfolder)."""
    folder.mkdir(parents=True, exist_ok=True)
    for slug, path in sample_books.items():
        target = folder / ("shelf-two" if slug.startswith("lamplight-word") else "") / path.name
        target.parent.mkdir(exist_ok=True)
        shutil.copy2(path, target)
    return folder


def app_for(folder: Path, cache: Path, **kw):
    kw.setdefault("page_size", 4)
    kw.setdefault("rescan_interval", 0.0)
    return shelf_app(folder, AccessPolicy.for_bind("127.0.0.1", None), cache_dir=cache, **kw)
