"""``/stories`` and ``/stories/{story_id}``: documents grouped across outlets."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response

from wirescope.serve.database import Reader
from wirescope.serve.models import Limit, Offset
from wirescope.serve.responses import json_response
from wirescope.stories.assign import get_story, list_stories

router = APIRouter(tags=["stories"])


@router.get("/stories", summary="Stories: documents grouped across outlets")
def stories(store: Reader, limit: Limit = 50, offset: Offset = 0) -> Response:
    items = list_stories(store, limit=limit, offset=offset)
    return json_response({"limit": limit, "offset": offset, "items": items})


@router.get("/stories/{story_id}", summary="One story, outlets side by side")
def story(story_id: str, store: Reader) -> Response:
    found = get_story(store, story_id)
    if found is None:
        raise HTTPException(404, f"no story with id {story_id!r}")
    return json_response(found)
