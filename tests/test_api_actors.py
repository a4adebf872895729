"""The actor register over HTTP: ``/actors``, ``/actors/{actor_id}``, the network, the event and quote
filters and the corrections, against the real app and a DuckDB file filled by the real ingest of
fictional pages (tests/story_pages.py: Pavel Marek and Irena Valk each named in two articles)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from story_pages import write_jsonl
from wirescope.serve.api import create_app
from wirescope.settings import Settings

pytestmark = pytest.mark.slow  # the pages are analysed with spaCy

PAGES = ["river-ledger", "river-times", "river-post", "bank-ledger", "bank-times", "bank-post"]
MAREK, VALK = "person:pavel-marek", "person:irena-valk"


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pages ingested once; each test reads or corrects a copy of the file."""
    from wirescope.ingest import ingest

    folder = tmp_path_factory.mktemp("actors-api")
    db = folder / "ingested.duckdb"
    report = ingest([str(write_jsonl(folder / "pages.jsonl", PAGES))], db, Settings())
    assert report.stored == len(PAGES)
    return db


def open_copy(ingested: Path, folder: Path, **options: Any) -> TestClient:
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / "news.duckdb"
    shutil.copy(ingested, copy)
    # base_url sets the address the app believes it listens on: loopback unless a test says otherwise.
    base = options.pop("base_url", "http://127.0.0.1")
    return TestClient(create_app(copy, **options), base_url=base)


