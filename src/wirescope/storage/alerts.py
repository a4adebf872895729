"""Alerts (issue 16): saved queries over the stored documents and events, and what matches them.
Every query of the ``alerts`` table (migration 8 of ``storage.store``) is here.

An alert is a conjunction of filters; every one given must hold:

* ``actor``: an event with an actor or a recipient that the value names, as ``wirescope events --actor``
  and ``GET /events?actor=`` read it (``queries.EventFilter``: a code prefix, a part of a name, an
  actor id, or an actor's canonical name or alias, whole);
* ``recipient``: the same, on the recipient side only. ``actor`` and ``recipient`` together make a
  pair, the events of ``GET /events?actor=X&recipient=Y``;
* ``event_type``: an event of this PLOVER type;
* ``term``: the document has a loaded term (a framing record of kind ``loaded_term``, in the outlet's
  voice or in a quote) whose text contains the value, or whose neutral alternative or lexicon
  category is the value, any case ("regime", "government", "dehumanising");
* ``word``: a word or phrase in the title or the article (teasers of other stories and the site's
  notices left out): every word of it as the search index has it (``storage.search_index``: any case,
  accents ignored, whole words), and a phrase of several words also as written, any case.

With an event filter, a match is one event (``event_id`` set) of a document that also passes the
document filters (``term``, ``word``); with document filters alone, a match is one document.
Matches are listed newest stored first. A match is *new* when its document was stored after the
alert was created: ``created_at`` and ``documents.stored_at`` are both the database's clock.

Times come out as aware datetimes in UTC (``iso_utc`` writes them as ``2026-12-05T06:26:34.811457Z``);
a ``since`` given without a time zone is taken as UTC.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from typing import Any

import duckdb

from wirescope.errors import WirescopeError
from wirescope.storage import queries, search_index
from wirescope.storage.event_items import EVENTS_BY_KEY, event_item
from wirescope.storage.gdelt import cameo_table
from wirescope.storage.queries import Where
from wirescope.storage.rows import fetch_dicts

PLOVER_TYPES = frozenset(etype for etype, _mode in cameo_table())
MAX_NAME = 200  # characters of an alert's name
MAX_VALUE = 300  # characters of one filter's value

_ALERT_COLUMNS = "id, name, actor, recipient, event_type, term, word, created_at::TIMESTAMPTZ AS created_at"
# True for a match whose document was stored after the alert (its id: the one parameter) was made.
_NEW = "d.stored_at > (SELECT created_at FROM alerts WHERE id = ?)"
# A loaded term of framing record ``f`` matching the value (three parameters, the same value).
_TERM_MATCH = ("f.kind = 'loaded_term' AND (contains(lower(f.text), lower(?)) OR lower(f.category) = lower(?) "
               "OR list_contains(string_split(lower(f.neutral), '|'), lower(?)))")
_EVENT_ORDER = ", CAST(substr(e.event_id, 2) AS INTEGER)"  # event ids are "v1", "v2", ...


class AlertError(WirescopeError):
    """An alert that cannot be made as asked (no filter, an unknown event type, a blank value)."""


@dataclass(frozen=True)
class AlertQuery:
    """The filters of an alert (None: not filtered); see the module's docstring for what each matches."""

    actor: str | None = None
    recipient: str | None = None
    event_type: str | None = None
    term: str | None = None
    word: str | None = None

    @property
    def kind(self) -> str:
        """The filters given, joined by '+' in this order: actor | recipient | pair, event_type, term, word."""
        sides = {(True, True): "pair", (True, False): "actor", (False, True): "recipient"}
        kinds = [sides.get((bool(self.actor), bool(self.recipient)), "")]
        kinds += [name for name in ("event_type", "term", "word") if getattr(self, name)]
        return "+".join(kind for kind in kinds if kind)

    @property
    def on_events(self) -> bool:
        """Whether a match is an event (some filter is on events) rather than a document."""
        return bool(self.actor or self.recipient or self.event_type)

    def event_filter(self) -> queries.EventFilter:
        types = (self.event_type,) if self.event_type else ()
        return queries.EventFilter(types=types, actor=self.actor, recipient=self.recipient)

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


QUERY_FIELDS = tuple(f.name for f in fields(AlertQuery))


@dataclass(frozen=True)
class Alert:
    id: int
    name: str
    query: AlertQuery
    created_at: datetime  # aware, UTC

    @property
    def kind(self) -> str:
        return self.query.kind

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind, "query": self.query.to_dict(),
                "created_at": iso_utc(self.created_at)}


