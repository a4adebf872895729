"""``/alerts``: saved queries (an actor, an event type, a pair of actors, a loaded term, a word, or
several of them together) and their matches, as JSON and as an Atom feed a reporter subscribes to.

* ``GET /alerts``: every alert with ``matches`` and ``new`` (stored after the alert was made);
* ``POST /alerts`` (a write): make one from ``{"name", "actor", "recipient", "event_type", "term",
  "word"}``, at least one filter; 201 with the alert;
* ``GET /alerts/{id}``, ``DELETE /alerts/{id}`` (a write);
* ``GET /alerts/{id}/matches?since=&limit=&offset=``: newest stored first (``storage.alerts.matches``);
* ``GET /alerts/{id}/feed.atom?limit=``: the newest matches as an Atom 1.0 feed (RFC 4287), one entry
  per match with a stable id (``urn:wirescope:alert:ID:doc:DOC_ID[:event:EVENT_ID]``), linking to the
  document's page in the web UI.

What each filter matches is said in ``wirescope.storage.alerts``; every query is there.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

import duckdb
from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from wirescope import __version__
from wirescope.serve.context import Context, ServeContext
from wirescope.serve.database import Reader
from wirescope.serve.guards import require_write
from wirescope.serve.models import MAX_ROWS, Limit, Offset
from wirescope.serve.responses import ListFormat, csv_download, json_response
from wirescope.storage import alerts
from wirescope.storage.alerts import Alert, AlertError
from wirescope.storage.facets import MAX_CSV

router = APIRouter(tags=["alerts"])

MATCH_COLUMNS = ("id", "doc_id", "event_id", "stored_at", "new", "day", "outlet", "title", "url", "summary",
                 "snippet")
ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
# What XML 1.0 allows in a document (its Char production); a page title may hold anything else
# (ESC, NUL), which ElementTree would write as it is and make the feed unreadable. Hand-written:
# ElementTree escapes markup characters only.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

AlertId = Annotated[int, Path(ge=1, le=MAX_ROWS, description="The alert's id (see GET /alerts).")]
StoredSince = Annotated[datetime | None, Query(
    description="Only matches whose document was stored after this time (ISO 8601; UTC when no zone is given), "
                "e.g. the stored_at of the newest match already seen.")]
T = TypeVar("T")


class AlertRequest(BaseModel):
    """An alert to make: at least one filter; every filter given must hold."""

    model_config = ConfigDict(extra="forbid")  # a misspelt filter is a 422, not an alert on everything

    name: str | None = Field(None, max_length=alerts.MAX_NAME, description="Default: the filters, in words.")
    actor: str | None = Field(None, max_length=alerts.MAX_VALUE, description=(
        "An event's actor or recipient, as GET /events?actor= reads it: an actor id, a name or alias (whole), "
        "a code prefix or a part of a name."))
    recipient: str | None = Field(None, max_length=alerts.MAX_VALUE, description=(
        "The same, on the recipient side; with actor: the pair actor -> recipient."))
    event_type: str | None = Field(None, max_length=alerts.MAX_VALUE, description="A PLOVER type, e.g. THREATEN.")
    term: str | None = Field(None, max_length=alerts.MAX_VALUE, description=(
        "A loaded term: its text (contained), its neutral alternative or its category (whole), any case."))
    word: str | None = Field(None, max_length=alerts.MAX_VALUE, description="A word or phrase in the title or article.")


def alert_record(alert: Alert) -> dict[str, Any]:
    """An alert as the API shows it: ``Alert.to_dict`` and the path of its Atom feed."""
    return {**alert.to_dict(), "feed": f"/alerts/{alert.id}/feed.atom"}


def counted(con: duckdb.DuckDBPyConnection, alert: Alert) -> dict[str, Any]:
    total, new = alerts.match_counts(con, alert)
    return {**alert_record(alert), "matches": total, "new": new}


def found_alert(con: duckdb.DuckDBPyConnection, alert_id: int) -> Alert:
    alert = alerts.get_alert(con, alert_id)
    if alert is None:
        raise HTTPException(404, f"no alert with id {alert_id}")
    return alert


def write(request: Request, context: ServeContext, change: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """``change``'s answer, run on the writer once the write guard passed."""
    require_write(request, context.token)
    database = context.database
    if database.read_only:
        raise HTTPException(403, "the database is open read-only: alerts cannot be added or removed")
    with database.write_lock, database.view() as writer:
        return change(writer.con)


@router.get("/alerts", summary="Saved alerts, with how many matches each has and how many are new")
def list_alerts(store: Reader) -> Response:
    """``{"items": [alert]}``, oldest first; an alert: id, name, kind (the filters given, joined by '+'),
    query (each filter's value or null), created_at, feed (its Atom feed's path), matches and new."""
    return json_response({"items": [counted(store.con, alert) for alert in alerts.list_alerts(store.con)]})


