"""Alerts (issue 16, item 4): saved queries and their new matches, through the real CLI, the real app
(its JSON and its Atom feed) and a real DuckDB file.

The pages are fictional, written for the project: COURIER and LEDGER of ``fictional`` (Valdoria and
Kestrel argue over a grain corridor) and BLOCKADE below, whose title is hostile markup with a
terminal escape in it. COURIER is stored before the alerts are made; LEDGER and then BLOCKADE after,
so their matches are new.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import duckdb
import httpx
import pytest
from fastapi.testclient import TestClient

from fictional import COURIER, LEDGER, Page, build
from test_register import cli, json_lines  # the real CLI (every command registered), its output as JSON lines
from wirescope.records import Analysis, actor_id
from wirescope.serve.api import create_app
from wirescope.storage import queries
from wirescope.storage.store import Store

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE_TITLE = "Kestrel <script>alert('feed')</script> & \u201cblockade\u201d ]]> \x1b[2J threat"
BLOCKADE = Page(
    title=HOSTILE_TITLE,
    body=["Kestrel's navy threatened on Wednesday to blockade the port of Brenholt in Valdoria.",
          "Amira Solberg rejected the blockade plan and called the Kestrel regime reckless."],
    outlet="Brenholt Evening Post", published="2026-11-06", url="https://brenholt-post.example/blockade",
    entities={"Kestrel": ("GPE", "KSTGOV", ["Kestrel"]), "Valdoria": ("GPE", "VLDGOV", ["Valdoria"]),
              "Amira Solberg": ("PERSON", "VLDGOV", ["Amira Solberg"])},
    events=[("THREATEN", ["Kestrel"], ["Valdoria"], "threatened"),
            ("REJECT", ["Amira Solberg"], ["Kestrel"], "rejected")],
    framing=[("regime", "loaded_term", "government", None), ("reckless", "loaded_term", "", None)],
)


def identified(page: Page) -> Analysis:
    """The page's analysis with each entity given its actor id, as the actor layer does."""
    analysis = build(page)
    return replace(analysis, entities=tuple(replace(e, actor=actor_id(e.type, e.name)) for e in analysis.entities))


COURIER_ID, LEDGER_ID, BLOCKADE_ID = (build(page).document.id for page in (COURIER, LEDGER, BLOCKADE))
MERTZ, SOLBERG = actor_id("PERSON", "Jonas Mertz"), actor_id("PERSON", "Amira Solberg")

# Alerts made after COURIER is stored, and the matches each must have once the three pages are:
# (document, event id or None). Pages the filter must not match are absent.
ALERTS: list[tuple[list[str], set[tuple[str, str | None]]]] = [
    # an actor id: resolved by the actor register (no side is written so)
    (["--actor", str(MERTZ)], {(COURIER_ID, "v2"), (LEDGER_ID, "v1")}),
    (["--type", "threaten"], {(COURIER_ID, "v2"), (LEDGER_ID, "v1"), (BLOCKADE_ID, "v1")}),
    (["--actor", "Jonas Mertz", "--recipient", "Valdoria"], {(COURIER_ID, "v2"), (LEDGER_ID, "v1")}),
    (["--actor", "Valdoria", "--recipient", "Jonas Mertz"], set()),  # Mertz is never on the receiving end
    (["--actor", str(SOLBERG), "--recipient", "Kestrel"], {(LEDGER_ID, "v2"), (BLOCKADE_ID, "v2")}),
    # several filters: Kestrel's threats only, not the events Kestrel receives nor others' threats
    (["--actor", "Kestrel", "--type", "THREATEN"], {(BLOCKADE_ID, "v1")}),
    # a loaded term flagged by the framing layer: LEDGER has the word "regime" but no such record
    (["--term", "regime"], {(COURIER_ID, None), (BLOCKADE_ID, None)}),
    (["--term", "unprotected"], {(COURIER_ID, None)}),  # a neutral alternative (of "exposed", in a quote)
    (["--term", "so-called"], {(LEDGER_ID, None)}),
    (["--word", "grain corridor"], {(COURIER_ID, None), (LEDGER_ID, None)}),
    (["--word", "corridor grain"], set()),  # a phrase as written
    (["--word", "museum"], set()),  # only in COURIER's teaser of another story
    (["--word", "BLOCKADE", "--term", "regime"], {(BLOCKADE_ID, None)}),
    (["--term", "regime", "--type", "REJECT"], {(BLOCKADE_ID, "v2")}),
]


