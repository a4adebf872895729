"""Where and when (issue 18): places on entities, dates and action locations on events, through the
real CLI (`analyze --json`) and the store (ingest, then read back). The page is written for the
project: invented people and outlet, real place names so that they resolve."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli_run import cli
from wirescope.cli import app

PAGE = {
    "url": "https://northgate-wire.example/flood-barrier", "outlet": "Northgate Wire", "published": "2025-04-14",
    "title": "Flood barrier talks open in Paris as river rises",
    "text": ("Flood barrier talks open in Paris as river rises\n\n"
             "PARIS, Texas (Northgate Wire) - Officials from Lamar County met engineers in Paris on Friday to "
             "discuss a new flood barrier, after the river rose above its banks last week.\n\n"
             "\"We cannot wait for another spring like this one,\" said county judge Orla Fenwick, who demanded "
             "that the state fund the barrier.\n\n"
             "The state water board said it would review the request.\n"),
}
# The lead names its protesters and their target: "Ferry crews in Lisbon went on strike" alone gave an
# event only through the headline's "strike", which the distilled tagger (bench/RESULTS.md 16g) reads
# less surely; "ferry crews" going on strike has no side the coder resolves.
UNDATED = {"outlet": "Lantern Post", "title": "Ferry crews strike in Lisbon",
           "text": "Ferry crews strike in Lisbon\n\nFerry crews protested in Lisbon against the port authority, "
                   "the union said.\n"}


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("where_when")
    pages = folder / "pages.jsonl"
    pages.write_text("".join(json.dumps(p) + "\n" for p in (PAGE, UNDATED)), encoding="utf-8")
    lines = cli("analyze", pages, "--json", "--fast-bias", "--db", folder / "news.duckdb").splitlines()
    return {"json": [json.loads(line) for line in lines], "db": folder / "news.duckdb"}


def test_a_place_name_resolves_with_the_documents_other_places(analysed: dict) -> None:
    dated = analysed["json"][0]
    paris = next(e for e in dated["entities"] if e["name"] == "Paris")
    place = paris["place"]
    assert place["country"] == "US" and place["admin1"] == "TX" and place["country_fips"] == "US"  # not France
    assert abs(place["latitude"] - 33.66) < 0.2 and abs(place["longitude"] + 95.56) < 0.2
    assert isinstance(place["geonames_id"], int) and place["feature"] == "city"
    assert paris["code"] == "USA"  # the country code follows the place chosen, not the name alone (FRA)
    lisbon = next(e for e in analysed["json"][1]["entities"] if e["name"] == "Lisbon" and e["type"] == "GPE")
    assert lisbon["place"]["country"] == "PT"


def test_time_expressions_resolve_against_the_articles_date(analysed: dict) -> None:
    dated = analysed["json"][0]
    text = dated["document"]["text"]
    times = {t["text"]: t for t in dated["times"]}
    assert times["Friday"]["value"] == "2025-04-11"  # the Friday before Monday 14 April 2025
    assert times["last week"]["granularity"] == "week"
    for t in dated["times"]:
        assert text[t["start"]:t["end"]] == t["text"]


def test_an_event_takes_the_day_its_sentence_states_else_the_articles_and_says_which(analysed: dict) -> None:
    dated, undated = analysed["json"]
    text = dated["document"]["text"]
    met = next(v for v in dated["events"] if v["trigger"]["text"] == "met")
    assert (met["date"], met["date_source"]) == ("2025-04-11", "sentence")
    assert text[met["date_span"]["start"]:met["date_span"]["end"]] == "Friday"
    demanded = next(v for v in dated["events"] if v["trigger"]["text"] == "demanded")
    assert (demanded["date"], demanded["date_source"], demanded["date_span"]) == ("2025-04-14", "article", None)
    assert undated["events"], "the undated page has its protest"
    assert all((v["date"], v["date_source"]) == (None, "none") for v in undated["events"])  # never the ingest day


def test_an_event_is_located_at_the_place_its_sentence_names(analysed: dict) -> None:
    dated = analysed["json"][0]
    met = next(v for v in dated["events"] if v["trigger"]["text"] == "met")
    assert met["location"]["name"] == "Paris" and met["location"]["admin1"] == "TX"
    paris = next(e for e in dated["entities"] if e["name"] == "Paris")
    assert met["location_entity"] == paris["id"]


def test_the_store_gives_back_places_dates_and_times(analysed: dict) -> None:
    exported = analysed["db"].parent / "jsonl"
    cli("export", "--db", analysed["db"], "--format", "jsonl", "--out", exported)
    events = [json.loads(line) for line in (exported / "events.jsonl").read_text("utf-8").splitlines()]
    met = next(v for v in events if v["date_span_start"] is not None and v["location_entity"])
    assert (met["date"], met["date_source"]) == ("2025-04-11", "sentence")
    assert met["location"]["name"] == "Paris"
    times = [json.loads(line) for line in (exported / "times.jsonl").read_text("utf-8").splitlines()]
    assert {"Friday", "last week"} <= {t["text"] for t in times}
    entities = [json.loads(line) for line in (exported / "entities.jsonl").read_text("utf-8").splitlines()]
    assert any(e["place"] and e["place"]["admin1"] == "TX" for e in entities)


def test_a_document_and_its_actors_carry_a_tone(analysed: dict) -> None:
    dated = analysed["json"][0]
    tone = dated["document"]["tone"]
    assert -1 <= tone["tone"] <= 1 and -100 <= tone["gdelt_tone"] <= 100 and tone["word_count"] > 20
    assert tone["polarity"] == pytest.approx(tone["positive"] + tone["negative"], abs=1e-3)
    fenwick = next(e for e in dated["entities"] if e["name"] == "Orla Fenwick")
    assert fenwick["tone"] is not None and -1 <= fenwick["tone"] <= 1


def test_documents_are_found_by_the_places_their_events_happened(analysed: dict, tmp_path: Path) -> None:
    events = [json.loads(line) for line in cli("events", "--db", analysed["db"], "--json").splitlines() if line]
    located = [v for v in events if v.get("location")]
    assert located and all(v["location"]["country"] == "US" for v in located if v["location"]["name"] == "Paris")


def test_the_cli_filters_events_by_where_and_when_they_happened(analysed: dict) -> None:
    def events(*flags: str) -> list[dict]:
        return [json.loads(line) for line in cli("events", "--db", analysed["db"], "--json", *flags).splitlines()
                if line]

    in_us = events("--country", "us")
    assert in_us and all(v["location"]["country"] == "US" for v in in_us)
    assert events("--country", "PT") and not events("--country", "FR")  # Lisbon's protest; no event in France
    assert events("--country", "prt") == events("--country", "PT")  # alpha-3, any case
    unknown = CliRunner().invoke(app, ["events", "--db", str(analysed["db"]), "--country", "XQZ"])
    assert unknown.exit_code == 2 and "no country" in unknown.output
    texas = events("--bbox", "-100,30,-94,35")  # west,south,east,north around north-east Texas
    assert {v["location"]["name"] for v in texas} == {"Paris"}
    assert not events("--bbox", "0,40,10,50")  # Paris, France: none
    friday = events("--happened-since", "2025-04-11", "--happened-until", "2025-04-11")
    assert friday and all(v["date"] == "2025-04-11" for v in friday)
    result = CliRunner().invoke(app, ["events", "--db", str(analysed["db"]), "--bbox", "1,2,3"])
    assert result.exit_code == 2 and "four numbers" in result.output


def test_the_api_filters_events_by_place_and_day_and_counts_them_for_the_map(analysed: dict) -> None:
    from fastapi.testclient import TestClient

    from wirescope.serve.api import create_app

    with TestClient(create_app(analysed["db"], read_only=True), base_url="http://127.0.0.1") as client:
        located = client.get("/events", params={"country": "US"}).json()
        assert located["total"] >= 1 and all(v["location"]["country"] == "US" for v in located["items"])
        boxed = client.get("/events", params={"bbox": "-100,30,-94,35", "happened_since": "2025-04-11"}).json()
        assert boxed["items"] and all(v["event_date"] >= "2025-04-11" for v in boxed["items"])
        places = client.get("/events/places").json()["places"]
        paris = next(p for p in places if p["name"] == "Paris")
        assert paris["country"] == "US" and paris["events"] >= 1 and paris["documents"] == 1
        assert {"latitude", "longitude", "geonames_id"} <= set(paris)
        assert client.get("/events", params={"bbox": "1,2,3,north"}).status_code == 422
        by_alpha3 = client.get("/events/places", params={"country": "usa"})  # alpha-3, any case
        assert by_alpha3.status_code == 200 and by_alpha3.json()["places"] == client.get(
            "/events/places", params={"country": "US"}).json()["places"]
        assert client.get("/events", params={"country": "PRT"}).json()["total"] >= 1
        unknown = client.get("/events", params={"country": "XQZ"})
        assert unknown.status_code == 422 and "country" in unknown.text and "XQZ" in unknown.text


def test_the_timeline_counts_only_the_events_of_the_place_asked_for(analysed: dict) -> None:
    from fastapi.testclient import TestClient

    from wirescope.serve.api import create_app

    with TestClient(create_app(analysed["db"], read_only=True), base_url="http://127.0.0.1") as client:
        everywhere = sum(t["count"] for t in client.get("/events/timeline").json()["types"])
        in_portugal = sum(t["count"] for t in client.get("/events/timeline", params={"country": "PT"}).json()["types"])
        assert 1 <= in_portugal < everywhere


def test_a_document_names_its_main_places_in_json_store_api_and_summary(analysed: dict, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from wirescope.serve.api import create_app

    places = analysed["json"][0]["document"]["places"]
    assert places and places[0]["name"] == "Paris" and places[0]["admin1"] == "TX"  # the most mentioned
    assert len(places) <= 3 and not any(p["inferred"] for p in places)
    assert [p["name"] for p in analysed["json"][1]["document"]["places"]] == ["Lisbon"]
    doc_id = analysed["json"][0]["document"]["id"]
    with TestClient(create_app(analysed["db"], read_only=True), base_url="http://127.0.0.1") as client:
        stored = client.get(f"/documents/{doc_id}").json()
    assert stored["document"]["places"] == places  # read back from the store as analysed
    page = tmp_path / "page.txt"
    page.write_text(PAGE["text"], encoding="utf-8")
    summary = CliRunner().invoke(app, ["analyze", str(page), "--fast-bias"], env={"COLUMNS": "200"})
    assert summary.exit_code == 0 and "Paris, Texas, US" in summary.output
