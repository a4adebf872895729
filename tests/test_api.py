"""The REST API against the real app and a real DuckDB file (fictional pages written for the project)."""

from __future__ import annotations

import csv
import http.server
import io
import json
import threading
from functools import partial
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from fictional import COURIER, HOSTILE, LEDGER, build, corpus
from wirescope.cli.commands import app as cli_app
from wirescope.serve.api import create_app
from wirescope.settings import Settings
from wirescope.storage import queries
from wirescope.storage.store import Store
from wirescope.stories import assign as stories
from wirescope.stories.assign import assign_stories

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "news.duckdb"
    with Store(path) as store:
        store.write_batch(corpus())
        assign_stories(store)
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    # base_url sets the address the app believes it listens on: loopback here.
    return TestClient(create_app(db), base_url="http://127.0.0.1")


def ids() -> dict[str, str]:
    return {"courier": build(COURIER).document.id, "ledger": build(LEDGER).document.id,
            "hostile": build(HOSTILE).document.id}


def test_document_round_trips_events_and_framing(client: TestClient):
    expected = build(COURIER).to_dict()
    full = client.get(f"/documents/{ids()['courier']}")
    assert full.status_code == 200
    assert full.json() == expected
    prefix = client.get(f"/documents/{ids()['courier'][:6]}")
    assert prefix.json()["document"]["id"] == ids()["courier"]


def test_unknown_document_and_endpoint_are_json_404(client: TestClient):
    missing = client.get("/documents/ffffffffffffffff")
    assert missing.status_code == 404
    assert "no document" in missing.json()["error"]
    assert client.get("/nothing-here").json()["error"].startswith("no such endpoint")


