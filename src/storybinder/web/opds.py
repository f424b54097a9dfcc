"""The OPDS routes: 1.2 (Atom) under /opds, 2.0 (JSON) under /opds/v2."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .context import current_catalog, shelf
from .feeds import Documents, listing, search_listing
from .negotiate import document
from .opds_atom import opensearch_description
from .site import ATOM_ACQ, ATOM_ENTRY, ATOM_NAV, OPDS2_PUB_TYPE, OPDS2_TYPE, OPENSEARCH_TYPE

MAX_QUERY = 200


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    if not raw.isdigit() or not 0 < int(raw) < 100_000:
        raise HTTPException(400, "page must be a positive number")
    return int(raw)


def _query(request: Request, name: str) -> str:
    query = request.query_params.get(name, "").strip()
    if len(query) > MAX_QUERY:
        raise HTTPException(400, "search terms too long")
    return query


async def _docs(request: Request) -> Documents:
    ctx = shelf(request)
    catalog = await current_catalog(request)
    request.state.catalog = catalog
    return Documents(catalog, ctx.site, ctx.page_size)


def _json(request: Request, data: dict, media_type: str) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=1).encode()
    return _doc(request, body, media_type)


def _doc(request: Request, body: bytes, media_type: str) -> Response:
    catalog = request.state.catalog if hasattr(request.state, "catalog") else None
    return document(request, body, media_type, modified_ns=catalog.modified_ns if catalog else None)


async def atom_root(request: Request) -> Response:
    return _doc(request, (await _docs(request)).atom_root(), ATOM_NAV)


async def atom_section(request: Request) -> Response:
    docs = await _docs(request)
    item = listing(docs.catalog, request.path_params["section"], request.path_params.get("slug"))
    if item is None:
        raise HTTPException(404, "No such feed in this catalogue.")
    kind = ATOM_NAV if item.groups is not None else ATOM_ACQ
    return _doc(request, docs.atom_listing(item, _page_number(request)), kind)


async def atom_search(request: Request) -> Response:
    docs = await _docs(request)
    query = _query(request, "q")
    return _doc(request, docs.atom_listing(search_listing(docs.catalog, query), _page_number(request), query),
                    ATOM_ACQ)


async def atom_entry(request: Request) -> Response:
    docs = await _docs(request)
    book = docs.catalog.by_key.get(request.path_params["key"])
    if book is None:
        raise HTTPException(404, "No such book in this catalogue.")
    return _doc(request, docs.atom_entry(book), ATOM_ENTRY)


async def opensearch(request: Request) -> Response:
    base = str(request.base_url).rstrip("/")
    return document(request, opensearch_description(shelf(request).site, base), OPENSEARCH_TYPE)


async def json_root(request: Request) -> Response:
    return _json(request, (await _docs(request)).json_root(), OPDS2_TYPE)


async def json_section(request: Request) -> Response:
    docs = await _docs(request)
    item = listing(docs.catalog, request.path_params["section"], request.path_params.get("slug"))
    if item is None:
        raise HTTPException(404, "No such feed in this catalogue.")
    return _json(request, docs.json_listing(item, _page_number(request)), OPDS2_TYPE)


async def json_search(request: Request) -> Response:
    docs = await _docs(request)
    query = _query(request, "query") or _query(request, "q")
    return _json(request, docs.json_listing(search_listing(docs.catalog, query), _page_number(request), query),
                 OPDS2_TYPE)


async def json_publication(request: Request) -> Response:
    docs = await _docs(request)
    book = docs.catalog.by_key.get(request.path_params["key"])
    if book is None:
        raise HTTPException(404, "No such book in this catalogue.")
    return _json(request, docs.json_publication(book), OPDS2_PUB_TYPE)


ROUTES = [
    Route("/opds", atom_root, methods=["GET", "HEAD"]),
    Route("/opds/", atom_root, methods=["GET", "HEAD"]),
    Route("/opds/opensearch.xml", opensearch, methods=["GET", "HEAD"]),
    Route("/opds/search", atom_search, methods=["GET", "HEAD"]),
    Route("/opds/v2", json_root, methods=["GET", "HEAD"]),
    Route("/opds/v2/", json_root, methods=["GET", "HEAD"]),
    Route("/opds/v2/search", json_search, methods=["GET", "HEAD"]),
    Route("/opds/v2/publication/{key:path}", json_publication, methods=["GET", "HEAD"]),
    Route("/opds/v2/{section}", json_section, methods=["GET", "HEAD"]),
    Route("/opds/v2/{section}/{slug}", json_section, methods=["GET", "HEAD"]),
    Route("/opds/book/{key:path}", atom_entry, methods=["GET", "HEAD"]),
    Route("/opds/{section}", atom_section, methods=["GET", "HEAD"]),
    Route("/opds/{section}/{slug}", atom_section, methods=["GET", "HEAD"]),
]
