"""The way in for CLI commands on the database this server owns (``storage.owner``): SELECT
statements answered in Arrow, and batches the CLI analysed loaded from Parquet shards.

Only a caller holding the secret of the note of ownership gets in (the database's user); without a
note (a server started from Python, or a read-only one: other processes may read that file
themselves) these routes answer 404.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel

from wirescope.serve.context import Context, ServeContext
from wirescope.serve.guards import has_owner_secret
from wirescope.storage.queries import refresh_lookup
from wirescope.storage.remote import ARROW_STREAM, decode_params, table_to_stream
from wirescope.storage.shards import load_shards
from wirescope.stories.assign import StoryAssigner

router = APIRouter(prefix="/internal", include_in_schema=False)


class QueryRequest(BaseModel):
    sql: str
    params: Any = None


class LoadRequest(BaseModel):
    files: dict[str, list[str]]


def _require_owner_secret(request: Request, context: ServeContext) -> None:
    if context.owner_secret is None:
        raise HTTPException(404, f"no such endpoint: {request.method} {request.url.path}")
    if not has_owner_secret(request, context.owner_secret):
        raise HTTPException(403, "wrong or missing secret of the database's owner")


@router.post("/query")
def query(request: Request, body: QueryRequest, context: Context) -> Response:
    """One SELECT statement on the server's connection, its result as an Arrow stream."""
    _require_owner_secret(request, context)
    database = context.database
    view = database.view()
    try:
        statements = view.con.extract_statements(body.sql)
        if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
            raise HTTPException(422, "only one SELECT statement goes through the server")
        with database.reader_slots:
            table = view.con.sql(body.sql, params=decode_params(body.params)).to_arrow_table()
    except duckdb.Error as error:
        raise HTTPException(422, f"query failed: {error}") from error
    finally:
        view.close()
    return Response(table_to_stream(table), media_type=ARROW_STREAM)


@router.post("/load")
def load(request: Request, body: LoadRequest, context: Context) -> dict[str, int]:
    """Store a batch a CLI command analysed (its Parquet shard), group its documents into stories."""
    _require_owner_secret(request, context)
    database = context.database
    if database.read_only:
        raise HTTPException(403, "the database is open read-only: storing is disabled")
    files = {table: [Path(p) for p in paths] for table, paths in body.files.items()}
    with database.write_lock:
        writer = database.view()
        try:
            result = load_shards(writer, files)
            if result.loaded:
                refresh_lookup(writer.con, result.loaded)
            grouped = len(StoryAssigner(writer, context.settings.stories).assign(result.loaded)) if result.loaded else 0
        finally:
            writer.close()
    return {"loaded": len(result.loaded), "already_stored": result.already_stored, "errors": result.errors,
            "grouped": grouped}