def test_document_search_filters_and_paginates(client: TestClient):
    grain = client.get("/documents", params={"q": "GRAIN corridor"}).json()
    assert {d["id"] for d in grain["items"]} == {ids()["courier"], ids()["ledger"]}
    assert all("grain corridor" in d["snippet"].lower() for d in grain["items"])
    # LIKE wildcards in the query are literal characters, not patterns.
    assert client.get("/documents", params={"q": "%"}).json()["total"] == 0
    assert client.get("/documents", params={"outlet": "the valley ledger"}).json()["items"][0]["id"] == ids()["ledger"]
    by_actor = client.get("/documents", params={"actor": "Amira Solberg"}).json()
    assert by_actor["total"] == 2
    by_code = client.get("/documents", params={"actor": "kstgov"}).json()
    assert by_code["total"] == 2
    dated = client.get("/documents", params={"since": "2026-11-04", "until": "2026-11-04"}).json()
    assert [d["id"] for d in dated["items"]] == [ids()["ledger"]]
    first = client.get("/documents", params={"limit": 2}).json()
    second = client.get("/documents", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"] == 3
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert {d["id"] for d in first["items"] + second["items"]} == set(ids().values())


def test_bad_parameters_are_422_with_a_message(client: TestClient):
    response = client.get("/documents", params={"limit": 0, "since": "yesterday"})
    assert response.status_code == 422
    message = response.json()["error"]
    assert "limit" in message and "since" in message


def test_entities_are_aggregated_with_codes(client: TestClient):
    items = client.get("/entities", params={"q": "mertz"}).json()["items"]
    assert items == [{"actor": None, "name": "Jonas Mertz", "type": "PERSON", "codes": ["KSTGOV"], "documents": 2,
                      "mentions": sum(len(e.mentions) for a in (build(COURIER), build(LEDGER))
                                      for e in a.entities if e.name == "Jonas Mertz")}]


def test_events_filter_by_actor_recipient_type_and_date(client: TestClient):
    by_actor = client.get("/events", params={"actor": "jonas mertz"}).json()
    assert by_actor["total"] == 2
    assert {e["type"] for e in by_actor["items"]} == {"THREATEN"}
    assert all(e["polarity"] == "conflict" for e in by_actor["items"])
    assert client.get("/events", params={"actor": "IGOUNO"}).json()["total"] == 2
    to_kestrel = client.get("/events", params={"recipient": "Kestrel"}).json()
    assert {e["type"] for e in to_kestrel["items"]} == {"CONSULT", "SUPPORT", "REJECT"}
    types = client.get("/events", params={"type": "aid,support"}).json()
    assert {e["type"] for e in types["items"]} == {"AID", "SUPPORT"}
    assert all(e["polarity"] == "cooperation" for e in types["items"])
    late = client.get("/events", params={"since": "2026-11-04"}).json()
    assert {e["doc_id"] for e in late["items"]} == {ids()["ledger"], ids()["hostile"]}
    timeline = client.get("/events/timeline").json()
    assert sum(d["count"] for d in timeline["days"]) == client.get("/events").json()["total"] == 7


def test_events_csv_download_has_every_matching_event(client: TestClient):
    response = client.get("/events", params={"format": "csv", "actor": "Jonas Mertz", "limit": 1})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 2  # every match, not one page
    assert {r["recipients"] for r in rows} == {"Valdoria"}
    assert {r["actor_codes"] for r in rows} == {"KSTGOV"}


def test_quotes_by_speaker(client: TestClient):
    found = client.get("/quotes", params={"speaker": "solberg"}).json()
    assert found["total"] == 1
    quote = found["items"][0]
    assert quote["speaker"]["name"] == "Amira Solberg"
    assert quote["content"]["text"] == "a deal that leaves our farmers exposed."
    assert quote["doc_id"] == ids()["courier"]


def test_actor_page_said_did_and_received(client: TestClient):
    valdoria = client.get("/actors/valdoria").json()
    assert valdoria["did_total"] == 1 and valdoria["did"][0]["type"] == "CONSULT"
    assert valdoria["received_total"] == 3
    assert {e["type"] for e in valdoria["received"]} == {"THREATEN", "AID"}
    mertz = client.get("/actors/Jonas Mertz").json()
    assert [q["content"]["text"] for q in mertz["said"]] == ["the inspections stop weapons smuggling, nothing else."]
    assert {t["day"]: (t["said"], t["did"]) for t in mertz["timeline"]} == {"2026-11-03": (0, 1), "2026-11-04": (1, 1)}
    assert client.get("/actors/Nobody At All").status_code == 404


def test_network_splits_cooperation_and_conflict(client: TestClient):
    net = client.get("/network").json()
    edges = {(e["source"], e["target"]): e for e in net["edges"]}
    assert edges[("Jonas Mertz", "Valdoria")]["conflict"] == 2
    assert edges[("Jonas Mertz", "Valdoria")]["cooperation"] == 0
    assert edges[("United Nations Food Programme", "Kestrel")]["cooperation"] == 1
    assert {n["id"] for n in net["nodes"]} >= {"Valdoria", "Kestrel", "Jonas Mertz"}
    strong = client.get("/network", params={"min_count": 2}).json()
    assert [(e["source"], e["target"]) for e in strong["edges"]] == [("Jonas Mertz", "Valdoria")]


def test_request_body_limit_is_413_json(db: Path):
    small = TestClient(create_app(db, max_body_bytes=200), base_url="http://127.0.0.1")
    declared = small.post("/analyze", json={"text": "x" * 500})
    assert declared.status_code == 413
    assert "limit of 200 bytes" in declared.json()["error"]

    def chunks():  # no Content-Length: the limit applies while reading
        for _ in range(10):
            yield b"y" * 50

    streamed = small.post("/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    assert "limit" in streamed.json()["error"]


def test_writes_need_the_token_when_one_is_set(db: Path):
    guarded = TestClient(create_app(db, token="s3cret"), base_url="http://127.0.0.1")
    body = {"text": "Title\n\nA short body.", "store": True}
    assert guarded.post("/analyze", json=body).status_code == 401
    assert guarded.post("/analyze", json=body, headers={"Authorization": "Bearer nope"}).status_code == 403
    assert guarded.get("/documents").status_code == 200  # reads stay open


def test_writes_refused_on_a_non_loopback_address_without_token(db: Path):
    exposed = TestClient(create_app(db), base_url="http://10.1.2.3")
    response = exposed.post("/analyze", json={"text": "Title\n\nBody.", "store": True})
    assert response.status_code == 403
    assert "--token" in response.json()["error"]
    # Fetching a URL makes the server reach out: a write-class request too.
    assert exposed.post("/analyze", json={"url": "http://127.0.0.1:9/"}).status_code == 403


def test_read_only_database_refuses_to_store(tmp_path: Path):
    db = tmp_path / "ro.duckdb"  # a file of its own: DuckDB opens a file one way per process
    with Store(db) as store:
        store.write_batch(corpus())
    reader = TestClient(create_app(db, read_only=True), base_url="http://127.0.0.1")
    assert reader.get("/documents").json()["total"] == 3
    assert reader.get("/stats").json()["read_only"] is True
    response = reader.post("/analyze", json={"text": "Title\n\nBody.", "store": True})
    assert response.status_code == 403 and "read-only" in response.json()["error"]


def test_the_apps_analyse_uses_the_settings_it_is_given(tmp_path: Path):
    german_only = TestClient(create_app(tmp_path / "de.duckdb", settings=Settings(languages=("de",))),
                             base_url="http://127.0.0.1")
    text = (ROOT / "samples" / "wire-page-harbor-talks.txt").read_text(encoding="utf-8")
    document = german_only.post("/analyze", json={"text": text}).json()["document"]
    assert (document["language"], document["status"]) == ("en", "not_analysed")


def test_serve_hands_its_settings_to_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import uvicorn

    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append(app))
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "s.duckdb"), "--max-mb", "0.002",
                                          "--allow-private-fetch"])  # the page is on 127.0.0.1
    assert result.exit_code == 0, result.output
    client = TestClient(served[0], base_url="http://127.0.0.1")
    # The sample page (3.3 KB) is over --max-mb when the server fetches it: the fetch obeys serve's settings.
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(ROOT / "samples"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/wire-page-harbor-talks.txt"
        fetched = client.post("/analyze", json={"url": url})
    finally:
        server.shutdown()
    assert fetched.status_code == 413 and "too_large" in fetched.json()["error"]


def test_analyze_needs_exactly_one_page(client: TestClient):
    assert "either text or html" in client.post("/analyze", json={"text": "a", "html": "<p>a</p>"}).json()["error"]
    assert client.post("/analyze", json={"outlet": "x"}).status_code == 422


@pytest.mark.slow
def test_analyze_text_html_and_url_and_store(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    token = "t0ken"
    # fetch_private_addresses: the page to fetch is on 127.0.0.1 (refused by default: test_api_hardening).
    client = TestClient(create_app(db, token=token, fetch_private_addresses=True), base_url="http://127.0.0.1")
    text = (ROOT / "samples" / "wire-page-harbor-talks.txt").read_text(encoding="utf-8")
    # With a token set, analysing is a write like the others (issue 21): the token is needed.
    assert client.post("/analyze", json={"text": text}).status_code == 401
    plain = client.post("/analyze", json={"text": text}, headers={"X-API-Token": token})
    assert plain.status_code == 200
    result = plain.json()
    assert result["schema"] == "wirescope/analysis@1"
    assert any(q["speaker"] and q["speaker"]["name"] == "Marta Ilves" for q in result["quotes"])
    assert client.get(f"/documents/{result['document']['id']}").status_code == 404  # not stored

    stored = client.post("/analyze", json={"text": text, "outlet": "Northwind Wire Agency", "store": True},
                         headers={"X-API-Token": token})
    assert stored.status_code == 201
    again = client.get(f"/documents/{stored.json()['document']['id']}").json()
    assert again["document"]["outlet"] == "Northwind Wire Agency"
    assert again["quotes"] == stored.json()["quotes"]
    story_docs = [d["id"] for story in client.get("/stories").json()["items"] for d in story["documents"]]
    assert stored.json()["document"]["id"] in story_docs  # a stored page joins or starts a story

    html = (ROOT / "samples" / "html-page-river-accord.html").read_text(encoding="utf-8")
    assert client.post("/analyze", json={"html": html}, headers={"X-API-Token": token}).json()["document"]["title"]

    # A URL is fetched from a local HTTP server on loopback.
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(ROOT / "samples"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/html-page-river-accord.html"
        fetched = client.post("/analyze", json={"url": url}, headers={"Authorization": f"Bearer {token}"})
        assert fetched.status_code == 200
        assert fetched.json()["document"]["url"] == url
        missing = client.post("/analyze", json={"url": url + ".gone"}, headers={"X-API-Token": token})
        assert missing.status_code == 502 and "404" in missing.json()["error"]
    finally:
        server.shutdown()


def test_docs_work_offline(client: TestClient):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    assets = [part.split('"')[0] for part in page.text.split('="')[1:] if part.startswith("/static-offline-docs/")]
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    spec = client.get("/openapi.json").json()
    assert {"/analyze", "/documents", "/documents/{doc_id}", "/entities", "/events", "/quotes", "/stories",
            "/stories/{story_id}", "/actors", "/actors/{actor_id}", "/actors/{actor_id}/merge",
            "/actors/{actor_id}/split", "/actors/{actor_id}/rename", "/actors/{actor_id}/recode", "/corrections",
            "/network"} <= set(spec["paths"])


def test_ui_pages_are_served_with_a_strict_content_security_policy(client: TestClient):
    page = client.get("/ui/doc/anything")
    assert page.status_code == 200 and "/static/app.js" in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    for name in ("app.js", "actors.js"):
        script = client.get(f"/static/{name}")
        assert script.status_code == 200 and f"/static/{name}" in page.text
        # The UI never turns data into markup.
        for sink in (".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert sink not in script.text, (name, sink)
    assert client.get("/", follow_redirects=False).headers["location"] == "/ui/"


def test_stories_match_the_stories_module(client: TestClient):
    store = client.app.state.database.view()  # the app's own connection: one per file and process
    try:
        expected = json.loads(json.dumps(stories.list_stories(store, limit=50, offset=0), default=str))
        first = expected[0]["id"] if expected else None
        story = json.loads(json.dumps(stories.get_story(store, first), default=str)) if first else None
    finally:
        store.close()
    listed = client.get("/stories").json()["items"]
    assert listed == expected
    assert first is not None, "the test corpus forms at least one story"
    if first is not None:
        assert client.get(f"/stories/{first}").json() == story
        assert client.get(f"/events?story={first}").status_code == 200
    assert client.get("/stories/no-such-story").status_code == 404


def test_serve_refuses_a_public_address_without_token(db: Path):
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(db), "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--token" in result.output


def test_event_actor_lookup_follows_writes(tmp_path: Path):
    db = tmp_path / "grow.duckdb"
    with Store(db) as store:
        store.write_batch([build(COURIER)])
    app = create_app(db)
    client = TestClient(app, base_url="http://127.0.0.1")
    assert client.get("/events", params={"actor": "Amira Solberg"}).json()["total"] == 0
    # What POST /analyze with store does, with a hand-made analysis: under the app's write lock, which
    # every write holds (the kept /events answers are dropped when it is let go).
    with app.state.database.write_lock:
        writer = app.state.database.view()
        try:
            writer.write_batch([build(LEDGER)])
            queries.refresh_lookup(writer.con, [build(LEDGER).document.id])
        finally:
            writer.close()
    found = client.get("/events", params={"actor": "Amira Solberg"}).json()
    assert [e["type"] for e in found["items"]] == ["REJECT"]


def test_serve_command_starts_the_app_on_loopback(db: Path, tmp_path: Path):
    import os
    import socket
    import subprocess
    import sys
    import time

    import httpx

    copy = tmp_path / "served.duckdb"  # its own file: the module's app holds `db` open in this process
    with Store(copy) as store:
        store.write_batch(corpus())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    server = subprocess.Popen([sys.executable, "-m", "wirescope", "serve", "--db", str(copy), "--port", str(port),
                               "--read-only"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                stats = httpx.get(f"http://127.0.0.1:{port}/stats", timeout=2).json()
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and server.poll() is None, "wirescope serve did not start"
                time.sleep(0.2)
        assert stats["documents"] == 3 and stats["read_only"] is True
        page = httpx.get(f"http://127.0.0.1:{port}/", follow_redirects=True, timeout=5)
        assert page.status_code == 200 and "/static/app.js" in page.text
        assert "server" not in page.headers  # no server banner
    finally:
        server.terminate()
        server.wait(timeout=10)