def iso_utc(moment: datetime) -> str:
    """An aware time as RFC 3339 text in UTC, to the microsecond (a ``since`` that reads back the same)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _aware(moment: datetime) -> datetime:
    """A time with its zone; one given without is taken as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _given(option: str, value: str | None) -> str | None:
    """A filter's value stripped; None when blank or absent."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > MAX_VALUE:
        raise AlertError(f"{option} is longer than {MAX_VALUE} characters")
    return value


def make_query(actor: str | None = None, recipient: str | None = None, event_type: str | None = None,
               term: str | None = None, word: str | None = None) -> AlertQuery:
    """An alert's filters checked: at least one given, a known PLOVER type (any case), a word the
    search index can look up. Raises AlertError saying what is wrong."""
    query = AlertQuery(_given("actor", actor), _given("recipient", recipient), _given("event_type", event_type),
                       _given("term", term), _given("word", word))
    if not query.kind:
        raise AlertError("an alert needs at least one filter: actor, recipient, event type, term or word")
    if query.event_type is not None:
        wanted = query.event_type.upper()
        if wanted not in PLOVER_TYPES:
            raise AlertError(f"unknown PLOVER event type {query.event_type!r}; "
                             f"one of {', '.join(sorted(PLOVER_TYPES))}")
        query = AlertQuery(query.actor, query.recipient, wanted, query.term, query.word)
    if query.word is not None and not search_index.parse_query(query.word).terms:
        raise AlertError(f"word {query.word!r} has only function words ('the', 'of', ...), which the search "
                         "index leaves out: give a word that says what to look for")
    return query


def default_name(query: AlertQuery) -> str:
    """A name saying what the alert follows: 'Kestrel -> Valdoria, THREATEN, term "regime"'."""
    parts = []
    if query.actor and query.recipient:
        parts.append(f"{query.actor} -> {query.recipient}")
    elif query.actor or query.recipient:
        parts.append(f"actor {query.actor}" if query.actor else f"recipient {query.recipient}")
    if query.event_type:
        parts.append(query.event_type)
    if query.term:
        parts.append(f'term "{query.term}"')
    if query.word:
        parts.append(f'word "{query.word}"')
    return ", ".join(parts)[:MAX_NAME]


# -- the saved alerts ---------------------------------------------------------------------------
def _alert(row: tuple[Any, ...]) -> Alert:
    alert_id, name, *values, created_at = row
    return Alert(int(alert_id), name, AlertQuery(*values), created_at.astimezone(UTC))


def add_alert(con: duckdb.DuckDBPyConnection, query: AlertQuery, name: str | None = None) -> Alert:
    """Save an alert (``query`` from ``make_query``); its name is ``default_name`` when none is given."""
    name = (name or "").strip() or default_name(query)
    if len(name) > MAX_NAME:
        raise AlertError(f"the name is longer than {MAX_NAME} characters")
    row = con.execute(f"INSERT INTO alerts (name, kind, {', '.join(QUERY_FIELDS)}) VALUES (?, ?, ?, ?, ?, ?, ?) "
                      f"RETURNING {_ALERT_COLUMNS}", [name, query.kind, *asdict(query).values()]).fetchone()
    assert row is not None
    return _alert(row)


def list_alerts(con: duckdb.DuckDBPyConnection) -> list[Alert]:
    """Every alert, oldest first."""
    return [_alert(row) for row in con.execute(f"SELECT {_ALERT_COLUMNS} FROM alerts ORDER BY id").fetchall()]


def get_alert(con: duckdb.DuckDBPyConnection, alert_id: int) -> Alert | None:
    row = con.execute(f"SELECT {_ALERT_COLUMNS} FROM alerts WHERE id = ?", [alert_id]).fetchone()
    return _alert(row) if row else None


def remove_alert(con: duckdb.DuckDBPyConnection, alert_id: int) -> Alert | None:
    """Delete an alert; the alert removed, or None when there was none with that id."""
    row = con.execute(f"DELETE FROM alerts WHERE id = ? RETURNING {_ALERT_COLUMNS}", [alert_id]).fetchone()
    return _alert(row) if row else None


# -- what matches -------------------------------------------------------------------------------
def _has_search_index(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [search_index.LENGTHS]).fetchone()
    return bool(row and row[0])


def _word_filter(con: duckdb.DuckDBPyConnection, word: str, where: Where) -> Where:
    """``where`` and: document ``d`` has ``word`` in its title or article, looked up in the search index."""
    if not _has_search_index(con):
        # A database opened read-only before any writable open of this version indexed it: every
        # title and text is scanned instead (slow on a large database; teasers included).
        return where.add("contains(lower(coalesce(d.title, '') || ' ' || d.text), lower(?))", word)
    ranked, params = search_index.ranked_sql(search_index.parse_query(word))
    phrase = word.strip().strip('"').strip()
    checked = ""
    if search_index.terms(phrase) != [search_index.fold(phrase)]:  # not one plain word: check it as written
        # One expression over both sides of the join runs on the candidates only (as in
        # queries._ranked_documents): a condition on the documents alone would read every text.
        checked = (" JOIN documents w ON w.id = s.doc_id WHERE CASE WHEN s.score IS NULL THEN false "
                   "ELSE contains(lower(coalesce(w.title, '') || ' ' || w.text), lower(?)) END")
        params = [*params, phrase]
    return where.add(f"d.id IN (SELECT s.doc_id FROM ({ranked}) s{checked})", *params)


def _document_filters(con: duckdb.DuckDBPyConnection, query: AlertQuery, where: Where) -> Where:
    """``where`` and the alert's filters on documents ``d``."""
    if query.term:
        where = where.add(f"d.id IN (SELECT f.doc_id FROM framing f WHERE {_TERM_MATCH})", *[query.term] * 3)
    if query.word:
        where = _word_filter(con, query.word, where)
    return where


