"""Faceted document search (``GET /documents`` with filters, facets, highlights and CSV) against the
real app and a real DuckDB file: the fictional pages of ``fictional.py`` and two more written here."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fictional import COURIER, HOSTILE, LEDGER, Page, build, corpus
from wirescope.records import Analysis
from wirescope.serve.api import create_app
from wirescope.storage import search_index
from wirescope.storage.store import Store
from wirescope.stories.assign import assign_stories

# A fictional page in German, from an earlier year, about the same fictional corridor.
GERMAN = Page(
    title="Kestrel droht mit Schliessung des grain corridor",
    body=["Der Gesandte Jonas Mertz drohte am Montag, den grain corridor nach Valdoria zu schliessen.",
          "Die Häfen von Valdoria bleiben offen."],
    outlet="Ostmark Bote", published="2025-02-10", url="https://ostmark-bote.example/korridor",
    entities={"Jonas Mertz": ("PERSON", "KSTGOV", ["Jonas Mertz"]), "Valdoria": ("GPE", "VLDGOV", ["Valdoria"])},
    events=[("THREATEN", ["Jonas Mertz"], ["Valdoria"], "drohte")],
)
# An undated fictional page (no published day): counted in the year facet as None.
UNDATED = Page(
    title="Ferry timetable for the Brenholt crossing",
    body=["The Brenholt ferry keeps its winter timetable, the harbour office said."],
    outlet="Brenholt Gazette", published=None,
)


def german() -> Analysis:
    analysis = build(GERMAN)
    return dataclasses.replace(analysis, document=dataclasses.replace(analysis.document, language="de"))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    path: Path = tmp_path_factory.mktemp("facets") / "news.duckdb"
    with Store(path) as store:
        store.write_batch([*corpus(), german(), build(UNDATED)])
        assign_stories(store)
    return TestClient(create_app(path), base_url="http://127.0.0.1")


def search(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/documents", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def counts(found: dict[str, Any], name: str) -> dict[Any, int]:
    return {v["value"]: v["count"] for v in found["facets"][name]}


def test_facets_count_every_document_without_filters(client: TestClient):
    found = search(client)
    assert found["total"] == 5
    assert counts(found, "outlet") == {"Northgate Courier": 1, "The Valley Ledger": 1, "Ostmark Bote": 1,
                                       "Brenholt Gazette": 1, HOSTILE.outlet: 1}
    assert counts(found, "language") == {"en": 4, "de": 1}
    assert counts(found, "year") == {"2026": 3, "2025": 1, None: 1}  # undated apart
    assert [v["value"] for v in found["facets"]["year"]] == ["2026", "2025", None]
    assert counts(found, "type")["THREATEN"] == 3 and counts(found, "type")["REJECT"] == 1
    assert counts(found, "actor")["Jonas Mertz"] == 3 and counts(found, "actor")["Valdoria"] == 3
    assert len(found["facets"]["actor"]) <= 10 and len(found["facets"]["story"]) <= 10


def test_facet_counts_follow_the_query_and_the_other_filters(client: TestClient):
    grain = search(client, q="grain corridor")
    assert grain["total"] == 3
    assert counts(grain, "outlet") == {"Northgate Courier": 1, "The Valley Ledger": 1, "Ostmark Bote": 1}
    chosen = search(client, q="grain corridor", outlet="northgate courier")
    assert [d["id"] for d in chosen["items"]] == [build(COURIER).document.id]
    # The outlet facet leaves out its own filter (the reader can switch outlet); the others apply it.
    assert counts(chosen, "outlet") == counts(grain, "outlet")
    assert counts(chosen, "type") == {"CONSULT": 1, "THREATEN": 1, "AID": 1, "SUPPORT": 1}
    assert counts(chosen, "language") == {"en": 1}
    assert counts(chosen, "year") == {"2026": 1}


@pytest.mark.parametrize("name", ["outlet", "language", "type", "actor", "story", "year"])
def test_each_facet_value_filters_to_its_count(client: TestClient, name: str):
    for q in (None, "grain"):
        found = search(client, q=q) if q else search(client)
        values = [v for v in found["facets"][name] if v["value"] is not None]
        assert values, name
        for value in values:
            if name == "year":
                params = {"since": f"{value['value']}-01-01", "until": f"{value['value']}-12-31"}
            else:
                params = {name: value["value"]}
            narrowed = search(client, **params, **({"q": q} if q else {}))
            assert narrowed["total"] == value["count"], (name, value)


def test_filters_by_language_type_actor_story_and_date(client: TestClient):
    ledger, courier = build(LEDGER).document.id, build(COURIER).document.id
    assert [d["id"] for d in search(client, language="DE")["items"]] == [german().document.id]
    assert [d["id"] for d in search(client, type="reject")["items"]] == [ledger]
    assert search(client, type="REJECT,CONSULT")["total"] == 2
    # The actor as the events filter takes it: a part of a side's name, a code prefix.
    assert search(client, actor="mertz")["total"] == 3
    assert search(client, actor="KSTGOV")["total"] == 3
    assert search(client, actor="Amira Solberg")["total"] == 2
    story = next(v for v in search(client)["facets"]["story"] if v["count"] == 2)
    assert story["label"] == COURIER.title  # a story is labelled by its headline
    assert {d["id"] for d in search(client, story=story["value"])["items"]} == {courier, ledger}
    dated = search(client, since="2025-01-01", until="2025-12-31", actor="mertz")
    assert [d["id"] for d in dated["items"]] == [german().document.id]
    assert search(client, story="s-no-such-story")["total"] == 0


def test_snippets_mark_the_query_terms_by_offsets(client: TestClient):
    found = search(client, q="GRAIN corridor")
    assert found["items"]
    for item in found["items"]:
        marked = [item["snippet"][h["start"]:h["end"]] for h in item["highlights"]]
        assert {search_index.fold(m) for m in marked} == {"grain", "corridor"}
        assert all(a["end"] < b["start"] for a, b in zip(item["highlights"], item["highlights"][1:]))
    phrase = search(client, q='"grain corridor" Mertz', outlet="The Valley Ledger")["items"][0]
    marked = [phrase["snippet"][h["start"]:h["end"]] for h in phrase["highlights"]]
    assert "grain corridor" in marked and "Mertz" in marked  # a phrase is one mark
    listed = search(client)["items"]
    assert all(d["snippet"] is None and d["highlights"] == [] for d in listed)


def test_no_facets_when_not_asked_and_nothing_for_stop_words(client: TestClient):
    assert "facets" not in search(client, facets="false")
    empty = search(client, q="the of")
    assert empty["total"] == 0 and all(values == [] for values in empty["facets"].values())


def test_csv_lists_every_match_with_the_filters(client: TestClient):
    response = client.get("/documents", params={"q": "grain", "language": "en", "format": "csv", "limit": 1})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "documents.csv" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["id"] for r in rows} == {build(COURIER).document.id, build(LEDGER).document.id}  # not one page
    assert all(float(r["score"]) > 0 and "grain" in r["snippet"].lower() for r in rows)


def test_the_country_facet_offers_only_codes_its_filter_takes(client: TestClient):
    # corpus() holds a hand-made place in the made-up country "VL", which ?country= refuses (422)
    assert client.get("/documents", params={"country": "VL"}).status_code == 422
    assert "VL" not in counts(search(client), "country")