def store_pages(db: Path, *pages: Page) -> None:
    with Store(db) as store:
        for page in pages:  # one batch each: each its own stored_at
            store.write_batch([identified(page)])


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "news.duckdb"
    store_pages(path, COURIER)
    return path


def test_each_kind_matches_what_it_should_and_later_pages_are_new(db: Path):
    ids = []
    for args, _expected in ALERTS:
        made = cli("alerts", "add", *args, "--db", db)
        ids.append(int(made.split()[1].rstrip(":")))
    store_pages(db, LEDGER, BLOCKADE)
    listed = {item["id"]: item for item in json_lines(cli("alerts", "list", "--json", "--db", db))}
    for alert_id, (args, expected) in zip(ids, ALERTS):
        items = json_lines(cli("alerts", "show", alert_id, "--json", "--db", db))
        assert {(item["doc_id"], item["event_id"]) for item in items} == expected, args
        assert len(items) == len(expected), args
        assert all(item["new"] == (item["doc_id"] != COURIER_ID) for item in items), args
        assert listed[alert_id]["matches"] == len(expected), args
        assert listed[alert_id]["new"] == sum(doc != COURIER_ID for doc, _ in expected), args
        stored = [item["stored_at"] for item in items]
        assert stored == sorted(stored, reverse=True), args  # newest stored first


def test_show_names_what_matched_and_prints_hostile_titles_escaped(db: Path):
    cli("alerts", "add", "--type", "THREATEN", "--name", "Threats [bold]x[/bold]", "--db", db)
    store_pages(db, BLOCKADE)
    shown = cli("alerts", "show", "1", "--db", db)
    assert "Threats [bold]x[/bold]" in shown  # the name as written, not read as markup
    assert "\x1b" not in shown and "\\x1b[2J" in shown.replace("\n", "")
    listed = cli("alerts", "list", "--db", db)
    assert "Threats" in listed and "--type THREATEN" in listed
    matched = json_lines(cli("alerts", "show", "1", "--json", "--limit", "1", "--db", db))
    assert [m["doc_id"] for m in matched] == [BLOCKADE_ID]
    assert matched[0]["summary"] == "Kestrel THREATEN Valdoria (\u201cthreatened\u201d)"
    assert matched[0]["id"] == f"urn:wirescope:alert:1:doc:{BLOCKADE_ID}:event:v1"
    later = json_lines(cli("alerts", "show", "1", "--json", "--since", matched[0]["stored_at"], "--db", db))
    assert later == []


def test_cli_refuses_bad_alerts_clearly(db: Path):
    assert "at least one filter" in cli("alerts", "add", "--name", "nothing", "--db", db, code=2)
    refused = cli("alerts", "add", "--type", "BOMBARD", "--db", db, code=2)
    assert "unknown PLOVER event type 'BOMBARD'" in refused and "THREATEN" in refused
    assert "only function words" in cli("alerts", "add", "--word", "the", "--db", db, code=2)
    assert "no alert with id 7" in cli("alerts", "show", "7", "--db", db, code=1)
    assert "no alert with id 7" in cli("alerts", "remove", "7", "--db", db, code=1)
    assert "ISO date and time" in cli("alerts", "show", "1", "--since", "yesterday", "--db", db, code=2)
    cli("alerts", "add", "--term", "regime", "--db", db)
    assert "removed alert 1" in cli("alerts", "remove", "1", "--db", db)
    assert json_lines(cli("alerts", "list", "--json", "--db", db)) == []


# -- the REST API ---------------------------------------------------------------------------------
@pytest.fixture()
def served(db: Path) -> Iterator[tuple[TestClient, Store]]:
    """The app over ``db`` (base_url: the loopback address it believes it listens on) and its store,
    through which the test stores pages while it runs, as the collector does."""
    app = create_app(db)
    store = app.state.database.store
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client, store


def store_served(store: Store, page: Page) -> None:
    analysis = identified(page)
    store.write_batch([analysis])
    queries.refresh_lookup(store.con, [analysis.document.id])


