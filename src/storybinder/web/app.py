"""The application factory: each feature's routes, one layout, the shared middleware.

A feature (the shelf, the OPDS feeds, the review page) is a list of routes plus
an optional lifespan hook; `create_app` mounts them beside `/static`, installs
the Host/Origin and auth guards and renders every error as a proper page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .errors import error_page
from .guard import AccessPolicy, GuardMiddleware

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

Lifespan = Callable[[Starlette], Any]  # an async context manager factory, as Starlette takes


@dataclass(frozen=True)
class Feature:
    """One feature's share of the app: its routes, and work to do at start-up and shutdown."""

    name: str
    routes: Sequence[BaseRoute]
    lifespan: Lifespan | None = None
    # Values the feature's handlers find on request.app.state (its library, its options).
    state: dict[str, Any] = field(default_factory=dict)


def create_app(features: Sequence[Feature], policy: AccessPolicy, *, site_name: str = "storybinder") -> Starlette:
    """The ASGI app: every feature's routes, /static, the guard middleware and error pages."""
    routes: list[BaseRoute] = [Mount("/static", StaticFiles(directory=STATIC), name="static")]
    for feature in features:
        routes.extend(feature.routes)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for feature in features:
                if feature.lifespan is not None:
                    await stack.enter_async_context(feature.lifespan(app))
            yield

    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: error_page},
    )
    app.state.templates = make_templates(site_name)
    for feature in features:
        for key, value in feature.state.items():
            setattr(app.state, key, value)
    app.add_middleware(GuardMiddleware, policy=policy)
    return app


def make_templates(site_name: str) -> Jinja2Templates:
    """The one Jinja2 environment: autoescaped, with the site name every page shows."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    env.globals["site_name"] = site_name
    return Jinja2Templates(env=env)
