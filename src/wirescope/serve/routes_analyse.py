"""``POST /analyze``: one page (text, HTML or a URL to fetch) analysed with the server's settings,
and stored when asked."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, HTTPException, Request, Response

from wirescope.errors import PageError
from wirescope.records import Analysis, ContentType, RawPage
from wirescope.serve.context import Context, ServeContext
from wirescope.serve.guards import require_write
from wirescope.serve.models import AnalyzeRequest
from wirescope.serve.responses import json_response
from wirescope.settings import Settings
from wirescope.storage.outlet_places import outlet_countries
from wirescope.stories.intake import store_analyses

router = APIRouter(tags=["analysis"])

# Page kinds a fetch error maps to; anything else about the page itself is a 422. A URL on the
# server's own networks is refused (403) unless `wirescope serve --allow-private-fetch`.
FETCH_ERROR_STATUS = {"http": 502, "timeout": 504, "network": 502, "too_large": 413, "forbidden_address": 403}
# Failures of the analysis itself that are not about the page's content (that is a 422).
ANALYSIS_ERROR_STATUS = {"too_large": 413, "internal": 500}


def given_content(body: AnalyzeRequest) -> ContentType | None:
    """``"text"`` or ``"html"``, whichever the request gives; None for a URL to fetch."""
    kinds: tuple[ContentType, ...] = ("text", "html")
    given = [k for k in kinds if getattr(body, k) is not None]
    if len(given) > 1:
        raise HTTPException(422, "give either text or html, not both")
    if not given and not body.url:
        raise HTTPException(422, "give the page as text or html, or a url to fetch")
    return given[0] if given else None


@router.post("/analyze", summary="Analyse a page (text, HTML or URL)")
def analyze(request: Request, body: AnalyzeRequest, context: Context) -> Response:
    """The ``wirescope/analysis@1`` JSON of one page; ``store: true`` also stores it (201)."""
    given = given_content(body)
    # With a token set, analysing is a write like any other (it costs the server a worker's time),
    # unless the server was started with --public-analyse; storing and fetching always are.
    if body.store or given is None or (context.token is not None and not context.public_analyse):
        require_write(request, context.token)
    if body.store and context.database.read_only:
        raise HTTPException(403, "the database is open read-only: storing is disabled")
    result = analyse_page(body, given, context)
    if body.store:
        store_analysis(context, result)
    return json_response(result.to_dict(), 201 if body.store else 200)


def store_analysis(context: ServeContext, result: Analysis) -> None:
    """Like `wirescope ingest`: write the page, refresh the actor lookup, and put it in a story."""
    database = context.database
    with database.write_lock:
        writer = database.view()
        try:  # a page posted again replaces the stored one
            store_analyses(writer, [result], (), replace(context.settings, reanalyse=True))
        finally:
            writer.close()


def analyse_page(body: AnalyzeRequest, given: ContentType | None, context: ServeContext) -> Analysis:
    """Analyse the request's page in the page worker, under the page budget; a page that cannot be
    used becomes an HTTP error saying why, and a full queue a 503."""
    from wirescope.io.readers import fetch_url

    settings = context.settings
    try:
        if given is None:
            assert body.url is not None
            fetched = fetch_url(body.url, settings)
            if isinstance(fetched, PageError):
                raise fetched
            page = fetched
        else:
            page = RawPage(source="<request>", data=getattr(body, given), content_type=given)
        page = replace(page, url=body.url or page.url, outlet=body.outlet or page.outlet,
                       title=body.title or page.title, published=body.published or page.published)
        return _analyse_queued(page, context, _place_settings(body, context))
    except PageError as error:
        if given is None and error.kind in FETCH_ERROR_STATUS:
            status = FETCH_ERROR_STATUS[error.kind]
        else:
            status = ANALYSIS_ERROR_STATUS.get(error.kind, 422)
        raise HTTPException(status, f"{error.kind}: {error.reason}") from error


def _place_settings(body: AnalyzeRequest, context: ServeContext) -> Settings:
    """The server's settings, with places steered as `ingest` steers them: each outlet's home
    country from the stored documents (``storage.outlet_places``), else the request's."""
    view = context.database.view()
    try:
        learned = outlet_countries(view.con)
    finally:
        view.close()
    home = body.home_country.upper() if body.home_country else context.settings.home_country
    return replace(context.settings, outlet_countries=learned, home_country=home)


def _analyse_queued(page: RawPage, context: ServeContext, settings: Settings) -> Analysis:
    if not context.analyse_slots.acquire(blocking=False):
        raise HTTPException(503, f"the server is analysing other pages ({context.analyse_queue} requests waiting): "
                                 "try again shortly", headers={"Retry-After": "5"})
    try:
        # Read to its end, so that the run lets go of the runner now, not when the generator is collected.
        [result] = list(context.runner().run([page], settings))
    finally:
        context.analyse_slots.release()
    if isinstance(result, PageError):
        raise result
    return result
