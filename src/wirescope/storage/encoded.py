"""Each stored document's ``wirescope/analysis@1`` JSON, encoded once when it is written: the body
``GET /documents/{id}`` sends as it is (decompressed), and its events as the event lists send them
(``event_items.ENCODED_ITEMS``).

Reading an analysis back from its tables takes one query per table (nine) and rebuilds every
record in Python: about 11 ms of CPU per document on 10,000 documents, against one indexed lookup
for the stored body. The body is made from the analysis *as read back from the tables*
(``read_analyses``), never from the analysis in hand, so it is byte for byte what rebuilding it at
request time gives (``encode_json(analysis.to_dict())``).

Like the search index, the tables are derived from the documents and have no schema version of
their own: they are written in the transaction that writes (or replaces) a document, created and
filled for the documents without them when a database is opened for writing (``unencoded_batches``,
``unencoded_item_batches``), and a reader falls back to rebuilding the analysis (or joining the event
items from the tables) when they are missing (a read-only database written
by an older version). Actor corrections change the actor register (``actor_forms``), not the
records of a document, so no body changes with them.
"""

from __future__ import annotations

import json
import zlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

import duckdb

from wirescope.records import Analysis, Document, Mention
from wirescope.storage import event_items
from wirescope.storage.json_text import encode_json
from wirescope.storage.rows import DOCUMENTS, ENTITIES, MENTIONS, RECORD_TABLES, Table, insert_columns

BODIES = "analysis_bodies"
# The body is the UTF-8 JSON compressed by zlib: about 5 times smaller (11 KB -> 2.2 KB on the benchmark's
# pages) for 0.12 ms to compress and 0.03 ms to decompress. Kept as text, DuckDB compressed it or not
# depending on the database (5,000 copies of the fictional pages: 7.6 MB without bodies, 36.7 MB with
# them as text, 24.7 MB compressed here).
CREATE_TABLES = (f"CREATE TABLE IF NOT EXISTS {BODIES} (doc_id VARCHAR PRIMARY KEY, body BLOB NOT NULL)",
                 event_items.CREATE_ENCODED_ITEMS)
BACKFILL_BATCH = 1000  # documents encoded per transaction when an older database is opened


def _some(column: str, doc_ids: Sequence[str]) -> tuple[str, list[Any]]:
    """The condition "``column`` is one of ``doc_ids``" and its parameters. One id: an equality, which
    the server's indexes on doc_id answer; several (a batch being written): one semi-join per table."""
    if len(doc_ids) == 1:
        return f"{column} = ?", [doc_ids[0]]
    return f"{column} IN (SELECT unnest(?))", [list(doc_ids)]


def _records(con: duckdb.DuckDBPyConnection, table: Table, doc_ids: Sequence[str],
             lead: str = "doc_id") -> dict[str, list[tuple[Any, ...]]]:
    """The rows of ``table`` (``lead`` columns first, then the record's) of each document, in order."""
    where, params = _some("doc_id", doc_ids)
    by_doc: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for doc_id, *row in con.execute(f"SELECT {lead}, {table.select()} FROM {table.name} WHERE {where} "
                                    f"ORDER BY doc_id, {table.order}", params).fetchall():
        by_doc[doc_id].append(tuple(row))
    return by_doc


