"""Backfills on Ray: archives (WARC, JSON Lines, directories) into Parquet shards of the store's
tables, exactly once per input shard and resumable (``run.backfill``), and the shards into a store
(``load.load``). The pipeline is ``ingest``'s; Ray only spreads the shards over workers."""

from wirescope.backfill.load import LoadReport, NoBackfill, load
from wirescope.backfill.manifest import ManifestMismatch, read_manifest
from wirescope.backfill.run import DEFAULT_SHARD_SIZE, BackfillReport, backfill

__all__ = ["DEFAULT_SHARD_SIZE", "BackfillReport", "LoadReport", "ManifestMismatch", "NoBackfill", "backfill",
           "load", "read_manifest"]
