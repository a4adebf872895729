"""Documents found by place and date (issue 18, item 5): ``GET /documents?country=&bbox=`` with the
country facet, ``wirescope documents --country/--bbox/--since/--until`` and the search page's
country facet, against a real DuckDB file, the real app and the real CLI.

The pages are fictional (outlets, people and stories written for this project); their places are
real GeoNames entries (name, id, country, coordinates) in Portugal and Norway, as the place
resolver would give them.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from fictional import Page, build
from served import browser_page, served
from wirescope.cli import app as cli_app
from wirescope.records import Analysis, Place
from wirescope.serve.api import create_app
from wirescope.storage.store import Store
from wirescope.stories.assign import assign_stories

LISBON = Place(2267057, "Lisbon", "city", "PT", "PO", "14", "Lisbon", 38.71667, -9.13333, 517_802)
PORTO = Place(2735943, "Porto", "city", "PT", "PO", "17", "Porto", 41.14961, -8.61099, 249_633)
OSLO = Place(3143244, "Oslo", "city", "NO", "NO", "12", "Oslo", 59.91273, 10.74609, 580_000)
BERGEN = Place(3161732, "Bergen", "city", "NO", "NO", "46", "Vestland", 60.39299, 5.32415, 213_585)

# Lisbon and Porto named (entity places); a strike located in Lisbon (an event location).
TAGUS = Page(
    title="Tram drivers in Lisbon walk out over rosters",
    body=["Tram drivers in Lisbon walked out on Monday after the operator Carris Nova changed their rosters.",
          "The union's Marta Quelhas said drivers in Porto would join them next week."],
    outlet="Tagus Wire", published="2026-03-02", url="https://tagus-wire.example/tram-rosters",
    entities={"Lisbon": ("GPE", None, ["Lisbon"]), "Porto": ("GPE", None, ["Porto"]),
              "Tram drivers": ("ORG", None, ["Tram drivers"])},
    events=[("PROTEST", ["Tram drivers"], [], "walked out")],
    locations={"walked out": LISBON},
)
# Only Bergen, named.
FJORD = Page(
    title="Bergen ferry yard wins hull contract",
    body=["The Solvik ferry yard in Bergen won a contract for four hulls, its director Eirik Strand said."],
    outlet="Fjord Courier", published="2026-03-05", url="https://fjord-courier.example/hull-contract",
    entities={"Bergen": ("GPE", None, ["Bergen"])},
)
# Oslo and Porto, named: a document in both countries, published the year before.
TWIN = Page(
    title="Oslo and Porto sign a harbour twinning pact",
    body=["Harbour masters from Oslo and Porto signed a twinning pact on Thursday, trading pilots for a year."],
    outlet="Tagus Wire", published="2025-11-20", url="https://tagus-wire.example/harbour-pact",
    entities={"Oslo": ("GPE", None, ["Oslo"]), "Porto": ("GPE", None, ["Porto"])},
)
# No place named in an entity: only its event is located (in Lisbon).
MARCH = Page(
    title="Dock workers march to the ministry",
    body=["The Dock Workers Guild marched to the transport ministry to demand new cranes."],
    outlet="Fjord Courier", published="2026-04-01", url="https://fjord-courier.example/dock-march",
    entities={"Dock Workers Guild": ("ORG", None, ["Dock Workers Guild"])},
    events=[("PROTEST", ["Dock Workers Guild"], [], "marched")],
    locations={"marched": LISBON},
)
# No resolved place at all.
NOWHERE = Page(
    title="Ferry operator changes its winter timetable",
    body=["The Solvik line keeps four crossings a day until spring, its booking office said."],
    outlet="Fjord Courier", published="2026-03-03", url="https://fjord-courier.example/timetable",
)
ENTITY_PLACES = {"Lisbon": LISBON, "Porto": PORTO, "Oslo": OSLO, "Bergen": BERGEN}


def placed(page: Page) -> Analysis:
    """``page`` analysed, each place name's entity resolved to its GeoNames place."""
    analysis = build(page)
    entities = tuple(dataclasses.replace(e, place=ENTITY_PLACES.get(e.name)) for e in analysis.entities)
    return dataclasses.replace(analysis, entities=entities)


