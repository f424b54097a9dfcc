"""Serving one file the way e-reader clients need it: HEAD, ETag / Last-Modified and 304,
single byte ranges (206 / 416), Content-Disposition, no compression.

The file is opened once and everything (headers and body) comes from that open
file, so a book replaced while it downloads (build renames the new one into
place) still arrives whole as the old file. A file rewritten in place under us is
noticed and the response is cut short, so no client ever keeps a mixed file.
"""

from __future__ import annotations

import os
import stat as stat_mod
from email.utils import formatdate, parsedate_to_datetime

import anyio
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

CHUNK = 256 * 1024


class FileChanged(RuntimeError):
    """The file was rewritten in place while it was being sent."""


def open_snapshot(path: os.PathLike | str) -> tuple[int, os.stat_result]:
    """Open a regular file without following a final symlink; its descriptor and fstat."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as exc:
        raise HTTPException(404, "This book is no longer on the shelf.") from exc
    except OSError as exc:
        raise HTTPException(404, "This file cannot be served.") from exc
    st = os.fstat(fd)
    if not stat_mod.S_ISREG(st.st_mode):
        os.close(fd)
        raise HTTPException(404, "This file cannot be served.")
    return fd, st


def etag_of(st: os.stat_result) -> str:
    return f'"{st.st_ino:x}-{st.st_size:x}-{st.st_mtime_ns:x}"'


def _not_modified(request: Request, etag: str, mtime: float) -> bool:
    inm = request.headers.get("if-none-match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or etag in tags
    ims = request.headers.get("if-modified-since")
    if ims:
        try:
            return int(mtime) <= int(parsedate_to_datetime(ims).timestamp())
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
    return False


def parse_range(header: str, size: int) -> tuple[int, int] | None | str:
    """One `bytes=a-b` range as (start, end inclusive); None to send it all (absent or
    several ranges); "unsatisfiable" for a range outside the file."""
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash:
        return None
    try:
        if first == "":
            length = int(last)
            if length <= 0:
                return "unsatisfiable"
            return (max(0, size - length), size - 1) if size else "unsatisfiable"
        start = int(first)
        end = int(last) if last else size - 1
    except ValueError:
        return None
    if start >= size:
        return "unsatisfiable"
    if start < 0 or end < start:
        return None
    return start, min(end, size - 1)


class SnapshotFileResponse:
    """An ASGI response for one already-opened file (it owns and closes the descriptor)."""

    def __init__(self, request: Request, fd: int, st: os.stat_result, media_type: str, *,
                 disposition: str | None = None, cache_control: str = "no-cache") -> None:
        self.fd = fd
        self.st = st
        self.method = request.method
        self.headers: dict[str, str] = {
            "content-type": media_type,
            "accept-ranges": "bytes",
            "etag": etag_of(st),
            "last-modified": formatdate(st.st_mtime, usegmt=True),
            "cache-control": cache_control,
            # Books are zips already: never compressed again, whatever Accept-Encoding says.
            "content-encoding": "identity",
        }
        if disposition:
            self.headers["content-disposition"] = disposition
        self.status = 200
        self.start, self.end = 0, st.st_size - 1
        if _not_modified(request, self.headers["etag"], st.st_mtime):
            self.status = 304
            return
        wanted = request.headers.get("range")
        if_range = request.headers.get("if-range")
        if wanted and (if_range is None or if_range.strip() in (self.headers["etag"], self.headers["last-modified"])):
            span = parse_range(wanted, st.st_size)
            if span == "unsatisfiable":
                self.status = 416
                self.headers["content-range"] = f"bytes */{st.st_size}"
            elif span is not None:
                self.status = 206
                self.start, self.end = span
                self.headers["content-range"] = f"bytes {self.start}-{self.end}/{st.st_size}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            length = 0 if self.status in (304, 416) else self.end - self.start + 1
            headers = dict(self.headers)
            if self.status == 304:
                headers.pop("content-encoding", None)
            else:
                headers["content-length"] = str(max(length, 0))
            await send({"type": "http.response.start", "status": self.status,
                        "headers": [(k.encode(), v.encode("latin-1")) for k, v in headers.items()]})
            if self.method == "HEAD" or length <= 0:
                await send({"type": "http.response.body", "body": b""})
                return
            offset, remaining = self.start, length
            while remaining > 0:
                chunk = await anyio.to_thread.run_sync(os.pread, self.fd, min(CHUNK, remaining), offset)
                if not chunk:
                    raise FileChanged("the file became shorter while it was sent")
                offset += len(chunk)
                remaining -= len(chunk)
                if remaining == 0:
                    now = os.fstat(self.fd)
                    if (now.st_size, now.st_mtime_ns) != (self.st.st_size, self.st.st_mtime_ns):
                        # Rewritten in place under us: cut the response short rather than end a mixed file.
                        raise FileChanged("the file was rewritten while it was sent")
                await send({"type": "http.response.body", "body": chunk, "more_body": remaining > 0})
        finally:
            os.close(self.fd)
