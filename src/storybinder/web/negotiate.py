"""Responses for documents (feeds, pages): ETag and 304, gzip only when the client asks for it."""

from __future__ import annotations

import gzip
import hashlib
from email.utils import formatdate, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

MIN_GZIP = 1024


def accepts_gzip(header: str | None) -> bool:
    """Does Accept-Encoding allow gzip (q > 0)? `identity` alone, or none at all, means no."""
    if not header:
        return False
    allowed = {}
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        allowed[name.strip().lower()] = q
    return allowed.get("gzip", allowed.get("*", 0.0)) > 0


def document(request: Request, body: bytes, media_type: str, *, status_code: int = 200,
             modified_ns: int | None = None) -> Response:
    """A cacheable document: strong ETag of its bytes, Last-Modified (KOReader keys its feed
    cache on it, after a HEAD), 304 on a match, gzip when asked for."""
    etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
    headers = {"etag": etag, "cache-control": "no-cache", "vary": "Accept-Encoding"}
    if modified_ns:
        headers["last-modified"] = formatdate(modified_ns / 1e9, usegmt=True)
    inm = request.headers.get("if-none-match")
    if inm and (etag in {t.strip().removeprefix("W/") for t in inm.split(",")} or inm.strip() == "*"):
        return Response(status_code=304, headers=headers)
    ims = request.headers.get("if-modified-since")
    if inm is None and ims and modified_ns and _not_newer(modified_ns, ims):
        return Response(status_code=304, headers=headers)
    if len(body) >= MIN_GZIP and accepts_gzip(request.headers.get("accept-encoding")):
        body = gzip.compress(body, compresslevel=6, mtime=0)
        headers["content-encoding"] = "gzip"
        headers["etag"] = etag[:-1] + "-gz\""
    return Response(body, status_code=status_code, media_type=media_type, headers=headers)


def _not_newer(modified_ns: int, header: str) -> bool:
    try:
        return modified_ns // 1_000_000_000 <= int(parsedate_to_datetime(header).timestamp())
    except (TypeError, ValueError, IndexError, OverflowError):
        return False
