"""An outlet's home country steers its ambiguous place names (issue 18, item 1): learned by `ingest`
from the outlet's stored documents, or stated with ``--home-country``. Project-written pages about
fictional events in real places, through the real CLI and the real database."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from wirescope.cli import app
from wirescope.settings import Settings
from wirescope.storage.outlet_places import home_country, main_country, outlet_countries

runner = CliRunner()
HOME_PAGES = [  # the Rapides Ledger (fictional) writes about central Louisiana
    ("rapides-ledger.example/a", "Council Meets On Levee Repairs",
     "Council Meets On Levee Repairs\n\nThe Pineville council met officials from Baton Rouge and Lafayette on "
     "Monday to plan levee repairs along the Red River in Louisiana, the mayor said.\n"),
    ("rapides-ledger.example/b", "Roads Closed After Storm",
     "Roads Closed After Storm\n\nFlooding closed roads between Shreveport and Monroe, Louisiana, on "
     "Tuesday, and crews from Natchitoches cleared fallen trees, the parish said.\n"),
]
FIRE = ("Warehouse Fire Under Investigation\n\nA fire destroyed a warehouse in Alexandria on Friday night, "
        "and no one was hurt, the fire chief said.\n")


def _page(url: str, title: str, text: str) -> dict[str, str]:
    return {"url": f"https://{url}", "title": title, "text": text, "published": "2026-11-20"}


def _alexandria(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT json_extract_string(place, '$.country') FROM entities "
                           "WHERE name = 'Alexandria' AND place IS NOT NULL").fetchall()
    finally:
        con.close()
    assert len(rows) == 1, rows
    return rows[0][0]


def _ingest(db: Path, pages: Path, *options: str) -> None:
    result = runner.invoke(app, ["ingest", str(pages), "--db", str(db), "--quiet", "--page-timeout", "0",
                                 "--fast-bias", *options])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def home_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("outlets")
    db = folder / "news.duckdb"
    first = folder / "first.jsonl"
    first.write_text("".join(json.dumps(_page(*page)) + "\n" for page in HOME_PAGES), encoding="utf-8")
    _ingest(db, first)
    later = folder / "later.jsonl"
    later.write_text(json.dumps(_page("rapides-ledger.example/c", "Warehouse Fire", FIRE)) + "\n", encoding="utf-8")
    _ingest(db, later)
    return db


def test_ingest_learns_the_outlets_home_country_and_uses_it(home_db: Path):
    con = duckdb.connect(str(home_db), read_only=True)
    try:
        assert dict(outlet_countries(con))["rapides-ledger.example"] == "US"
    finally:
        con.close()
    assert _alexandria(home_db) == "US"  # alone, "Alexandria" is the Egyptian city


def test_without_an_outlet_history_the_name_alone_decides(tmp_path: Path):
    pages = tmp_path / "fire.jsonl"
    pages.write_text(json.dumps(_page("elsewhere.example/fire", "Warehouse Fire", FIRE)) + "\n", encoding="utf-8")
    _ingest(tmp_path / "alone.duckdb", pages)
    assert _alexandria(tmp_path / "alone.duckdb") == "EG"
    _ingest(tmp_path / "told.duckdb", pages, "--home-country", "us")
    assert _alexandria(tmp_path / "told.duckdb") == "US"


def test_a_bad_country_code_is_refused_with_its_reason(tmp_path: Path):
    result = runner.invoke(app, ["analyze", "--home-country", "USA", str(tmp_path / "none.txt")],
                           env={"COLUMNS": "250"})
    assert result.exit_code == 2
    assert "not an ISO 3166-1 alpha-2 country code" in result.output


def test_home_country_needs_documents_and_a_majority():
    assert main_country(Counter({"US": 3, "CA": 1})) == "US"
    assert main_country(Counter({"US": 2, "CA": 2})) == "CA"  # a tie: the first code alphabetically
    assert main_country(Counter()) is None
    assert home_country(["US", "US", "CA"]) == "US"
    assert home_country(["US"]) is None  # one document is no history
    assert home_country(["US", "CA", "GB", None]) is None  # no country is the main one of half of them
    assert home_country(["US", None]) == "US"


def test_settings_prefer_the_learned_country_to_the_stated_one():
    settings = Settings(home_country="gb", outlet_countries=(("rapides-ledger.example", "US"),))
    assert settings.place_countries("Rapides-Ledger.example") == ("US",)
    assert settings.place_countries("other.example") == ("GB",)
    assert Settings().place_countries("other.example") == ()


def test_the_api_steers_places_by_the_outlets_history_and_the_requests_home_country(home_db: Path, tmp_path: Path):
    from fastapi.testclient import TestClient

    from wirescope.serve.api import create_app

    def alexandria(client: TestClient, **fields: str) -> str:
        response = client.post("/analyze", json={"text": FIRE, "published": "2026-11-21", **fields})
        assert response.status_code == 200, response.text
        return next(e["place"]["country"] for e in response.json()["entities"] if e["name"] == "Alexandria")

    copy = tmp_path / "served.duckdb"  # a database of its own: the module's one is open read-only elsewhere
    copy.write_bytes(home_db.read_bytes())
    with TestClient(create_app(copy, settings=Settings(contextual_bias=False)),
                    base_url="http://127.0.0.1") as client:
        assert alexandria(client, url="https://rapides-ledger.example/d") == "US"  # the outlet's history
        assert alexandria(client, url="https://elsewhere.example/d") == "EG"
        assert alexandria(client, url="https://elsewhere.example/d", home_country="us") == "US"
        refused = client.post("/analyze", json={"text": FIRE, "home_country": "USA"})
        assert refused.status_code == 422 and "home_country" in refused.text


def test_a_sites_country_code_domain_steers_a_page_with_no_outlet_history(tmp_path: Path):
    # A first page of a (fictional) ".us" paper: no stored history, the domain says where it writes.
    pages = tmp_path / "fire.jsonl"
    pages.write_text(json.dumps(_page("pineville-ledger.us/fire", "Warehouse Fire", FIRE)) + "\n", encoding="utf-8")
    _ingest(tmp_path / "site.duckdb", pages)
    assert _alexandria(tmp_path / "site.duckdb") == "US"


def test_the_site_domain_comes_after_the_learned_and_the_stated_country():
    from wirescope.analysis.places import domain_country
    from wirescope.pipeline import page_countries

    assert domain_country("https://www.calderon-courier.co.uk/news/1") == "GB"
    assert domain_country("weekly.harbour-notes.org.eg") == "EG" and domain_country("calderon-press.ca") == "CA"
    assert domain_country("https://calderon-herald.com/a") is None  # a generic domain says nothing
    assert domain_country("https://harbour.tv/a") is None  # nor a vanity one
    assert domain_country("The Calderon Herald") is None and domain_country(None) is None
    assert domain_country("http://127.0.0.1:8000/a") is None
    learned = Settings(outlet_countries=(("pineville-ledger.ca", "US"),))
    assert page_countries(learned, None, "https://pineville-ledger.ca/a") == ("US",)
    assert page_countries(Settings(home_country="ie"), None, "https://pineville-ledger.ca/a") == ("IE",)
    assert page_countries(Settings(), "Pineville Ledger", "https://pineville-ledger.ca/a") == ("CA",)
    assert page_countries(Settings(), "pineville-ledger.ca", None) == ("CA",)
