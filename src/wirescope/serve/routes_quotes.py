"""``/quotes``: who said what, by speaker or by actor."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from wirescope.serve.database import Reader
from wirescope.serve.models import Limit, Offset
from wirescope.serve.responses import ListFormat, csv_download, error_response, json_response
from wirescope.storage import actor_views, queries
from wirescope.storage import actors as register
from wirescope.storage.facets import MAX_CSV

router = APIRouter(tags=["quotes"])

QUOTE_COLUMNS = ("doc_id", "id", "day", "outlet", "title", "kind", "speaker", "speaker_text", "cue", "content")


def quote_row(quote: dict[str, Any]) -> dict[str, Any]:
    """A quote as a CSV row: its spans as their text alone."""
    speaker, cue = quote["speaker"] or {}, quote["cue"] or {}
    return {**quote, "speaker": speaker.get("name"), "speaker_text": speaker.get("text"), "cue": cue.get("text"),
            "content": quote["content"]["text"]}


@router.get("/quotes", summary="Who said what")
def quotes(store: Reader,
           speaker: Annotated[str | None, Query(description="Part of the speaker's name or text (any case), "
                                                            "or an actor id.")] = None,
           actor: Annotated[str | None, Query(description="The speaker is this actor: its id, or its canonical "
                                                          "name or an alias as written (whole, any case).")] = None,
           doc: Annotated[str | None, Query(description="Only this document's quotes (full id).")] = None,
           limit: Limit = 50, offset: Offset = 0, format: ListFormat = "json") -> Response:
    if actor is not None:
        ids = register.resolve_actors(store.con, actor)
        if len(ids) > 1:
            return error_response(422, f"{actor!r} names {len(ids)} actors: give one of their ids",
                                  actor_views.candidates(store.con, actor, ids))
        if not ids:  # no such actor: no quote of theirs
            empty = {"total": 0, "limit": limit, "offset": offset, "items": []}
            return csv_download([], QUOTE_COLUMNS, "quotes.csv") if format == "csv" else json_response(empty)
        speaker = ids[0]  # an actor id as speaker: the quotes of that actor (queries.list_quotes)
    if format == "csv":
        found = queries.list_quotes(store.con, speaker, doc, MAX_CSV, 0)
        return csv_download(map(quote_row, found["items"]), QUOTE_COLUMNS, "quotes.csv")
    return json_response(queries.list_quotes(store.con, speaker, doc, limit, offset))
