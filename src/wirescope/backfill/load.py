"""Backfill shards into a store: ``wirescope load DIR --db news.duckdb``.

The committed shards of the manifest are imported one by one, in input order, each in one
transaction (``storage.shards.load_shards``: documents the store has are left as they are), then
the new documents are grouped into stories as ``ingest`` groups them. Loading twice adds nothing;
a load killed half-way and run again finishes the job (documents stored without a story are
grouped at the end of every load).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wirescope.backfill.manifest import ShardEntry, manifest_path, read_manifest
from wirescope.settings import Settings
from wirescope.storage.shards import load_shards
from wirescope.storage.store import SCHEMA_VERSION, Store
from wirescope.stories.assign import REGROUP_CHUNK, StoryAssigner


class NoBackfill(FileNotFoundError):
    """The folder has no backfill manifest."""


@dataclass
class LoadReport:
    shards: int = 0
    loaded: int = 0  # documents new to the store
    already_stored: int = 0
    errors: int = 0  # failed inputs new to the store
    grouped: int = 0  # documents put into a story


def load(out_dir: str | Path, db: str | Path, settings: Settings,
         on_shard: Callable[[ShardEntry], None] | None = None) -> LoadReport:
    """Import the committed shards of the backfill in ``out_dir`` into the DuckDB file ``db``."""
    folder = Path(out_dir)
    manifest = read_manifest(folder)
    if manifest is None:
        raise NoBackfill(f"{manifest_path(folder)}: no such file (is {folder} a `wirescope backfill --out` folder?)")
    if manifest.schema_version > SCHEMA_VERSION:
        raise NoBackfill(f"{folder} was written by a newer wirescope (schema {manifest.schema_version})")
    report = LoadReport()
    new_ids: list[str] = []
    with Store(db) as store:
        for entry in manifest.shards:
            result = load_shards(store, {table: [folder / path] for table, path in entry.files.items()})
            new_ids.extend(result.loaded)
            report.shards += 1
            report.loaded += len(result.loaded)
            report.already_stored += result.already_stored
            report.errors += result.errors
            if on_shard is not None:
                on_shard(entry)
        stories = StoryAssigner(store, settings.stories)
        for start in range(0, len(new_ids), REGROUP_CHUNK):
            report.grouped += len(stories.assign(new_ids[start : start + REGROUP_CHUNK]))
        # Documents a killed load (or anything else) stored without a story get one now.
        report.grouped += len(stories.assign())
    return report
