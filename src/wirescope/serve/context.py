"""What every endpoint may need besides its reader: the database, the settings ``wirescope serve``
was started with, the API token and the lock around the (not thread-safe) spaCy pipeline."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from wirescope.serve.database import Database
from wirescope.settings import Settings


@dataclass
class ServeContext:
    database: Database
    settings: Settings
    token: str | None = None  # writes need it when set
    analysis_lock: threading.Lock = field(default_factory=threading.Lock)  # one spaCy parse at a time


async def _context(request: Request) -> ServeContext:
    context: ServeContext = request.app.state.context
    return context


Context = Annotated[ServeContext, Depends(_context)]
