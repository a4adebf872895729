"""The items of the event lists (``GET /events``, ``wirescope events``, alerts): each event with its
trigger and sentence as text, its document's title, outlet and day, and its polarity."""

from __future__ import annotations

import json
import zlib
from typing import Any

import duckdb

from wirescope.storage.json_text import encode_json
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


# The event lists' items of each stored document, encoded once when it is written (``encoded.store_bodies``,
# in the same transaction as its body): the document's event ids and, compressed, one encoded item per
# line (``encode_json`` never writes a raw line break). A page's items are then fetched and joined as
# text, neither decoded nor encoded again. In process on 100,000 events (CPU, loaded machine), a new
# page of all events 9.1 -> 4.7 ms against making it from the documents' whole analysis bodies (RESULTS 19j).
ENCODED_ITEMS = "encoded_event_items"
CREATE_ENCODED_ITEMS = (f"CREATE TABLE IF NOT EXISTS {ENCODED_ITEMS} "
                        "(doc_id VARCHAR PRIMARY KEY, event_ids VARCHAR[] NOT NULL, items BLOB NOT NULL)")
# A page's items come from the stored encodings when they span at most this many documents, else from
# the join, which reads every event row whatever the page. Measured on 100,000 events, pages of one
# event a document (CPU ms, loaded machine): 16 documents 3.9 stored against 13.8 joined, 36: 6.3 / 15.3,
# 256: 27.7 / 38.2, 500: 53.9 / 48.3.
MAX_ENCODED_DOCS = 256


def encoded_document_items(doc_id: str, body: dict[str, Any]) -> tuple[list[str], bytes]:
    """A document's event ids and their items, encoded and compressed, from its analysis body (the
    dictionary ``Analysis.to_dict`` gives)."""
    events = body["events"]
    lines = "\n".join(encode_json(_body_event_item(body["document"], doc_id, event)) for event in events)
    return [event["id"] for event in events], zlib.compress(lines.encode())


def event_items(con: duckdb.DuckDBPyConnection, keys: list[tuple[str, str]],
                stored: bool = True) -> list[dict[str, Any]]:
    """The items of the events ``keys`` (document id, event id), in that order: decoded from their
    stored encodings (``stored``, when they span few documents and every one has them), else
    joined from the tables."""
    lines = _stored_items(con, keys) if stored else None
    return [json.loads(line) for line in lines] if lines is not None else _joined_items(con, keys)


def event_items_json(con: duckdb.DuckDBPyConnection, keys: list[tuple[str, str]]) -> list[str]:
    """``encode_json`` of each item ``event_items`` gives, taken as stored where it can be."""
    lines = _stored_items(con, keys)
    return lines if lines is not None else [encode_json(item) for item in _joined_items(con, keys)]


def _joined_items(con: duckdb.DuckDBPyConnection, keys: list[tuple[str, str]]) -> list[dict[str, Any]]:
    rows = fetch_dicts(con, EVENTS_BY_KEY, [[d for d, _ in keys], [e for _, e in keys]]) if keys else []
    by_key = {(r["doc_id"], r["id"]): r for r in rows}
    return [event_item(by_key[key]) for key in keys]


def _stored_items(con: duckdb.DuckDBPyConnection, keys: list[tuple[str, str]]) -> list[str] | None:
    """The encoded items of the events ``keys``, in that order; None when they span more than
    MAX_ENCODED_DOCS documents or one has none stored (a database written by an older version)."""
    doc_ids = sorted({doc_id for doc_id, _ in keys})
    if not doc_ids:
        return []
    if len(doc_ids) > MAX_ENCODED_DOCS:
        return None
    # Spelled as a list of parameters, the test is answered by the key's index (a semi-join on
    # ``unnest`` scans the table).
    marks = ",".join("?" * len(doc_ids))
    try:
        rows = con.execute(f"SELECT doc_id, event_ids, items FROM {ENCODED_ITEMS} WHERE doc_id IN ({marks})",
                           doc_ids).fetchall()
    except duckdb.CatalogException:
        return None
    stored: dict[tuple[str, str], str] = {}
    for doc_id, event_ids, items in rows:
        stored.update(zip(((doc_id, event_id) for event_id in event_ids), zlib.decompress(items).decode().split("\n")))
    try:
        return [stored[key] for key in keys]
    except KeyError:  # an event its document's stored items lack: the join answers
        return None


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
