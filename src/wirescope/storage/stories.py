"""The stories' tables (migrations 3 and 4): what ``wirescope.stories`` reads and writes, by name.

The grouping state kept between runs is each document's term counts and MinHash signature
(``story_features``), the document frequencies of terms (``story_terms``) and each document's story,
grouping day, score and ``duplicate_of`` (``story_documents``). ``stories`` holds per story its
headline, its first and last publication days (``first_seen``/``last_seen``, NULL while every
document is undated), the days its grouping used (``first_day``/``last_day``) and its count of
independent documents.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from wirescope.records import STATUS_ANALYSED
from wirescope.storage.queries import DAY_SQL
from wirescope.storage.rows import insert_columns
from wirescope.storage.store import Store

# Only analysed documents join stories: a page stored as not analysed (non-English) has no English
# segments or actors to compare, and its words would start a story of its own or pollute another.
GROUPABLE = f"status = '{STATUS_ANALYSED}'"
STORY_TABLES = ("stories", "story_documents", "story_features", "story_terms")


@dataclass(frozen=True)
class DocumentForGrouping:
    """What grouping reads of one stored document: title and body segments, and its actors."""

    doc_id: str
    text: str
    title: str | None
    published: str | None
    stored_at: datetime
    segments: tuple[tuple[str, int, int], ...]  # (kind, start, end) of title and body segments
    actors: tuple[tuple[str, str | None, int], ...]  # (entity name, actor code, mentions)


@dataclass(frozen=True)
class GroupedDocument:
    """One document's place in a story, as stored: its story, the day the grouping used, its
    score, the first copy when it is a near-duplicate, and its features."""

    doc_id: str
    story_id: str
    day: date  # the grouping day: an undated document's is the day it was ingested
    similarity: float | None
    duplicate_of: str | None
    terms: dict[str, float]
    minhash: tuple[int, ...]


def _ids(rows: Iterable[Sequence[Any]]) -> list[str]:
    return [row[0] for row in rows]


def _count(store: Store, sql: str) -> int:
    row = store.con.execute(sql).fetchone()
    return int(row[0]) if row else 0


# -- reading what grouping needs -------------------------------------------------------------
def documents_for_grouping(store: Store, doc_ids: Sequence[str]) -> list[DocumentForGrouping]:
    """The groupable documents among ``doc_ids``, in the order stored."""
    if not doc_ids:
        return []
    ids = list(doc_ids)
    segments: dict[str, list[tuple[str, int, int]]] = {}
    for doc_id, kind, start, end in store.con.execute(
        "SELECT doc_id, kind, start, \"end\" FROM segments WHERE list_contains($1, doc_id) "
        "AND kind IN ('title', 'body') ORDER BY doc_id, seq", [ids]
    ).fetchall():
        segments.setdefault(doc_id, []).append((kind, start, end))
    actors: dict[str, list[tuple[str, str | None, int]]] = {}
    for doc_id, name, code, mentions in store.con.execute(
        "SELECT e.doc_id, e.name, e.code, count(m.start) FROM entities e LEFT JOIN mentions m "
        "ON m.doc_id = e.doc_id AND m.entity_id = e.entity_id WHERE list_contains($1, e.doc_id) "
        "GROUP BY e.doc_id, e.entity_id, e.name, e.code ORDER BY e.doc_id, e.entity_id", [ids]
    ).fetchall():
        actors.setdefault(doc_id, []).append((name, code, int(mentions)))
    rows = store.con.execute(
        f"SELECT id, text, title, published, stored_at FROM documents WHERE list_contains($1, id) "
        f"AND {GROUPABLE} ORDER BY stored_at, id", [ids]
    ).fetchall()
    return [DocumentForGrouping(doc_id, text, title, published, stored_at, tuple(segments.get(doc_id, ())),
                                tuple(actors.get(doc_id, ())))
            for doc_id, text, title, published, stored_at in rows]


def groupable_documents(store: Store) -> list[tuple[str, str | None, datetime]]:
    """(id, published, stored_at) of every document that can join a story."""
    return store.con.execute(f"SELECT id, published, stored_at FROM documents WHERE {GROUPABLE}").fetchall()


def ungrouped_ids(store: Store, doc_ids: Sequence[str] | None = None) -> list[str]:
    """Groupable documents not in a story yet: all of them, or those among ``doc_ids``."""
    if doc_ids is None:
        return _ids(store.con.execute(
            f"SELECT id FROM documents WHERE {GROUPABLE} AND id NOT IN (SELECT doc_id FROM story_documents)"
        ).fetchall())
    return _ids(store.con.execute(
        f"SELECT id FROM documents WHERE list_contains($1, id) AND {GROUPABLE} "
        "EXCEPT SELECT doc_id FROM story_documents", [list(doc_ids)]
    ).fetchall())


def independent_documents(store: Store) -> int:
    """Grouped documents that are not near-duplicates: the N of the document frequencies."""
    return _count(store, "SELECT count(*) FROM story_documents WHERE duplicate_of IS NULL")


def next_seq(store: Store) -> int:
    """The arrival number of the next grouped document."""
    return _count(store, "SELECT coalesce(max(seq), 0) FROM story_documents") + 1


def document_frequencies(store: Store, terms: Sequence[str]) -> dict[str, int]:
    return {term: int(df) for term, df in store.con.execute(
        "SELECT term, df FROM story_terms WHERE term IN (SELECT unnest($1))", [list(terms)]
    ).fetchall()}


def stories_between(store: Store, first: date, last: date, loaded: Sequence[str]) -> list[GroupedDocument]:
    """The documents of the stories whose grouping days reach into ``first``..``last``, but for
    the stories of ``loaded``, in arrival order."""
    rows = store.con.execute(
        "SELECT sd.doc_id, sd.story_id, sd.day, sd.similarity, sd.duplicate_of, f.terms, f.minhash "
        "FROM story_documents sd JOIN story_features f ON f.doc_id = sd.doc_id "
        "JOIN stories s ON s.story_id = sd.story_id "
        "WHERE s.last_day >= ? AND s.first_day <= ? AND NOT list_contains(?, s.story_id) "
        "ORDER BY sd.seq", [first, last, list(loaded)],
    ).fetchall()
    return [GroupedDocument(doc_id, story_id, day, similarity, duplicate_of, json.loads(terms), tuple(minhash))
            for doc_id, story_id, day, similarity, duplicate_of, terms, minhash in rows]


# -- writing ---------------------------------------------------------------------------------
def write_grouped(store: Store, grouped: Sequence[GroupedDocument], df: dict[str, int], first_seq: int) -> None:
    """Store documents' places in stories, add ``df`` to the document frequencies and refresh
    their stories, in one transaction."""
    with store.transaction():
        insert_columns(store.con, "story_features", {
            "doc_id": [g.doc_id for g in grouped],
            "terms": [json.dumps(g.terms, ensure_ascii=False) for g in grouped],
            "minhash": [list(g.minhash) for g in grouped],
        })
        if df:
            store.con.execute(
                "INSERT INTO story_terms SELECT unnest($1), unnest($2) ON CONFLICT (term) "
                "DO UPDATE SET df = story_terms.df + excluded.df", [list(df), list(df.values())]
            )
        insert_columns(store.con, "story_documents", {
            "story_id": [g.story_id for g in grouped], "doc_id": [g.doc_id for g in grouped],
            "seq": list(range(first_seq, first_seq + len(grouped))),
            "day": [g.day for g in grouped], "similarity": [g.similarity for g in grouped],
            "duplicate_of": [g.duplicate_of for g in grouped],
        })
        _refresh_stories(store, sorted({g.story_id for g in grouped}))


def _refresh_stories(store: Store, story_ids: list[str]) -> None:
    """Headline (the first independent document's title), publication and grouping days, and
    document count."""
    store.con.execute("DELETE FROM stories WHERE list_contains($1, story_id)", [story_ids])
    store.con.execute(
        f"""
        INSERT INTO stories (story_id, headline, first_seen, last_seen, documents, first_day, last_day)
        SELECT sd.story_id,
               arg_min(d.title, sd.seq) FILTER (WHERE sd.duplicate_of IS NULL),
               CAST(min(TRY_CAST({DAY_SQL} AS DATE)) AS VARCHAR),
               CAST(max(TRY_CAST({DAY_SQL} AS DATE)) AS VARCHAR),
               count(*) FILTER (WHERE sd.duplicate_of IS NULL), min(sd.day), max(sd.day)
        FROM story_documents sd JOIN documents d ON d.id = sd.doc_id
        WHERE list_contains($1, sd.story_id) GROUP BY sd.story_id
        """, [story_ids],
    )


def forget_stories(store: Store) -> None:
    """Delete every story and the grouping state (before a regroup)."""
    with store.transaction():
        for table in STORY_TABLES:
            store.con.execute(f"DELETE FROM {table}")


# -- reading stories -------------------------------------------------------------------------
def count_stories(store: Store) -> int:
    return _count(store, "SELECT count(*) FROM stories")


def count_ungrouped(store: Store) -> int:
    return _count(store, f"SELECT count(*) FROM documents WHERE {GROUPABLE} "
                         "AND id NOT IN (SELECT doc_id FROM story_documents)")


def latest_story_ids(store: Store, limit: int, offset: int) -> list[str]:
    """Stories, most recently published first (then those with more documents); stories of
    undated documents only come last."""
    return _ids(store.con.execute(
        "SELECT story_id FROM stories ORDER BY last_seen DESC NULLS LAST, documents DESC, story_id "
        "LIMIT ? OFFSET ?", [limit, offset]
    ).fetchall())


def resolve_story_id(store: Store, story_id: str) -> str | None:
    """A full story id from an id or a unique prefix of one."""
    rows = store.con.execute(
        "SELECT story_id FROM stories WHERE starts_with(story_id, ?) ORDER BY story_id LIMIT 2",
        [story_id]).fetchall()
    return rows[0][0] if len(rows) == 1 else None


def story_heads(store: Store, story_ids: list[str]) -> dict[str, tuple[str | None, str | None, str | None]]:
    """Story id -> (headline, first_seen, last_seen)."""
    return {sid: (headline, first, last) for sid, headline, first, last in store.con.execute(
        "SELECT story_id, headline, first_seen, last_seen FROM stories WHERE list_contains($1, story_id)",
        [story_ids]).fetchall()}


def story_documents(store: Store, story_ids: list[str]) -> list[tuple[Any, ...]]:
    """(story id, doc id, url, outlet, title, published, duplicate_of) in arrival order."""
    return store.con.execute(
        "SELECT sd.story_id, d.id, d.url, d.outlet, d.title, d.published, sd.duplicate_of "
        "FROM story_documents sd JOIN documents d ON d.id = sd.doc_id "
        "WHERE list_contains($1, sd.story_id) ORDER BY sd.seq", [story_ids]
    ).fetchall()


def story_actors(store: Store, story_ids: list[str], types: Sequence[str]) -> list[tuple[Any, ...]]:
    """(story id, entity name, code, independent documents naming it, mentions) for entities of
    ``types`` in the stories' independent documents."""
    return store.con.execute(
        """
        WITH members AS (
            SELECT story_id, doc_id FROM story_documents
            WHERE list_contains($1, story_id) AND duplicate_of IS NULL),
        counted AS (
            SELECT m.doc_id, m.entity_id, count(*) AS n FROM mentions m
            WHERE m.doc_id IN (SELECT doc_id FROM members) GROUP BY ALL)
        SELECT s.story_id, e.name, max(e.code), count(DISTINCT e.doc_id), sum(coalesce(c.n, 1))
        FROM members s JOIN entities e ON e.doc_id = s.doc_id
        LEFT JOIN counted c ON c.doc_id = e.doc_id AND c.entity_id = e.entity_id
        WHERE e.type IN (SELECT unnest($2))
        GROUP BY s.story_id, e.name
        """, [story_ids, list(types)]
    ).fetchall()
