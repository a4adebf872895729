"""``/entities``, ``/actors/{name}`` and ``/network``: who is in the news and how they relate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response

from wirescope.serve.database import Reader
from wirescope.serve.models import MAX_LIMIT, Limit, Offset, Since, TypeQ, Until, split_types
from wirescope.serve.responses import json_response
from wirescope.storage import queries

router = APIRouter(tags=["actors"])


@router.get("/entities", summary="Entities aggregated across documents")
def entities(store: Reader, q: Annotated[str | None, Query(description="Part of the name.")] = None,
             type: Annotated[str | None, Query(description="PERSON, ORG, GPE, NORP, LOC, FAC.")] = None,
             code: Annotated[str | None, Query(description="Actor code, e.g. USAGOV.")] = None,
             limit: Limit = 50, offset: Offset = 0) -> Response:
    return json_response(queries.list_entities(store.con, q, type, code, limit, offset))


@router.get("/actors/{name}", summary="What an actor said, did and had done to them")
def actor(name: str, store: Reader) -> Response:
    found = queries.actor_profile(store.con, name)
    if found is None:
        raise HTTPException(404, f"no actor named {name!r} (no entity, speaker or event actor)")
    return json_response(found)


@router.get("/network", summary="Actors linked by events: cooperation vs conflict")
def get_network(store: Reader, type: TypeQ = None, since: Since = None, until: Until = None,
                min_count: Annotated[int, Query(ge=1, description="Hide edges with fewer events.")] = 1,
                max_nodes: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Most active actors kept.")] = 60,
                ) -> Response:
    flt = queries.EventFilter(types=split_types(type), since=since, until=until)
    return json_response(queries.network(store.con, flt, min_count, max_nodes))
