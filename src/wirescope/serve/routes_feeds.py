"""The feeds the server follows and its collector: ``GET /feeds``, ``GET /collector`` (for the web
UI's collector page), and ``POST /feeds`` / ``DELETE /feeds/{feed}`` to follow or drop one (writes:
the API token, or the secret of the note of ownership that `wirescope feeds` uses through the server)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field

from wirescope.serve.context import Context, ServeContext
from wirescope.serve.database import Reader
from wirescope.serve.guards import has_owner_secret, require_write
from wirescope.serve.responses import json_response
from wirescope.storage import feeds as db

router = APIRouter(tags=["collector"])
DEFAULT_EVERY_S = 900.0
KINDS = ("feed", "sitemap")


class FeedRequest(BaseModel):
    url: str = Field(max_length=2048)
    outlet: str | None = Field(default=None, max_length=200)
    kind: str | None = None  # feed | sitemap; None: told from the document on the first poll
    every_s: float = Field(default=DEFAULT_EVERY_S, ge=1, le=7 * 24 * 3600)


def _feeds(store_con: Any) -> list[dict[str, Any]]:
    return [feed.to_dict() for feed in db.list_feeds(store_con)]


@router.get("/feeds", summary="The feeds and news sitemaps followed")
def list_feeds(store: Reader) -> Response:
    return json_response({"items": _feeds(store.con)})


@router.get("/collector", summary="The collector: running or not, its last round, the feeds")
def collector(store: Reader, context: Context) -> Response:
    status = context.collector.status.to_dict() if context.collector is not None else {"running": False}
    return json_response({**status, "collecting": context.collector is not None, "feeds": _feeds(store.con),
                          "urls": db.collected_counts(store.con)})


def _require_feed_write(request: Request, context: ServeContext) -> None:
    """The API's write rule, or the owner's secret (a `wirescope feeds` command going through)."""
    if has_owner_secret(request, context.owner_secret):
        return
    require_write(request, context.token)
    if context.database.read_only:
        raise HTTPException(403, "the database is open read-only")


@router.post("/feeds", summary="Follow a feed or news sitemap")
def add_feed(request: Request, body: FeedRequest, context: Context) -> Response:
    from wirescope.collect.urls import normalise_url  # courlan: loaded on first use

    _require_feed_write(request, context)
    url = normalise_url(body.url)
    if url is None:
        raise HTTPException(422, f"not an http:// or https:// URL with a host: {body.url!r}")
    if body.kind is not None and body.kind not in KINDS:
        raise HTTPException(422, f"kind is one of {', '.join(KINDS)}, or absent")
    with context.database.write_lock:
        writer = context.database.view()
        try:
            feed = db.add_feed(writer.con, url, body.outlet, body.kind, body.every_s, db.utc_now())
        except db.FeedExists as error:
            raise HTTPException(409, str(error)) from error
        finally:
            writer.close()
    return json_response(feed.to_dict(), 201)


@router.delete("/feeds/{feed}", summary="Stop following a feed (by id or URL)")
def remove_feed(request: Request, feed: str, context: Context) -> Response:
    _require_feed_write(request, context)
    with context.database.write_lock:
        writer = context.database.view()
        try:
            found = db.find_feed(writer.con, feed)
            if found is None:
                raise HTTPException(404, f"no feed {feed!r}")
            db.remove_feed(writer.con, found.id)
        finally:
            writer.close()
    return json_response(found.to_dict())