IDS = {name: build(page).document.id for name, page in
       (("tagus", TAGUS), ("fjord", FJORD), ("twin", TWIN), ("march", MARCH), ("nowhere", NOWHERE))}
IN_PORTUGAL = {IDS["tagus"], IDS["twin"], IDS["march"]}
IN_NORWAY = {IDS["fjord"], IDS["twin"]}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path: Path = tmp_path_factory.mktemp("document_places") / "news.duckdb"
    with Store(path) as store:
        store.write_batch([placed(p) for p in (TAGUS, FJORD, TWIN, MARCH, NOWHERE)])
        assign_stories(store)
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    # Read-only, as the CLI opens it too: both can hold the file at once.
    with TestClient(create_app(db, read_only=True), base_url="http://127.0.0.1") as test_client:
        yield test_client


def search(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/documents", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def ids(found: dict[str, Any]) -> set[str]:
    assert found["total"] == len(found["items"])  # every test page fits one page
    return {d["id"] for d in found["items"]}


def countries(found: dict[str, Any]) -> dict[str, tuple[str, int]]:
    return {v["value"]: (v["label"], v["count"]) for v in found["facets"]["country"]}


def test_the_country_filter_takes_alpha2_or_alpha3_in_any_case(client: TestClient) -> None:
    for code in ("PT", "pt", "PRT", "prt"):
        assert ids(search(client, country=code)) == IN_PORTUGAL, code
    assert ids(search(client, country="NOR")) == IN_NORWAY
    assert search(client, country="ES")["total"] == 0  # a country no document has a place in
    # An event's location alone puts a document in its country.
    assert IDS["march"] in ids(search(client, country="PT", outlet="Fjord Courier"))


def test_the_country_facet_counts_documents_per_country_with_its_name(client: TestClient) -> None:
    everything = search(client)
    assert everything["total"] == 5
    assert countries(everything) == {"PT": ("Portugal", 3), "NO": ("Norway", 2)}
    assert [v["value"] for v in everything["facets"]["country"]] == ["PT", "NO"]  # most first
    # Its own filter left out: choosing Norway still shows Portugal's count, the other facets narrow.
    norway = search(client, country="NO")
    assert countries(norway) == countries(everything)
    assert {v["value"]: v["count"] for v in norway["facets"]["outlet"]} == {"Fjord Courier": 1, "Tagus Wire": 1}
    # The other filters apply to it: one outlet, one date range.
    assert countries(search(client, outlet="Fjord Courier")) == {"PT": ("Portugal", 1), "NO": ("Norway", 1)}
    assert countries(search(client, until="2025-12-31")) == {"PT": ("Portugal", 1), "NO": ("Norway", 1)}
    for value in everything["facets"]["country"]:
        assert search(client, country=value["value"])["total"] == value["count"]


def test_the_box_keeps_documents_with_a_place_inside_it(client: TestClient) -> None:
    portugal = "-10,36.5,-6,42.5"  # west,south,east,north
    assert ids(search(client, bbox=portugal)) == IN_PORTUGAL
    assert ids(search(client, bbox="4.5,60,6,61")) == {IDS["fjord"]}  # Bergen, not Oslo
    assert ids(search(client, bbox="-10,36,11,61")) == IN_PORTUGAL | IN_NORWAY  # both; never the placeless one
    assert search(client, bbox="170,-50,-170,-30")["total"] == 0  # across the antimeridian: nothing there
    # The box applies to the country facet: the twinning pact is in the box (Porto) and in Norway (Oslo).
    assert countries(search(client, bbox=portugal)) == {"PT": ("Portugal", 3), "NO": ("Norway", 1)}
    # Box and country are two conditions: a place in the box (Oslo) and a place in Portugal (Porto).
    assert ids(search(client, bbox="10,59,11.5,60.5", country="PT")) == {IDS["twin"]}


def test_place_and_published_date_filters_combine(client: TestClient) -> None:
    assert ids(search(client, country="PT", since="2026-01-01")) == {IDS["tagus"], IDS["march"]}
    assert ids(search(client, country="PT", until="2025-12-31")) == {IDS["twin"]}
    assert ids(search(client, since="2026-03-02", until="2026-03-03")) == {IDS["tagus"], IDS["nowhere"]}
    march = search(client, country="PT", since="2026-03-01", until="2026-03-31")
    assert ids(march) == {IDS["tagus"]} and {v["value"] for v in march["facets"]["year"]} == {"2026", "2025"}


def test_the_csv_download_keeps_the_place_filters(client: TestClient) -> None:
    response = client.get("/documents", params={"country": "NO", "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {row["id"] for row in rows} == IN_NORWAY


@pytest.mark.parametrize(("params", "named"), [
    ({"bbox": "1,2,3"}, "bbox"), ({"bbox": "west,2,3,4"}, "bbox"), ({"bbox": "0,50,10,40"}, "bbox"),
    ({"bbox": "0,0,200,10"}, "bbox"), ({"country": "XYZ"}, "country"), ({"country": "P"}, "country"),
    ({"country": "Portugal"}, "country"),
])
def test_malformed_place_filters_are_a_422_naming_the_parameter(client: TestClient, params: dict[str, str],
                                                                named: str) -> None:
    response = client.get("/documents", params=params)
    assert response.status_code == 422, response.text
    assert named in response.json()["error"]


def run_cli(*args: object) -> Any:
    return CliRunner().invoke(cli_app, [str(a) for a in args])


def cli_ids(db: Path, *flags: str) -> set[str]:
    result = run_cli("documents", "--db", db, "--json", *flags)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line]
    assert all({"id", "title", "outlet", "published", "source", "stored_at"} <= set(row) for row in rows)
    return {row["id"] for row in rows}


def test_the_cli_lists_documents_by_country_box_and_date(db: Path, client: TestClient) -> None:
    assert len(cli_ids(db)) == 5
    assert cli_ids(db, "--country", "prt") == IN_PORTUGAL
    assert cli_ids(db, "--country", "NO") == IN_NORWAY
    assert cli_ids(db, "--bbox", "4.5,60,6,61") == {IDS["fjord"]}
    assert cli_ids(db, "--country", "pt", "--since", "2026-01-01") == {IDS["tagus"], IDS["march"]}
    assert cli_ids(db, "--until", "2025-12-31") == {IDS["twin"]}
    table = run_cli("documents", "--db", db, "--country", "NO")
    assert table.exit_code == 0 and "2 of 5 documents" in table.stdout


@pytest.mark.parametrize(("flags", "named"), [
    (["--bbox", "1,2,3"], "--bbox"), (["--bbox", "0,50,10,40"], "--bbox"), (["--country", "Atlantis"], "--country"),
    (["--since", "March"], "--since"),
])
def test_the_cli_says_which_option_is_malformed(db: Path, flags: list[str], named: str) -> None:
    result = run_cli("documents", "--db", db, *flags)
    assert result.exit_code == 2, result.output
    assert named in result.output


# -- the search page in a real browser (Debian's Chromium, conftest.browser) ------------------------
APP_JS = Path(__file__).resolve().parents[1] / "src" / "wirescope" / "serve" / "web" / "app.js"


@pytest.fixture(scope="module")
def base_url(db: Path, client: TestClient) -> Iterator[str]:
    """The app over ``db`` served by uvicorn on a free loopback port (read-only, beside ``client``)."""
    pytest.importorskip("uvicorn")
    with served(create_app(db, read_only=True)) as base:
        yield base


@pytest.fixture()
def page(browser: Any, base_url: str) -> Iterator[Any]:
    with browser_page(browser, base_url) as opened:
        yield opened


def facet_links(page: Any) -> dict[str, str]:
    """The country facet's entries (text without the check mark) -> where each one leads."""
    links = page.locator("section[data-facet=country] li a")
    return {links.nth(i).inner_text().lstrip("✓ ").strip(): links.nth(i).get_attribute("href")
            for i in range(links.count())}


def test_the_search_page_shows_the_country_facet_and_its_removable_filter(page: Any, tmp_path: Path) -> None:
    page.goto("/ui/")
    page.wait_for_selector("section[data-facet=country] li a")
    assert facet_links(page) == {"Portugal 3": "/ui/?country=PT", "Norway 2": "/ui/?country=NO"}
    page.goto("/ui/?country=PT&q=Porto")  # a shareable address: the filter and the words stay together
    page.wait_for_selector("#active-filters")
    chips = page.locator("#active-filters li a")
    assert [chips.nth(i).inner_text().replace("\u00d7", "").strip() for i in range(chips.count())] == \
        ["words: Porto", "place in: Portugal"]
    assert chips.nth(1).get_attribute("href") == "/ui/?q=Porto"  # removing the country keeps the words
    # Counted for the words (the facet leaves its own filter out); the chosen one clears itself.
    assert facet_links(page) == {"Portugal 2": "/ui/?q=Porto", "Norway 1": "/ui/?country=NO&q=Porto"}
    chosen = page.locator("section[data-facet=country] li a", has_text="✓")
    assert chosen.count() == 1 and "Portugal" in chosen.inner_text()
    snap(page, tmp_path, "search-country-facet")
    page.goto("/ui/?bbox=4.5,60,6,61")  # a box has no facet: only its removable filter
    page.wait_for_selector("#active-filters")
    box = page.locator("#active-filters li a")
    assert box.count() == 1 and box.inner_text().startswith("place in box: 4.5,60,6,61")
    assert box.get_attribute("href") == "/ui/?"


def snap(page: Any, folder: Path, name: str) -> None:
    """A full-page screenshot in ``folder``, and in $WIRESCOPE_SCREENSHOTS when set."""
    page.wait_for_timeout(150)  # let the last paint settle
    for target in {folder, Path(os.environ.get("WIRESCOPE_SCREENSHOTS") or folder)}:
        target.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target / f"{name}.png"), full_page=True)


