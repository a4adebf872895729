"""What every endpoint may need besides its reader: the database, the settings ``wirescope serve``
was started with, the API token, and the page worker that runs ``POST /analyze`` off the request path."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from wirescope.runner import PageRunner, close_shared_runner, shared_runner
from wirescope.serve.collecting import CollectorThread
from wirescope.serve.database import Database
from wirescope.settings import Settings

# Analyse requests waiting for the page worker at most; one more gets 503 at once. Each waits in a
# server thread (blocked on a pipe, not on the GIL), so a full queue leaves the pool free for reads.
ANALYSE_QUEUE = 8


@dataclass
class ServeContext:
    database: Database
    settings: Settings
    token: str | None = None  # writes need it when set
    public_analyse: bool = False  # POST /analyze without storing needs no token even when one is set
    analyse_queue: int = ANALYSE_QUEUE
    # The secret of the note of ownership (storage.owner) once `wirescope serve` has written it:
    # CLI commands on the same database go through /internal with it.
    owner_secret: str | None = None
    on_close: list[Callable[[], None]] = field(default_factory=list)  # e.g. remove the note of ownership
    collector: CollectorThread | None = None  # `wirescope serve --collect`
    analyse_slots: threading.BoundedSemaphore = field(init=False)

    def __post_init__(self) -> None:
        self.analyse_slots = threading.BoundedSemaphore(self.analyse_queue)

    def runner(self) -> PageRunner:
        """The page worker (one process; the process's shared runner), started on first use."""
        return shared_runner(1)

    def close(self) -> None:
        """Stop the page worker at shutdown: a page in hand does not hold the server up."""
        if self.collector is not None:  # first: it may be waiting on the page worker
            self.collector.stop()
        close_shared_runner()
        for callback in self.on_close:
            callback()


async def _context(request: Request) -> ServeContext:
    context: ServeContext = request.app.state.context
    return context


Context = Annotated[ServeContext, Depends(_context)]
