"""The app's one DuckDB connection, and the per-request reader every GET endpoint depends on.

DuckDB refuses to open one file twice in a process with different settings, so the app opens it
once: read-only when asked (other processes may then read the file too), otherwise read-write with
a single writer (a lock) for ``POST /analyze`` with ``store``. Each request reads through its own
cursor of that connection, because a DuckDB connection is not thread-safe and FastAPI runs the
handlers in a thread pool.

Every write of the app holds ``Database.write_lock`` (and nothing else writes the file while the app
has it open: DuckDB locks it). The lock counts the writes, so a read endpoint may keep its encoded
answers (``Database.answers``) for as long as no write was made since.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Annotated

from fastapi import Depends, Request

from wirescope.storage import queries
from wirescope.storage.store import Store


class WriteLock:
    """The lock every write of the app holds (``with database.write_lock:``); ``generation`` grows by
    one each time a writer lets go of it, after its commit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.generation = 0

    def __enter__(self) -> WriteLock:
        self._lock.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.generation += 1
        self._lock.release()


class AnswerCache:
    """The encoded answers of read endpoints, by request, as of one write generation: a write
    empties it. The ``size`` most recently used are kept.

    Hand-written (an ordered dict): a cache that must drop everything at a write, not after a time,
    is a few lines over one, and the app then needs no other dependency for it.
    """

    def __init__(self, write_lock: WriteLock, size: int = 128) -> None:
        self.write_lock = write_lock
        self.size = size
        self._lock = threading.Lock()
        self._generation = write_lock.generation
        self._answers: OrderedDict[Hashable, str] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], str]) -> str:
        """The answer kept for ``key``, else ``make()``'s, kept unless a write came meanwhile."""
        # Read before the query: an answer made while a write commits is kept under the generation
        # before it, which the writer's release ends.
        generation = self.write_lock.generation
        with self._lock:
            if generation == self._generation and key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        answer = make()
        with self._lock:
            if generation > self._generation:
                self._answers.clear()
                self._generation = generation
            if generation == self._generation:
                self._answers[key] = answer
                while len(self._answers) > self.size:
                    self._answers.popitem(last=False)
        return answer


class Database:
    """The one DuckDB connection of the app and the lock that serialises writes to it."""

    def __init__(self, path: Path, read_only: bool, max_readers: int | None = None) -> None:
        self.path = path
        self.read_only = read_only
        self.store = Store(path, read_only=read_only)  # migrates a writable file on open
        self.write_lock = WriteLock()
        self.answers = AnswerCache(self.write_lock)
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
