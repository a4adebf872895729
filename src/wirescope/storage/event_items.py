"""The items of the event lists (``GET /events``, ``wirescope events``, alerts): each event with its
trigger and sentence as text, its document's title, outlet and day, and its polarity."""

from __future__ import annotations

import json
from typing import Any

import duckdb

from wirescope.storage.encoded import stored_analyses
from wirescope.storage.lookup import DAY_SQL
from wirescope.storage.rows import fetch_dicts

# PLOVER event types that bring actors together; every other type counts as conflict.
COOPERATION_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})


def polarity(event_type: str) -> str:
    return "cooperation" if event_type in COOPERATION_TYPES else "conflict"


EVENT_FIELDS = f"""
    e.doc_id, e.event_id AS id, e.type, e.actors, e.recipients, e.negated, e.hypothetical,
    e.quote_id AS quote, e.confidence, coalesce(e.mention_count, 1) AS mention_count,
    e.trigger_start, e.trigger_end,
    substr(d.text, e.trigger_start + 1, e.trigger_end - e.trigger_start) AS trigger,
    substr(d.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) AS sentence,
    d.title, d.outlet, {DAY_SQL} AS day, e.date AS event_date, e.date_source, e.location"""
# The events named by two parallel lists of keys (document id, event id).
EVENTS_BY_KEY = f"""
    WITH k AS (SELECT unnest(?) AS doc_id, unnest(?) AS event_id)
    SELECT {EVENT_FIELDS} FROM k JOIN events e ON e.doc_id = k.doc_id AND e.event_id = k.event_id
    JOIN documents d ON d.id = k.doc_id"""


def event_item(row: dict[str, Any]) -> dict[str, Any]:
    item = dict(row)
    item["actors"] = json.loads(row["actors"] or "[]")
    item["recipients"] = json.loads(row["recipients"] or "[]")
    item["polarity"] = polarity(row["type"])
    item["negated"] = bool(row["negated"])
    item["hypothetical"] = bool(row["hypothetical"])
    item["location"] = json.loads(row["location"]) if row.get("location") else None
    return item


# A page's events are made from their documents' stored bodies when they come from at most this
# many documents, else joined from the tables. Measured on 110,000 events (one client, CPU): the
# bodies cost about 0.5 ms plus 0.24 ms a document (a page of all events spans 4.3 documents: 1.3 ms),
# the join about 5.2 ms whatever the page (it reads every event row); an actor's page spans about 36
# documents (bodies 9.3 ms). A list of the documents' ids tested on the events table (its index) cost
# more than either (8-11 ms for 36 documents).
MAX_BODIES = 16


def event_items(con: duckdb.DuckDBPyConnection, keys: list[tuple[str, str]],
                from_bodies: bool = True) -> list[dict[str, Any]]:
    """The items of the events ``keys`` (document id, event id), in that order: made from their
    documents' stored bodies (``from_bodies``, when they are few and every one has a body), else
    joined from the tables."""
    few = len({doc_id for doc_id, _ in keys}) <= MAX_BODIES
    items = _items_from_bodies(con, keys) if from_bodies and few and keys else None
    if items is None:
        rows = fetch_dicts(con, EVENTS_BY_KEY, [[d for d, _ in keys], [e for _, e in keys]]) if keys else []
        by_key = {(r["doc_id"], r["id"]): r for r in rows}
        items = [event_item(by_key[key]) for key in keys]
    return items


def _items_from_bodies(con: duckdb.DuckDBPyConnection, keys: list[tuple[str, str]]) -> list[dict[str, Any]] | None:
    """The items of the events ``keys`` (as ``event_item`` makes them from EVENTS_BY_KEY's rows), made
    from their documents' stored analysis bodies; None when a body is missing (an older database).

    Their bodies are one indexed lookup; the join reads every event row (RESULTS 19e).
    """
    bodies = stored_analyses(con, sorted({doc_id for doc_id, _ in keys}))
    if len(bodies) < len({doc_id for doc_id, _ in keys}):
        return None
    events = {(doc_id, e["id"]): e for doc_id, body in bodies.items() for e in body["events"]}
    return [_body_event_item(bodies[doc_id]["document"], doc_id, events[(doc_id, event_id)])
            for doc_id, event_id in keys]


def _body_event_item(document: dict[str, Any], doc_id: str, event: dict[str, Any]) -> dict[str, Any]:
    """One item of the event lists (EVENT_FIELDS' columns, in order, then the polarity) from a stored
    analysis body's document and event."""
    text, trigger, sentence = document["text"], event["trigger"], event["sentence"]
    published = document["published"]
    return {"doc_id": doc_id, "id": event["id"], "type": event["type"], "actors": event["actors"],
            "recipients": event["recipients"], "negated": event["negated"], "hypothetical": event["hypothetical"],
            "quote": event["quote"], "confidence": event["confidence"], "mention_count": event["mention_count"],
            "trigger_start": trigger["start"], "trigger_end": trigger["end"],
            "trigger": text[trigger["start"]:trigger["end"]], "sentence": text[sentence["start"]:sentence["end"]],
            "title": document["title"], "outlet": document["outlet"], "day": published[:10] if published else None,
            "event_date": event["date"], "date_source": event["date_source"], "location": event["location"],
            "polarity": polarity(event["type"])}
