"""The review page's routes: the list of changes, decisions posted as JSON, the chapter preview.

Everything runs on the shared app (web/app.py) behind a review AccessPolicy
(own Host, no other Origin, the URL's token). Cleaning a story again can take
a large novel a few hundred milliseconds, so it runs in a worker thread.
"""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..review.preview import chapter_preview
from ..review.session import Item, ReviewSession
from .app import Feature, create_app
from .errors import render
from .guard import AccessPolicy

ACTIONS = ("accept", "reject", "edit", "undo", "keep", "unkeep")
SCOPES = ("item", "rule", "word")
MAX_EDIT = 10_000  # characters an edited replacement may have
# Items of a rule in the page itself; the rest follow as soon as it is open (a novel lists
# thousands, and parsing them all held the first view back by half a second).
FIRST_ITEMS = 60


def session(request: Request) -> ReviewSession:
    return request.app.state.review


async def page(request: Request) -> Response:
    review = session(request)
    listing = await run_in_threadpool(review.listing)
    return render(request, "review.html", {
        "review": review, "listing": listing, "counts": listing.counts(), "token": request.app.state.review_token,
        "first": FIRST_ITEMS,
    }, headers={"cache-control": "no-store"})


async def fold_items(request: Request) -> Response:
    """The items of one rule from `start` on (a typography fold when opened, the rest of a long rule)."""
    review = session(request)
    generation, story = request.path_params["generation"], request.path_params["story"]
    rule = request.path_params["rule"]
    listing = review.listing_of(generation)
    if listing is None or story >= len(listing.stories):
        raise HTTPException(409, "This list is out of date: reload the page.")
    groups = [g for g in listing.stories[story].groups if g.rule == rule]
    if not groups:
        raise HTTPException(404, "No such rule in this story.")
    try:
        start = max(0, int(request.query_params.get("start", "0")))
    except ValueError:
        raise HTTPException(400, "start must be a number.") from None
    items = [listing.items[item.id] for item in groups[0].items[start:]]  # as decided since the page was made
    return render(request, "review_items.html", {"items": items, "listing": listing},
                  headers={"cache-control": "no-store"})


async def decide(request: Request) -> Response:
    review = session(request)
    try:
        data = json.loads(await request.body())
        generation, ids = int(data["generation"]), [str(i) for i in data["items"]]
        action, scope, text = str(data["action"]), str(data.get("scope", "item")), str(data.get("text", ""))
    except (ValueError, KeyError, TypeError):
        raise HTTPException(400, "Expected JSON: generation, items, action (and scope, text).") from None
    if action not in ACTIONS or scope not in SCOPES or not ids or len(text) > MAX_EDIT:
        raise HTTPException(400, f"action is one of {', '.join(ACTIONS)}; scope one of {', '.join(SCOPES)}.")
    if action == "edit" and not text.strip() and not data.get("empty", False):
        raise HTTPException(400, "An edit needs the text to put in.")
    try:
        changed = await run_in_threadpool(review.decide, generation, ids, action, text, scope)
    except LookupError as exc:
        raise HTTPException(409, str(exc)) from None
    return JSONResponse({"items": [_item_json(i) for i in changed], "version": review.version})


async def forget_stale(request: Request) -> Response:
    """Remove a story's stale decisions (their words are gone) from its file."""
    review = session(request)
    try:
        index = int(json.loads(await request.body())["story"])
    except (ValueError, KeyError, TypeError):
        raise HTTPException(400, "Expected JSON: story.") from None
    if not 0 <= index < len(review.stories):
        raise HTTPException(404, "No such story.")
    dropped = await run_in_threadpool(review.forget_stale, index)
    return JSONResponse({"forgotten": dropped, "version": review.version})


def _item_json(item: Item) -> dict[str, object]:
    return {"id": item.id, "state": item.state, "result": item.result, "text": item.text,
            "everywhere": item.everywhere}


async def preview(request: Request) -> Response:
    review = session(request)
    index, chapter = request.path_params["story"], request.path_params["chapter"]
    if index >= len(review.stories):
        raise HTTPException(404, "No such story.")
    entry = await run_in_threadpool(review.cleaned, index)
    story = entry.preview
    if chapter >= len(story.chapters):
        raise HTTPException(404, "No such chapter.")
    body = await run_in_threadpool(chapter_preview, story, chapter)
    return Response(body, media_type="application/xhtml+xml", headers={
        "cache-control": "no-store",
        # Shown in the review page's frame: framing by our own pages only.
        "x-frame-options": "SAMEORIGIN",
        "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; frame-ancestors 'self'",
    })


async def stylesheet(request: Request) -> Response:
    """The book's own stylesheet, beside the preview pages (their link is relative: style.css)."""
    from ..epub.writer import stylesheet as book_stylesheet

    return Response(book_stylesheet(), media_type="text/css")


ROUTES = [
    Route("/", page),
    Route("/items/{generation:int}/{story:int}/{rule}", fold_items),
    Route("/decide", decide, methods=["POST"]),
    Route("/forget-stale", forget_stale, methods=["POST"]),
    Route("/preview/{story:int}/{chapter:int}", preview),
    Route("/preview/{story:int}/style.css", stylesheet),
]


def review_app(review: ReviewSession, policy: AccessPolicy):
    """The ASGI app of one review: the page, its decisions and previews, behind `policy`."""
    feature = Feature("review", ROUTES, state={"review": review, "review_token": policy.token})
    return create_app([feature], policy, site_name="storybinder review")
