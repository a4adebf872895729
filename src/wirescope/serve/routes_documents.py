"""``/stats``, ``/documents`` and ``/documents/{doc_id}``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response

from wirescope.serve.context import Context
from wirescope.serve.database import Reader
from wirescope.serve.models import Limit, Offset, Since, Until
from wirescope.serve.responses import json_response
from wirescope.storage import queries

router = APIRouter(tags=["documents"])


@router.get("/stats", summary="Row counts")
def get_stats(store: Reader, context: Context) -> Response:
    return json_response({**queries.stats(store.con), "outlets": queries.outlets(store.con),
                          "read_only": context.database.read_only, "token_required": context.token is not None})


@router.get("/documents", summary="Search documents")
def documents(store: Reader, q: Annotated[str | None, Query(description="Words in the title or text.")] = None,
              outlet: str | None = None,
              actor: Annotated[str | None, Query(description="An entity name or actor code in the document.")] = None,
              since: Since = None, until: Until = None, limit: Limit = 50, offset: Offset = 0,
              stored_since: Annotated[datetime | None, Query(description=(
                  "Only documents stored after this time (ISO 8601; UTC when no zone is given): what arrived "
                  "since, e.g. for the web UI's live list."))] = None) -> Response:
    return json_response(queries.search_documents(store.con, q, outlet, actor, since, until, limit, offset,
                                                  stored_since))


@router.get("/documents/{doc_id}", summary="One document's analysis@1 JSON")
def document(doc_id: str, store: Reader) -> Response:
    """An id or a unique prefix of one."""
    analysis = store.get_analysis(doc_id)
    if analysis is None:
        if queries.count_prefix(store.con, doc_id) > 1:
            raise HTTPException(404, f"id prefix {doc_id!r} matches several documents: give more characters")
        raise HTTPException(404, f"no document with id or id prefix {doc_id!r}")
    return json_response(analysis.to_dict())
