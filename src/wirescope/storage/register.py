"""The SQL of the actor register: the ``actor_forms`` table, the corrections replayed on it, and
the reads behind ``wirescope.storage.actors``.

``actor_forms`` holds, per stored entity that has an actor id, one row for the entity itself (its
canonical name in this document) and one per distinct way its mentions are written, with the
mention count, the document's publication day, and the actor and code *after* the corrections.
It is derived data: rebuilt for the documents of every batch written (``refresh_forms``, inside
the batch's transaction) by copying the analysed actor and code and replaying every stored
correction on those rows, and updated in place when a correction is made. So a correction holds
for documents stored before it and for those stored (or re-analysed) after it, without re-parsing.

An event side or a quote speaker belongs to the actor of the mention its span overlaps (a split
moves "Mr. Trump" and its events, not the pronouns), else to the actor of its entity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import duckdb

from wirescope.errors import StoreError
from wirescope.records import actor_id
from wirescope.storage.rows import fetch_dicts

CorrectionKind = Literal["merge", "split", "rename", "recode"]

# Forms that are not an alias: pronouns name whoever the sentence is about. (storage may not
# import the analysis stage's pronoun sets, so the few are listed here.)
PRONOUNS = ("he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they",
            "them", "their", "theirs", "themselves", "we", "us", "our", "ours", "i", "me", "my", "you", "your",
            "who", "whom", "whose", "which", "that")

# The register's reads and the SQL they share. ``scope`` keeps the documents of a batch.
BASE_FORMS = """
    INSERT INTO actor_forms
    SELECT e.doc_id, e.entity_id, true, e.name, 0, left(d.published, 10), e.type, e.actor, e.code, false
    FROM entities e JOIN documents d ON d.id = e.doc_id WHERE e.actor IS NOT NULL {scope}
    UNION ALL
    SELECT m.doc_id, m.entity_id, false, m.text, count(*), any_value(left(d.published, 10)),
           any_value(e.type), any_value(e.actor), any_value(e.code), false
    FROM mentions m JOIN entities e ON e.doc_id = m.doc_id AND e.entity_id = m.entity_id
    JOIN documents d ON d.id = m.doc_id WHERE e.actor IS NOT NULL {scope} GROUP BY m.doc_id, m.entity_id, m.text"""

# Canonical names: the last rename (or the split that named it) of an actor, else the entity name
# most documents give it (then the longest, then alphabetical); an actor known only by mentions
# (made by a split) by its most written form. ``{only}``/``{only_w}`` keep some actors ($only).
NAMES = """
    WITH corrected AS (
        SELECT actor, arg_max(value, seq) AS name FROM (
            SELECT actor, value, seq FROM actor_corrections WHERE kind = 'rename'
            UNION ALL SELECT other, value, seq FROM actor_corrections WHERE kind = 'split')
        WHERE true {only} GROUP BY actor)
    SELECT w.actor,
           coalesce(any_value(c.name),
                    first(w.text ORDER BY w.named DESC, w.documents DESC, length(w.text) DESC, w.text)) AS name
    FROM actor_aliases w LEFT JOIN corrected c ON c.actor = w.actor WHERE true {only_w} GROUP BY w.actor"""
ONLY = {"only": "AND list_contains($only, actor)", "only_w": "AND list_contains($only, w.actor)"}

# One row per actor (names apart): type (the one most entity rows give), documents, mentions,
# first and last publication day. ``{where}`` filters the actors.
REGISTER = """
    SELECT actor AS id, type, documents, mentions, first_seen, last_seen FROM actor_summary {where}"""


@dataclass(frozen=True)
class Correction:
    """One analyst's correction. ``actor``: the actor corrected (merge: the one kept); ``other``:
    merge: the actor merged into it, split: the new actor's id; ``alias``: split: the form moved;
    ``value``: rename/split: the name, recode: the code; ``start``/``end``: recode: the days."""

    kind: CorrectionKind
    actor: str
    other: str | None = None
    alias: str | None = None
    value: str | None = None
    start: str | None = None
    end: str | None = None


# -- keeping actor_forms up to date -----------------------------------------------------------------
def refresh_forms(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str] | None = None) -> None:
    """Rebuild ``actor_forms`` for these documents (None: all) and replay every correction on them.
    Call inside the transaction that wrote the documents."""
    scope, params = ("", []) if doc_ids is None else ("AND list_contains($ids, e.doc_id)", [list(doc_ids)])
    before = [] if doc_ids is None else _actors_of(con, doc_ids)
    if doc_ids is None:
        con.execute("DELETE FROM actor_forms")
    else:
        con.execute("DELETE FROM actor_forms WHERE list_contains(?, doc_id)", params)
    con.execute(BASE_FORMS.format(scope=scope), {"ids": params[0]} if params else {})
    for correction in _stored_corrections(con):
        _apply(con, correction, doc_ids)
    summarise(con, None if doc_ids is None else sorted(set(before) | set(_actors_of(con, doc_ids))))


def _actors_of(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> list[str]:
    return [r[0] for r in con.execute("SELECT DISTINCT actor FROM actor_forms WHERE list_contains(?, doc_id)",
                                      [list(doc_ids)]).fetchall()]


# The register's summaries of ``actor_forms``, per actor (actor_summary), per form as written
# (actor_aliases: ``named`` when an entity has that name) and per code (actor_codes); ``{only}``
# keeps some actors ($only). Reads come from these small tables: on 10,000 documents aggregating
# the forms at each read cost about 0.2 s per list of actors, measured.
SUMMARIES = {
    "actor_summary": """
        SELECT actor, coalesce(mode(type) FILTER (WHERE is_entity), mode(type)) AS type,
               count(DISTINCT doc_id) AS documents, sum(mentions)::BIGINT AS mentions,
               min(day) AS first_seen, max(day) AS last_seen
        FROM actor_forms WHERE true {only} GROUP BY actor""",
    "actor_aliases": """
        SELECT actor, text, bool_or(is_entity) AS named, sum(mentions)::BIGINT AS mentions,
               count(DISTINCT doc_id) AS documents
        FROM actor_forms WHERE true {only} GROUP BY actor, text""",
    "actor_codes": """
        SELECT actor, code, min(day) AS first_seen, max(day) AS last_seen, count(DISTINCT doc_id) AS documents
        FROM actor_forms WHERE code IS NOT NULL {only} GROUP BY actor, code""",
}


def summarise(con: duckdb.DuckDBPyConnection, actors: Sequence[str] | None) -> None:
    """Recompute the summaries of these actors (None: all) from ``actor_forms``."""
    only = "" if actors is None else "AND list_contains($only, actor)"
    params = {} if actors is None else {"only": list(actors)}
    for table, sql in SUMMARIES.items():
        con.execute(f"DELETE FROM {table} WHERE true {only}", params)
        con.execute(f"INSERT INTO {table} {sql.format(only=only)}", params)


def _stored_corrections(con: duckdb.DuckDBPyConnection) -> list[Correction]:
    rows = con.execute("SELECT kind, actor, other, alias, value, start_day, end_day FROM actor_corrections "
                       "ORDER BY seq").fetchall()
    return [Correction(*row) for row in rows]


def _apply(con: duckdb.DuckDBPyConnection, correction: Correction, doc_ids: Sequence[str] | None) -> None:
    """``correction`` on the rows of ``actor_forms`` (of ``doc_ids`` only, unless None)."""
    scope = "" if doc_ids is None else " AND list_contains($ids, doc_id)"
    params: dict[str, Any] = {} if doc_ids is None else {"ids": list(doc_ids)}
    c = correction
    if c.kind == "merge":
        con.execute(f"UPDATE actor_forms SET actor = $into WHERE actor = $other{scope}",
                    {**params, "into": c.actor, "other": c.other})
    elif c.kind == "split":
        # The mentions written so, and the whole of an entity named so. Mentions moved alone lose
        # their code: it was the evidence of the other actor's name, not of theirs.
        whole = """(doc_id, entity_id) IN (SELECT doc_id, entity_id FROM actor_forms
                   WHERE is_entity AND actor = $old AND lower(text) = lower($alias))"""
        con.execute(f"""
            UPDATE actor_forms SET actor = $new, code = CASE WHEN {whole} THEN code END,
                                   moved = CASE WHEN {whole} THEN moved ELSE true END
            WHERE actor = $old{scope} AND (lower(text) = lower($alias) OR {whole})""",
                    {**params, "new": c.other, "old": c.actor, "alias": c.alias})
    elif c.kind == "recode":
        days = "" if c.start is None and c.end is None else (
            " AND day IS NOT NULL AND day >= coalesce($start, day) AND day <= coalesce($end, day)")
        con.execute(f"UPDATE actor_forms SET code = $code WHERE actor = $actor{scope}{days}",
                    {**params, "code": c.value, "actor": c.actor,
                     **({"start": c.start, "end": c.end} if days else {})})
    # A rename changes no row: names are read from the corrections (NAMES).


def add_correction(con: duckdb.DuckDBPyConnection, correction: Correction) -> dict[str, Any]:
    """Store ``correction`` after the others and apply it to every stored document. Call inside a
    transaction."""
    row = con.execute("SELECT coalesce(max(seq), 0) + 1 FROM actor_corrections").fetchone()
    seq = int(row[0]) if row else 1
    c = correction
    con.execute("INSERT INTO actor_corrections (seq, kind, actor, other, alias, value, start_day, end_day) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [seq, c.kind, c.actor, c.other, c.alias, c.value, c.start, c.end])
    _apply(con, correction, None)
    summarise(con, [a for a in (c.actor, c.other) if a])
    return next(row for row in list_corrections(con) if row["seq"] == seq)


def list_corrections(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return fetch_dicts(con, """
        SELECT seq, kind, actor, other, alias, value, start_day AS start, end_day AS "end",
               strftime(made_at, '%Y-%m-%dT%H:%M:%S') AS made_at
        FROM actor_corrections ORDER BY seq""")


# -- checks -----------------------------------------------------------------------------------------
def actor_exists(con: duckdb.DuckDBPyConnection, actor: str) -> bool:
    return con.execute("SELECT 1 FROM actor_summary WHERE actor = ? LIMIT 1", [actor]).fetchone() is not None


def has_alias(con: duckdb.DuckDBPyConnection, actor: str, alias: str) -> bool:
    return con.execute("SELECT 1 FROM actor_aliases WHERE actor = ? AND lower(text) = lower(?) LIMIT 1",
                       [actor, alias]).fetchone() is not None


def split_id(con: duckdb.DuckDBPyConnection, actor: str, new_name: str) -> str:
    """The id of the actor a split of ``actor`` creates: its type's kind and the new name's slug."""
    kind = actor.split(":", 1)[0] if ":" in actor else "actor"
    made = actor_id("", new_name)
    if made is None:
        raise StoreError(f"{new_name!r} gives no actor id (no letter or digit)")
    return f"{kind}:{made.split(':', 1)[1]}"


# -- who a reference names: event sides and quote speakers ---------------------------------------
# The JSON shape of the stored event sides, as far as resolving their actor needs.
SIDE_TYPE = '[{"entity":"VARCHAR","start":"INTEGER","end":"INTEGER"}]'
# Every event side and quote speaker as (doc_id, ref_id, role, entity, start, "end"); ``{scope}``
# keeps some documents ($docs): see ``refs_sql``.
EVENT_REFS = """
    SELECT doc_id, event_id AS ref_id, 'actor' AS role, x.entity, x.start, x."end"
    FROM (SELECT doc_id, event_id, unnest(from_json(actors, '{side_type}')) AS x FROM events WHERE true {scope})
    UNION ALL
    SELECT doc_id, event_id, 'recipient', x.entity, x.start, x."end"
    FROM (SELECT doc_id, event_id, unnest(from_json(recipients, '{side_type}')) AS x FROM events WHERE true {scope})"""
QUOTE_REFS = """
    SELECT doc_id, quote_id AS ref_id, 'speaker' AS role, speaker_entity AS entity, speaker_start AS start,
           speaker_end AS "end"
    FROM quotes WHERE speaker_entity IS NOT NULL {scope}"""
# The actor of each reference of ``refs``, and its code as corrected: those of its entity, unless
# a split moved some of the entity's mentions alone (``moved``): then those of the mention its span
# overlaps most. Only the few entities with moved mentions are joined to their mentions (on
# 10,000 documents joining every side to every mention tripled the event lookup's build time).
REF_ACTORS = """
    SELECT r.*, coalesce(h.hit.actor, g.actor) AS actor,
           CASE WHEN h.hit.actor IS NOT NULL THEN h.hit.code ELSE g.code END AS actor_code
    FROM refs r
    LEFT JOIN actor_forms g ON g.doc_id = r.doc_id AND g.entity_id = r.entity AND g.is_entity
    LEFT JOIN (
        SELECT r.doc_id, r.ref_id, r.role, r.entity, r.start, r."end",
               arg_max({'actor': f.actor, 'code': f.code}, least(m."end", r."end") - greatest(m.start, r.start))
                   AS hit
        FROM refs r
        JOIN (SELECT DISTINCT doc_id, entity_id FROM actor_forms WHERE moved) x
             ON x.doc_id = r.doc_id AND x.entity_id = r.entity
        JOIN mentions m ON m.doc_id = r.doc_id AND m.entity_id = r.entity AND m.start < r."end" AND m."end" > r.start
        JOIN actor_forms f ON f.doc_id = m.doc_id AND f.entity_id = m.entity_id AND NOT f.is_entity AND f.text = m.text
        GROUP BY ALL) h
         ON h.doc_id = r.doc_id AND h.ref_id = r.ref_id AND h.role = r.role AND h.entity = r.entity
        AND h.start = r.start AND h."end" = r."end"
