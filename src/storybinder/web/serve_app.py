"""Put the serve features together: the library, the OPDS feeds, downloads and the shelf."""

from __future__ import annotations

from pathlib import Path

from ..library import Library
from .app import Feature, create_app
from .context import ShelfContext
from .guard import AccessPolicy
from .site import Site


def shelf_app(folder: Path, policy: AccessPolicy, *, cache_dir: Path, page_size: int = 50,
              title: str = "storybinder", sender=None, kindle_address: str | None = None,
              rescan_interval: float = 1.0):
    """The ASGI app serving the EPUBs under `folder`."""
    from . import downloads, opds, shelf

    library = Library(folder, cache_dir=cache_dir, interval=rescan_interval)
    library.catalog()  # a missing folder fails now, not at the first request
    context = ShelfContext(library, Site(title=title), cache_dir, page_size, sender=sender, kindle_address=kindle_address)
    features = [
        Feature("opds", opds.ROUTES),
        Feature("downloads", downloads.ROUTES),
        Feature("shelf", shelf.ROUTES, state={"shelf": context}),
    ]
    return create_app(features, policy, site_name=title)
