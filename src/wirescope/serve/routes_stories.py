"""``/stories`` and ``/stories/{story_id}``: documents grouped across outlets."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Response

from wirescope.serve.database import Reader
from wirescope.serve.models import Limit, Offset
from wirescope.serve.responses import ListFormat, csv_download, json_response
from wirescope.storage.facets import MAX_CSV
from wirescope.stories.assign import get_story, list_stories

router = APIRouter(tags=["stories"])

STORY_COLUMNS = ("id", "headline", "first_seen", "last_seen", "outlets", "documents", "key_actors")


def story_row(story: dict[str, Any]) -> dict[str, Any]:
    """A story as a CSV row: its document ids and key actors' names."""
    return {**story, "documents": [d["id"] for d in story.get("documents") or []],
            "key_actors": [a["name"] for a in story.get("key_actors") or []]}


@router.get("/stories", summary="Stories: documents grouped across outlets")
def stories(store: Reader, limit: Limit = 50, offset: Offset = 0, format: ListFormat = "json") -> Response:
    if format == "csv":
        return csv_download(map(story_row, list_stories(store, limit=MAX_CSV, offset=0)), STORY_COLUMNS,
                            "stories.csv")
    items = list_stories(store, limit=limit, offset=offset)
    return json_response({"limit": limit, "offset": offset, "items": items})


@router.get("/stories/{story_id}", summary="One story, outlets side by side")
def story(story_id: str, store: Reader) -> Response:
    found = get_story(store, story_id)
    if found is None:
        raise HTTPException(404, f"no story with id {story_id!r}")
    return json_response(found)