"""


def refs_sql(scope: str = "", events: bool = True, quotes: bool = True) -> str:
    """Every event side and/or quote speaker, with the extra condition ``scope`` ("AND ...")."""
    parts = ([EVENT_REFS] if events else []) + ([QUOTE_REFS] if quotes else [])
    return " UNION ALL ".join(p.format(side_type=SIDE_TYPE, scope=scope) for p in parts)


def ref_actors_sql(refs: str) -> str:
    """SQL listing the references ``refs`` selects (with at least doc_id, ref_id, role, entity,
    start, "end") with their ``actor`` and ``actor_code``, NULL when the entity has no actor id."""
    return f"WITH refs AS ({refs}) {REF_ACTORS}"


def _actor_refs(con: duckdb.DuckDBPyConnection, actors: Sequence[str],
                events: bool = True) -> list[tuple[str, str, str]]:
    """(doc_id, ref_id, role) of every quote speaker and (with ``events``) event side naming one of
    ``actors``: read in the documents where they appear only."""
    refs = refs_sql("AND list_contains($docs, doc_id)", events=events)
    docs = [r[0] for r in con.execute("SELECT DISTINCT doc_id FROM actor_forms WHERE list_contains(?, actor)",
                                      [list(actors)]).fetchall()]
    if not docs:
        return []
    return [(d, r, role) for d, r, role in con.execute(
        f"SELECT DISTINCT doc_id, ref_id, role FROM ({ref_actors_sql(refs)}) WHERE list_contains($actors, actor)",
        {"docs": docs, "actors": list(actors)}).fetchall()]


def quote_keys(con: duckdb.DuckDBPyConnection, actors: Sequence[str]) -> list[tuple[str, str]]:
    """(doc_id, quote_id) of every quote whose speaker is one of ``actors``."""
    return sorted((d, r) for d, r, role in _actor_refs(con, actors, events=False) if role == "speaker")


# -- reading the register ------------------------------------------------------------------------------
def _register_where(q: str | None, type_: str | None, actor: str | None) -> tuple[str, dict[str, Any]]:
    """REGISTER with the ``where`` clause of the filters given, and its parameters."""
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if actor is not None:
        clauses.append("actor = $actor")
        params["actor"] = actor
    if q:
        # The id, any form as written (the default canonical name is one), or a name given by a correction.
        clauses.append("""(actor ILIKE $q ESCAPE '\\' OR actor IN (
            SELECT actor FROM actor_aliases
            WHERE text ILIKE $q ESCAPE '\\' AND NOT list_contains($pronouns, lower(text))
            UNION SELECT CASE kind WHEN 'split' THEN other ELSE actor END FROM actor_corrections
            WHERE kind IN ('rename', 'split') AND value ILIKE $q ESCAPE '\\'))""")
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params |= {"q": f"%{escaped}%", "pronouns": list(PRONOUNS)}
    if type_:
        clauses.append("type = upper($type)")
        params["type"] = type_
    return REGISTER.format(where=" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _named(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Register rows with their canonical names, ``name`` after ``id``."""
    names = actor_names(con, [row["id"] for row in rows])
    return [{"id": row["id"], "name": names.get(row["id"]), **{k: v for k, v in row.items() if k != "id"}}
            for row in rows]