def test_api_alerts_list_matches_since_and_delete(served: tuple[TestClient, Store]):
    client, store = served
    made = client.post("/alerts", json={"actor": "Jonas Mertz", "recipient": "Valdoria", "name": "Mertz threats"})
    assert made.status_code == 201, made.text
    alert = made.json()
    assert alert["kind"] == "pair" and alert["feed"] == f"/alerts/{alert['id']}/feed.atom"
    assert (alert["matches"], alert["new"]) == (1, 0)
    assert client.post("/alerts", json={"term": "regime", "event_type": "reject"}).json()["kind"] == "event_type+term"
    store_served(store, LEDGER)
    store_served(store, BLOCKADE)
    listed = client.get("/alerts").json()["items"]
    assert [(a["name"], a["matches"], a["new"]) for a in listed] == [
        ("Mertz threats", 2, 1), ('REJECT, term "regime"', 1, 1)]
    page = client.get(f"/alerts/{alert['id']}/matches").json()
    assert [(i["doc_id"], i["event_id"], i["new"]) for i in page["items"]] == [
        (LEDGER_ID, "v1", True), (COURIER_ID, "v2", False)]
    assert page["items"][0]["event"]["type"] == "THREATEN" and page["items"][0]["title"] == LEDGER.title
    second = client.get(f"/alerts/{alert['id']}/matches", params={"limit": 1, "offset": 1}).json()
    assert (second["total"], [i["doc_id"] for i in second["items"]]) == (2, [COURIER_ID])
    newer = client.get(f"/alerts/{alert['id']}/matches", params={"since": page["items"][1]["stored_at"]}).json()
    assert [i["doc_id"] for i in newer["items"]] == [LEDGER_ID]
    assert client.delete(f"/alerts/{alert['id']}").json()["name"] == "Mertz threats"
    assert client.get(f"/alerts/{alert['id']}").status_code == 404
    assert [a["name"] for a in client.get("/alerts").json()["items"]] == ['REJECT, term "regime"']


def test_api_refuses_bad_input_with_422_and_unknown_alerts_with_404(served: tuple[TestClient, Store]):
    client, _store = served
    for body, message in (({}, "at least one filter"), ({"name": "x", "word": "  "}, "at least one filter"),
                          ({"event_type": "BOMBARD"}, "unknown PLOVER event type"),
                          ({"type": "THREATEN"}, "type"),  # a misspelt filter is not an alert on everything
                          ({"word": "x" * 301}, "word")):
        refused = client.post("/alerts", json=body)
        assert refused.status_code == 422, body
        assert refused.json()["status"] == 422 and message in refused.json()["error"], refused.json()
    assert client.get("/alerts").json()["items"] == []
    made = client.post("/alerts", json={"word": "corridor"}).json()
    for params in ({"limit": 0}, {"limit": 501}, {"offset": -1}, {"since": "yesterday"}):
        assert client.get(f"/alerts/{made['id']}/matches", params=params).status_code == 422, params
    assert client.get("/alerts/0/matches").status_code == 422
    for path in ("/alerts/99", "/alerts/99/matches", "/alerts/99/feed.atom"):
        missing = client.get(path)
        assert missing.status_code == 404 and missing.json()["error"] == "no alert with id 99"
    assert client.delete("/alerts/99").status_code == 404


