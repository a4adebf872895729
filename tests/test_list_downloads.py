"""Every list of the API as JSON (the default) and as a CSV download (``format=csv``): actors,
entities, quotes, stories and an alert's matches, against the real app and a real DuckDB file of
fictional pages. One page's title, outlet, entity and quote start like spreadsheet formulas: the CSV
must hand them over as text."""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest
from fastapi.testclient import TestClient

from fictional import Page, build, corpus
from wirescope.records import Analysis
from wirescope.serve.api import create_app
from wirescope.storage.store import Store
from wirescope.stories.assign import assign_stories

# A fictional page whose words a spreadsheet would run as formulas.
FORMULA = Page(
    title="=Harbour fees rise at Brenholt",
    body=["Harbourwatch said “+40 percent is more than the quay can bear.”",
          "Harbourwatch criticised the port board on Friday."],
    outlet="@Quayside Gazette", published="2026-11-06", url="https://quayside-gazette.example/fees",
    entities={"=Harbourwatch": ("ORG", None, ["Harbourwatch"]), "Port board": ("ORG", None, ["port board"])},
    quotes=[("=Harbourwatch", "Harbourwatch", "said", "+40 percent is more than the quay can bear.", "direct")],
    events=[("DISAPPROVE", ["=Harbourwatch"], ["Port board"], "criticised")],
)
ACTOR = "org:harbourwatch"


def with_actor_ids(analysis: Analysis) -> Analysis:
    """The page with its entities identified across documents, as the actor layer would."""
    ids = {"=Harbourwatch": ACTOR, "Port board": "org:port-board"}
    entities = tuple(dataclasses.replace(e, actor=ids.get(e.name)) for e in analysis.entities)
    return dataclasses.replace(analysis, entities=entities)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    path = tmp_path_factory.mktemp("downloads") / "news.duckdb"
    with Store(path) as store:
        store.write_batch([*corpus(), with_actor_ids(build(FORMULA))])
        assign_stories(store)
    return TestClient(create_app(path), base_url="http://127.0.0.1")


def download(client: TestClient, path: str, **params: str) -> list[dict[str, str]]:
    """The CSV download of ``path``: checked to be one, and read back as rows."""
    answer = client.get(path, params={**params, "format": "csv"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"].startswith("attachment; filename=")
    return list(csv.DictReader(io.StringIO(answer.text)))


def test_json_stays_the_default(client: TestClient):
    for path in ("/actors", "/entities", "/quotes", "/stories"):
        answer = client.get(path)
        assert answer.headers["content-type"] == "application/json"
        assert answer.json()["items"]
    assert client.get("/actors", params={"format": "xml"}).status_code == 422


def test_actors_csv_lists_the_register(client: TestClient):
    rows = download(client, "/actors", limit="1")
    listed = client.get("/actors", params={"limit": 100}).json()
    assert [r["id"] for r in rows] == [a["id"] for a in listed["items"]]  # every actor, not one page
    harbourwatch = next(r for r in rows if r["id"] == ACTOR)
    assert list(harbourwatch) == ["id", "name", "type", "codes", "aliases", "documents", "mentions",
                                  "first_seen", "last_seen"]
    assert harbourwatch["name"] == "'=Harbourwatch"  # a formula as text
    assert "Harbourwatch" in harbourwatch["aliases"].split("; ")
    assert (harbourwatch["type"], harbourwatch["documents"], harbourwatch["first_seen"]) == ("ORG", "1", "2026-11-06")
    assert [r["id"] for r in download(client, "/actors", q="port board")] == ["org:port-board"]


def test_entities_csv_follows_the_filters(client: TestClient):
    rows = download(client, "/entities", type="person")
    listed = client.get("/entities", params={"type": "person", "limit": 100}).json()["items"]
    assert [r["name"] for r in rows] == [e["name"] for e in listed]
    mertz = next(r for r in rows if r["name"] == "Jonas Mertz")
    assert (mertz["codes"], mertz["documents"], mertz["mentions"]) == ("KSTGOV", "2", str(
        next(e for e in listed if e["name"] == "Jonas Mertz")["mentions"]))
    orgs = download(client, "/entities", q="harbourwatch")
    assert [(r["actor"], r["name"]) for r in orgs] == [(ACTOR, "'=Harbourwatch")]


def test_quotes_csv_has_speaker_and_words(client: TestClient):
    rows = download(client, "/quotes")
    assert len(rows) == client.get("/quotes").json()["total"] == 4
    assert list(rows[0]) == ["doc_id", "id", "day", "outlet", "title", "kind", "speaker", "speaker_text", "cue",
                             "content"]
    mertz = download(client, "/quotes", speaker="Mertz")
    assert [(r["speaker"], r["cue"], r["content"]) for r in mertz] == [
        ("Jonas Mertz", "said", "the inspections stop weapons smuggling, nothing else.")]
    fees = download(client, "/quotes", actor=ACTOR)
    assert [(r["title"], r["outlet"], r["content"]) for r in fees] == [
        ("'=Harbour fees rise at Brenholt", "'@Quayside Gazette", "'+40 percent is more than the quay can bear.")]
    assert download(client, "/quotes", actor="nobody at all") == []


def test_stories_csv_lists_every_story(client: TestClient):
    rows = download(client, "/stories", limit="1")
    listed = client.get("/stories", params={"limit": 100}).json()["items"]
    assert [r["id"] for r in rows] == [s["id"] for s in listed]
    fees = next(r for r in rows if r["headline"].startswith("'=Harbour"))
    assert fees["outlets"] == "'@Quayside Gazette"
    assert fees["documents"] == build(FORMULA).document.id
    grain = next(r for r in rows if "grain corridor" in r["headline"])
    assert len(grain["documents"].split("; ")) == 2


def test_alert_matches_csv(client: TestClient):
    made = client.post("/alerts", json={"name": "quay", "word": "quay"})
    assert made.status_code == 201, made.text
    rows = download(client, f"/alerts/{made.json()['id']}/matches")
    assert [(r["doc_id"], r["title"], r["outlet"]) for r in rows] == [
        (build(FORMULA).document.id, "'=Harbour fees rise at Brenholt", "'@Quayside Gazette")]
    assert rows[0]["summary"]
