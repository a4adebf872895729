"""The backfill driver: sources in, Parquet shards of the store's tables and a manifest out, on Ray.

    iter_pages --iter_shards--> Shard --(Ray actor pool: ShardAnalyzer.analyse)--> ShardOutput
               --commit, in input order--> OUT/TABLE/part-NAME.parquet + OUT/manifest.json

The driver reads the inputs, hands shards to a pool of Ray actors (``ray.util.ActorPool``; each
actor loads the models once) and commits what comes back in input order: the shard's documents
that an earlier shard already wrote are dropped (so no document id is in two shards, and the
first copy in input order is kept, as in ``ingest``), its files are written under temporary names
and renamed into place, and only then is the shard added to the manifest. A re-run reads the same
inputs, skips the shards the manifest has and redoes the others; the files a killed run left
outside the manifest (half-written, or renamed into place before the manifest entry) are deleted
first, and such a shard is written again, whole.

Ray is started on this machine (``address=None``: ``num_cpus`` = the workers, no dashboard) or
joined (``auto``, ``ray://HOST:PORT``), and shut down at the end.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wirescope.backfill.manifest import Manifest, ShardEntry, open_manifest, write_manifest
from wirescope.backfill.plan import ReadFailure, Shard, iter_shards
from wirescope.backfill.worker import ShardAnalyzer, ShardOutput
from wirescope.io.readers import iter_pages
from wirescope.settings import Settings
from wirescope.storage.shards import (
    document_ids,
    read_document_ids,
    remove_uncommitted,
    without_documents,
    write_shard,
)
from wirescope.storage.store import SCHEMA_VERSION

DEFAULT_SHARD_SIZE = 256  # pages per shard: a few tens of seconds of one worker's time on news pages
IN_FLIGHT_PER_WORKER = 3  # shards handed out (running, queued or waiting to commit) per worker


@dataclass
class BackfillReport:
    out_dir: Path
    shards_written: int = 0  # committed by this run
    shards_skipped: int = 0  # committed by an earlier run (in the manifest)
    pages: int = 0  # inputs analysed by this run, failed ones included
    documents: int = 0  # documents written by this run
    duplicates: int = 0  # copies of a document already written (earlier in its shard, or by an earlier shard)
    failed: list[ReadFailure] = field(default_factory=list)
    ray_start_s: float = 0.0  # ray.init
    workers_start_s: float = 0.0  # until every worker had loaded its models
    worker_peak_rss_mb: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


def run_settings(settings: Settings, shard_size: int) -> dict[str, Any]:
    """The settings that shape a backfill's output: a re-run into the same folder must match them."""
    return {"shard_size": shard_size, "contextual_bias": settings.contextual_bias,
            "languages": list(settings.languages)}


@contextmanager
def ray_session(address: str | None, workers: int) -> Iterator[float]:
    """Ray for the length of the ``with`` block; yields the seconds ``ray.init`` took.

    ``address=None`` starts a new local Ray (``address="local"``: never an unrelated running one)
    with ``num_cpus=workers``, no dashboard, on 127.0.0.1 and without Ray's usage statistics (unless
    ``RAY_USAGE_STATS_ENABLED`` says otherwise): a local backfill talks to no other machine. Otherwise
    it joins the cluster at ``address``. A Ray this process has already started (a notebook's, a
    test fixture's) is used as it is and left running.
    """
    import ray

    if ray.is_initialized():
        yield 0.0
        return
    started = time.perf_counter()
    if address is None:
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        ray.init(address="local", num_cpus=workers, include_dashboard=False, log_to_driver=False,
                 logging_level=logging.WARNING, _node_ip_address="127.0.0.1")
    else:
        ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
    try:
        yield time.perf_counter() - started
    finally:
        ray.shutdown()


