"""The REST API and the web UI, one FastAPI app over one DuckDB file.

    app = create_app("news.duckdb", token=None)      # served by `wirescope serve`

Connections: DuckDB refuses to open one file twice in a process with different settings, so the app
opens it once: read-only when asked (other processes may then read the file too), otherwise
read-write with a single writer (a lock) for ``POST /analyze`` with ``store``. Each request reads
through its own cursor of that connection, because a DuckDB connection is not thread-safe and
FastAPI runs these handlers in a thread pool.

Writes (``POST /analyze`` with ``store`` or a ``url`` to fetch) need the API token when one is set;
without a token they are refused unless the server listens on a loopback address (``wirescope
serve`` will not start on another address without one).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import os
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wirescope import __version__
from wirescope.errors import PageError
from wirescope.records import Analysis
from wirescope.settings import MB
from wirescope.storage import queries
from wirescope.storage.store import DOCUMENT_TABLES, Store
from wirescope.stories.assign import assign_stories, get_story, list_stories

WEB_DIR = Path(__file__).parent / "web"
DEFAULT_MAX_BODY = 10 * MB
MAX_LIMIT = 500
# The UI loads only its own files: a page text that slipped through as markup still could not run.
UI_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                                "frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# Page kinds a fetch error maps to; anything else about the page itself is a 422.
FETCH_ERROR_STATUS = {"http": 502, "timeout": 504, "network": 502, "too_large": 413}

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Rows per page (1-{MAX_LIMIT}).")]
Offset = Annotated[int, Query(ge=0, description="Rows to skip.")]
Since = Annotated[date | None, Query(description="First day (YYYY-MM-DD), by published date or else stored date.")]
Until = Annotated[date | None, Query(description="Last day (YYYY-MM-DD), inclusive.")]
TypeQ = Annotated[list[str] | None, Query(description="PLOVER types (repeat or comma-separate).")]
ActorQ = Annotated[str | None, Query(description="Actor name (any case) or code.")]


def _reader(request: Request) -> Iterator[Store]:
    """The request's own view of the database (a cursor), closed when the response is sent."""
    database = request.app.state.database
    with database.reader_slots:
        view = database.view()
        try:
            yield view
        finally:
            view.close()


Reader = Annotated[Store, Depends(_reader)]


class AnalyzeRequest(BaseModel):
    """One page to analyse: ``text`` or ``html``, or only a ``url`` to fetch."""

    text: str | None = Field(None, description="Plain page text.")
    html: str | None = Field(None, description="An HTML page.")
    url: str | None = Field(None, description="The page's URL; fetched when neither text nor html is given.")
    outlet: str | None = None
    title: str | None = None
    published: str | None = Field(None, description="Publication date, ISO 8601.")
    store: bool = Field(False, description="Also store the analysis in the database (needs write access).")


class BodyTooLarge(HTTPException):
    """Raised while reading a body past the limit; FastAPI passes an HTTPException through as it is."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"request body larger than the limit of {max_bytes} bytes")


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with a JSON 413, announced by Content-Length or not.

    Written here rather than FastAPI's ``max_body_size``: that one answers a declared length in
    plain text, and every error of this API is JSON.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            message = f"request body of {int(declared)} bytes is larger than the limit of {self.max_bytes} bytes"
            await _error_response(413, message)(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise BodyTooLarge(self.max_bytes)  # answered by the app's HTTPException handler
            return message

        await self.app(scope, counting_receive, send)


class UIHeaders:
    """Security headers on the web UI's responses (pure ASGI: no task group around the body)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(("/ui", "/static/")):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []),
                                                  *((k.lower().encode(), v.encode()) for k, v in UI_HEADERS.items())]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _json(data: Any, status: int = 200) -> Response:
    """A JSON response encoded by json.dumps alone: FastAPI's own encoding of a returned dict
    walks it in Python first (66 ms for a 1,900-edge network, against 8 ms for json.dumps)."""
    return Response(json.dumps(data, ensure_ascii=False, default=str, separators=(",", ":")), status_code=status,
                    media_type="application/json")


