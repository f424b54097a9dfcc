"""Rendering pages, and every HTTP error as a proper page in the site's layout."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.templating import Jinja2Templates


def render(request: Request, name: str, context: dict[str, Any], *, status_code: int = 200,
           headers: dict[str, str] | None = None) -> Response:
    """Render a template with the app's environment."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context, status_code=status_code, headers=headers)


ERROR_TITLES = {
    400: "Bad request", 401: "Sign in needed", 403: "Not allowed", 404: "Not found",
    405: "Method not allowed", 406: "Not acceptable", 412: "Precondition failed",
    416: "Range not satisfiable", 421: "Wrong host",
}


async def error_page(request: Request, exc: Exception) -> Response:
    """Every HTTP error as a small page in the site's layout (plain text for non-browsers)."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "Internal error"
    headers = dict(getattr(exc, "headers", None) or {})
    if request.method == "HEAD" or status in (204, 304):
        return Response(status_code=status, headers=headers)
    if "text/html" not in request.headers.get("accept", ""):
        return PlainTextResponse(f"{status} {detail}\n", status_code=status, headers=headers)
    title = ERROR_TITLES.get(status, "Error")
    return render(request, "error.html", {"status": status, "title": title, "detail": detail},
                  status_code=status, headers=headers)
