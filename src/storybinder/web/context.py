"""What the shelf's handlers share: the library, its URL scheme, caches and options."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from ..library import Catalog, Library
from ..library.images import CoverStore
from .site import Site


@dataclass
class ShelfContext:
    """One served library: the handlers find it at request.app.state.shelf."""

    library: Library
    site: Site
    cache_dir: Path
    page_size: int = 50
    covers: CoverStore = field(init=False)
    kepub_locks: dict[str, threading.Lock] = field(default_factory=dict)
    guard: threading.Lock = field(default_factory=threading.Lock)
    kindle_address: str | None = None  # the shelf's send-to-Kindle form fills this in
    sender: object | None = None  # a callable (paths, address) -> None, when `send` settings exist

    def __post_init__(self) -> None:
        self.covers = CoverStore(self.cache_dir)

    def kepub_path(self, key: str, stamp: tuple[int, int, int]) -> Path:
        digest = hashlib.sha1(f"{key}\0{stamp}".encode()).hexdigest()[:24]
        return self.cache_dir / "kepub" / f"{digest}.kepub.epub"

    def lock(self, name: str) -> threading.Lock:
        with self.guard:
            return self.kepub_locks.setdefault(name, threading.Lock())


def shelf(request: Request) -> ShelfContext:
    return request.app.state.shelf


async def current_catalog(request: Request) -> Catalog:
    """The library's catalogue (rescanned in a worker thread when it is due)."""
    library = shelf(request).library
    return library.fresh() or await run_in_threadpool(library.catalog)
