"""What a backfill worker does with one shard: the ``ingest`` pipeline, rows out as Arrow tables.

``analyse_shard`` is a plain function of a shard and the settings (``pipeline.analyze_pages``, one
parse per document, then the Store's row derivation through ``storage.shards.analysis_tables``);
``ShardAnalyzer`` wraps it for a Ray actor, which loads the spaCy model and every resource once,
when it starts, and then analyses shard after shard. Workers read no file and write none: the
pages come from the driver and the tables go back to it, so a cluster needs no shared filesystem.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

import pyarrow as pa

from wirescope.analysis.framing.bias import load_models
from wirescope.analysis.nlp import load_nlp
from wirescope.backfill.plan import ReadFailure, Shard
from wirescope.errors import PageError
from wirescope.pipeline import WARM_UP_PAGE, analyze_pages
from wirescope.records import Analysis, RawPage
from wirescope.settings import Settings
from wirescope.storage.shards import analysis_tables


@dataclass(frozen=True)
class ShardOutput:
    """A shard's rows (``table -> Arrow table``) and what it took."""

    seq: int
    name: str
    tables: dict[str, pa.Table]
    pages: int
    analysed: int  # documents the pipeline produced, copies of one document included
    failures: tuple[ReadFailure, ...]  # the shard's inputs that failed, read or analysis
    seconds: float


def analyse_shard(shard: Shard, settings: Settings) -> ShardOutput:
    """Analyse every page of ``shard`` in this process and derive the rows it adds to a store."""
    started = time.perf_counter()
    inputs: list[RawPage | PageError] = [*shard.pages, *(failure.error() for failure in shard.failures)]
    analyses: list[Analysis] = []
    errors: list[PageError] = []
    for result in analyze_pages(inputs, replace(settings, workers=1)):
        if isinstance(result, PageError):
            errors.append(result)
        else:
            analyses.append(result)
    tables = analysis_tables(analyses, errors)
    failures = tuple(ReadFailure(e.source, e.reason, e.kind) for e in errors)
    return ShardOutput(shard.seq, shard.name, tables, shard.size, len(analyses), failures,
                       time.perf_counter() - started)


def peak_rss_mb() -> float:
    """This process's peak resident memory in MiB (Linux ``VmHWM``; 0.0 where it is not reported)."""
    status = Path("/proc/self/status")
    if not status.exists():
        return 0.0
    for line in status.read_text(encoding="utf-8").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class ShardAnalyzer:
    """The state of one Ray worker: the models, loaded once, and the settings of the run."""

    def __init__(self, settings: Settings) -> None:
        started = time.perf_counter()
        self.settings = replace(settings, workers=1)
        if self.settings.page_timeout_s <= 0:  # the pages are analysed in this process: load here
            load_nlp()
            if self.settings.contextual_bias:
                load_models()
        # With a page budget the pages go to this actor's page worker process (wirescope.runner),
        # which loads the models; the warm-up starts it.
        list(analyze_pages([RawPage("<warm-up>", WARM_UP_PAGE, content_type="text")], self.settings))
        self.start_seconds = time.perf_counter() - started

    def ready(self) -> float:
        """Seconds the worker took to load its models."""
        return self.start_seconds

    def analyse(self, shard: Shard) -> ShardOutput:
        return analyse_shard(shard, self.settings)

    def peak_rss_mb(self) -> float:
        return peak_rss_mb()
