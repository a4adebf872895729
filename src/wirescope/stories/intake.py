"""Analyses into the store: the one path by which pages enter a database.

``wirescope ingest`` (batch by batch), ``wirescope analyze --db`` and the API's ``POST /analyze``
with ``store`` all call ``store_analyses``: write the batch, put its documents into stories, and
bring the API's event lookup up to date.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import duckdb

from wirescope.errors import PageError
from wirescope.records import Analysis
from wirescope.settings import Settings
from wirescope.storage.queries import refresh_lookup
from wirescope.storage.remote import is_remote, send_batch
from wirescope.storage.store import BatchResult, Store
from wirescope.stories.assign import StoryAssigner


def store_analyses(store: Store, analyses: Sequence[Analysis], errors: Sequence[PageError],
                   settings: Settings, stories: StoryAssigner | None = None,
                   within: Callable[[duckdb.DuckDBPyConnection], None] | None = None) -> BatchResult:
    """Write a batch (one transaction; stored documents are replaced only with
    ``settings.reanalyse``), put its documents into stories, and refresh the event lookup when the
    connection has one (the API's). ``stories``: an assigner kept across the batches of one run
    (ingest), so that the stories it loaded stay loaded. ``within``: written in the batch's
    transaction (``Store.write_batch``); the collector's record of the URLs collected."""
    if is_remote(store):  # the file is held by a running server: it stores and groups the batch
        if within is not None:
            raise ValueError("a write within the batch's transaction needs the database itself, not a server's")
        return send_batch(store.con, analyses, errors)  # type: ignore[arg-type]
    result = store.write_batch(analyses, errors, reanalyse=settings.reanalyse, within=within)
    ids = [a.document.id for a in analyses]
    if result.stored or result.replaced:
        refresh_lookup(store.con, ids)
    grouped = 0
    if analyses:  # documents already in a story keep it
        grouped = len((stories or StoryAssigner(store, settings.stories)).assign(ids))
    return replace(result, grouped=grouped)
