"""``/events`` (JSON or CSV) and ``/events/timeline``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response

from wirescope.serve.database import Reader
from wirescope.serve.models import (
    ActorQ,
    BoxQ,
    CountryQ,
    HappenedSince,
    HappenedUntil,
    Limit,
    Offset,
    Since,
    TypeQ,
    Until,
    place_filters,
    split_types,
)
from wirescope.serve.responses import json_response
from wirescope.storage import queries
from wirescope.storage.event_places import event_places
from wirescope.storage.store import Store
from wirescope.stories.assign import get_story

router = APIRouter(tags=["events"])

StoryQ = Annotated[str | None, Query(description="Only events of this story's documents.")]
FormatQ = Annotated[Literal["json", "csv"], Query(description="csv: every matching event as a download.")]
MinConfidenceQ = Annotated[float | None, Query(ge=0, le=1, description="Only events at least this sure "
                                                                       "(their confidence, 0-1).")]


@dataclass(frozen=True)
class WhereWhen:
    """The where-and-when query parameters of the event endpoints."""

    country: str | None = None
    bbox: str | None = None
    happened_since: date | None = None
    happened_until: date | None = None
    min_confidence: float | None = None  # not where or when, but filtered with them on the events' own columns


def event_filter(store: Store, type_: list[str] | None, actor: str | None, recipient: str | None,
                 since: date | None, until: date | None, story: str | None,
                 where: WhereWhen = WhereWhen()) -> queries.EventFilter:
    country, box = place_filters(where.country, where.bbox)
    doc_ids = None
    if story:
        found = get_story(store, story)
        if found is None:
            raise HTTPException(404, f"no story with id {story!r}")
        doc_ids = tuple(d["id"] for d in found.get("documents", []))
    return queries.EventFilter(split_types(type_), actor, recipient, since, until, doc_ids, country=country,
                               box=box, happened_since=where.happened_since, happened_until=where.happened_until,
                               min_confidence=where.min_confidence)


def events_csv_download(store: Store, flt: queries.EventFilter) -> Response:
    found = queries.list_events(store.con, flt, limit=None, offset=0)
    return Response(queries.events_csv(found["items"]), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="events.csv"'})


@router.get("/events", summary="Events (who did what to whom, where and when)")
def events(request: Request, store: Reader, type: TypeQ = None, actor: ActorQ = None, recipient: ActorQ = None,
           since: Since = None, until: Until = None, story: StoryQ = None, format: FormatQ = "json",
           limit: Limit = 50, offset: Offset = 0, country: CountryQ = None, bbox: BoxQ = None,
           happened_since: HappenedSince = None, happened_until: HappenedUntil = None,
           min_confidence: MinConfidenceQ = None) -> Response:
    flt = event_filter(store, type, actor, recipient, since, until, story,
                       WhereWhen(country, bbox, happened_since, happened_until, min_confidence))
    if format == "csv":
        return events_csv_download(store, flt)
    # The same page for every client until the next write (the UI's first page, an actor's events):
    # made once, from the events' stored encodings (storage.event_items); a kept one is sent at once.
    def page() -> str:
        return queries.events_page_json(store.con, flt, limit, offset)

    body = request.app.state.database.answers.get(("events", flt, limit, offset), page)
    return Response(body, media_type="application/json")


@router.get("/events/places", summary="Located events counted by place (the map)")
def places(store: Reader, type: TypeQ = None, actor: ActorQ = None, recipient: ActorQ = None,
           since: Since = None, until: Until = None, story: StoryQ = None, country: CountryQ = None,
           bbox: BoxQ = None, happened_since: HappenedSince = None, happened_until: HappenedUntil = None,
           min_confidence: MinConfidenceQ = None) -> Response:
    flt = event_filter(store, type, actor, recipient, since, until, story,
                       WhereWhen(country, bbox, happened_since, happened_until, min_confidence))
    return json_response({"places": event_places(store.con, flt)})


@router.get("/events/timeline", summary="Event counts per day and type")
def timeline(store: Reader, type: TypeQ = None, actor: ActorQ = None, recipient: ActorQ = None,
             since: Since = None, until: Until = None, story: str | None = None, country: CountryQ = None,
             bbox: BoxQ = None, happened_since: HappenedSince = None, happened_until: HappenedUntil = None,
             min_confidence: MinConfidenceQ = None) -> Response:
    flt = event_filter(store, type, actor, recipient, since, until, story,
                       WhereWhen(country, bbox, happened_since, happened_until, min_confidence))
    return json_response(queries.event_timeline(store.con, flt))
