"""The app's one DuckDB connection, and the per-request reader every GET endpoint depends on.

DuckDB refuses to open one file twice in a process with different settings, so the app opens it
once: read-only when asked (other processes may then read the file too), otherwise read-write with
a single writer (a lock) for ``POST /analyze`` with ``store``. Each request reads through its own
cursor of that connection, because a DuckDB connection is not thread-safe and FastAPI runs the
handlers in a thread pool.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from wirescope.storage import queries
from wirescope.storage.store import Store


class Database:
    """The one DuckDB connection of the app and the lock that serialises writes to it."""

    def __init__(self, path: Path, read_only: bool, max_readers: int | None = None) -> None:
        self.path = path
        self.read_only = read_only
        self.store = Store(path, read_only=read_only)  # migrates a writable file on open
        self.write_lock = threading.Lock()
        # Queries beyond one per core only slow each other down (each DuckDB query is itself
        # parallel): measured with 8 clients on 10,000 documents, 2 slots on 2 cores served
        # /documents/{id} at 92 req/s (p95 126 ms) against 46 req/s (p95 257 ms) unlimited.
        self.reader_slots = threading.BoundedSemaphore(max_readers or os.cpu_count() or 2)
        if not read_only:
            self.store.index_documents()
        queries.prepare_lookup(self.store.con)

    def view(self) -> Store:
        """A Store reading through a fresh cursor of the one connection; close it with ``view.close()``."""
        return self.store.cursor()


def _reader(request: Request) -> Iterator[Store]:
    """The request's own view of the database (a cursor), closed when the response is sent."""
    database: Database = request.app.state.database
    with database.reader_slots:
        view = database.view()
        try:
            yield view
        finally:
            view.close()


Reader = Annotated[Store, Depends(_reader)]