class _Committer:
    """Commits shard outputs in input order: drop known documents, write files, then the manifest."""

    def __init__(self, out_dir: Path, manifest: Manifest, report: BackfillReport,
                 on_shard: Callable[[ShardEntry], None] | None) -> None:
        self.out_dir, self.manifest, self.report, self.on_shard = out_dir, manifest, report, on_shard
        self.written = read_document_ids([out_dir / s.files["documents"] for s in manifest.shards])
        self.order: list[Shard] = []  # handed out, not committed yet, in input order (pages dropped)
        self.arrived: dict[int, ShardOutput] = {}

    @property
    def outstanding(self) -> int:
        return len(self.order)

    def expect(self, shard: Shard) -> None:
        self.order.append(Shard(shard.seq, shard.name, (), (), shard.first_source, shard.last_source))

    def arrive(self, output: ShardOutput) -> None:
        """Keep ``output`` and commit every output now at the head of the input order."""
        self.arrived[output.seq] = output
        while self.order and self.order[0].seq in self.arrived:
            shard = self.order.pop(0)
            self._commit(shard, self.arrived.pop(shard.seq))

    def _commit(self, shard: Shard, output: ShardOutput) -> None:
        tables = without_documents(output.tables, self.written)
        ids = document_ids(tables)
        files = write_shard(tables, self.out_dir, shard.name)
        entry = ShardEntry(name=shard.name, seq=shard.seq, first_source=shard.first_source,
                           last_source=shard.last_source, pages=output.pages, documents=len(ids),
                           duplicates=output.analysed - len(ids), errors=len(output.failures), files=files)
        self.manifest.shards.append(entry)
        write_manifest(self.out_dir, self.manifest)
        self.written.update(ids)
        self.report.shards_written += 1
        self.report.pages += output.pages
        self.report.documents += entry.documents
        self.report.duplicates += entry.duplicates
        self.report.failed.extend(output.failures)
        if self.on_shard is not None:
            self.on_shard(entry)


class _Workers:
    """The Ray actors of a run, started when the first shard needs them (a re-run with nothing left
    to do loads no model)."""

    def __init__(self, count: int, settings: Settings, report: BackfillReport) -> None:
        self.count, self.settings, self.report = count, settings, report
        self.actors: list[Any] = []

    def start(self) -> list[Any]:
        import ray

        if not self.actors:
            started = time.perf_counter()
            remote = ray.remote(num_cpus=1)(ShardAnalyzer)
            self.actors = [remote.remote(self.settings) for _ in range(self.count)]
            ray.get([actor.ready.remote() for actor in self.actors])
            self.report.workers_start_s = time.perf_counter() - started
        return self.actors

    def peak_rss_mb(self) -> list[float]:
        import ray

        return [float(mb) for mb in ray.get([actor.peak_rss_mb.remote() for actor in self.actors])]

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        """End the actors, also when the run fails: on a Ray that stays up (a cluster, a notebook's)
        they would otherwise hold their CPUs as long as anything refers to them."""
        import ray

        for actor in self.actors:
            ray.kill(actor)
        self.actors = []


def _analyse_all(shards: Iterable[Shard], workers: _Workers, committer: _Committer) -> None:
    """Every shard through an actor pool, at most ``IN_FLIGHT_PER_WORKER`` per worker handed out."""
    from ray.util.actor_pool import ActorPool

    pool: ActorPool | None = None
    limit = IN_FLIGHT_PER_WORKER * workers.count
    for shard in shards:
        pool = pool or ActorPool(workers.start())
        while committer.outstanding >= limit:
            committer.arrive(pool.get_next_unordered())
        committer.expect(shard)
        pool.submit(lambda actor, s: actor.analyse.remote(s), shard)
    while pool is not None and committer.outstanding:
        committer.arrive(pool.get_next_unordered())


def backfill(sources: Iterable[str], out_dir: str | Path, settings: Settings, *, address: str | None = None,
             shard_size: int = DEFAULT_SHARD_SIZE,
             on_shard: Callable[[ShardEntry], None] | None = None) -> BackfillReport:
    """Analyse every page of ``sources`` on ``settings.workers`` Ray workers into Parquet shards in ``out_dir``.

    Shards already in ``out_dir``'s manifest are skipped (read, not analysed); a folder written
    with another shard size or bias setting is refused (``ManifestMismatch``).
    """
    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    manifest = open_manifest(out, run_settings(settings, shard_size), SCHEMA_VERSION)
    remove_uncommitted(out, [path for s in manifest.shards for path in s.files.values()])
    report = BackfillReport(out_dir=out)
    committer = _Committer(out, manifest, report, on_shard)
    done = manifest.done()

    def todo() -> Iterator[Shard]:
        for shard in iter_shards(iter_pages(sources, settings), shard_size):
            if shard.name in done:
                report.shards_skipped += 1
            else:
                yield shard

    with ray_session(address, settings.workers) as report.ray_start_s, \
            _Workers(settings.workers, settings, report) as workers:
        _analyse_all(todo(), workers, committer)
        report.worker_peak_rss_mb = workers.peak_rss_mb()
    report.seconds = time.perf_counter() - started
    return report
