"""Parquet shards of the store's tables: what ``wirescope backfill`` writes and ``wirescope load`` reads.

A shard holds the rows one batch of pages would add to a store, one Parquet file per table. The rows
come from the Store's own write path (``Store.write_batch`` into an in-memory DuckDB, so every
column is derived from the records by ``wirescope.storage.rows`` exactly as for ``ingest``), and
each file has the record-derived columns of its DuckDB table (``shard_columns``): columns the
database fills itself (``stored_at``, the error timestamps) are left out and take their defaults on
load, so loading is one ``INSERT ... SELECT ... FROM read_parquet(...)`` per table.

Stories and the actor register are not in the shards: they are derived in the store when the shards
are loaded (grouping is sequential over the whole collection; the register applies the store's
corrections), as ``ingest`` derives them when it writes.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from wirescope.errors import PageError
from wirescope.records import Analysis
from wirescope.storage import encoded, register, search_index
from wirescope.storage.rows import DOCUMENTS, ENTITIES, MENTIONS, RECORD_TABLES, Table
from wirescope.storage.store import Store

ERRORS_TABLE = "ingest_errors"
ERROR_COLUMNS = ("source", "kind", "reason")  # the PageError fields; timestamps and attempts are the store's


def shard_columns() -> dict[str, tuple[str, ...]]:
    """Every table of a shard and its columns: documents first (their ids decide which rows of the
    other tables belong to a new document), the errors last."""
    tables: list[Table] = [DOCUMENTS, ENTITIES, MENTIONS, *RECORD_TABLES.values()]
    out = {t.name: (*t.keys, *t.columns, *t.computed) for t in tables}
    out[ERRORS_TABLE] = ERROR_COLUMNS
    return out


def _quoted(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _owner_column(table: str) -> str:
    """The column naming the document a row belongs to."""
    return "id" if table == DOCUMENTS.name else "doc_id"


def analysis_tables(analyses: Sequence[Analysis], errors: Sequence[PageError]) -> dict[str, pa.Table]:
    """The rows ``analyses`` and ``errors`` add to a store, as Arrow tables of ``shard_columns``.

    Written through ``Store.write_batch`` into an in-memory database: the same rows, the same
    de-duplication within the batch (the first copy of a document id is kept) as ``ingest``. What the
    store derives from the rows (stored JSON, search index, actor register) is not in a shard and is
    not made here: ``load`` derives it (it was 60% of this function's time).
    """
    with Store(":memory:") as store:
        store.write_batch(analyses, errors, derived=False)
        return {name: store.con.sql(f"SELECT {_quoted(columns)} FROM {name}").to_arrow_table()
                for name, columns in shard_columns().items()}


def without_documents(tables: Mapping[str, pa.Table], ids: Collection[str]) -> dict[str, pa.Table]:
    """``tables`` less every row of the documents ``ids`` (written by an earlier shard)."""
    if not ids:
        return dict(tables)
    known = pa.array(sorted(ids), type=pa.string())
    out = {}
    for name, table in tables.items():
        if name == ERRORS_TABLE:
            out[name] = table
        else:
            out[name] = table.filter(pc.invert(pc.is_in(table[_owner_column(name)], value_set=known)))
    return out


def document_ids(tables: Mapping[str, pa.Table]) -> list[str]:
    return [str(v) for v in tables[DOCUMENTS.name]["id"].to_pylist()]


def write_shard(tables: Mapping[str, pa.Table], out_dir: Path, name: str) -> dict[str, str]:
    """Write each table to ``OUT/TABLE/part-NAME.parquet`` and return the paths relative to ``out_dir``.

    Each file is written under a hidden temporary name and renamed into place, so a reader (or a
    glob such as ``documents/*.parquet``) never sees half a file; a shard written again replaces
    its files whole.
    """
    written = {}
    for table, data in tables.items():
        folder = out_dir / table
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"part-{name}.parquet"
        temporary = folder / f".part-{name}.parquet.tmp"
        pq.write_table(data, temporary, compression="zstd")
        os.replace(temporary, target)
        written[table] = str(target.relative_to(out_dir))
    return written


def remove_uncommitted(out_dir: Path, committed: Collection[str]) -> list[Path]:
    """Delete the shard files of ``out_dir`` that no committed shard lists (``committed``: paths
    relative to ``out_dir``): what a killed run left, half-written or renamed into place before its
    manifest entry. A glob over the folder then sees committed shards only."""
    keep = {out_dir / path for path in committed}
    stale = [p for table in shard_columns() for pattern in ("part-*.parquet", ".part-*.parquet.tmp")
             for p in (out_dir / table).glob(pattern) if p not in keep]
    for path in stale:
        path.unlink()
    return stale


def read_document_ids(files: Sequence[Path]) -> set[str]:
    """The document ids in these documents files."""
    found: set[str] = set()
    for path in files:
        found.update(str(v) for v in pq.read_table(path, columns=["id"])["id"].to_pylist())
    return found


@dataclass(frozen=True)
class LoadResult:
    loaded: list[str]  # ids of the documents new to the store
    already_stored: int  # documents of the shards the store had
    errors: int  # errors new to the store


def _file_list(files: Sequence[Path]) -> list[str]:
    return [str(p) for p in files]


def load_shards(store: Store, files: Mapping[str, Sequence[Path]]) -> LoadResult:
    """Import the files of one shard (``table -> files``) into ``store`` in one transaction; idempotent.

    A document already stored (by id) is left as it is, with its records, as ``ingest`` leaves a
    stored page; an error is added only for a source that neither failed before nor is stored now.
    Shards are loaded one at a time: a document of a later shard that an earlier one stored counts
    as already stored (a backfill writes each document once; two backfills may overlap).
    """
    documents = _file_list(files.get(DOCUMENTS.name, ()))
    if not documents:  # a shard of failed inputs only
        with store.transaction():
            return LoadResult([], 0, _load_errors(store, _file_list(files.get(ERRORS_TABLE, ()))))
    with store.transaction():
        store.con.execute("CREATE OR REPLACE TEMP TABLE shard_new_ids AS SELECT DISTINCT id FROM read_parquet($1) "
                          "WHERE id NOT IN (SELECT id FROM documents)", [documents])
        new_ids = [row[0] for row in store.con.execute(  # in the order of the shard (the input's)
            "SELECT id FROM read_parquet($1, filename = true, file_row_number = true) "
            "WHERE id IN (SELECT id FROM shard_new_ids) ORDER BY filename, file_row_number", [documents]).fetchall()]
        row = store.con.execute("SELECT count(DISTINCT id) FROM read_parquet($1)", [documents]).fetchone()
        total = int(row[0]) if row else 0
        for table, columns in shard_columns().items():
            if table != ERRORS_TABLE and files.get(table):
                paths = _file_list(files[table])
                # Shards written by an older version lack the newer columns: those stay NULL.
                written = _parquet_columns(store, paths)
                present = [c for c in columns if c in written]
                store.con.execute(
                    f"INSERT INTO {table} ({_quoted(present)}) SELECT {_quoted(present)} FROM read_parquet($1) "
                    f"WHERE {_owner_column(table)} IN (SELECT id FROM shard_new_ids)", [paths])
        if new_ids:  # the actor register's forms, the search index and the JSON of the new documents, as write_batch
            register.refresh_forms(store.con, new_ids)
            search_index.index_stored(store.con, new_ids)
            encoded.store_bodies(store.con, new_ids)
        errors = _load_errors(store, _file_list(files.get(ERRORS_TABLE, ())))
        store.con.execute("DROP TABLE shard_new_ids")
    return LoadResult(new_ids, total - len(new_ids), errors)


def _parquet_columns(store: Store, files: list[str]) -> set[str]:
    return {row[0] for row in store.con.execute("DESCRIBE SELECT * FROM read_parquet($1)", [files]).fetchall()}


def _load_errors(store: Store, files: list[str]) -> int:
    if not files:
        return 0
    before = store.con.execute(f"SELECT count(*) FROM {ERRORS_TABLE}").fetchone()
    store.con.execute(
        f"INSERT INTO {ERRORS_TABLE} ({_quoted(ERROR_COLUMNS)}) "
        f"SELECT DISTINCT ON (source) {_quoted(ERROR_COLUMNS)} FROM read_parquet($1) "
        f"WHERE source NOT IN (SELECT source FROM {ERRORS_TABLE}) "
        "AND source NOT IN (SELECT source FROM documents WHERE source IS NOT NULL)", [files])
    after = store.con.execute(f"SELECT count(*) FROM {ERRORS_TABLE}").fetchone()
    return int(after[0]) - int(before[0]) if after and before else 0
