"""Analysts' corrections of the actor register: ``POST /actors/{actor_id}/merge``, ``/split``,
``/rename`` and ``/recode``.

Each is a write: it needs the API token when one is set (off loopback, always; see
``guards.require_write``) and a database open read-write. The register (``storage.actors``) stores
the correction and applies it to the documents already stored; the answer is the actor as the next
``GET /actors/{actor_id}`` shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field, StringConstraints, model_validator

from wirescope.errors import StoreError
from wirescope.serve.context import Context, ServeContext
from wirescope.serve.guards import require_write
from wirescope.serve.responses import json_response
from wirescope.storage import actor_views
from wirescope.storage import actors as register
from wirescope.storage.store import Store

router = APIRouter(tags=["actors"])

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
# CAMEO-style actor codes: letters, digits and "-" (no country: "---LAB"), stored in capitals.
Code = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z0-9-]{3,30}$")]


class MergeRequest(BaseModel):
    other: Text = Field(description="The id of the actor merged into this one; it ceases to exist.")


class SplitRequest(BaseModel):
    alias: Text = Field(description="An alias of this actor, as written, that names someone else.")
    name: Text = Field(description="The canonical name of the new actor that takes the alias.")


class RenameRequest(BaseModel):
    name: Text = Field(description="The actor's new canonical name.")


class RecodeRequest(BaseModel):
    code: Code = Field(description="CAMEO/PLOVER actor code, e.g. USAGOV.")
    start: date | None = Field(None, description="First day the code holds (YYYY-MM-DD); none: from the start.")
    end: date | None = Field(None, description="Last day the code holds, inclusive; none: open-ended.")

    @model_validator(mode="after")
    def start_before_end(self) -> RecodeRequest:
        if self.start and self.end and self.start > self.end:
            raise ValueError("start is after end")
        return self


def is_actor(con: duckdb.DuckDBPyConnection, actor_id: str) -> bool:
    # resolve_actors answers an existing actor id with itself.
    return register.resolve_actors(con, actor_id)[:1] == [actor_id]


def apply_correction(request: Request, context: ServeContext, actor_ids: tuple[str, ...],
                     change: Callable[[Store], Any]) -> Any:
    """``change``'s answer, run on the writer once the write guard passed and every one of
    ``actor_ids`` exists (404 otherwise); the register's refusal of a correction is a 422."""
    require_write(request, context.token)
    database = context.database
    if database.read_only:
        raise HTTPException(403, "the database is open read-only: corrections are disabled")
    with database.write_lock:
        writer = database.view()
        try:
            for actor_id in actor_ids:
                if not is_actor(writer.con, actor_id):
                    raise HTTPException(404, f"no actor with id {actor_id!r}")
            try:
                return change(writer)
            except StoreError as error:
                raise HTTPException(422, str(error)) from error
        finally:
            writer.close()


def actor_answer(context: ServeContext, actor_id: str, status: int = 200) -> Response:
    """The actor as ``GET /actors/{actor_id}`` shows it now."""
    reader = context.database.view()
    try:
        return json_response(actor_views.actor_page(reader.con, actor_id), status)
    finally:
        reader.close()


@router.post("/actors/{actor_id}/merge", summary="Merge another actor into this one")
def merge(actor_id: str, body: MergeRequest, request: Request, context: Context) -> Response:
    """Every mention of ``other`` (with its events and quotes) moves to ``actor_id``, in the documents
    stored now and later; ``other`` ceases to exist. The answer is the actor kept."""
    apply_correction(request, context, (actor_id, body.other),
                     lambda store: register.merge_actors(store, actor_id, body.other))
    return actor_answer(context, actor_id)


@router.post("/actors/{actor_id}/split", summary="Split an alias off into a new actor", status_code=201)
def split(actor_id: str, body: SplitRequest, request: Request, context: Context) -> Response:
    """The mentions written as ``alias`` leave this actor for the one named ``name`` (a new actor,
    or the existing one with that name's id); the answer is that actor."""
    new_id: str = apply_correction(request, context, (actor_id,),
                                   lambda store: register.split_actor(store, actor_id, body.alias, body.name))
    return actor_answer(context, new_id, 201)


@router.post("/actors/{actor_id}/rename", summary="Give the actor a new canonical name")
def rename(actor_id: str, body: RenameRequest, request: Request, context: Context) -> Response:
    apply_correction(request, context, (actor_id,), lambda store: register.rename_actor(store, actor_id, body.name))
    return actor_answer(context, actor_id)


@router.post("/actors/{actor_id}/recode", summary="Set the actor's code for a date range")
def recode(actor_id: str, body: RecodeRequest, request: Request, context: Context) -> Response:
    start, end = (d.isoformat() if d else None for d in (body.start, body.end))
    apply_correction(request, context, (actor_id,),
                     lambda store: register.recode_actor(store, actor_id, body.code, start, end))
    return actor_answer(context, actor_id)
