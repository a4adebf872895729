"""The REST API and the web UI, one FastAPI app over one DuckDB file.

    app = create_app("news.duckdb", token=None, settings=Settings())   # served by `wirescope serve`

The endpoints live in ``routes_*`` modules, one APIRouter per resource; each reads the database
through its own cursor (``database.Reader``) and finds the server's settings, token and locks in
``context.Context``. Writes (``POST /analyze`` with ``store`` or a ``url`` to fetch, and the actor
corrections of ``corrections.py``) need the API token when one is set; without a token they are
refused unless the server listens on a loopback address (``wirescope serve`` will not start on
another address without one). Every request must name an allowed host (``guards.AllowedHosts``: DNS
rebinding), every response carries security headers, and ``POST /analyze`` fetches no URL on a
private network unless ``fetch_private_addresses`` (``io.addresses``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from wirescope import __version__
from wirescope.collect.options import CollectOptions
from wirescope.serve import (
    routes_actors,
    routes_alerts,
    routes_analyse,
    routes_documents,
    routes_events,
    routes_feeds,
    routes_internal,
    routes_quotes,
    routes_stories,
)
from wirescope.serve.collecting import CollectorThread
from wirescope.serve.context import ANALYSE_QUEUE, ServeContext
from wirescope.serve.database import Database
from wirescope.serve.guards import AllowedHosts, BodyLimit, SecurityHeaders
from wirescope.serve.responses import EXCEPTION_HANDLERS
from wirescope.settings import Settings

WEB_DIR = Path(__file__).parent / "web"
ROUTERS = (routes_analyse, routes_documents, routes_actors, routes_events, routes_quotes, routes_stories,
           routes_internal, routes_alerts, routes_feeds)
DESCRIPTION = ("Structured, verifiable records of news pages: documents, entities, quotes, events, "
               "framing and stories, each pointing at the characters it came from.")


def create_app(db_path: str | Path, token: str | None = None, max_body_bytes: int | None = None,
               read_only: bool = False, max_readers: int | None = None, settings: Settings | None = None,
               allowed_hosts: Iterable[str] = (), fetch_private_addresses: bool = False,
               public_analyse: bool = False, analyse_queue: int = ANALYSE_QUEUE, collect: bool = False,
               collect_delay_s: float = 1.0) -> FastAPI:
    """The API and web UI over the DuckDB file ``db_path`` (created when missing, unless read-only).

    ``settings``: how ``POST /analyze`` reads and analyses a page (default ``Settings()``).
    ``max_body_bytes``: the largest request body (default: ``settings.max_bytes``).
    ``max_readers``: requests reading the database at once (default: one per CPU core).
    ``allowed_hosts``: the ``Host`` names answered besides loopback and the address a request came in
    on (``"*"``: any, which lets DNS rebinding through).
    ``fetch_private_addresses``: let ``POST /analyze`` fetch URLs on loopback and private networks;
    it replaces ``settings.fetch_private_addresses``, whose default suits the CLI, not a server.
    ``public_analyse``: with a token set, ``POST /analyze`` without storing needs none.
    ``analyse_queue``: analyse requests that may wait for the page worker; one more gets a 503.
    ``collect``: run the feed collector in this process while the app runs (``serve.collecting``), with
    ``collect_delay_s`` seconds between two requests to one host.
    """
    settings = replace(settings or Settings(), fetch_private_addresses=fetch_private_addresses)
    database = Database(Path(db_path), read_only, max_readers)
    context = ServeContext(database, settings, token, public_analyse, analyse_queue)

    if collect and not read_only:
        context.collector = CollectorThread(database, settings, CollectOptions(host_delay_s=collect_delay_s))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if context.collector is not None:
            context.collector.start()
        yield
        context.close()  # the page worker goes with the server: a page in hand does not hold it up

    app = FastAPIOffline(title="wirescope", version=__version__, debug=False, description=DESCRIPTION,
                         lifespan=lifespan)
    app.state.database = database
    app.state.context = context
    for exc_type, handler in EXCEPTION_HANDLERS.items():
        app.exception_handler(exc_type)(handler)
    for module in ROUTERS:
        app.include_router(module.router)
    mount_web_ui(app)
    # The last added runs first: headers on every answer, then the host check, before any body is read.
    app.add_middleware(BodyLimit, max_bytes=settings.max_bytes if max_body_bytes is None else max_body_bytes)
    app.add_middleware(AllowedHosts, allowed_hosts=tuple(allowed_hosts))
    app.add_middleware(SecurityHeaders)
    return app


def mount_web_ui(app: FastAPI) -> None:
    """The UI's files under /static, and its one page at every /ui/ address."""
    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/ui/")

    @app.get("/ui/{page:path}", include_in_schema=False)
    def ui(page: str) -> FileResponse:
        # Every UI address gets the same page; its script reads the address and draws the view.
        return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8")
