"""A database held by a running server, used through it (``storage.owner`` says why).

``RemoteConnection`` stands in for a DuckDB connection under a ``Store``: the storage functions run
their SELECT statements unchanged, the server runs them on its connection and answers in Arrow (an
exact copy of the result's types, and no code in it to run). ``send_batch`` stores a batch the CLI
analysed: its rows as Parquet shards (``storage.shards``, as a backfill writes them) in a folder
the server reads, loaded by the server in one transaction and grouped into stories there.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import pyarrow as pa

from wirescope.errors import PageError, StoreError
from wirescope.records import Analysis
from wirescope.storage.owner import Owner, is_lock_error, locking_pid, read_owner
from wirescope.storage.shards import analysis_tables, write_shard
from wirescope.storage.store import BatchResult, Store

SECRET_HEADER = "X-Wirescope-Secret"
ARROW_STREAM = "application/vnd.apache.arrow.stream"
# A query through the server waits at most this long (a large export reads every table).
QUERY_TIMEOUT_S = 600.0


def encode_params(params: Any) -> Any:
    """Query parameters as JSON: dates and times tagged so the server passes them on as such."""
    if isinstance(params, dict):
        return {key: encode_params(value) for key, value in params.items()}
    if isinstance(params, list | tuple):
        return [encode_params(value) for value in params]
    if isinstance(params, dt.datetime):
        return {"$datetime": params.isoformat()}
    if isinstance(params, dt.date):
        return {"$date": params.isoformat()}
    return params


def decode_params(params: Any) -> Any:
    if isinstance(params, dict):
        if set(params) == {"$datetime"}:
            return dt.datetime.fromisoformat(params["$datetime"])
        if set(params) == {"$date"}:
            return dt.date.fromisoformat(params["$date"])
        return {key: decode_params(value) for key, value in params.items()}
    if isinstance(params, list):
        return [decode_params(value) for value in params]
    return params


def table_to_stream(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue())


class RemoteResult:
    """The answer to one statement, read like a DuckDB result."""

    def __init__(self, table: pa.Table) -> None:
        self.table = table
        self.description = [(name, None, None, None, None, None, None) for name in table.column_names]
        columns = [column.to_pylist() for column in table.columns]
        self._rows = list(zip(*columns)) if columns else []
        self._next = 0

    def fetchall(self) -> list[tuple[Any, ...]]:
        rows, self._next = self._rows[self._next :], len(self._rows)
        return rows

    def fetchone(self) -> tuple[Any, ...] | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def to_arrow_table(self) -> pa.Table:
        return self.table


class RemoteConnection:
    """SELECT statements run by the server that owns the database file."""

    def __init__(self, owner: Owner) -> None:
        self.owner = owner
        self._client = httpx.Client(base_url=owner.url, headers={SECRET_HEADER: owner.secret}, timeout=QUERY_TIMEOUT_S)

    def execute(self, sql: str, params: Any = None) -> RemoteResult:
        answer = self._post("/internal/query", {"sql": sql, "params": encode_params(params)})
        with pa.ipc.open_stream(answer.content) as reader:
            return RemoteResult(reader.read_all())

    def sql(self, sql: str) -> RemoteResult:
        return self.execute(sql)

    def cursor(self) -> RemoteConnection:
        return self

    def close(self) -> None:
        self._client.close()

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """A route of the server's REST API with the owner's secret; its JSON answer."""
        return self._post(path, body, method).json()

    def _post(self, path: str, body: dict[str, Any] | None, method: str = "POST") -> httpx.Response:
        try:
            answer = self._client.request(method, path, json=body)
        except httpx.TransportError as error:
            raise StoreError(f"the server holding the database ({self.owner.url}) did not answer: {error}") from error
        if answer.status_code not in (200, 201):
            try:
                reason = answer.json().get("error", answer.text)
            except ValueError:
                reason = answer.text
            raise StoreError(f"the server holding the database ({self.owner.url}) refused: {reason}")
        return answer


def send_batch(connection: RemoteConnection, analyses: Sequence[Analysis], errors: Sequence[PageError]
               ) -> BatchResult:
    """Store a batch through the server: its rows as Parquet shards in a temporary folder of this
    machine (the server's: the note of ownership lies beside the database), loaded by the server."""
    if not analyses and not errors:
        return BatchResult(stored=0, replaced=0, errors=0)
    with tempfile.TemporaryDirectory(prefix="wirescope-batch-") as folder:
        files = write_shard(analysis_tables(analyses, errors), Path(folder), "batch")
        paths = {table: [str(Path(folder) / path)] for table, path in files.items()}
        counts = connection._post("/internal/load", {"files": paths}).json()
    return BatchResult(stored=int(counts["loaded"]), replaced=0, errors=int(counts["errors"]),
                       grouped=int(counts["grouped"]))


def is_remote(store: Store) -> bool:
    """Whether ``store`` reads and writes through the server that owns its file."""
    return isinstance(store.con, RemoteConnection)


def open_store(db: str | Path, read_only: bool = True, through_server: bool = True) -> Store:
    """The database ``db``: opened here, or, when a running ``wirescope serve`` holds it, through
    that server (``through_server``: for reads, and for batches stored with ``send_batch``).

    Raises StoreError with what to do when the file is held and cannot be used through its holder.
    """
    try:
        return Store(db, read_only=read_only)
    except StoreError as error:
        if not is_lock_error(str(error)):
            raise
        owner = read_owner(db)
        if owner is None:
            pid = locking_pid(str(error))
            held_by = f"another process (PID {pid})" if pid else "another process"
            raise StoreError(f"{db}: in use by {held_by}: DuckDB lets one process use a database file at a time. "
                             "Wait for it to finish, or run `wirescope serve --db` on the file: while a server "
                             "runs, the other commands go through it.") from error
        if not through_server:
            raise StoreError(f"{db}: held by the running `wirescope serve` (PID {owner.pid}, {owner.url}); this "
                             "command cannot go through it: stop the server first, or use the web UI or the "
                             "REST API.") from error
        return Store(db, connection=RemoteConnection(owner))  # type: ignore[arg-type]
