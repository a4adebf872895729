"""``/events`` (JSON or CSV) and ``/events/timeline``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Response

from wirescope.serve.database import Reader
from wirescope.serve.models import ActorQ, Limit, Offset, Since, TypeQ, Until, split_types
from wirescope.serve.responses import json_response
from wirescope.storage import queries
from wirescope.storage.store import Store
from wirescope.stories.assign import get_story

router = APIRouter(tags=["events"])

StoryQ = Annotated[str | None, Query(description="Only events of this story's documents.")]
FormatQ = Annotated[Literal["json", "csv"], Query(description="csv: every matching event as a download.")]


def event_filter(store: Store, type_: list[str] | None, actor: str | None, recipient: str | None,
                 since: date | None, until: date | None, story: str | None) -> queries.EventFilter:
    doc_ids = None
    if story:
        found = get_story(store, story)
        if found is None:
            raise HTTPException(404, f"no story with id {story!r}")
        doc_ids = tuple(d["id"] for d in found.get("documents", []))
    return queries.EventFilter(split_types(type_), actor, recipient, since, until, doc_ids)


def events_csv_download(store: Store, flt: queries.EventFilter) -> Response:
    found = queries.list_events(store.con, flt, limit=None, offset=0)
    return Response(queries.events_csv(found["items"]), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="events.csv"'})


@router.get("/events", summary="Events (who did what to whom)")
def events(store: Reader, type: TypeQ = None, actor: ActorQ = None, recipient: ActorQ = None,
           since: Since = None, until: Until = None, story: StoryQ = None, format: FormatQ = "json",
           limit: Limit = 50, offset: Offset = 0) -> Response:
    flt = event_filter(store, type, actor, recipient, since, until, story)
    if format == "csv":
        return events_csv_download(store, flt)
    return json_response(queries.list_events(store.con, flt, limit, offset))


@router.get("/events/timeline", summary="Event counts per day and type")
def timeline(store: Reader, type: TypeQ = None, actor: ActorQ = None, recipient: ActorQ = None,
             since: Since = None, until: Until = None, story: str | None = None) -> Response:
    flt = event_filter(store, type, actor, recipient, since, until, story)
    return json_response(queries.event_timeline(store.con, flt))
