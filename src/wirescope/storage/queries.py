"""Read queries over the store for the REST API and the web UI: search, aggregates, graphs.

Every function takes a DuckDB connection (a per-request cursor in the API: DuckDB connections are
not thread-safe, cursors of one connection are) and returns plain JSON-ready dicts. All values
reach SQL as parameters; the only text spliced into SQL is built here from constants.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

import duckdb

from wirescope.records import Event
from wirescope.storage import register, search_index
from wirescope.storage.event_csv import csv_cell as csv_cell  # re-exported: the API's CSVs call these here
from wirescope.storage.event_csv import events_csv as events_csv
from wirescope.storage.event_items import COOPERATION_TYPES, event_items, event_items_json, polarity
from wirescope.storage.event_places import where_and_when
from wirescope.storage.lookup import (
    DAY_SQL,
    EVENT_KEYS,
    EVENT_KEYS_ORDER,
    LOOKUP,
    actor_quote_keys,
    exact_match,
    side_match,
)
from wirescope.storage.lookup import has_lookup as has_lookup  # re-exported: the API and CLI call these here
from wirescope.storage.lookup import prepare_lookup as prepare_lookup
from wirescope.storage.lookup import refresh_lookup as refresh_lookup
from wirescope.storage.rows import EVENTS, fetch_dicts

MAX_LIST = 200  # rows per list on an actor page


@dataclass(frozen=True)
class Where:
    """A conjunction of SQL conditions with their parameters, built step by step."""

    clauses: tuple[str, ...] = ()
    params: tuple[Any, ...] = ()

    def add(self, clause: str, *params: Any) -> Where:
        return Where(self.clauses + (clause,), self.params + params)

    def sql(self) -> str:
        return " WHERE " + " AND ".join(self.clauses) if self.clauses else ""


def _date_range(where: Where, since: date | None, until: date | None, day: str = DAY_SQL) -> Where:
    """``where`` and the ``day`` (an SQL expression, a document's by default) within since-until."""
    if since is not None:
        where = where.add(f"{day} >= ?", since.isoformat())
    if until is not None:  # inclusive: every time of that day
        where = where.add(f"{day} < ?", (until + timedelta(days=1)).isoformat())
    return where


def like_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its wildcards taken literally (ESCAPE '\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> Any:
    row = con.execute(sql, list(params)).fetchone()
    return row[0] if row else None


def stats(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: int(_scalar(con, f"SELECT count(*) FROM {t}")) for t in
            ("documents", "entities", "quotes", "events", "framing")}


def count_prefix(con: duckdb.DuckDBPyConnection, prefix: str) -> int:
    """How many documents have an id starting with ``prefix`` (0, 1, or 2 meaning several)."""
    return len(con.execute("SELECT id FROM documents WHERE starts_with(id, ?) LIMIT 2", [prefix]).fetchall())


# -- documents ------------------------------------------------------------------------------------
# stored_at: when it was stored, RFC 3339 in UTC (the column is in the database's time zone).
DOCUMENT_FIELDS = (f"d.id, d.title, d.outlet, d.published, d.url, d.language, d.status, {DAY_SQL} AS day, "
                   "strftime(timezone('UTC', d.stored_at::TIMESTAMPTZ), '%Y-%m-%dT%H:%M:%S.%fZ') AS stored_at")
DOCUMENT_ORDER = "d.published DESC NULLS LAST, d.stored_at DESC, d.id"  # newest first


def search_documents(con: duckdb.DuckDBPyConnection, q: str | None = None, outlet: str | None = None,
                     actor: str | None = None, since: date | None = None, until: date | None = None,
                     limit: int = 50, offset: int = 0, stored_since: datetime | None = None) -> dict[str, Any]:
    """Documents matching every filter given, with the total count; newest first, or with ``q``
    best match first. ``stored_since``: only those stored after that time (one without a zone is UTC).

    ``q``: words in the title or the article (not in teasers of other stories), every one of them
    (any case, accents ignored), ranked by BM25 (``score``); a "quoted phrase" must also appear as
    written. Answered from the search index (``wirescope.storage.search_index``).
    """
    where = _document_filters(outlet, actor, since, until)
    if stored_since is not None:  # stored_at is in the database's time zone: the aware time is cast to it
        aware = stored_since if stored_since.tzinfo else stored_since.replace(tzinfo=UTC)
        where = where.add("d.stored_at > (?::TIMESTAMPTZ)::TIMESTAMP", aware)
    if q:
        try:
            return _ranked_documents(con, q, where, limit, offset)
        except duckdb.CatalogException:
            # No index tables: a database opened read-only that no writable open of this version
            # has indexed yet. Every title and text is scanned instead: slow on a large database,
            # but the same documents (teasers included), newest first. (Asking first would cost
            # every search a catalog query.)
            words = like_pattern(q.strip().strip('"'))
            where = where.add("(d.title ILIKE ? ESCAPE '\\' OR d.text ILIKE ? ESCAPE '\\')", words, words)
    total = _scalar(con, f"SELECT count(*) FROM documents d{where.sql()}", where.params)
    ids = [row[0] for row in con.execute(f"SELECT d.id FROM documents d{where.sql()} ORDER BY {DOCUMENT_ORDER} "
                                         "LIMIT ? OFFSET ?", [*where.params, limit, offset]).fetchall()]
    return {"total": int(total), "limit": limit, "offset": offset,
            "items": document_items(con, ids, [None] * len(ids), q)}


def _document_filters(outlet: str | None, actor: str | None, since: date | None, until: date | None) -> Where:
    where = Where()
    if outlet:
        where = where.add("lower(d.outlet) = lower(?)", outlet)
    if actor:
        where = where.add("d.id IN (SELECT doc_id FROM entities WHERE lower(name) = lower(?) OR code = upper(?))",
                          actor, actor)
    return _date_range(where, since, until)


def _ranked_documents(con: duckdb.DuckDBPyConnection, q: str, where: Where, limit: int,
                      offset: int) -> dict[str, Any]:
    """``search_documents`` for ``q`` from the search index: the page's ids, scores and the total in
    one query that reads no document text, then the page's rows."""
    query = search_index.parse_query(q)
    if not query.terms:  # only function words or punctuation: nothing the index can look up
        return {"total": 0, "limit": limit, "offset": offset, "items": []}
    ranked, params = search_index.ranked_sql(query)
    for phrase in query.phrases:
        # One expression over both sides of the join is evaluated on the joined rows, the candidates:
        # a condition on d alone would be pushed down into the scan of documents and read every text.
        where = where.add("CASE WHEN s.score IS NULL THEN false "
                          "ELSE d.title ILIKE ? ESCAPE '\\' OR d.text ILIKE ? ESCAPE '\\' END",
                          like_pattern(phrase), like_pattern(phrase))
    matches = f"FROM ({ranked}) s JOIN documents d ON d.id = s.doc_id{where.sql()}"
    keys = con.execute(f"SELECT s.doc_id, s.score, count(*) OVER () {matches} ORDER BY s.score DESC, {DOCUMENT_ORDER} "
                       "LIMIT ? OFFSET ?", [*params, *where.params, limit, offset]).fetchall()
    if keys:
        total = keys[0][2]
    else:  # none, or past the last page
        total = _scalar(con, f"SELECT count(*) {matches}", [*params, *where.params]) if offset else 0
    items = document_items(con, [k[0] for k in keys], [round(k[1], 4) for k in keys], q)
    return {"total": int(total), "limit": limit, "offset": offset, "items": items}


def document_items(con: duckdb.DuckDBPyConnection, ids: list[str], scores: list[float | None],
                    q: str | None) -> list[dict[str, Any]]:
    """The listed fields of documents ``ids``, in that order, with their ``score`` and, for a search,
    the ``snippet`` around the first match."""
    if not ids:
        return []
    rows = fetch_dicts(con, f"SELECT {DOCUMENT_FIELDS}, CASE WHEN $q IS NULL THEN NULL ELSE d.text END AS text "
                            "FROM documents d WHERE list_contains($ids, d.id)", {"ids": ids, "q": q})
    by_id = {row["id"]: row for row in rows}
    items = []
    for doc_id, score in zip(ids, scores):
        item = by_id[doc_id]
        text = item.pop("text")
        item["snippet"] = snippet_around(text, q) if text and q else None
        item["score"] = score
        items.append(item)
    return items


def snippet_around(text: str, q: str, width: int = 80) -> str | None:
    span = search_index.match_span(text, q)
    if span is None:
        return None
    start, end = max(0, span[0] - width), min(len(text), span[1] + width)
    return ("…" if start else "") + text[start:end].replace("\n", " ") + ("…" if end < len(text) else "")


def outlets(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return fetch_dicts(con, "SELECT outlet, count(*) AS documents FROM documents WHERE outlet IS NOT NULL "
                      "GROUP BY outlet ORDER BY documents DESC, outlet")


# -- entities and quotes --------------------------------------------------------------------------
def list_entities(con: duckdb.DuckDBPyConnection, q: str | None = None, type_: str | None = None,
                  code: str | None = None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Entities aggregated across documents, most widespread first: one row per actor id (named by
    the register's canonical name, codes as corrected), and per name and type for entities without
    one (``actor`` None). ``q``: an entity name contains it; ``code``: exactly; ``type_``: exactly."""
    where = Where()
    if q:
        where = where.add("e.name ILIKE ? ESCAPE '\\'", like_pattern(q))
    if type_:
        where = where.add("e.type = upper(?)", type_)
    if code:
        where = where.add("coalesce(g.code, e.code) = upper(?)", code)
    grouped = f"""
        SELECT g.actor, mode(e.name) AS name, mode(e.type) AS type,
               list(DISTINCT coalesce(g.code, e.code)) FILTER (WHERE coalesce(g.code, e.code) IS NOT NULL) AS codes,
               count(DISTINCT e.doc_id) AS documents, sum(m.n) AS mentions
        FROM entities e LEFT JOIN (SELECT doc_id, entity_id, count(*) AS n FROM mentions GROUP BY ALL) m
             ON m.doc_id = e.doc_id AND m.entity_id = e.entity_id
        LEFT JOIN actor_forms g ON g.doc_id = e.doc_id AND g.entity_id = e.entity_id AND g.is_entity
        {where.sql()} GROUP BY g.actor, CASE WHEN g.actor IS NULL THEN e.name END,
                               CASE WHEN g.actor IS NULL THEN e.type END"""
    total = _scalar(con, f"SELECT count(*) FROM ({grouped})", where.params)
    items = fetch_dicts(con, f"{grouped} ORDER BY documents DESC, mentions DESC, name, g.actor LIMIT ? OFFSET ?",
                  [*where.params, limit, offset])
    names = register.actor_names(con, [item["actor"] for item in items if item["actor"]])
    for item in items:
        item["name"] = names.get(item["actor"], item["name"])
        item["codes"] = sorted(item["codes"] or [])
        item["mentions"] = int(item["mentions"] or 0)
    return {"total": int(total), "limit": limit, "offset": offset, "items": items}


QUOTE_SELECT = f"""
    SELECT q.doc_id, q.quote_id AS id, q.kind, d.title, d.outlet, {DAY_SQL} AS day,
           q.content_start, q.content_end,
           substr(d.text, q.content_start + 1, q.content_end - q.content_start) AS content,
           q.cue_start, q.cue_end, substr(d.text, q.cue_start + 1, q.cue_end - q.cue_start) AS cue,
           q.speaker_entity, q.speaker_name, q.speaker_start, q.speaker_end,
           substr(d.text, q.speaker_start + 1, q.speaker_end - q.speaker_start) AS speaker_text
    FROM quotes q JOIN documents d ON d.id = q.doc_id"""


def _quote_item(row: dict[str, Any]) -> dict[str, Any]:
    """A quote row in the analysis@1 shape, with its document's id, title, outlet and day."""
    speaker = None
    if row["speaker_start"] is not None:
        speaker = {"entity": row["speaker_entity"], "name": row["speaker_name"],
                   "start": row["speaker_start"], "end": row["speaker_end"], "text": row["speaker_text"]}
    cue = None
    if row["cue_start"] is not None:
        cue = {"start": row["cue_start"], "end": row["cue_end"], "text": row["cue"]}
    return {"doc_id": row["doc_id"], "title": row["title"], "outlet": row["outlet"], "day": row["day"],
            "id": row["id"], "kind": row["kind"],
            "content": {"start": row["content_start"], "end": row["content_end"], "text": row["content"]},
            "cue": cue, "speaker": speaker}


def _speaker_clause(con: duckdb.DuckDBPyConnection, where: Where, speaker: str) -> Where:
    """Quotes whose speaker is the actor ``speaker`` when it is an actor id, else whose speaker's
    name or text contains it."""
    if register.actor_exists(con, speaker):
        keys = actor_quote_keys(con, speaker) if has_lookup(con) else register.quote_keys(con, [speaker])
        return where.add("(q.doc_id, q.quote_id) IN (SELECT unnest(?), unnest(?))",
                         [k[0] for k in keys], [k[1] for k in keys])
    return where.add(
        "(q.speaker_name ILIKE ? ESCAPE '\\' OR "
        "substr(d.text, q.speaker_start + 1, q.speaker_end - q.speaker_start) ILIKE ? ESCAPE '\\')",
        like_pattern(speaker), like_pattern(speaker))


def list_quotes(con: duckdb.DuckDBPyConnection, speaker: str | None = None, doc_id: str | None = None,
                limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Quotes whose speaker's name or text contains ``speaker`` (any case), or whose speaker is the
    actor ``speaker`` names by its id, newest documents first."""
    where = Where()
    if speaker:
        where = _speaker_clause(con, where, speaker)
    if doc_id:
        where = where.add("q.doc_id = ?", doc_id)
    total = _scalar(con, f"SELECT count(*) FROM quotes q JOIN documents d ON d.id = q.doc_id{where.sql()}",
                    where.params)
    rows = fetch_dicts(con, f"""{QUOTE_SELECT}{where.sql()}
        ORDER BY d.published DESC NULLS LAST, d.stored_at DESC, q.doc_id,
                 CAST(substr(q.quote_id, 2) AS INTEGER) LIMIT ? OFFSET ?""", [*where.params, limit, offset])
    return {"total": int(total), "limit": limit, "offset": offset, "items": [_quote_item(r) for r in rows]}


# -- events ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EventFilter:
    """Which events to list, the same for ``wirescope events`` and ``GET /events``; every filter
    given must hold.

    ``actor``: an actor or a recipient of the event (either side) has a code starting with the value
    (``VLD`` finds ``VLDGOV``), a name or text, as written in the article, containing it (any case),
    or is the actor the value names: an actor id (``person:donald-trump``), or an actor's canonical
    name or alias as written, whole (every side resolved to that actor, "he" and "the president"
    included). ``recipient``: the same, on the recipient side only. ``types``: PLOVER types, exact, any case.
    ``since``/``until``: the day of the document's published date, inclusive; an undated document
    is in no date range. ``doc_ids``: only these documents; ``doc``: documents whose id starts with it.
    ``exact``: (role, name), a side of that role named, written or coded exactly so, or with that
    actor id (the actor page). Where and when it happened (issue 18): ``country``, the ISO 3166
    alpha-2 code of the event's location; ``box``, its location within (west, south, east, north)
    degrees (west > east crosses the antimeridian); ``happened_since``/``happened_until``, the event's
    own day (``Event.date``: the day its sentence states, else the published day), inclusive.
    ``min_confidence``: the event's confidence is at least this.
    """

    types: tuple[str, ...] = ()
    actor: str | None = None
    recipient: str | None = None
    since: date | None = None
    until: date | None = None
    doc_ids: tuple[str, ...] | None = None  # e.g. the documents of one story
    doc: str | None = None
    exact: tuple[Literal["actor", "recipient"], str] | None = None
    country: str | None = None
    box: tuple[float, float, float, float] | None = None
    happened_since: date | None = None
    happened_until: date | None = None
    min_confidence: float | None = None

    @property
    def keyed(self) -> bool:
        """Whether the lookup's event keys answer it: no filter on where or when the event happened
        or on its confidence (columns of the events, not of the keys)."""
        return self.country is None and self.box is None and self.happened_since is None \
            and self.happened_until is None and self.min_confidence is None

    def where(self, con: duckdb.DuckDBPyConnection, keyed: bool = False) -> Where:
        """The SQL conditions (on events ``e`` joined to documents ``d``, or with ``keyed`` on the
        lookup's event keys ``e``, for a ``keyed`` filter); ``con`` resolves actors."""
        where = Where()
        if self.types:
            where = where.add("list_contains(?, e.type)", [t.upper() for t in self.types])
        if self.actor:
            where = where.add(*side_match(con, None, self.actor, keyed))
        if self.recipient:
            where = where.add(*side_match(con, "recipient", self.recipient, keyed))
        if self.exact:
            where = where.add(exact_match(self.exact[0], keyed), self.exact[1])
        if self.doc_ids is not None:
            where = where.add("list_contains(?, e.doc_id)", list(self.doc_ids))
        if self.doc:
            where = where.add("starts_with(e.doc_id, ?)", self.doc)
        if keyed:
            return _date_range(where, self.since, self.until, "e.day")
        if self.min_confidence is not None:
            where = where.add("e.confidence >= ?", self.min_confidence)
        return where_and_when(_date_range(where, self.since, self.until), self.country, self.box,
                              self.happened_since, self.happened_until)


# Newest day first, undated documents' events last.
EVENT_ORDER = "ORDER BY day DESC NULLS LAST, e.doc_id, CAST(substr(e.event_id, 2) AS INTEGER)"


@dataclass(frozen=True)
class EventMatches:
    keys: list[tuple[str, str]]  # (document id, event id) of the page asked for, in order
    total: int  # matching events in all


def find_events(con: duckdb.DuckDBPyConnection, flt: EventFilter, limit: int | None = None,
                offset: int = 0) -> EventMatches:
    """The one event query behind ``wirescope events`` and ``GET /events``: the events matching
    ``flt`` (semantics in ``EventFilter``), newest day first, and how many match.

    Reads the event-actor lookup: ``prepare_lookup`` the connection first.
    """
    where = flt.where(con, keyed=flt.keyed)
    page = "OFFSET ?" if limit is None else "LIMIT ? OFFSET ?"
    page_params = [*where.params, *([] if limit is None else [limit]), offset]
    # Sorted and counted in the lookup's event keys when they answer the filter: no events or
    # documents read. All events: a top-N and the count apart (a window's count sorts them all).
    source, order = (f"{EVENT_KEYS} e", EVENT_KEYS_ORDER) if flt.keyed else \
        ("events e JOIN documents d ON d.id = e.doc_id", EVENT_ORDER)
    if flt.keyed and not where.clauses:
        # A range of list positions (numbered from 1 without gaps), put in order here: an ORDER BY
        # costs as much again as the range (0.7 against 0.5 ms).
        last = offset + limit if limit is not None else sys.maxsize
        keys = sorted(con.execute(f"SELECT e.pos, e.doc_id, e.event_id FROM {source} WHERE e.pos BETWEEN ? AND ?",
                                  [offset + 1, last]).fetchall())
        return EventMatches([(d, e) for _, d, e in keys], int(_scalar(con, f"SELECT count(*) FROM {source}")))
    # The keys and the total in one pass that never reads document texts, then (in the callers)
    # the page's rows. One query with the texts in it read every document's text before the join
    # (measured on 10,000 documents, loaded machine: 62 ms for a page against 22 + 5 ms in two steps).
    day = "e.day" if flt.keyed else DAY_SQL
    keys = con.execute(f"SELECT e.doc_id, e.event_id, count(*) OVER (), {day} AS day FROM {source}{where.sql()} "
                       f"{order} {page}", page_params).fetchall()
    # Past the last page: the count alone.
    total = keys[0][2] if keys else _scalar(con, f"SELECT count(*) FROM {source}{where.sql()}", where.params)
    return EventMatches([(doc_id, event_id) for doc_id, event_id, *_ in keys], int(total))


def _key_lists(keys: list[tuple[str, str]]) -> list[list[str]]:
    return [[doc_id for doc_id, _ in keys], [event_id for _, event_id in keys]]


def list_events(con: duckdb.DuckDBPyConnection, flt: EventFilter, limit: int | None = 50,
                offset: int = 0) -> dict[str, Any]:
    """Matching events as the API lists them (with document title, outlet, day and polarity),
    newest day first, with the total; ``limit=None`` for all of them."""
    found = find_events(con, flt, limit, offset)
    # Every match (a CSV download): the join, which reads the events once whatever their number.
    items = event_items(con, found.keys, stored=limit is not None)
    return {"total": found.total, "limit": limit, "offset": offset, "items": items}


def events_page_json(con: duckdb.DuckDBPyConnection, flt: EventFilter, limit: int, offset: int = 0) -> str:
    """``encode_json(list_events(con, flt, limit, offset))``, byte for byte, from the events' stored
    encodings where it can: a page of the API is sent without decoding or encoding its items."""
    found = find_events(con, flt, limit, offset)
    items = ",".join(event_items_json(con, found.keys))
    return f'{{"total":{found.total},"limit":{limit},"offset":{offset},"items":[{items}]}}'


def event_records(con: duckdb.DuckDBPyConnection, flt: EventFilter) -> list[tuple[str, Event]]:
    """(document id, event) for every event matching ``flt``, in ``find_events`` order: the CLI's list."""
    keys = find_events(con, flt).keys
    if not keys:
        return []
    rows = con.execute(f"""
        WITH k AS (SELECT unnest(?) AS doc_id, unnest(?) AS event_id)
        SELECT e.doc_id, e.event_id, d.text, {EVENTS.select('e')}
        FROM k JOIN events e ON e.doc_id = k.doc_id AND e.event_id = k.event_id
        JOIN documents d ON d.id = k.doc_id""", _key_lists(keys)).fetchall()
    by_key = {(doc_id, event_id): EVENTS.read(text, row) for doc_id, event_id, text, *row in rows}
    return [(key[0], by_key[key]) for key in keys]


def event_timeline(con: duckdb.DuckDBPyConnection, flt: EventFilter) -> dict[str, Any]:
    """Event counts per day and type, and per type, for the timeline chart."""
    where = flt.where(con)
    base = f"FROM events e JOIN documents d ON d.id = e.doc_id{where.sql()}"
    days = fetch_dicts(con, f"SELECT {DAY_SQL} AS day, e.type, count(*) AS count {base} GROUP BY ALL "
                      "ORDER BY day NULLS LAST, e.type", where.params)
    types = fetch_dicts(con, f"SELECT e.type, count(*) AS count {base} GROUP BY ALL ORDER BY count DESC, e.type",
                  where.params)
    for row in types:
        row["polarity"] = polarity(row["type"])
    return {"days": days, "types": types}


# -- actors and the network -----------------------------------------------------------------------
def network(con: duckdb.DuckDBPyConnection, flt: EventFilter, min_count: int = 1,
            max_nodes: int = 100) -> dict[str, Any]:
    """Actors linked by events (actor -> recipient), each edge split into cooperation and conflict.

    A node's ``id`` (an edge's ``source``/``target``) is the side's actor id when it has one
    (corrections applied), else its name as resolved or written; ``name`` labels it (the register's
    canonical name) and ``actor`` is the id or None.

    Nodes are the ``max_nodes`` actors with most events on edges of at least ``min_count``
    events; only edges between two kept nodes are returned. Filters: types and dates of ``flt``.
    """
    where = Where().add("source <> target")
    if flt.types:
        where = where.add("list_contains(?, type)", [t.upper() for t in flt.types])
    if flt.since is not None:
        where = where.add("day >= ?", flt.since.isoformat())
    if flt.until is not None:
        where = where.add("day < ?", (flt.until + timedelta(days=1)).isoformat())
    # Nodes first (counts only), then the edges among them, grouped again with their type
    # histogram: grouping every pair with histograms cost twice as much.
    counted = f"""
        SELECT source, target, any_value(source_code) AS source_code, any_value(target_code) AS target_code,
               count(*) AS count
        FROM {LOOKUP}.event_pairs{where.sql()} GROUP BY source, target HAVING count(*) >= ?"""
    nodes = fetch_dicts(con, f"""
        WITH edges AS ({counted})
        SELECT name AS id, any_value(code) AS code, sum(n) AS events FROM (
            SELECT source AS name, source_code AS code, count AS n FROM edges
            UNION ALL SELECT target, target_code, count FROM edges)
        GROUP BY name ORDER BY events DESC, name LIMIT ?""", [*where.params, min_count, max_nodes])
    names = [n["id"] for n in nodes]
    kept = where.add("list_contains(?, source) AND list_contains(?, target)", names, names)
    edges = fetch_dicts(con, f"""
        SELECT source, target, count(*) AS count,
               count(*) FILTER (WHERE list_contains(?, type)) AS cooperation,
               count(*) FILTER (WHERE NOT list_contains(?, type)) AS conflict, histogram(type) AS types
        FROM {LOOKUP}.event_pairs{kept.sql()} GROUP BY source, target HAVING count(*) >= ?
        ORDER BY count DESC, source, target""",
                  [sorted(COOPERATION_TYPES), sorted(COOPERATION_TYPES), *kept.params, min_count])
    for edge in edges:
        edge["types"] = dict(sorted(edge["types"].items()))
    # A node is keyed by its actor id where the side has one (else by its name): label it.
    labels = register.actor_names(con, names)
    for node in nodes:
        node["events"] = int(node["events"])
        node["actor"] = node["id"] if node["id"] in labels else None
        node["name"] = labels.get(node["id"], node["id"])
    return {"nodes": nodes, "edges": edges}


def _profile_entities(con: duckdb.DuckDBPyConnection, name: str, actor: str | None) -> list[dict[str, Any]]:
    """The types and codes an actor (by id) or a name was given, with their documents."""
    if actor is not None:
        return fetch_dicts(con, """
            SELECT type, code, count(DISTINCT doc_id) AS documents FROM actor_forms
            WHERE is_entity AND actor = ? GROUP BY ALL ORDER BY documents DESC, code NULLS LAST""", [actor])
    return fetch_dicts(con, """
        SELECT e.type, e.code, count(DISTINCT e.doc_id) AS documents
        FROM entities e WHERE lower(e.name) = lower(?) GROUP BY ALL ORDER BY documents DESC""", [name])


def _profile_documents(con: duckdb.DuckDBPyConnection, name: str, actor: str | None) -> int:
    if actor is not None:
        return int(_scalar(con, "SELECT count(DISTINCT doc_id) FROM actor_forms WHERE actor = ?", [actor]))
    return int(_scalar(con, "SELECT count(DISTINCT doc_id) FROM entities WHERE lower(name) = lower(?)", [name]))


def actor_profile(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, Any] | None:
    """What an actor said, did and had done to them, over time; None when it is unknown.

    ``name``: an actor id (``person:donald-trump``: every side and speaker resolved to the actor,
    corrections applied; ``name`` in the result is its canonical name, ``actor`` its id), else an
    entity name, matched whole in any case (``actor`` None).
    """
    actor = name if register.actor_exists(con, name) else None
    entities = _profile_entities(con, name, actor)
    # Quotes of the resolved speaker of that name: matching unresolved speakers by their words
    # would read every document's text (measured 124 ms against 28 ms on 10,000 documents).
    if actor is not None:
        said_where = _speaker_clause(con, Where(), actor)
    else:
        said_where = Where().add("lower(q.speaker_name) = lower(?)", name)
    said = fetch_dicts(con, f"{QUOTE_SELECT}{said_where.sql()} ORDER BY day DESC, q.doc_id LIMIT ?",
                 [*said_where.params, MAX_LIST])
    did_filter, received_filter = EventFilter(exact=("actor", name)), EventFilter(exact=("recipient", name))
    did = list_events(con, did_filter, limit=MAX_LIST)
    received = list_events(con, received_filter, limit=MAX_LIST)
    if not entities and not said and not did["total"] and not received["total"]:
        return None
    timeline: dict[str | None, dict[str, Any]] = {}  # day None: undated documents

    def bump(day: str | None, key: str, n: int = 1) -> None:
        slot = timeline.setdefault(day, {"day": day, "said": 0, "did": 0, "received": 0})
        slot[key] += n

    said_days = con.execute(
        f"SELECT {DAY_SQL} AS day, count(*) FROM quotes q JOIN documents d ON d.id = q.doc_id"
        f"{said_where.sql()} GROUP BY ALL", list(said_where.params)).fetchall()
    for day, n in said_days:
        bump(day, "said", n)
    for key, flt in (("did", did_filter), ("received", received_filter)):
        for row in event_timeline(con, flt)["days"]:
            bump(row["day"], key, row["count"])
    return {
        "name": register.actor_names(con, [actor])[actor] if actor else name,
        "actor": actor,
        "entities": entities,
        "documents": _profile_documents(con, name, actor),
        "said": [_quote_item(r) for r in said],
        "did": did["items"], "did_total": did["total"],
        "received": received["items"], "received_total": received["total"],
        "timeline": [timeline[d] for d in sorted(timeline, key=lambda d: (d is None, d or ""))],
    }
