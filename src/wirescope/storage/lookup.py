"""The event-actor lookup: event sides flattened into small in-memory tables for the event queries
(``wirescope.storage.queries``): each event's sort key, each side's name, text, code and actor id,
and the actor network's pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from wirescope.storage import register

# A document's day: the day of its published date (stored normalised, ISO 8601), NULL when
# undated. Never the day it was stored: an undated document is shown and exported undated,
# no date range takes it, and it sorts after the dated ones.
DAY_SQL = "left(d.published, 10)"

# Event actors flattened into lookup tables, one row per (event, side, actor), so that finding an
# actor's events is a join on small columns instead of parsing every event's JSON (measured on
# 60,000 events: about 20 ms instead of 107 ms). It lives in an in-memory database attached to the
# app's connection (shared by its cursors) and is rebuilt at start and refreshed after each write:
# the schema belongs to the store's migrations, which this does not touch.
LOOKUP = "lookup"
MAX_KEY_SCANS = 8  # an actor filter matching more lookup keys tests them all on every lookup row
# One row per event side: its name, text and code as stored, and its actor id and that actor's code
# there (the register's, corrections applied: wirescope.storage.register); ``{scope}`` keeps some
# documents ($docs).
SIDE_ROWS = """
    WITH flat AS (
        SELECT doc_id, event_id, role, x.name, x.text, x.code, x.entity, x.start, x."end" FROM (
            SELECT doc_id, event_id, 'actor' AS role, unnest(from_json(actors, '{sides}')) AS x FROM events
            WHERE true {scope}
            UNION ALL
            SELECT doc_id, event_id, 'recipient', unnest(from_json(recipients, '{sides}')) FROM events
            WHERE true {scope}))
    SELECT doc_id, event_id, role, name, text, code, actor, actor_code FROM ({resolved})"""
SIDES_TYPE = ('[{"name":"VARCHAR","text":"VARCHAR","code":"VARCHAR","entity":"VARCHAR",'
              '"start":"INTEGER","end":"INTEGER"}]')
# One row per event: a number of its own in the lookup (``eid``), its type, its sort key in the
# event lists (its document's day, newest first, the document, its number), so that a list filtered
# on these (or on actors) is sorted and counted here without reading the events and documents
# (measured on 100,000 events: the first page of all events 17 -> 5 ms). ``{scope}`` keeps some
# documents ($docs); new rows are numbered after ``$first``. Each row also has its position in the
# list of all events (``pos``, from 1), renumbered after each write: a page of all events is then a
# range of positions (0.7 ms on 110,000 events, against 7 ms for ORDER BY ... OFFSET), and a
# filtered list sorts on one integer. ``eid`` stays as it was given: the other lookup rows carry it.
EVENT_KEYS = f"{LOOKUP}.event_keys"
LIST_ORDER = "day DESC NULLS LAST, doc_id, num"  # the event lists' order, in the columns below
EVENT_KEY_ROWS = f"""
    SELECT $first + row_number() OVER (ORDER BY {LIST_ORDER}) AS eid, * FROM (
        SELECT e.doc_id, e.event_id, e.type, {DAY_SQL} AS day,
               TRY_CAST(substr(e.event_id, 2) AS INTEGER) AS num  -- event ids are "v1", "v2", ...
        FROM events e JOIN documents d ON d.id = e.doc_id WHERE true {{scope}})"""
EVENT_KEYS_ORDER = "ORDER BY e.pos"
# One row per (event, side, kind, key), the keys being the actor's name and surface text (kind
# 'name'), its code as coded and as corrected (kind 'code') and its actor id (kind 'actor'), in
# lower case, with the event's ``eid``: a filter on an actor reads these small columns.
LOOKUP_ROWS = f"""
    SELECT DISTINCT s.doc_id, s.event_id, k.eid, s.role, unnest(['name', 'name', 'code', 'code', 'actor']) AS kind,
           unnest([lower(s.name), lower(s.text), lower(s.code), lower(s.actor_code), lower(s.actor)]) AS key
    FROM {LOOKUP}.event_sides s JOIN {EVENT_KEYS} k ON k.doc_id = s.doc_id AND k.event_id = s.event_id"""
# One row per (event, actor, recipient) with the event's type and day: the actor network, each
# side keyed by its actor id, else by its name as resolved or written.
PAIR_ROWS = f"""
    SELECT e.doc_id, e.event_id, e.type, {DAY_SQL} AS day,
           coalesce(x.actor, x.name, x.text) AS source, coalesce(y.actor, y.name, y.text) AS target,
           CASE WHEN x.actor IS NULL THEN x.code ELSE x.actor_code END AS source_code,
           CASE WHEN y.actor IS NULL THEN y.code ELSE y.actor_code END AS target_code
    FROM events e JOIN documents d ON d.id = e.doc_id
    JOIN {LOOKUP}.event_sides x ON x.doc_id = e.doc_id AND x.event_id = e.event_id AND x.role = 'actor'
    JOIN {LOOKUP}.event_sides y ON y.doc_id = e.doc_id AND y.event_id = e.event_id AND y.role = 'recipient'"""


def _side_rows(scope: str = "") -> str:
    # The sides just flattened are the references to resolve: the events' JSON is read once.
    refs = "SELECT *, event_id AS ref_id FROM flat"
    return SIDE_ROWS.format(sides=SIDES_TYPE, scope=scope, resolved=register.ref_actors_sql(refs))


def _quote_rows(scope: str = "") -> str:
    """(doc_id, quote_id, actor) of every quote whose speaker has an actor id."""
    resolved = register.ref_actors_sql(register.refs_sql(scope, events=False))
    return f"SELECT doc_id, ref_id AS quote_id, actor FROM ({resolved}) WHERE actor IS NOT NULL"


def prepare_lookup(con: duckdb.DuckDBPyConnection) -> None:
    """Build the event-actor lookup; call once per database connection before the event queries
    (the API at start, the CLI's ``events`` before its query), and again after actor corrections."""
    con.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {LOOKUP} (READ_ONLY false)")
    # In list order: each row group's range of positions lets a page skip the others.
    con.execute(f"CREATE OR REPLACE TABLE {EVENT_KEYS} AS SELECT eid AS pos, * FROM "
                f"({EVENT_KEY_ROWS.format(scope='')}) ORDER BY eid", {"first": 0})
    con.execute(f"CREATE OR REPLACE TABLE {LOOKUP}.event_sides AS {_side_rows()}")
    # Sorted by key: each row group's min/max then lets a filter on one key skip the others.
    con.execute(f"CREATE OR REPLACE TABLE {LOOKUP}.event_actors AS SELECT * FROM ({LOOKUP_ROWS}) "
                "WHERE key IS NOT NULL ORDER BY key")
    # The distinct keys: a prefix or substring filter scans these few, then joins on equal keys.
    con.execute(f"CREATE OR REPLACE TABLE {LOOKUP}.actor_keys AS "
                f"SELECT DISTINCT kind, key FROM {LOOKUP}.event_actors ORDER BY key")
    con.execute(f"CREATE OR REPLACE TABLE {LOOKUP}.event_pairs AS {PAIR_ROWS}")
    con.execute(f"CREATE OR REPLACE TABLE {LOOKUP}.quote_actors AS {_quote_rows()}")
    _name_actors(con)


def _name_actors(con: duckdb.DuckDBPyConnection) -> None:
    # The names and ids that resolve to actors (a few per actor): remade whole, as the register is
    # after each write.
    con.execute(f"CREATE OR REPLACE TABLE {LOOKUP}.actor_names AS {register.ACTOR_NAME_ROWS} ORDER BY key",
                {"pronouns": list(register.PRONOUNS)})


def has_lookup(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name = ?", [LOOKUP]).fetchone()
    return bool(row and row[0])


def refresh_lookup(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> None:
    """Bring the lookup up to date for documents just written (or replaced); nothing to do on a
    connection without one (``wirescope ingest``)."""
    if not has_lookup(con):
        return
    docs = {"docs": list(doc_ids)}
    _replace_event_keys(con, docs)
    for table in ("event_sides", "event_actors", "event_pairs", "quote_actors"):
        con.execute(f"DELETE FROM {LOOKUP}.{table} WHERE list_contains($docs, doc_id)", docs)
    con.execute(f"INSERT INTO {LOOKUP}.event_sides {_side_rows('AND list_contains($docs, doc_id)')}", docs)
    con.execute(f"INSERT INTO {LOOKUP}.event_actors SELECT * FROM ({LOOKUP_ROWS}) "
                "WHERE key IS NOT NULL AND list_contains($docs, doc_id)", docs)
    # Keys of replaced documents may stay: they only match no event.
    con.execute(f"INSERT INTO {LOOKUP}.actor_keys SELECT DISTINCT kind, key FROM {LOOKUP}.event_actors "
                f"WHERE list_contains($docs, doc_id) EXCEPT SELECT kind, key FROM {LOOKUP}.actor_keys", docs)
    con.execute(f"INSERT INTO {LOOKUP}.event_pairs SELECT * FROM ({PAIR_ROWS}) WHERE list_contains($docs, doc_id)",
                docs)
    con.execute(f"INSERT INTO {LOOKUP}.quote_actors {_quote_rows('AND list_contains($docs, doc_id)')}", docs)
    _name_actors(con)


# An event key that comes before the key of day ``{x}_day`` and document ``{x}_doc`` in the lists
# (LIST_ORDER), that key being of another document: a document's keys are all replaced together, so
# old and new keys never share one.
BEFORE = ("((day IS NOT NULL AND ${x}_day IS NULL) OR day > ${x}_day "
          "OR (day IS NOT DISTINCT FROM ${x}_day AND doc_id < ${x}_doc))")


def _replace_event_keys(con: duckdb.DuckDBPyConnection, docs: dict[str, list[str]]) -> None:
    """Replace the event keys of the documents ``$docs`` and keep every key's list position.

    Only the positions between the first and the last change are sorted again (the documents'
    removed keys, and the old keys the new ones land among); those after them all move by the
    number added less the number removed. Sorting them all again cost about 48 ms of CPU a write on
    110,000 events; news arriving as it is published lands near the top of the list.
    """
    removed = con.execute(f"SELECT min(pos), max(pos), count(*) FROM {EVENT_KEYS} WHERE list_contains($docs, doc_id)",
                          docs).fetchone()
    con.execute(f"DELETE FROM {EVENT_KEYS} WHERE list_contains($docs, doc_id)", docs)
    # Numbers are never reused: a new event's eid follows every one given before.
    new_keys = EVENT_KEY_ROWS.format(scope="AND list_contains($docs, e.doc_id)")
    con.execute(f"INSERT INTO {EVENT_KEYS} BY NAME {new_keys}", {**docs, "first": _last_eid(con)})
    # The first and last new keys in list order, then the last old position before each (0: none).
    ends = con.execute(f"""SELECT day, doc_id, n FROM (
                               SELECT day, doc_id, row_number() OVER (ORDER BY {LIST_ORDER}) AS r, count(*) OVER () AS n
                               FROM {EVENT_KEYS} WHERE pos IS NULL)
                           WHERE r = 1 OR r = n ORDER BY r""").fetchall()
    (first_day, first_doc, added), (last_day, last_doc, _) = (ends[0], ends[-1]) if ends else ((None, "", 0),) * 2
    landing = con.execute(
        f"SELECT coalesce(max(pos) FILTER (WHERE {BEFORE.format(x='first')}), 0), "
        f"coalesce(max(pos) FILTER (WHERE {BEFORE.format(x='last')}), 0) FROM {EVENT_KEYS} WHERE pos IS NOT NULL",
        {"first_day": first_day, "first_doc": first_doc, "last_day": last_day, "last_doc": last_doc}).fetchone()
    assert removed is not None and landing is not None
    (first_removed, last_removed, removed_count), (before_first, before_last) = removed, landing
    if not added and not removed_count:
        return
    low = min(p for p in (first_removed, before_first + 1 if added else None) if p is not None)
    high = max(p for p in (last_removed, before_last if added else None) if p is not None)
    shift = added - removed_count
    if shift:
        # The keys after the changes move first, to negative positions, so that the renumbered ones
        # (from ``low``) are never taken for them.
        con.execute(f"UPDATE {EVENT_KEYS} SET pos = -(pos + ?) WHERE pos > ?", [shift, high])
    con.execute(f"""UPDATE {EVENT_KEYS} SET pos = n.pos FROM (
                        SELECT eid, ? - 1 + row_number() OVER (ORDER BY {LIST_ORDER}) AS pos FROM {EVENT_KEYS}
                        WHERE pos IS NULL OR pos BETWEEN ? AND ?) n
                    WHERE {EVENT_KEYS}.eid = n.eid""", [low, low, high])
    if shift:
        con.execute(f"UPDATE {EVENT_KEYS} SET pos = -pos WHERE pos < 0")


def _event_ref(keyed: bool) -> tuple[str, str]:
    """How the event ``e`` of a query is named, and by which lookup columns: by its ``eid`` when ``e``
    is a row of the lookup's event keys (``keyed``), else by its document and event ids."""
    return ("e.eid", "eid") if keyed else ("(e.doc_id, e.event_id)", "doc_id, event_id")


def side_match(con: duckdb.DuckDBPyConnection, role: str | None, value: str,
               keyed: bool = False) -> tuple[Any, ...]:
    """An SQL test and its parameters: the event ``e`` has, on side ``role`` (None: either side), a
    code starting with ``value``, a name or text containing it (any case), or an actor that ``value``
    names (its id, its canonical name or an alias as written: ``register.resolve_actors``).

    Two steps: the matching keys first, from the few distinct ones, then the events with one of
    them, an equality filter on the sorted lookup (measured on 70,000 events: 7 ms, against 16 ms for
    one query joining the two and 26 ms for the prefix and substring tests on every lookup row).
    """
    codes, names, named = matching_keys(con, value)
    actors = [actor.lower() for actor in named]
    wanted = [*(("code", k) for k in codes), *(("name", k) for k in names), *(("actor", k) for k in actors)]
    ref, columns = _event_ref(keyed)
    side = f" AND role = '{role}'" if role else ""
    if not wanted:
        return ("false",)
    if len(wanted) <= MAX_KEY_SCANS:
        # One equality per key, which the lookup's sort by key lets skip the other rows (4 keys on
        # 500,000 rows: 2 ms, against 6 ms for one test of the lists on every row).
        scans = " UNION ALL ".join(f"SELECT {columns} FROM {LOOKUP}.event_actors WHERE key = ? AND kind = ?{side}"
                                   for _ in wanted)
        return (f"{ref} IN ({scans})", *(v for kind, key in wanted for v in (key, kind)))
    return (f"{ref} IN (SELECT {columns} FROM {LOOKUP}.event_actors WHERE "
            "((kind = 'code' AND list_contains(?, key)) OR (kind = 'name' AND list_contains(?, key)) "
            f"OR (kind = 'actor' AND list_contains(?, key))){side})", codes, names, actors)


def matching_keys(con: duckdb.DuckDBPyConnection, value: str) -> tuple[list[str], list[str], list[str]]:
    """The lookup's codes starting with ``value`` and names containing it (any case), and the actors
    it names (``register.resolve_actors``, from the lookup's copy of the register's names): one
    query, where the register alone takes two (each costs 0.5-1.5 ms in DuckDB)."""
    rows = con.execute(
        f"SELECT kind, key, NULL FROM {LOOKUP}.actor_keys WHERE (kind = 'code' AND starts_with(key, lower($v))) "
        "OR (kind = 'name' AND contains(key, lower($v))) "
        f"UNION ALL SELECT kind, key, actor FROM {LOOKUP}.actor_names WHERE {register.ACTOR_NAME_MATCH}",
        {"v": value, "t": value.strip()}).fetchall()
    codes = [key for kind, key, _ in rows if kind == "code"]
    names = [key for kind, key, _ in rows if kind == "name"]
    return codes, names, register.resolve_from_rows(value, [(k, actor) for k, _, actor in rows if k in ("id", "alias")])


def exact_match(role: str, keyed: bool = False) -> str:
    """SQL true when the event ``e`` has on side ``role`` an actor named, written or coded ``?`` (any case)."""
    ref, columns = _event_ref(keyed)
    return f"{ref} IN (SELECT {columns} FROM {LOOKUP}.event_actors WHERE key = lower(?) AND role = '{role}')"


def _last_eid(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute(f"SELECT coalesce(max(eid), 0) FROM {EVENT_KEYS}").fetchone()
    return int(row[0]) if row else 0


def actor_event_counts(con: duckdb.DuckDBPyConnection, actor: str) -> dict[str, int]:
    """``{"did", "received"}``: events with ``actor`` (an id) on the actor side, on the recipient side."""
    rows = con.execute(f"SELECT role, count(DISTINCT (doc_id, event_id)) FROM {LOOKUP}.event_actors "
                       "WHERE kind = 'actor' AND key = lower(?) GROUP BY role", [actor]).fetchall()
    counts = dict(rows)
    return {"did": int(counts.get("actor", 0)), "received": int(counts.get("recipient", 0))}


def actor_quote_keys(con: duckdb.DuckDBPyConnection, actor: str) -> list[tuple[str, str]]:
    """(doc_id, quote_id) of every quote whose speaker is ``actor`` (an id)."""
    rows = con.execute(f"SELECT doc_id, quote_id FROM {LOOKUP}.quote_actors WHERE actor = ? ORDER BY ALL",
                       [actor]).fetchall()
    return [(d, q) for d, q in rows]