def _error_response(status: int, message: str, detail: Any = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message, "status": status}
    if detail is not None:
        body["detail"] = detail
    return JSONResponse(body, status_code=status)


def is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _validation_message(errors: list[Any]) -> str:
    parts = []
    for error in errors:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "body", "path"))
        parts.append(f"{where or 'request'}: {error.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts)


class Database:
    """The one DuckDB connection of the app and the lock that serialises writes to it."""

    def __init__(self, path: Path, read_only: bool, max_readers: int | None = None) -> None:
        self.path = path
        self.read_only = read_only
        self.store = Store(path, read_only=read_only)  # migrates a writable file on open
        self.write_lock = threading.Lock()
        # Queries beyond one per core only slow each other down (each DuckDB query is itself
        # parallel): measured with 8 clients on 10,000 documents, 2 slots on 2 cores served
        # /documents/{id} at 92 req/s (p95 126 ms) against 46 req/s (p95 257 ms) unlimited.
        self.reader_slots = threading.BoundedSemaphore(max_readers or os.cpu_count() or 2)
        if not read_only:
            # Every per-document read filters on doc_id: an ART index per table makes it a lookup
            # (get_analysis on 10,000 documents: 10.8 ms -> 6.9 ms measured on a loaded machine).
            for table in DOCUMENT_TABLES:
                self.store.con.execute(f"CREATE INDEX IF NOT EXISTS ix_{table}_doc_id ON {table} (doc_id)")
        queries.prepare_lookup(self.store.con)

    def view(self) -> Store:
        """A Store reading through a fresh cursor; close it with ``view.close()``.

        Built without Store.__init__ on purpose: that would open the file again.
        """
        view = Store.__new__(Store)
        view.path = self.path
        view.con = self.store.con.cursor()
        return view


def create_app(db_path: str | Path, token: str | None = None, max_body_bytes: int = DEFAULT_MAX_BODY,
               read_only: bool = False, max_readers: int | None = None) -> FastAPI:
    """The API and web UI over the DuckDB file ``db_path`` (created when missing, unless read-only).

    ``max_readers``: requests reading the database at once (default: one per CPU core).
    """
    database = Database(Path(db_path), read_only, max_readers)
    analysis_lock = threading.Lock()  # one spaCy parse at a time: the pipeline is not thread-safe
    app = FastAPIOffline(
        title="wirescope", version=__version__, debug=False,
        description="Structured, verifiable records of news pages: documents, entities, quotes, events, "
                    "framing and stories, each pointing at the characters it came from.",
    )
    app.state.database = database

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such endpoint: {request.method} {request.url.path}"
        return _error_response(exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in errors]
        return _error_response(422, _validation_message(errors), detail)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        # No traceback leaves the server: debug output would show paths and data.
        return _error_response(500, f"internal error ({type(exc).__name__})")

    def require_write(request: Request) -> None:
        if token is not None:
            given = request.headers.get("x-api-token") or ""
            auth = request.headers.get("authorization") or ""
            if auth.lower().startswith("bearer "):
                given = given or auth[7:].strip()
            if not given:
                raise HTTPException(401, "this request needs the API token (header 'Authorization: Bearer TOKEN' "
                                         "or 'X-API-Token: TOKEN')")
            if not hmac.compare_digest(given.encode(), token.encode()):
                raise HTTPException(403, "wrong API token")
            return
        server = request.scope.get("server")
        host = server[0] if server else None
        if not is_loopback(host):
            raise HTTPException(403, "writes are refused: this server listens on a non-loopback address "
                                     "without an API token (start it with --token)")

    # -- API -----------------------------------------------------------------------------------
    @app.post("/analyze", tags=["analysis"], summary="Analyse a page (text, HTML or URL)")
    def analyze(request: Request, body: AnalyzeRequest) -> Response:
        """The ``wirescope/analysis@1`` JSON of one page; ``store: true`` also stores it (201)."""
        given = [k for k in ("text", "html") if getattr(body, k) is not None]
        if len(given) > 1:
            raise HTTPException(422, "give either text or html, not both")
        if not given and not body.url:
            raise HTTPException(422, "give the page as text or html, or a url to fetch")
        if body.store or not given:
            require_write(request)
        if body.store and database.read_only:
            raise HTTPException(403, "the database is open read-only: storing is disabled")
        result = _analyze(body, given[0] if given else None, analysis_lock)
        if body.store:
            with database.write_lock:
                writer = database.view()
                try:
                    writer.write_batch([result], reanalyse=True)
                    queries.refresh_lookup(writer.con, [result.document.id])
                    # Like `wirescope ingest`: a stored page joins a story or starts one.
                    assign_stories(writer, [result.document.id])
                finally:
                    writer.close()
        return _json(result.to_dict(), 201 if body.store else 200)

    @app.get("/stats", tags=["documents"], summary="Row counts")
    def get_stats(store: Reader) -> Response:
        return _json({**queries.stats(store.con), "outlets": queries.outlets(store.con),
                      "read_only": database.read_only, "token_required": token is not None})

    @app.get("/documents", tags=["documents"], summary="Search documents")
    def documents(store: Reader, q: Annotated[str | None, Query(description="Words in the title or text.")] = None,
                  outlet: str | None = None,
                  actor: Annotated[str | None, Query(description="An entity name or actor code in the document.")] = None,
                  since: Since = None, until: Until = None, limit: Limit = 50, offset: Offset = 0) -> Response:
        return _json(queries.search_documents(store.con, q, outlet, actor, since, until, limit, offset))

    @app.get("/documents/{doc_id}", tags=["documents"], summary="One document's analysis@1 JSON")
    def document(doc_id: str, store: Reader) -> Response:
        """An id or a unique prefix of one."""
        analysis = store.get_analysis(doc_id)
        if analysis is None:
            if queries.count_prefix(store.con, doc_id) > 1:
                raise HTTPException(404, f"id prefix {doc_id!r} matches several documents: give more characters")
            raise HTTPException(404, f"no document with id or id prefix {doc_id!r}")
        return _json(analysis.to_dict())

    @app.get("/entities", tags=["actors"], summary="Entities aggregated across documents")
    def entities(store: Reader, q: Annotated[str | None, Query(description="Part of the name.")] = None,
                 type: Annotated[str | None, Query(description="PERSON, ORG, GPE, NORP, LOC, FAC.")] = None,
                 code: Annotated[str | None, Query(description="Actor code, e.g. USAGOV.")] = None,
                 limit: Limit = 50, offset: Offset = 0) -> Response:
        return _json(queries.list_entities(store.con, q, type, code, limit, offset))

    def event_filter(store: Store, type_: list[str] | None, actor: str | None, recipient: str | None,
                     since: date | None, until: date | None, story: str | None) -> queries.EventFilter:
        doc_ids = None
        if story:
            found = get_story(store, story)
            if found is None:
                raise HTTPException(404, f"no story with id {story!r}")
            doc_ids = tuple(d["id"] for d in found.get("documents", []))
        types = tuple(t for value in type_ or [] for t in value.split(",") if t.strip())
        return queries.EventFilter(tuple(t.strip() for t in types), actor, recipient, since, until, doc_ids)

    @app.get("/events", tags=["events"], summary="Events (who did what to whom)")
    def events(store: Reader, type: TypeQ = None, actor: ActorQ = None, recipient: ActorQ = None,
               since: Since = None, until: Until = None,
               story: Annotated[str | None, Query(description="Only events of this story's documents.")] = None,
               format: Annotated[Literal["json", "csv"], Query(description="csv: every matching event as a download.")] = "json",
               limit: Limit = 50, offset: Offset = 0) -> Response:
        flt = event_filter(store, type, actor, recipient, since, until, story)
        if format == "csv":
            found = queries.list_events(store.con, flt, limit=None, offset=0)
            return Response(queries.events_csv(found["items"]), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="events.csv"'})
        return _json(queries.list_events(store.con, flt, limit, offset))

    @app.get("/events/timeline", tags=["events"], summary="Event counts per day and type")
    def timeline(store: Reader, type: TypeQ = None, actor: ActorQ = None, recipient: ActorQ = None,
                 since: Since = None, until: Until = None, story: str | None = None) -> Response:
        return _json(queries.event_timeline(store.con, event_filter(store, type, actor, recipient, since, until, story)))

    @app.get("/quotes", tags=["quotes"], summary="Who said what")
    def quotes(store: Reader,
               speaker: Annotated[str | None, Query(description="Part of the speaker's name or text (any case).")] = None,
               doc: Annotated[str | None, Query(description="Only this document's quotes (full id).")] = None,
               limit: Limit = 50, offset: Offset = 0) -> Response:
        return _json(queries.list_quotes(store.con, speaker, doc, limit, offset))

    @app.get("/stories", tags=["stories"], summary="Stories: documents grouped across outlets")
    def stories(store: Reader, limit: Limit = 50, offset: Offset = 0) -> Response:
        items = list_stories(store, limit=limit, offset=offset)
        return _json({"limit": limit, "offset": offset, "items": items})

    @app.get("/stories/{story_id}", tags=["stories"], summary="One story, outlets side by side")
    def story(story_id: str, store: Reader) -> Response:
        found = get_story(store, story_id)
        if found is None:
            raise HTTPException(404, f"no story with id {story_id!r}")
        return _json(found)

    @app.get("/actors/{name}", tags=["actors"], summary="What an actor said, did and had done to them")
    def actor(name: str, store: Reader) -> Response:
        found = queries.actor_profile(store.con, name)
        if found is None:
            raise HTTPException(404, f"no actor named {name!r} (no entity, speaker or event actor)")
        return _json(found)

    @app.get("/network", tags=["actors"], summary="Actors linked by events: cooperation vs conflict")
    def get_network(store: Reader, type: TypeQ = None, since: Since = None, until: Until = None,
                    min_count: Annotated[int, Query(ge=1, description="Hide edges with fewer events.")] = 1,
                    max_nodes: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Most active actors kept.")] = 60,
                    ) -> Response:
        flt = queries.EventFilter(types=tuple(t for v in type or [] for t in v.split(",") if t), since=since,
                                  until=until)
        return _json(queries.network(store.con, flt, min_count, max_nodes))

    # -- web UI --------------------------------------------------------------------------------
    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/ui/")

    @app.get("/ui/{page:path}", include_in_schema=False)
    def ui(page: str) -> FileResponse:
        # Every UI address gets the same page; its script reads the address and draws the view.
        return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8")

    app.add_middleware(UIHeaders)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    return app


def _analyze(body: AnalyzeRequest, given: str | None, lock: threading.Lock) -> Analysis:
    """Analyse the request's page; a page that cannot be used becomes an HTTP error saying why."""
    from wirescope.io.readers import fetch_url
    from wirescope.pipeline import analyze  # loads spaCy on first use, not at start-up
    from wirescope.records import RawPage
    from wirescope.settings import Settings

    settings = Settings()
    try:
        if given is None:
            assert body.url is not None
            fetched = fetch_url(body.url, settings)
            if isinstance(fetched, PageError):
                raise fetched
            page: RawPage | str = fetched
        else:
            page = getattr(body, given)
        with lock:
            return analyze(page, url=body.url, outlet=body.outlet, title=body.title,
                           published=body.published, content_type=given, settings=settings)
    except PageError as error:
        status = FETCH_ERROR_STATUS.get(error.kind, 422) if given is None or error.kind == "too_large" else 422
        raise HTTPException(status, f"{error.kind}: {error.reason}") from error
