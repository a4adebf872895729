"""``/quotes``: who said what, by speaker or by actor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from wirescope.serve.database import Reader
from wirescope.serve.models import Limit, Offset
from wirescope.serve.responses import error_response, json_response
from wirescope.storage import actor_views, queries
from wirescope.storage import actors as register

router = APIRouter(tags=["quotes"])


@router.get("/quotes", summary="Who said what")
def quotes(store: Reader,
           speaker: Annotated[str | None, Query(description="Part of the speaker's name or text (any case), "
                                                            "or an actor id.")] = None,
           actor: Annotated[str | None, Query(description="The speaker is this actor: its id, or its canonical "
                                                          "name or an alias as written (whole, any case).")] = None,
           doc: Annotated[str | None, Query(description="Only this document's quotes (full id).")] = None,
           limit: Limit = 50, offset: Offset = 0) -> Response:
    if actor is not None:
        ids = register.resolve_actors(store.con, actor)
        if len(ids) > 1:
            return error_response(422, f"{actor!r} names {len(ids)} actors: give one of their ids",
                                  actor_views.candidates(store.con, actor, ids))
        if not ids:  # no such actor: no quote of theirs
            return json_response({"total": 0, "limit": limit, "offset": offset, "items": []})
        speaker = ids[0]  # an actor id as speaker: the quotes of that actor (queries.list_quotes)
    return json_response(queries.list_quotes(store.con, speaker, doc, limit, offset))
