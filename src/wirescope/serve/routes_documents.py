"""``/stats``, ``/documents`` and ``/documents/{doc_id}``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Response

from wirescope.serve.context import Context
from wirescope.serve.database import Reader
from wirescope.serve.models import (
    ActorQ,
    Limit,
    Offset,
    PlaceBoxQ,
    PlaceCountryQ,
    Since,
    TypeQ,
    Until,
    place_filters,
    split_types,
)
from wirescope.serve.responses import json_response
from wirescope.storage import queries
from wirescope.storage.facets import MAX_CSV, DocumentSearch, documents_csv, search_documents

router = APIRouter(tags=["documents"])


@router.get("/stats", summary="Row counts")
def get_stats(store: Reader, context: Context) -> Response:
    return json_response({**queries.stats(store.con), "outlets": queries.outlets(store.con),
                          "read_only": context.database.read_only, "token_required": context.token is not None})


@router.get("/documents", summary="Search documents, with facets")
def documents(store: Reader, q: Annotated[str | None, Query(description="Words in the title or text.")] = None,
              outlet: str | None = None,
              actor: ActorQ = None,
              since: Since = None, until: Until = None, limit: Limit = 50, offset: Offset = 0,
              stored_since: Annotated[datetime | None, Query(description=(
                  "Only documents stored after this time (ISO 8601; UTC when no zone is given): what arrived "
                  "since, e.g. for the web UI's live list."))] = None,
              language: Annotated[str | None, Query(description="Language code (en), any case.")] = None,
              story: Annotated[str | None, Query(description="Only documents of this story (its id).")] = None,
              type: TypeQ = None, country: PlaceCountryQ = None, bbox: PlaceBoxQ = None,
              facets: Annotated[bool, Query(description=(
                  "Also count the matches per outlet, language, event type, actor, story, country and year."
              ))] = True,
              format: Annotated[Literal["json", "csv"], Query(description=(
                  f"csv: every match (at most {MAX_CSV}) as a download."))] = "json") -> Response:
    """Documents matching ``q`` and every filter; ``facets``: per facet, its values with the count
    of documents that match the query and the other filters. ``type``: documents with an event of
    one of these types. ``country``/``bbox``: documents with a resolved place (an entity's place or
    an event's location) in that country / inside that box. A hit of ``q`` has a ``snippet`` and
    ``highlights``: the {start, end} character offsets of the query's words in the snippet."""
    search = DocumentSearch(q, outlet, language, story, actor, split_types(type), since, until, stored_since,
                            *place_filters(country, bbox))
    if format == "csv":
        found = search_documents(store.con, search, MAX_CSV, 0, with_facets=False)
        return Response(documents_csv(found["items"]), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="documents.csv"'})
    return json_response(search_documents(store.con, search, limit, offset, with_facets=facets))


@router.get("/documents/{doc_id}", summary="One document's analysis@1 JSON")
def document(doc_id: str, store: Reader) -> Response:
    """An id or a unique prefix of one."""
    body = store.analysis_json(doc_id)  # encoded when the document was stored: no rebuilding here
    if body is None:
        if queries.count_prefix(store.con, doc_id) > 1:
            raise HTTPException(404, f"id prefix {doc_id!r} matches several documents: give more characters")
        raise HTTPException(404, f"no document with id or id prefix {doc_id!r}")
    return Response(body, media_type="application/json")