def test_writes_need_the_token_when_one_is_set(db: Path):
    with TestClient(create_app(db, token="kestrel-token"), base_url="http://127.0.0.1") as client:
        assert client.post("/alerts", json={"word": "corridor"}).status_code == 401
        wrong = client.post("/alerts", json={"word": "corridor"}, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 403
        made = client.post("/alerts", json={"word": "corridor"}, headers={"Authorization": "Bearer kestrel-token"})
        assert made.status_code == 201
        assert client.get("/alerts").status_code == 200  # reads need none
        assert client.get(f"/alerts/{made.json()['id']}/feed.atom").status_code == 200
        path = f"/alerts/{made.json()['id']}"
        assert client.delete(path).status_code == 401
        assert client.delete(path, headers={"X-API-Token": "kestrel-token"}).status_code == 200


def test_atom_feed_parses_as_atom_with_stable_ids_links_and_escaped_titles(served: tuple[TestClient, Store]):
    client, store = served
    alert = client.post("/alerts", json={"event_type": "THREATEN", "name": "Threats <b>&</b>"}).json()
    store_served(store, BLOCKADE)
    answer = client.get(f"/alerts/{alert['id']}/feed.atom")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/atom+xml")
    assert b"<script>" not in answer.content and b"\x1b" not in answer.content
    feed = ET.fromstring(answer.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == f"urn:wirescope:alert:{alert['id']}"
    assert feed.findtext(f"{ATOM}title") == "wirescope alert: Threats <b>&</b>"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"] == f"http://127.0.0.1/alerts/{alert['id']}/feed.atom"
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    entries = feed.findall(f"{ATOM}entry")
    matches = client.get(f"/alerts/{alert['id']}/matches").json()["items"]
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        f"urn:wirescope:alert:{alert['id']}:doc:{BLOCKADE_ID}:event:v1",
        f"urn:wirescope:alert:{alert['id']}:doc:{COURIER_ID}:event:v2"]
    assert [e.findtext(f"{ATOM}updated") for e in entries] == [m["stored_at"] for m in matches]
    assert feed.findtext(f"{ATOM}updated") == matches[0]["stored_at"]
    for entry in entries:
        datetime.fromisoformat(entry.findtext(f"{ATOM}updated", "").replace("Z", "+00:00"))  # RFC 3339
    first = entries[0]
    # The hostile title reads back as written, its terminal escape replaced (XML 1.0 cannot hold it).
    assert first.findtext(f"{ATOM}title") == HOSTILE_TITLE.replace("\x1b", "\ufffd")
    assert first.find(f"{ATOM}link").get("href") == f"http://127.0.0.1/ui/doc/{BLOCKADE_ID}"  # type: ignore[union-attr]
    summary = first.findtext(f"{ATOM}summary", "")
    assert "Brenholt Evening Post" in summary and "Kestrel THREATEN Valdoria" in summary
    assert client.get(f"/alerts/{alert['id']}/feed.atom").content == answer.content  # stable between reads
    empty = client.post("/alerts", json={"word": "lighthouse"}).json()
    quiet = ET.fromstring(client.get(f"/alerts/{empty['id']}/feed.atom").content)
    assert quiet.findall(f"{ATOM}entry") == [] and quiet.findtext(f"{ATOM}updated") == empty["created_at"]


def test_word_alerts_scan_the_texts_of_a_database_without_search_index(db: Path):
    cli("alerts", "add", "--word", "grain corridor", "--db", db)
    with duckdb.connect(str(db)) as con:  # as a database written before the index, opened read-only
        for table in ("search_postings", "search_lengths", "search_terms"):
            con.execute(f"DROP TABLE {table}")
    items = json_lines(cli("alerts", "show", "1", "--json", "--db", db))
    assert [item["doc_id"] for item in items] == [COURIER_ID]


@contextlib.contextmanager
def serving(db: Path) -> Iterator[str]:
    """`wirescope serve` on ``db`` in another process (which then holds the file), once it answers;
    its address."""
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = subprocess.Popen([sys.executable, "-m", "wirescope", "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 60
    try:
        while True:  # bounded by the deadline; the note of ownership is written before the server listens
            try:
                httpx.get(f"{base}/stats", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None, "wirescope serve did not start"
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(30)


def test_alerts_of_a_database_held_by_a_running_server(db: Path):
    """`wirescope serve` holds the file: the CLI reads alerts through it, and is told to make them
    through the API, which serves the feed over real HTTP."""
    cli("alerts", "add", "--type", "THREATEN", "--db", db)
    store_pages(db, LEDGER)
    before = json_lines(cli("alerts", "show", "1", "--json", "--db", db))
    with serving(db) as base:
        assert json_lines(cli("alerts", "show", "1", "--json", "--db", db)) == before
        assert [a["new"] for a in json_lines(cli("alerts", "list", "--json", "--db", db))] == [1]
        refused = cli("alerts", "add", "--word", "corridor", "--db", db, code=3)
        assert "held by the running `wirescope serve`" in " ".join(refused.split())
        made = httpx.post(f"{base}/alerts", json={"word": "corridor"}, timeout=10)
        assert made.status_code == 201 and made.json()["matches"] == 2
        feed = ET.fromstring(httpx.get(f"{base}/alerts/1/feed.atom", timeout=10).content)
        assert [link.get("href") for link in feed.findall(f"{ATOM}entry/{ATOM}link")] == [
            f"{base}/ui/doc/{LEDGER_ID}", f"{base}/ui/doc/{COURIER_ID}"]