@router.post("/alerts", summary="Save an alert", status_code=201)
def add_alert(body: AlertRequest, request: Request, context: Context) -> Response:
    """A write: needs the API token when one is set. A request without any filter, with an unknown
    PLOVER type or with a word made of function words only is a 422."""
    try:
        query = alerts.make_query(body.actor, body.recipient, body.event_type, body.term, body.word)
    except AlertError as error:
        raise HTTPException(422, str(error)) from error
    alert = write(request, context, lambda con: alerts.add_alert(con, query, body.name))
    with context.database.view() as reader:
        return json_response(counted(reader.con, alert), 201)


@router.get("/alerts/{alert_id}", summary="One alert, with its counts of matches")
def get_alert(alert_id: AlertId, store: Reader) -> Response:
    return json_response(counted(store.con, found_alert(store.con, alert_id)))


@router.delete("/alerts/{alert_id}", summary="Delete an alert")
def remove_alert(alert_id: AlertId, request: Request, context: Context) -> Response:
    """A write: needs the API token when one is set. The answer is the alert removed."""
    removed = write(request, context, lambda con: alerts.remove_alert(con, alert_id))
    if removed is None:
        raise HTTPException(404, f"no alert with id {alert_id}")
    return json_response(alert_record(removed))


@router.get("/alerts/{alert_id}/matches", summary="An alert's matches, newest stored first")
def alert_matches(alert_id: AlertId, store: Reader, since: StoredSince = None, limit: Limit = 50,
                  offset: Offset = 0, format: ListFormat = "json") -> Response:
    """``{"alert", "total", "new", "since", "limit", "offset", "items"}``; an item: id (stable),
    doc_id, event_id (null for a document match), stored_at, new, title, outlet, url, day (published;
    null when undated), event (as GET /events lists it) or null, terms (loaded terms matched) or null,
    snippet (around the word) or null, summary (one line). CSV: the match without its event and
    terms, which its summary says."""
    alert = found_alert(store.con, alert_id)
    if format == "csv":
        found = alerts.matches(store.con, alert, since, MAX_CSV, 0)
        return csv_download(found["items"], MATCH_COLUMNS, f"alert-{alert_id}-matches.csv")
    return json_response(alerts.matches(store.con, alert, since, limit, offset))


@router.get("/alerts/{alert_id}/feed.atom", summary="An alert's newest matches as an Atom feed",
            response_class=Response, responses={200: {"content": {ATOM_TYPE: {}}}})
def alert_feed(alert_id: AlertId, store: Reader, request: Request, limit: Limit = 50) -> Response:
    """Atom 1.0, for any feed reader: an entry per match (updated: when its document was stored),
    linking to the document's page of the web UI (``/ui/doc/DOC_ID``)."""
    alert = found_alert(store.con, alert_id)
    page = alerts.matches(store.con, alert, limit=limit)
    base = str(request.base_url).rstrip("/")
    return Response(atom_feed(alert, page["items"], base), media_type=ATOM_TYPE)


def _xml_text(value: object) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def _add(parent: ET.Element, tag: str, text: object = None, **attributes: str) -> ET.Element:
    """A child ``tag`` (of the feed's namespace); its text and attributes made fit for XML (ElementTree
    escapes their markup when it writes them)."""
    child = ET.SubElement(parent, tag, {k: _xml_text(v) for k, v in attributes.items()})
    if text is not None:
        child.text = _xml_text(text)
    return child


def atom_feed(alert: Alert, items: list[dict[str, Any]], base: str) -> bytes:
    """The Atom document of ``alert``'s matches ``items`` (``storage.alerts.matches``); ``base``: the
    server's address (scheme and host), for the absolute links a feed reader needs."""
    # Tags without a prefix, in the Atom namespace declared as the default one on the root (ElementTree's
    # default_namespace refuses the plain attribute names Atom uses).
    feed = ET.Element("feed", xmlns=ATOM_NS)
    _add(feed, "id", f"urn:wirescope:alert:{alert.id}")
    _add(feed, "title", f"wirescope alert: {alert.name}")
    _add(feed, "subtitle", f"Matches of the alert {alert.name!r} ({alert.kind}), newest stored first.")
    # An empty feed was last updated when the alert was made.
    _add(feed, "updated", items[0]["stored_at"] if items else alerts.iso_utc(alert.created_at))
    _add(feed, "link", rel="self", type="application/atom+xml", href=f"{base}/alerts/{alert.id}/feed.atom")
    _add(feed, "link", rel="alternate", type="text/html", href=f"{base}/ui/alerts/{alert.id}")
    _add(_add(feed, "author"), "name", "wirescope")
    _add(feed, "generator", "wirescope", version=__version__)
    for item in items:
        entry = _add(feed, "entry")
        _add(entry, "id", item["id"])
        _add(entry, "title", item["title"] or f"Document {item['doc_id']}")
        _add(entry, "updated", item["stored_at"])
        _add(entry, "link", rel="alternate", type="text/html", href=f"{base}/ui/doc/{quote(item['doc_id'])}")
        source = ", ".join(str(part) for part in (item["outlet"], item["day"] or "undated") if part)
        _add(entry, "summary", f"{source}: {item['summary']}", type="text")
        if item["event"]:
            _add(entry, "category", term=item["event"]["type"])
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))