def read_analyses(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> dict[str, Analysis]:
    """The stored analysis of each of ``doc_ids`` (full ids; those not stored are left out), read
    from its tables with one query per table for all of them."""
    where, params = _some("id", doc_ids)
    documents: dict[str, Document] = {
        row[0]: DOCUMENTS.read("", row[1:])
        for row in con.execute(f"SELECT id, {DOCUMENTS.select()} FROM documents WHERE {where}", params).fetchall()}
    mention_rows = _records(con, MENTIONS, doc_ids, lead="doc_id, entity_id")
    entity_rows = _records(con, ENTITIES, doc_ids)
    record_rows = {name: _records(con, table, doc_ids) for name, table in RECORD_TABLES.items()}
    analyses = {}
    for doc_id, document in documents.items():
        text = document.text
        mentions: dict[str, list[Mention]] = {}
        for entity_id, *mention in mention_rows.get(doc_id, ()):
            mentions.setdefault(entity_id, []).append(MENTIONS.read(text, mention))
        entities = tuple(ENTITIES.read(text, r, mentions=tuple(mentions.get(r[0], ())))
                         for r in entity_rows.get(doc_id, ()))
        records = {name: tuple(table.read(text, r) for r in record_rows[name].get(doc_id, ()))
                   for name, table in RECORD_TABLES.items()}
        analyses[doc_id] = Analysis(document=document, entities=entities, **records)
    return analyses


def store_bodies(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> None:
    """Encode the stored analyses of ``doc_ids`` and keep their bodies and event items, replacing older
    ones: call it in the transaction that wrote them, after their records."""
    if not doc_ids:
        return
    remove_bodies(con, doc_ids)
    data = {doc_id: analysis.to_dict() for doc_id, analysis in read_analyses(con, doc_ids).items()}
    bodies = [zlib.compress(encode_json(body).encode()) for body in data.values()]
    insert_columns(con, BODIES, {"doc_id": list(data), "body": bodies})
    _store_event_items(con, data)


def store_items_from_bodies(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> None:
    """Encode the event items of documents stored with a body but without them (written by a version
    before them), from their bodies: decoding a body costs a fraction of reading an analysis back."""
    _store_event_items(con, stored_analyses(con, doc_ids))


def _store_event_items(con: duckdb.DuckDBPyConnection, data: dict[str, dict[str, Any]]) -> None:
    items = [event_items.encoded_document_items(doc_id, body) for doc_id, body in data.items()]
    insert_columns(con, event_items.ENCODED_ITEMS, {"doc_id": list(data), "event_ids": [ids for ids, _ in items],
                                                    "items": [encoded for _, encoded in items]})


def remove_bodies(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> None:
    for table in (BODIES, event_items.ENCODED_ITEMS):
        con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT unnest($ids))", {"ids": list(doc_ids)})


def stored_body(con: duckdb.DuckDBPyConnection, doc_id: str) -> bytes | None:
    """The stored body (UTF-8 JSON) of the document with id ``doc_id`` (a full id); None when there is
    none (or no table of bodies: a read-only database written by an older version)."""
    try:
        row = con.execute(f"SELECT body FROM {BODIES} WHERE doc_id = ?", [doc_id]).fetchone()
    except duckdb.CatalogException:
        return None
    return zlib.decompress(row[0]) if row else None


def stored_analyses(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The stored bodies of ``doc_ids`` (full ids), decoded; those without one are left out."""
    if not doc_ids:
        return {}
    # Spelled as a list of parameters, the test is answered by the key's index (0.5 ms for a few ids,
    # against 1.1 ms for a semi-join on ``unnest``, which scans the table).
    marks = ",".join("?" * len(doc_ids))
    try:
        rows = con.execute(f"SELECT doc_id, body FROM {BODIES} WHERE doc_id IN ({marks})", list(doc_ids)).fetchall()
    except duckdb.CatalogException:
        return {}
    return {doc_id: json.loads(zlib.decompress(body)) for doc_id, body in rows}


def unencoded_batches(con: duckdb.DuckDBPyConnection, size: int = BACKFILL_BATCH) -> Iterator[list[str]]:
    """The ids of stored documents without a body, ``size`` at a time."""
    return _batches(con, f"SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM {BODIES}) ORDER BY id", size)


def unencoded_item_batches(con: duckdb.DuckDBPyConnection, size: int = BACKFILL_BATCH) -> Iterator[list[str]]:
    """The ids of documents stored with a body but without their encoded event items, ``size`` at a time."""
    return _batches(con, f"SELECT doc_id FROM {BODIES} WHERE doc_id NOT IN "
                         f"(SELECT doc_id FROM {event_items.ENCODED_ITEMS}) ORDER BY doc_id", size)


def _batches(con: duckdb.DuckDBPyConnection, sql: str, size: int) -> Iterator[list[str]]:
    ids = [row[0] for row in con.execute(sql).fetchall()]
    for first in range(0, len(ids), size):
        yield ids[first:first + size]