@pytest.fixture(scope="module")
def reader(ingested: Path, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return open_copy(ingested, tmp_path_factory.mktemp("reader"))


@pytest.fixture()
def client(ingested: Path, tmp_path: Path) -> Iterator[TestClient]:
    yield open_copy(ingested, tmp_path)


def aliases(actor: dict[str, Any]) -> dict[str, int]:
    return {a["alias"]: a["mentions"] for a in actor["aliases"]}


def test_register_lists_one_actor_per_person_across_documents(reader: TestClient):
    found = reader.get("/actors", params={"q": "marek"}).json()
    assert [a["id"] for a in found["items"]] == [MAREK]
    marek = found["items"][0]
    assert (marek["name"], marek["type"], marek["documents"]) == ("Pavel Marek", "PERSON", 2)
    people = reader.get("/actors", params={"type": "person", "limit": 500}).json()
    assert {MAREK, VALK} <= {a["id"] for a in people["items"]}
    assert all(a["type"] == "PERSON" for a in people["items"])
    first = reader.get("/actors", params={"limit": 2}).json()
    second = reader.get("/actors", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"] > 2
    assert not {a["id"] for a in first["items"]} & {a["id"] for a in second["items"]}


def test_actor_profile_by_id(reader: TestClient):
    marek = reader.get(f"/actors/{MAREK}").json()
    assert marek["id"] == MAREK and marek["name"] == "Pavel Marek"
    assert {"Pavel Marek", "Marek"} <= set(aliases(marek))
    assert (marek["first_seen"], marek["last_seen"]) == ("2031-03-04", "2031-03-05")
    assert len(marek["document_list"]) == marek["documents"] == 2
    assert marek["quotes"] == len(marek["said"]) >= 1
    assert any("Prices must come down" in q["content"]["text"] for q in marek["said"])


def test_an_alias_or_a_name_finds_the_actor_and_an_unknown_one_is_404(reader: TestClient):
    assert reader.get("/actors/Pavel Marek").json()["id"] == MAREK
    assert reader.get("/actors/marek").json()["id"] == MAREK
    missing = reader.get("/actors/person:nobody-at-all")
    assert missing.status_code == 404
    assert missing.json()["status"] == 404 and "person:nobody-at-all" in missing.json()["error"]


def test_quotes_and_events_filter_by_actor_id_or_alias(reader: TestClient):
    by_id = reader.get("/quotes", params={"actor": MAREK}).json()
    by_alias = reader.get("/quotes", params={"actor": "Marek"}).json()
    assert by_id["total"] >= 1 and by_id == by_alias
    assert all(q["speaker"]["name"] == "Pavel Marek" for q in by_id["items"])
    net = reader.get("/network").json()
    identified = {n["id"] for n in net["nodes"] if n["actor"]}
    edge = next(e for e in net["edges"] if e["source"] in identified)
    by_id = reader.get("/events", params={"actor": edge["source"], "limit": 500}).json()
    assert by_id["total"] >= edge["count"]
    alias = reader.get(f"/actors/{edge['source']}").json()["aliases"][0]["alias"]
    by_alias = reader.get("/events", params={"actor": alias, "limit": 500}).json()
    keys = {(v["doc_id"], v["id"]) for v in by_id["items"]}
    assert keys <= {(v["doc_id"], v["id"]) for v in by_alias["items"]}


def test_network_nodes_are_actor_ids_labelled_by_name(reader: TestClient):
    net = reader.get("/network").json()
    assert net["nodes"], "the pages give at least one edge"
    registered = {a["id"]: a["name"] for a in reader.get("/actors", params={"limit": 500}).json()["items"]}
    identified = [node for node in net["nodes"] if node["actor"]]
    assert identified, "the pages give at least one edge with an identified actor"
    for node in identified:
        assert node["id"] == node["actor"] and registered[node["id"]] == node["name"]
    for node in net["nodes"]:  # a side no actor id has (a country spaCy took for a person) keeps its name
        assert node["actor"] or (node["id"] == node["name"] and node["id"] not in registered)


def test_a_rename_shows_in_the_next_get(client: TestClient):
    answer = client.post(f"/actors/{MAREK}/rename", json={"name": "  Pavel J. Marek "})
    assert answer.status_code == 200 and answer.json()["name"] == "Pavel J. Marek"
    again = client.get(f"/actors/{MAREK}").json()
    assert (again["id"], again["name"]) == (MAREK, "Pavel J. Marek")
    assert [a["name"] for a in client.get("/actors", params={"q": "marek"}).json()["items"]] == ["Pavel J. Marek"]


def test_a_recode_shows_in_the_next_get(client: TestClient):
    body = {"code": "ostbnk", "start": "2031-03-05", "end": "2031-03-05"}
    assert client.post(f"/actors/{MAREK}/recode", json=body).status_code == 200
    codes = client.get(f"/actors/{MAREK}").json()["codes"]
    assert {"code": "OSTBNK", "first_seen": "2031-03-05", "last_seen": "2031-03-05"}.items() <= next(
        c for c in codes if c["code"] == "OSTBNK").items()


def test_a_split_makes_a_new_actor_of_the_alias(client: TestClient):
    answer = client.post(f"/actors/{MAREK}/split", json={"alias": "Marek", "name": "Jan Marek"})
    assert answer.status_code == 201
    new = answer.json()
    assert (new["id"], new["name"]) == ("person:jan-marek", "Jan Marek")
    assert set(aliases(new)) == {"Marek"}
    assert "Marek" not in aliases(client.get(f"/actors/{MAREK}").json())


def test_a_merge_moves_everything_to_the_actor_kept(client: TestClient):
    before = client.get(f"/actors/{MAREK}").json()
    answer = client.post(f"/actors/{MAREK}/merge", json={"other": VALK})
    assert answer.status_code == 200
    merged = client.get(f"/actors/{MAREK}").json()
    assert merged["name"] == "Pavel Marek" and "Irena Valk" in aliases(merged)
    assert merged["documents"] == before["documents"] + 2
    assert client.get(f"/actors/{VALK}").status_code == 404
    kinds = [(c["kind"], c["actor"], c["other"]) for c in client.get("/corrections").json()["items"]]
    assert kinds == [("merge", MAREK, VALK)]


def test_corrections_refuse_unknown_actors_and_bad_input(client: TestClient):
    assert client.post("/actors/person:nobody/rename", json={"name": "X"}).status_code == 404
    assert client.post(f"/actors/{MAREK}/merge", json={"other": "person:nobody"}).status_code == 404
    for action, body in (("rename", {"name": "  "}), ("rename", {}), ("merge", {"other": MAREK}),
                         ("recode", {"code": "US GOV"}), ("recode", {"code": "USAGOV", "start": "2031-03-05",
                                                                     "end": "2031-03-01"}),
                         ("split", {"alias": "Somebody Else", "name": "Jan Marek"}),
                         ("split", {"alias": "Marek", "name": "Pavel Marek"})):
        answer = client.post(f"/actors/{MAREK}/{action}", json=body)
        assert answer.status_code == 422, (action, body, answer.json())
        assert set(answer.json()) >= {"error", "status"}
    assert client.get("/corrections").json()["items"] == []  # nothing refused was stored


def test_corrections_need_write_access(ingested: Path, tmp_path: Path):
    guarded = open_copy(ingested, tmp_path / "guarded", token="s3cret")
    assert guarded.post(f"/actors/{MAREK}/rename", json={"name": "X"}).status_code == 401
    wrong = guarded.post(f"/actors/{MAREK}/rename", json={"name": "X"}, headers={"X-API-Token": "nope"})
    assert wrong.status_code == 403
    right = guarded.post(f"/actors/{MAREK}/rename", json={"name": "Marek P."}, headers={"X-API-Token": "s3cret"})
    assert right.status_code == 200 and guarded.get(f"/actors/{MAREK}").json()["name"] == "Marek P."
    exposed = open_copy(ingested, tmp_path / "exposed", base_url="http://10.1.2.3")
    assert exposed.post(f"/actors/{MAREK}/rename", json={"name": "X"}).status_code == 403
    read_only = open_copy(ingested, tmp_path / "read-only", read_only=True)
    refused = read_only.post(f"/actors/{MAREK}/rename", json={"name": "X"})
    assert refused.status_code == 403 and "read-only" in refused.json()["error"]


def test_a_name_of_several_actors_lists_them(client: TestClient):
    # After this rename "Pavel Marek" is Irena Valk's name and an alias of Pavel Marek.
    assert client.post(f"/actors/{VALK}/rename", json={"name": "Pavel Marek"}).status_code == 200
    ambiguous = client.get("/actors/pavel marek")
    assert ambiguous.status_code == 404 and "names 2 actors" in ambiguous.json()["error"]
    assert {a["id"] for a in ambiguous.json()["detail"]} == {MAREK, VALK}
    quotes = client.get("/quotes", params={"actor": "Pavel Marek"})
    assert quotes.status_code == 422 and {a["id"] for a in quotes.json()["detail"]} == {MAREK, VALK}
    assert client.get("/quotes", params={"actor": MAREK}).json()["total"] >= 1  # an id is never ambiguous
    assert client.get("/quotes", params={"actor": "Nobody At All"}).json() == {
        "total": 0, "limit": 50, "offset": 0, "items": []}
