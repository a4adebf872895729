"""Ingest: read sources, analyse every page, store the results batch by batch.

Each batch (``settings.batch_size`` results) is one transaction, so an interrupted run loses at
most the batch in flight, and a re-run skips what is stored (by document id, before parsing).

Each batch goes in through ``wirescope.stories.intake.store_analyses``, as for ``wirescope analyze
--db`` and the API: written, grouped into stories, the API's lookup refreshed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from wirescope.errors import PageError, StoreError
from wirescope.io.readers import iter_pages
from wirescope.records import STATUS_NOT_ANALYSED, Analysis
from wirescope.runner import analyze_pages
from wirescope.settings import Settings
from wirescope.storage.outlet_places import outlet_countries
from wirescope.storage.remote import is_remote, open_store
from wirescope.stories.assign import StoryAssigner
from wirescope.stories.intake import store_analyses


@dataclass
class IngestReport:
    stored: int = 0
    replaced: int = 0
    skipped: int = 0  # already in the store
    not_analysed: int = 0  # stored with a reason (e.g. another language)
    grouped: int = 0  # documents put into a story (wirescope.stories.assign)
    failed: list[PageError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def ingest(
    sources: Iterable[str],
    db: str | Path,
    settings: Settings,
    on_result: Callable[[Analysis | PageError], None] | None = None,
) -> IngestReport:
    """Read, analyse and store every page of ``sources`` into the DuckDB file ``db``."""
    report = IngestReport()
    # While a `wirescope serve` holds the file, the pages are analysed here and stored through it.
    with open_store(db, read_only=False) as store:
        if settings.reanalyse and is_remote(store):
            raise StoreError(f"{db}: --reanalyse cannot go through the running server that holds the database; "
                             "stop it first, or post the pages to its POST /analyze with store")
        seen = set() if settings.reanalyse else store.known_ids()
        if not is_remote(store):  # each outlet's home country, from what it has stored so far
            settings = replace(settings, outlet_countries=outlet_countries(store.con))

        def already_stored(doc_id: str) -> bool:
            if doc_id in seen:
                report.skipped += 1
                return True
            seen.add(doc_id)
            return False

        analyses: list[Analysis] = []
        errors: list[PageError] = []
        stories = None if is_remote(store) else StoryAssigner(store, settings.stories)

        def flush() -> None:
            result = store_analyses(store, analyses, errors, settings, stories)
            report.stored += result.stored
            report.replaced += result.replaced
            report.grouped += result.grouped
            analyses.clear()
            errors.clear()

        for result in analyze_pages(iter_pages(sources, settings), settings, skip=already_stored):
            if isinstance(result, PageError):
                errors.append(result)
                report.failed.append(result)
            else:
                analyses.append(result)
                if result.document.status == STATUS_NOT_ANALYSED:
                    report.not_analysed += 1
            if on_result is not None:
                on_result(result)
            if len(analyses) + len(errors) >= settings.batch_size:
                flush()
        flush()
        # Documents a crashed run or an older version stored without a story get one now.
        if stories is not None:
            report.grouped += len(stories.assign())
    return report
