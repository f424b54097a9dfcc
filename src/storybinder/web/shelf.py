"""The web shelf: server-rendered pages for people and for e-reader browsers (Kobo's and
Kindle's work with JavaScript off), with the right download first for each device."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..epub.devices import format_number
from ..errors import StorybinderError
from ..library.book_info import BookInfo
from ..library.catalog import Catalog, page
from .context import current_catalog, shelf
from .errors import render
from .feeds import listing, search_listing
from .site import EPUB_TYPE, KEPUB_TYPE, SECTIONS, Site, download_name, group_slugs

HOME_BOOKS = 12
KINDLE_DOMAINS = ("@kindle.com", "@free.kindle.com", "@kindle.cn")
MAX_FORM = 4096


@dataclass(frozen=True)
class Download:
    href: str
    label: str
    type: str
    name: str


def device_of(user_agent: str) -> str:
    """'kobo', 'kindle' or 'other', from the browser's User-Agent."""
    ua = user_agent.lower()
    if "kobo" in ua:
        return "kobo"
    if "kindle" in ua or "silk/" in ua:
        return "kindle"
    return "other"


def downloads_for(site: Site, book: BookInfo, device: str) -> list[Download]:
    """The book's downloads, the one this device's browser should take first."""
    epub = Download(site.download(book), "EPUB", EPUB_TYPE, download_name(book))
    kepub = Download(site.download(book, kepub=True), "Kobo (kepub)", KEPUB_TYPE, download_name(book, kepub=True))
    # Kobo's browser hands a .kepub.epub to Kobo's own renderer; Kindle cannot read kepub at all.
    if device == "kobo":
        return [kepub, epub]
    if device == "kindle":
        return [epub]
    return [epub, kepub]


def _links(catalog: Catalog, site: Site, section: str) -> dict[str, str]:
    groups = {"authors": catalog.authors, "series": catalog.series, "tags": catalog.tags}[section]
    return {g.name: site.shelf_group(section, slug) for slug, g in group_slugs(groups).items()}


def base_context(site: Site) -> dict:
    return {"site": site, "sections": SECTIONS, "fmt": format_number, "home_url": site.shelf_home()}


def home_context(catalog: Catalog, site: Site, opds_url: str) -> dict:
    return {**base_context(site), "books": catalog.newest[:HOME_BOOKS], "more": len(catalog.books) > HOME_BOOKS,
            "total": len(catalog.books), "opds_url": opds_url}


def list_context(catalog: Catalog, site: Site, section: str, slug: str | None, number: int, page_size: int,
                 query: str | None = None) -> dict | None:
    item = search_listing(catalog, query) if query is not None else listing(catalog, section, slug)
    if item is None:
        return None
    ctx = {**base_context(site), "title": item.title, "query": query, "groups": None}
    if item.groups is not None:
        ctx["groups"] = [(name, site.shelf_group(section, s), count) for name, s, count in item.groups]
        return ctx
    books, pages = page(item.books or (), number, page_size)
    if query is not None:
        href = lambda n: f"{site.shelf_search()}?q={query}&page={n}"  # noqa: E731
    elif slug is None:
        href = lambda n: site.shelf_section(section, n)  # noqa: E731
    else:
        href = lambda n: site.shelf_group(section, slug, n)  # noqa: E731
    ctx.update(books=books, total=len(item.books or ()), number=min(max(number, 1), pages), pages=pages, page_href=href)
    return ctx


def book_context(catalog: Catalog, site: Site, book: BookInfo, device: str, kindle_address: str | None) -> dict:
    series_link = None
    if book.series:
        series_link = _links(catalog, site, "series").get(book.series)
    return {
        **base_context(site), "book": book, "device": device, "downloads": downloads_for(site, book, device),
        "author_links": _links(catalog, site, "authors"), "tag_links": {t: l for g, l in _links(catalog, site, "tags").items() for t in book.tags if t.casefold() == g.casefold()},
        "series_link": series_link, "send_form": site.send_form(book) if device != "kobo" else None,
        "kindle_address": kindle_address,
    }


def _number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    if not raw.isdigit() or not 0 < int(raw) < 100_000:
        raise HTTPException(400, "page must be a positive number")
    return int(raw)


async def home(request: Request) -> Response:
    catalog = await current_catalog(request)
    ctx = shelf(request)
    opds_url = str(request.base_url).rstrip("/") + ctx.site.opds_root()
    return render(request, "shelf_home.html", home_context(catalog, ctx.site, opds_url))


async def section(request: Request) -> Response:
    catalog = await current_catalog(request)
    ctx = shelf(request)
    context = list_context(catalog, ctx.site, request.path_params["section"], request.path_params.get("slug"),
                           _number(request), ctx.page_size)
    if context is None:
        raise HTTPException(404, "No such page on this shelf.")
    return render(request, "shelf_list.html", context)


async def search(request: Request) -> Response:
    catalog = await current_catalog(request)
    ctx = shelf(request)
    query = request.query_params.get("q", "").strip()[:200]
    context = list_context(catalog, ctx.site, "search", None, _number(request), ctx.page_size, query=query)
    return render(request, "shelf_list.html", context)


async def book_page(request: Request) -> Response:
    catalog = await current_catalog(request)
    ctx = shelf(request)
    book = catalog.by_key.get(request.path_params["key"])
    if book is None:
        raise HTTPException(404, "No such book on this shelf.")
    device = device_of(request.headers.get("user-agent", ""))
    return render(request, "shelf_book.html", book_context(catalog, ctx.site, book, device, ctx.kindle_address))


async def send_to_kindle(request: Request) -> Response:
    catalog = await current_catalog(request)
    ctx = shelf(request)
    book = catalog.by_key.get(request.path_params["key"])
    if book is None:
        raise HTTPException(404, "No such book on this shelf.")
    body = await request.body()
    if len(body) > MAX_FORM:
        raise HTTPException(413, "Form too large.")
    to = (parse_qs(body.decode("utf-8", "replace")).get("to") or [""])[0].strip()
    back = ctx.site.shelf_book(book)
    if ctx.sender is None:
        return render(request, "shelf_message.html", {"title": "Sending is not set up", "back": back,
                      "message": "Add a [send] section (smtp, from) to storybinder.toml and restart the shelf."},
                      status_code=503)
    if "@" not in to or len(to) > 254 or any(c in to for c in "\r\n,;<> "):
        raise HTTPException(400, "That is not an e-mail address.")
    # Only Kindle addresses (or the one in the settings): the shelf must not mail anyone a visitor names.
    if to.lower() != (ctx.kindle_address or "").lower() and not to.lower().endswith(KINDLE_DOMAINS):
        raise HTTPException(400, "Books are sent only to Send-to-Kindle addresses (…@kindle.com).")
    try:
        await run_in_threadpool(ctx.sender, [book.path], to)
    except StorybinderError as exc:
        return render(request, "shelf_message.html", {"title": "Not sent", "back": back, "message": str(exc)},
                      status_code=502)
    return render(request, "shelf_message.html", {"title": "Sent", "back": back,
                  "message": f"“{book.title}” is on its way to {to}. It appears on the Kindle in a few minutes."})


ROUTES = [
    Route("/", home, methods=["GET", "HEAD"]),
    Route("/search", search, methods=["GET", "HEAD"]),
    Route("/book/{key:path}", book_page, methods=["GET", "HEAD"]),
    Route("/send/{key:path}", send_to_kindle, methods=["POST"]),
    Route("/{section}", section, methods=["GET", "HEAD"]),
    Route("/{section}/{slug}", section, methods=["GET", "HEAD"]),
]