def _codes(con: duckdb.DuckDBPyConnection, actors: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each actor's codes with the first and last publication day each was given (oldest first)."""
    out: dict[str, list[dict[str, Any]]] = {a: [] for a in actors}
    for row in fetch_dicts(con, """
            SELECT actor, code, first_seen, last_seen, documents FROM actor_codes WHERE list_contains(?, actor)
            ORDER BY first_seen NULLS LAST, code""", [actors]):
        out[row.pop("actor")].append(row)
    return out


def _aliases(con: duckdb.DuckDBPyConnection, actors: list[str],
             per_actor: int | None) -> dict[str, list[dict[str, Any]]]:
    """Each actor's forms as written (entity names and mention texts, pronouns left out), most
    written first."""
    out: dict[str, list[dict[str, Any]]] = {a: [] for a in actors}
    for row in fetch_dicts(con, """
            SELECT actor, text AS alias, mentions, documents FROM actor_aliases
            WHERE list_contains(?, actor) AND NOT list_contains(?, lower(text))
            ORDER BY mentions DESC, documents DESC, alias""", [actors, list(PRONOUNS)]):
        listed = out[row.pop("actor")]
        if per_actor is None or len(listed) < per_actor:
            listed.append(row)
    return out


def list_actors(con: duckdb.DuckDBPyConnection, q: str | None = None, type_: str | None = None,
                limit: int = 50, offset: int = 0) -> dict[str, Any]:
    register, params = _register_where(q, type_, None)
    total_row = con.execute(f"SELECT count(*) FROM ({register})", params).fetchone()
    items = _named(con, fetch_dicts(con, f"{register} ORDER BY documents DESC, mentions DESC, id "
                                   "LIMIT $limit OFFSET $offset", {**params, "limit": limit, "offset": offset}))
    ids = [item["id"] for item in items]
    codes, aliases = _codes(con, ids), _aliases(con, ids, per_actor=5)
    for item in items:
        item["codes"], item["aliases"] = codes[item["id"]], aliases[item["id"]]
    return {"total": int(total_row[0]) if total_row else 0, "limit": limit, "offset": offset, "items": items}


def get_actor(con: duckdb.DuckDBPyConnection, actor: str, max_documents: int,
              count_refs: bool = True) -> dict[str, Any] | None:
    """The register's record of ``actor`` (see ``storage.actors.get_actor``); without
    ``count_refs``, ``events`` and ``quotes`` are left for the caller (who has the event lookup)."""
    register, params = _register_where(None, None, actor)
    rows = _named(con, fetch_dicts(con, register, params))
    if not rows:
        return None
    record = rows[0]
    record["aliases"] = _aliases(con, [actor], per_actor=None)[actor]
    record["codes"] = _codes(con, [actor])[actor]
    record["document_list"] = fetch_dicts(con, """
        SELECT d.id, d.title, d.outlet, left(d.published, 10) AS day FROM documents d
        WHERE d.id IN (SELECT doc_id FROM actor_forms WHERE actor = ?)
        ORDER BY day DESC NULLS LAST, d.stored_at DESC, d.id LIMIT ?""", [actor, max_documents])
    if count_refs:
        refs = _actor_refs(con, [actor])
        record["events"] = {"did": len({(d, r) for d, r, role in refs if role == "actor"}),
                            "received": len({(d, r) for d, r, role in refs if role == "recipient"})}
        record["quotes"] = len({(d, r) for d, r, role in refs if role == "speaker"})
    return record


def resolve_actors(con: duckdb.DuckDBPyConnection, text: str) -> list[str]:
    """The actors ``text`` names: the actor whose id it is (as written, else in lower case), else
    every actor with it as a form as written or as a name a correction gave (any case), sorted."""
    wanted = text.strip()
    if not wanted:
        return []
    # The text as an actor id, as written first, then in lower case: one query (each costs ~0.5 ms).
    ids = [row[0] for row in con.execute("SELECT actor FROM actor_summary WHERE actor = $t OR actor = lower($t)",
                                         {"t": wanted}).fetchall()]
    if picked := _picked_id(wanted, ids):
        return picked
    # Any form as written (a default canonical name is one), or a name a correction gave, of an
    # actor that exists.
    rows = con.execute("""
        SELECT actor FROM (
            SELECT actor FROM actor_aliases WHERE lower(text) = lower($t) AND NOT list_contains($pronouns, lower(text))
            UNION SELECT CASE kind WHEN 'split' THEN other ELSE actor END FROM actor_corrections
            WHERE kind IN ('rename', 'split') AND lower(value) = lower($t))
        WHERE actor IN (SELECT actor FROM actor_summary)""", {"t": wanted, "pronouns": list(PRONOUNS)}).fetchall()
    return sorted(row[0] for row in rows)


def _picked_id(wanted: str, ids: Sequence[str]) -> list[str]:
    """``[wanted]`` when it is one of the actor ``ids``, else ``[wanted.lower()]`` when that is, else []."""
    return next(([candidate] for candidate in (wanted, wanted.lower()) if candidate in ids), [])


# Every way ``resolve_actors`` finds an actor, as rows (kind, key, actor): its id (kind 'id'), and
# each form as written but pronouns and each name a correction gave, in lower case (kind 'alias');
# actors that exist only. The API keeps them in its lookup (``storage.lookup``) and resolves a name
# there with ``resolve_from_rows``, in the query that matches the lookup's keys.
ACTOR_NAME_ROWS = """
    SELECT 'id' AS kind, actor AS key, actor FROM actor_summary
    UNION ALL
    SELECT * FROM (
        SELECT 'alias', lower(text), actor FROM actor_aliases WHERE NOT list_contains($pronouns, lower(text))
        UNION SELECT 'alias', lower(value), CASE kind WHEN 'split' THEN other ELSE actor END FROM actor_corrections
        WHERE kind IN ('rename', 'split') AND value IS NOT NULL)
    WHERE actor IN (SELECT actor FROM actor_summary)"""
# The rows of ``ACTOR_NAME_ROWS`` that may name ``$t``, of which ``resolve_from_rows`` picks.
ACTOR_NAME_MATCH = "(kind = 'id' AND (key = $t OR key = lower($t))) OR (kind = 'alias' AND key = lower($t))"


def resolve_from_rows(text: str, rows: Sequence[tuple[str, str]]) -> list[str]:
    """``resolve_actors(text)`` from the (kind, actor) of the ``ACTOR_NAME_ROWS`` that
    ``ACTOR_NAME_MATCH`` found for ``$t``, the stripped ``text``."""
    wanted = text.strip()
    if not wanted:
        return []
    picked = _picked_id(wanted, [actor for kind, actor in rows if kind == "id"])
    return picked or sorted({actor for kind, actor in rows if kind == "alias"})


def actor_names(con: duckdb.DuckDBPyConnection, actors: Sequence[str]) -> dict[str, str]:
    """The canonical name of each of ``actors`` known to the register."""
    if not actors:
        return {}
    rows = con.execute(NAMES.format(**ONLY), {"only": list(actors)}).fetchall()
    return dict(rows)


# The register as one exported table: each actor with its aliases and codes (lists of structs).
EXPORT = f"""
    WITH names AS ({NAMES.format(only="", only_w="")}),
    aliases AS (
        SELECT actor, list({{'alias': text, 'mentions': mentions, 'documents': documents}}
                           ORDER BY mentions DESC, documents DESC, text) AS aliases
        FROM actor_aliases WHERE NOT list_contains({list(PRONOUNS)}, lower(text)) GROUP BY actor),
    codes AS (
        SELECT actor, list({{'code': code, 'first_seen': first_seen, 'last_seen': last_seen, 'documents': documents}}
                           ORDER BY first_seen NULLS LAST, code) AS codes
        FROM actor_codes GROUP BY actor)
    SELECT s.actor AS id, n.name, s.type, s.documents, s.mentions, s.first_seen, s.last_seen,
           coalesce(a.aliases, []) AS aliases, coalesce(c.codes, []) AS codes
    FROM actor_summary s JOIN names n ON n.actor = s.actor LEFT JOIN aliases a ON a.actor = s.actor
    LEFT JOIN codes c ON c.actor = s.actor
    ORDER BY s.documents DESC, s.mentions DESC, s.actor"""
