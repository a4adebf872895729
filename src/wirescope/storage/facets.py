"""Faceted document search (issue 20, "exploration like datasette"): the documents matching a query
and filters, each facet's values with their counts, and snippets with the query's words marked.

A facet's counts are those of the documents matching the query and every *other* filter: choosing
an outlet keeps the other outlets' counts in view, so a reader can switch from one to another.
The year facet goes with the published-date filters (``since``/``until``), the country facet with
the country filter; the box filter has no facet. A document is in a country or a box when one of
its resolved places is: an entity's GeoNames place or an event's location (issue 18, item 5). All
values reach SQL as parameters; the only text spliced into SQL is built here from constants.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb

from wirescope.storage import queries, register, search_index
from wirescope.storage.event_places import country_names, inside_box
from wirescope.storage.queries import DAY_SQL, DOCUMENT_ORDER, Where
from wirescope.storage.rows import fetch_dicts

FACET_NAMES = ("outlet", "language", "type", "actor", "story", "country", "year")
TOP_FACET = 10  # values listed for the actor and story facets
MAX_FACET = 100  # values listed for the others (outlets, languages, event types, years)
MAX_CSV = 100_000  # documents in one CSV download
_WORD = re.compile(r"[^\W_]+")  # the search index's word pattern (search_index._WORD)


@dataclass(frozen=True)
class DocumentSearch:
    """What a document search asks for: the query ``q`` (search_index.parse_query) and filters.

    ``actor``: an actor id, an actor's name or alias, an entity name or code (whole, any case), or
    what the events filter takes (a code prefix or a part of a side's name: the documents with
    such an event). ``types``: documents with an event of one of these PLOVER types. ``story``: a
    story id. ``since``/``until``: published days, inclusive. ``country`` (ISO alpha-2, as
    ``event_places.parse_country`` gives it) and ``box`` (west, south, east, north, as
    ``event_places.parse_box`` gives it): documents with a resolved place there. The actor filter
    reads the event-actor lookup: ``queries.prepare_lookup`` the connection first (the API does).
    """

    q: str | None = None
    outlet: str | None = None
    language: str | None = None
    story: str | None = None
    actor: str | None = None
    types: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    stored_since: datetime | None = None
    country: str | None = None
    box: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class Matching:
    """The documents ``d`` a query matches: a FROM clause, its parameters and its own conditions."""

    source: str
    params: tuple[Any, ...]
    where: Where
    scored: bool  # the source has the BM25 score s.score


def _combine(parts: Iterable[Where]) -> Where:
    combined = Where()
    for part in parts:
        combined = Where(combined.clauses + part.clauses, combined.params + part.params)
    return combined


def _actor_filter(con: duckdb.DuckDBPyConnection, actor: str) -> Where:
    """Documents naming ``actor`` (its id, name or code) or with an event that the events filter
    matches for it (``EventFilter.actor``: either side)."""
    events = queries.EventFilter(actor=actor).where(con)
    ids = register.resolve_actors(con, actor)
    return Where().add(
        "(d.id IN (SELECT doc_id FROM actor_forms WHERE list_contains(?, actor)) "
        "OR d.id IN (SELECT doc_id FROM entities WHERE lower(name) = lower(?) OR code = upper(?)) "
        f"OR d.id IN (SELECT e.doc_id FROM events e{events.sql()}))",
        ids, actor, actor, *events.params)


# Every resolved place of a document, one row each: its entities' GeoNames places and its events'
# locations (wirescope.records.Place as JSON), with the country (ISO alpha-2) and the coordinates.
PLACE_ROWS = " UNION ALL ".join(
    f"""SELECT doc_id, upper(json_extract_string({column}, '$.country')) AS country,
        TRY_CAST(json_extract({column}, '$.latitude') AS DOUBLE) AS latitude,
        TRY_CAST(json_extract({column}, '$.longitude') AS DOUBLE) AS longitude
        FROM {table} WHERE {column} IS NOT NULL""" for table, column in (("entities", "place"), ("events", "location")))


def _place_filter(country: str | None, box: tuple[float, float, float, float] | None) -> Where:
    """Documents with a resolved place in ``country`` (alpha-2) or inside ``box``."""
    where = Where()
    if country:
        where = where.add("p.country = ?", country.upper())
    if box is not None:
        where = inside_box(where, "p.latitude", "p.longitude", box)
    return Where().add(f"d.id IN (SELECT p.doc_id FROM ({PLACE_ROWS}) p{where.sql()})", *where.params)


def _date_filter(since: date | None, until: date | None) -> Where:
    where = Where()
    if since is not None:
        where = where.add(f"{DAY_SQL} >= ?", since.isoformat())
    if until is not None:  # inclusive: every time of that day
        where = where.add(f"{DAY_SQL} < ?", (until + timedelta(days=1)).isoformat())
    return where


def filters(con: duckdb.DuckDBPyConnection, search: DocumentSearch) -> dict[str, Where]:
    """Each filter given, keyed by the facet it goes with (the date range goes with ``year``)."""
    found: dict[str, Where] = {}
    if search.outlet:
        found["outlet"] = Where().add("lower(d.outlet) = lower(?)", search.outlet)
    if search.language:
        found["language"] = Where().add("lower(d.language) = lower(?)", search.language)
    if search.types:
        found["type"] = Where().add("d.id IN (SELECT doc_id FROM events WHERE list_contains(?, type))",
                                    [t.upper() for t in search.types])
    if search.actor:
        found["actor"] = _actor_filter(con, search.actor)
    if search.story:
        found["story"] = Where().add("d.id IN (SELECT doc_id FROM story_documents WHERE story_id = ?)",
                                     search.story)
    if search.country:
        found["country"] = _place_filter(search.country, None)
    if search.box is not None:
        found["box"] = _place_filter(None, search.box)  # no facet: it applies to every facet
    if search.since is not None or search.until is not None:
        found["year"] = _date_filter(search.since, search.until)
    return found


def matching(search: DocumentSearch, indexed: bool = True) -> Matching | None:
    """The documents the query and ``stored_since`` take (None: the query can find nothing).

    ``indexed`` False: no search index (a read-only database never indexed): every title and text is
    scanned for the query as written, as ``queries.search_documents`` does then.
    """
    where = Where()
    if search.stored_since is not None:  # stored_at is in the database's time zone
        since = search.stored_since
        where = where.add("d.stored_at > (?::TIMESTAMPTZ)::TIMESTAMP",
                          since if since.tzinfo else since.replace(tzinfo=UTC))
    if not search.q:
        return Matching("FROM documents d", (), where, False)
    if not indexed:
        words = queries.like_pattern(search.q.strip().strip('"'))
        return Matching("FROM documents d", (), where.add(
            "(d.title ILIKE ? ESCAPE '\\' OR d.text ILIKE ? ESCAPE '\\')", words, words), False)
    query = search_index.parse_query(search.q)
    if not query.terms:  # only function words or punctuation
        return None
    ranked, params = search_index.ranked_sql(query)
    for phrase in query.phrases:
        # Evaluated on the joined candidates only (see queries._ranked_documents): never every text.
        where = where.add("CASE WHEN s.score IS NULL THEN false "
                          "ELSE d.title ILIKE ? ESCAPE '\\' OR d.text ILIKE ? ESCAPE '\\' END",
                          queries.like_pattern(phrase), queries.like_pattern(phrase))
    return Matching(f"FROM ({ranked}) s JOIN documents d ON d.id = s.doc_id", tuple(params), where, True)


def search_documents(con: duckdb.DuckDBPyConnection, search: DocumentSearch, limit: int | None = 50,
                     offset: int = 0, with_facets: bool = True) -> dict[str, Any]:
    """The page of documents matching ``search`` (best match first with a query, else newest first),
    the total and, with ``with_facets``, the facets. ``limit`` None: every match."""
    try:
        return _search(con, search, limit, offset, with_facets, indexed=True)
    except duckdb.CatalogException:  # no index tables (see queries.search_documents)
        return _search(con, search, limit, offset, with_facets, indexed=False)


def _search(con: duckdb.DuckDBPyConnection, search: DocumentSearch, limit: int | None, offset: int,
            with_facets: bool, indexed: bool) -> dict[str, Any]:
    found = matching(search, indexed)
    chosen = filters(con, search)
    result: dict[str, Any] = {"total": 0, "limit": limit, "offset": offset, "items": []}
    if with_facets:
        result["facets"] = {name: [] for name in FACET_NAMES}
    if found is None:
        return result
    where = _combine([found.where, *chosen.values()])
    params = [*found.params, *where.params]
    score = "s.score" if found.scored else "NULL"
    order = f"s.score DESC, {DOCUMENT_ORDER}" if found.scored else DOCUMENT_ORDER
    page = "" if limit is None else f" LIMIT {int(limit)}"
    keys = con.execute(f"SELECT d.id, {score}, count(*) OVER () {found.source}{where.sql()} ORDER BY {order}"
                       f"{page} OFFSET ?", [*params, offset]).fetchall()
    if keys:
        result["total"] = int(keys[0][2])
    elif offset:  # past the last page
        row = con.execute(f"SELECT count(*) {found.source}{where.sql()}", params).fetchone()
        result["total"] = int(row[0]) if row else 0
    scores = [None if k[1] is None else round(k[1], 4) for k in keys]
    result["items"] = document_items(con, [k[0] for k in keys], scores, search.q)
    if with_facets:
        result["facets"] = {name: facet(con, name, found, chosen) for name in FACET_NAMES}
    return result


# What ``wirescope documents`` lists of each document (as Store.list_documents), ingest time in UTC text.
LISTED_FIELDS = ("d.id, d.title, d.outlet, d.published, d.language, d.status, d.source, "
                 "strftime(d.stored_at, '%Y-%m-%dT%H:%M:%S') AS stored_at")


def list_documents(con: duckdb.DuckDBPyConnection, search: DocumentSearch,
                   limit: int) -> tuple[list[dict[str, Any]], int]:
    """The documents matching ``search``, most recently stored first, as ``Store.list_documents``
    lists them (at most ``limit``), and how many match in all."""
    try:
        return _listed(con, search, limit, indexed=True)
    except duckdb.CatalogException:  # no index tables (see queries.search_documents)
        return _listed(con, search, limit, indexed=False)


def _listed(con: duckdb.DuckDBPyConnection, search: DocumentSearch, limit: int,
            indexed: bool) -> tuple[list[dict[str, Any]], int]:
    found = matching(search, indexed)
    if found is None:
        return [], 0
    where = _combine([found.where, *filters(con, search).values()])
    rows = fetch_dicts(con, f"SELECT {LISTED_FIELDS}, count(*) OVER () AS matching {found.source}{where.sql()} "
                            f"ORDER BY d.stored_at DESC, d.id LIMIT {int(limit)}", [*found.params, *where.params])
    total = int(rows[0]["matching"]) if rows else 0
    return [{k: v for k, v in row.items() if k != "matching"} for row in rows], total


# Entity types that are actors (as wirescope.stories.assign.ACTOR_TYPES: storage may not import it).
ACTOR_TYPES = ("PERSON", "ORG", "GPE", "NORP")
# A document's actors: the register's actor id of each entity that has one (corrections applied),
# else the entity's name as written; the actor filter takes either.
ACTOR_ROWS = f"""
    SELECT DISTINCT e.doc_id, coalesce(g.actor, e.name) AS actor FROM entities e
    LEFT JOIN actor_forms g ON g.doc_id = e.doc_id AND g.entity_id = e.entity_id AND g.is_entity
    WHERE e.type IN ({", ".join(f"'{t}'" for t in ACTOR_TYPES)})"""
# Per facet: the value, a join giving it (when not a column of d) and how many values to list.
_FACET_SQL: dict[str, tuple[str, str, int]] = {
    "outlet": ("d.outlet", "", MAX_FACET),
    "language": ("d.language", "", MAX_FACET),
    "type": ("t.type", " JOIN (SELECT DISTINCT doc_id, type FROM events) t ON t.doc_id = d.id", MAX_FACET),
    "actor": ("a.actor", f" JOIN ({ACTOR_ROWS}) a ON a.doc_id = d.id", TOP_FACET),
    "story": ("sd.story_id", " JOIN (SELECT DISTINCT doc_id, story_id FROM story_documents) sd "
                             "ON sd.doc_id = d.id", TOP_FACET),
    "country": ("pc.country", f" JOIN (SELECT DISTINCT doc_id, country FROM ({PLACE_ROWS}) WHERE country IS NOT NULL) "
                              "pc ON pc.doc_id = d.id", MAX_FACET),
    "year": (f"left({DAY_SQL}, 4)", "", MAX_FACET),
}


def facet(con: duckdb.DuckDBPyConnection, name: str, found: Matching, chosen: dict[str, Where]) -> list[dict[str, Any]]:
    """The values of facet ``name`` with how many documents match the query and the other filters,
    most first; ``label`` names the value (an actor's canonical name, a story's headline, a
    country's name). Only the year facet lists None (undated documents)."""
    value, join, most = _FACET_SQL[name]
    where = _combine([found.where, *(w for key, w in chosen.items() if key != name)])
    if name != "year":
        where = where.add(f"{value} IS NOT NULL")
    order = "value DESC NULLS LAST" if name == "year" else "count DESC, value"
    rows = con.execute(f"SELECT {value} AS value, count(*) AS count {found.source}{join}{where.sql()} "
                       f"GROUP BY ALL ORDER BY {order} LIMIT {most}", [*found.params, *where.params]).fetchall()
    labels = _labels(con, name, [row[0] for row in rows])
    if name == "country":  # only codes the country filter takes (a hand-made place may carry another)
        rows = [row for row in rows if row[0] in labels]
    return [{"value": v, "label": labels.get(v, v), "count": int(n)} for v, n in rows]


def _labels(con: duckdb.DuckDBPyConnection, name: str, values: list[Any]) -> dict[Any, Any]:
    if name == "actor":
        return register.actor_names(con, values)
    if name == "story" and values:
        return dict(con.execute("SELECT story_id, coalesce(headline, story_id) FROM stories "
                                "WHERE list_contains(?, story_id)", [values]).fetchall())
    if name == "country":
        return dict(country_names(values))
    return {}


# -- items and snippets -----------------------------------------------------------------------------
def document_items(con: duckdb.DuckDBPyConnection, ids: list[str], scores: list[float | None],
                   q: str | None) -> list[dict[str, Any]]:
    """``queries.document_items`` (the listed fields, ``score``, the ``snippet`` around the first
    match) with the snippet's ``highlights``: where the query's words are in it."""
    items = queries.document_items(con, ids, scores, q)
    for item in items:
        item["highlights"] = highlights(item["snippet"], q) if item["snippet"] and q else []
    return items


def highlights(text: str, q: str) -> list[dict[str, int]]:
    """Where ``text`` shows ``q``'s quoted phrases (any case) and its terms (words the search index
    folds to one of them), as sorted, non-overlapping {start, end} character offsets. Offsets, not
    markup: the client builds its own elements from them."""
    query = search_index.parse_query(q)
    spans = [m.span() for p in query.phrases for m in re.finditer(re.escape(p), text, re.IGNORECASE)]
    wanted = set(query.terms)
    spans += [m.span() for m in _WORD.finditer(text) if search_index.fold(m.group()) in wanted]
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [{"start": start, "end": end} for start, end in merged]


CSV_COLUMNS = ("id", "title", "outlet", "published", "language", "status", "url", "score", "snippet")


def documents_csv(items: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for item in items:
        writer.writerow([queries.csv_cell(item[column]) for column in CSV_COLUMNS])
    return out.getvalue()
