"""``wirescope serve --collect``: the feed collector in a thread of the server that owns the database.

The collector (``wirescope.collect``) reaches the database through the server's one connection:
each short read and each batch write takes the write lock and a cursor, so its writes, the API's
``POST /analyze`` with ``store`` and the CLI's ingests through the server (``/internal/load``) are
serialised and none is lost. It analyses pages in the process's page workers, like the API.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from wirescope.collect.options import CollectOptions
from wirescope.serve.database import Database
from wirescope.settings import Settings
from wirescope.storage.store import Store

# Seconds a stopping server waits for the batch in hand (pages are bounded by the page budget).
STOP_WAIT_S = 5.0


@dataclass
class CollectorStatus:
    """What the collector page shows: whether it runs, its rounds and the last one's outcome."""

    running: bool = False
    started_at: str | None = None
    rounds: int = 0
    last_round_at: str | None = None
    last_round: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"running": self.running, "started_at": self.started_at, "rounds": self.rounds,
                "last_round_at": self.last_round_at, "last_round": self.last_round}


class CollectorThread:
    """The collector, run in a daemon thread until ``stop``."""

    def __init__(self, database: Database, settings: Settings, options: CollectOptions | None = None) -> None:
        self.database = database
        # The feeds are the user's choice, as URLs given to the CLI are: private addresses included.
        self.settings = replace(settings, fetch_private_addresses=True)
        self.options = options or CollectOptions()
        self.status = CollectorStatus()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @contextmanager
    def access(self) -> Iterator[Store]:
        with self.database.write_lock:
            view = self.database.view()
            try:
                yield view
            finally:
                view.close()

    def start(self) -> None:
        from wirescope.collect import run_collector  # imports the pipeline: only with --collect

        self.status.running = True
        self.status.started_at = _now()

        def run() -> None:
            try:
                run_collector(self.access, self.settings, self.options, stop=self._stop, on_round=self._record)
            finally:
                self.status.running = False

        self._thread = threading.Thread(target=run, name="wirescope-collector", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(STOP_WAIT_S)

    def _record(self, report: Any) -> None:
        self.status.rounds += 1
        self.status.last_round_at = _now()
        self.status.last_round = {
            "summary": report.summary(), "feeds_polled": report.feeds_polled, "not_modified": report.not_modified,
            "pages_fetched": report.pages_fetched, "stored": report.stored, "duplicates": report.duplicates,
            "failed_feeds": [{"feed": f.feed_id, "url": f.url, "reason": f.reason} for f in report.failed],
            "failed_pages": [{"source": e.source, "kind": e.kind, "reason": e.reason} for e in report.errors],
            "error": report.error,
        }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
