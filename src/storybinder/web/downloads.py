"""Book downloads (EPUB, kepub made on demand), covers and thumbnails.

A URL names a book of the catalogue by its key; it is never joined onto the
folder's path, so `..`, encoded slashes or a symlink out of the folder can only
ever reach a 4xx.
"""

from __future__ import annotations

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route

from ..errors import StorybinderError
from ..library.book_info import BookInfo
from .context import ShelfContext, current_catalog, shelf
from .file_response import SnapshotFileResponse, open_snapshot
from .site import EPUB_TYPE, KEPUB_TYPE, content_disposition, cover_extension, download_name

FORBIDDEN_IN_RAW_PATH = (b"%2f", b"%5c", b"%00", b"\\", b"%2e%2e", b"/../", b"/./")


def _check_raw_path(request: Request) -> None:
    raw = request.scope.get("raw_path", b"").lower()
    if any(bad in raw for bad in FORBIDDEN_IN_RAW_PATH) or raw.endswith((b"/..", b"/.")):
        raise HTTPException(400, "Malformed path.")


async def _book(request: Request, file: str, suffixes: tuple[str, ...]) -> tuple[BookInfo, str]:
    _check_raw_path(request)
    for suffix in suffixes:
        if file.endswith(suffix):
            book = (await current_catalog(request)).by_key.get(file[: -len(suffix)])
            if book is not None:
                return book, suffix
    raise HTTPException(404, "No such file on this shelf.")


async def download(request: Request) -> SnapshotFileResponse:
    book, suffix = await _book(request, request.path_params["file"], (".kepub.epub", ".epub"))
    ctx = shelf(request)
    kepub = suffix == ".kepub.epub"
    path = book.path
    if kepub:
        path = await run_in_threadpool(_kepub_file, ctx, book)
    fd, st = open_snapshot(path)
    return SnapshotFileResponse(
        request, fd, st, KEPUB_TYPE if kepub else EPUB_TYPE,
        disposition=content_disposition(download_name(book, kepub=kepub)),
    )


def _kepub_file(ctx: ShelfContext, book: BookInfo) -> Path:
    """The book's kepub: the folder's own NAME.kepub.epub when there is one, else made once and cached."""
    from ..targets.kobo import convert

    if book.kepub_name:
        sibling = book.path.with_name(book.kepub_name)
        if sibling.is_file():
            return sibling
    target = ctx.kepub_path(book.key, book.stamp)
    if target.is_file():
        return target
    with ctx.lock(str(target)):
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                convert(book.path, target)
            except StorybinderError as exc:
                raise HTTPException(422, f"This book cannot be made into a kepub: {exc.message}") from exc
    return target


async def cover(request: Request) -> SnapshotFileResponse:
    file = request.path_params["file"]
    catalog_book = None
    _check_raw_path(request)
    stem, _, ext = file.rpartition(".")
    catalog_book = (await current_catalog(request)).by_key.get(stem)
    if catalog_book is None or not catalog_book.cover_entry or cover_extension(catalog_book) != ext:
        raise HTTPException(404, "No such cover on this shelf.")
    path = await _image(shelf(request), catalog_book, thumbnail=False)
    fd, st = open_snapshot(path)
    return SnapshotFileResponse(request, fd, st, catalog_book.cover_type or "image/jpeg", cache_control="max-age=3600")


async def thumbnail(request: Request) -> SnapshotFileResponse:
    book, _ = await _book(request, request.path_params["file"], (".jpg",))
    if not book.cover_entry:
        raise HTTPException(404, "This book has no cover.")
    path = await _image(shelf(request), book, thumbnail=True)
    fd, st = open_snapshot(path)
    return SnapshotFileResponse(request, fd, st, "image/jpeg", cache_control="max-age=3600")


async def _image(ctx: ShelfContext, book: BookInfo, *, thumbnail: bool) -> Path:
    try:
        return await run_in_threadpool(ctx.covers.thumbnail if thumbnail else ctx.covers.cover, book)
    except StorybinderError as exc:
        raise HTTPException(404, f"The cover cannot be shown: {exc.message}") from exc


ROUTES = [
    Route("/books/{file:path}", download, methods=["GET", "HEAD"]),
    Route("/covers/{file:path}", cover, methods=["GET", "HEAD"]),
    Route("/thumbnails/{file:path}", thumbnail, methods=["GET", "HEAD"]),
]
