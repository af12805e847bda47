"""The composition root of the web app: `create_app(settings)` builds the engine, evidence store and templates once
and hands them to the routes through `app.state`. No module-level engines, sessions or caches.

Routes live in one module per page (overview, kommune, changes, health, data, api, evidence; act, subscriptions
and review are the write side). `dashboards/conditional.py` answers HEAD and conditional GETs on every route and
serves the shared pages (SHARED_ROUTERS) from a response cache keyed by the data version; the per-user pages
(forms with CSRF tokens, a reviewer's session) are never cached. The OpenAPI document of the read-only JSON API is
at /api/openapi.json; the interactive docs pages are off because they load their scripts from a CDN, which the CSP
and an offline machine both forbid.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute

from dashboards import (
    act,
    api,
    changes,
    data,
    evidence,
    health,
    kommune,
    overview,
    review,
    subscribe,
    subscriptions,
    trends,
)
from dashboards.conditional import ConditionalMiddleware
from dashboards.rendering import build_environment, render
from dashboards.response_cache import ResponseCache
from dashboards.reviewer import SignInLimiter
from dashboards.security import SecurityHeadersMiddleware
from tracker.blobs import EvidenceStore
from tracker.clock import utc_now
from tracker.config import Settings
from tracker.store import database
from tracker.volunteers import tips

STATIC_DIR = Path(__file__).resolve().parent / "static"
#: page modules each exposing `router`, in navigation order
#: every page's router, in the order routes are matched: subscriptions before review, whose /review/{kommunenummer}
#: would otherwise take /review/subscriptions. Imported, not looked up by name: a typo fails at start, not silently.
ROUTERS: tuple[APIRouter, ...] = (
    overview.router,
    trends.router,
    kommune.router,
    changes.router,
    health.router,
    data.router,
    api.router,
    evidence.router,
    act.router,
    subscribe.router,
    subscriptions.router,
    review.router,
)
#: the pages and downloads that are the same for every visitor (given the URL, host and language): cached per
#: data version and given data-versioned ETags. A router whose pages carry a CSRF token or a session never goes here.
SHARED_ROUTERS: tuple[APIRouter, ...] = (
    overview.router,
    trends.router,
    kommune.router,
    changes.router,
    health.router,
    data.router,
    api.router,
)
FAVICON = STATIC_DIR / "favicon.ico"


def create_app(
    settings: Settings,
    *,
    session_factory: sessionmaker[Session] | None = None,
    evidence: EvidenceStore | None = None,
    now: Callable[[], datetime] = utc_now,
    allow_private_networks: bool = False,
    response_cache: ResponseCache | None = None,
) -> FastAPI:
    """The dashboard app over `settings`' database and evidence store (or the ones passed in, for tests).

    `allow_private_networks` lets the tip form accept loopback/private URLs (tests and the demo web only).
    `response_cache` holds the shared pages per data version (default: a new, bounded one).
    """
    app = FastAPI(
        lifespan=_lifespan,
        title="Planvakt",
        description="Read-only JSON API of Planvakt's findings: kommuner, plans and change events.",
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    if session_factory is None:
        session_factory = database.make_session_factory(database.make_engine(settings.resolved_database_url))
    app.state.settings = settings
    app.state.session_factory = session_factory
    app.state.evidence = evidence or EvidenceStore(settings.resolved_evidence_dir)
    app.state.now = now
    app.state.allow_private_networks = allow_private_networks
    app.state.sign_in_limiter = SignInLimiter()
    app.state.subscribe_limiter = subscribe.limiter()
    #: the shared tip extractor (tracker.volunteers.tips.SharedExtractor) while the lifespan runs; without a lifespan
    #: (an ASGI test transport, uvicorn with lifespan="off") each tip gets its own sandbox, so no worker outlives the
    #: app
    app.state.extractor = None
    app.state.templates = build_environment()
    app.state.response_cache = response_cache or ResponseCache()
    _add_middleware(app, session_factory, now)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:
        app.include_router(router)
    app.get("/favicon.ico", include_in_schema=False)(favicon)
    app.exception_handler(StarletteHTTPException)(html_errors)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """One extraction pool for all tips, started by the first tip, stopped here."""
    app.state.extractor = tips.SharedExtractor(workers=1)
    try:
        yield
    finally:
        extractor, app.state.extractor = app.state.extractor, None
        await extractor.aclose()


def _add_middleware(app: FastAPI, factory: sessionmaker[Session], now: Callable[[], datetime]) -> None:
    """The shared pages' cache and conditional GETs (keyed on the data version), inside the security headers."""

    def read_version() -> database.DataVersionStamp:
        with factory() as session:
            return database.data_version(session)

    # added before the security headers, so it runs inside them: cached responses and 304s get them too
    app.add_middleware(
        ConditionalMiddleware,
        cache=app.state.response_cache,
        read_version=read_version,
        versioned=shared_routes(app),
        now=now,
        instance=secrets.token_hex(6),
        started_at=now(),
        version_in_thread=factory.kw["bind"].dialect.name != "sqlite",
    )
    app.add_middleware(SecurityHeadersMiddleware)


def favicon() -> FileResponse:
    """A small icon of our own (browsers ask for it on every site); never fetched from elsewhere."""
    return FileResponse(FAVICON, media_type="image/x-icon", headers={"Cache-Control": "public, max-age=86400"})


async def html_errors(request: Request, exc: StarletteHTTPException) -> Response:
    """Errors of the pages as an HTML page in the dashboard's look; the API, static files and evidence keep JSON."""
    if request.url.path.startswith(("/api/", "/static/", "/evidence/")):
        return await http_exception_handler(request, exc)
    page: HTMLResponse = render(
        request, "error.html", {"status": exc.status_code, "detail": exc.detail}, status_code=exc.status_code
    )
    for name, value in (exc.headers or {}).items():  # e.g. Retry-After on a 429
        page.headers[name] = value
    return page


def shared_routes(app: FastAPI) -> list[BaseRoute]:
    """The routes of SHARED_ROUTERS plus the OpenAPI document: what `ConditionalMiddleware` caches and versions."""
    routes: list[BaseRoute] = [route for router in SHARED_ROUTERS for route in router.routes]
    routes += [route for route in app.routes if getattr(route, "path", None) == app.openapi_url]
    return routes
