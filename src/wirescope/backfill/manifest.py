"""The manifest of a backfill: which shards are committed, with their files and counts.

A shard counts as done only once it is in the manifest. The manifest is rewritten whole after each
shard (written to a temporary file, flushed and renamed over the old one), so a run killed at any
moment leaves either the manifest before the shard or the one after it, never half of one.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_NAME = "manifest.json"
FORMAT = "wirescope/backfill@1"


class ManifestMismatch(ValueError):
    """The output folder holds a backfill made with other settings (shard size, bias scoring)."""


@dataclass(frozen=True)
class ShardEntry:
    """One committed shard: its name, its place in the input, its files and what it holds."""

    name: str  # "000003-<digest of its inputs' names>"
    seq: int  # position in the input stream, from 0
    first_source: str
    last_source: str
    pages: int  # inputs read: pages and pages that failed
    documents: int  # documents written (duplicates of documents of earlier shards left out)
    duplicates: int  # copies of a document already written (earlier in this shard or by an earlier one)
    errors: int
    files: dict[str, str]  # table -> path relative to the output folder


@dataclass
class Manifest:
    """What ``wirescope backfill`` has committed in one output folder."""

    run: dict[str, Any]  # the settings that shape the shards; a re-run must use the same
    schema_version: int
    shards: list[ShardEntry] = field(default_factory=list)

    def done(self) -> set[str]:
        return {s.name for s in self.shards}

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "schema_version": self.schema_version, "run": self.run,
                "shards": [asdict(s) for s in self.shards]}


def manifest_path(out_dir: Path) -> Path:
    return out_dir / MANIFEST_NAME


def read_manifest(out_dir: Path) -> Manifest | None:
    """The manifest of ``out_dir``, None when there is none yet."""
    path = manifest_path(out_dir)
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise ManifestMismatch(f"{path}: not a {FORMAT} manifest")
    return Manifest(run=data["run"], schema_version=int(data["schema_version"]),
                    shards=[ShardEntry(**s) for s in data["shards"]])


def write_manifest(out_dir: Path, manifest: Manifest) -> None:
    """Replace the manifest atomically (temporary file, fsync, rename)."""
    path = manifest_path(out_dir)
    temporary = path.with_name(f".{MANIFEST_NAME}.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump(manifest.to_json(), handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def open_manifest(out_dir: Path, run: dict[str, Any], schema_version: int) -> Manifest:
    """The manifest to continue: the folder's own, checked against ``run``, or a new one."""
    found = read_manifest(out_dir)
    if found is None:
        return Manifest(run=run, schema_version=schema_version)
    if found.run != run or found.schema_version != schema_version:
        raise ManifestMismatch(
            f"{manifest_path(out_dir)} was written with {found.run} (schema {found.schema_version}); this run "
            f"has {run} (schema {schema_version}): use another --out folder, or the same settings")
    return found