@dataclass(frozen=True)
class _Matching:
    """The FROM and WHERE of an alert's matches, with their parameters."""

    body: str
    params: list[Any]
    on_events: bool


def _matching(con: duckdb.DuckDBPyConnection, alert: Alert, since: datetime | None) -> _Matching:
    query = alert.query
    # The event filters are those of `wirescope events` (they read the event-actor lookup).
    where = query.event_filter().where(con) if query.on_events else Where()
    where = _document_filters(con, query, where)
    if since is not None:  # stored_at is in the database's time zone: the aware time is cast to it
        where = where.add("d.stored_at > (?::TIMESTAMPTZ)::TIMESTAMP", _aware(since))
    source = "events e JOIN documents d ON d.id = e.doc_id" if query.on_events else "documents d"
    return _Matching(f"FROM {source}{where.sql()}", list(where.params), query.on_events)


def match_counts(con: duckdb.DuckDBPyConnection, alert: Alert, since: datetime | None = None) -> tuple[int, int]:
    """(matches, new matches) of ``alert``; with ``since``, of the documents stored after it only."""
    return _counts(con, alert, _matching(con, alert, since))


def _counts(con: duckdb.DuckDBPyConnection, alert: Alert, matching: _Matching) -> tuple[int, int]:
    row = con.execute(f"SELECT count(*), count(*) FILTER (WHERE {_NEW}) {matching.body}",
                      [alert.id, *matching.params]).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def alerts_with_counts(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every alert (``Alert.to_dict``) with ``matches`` and ``new``: how many match, how many are new."""
    listed = []
    for alert in list_alerts(con):
        total, new = match_counts(con, alert)
        listed.append({**alert.to_dict(), "matches": total, "new": new})
    return listed


def match_id(alert_id: int, doc_id: str, event_id: str | None) -> str:
    """A match's stable id (the Atom entry's): ``urn:wirescope:alert:1:doc:DOC_ID[:event:v2]``."""
    return f"urn:wirescope:alert:{alert_id}:doc:{doc_id}" + (f":event:{event_id}" if event_id else "")


def matches(con: duckdb.DuckDBPyConnection, alert: Alert, since: datetime | None = None, limit: int = 50,
            offset: int = 0) -> dict[str, Any]:
    """A page of ``alert``'s matches, newest stored first: ``{"alert", "total", "new", "since",
    "limit", "offset", "items"}``; with ``since``, only those whose document was stored after it.

    Each item: ``id`` (``match_id``), ``doc_id``, ``event_id`` (None for a document match),
    ``stored_at``, ``new``, the document's ``title``, ``outlet``, ``url`` and ``day`` (published,
    None when undated), ``event`` (as ``GET /events`` lists it) or None, ``terms`` (the loaded terms
    matched: text, neutral, category, in_quote, speaker) or None, ``snippet`` around the word or
    None, and ``summary``: one line saying what matched.

    Event filters read the event-actor lookup: ``queries.prepare_lookup`` the connection first.
    """
    matching = _matching(con, alert, since)
    total, new = _counts(con, alert, matching)
    event_column, order = ("e.event_id", _EVENT_ORDER) if matching.on_events else ("NULL", "")
    # The counts, then the page's keys (a top-N that reads no text), then the page's rows. Counting
    # in the keys' query (count(*) OVER ()) sorted every match: 127 ms against 3 + 3 ms for 20,000
    # matching events of 10,000 documents, measured.
    keys = con.execute(f"SELECT d.id, {event_column} {matching.body} ORDER BY d.stored_at DESC, d.id{order} "
                       "LIMIT ? OFFSET ?", [*matching.params, limit, offset]).fetchall() if offset < total else []
    return {"alert": alert.to_dict(), "total": total, "new": new,
            "since": iso_utc(_aware(since)) if since else None,
            "limit": limit, "offset": offset, "items": _items(con, alert, [(k[0], k[1]) for k in keys])}


def _items(con: duckdb.DuckDBPyConnection, alert: Alert, keys: list[tuple[str, str | None]]) -> list[dict[str, Any]]:
    """The matches ``keys`` (document id, event id or None) with what the page shows of each."""
    if not keys:
        return []
    doc_ids = sorted({doc_id for doc_id, _ in keys})
    word = alert.query.word
    documents = {row["doc_id"]: row for row in fetch_dicts(con, f"""
        SELECT d.id AS doc_id, d.title, d.outlet, d.url, left(d.published, 10) AS day,
               d.stored_at::TIMESTAMPTZ AS stored_at, {_NEW} AS new,
               CASE WHEN ? THEN d.text END AS text
        FROM documents d WHERE list_contains(?, d.id)""", [alert.id, word is not None, doc_ids])}
    events = {}
    if alert.query.on_events:
        rows = fetch_dicts(con, EVENTS_BY_KEY, [[d for d, _ in keys], [e for _, e in keys]])
        events = {(row["doc_id"], row["id"]): event_item(row) for row in rows}
    terms: dict[str, list[dict[str, Any]]] = {}
    if alert.query.term:
        for row in fetch_dicts(con, f"""SELECT f.doc_id, f.text, f.neutral, f.category, f.in_quote, f.speaker
                                        FROM framing f WHERE list_contains(?, f.doc_id) AND {_TERM_MATCH}
                                        ORDER BY f.doc_id, f.start""", [doc_ids, *[alert.query.term] * 3]):
            terms.setdefault(row.pop("doc_id"), []).append(row)
    items = []
    for doc_id, event_id in keys:
        document = dict(documents[doc_id])
        text = document.pop("text")
        item = {"id": match_id(alert.id, doc_id, event_id), **document, "stored_at": iso_utc(document["stored_at"]),
                "event_id": event_id, "event": events.get((doc_id, event_id or "")),
                "terms": terms.get(doc_id) if alert.query.term else None,
                "snippet": queries.snippet_around(text, word) if text and word else None}
        item["summary"] = summary(item)
        items.append(item)
    return items


def _sides(sides: list[dict[str, Any]]) -> str:
    return " and ".join(str(side.get("name") or side.get("text") or "?") for side in sides) or "?"


def _term_label(term: dict[str, Any]) -> str:
    neutral = f"neutral: {term['neutral']}" if term["neutral"] else "neutral: leave it out"
    voice = f", in a quote of {term['speaker'] or 'a speaker'}" if term["in_quote"] else ""
    return f"loaded term \u201c{term['text']}\u201d ({neutral}; {term['category'] or 'uncategorised'}{voice})"


def summary(item: dict[str, Any]) -> str:
    """One line saying what matched: the event (actor TYPE recipient, its trigger), the loaded terms,
    the text around the word."""
    parts = []
    event = item.get("event")
    if event:
        parts.append(f"{_sides(event['actors'])} {event['type']} {_sides(event['recipients'])} "
                     f"(\u201c{event['trigger']}\u201d)")
    parts.extend(_term_label(term) for term in item.get("terms") or ())
    if item.get("snippet"):
        parts.append(item["snippet"])
    return " \u2014 ".join(parts) or str(item.get("title") or item["doc_id"])
