"""``/actors`` (the actor register), ``/actors/{actor_id}``, ``/corrections``, ``/entities`` and
``/network``: who is in the news, one id per real actor across documents, and how they relate.

The corrections (``POST /actors/{actor_id}/merge|split|rename|recode``) are in ``corrections.py``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response

from wirescope.serve import corrections
from wirescope.serve.database import Reader
from wirescope.serve.models import MAX_LIMIT, MAX_ROWS, Limit, Offset, Since, TypeQ, Until, split_types
from wirescope.serve.responses import ListFormat, csv_download, error_response, json_response
from wirescope.storage import actor_views, queries
from wirescope.storage import actors as register
from wirescope.storage.facets import MAX_CSV

router = APIRouter(tags=["actors"])
router.include_router(corrections.router)

ENTITY_COLUMNS = ("actor", "name", "type", "codes", "documents", "mentions")
ACTOR_COLUMNS = ("id", "name", "type", "codes", "aliases", "documents", "mentions", "first_seen", "last_seen")


def actor_row(actor: dict[str, Any]) -> dict[str, Any]:
    """An actor of the register as a CSV row: its codes and aliases as the words alone."""
    return {**actor, "codes": [c["code"] if isinstance(c, dict) else c for c in actor.get("codes") or []],
            "aliases": [a["alias"] if isinstance(a, dict) else a for a in actor.get("aliases") or []]}


@router.get("/entities", summary="Entities aggregated across documents")
def entities(store: Reader, q: Annotated[str | None, Query(description="Part of the name.")] = None,
             type: Annotated[str | None, Query(description="PERSON, ORG, GPE, NORP, LOC, FAC.")] = None,
             code: Annotated[str | None, Query(description="Actor code, e.g. USAGOV.")] = None,
             limit: Limit = 50, offset: Offset = 0, format: ListFormat = "json") -> Response:
    if format == "csv":
        found = queries.list_entities(store.con, q, type, code, MAX_CSV, 0)
        return csv_download(found["items"], ENTITY_COLUMNS, "entities.csv")
    return json_response(queries.list_entities(store.con, q, type, code, limit, offset))


@router.get("/actors", summary="The actor register: one row per actor id")
def actors(store: Reader,
           q: Annotated[str | None, Query(description="Part of the id, the name or an alias (any case).")] = None,
           type: Annotated[str | None, Query(description="PERSON, ORG, GPE, NORP, LOC, FAC.")] = None,
           limit: Limit = 50, offset: Offset = 0, format: ListFormat = "json") -> Response:
    """Actors, most widespread first: id, canonical name, type, codes over time, the five most
    written aliases with their counts, first and last day seen, documents and mentions."""
    if format == "csv":
        found = register.list_actors(store.con, q, type, MAX_CSV, 0)
        return csv_download(map(actor_row, found["items"]), ACTOR_COLUMNS, "actors.csv")
    return json_response(register.list_actors(store.con, q, type, limit, offset))


@router.get("/corrections", summary="The analysts' corrections of the actor register, in the order made")
def corrections_made(store: Reader) -> Response:
    return json_response({"items": register.list_corrections(store.con)})


@router.get("/actors/{actor_id}", summary="One actor: aliases, codes over time, documents, what they said and did")
def actor(actor_id: str, store: Reader) -> Response:
    """An actor id (``person:pavel-marek``), or a canonical name or alias as written that names
    one actor. A name no actor id has (entities stored before the register, which a re-analysis
    identifies) gives what is known under that name, with ``id`` null. A name of several actors
    is a 404 listing them in ``detail``."""
    con = store.con
    ids = register.resolve_actors(con, actor_id)
    if len(ids) > 1:
        return error_response(404, f"{actor_id!r} names {len(ids)} actors: give one of their ids",
                              actor_views.candidates(con, actor_id, ids))
    found = actor_views.actor_page(con, ids[0]) if ids else actor_views.name_page(con, actor_id)
    if found is None:
        raise HTTPException(404, f"no actor with id, name or alias {actor_id!r}")
    return json_response(found)


@router.get("/network", summary="Actors linked by events: cooperation vs conflict")
def get_network(store: Reader, type: TypeQ = None, since: Since = None, until: Until = None,
                min_count: Annotated[int, Query(ge=1, le=MAX_ROWS, description="Hide edges with fewer events.")] = 1,
                max_nodes: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Most active actors kept.")] = 60,
                ) -> Response:
    """Nodes keyed by actor id (``name``: the canonical name); a side with no actor id is keyed by
    its name (``actor`` null)."""
    flt = queries.EventFilter(types=split_types(type), since=since, until=until)
    return json_response(queries.network(store.con, flt, min_count, max_nodes))
