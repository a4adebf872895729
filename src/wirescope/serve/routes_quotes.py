"""``/quotes``: who said what."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from wirescope.serve.database import Reader
from wirescope.serve.models import Limit, Offset
from wirescope.serve.responses import json_response
from wirescope.storage import queries

router = APIRouter(tags=["quotes"])


@router.get("/quotes", summary="Who said what")
def quotes(store: Reader,
           speaker: Annotated[str | None, Query(description="Part of the speaker's name or text (any case).")] = None,
           doc: Annotated[str | None, Query(description="Only this document's quotes (full id).")] = None,
           limit: Limit = 50, offset: Offset = 0) -> Response:
    return json_response(queries.list_quotes(store.con, speaker, doc, limit, offset))