@pytest.mark.skipif("searchFilters(p)" not in APP_JS.read_text(encoding="utf-8"),
                    reason="the search page passes the country and box to /documents once app.js "
                           "takes its filters from web/search.js (searchFilters)")
def test_the_search_page_lists_only_the_documents_of_the_country_chosen(page: Any, tmp_path: Path) -> None:
    page.goto("/ui/")
    page.wait_for_selector("#result-count:has-text('5 matching')")
    page.click("section[data-facet=country] a:has-text('Norway')")
    page.wait_for_selector("#result-count:has-text('2 matching')")
    assert page.url.endswith("/ui/?country=NO")
    titles = set(page.locator(".results .item .title").all_inner_texts())
    assert titles == {FJORD.title, TWIN.title}
    page.fill("input[name=q]", "ferry")  # the form keeps the country chosen
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**q=ferry**")
    page.wait_for_selector("#result-count:has-text('1 matching')")  # the Bergen yard, not the timetable
    assert "country=NO" in page.url
    page.click("#active-filters a:has-text('place in: Norway')")
    page.wait_for_url(lambda url: "country=" not in url and "q=ferry" in url)
    page.wait_for_selector("#result-count:has-text('2 matching')")
    page.goto("/ui/?country=NO")
    page.wait_for_selector("#result-count:has-text('2 matching')")
    snap(page, tmp_path, "search-country")
