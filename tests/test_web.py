"""The web UI in a real browser: Playwright driving Debian's Chromium against the app served by
uvicorn on 127.0.0.1. Screenshots are kept in the test's temporary folder; with
WIRESCOPE_SCREENSHOTS=DIR (see bench/screenshots.py) one of each page is also written to DIR.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import CHROMIUM
from fictional import COURIER, HOSTILE, HOSTILE_SCRIPT, LEDGER, Page, build, corpus
from served import browser_page, served
from story_pages import write_jsonl
from wirescope.storage.store import Store

ROOT = Path(__file__).resolve().parents[1]

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is absent (install Debian's chromium: make setup does)", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api",
                                     reason="playwright is not installed (pip install '.[test]')")
uvicorn = pytest.importorskip("uvicorn")
pytestmark = pytest.mark.slow  # the sample is analysed with spaCy


# A fictional page with every layer of the document page: each framing kind, a quote, events of two
# families; published in 2010, years before the other pages (a timeline must show the gap).
LAYERED = Page(
    title="Harbour board admits delay to Brenholt dredging",
    body=["The harbour board of Brenholt admitted on Wednesday that the dredging of the channel would start late.",
          "Board chair Ilse Varga said “the dredgers arrive in spring, not before.”",
          "The regime of delays proves the board cannot manage the port.",
          "Fishermen from Ostmark protested at the quay, and Brenholt agreed to meet them on Friday."],
    outlet="Brenholt Gazette", published="2010-06-14", url="https://brenholt-gazette.example/dredging",
    entities={"Ilse Varga": ("PERSON", None, ["Ilse Varga"]), "Ostmark": ("GPE", "OSM", ["Ostmark"]),
              "Brenholt": ("GPE", "BRN", ["Brenholt"])},
    quotes=[("Ilse Varga", "Ilse Varga", "said", "the dredgers arrive in spring, not before.", "direct")],
    events=[("PROTEST", ["Ostmark"], ["Brenholt"], "protested"), ("AGREE", ["Brenholt"], ["Ostmark"], "agreed")],
    framing=[("admitted", "loaded_attribution", "said", None), ("regime", "loaded_term", "pattern", None),
             ("proves the board cannot manage the port", "unattributed_claim", None, None),
             ("The regime of delays proves the board cannot manage the port.", "biased_sentence", None, None)],
)


def web_database(folder: Path) -> tuple[Path, str]:
    """The sample page ingested for real and the fictional pages written as analysed: the database
    file and the sample's document id."""
    from wirescope.ingest import ingest
    from wirescope.settings import Settings
    from wirescope.stories.assign import assign_stories

    db = folder / "web.duckdb"
    ingest([str(ROOT / "samples" / "wire-page-harbor-talks.txt")], db, Settings())
    with Store(db) as store:
        store.write_batch([*corpus(), build(LAYERED)])
        assign_stories(store)  # the fictional corpus is written directly, not ingested
        sample_id = next(d["id"] for d in store.list_documents() if "Calderon" in (d["title"] or ""))
    return db, sample_id


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    db, sample_id = web_database(tmp_path_factory.mktemp("web"))
    for base in serve_app(db):
        yield {"base": base, "sample_id": sample_id, "db": db}


def serve_app(db: Path) -> Iterator[str]:
    """The app over ``db`` served by uvicorn on a free loopback port: yields its base URL."""
    from wirescope.serve.api import create_app

    with served(create_app(db)) as base:
        yield base


@pytest.fixture(scope="module")
def register_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fictional story pages ingested for real (actors identified across documents: Pavel Marek
    named in two articles), served on their own: the actor pages correct this database."""
    from wirescope.ingest import ingest
    from wirescope.settings import Settings

    folder = tmp_path_factory.mktemp("register")
    db = folder / "register.duckdb"
    pages = ["river-ledger", "river-times", "river-post", "bank-ledger", "bank-times", "bank-post"]
    ingest([str(write_jsonl(folder / "pages.jsonl", pages))], db, Settings())
    yield from serve_app(db)


@pytest.fixture()
def page(browser: Any, server: dict[str, Any]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=server["base"])
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.errors = []  # type: ignore[attr-defined]
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    assert not page.errors, page.errors  # no script error on any page
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


def snap(page: Any, shots: Path, name: str) -> None:
    """A full-page screenshot kept with the test run, and in $WIRESCOPE_SCREENSHOTS when set."""
    target = shots / f"{name}.png"
    page.wait_for_timeout(150)  # let the last paint settle
    page.screenshot(path=str(target), full_page=True)
    keep = os.environ.get("WIRESCOPE_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(target, Path(keep) / target.name)


def test_sample_document_page_shows_segments_quotes_and_speakers(page: Any, server: dict[str, Any], shots: Path):
    analysis = page.request.get(f"/documents/{server['sample_id']}").json()
    page.goto(f"/ui/doc/{server['sample_id']}")
    page.wait_for_selector(".seg-body")
    for kind in ("title", "body", "boilerplate", "teaser"):
        assert page.locator(f"#pagetext .seg-{kind}").count() == sum(s["kind"] == kind for s in analysis["segments"])
    marked = set(page.eval_on_selector_all("#pagetext .quote", "els => els.flatMap(e => e.dataset.ann.split(' '))"))
    assert {q["id"] for q in analysis["quotes"]} <= marked
    # The page cuts a quote's span where an event trigger starts: look for a quote whose first 25
    # characters hold none.
    triggers = [e["trigger"]["start"] for e in analysis["events"]]
    quote = next(q for q in analysis["quotes"] if q["speaker"] and q["speaker"]["name"] and not any(
        q["content"]["start"] <= t < q["content"]["start"] + 25 for t in triggers))
    span = page.locator("#pagetext .quote").filter(has_text=quote["content"]["text"][:25]).first
    assert span.get_attribute("data-speaker") == quote["speaker"]["name"]
    span.click()  # the side panel explains it (no hover-only tooltip)
    explained = page.locator("#explain.open")
    explained.wait_for()
    assert f"Quote ({quote['kind']})" in explained.inner_text()
    assert explained.locator("dd a", has_text=quote["speaker"]["name"]).count() >= 1
    panel = page.locator("#panel-quotes")
    assert quote["speaker"]["name"] in panel.inner_text()
    snap(page, shots, "document-sample")


def test_document_page_events_framing_and_neutral_reading(page: Any, shots: Path):
    doc_id = build(COURIER).document.id
    page.goto(f"/ui/doc/{doc_id}")
    page.wait_for_selector(".seg-body")
    chips = page.locator("#panel-events .chip")
    assert chips.count() == len(COURIER.events)
    assert chips.nth(1).inner_text().split("\n") == ["Jonas Mertz", "→", "THREATEN", "→", "Valdoria"]
    loaded = page.locator("#pagetext .loaded").filter(has_text="regime").first
    loaded.click()
    explained = page.locator("#explain")
    assert "Loaded term" in explained.inner_text() and "“government”" in explained.inner_text()
    assert "the outlet's own words" in explained.inner_text()
    in_quote = page.locator("#pagetext .loaded.in-quote")
    assert in_quote.inner_text() == "exposed"
    place = page.locator(".meta .doc-places a")  # the document's main place, linked to the events around it
    assert place.inner_text() == "Brenholt, VL" and "bbox=4,55,5,56" in (place.get_attribute("href") or "")
    page.locator("#pagetext .mention", has_text="Kestrel").first.click()  # where a place name resolved
    explained = page.locator("#explain")
    assert "Entity: Kestrel" in explained.inner_text()
    assert explained.locator("dd a", has_text="Kestrel, KS").count() == 1 and "country, 57, 8" in explained.inner_text()
    snap(page, shots, "document")
    page.check("#neutral-toggle")
    body = page.locator("#pagetext .seg-body").inner_text()
    assert "The government in Kestrel" in body and "regime" not in body
    assert "farmers exposed" in body  # a speaker's words are never rewritten
    snap(page, shots, "document-neutral")


def test_neutral_reading_drops_a_word_whose_neutral_is_empty(page: Any):
    page.goto(f"/ui/doc/{build(LEDGER).document.id}")
    page.wait_for_selector(".seg-body")
    assert "rejected the so-called inspection regime" in page.locator("#pagetext .seg-body").inner_text()
    page.check("#neutral-toggle")
    body = page.locator("#pagetext .seg-body").inner_text()
    assert "rejected the inspection regime" in body and "so-called" not in body
    title = page.locator("#pagetext .seg-title").inner_text()
    assert "threatens to close grain corridor" in title  # "shut" -> "close", flagged in the title


def test_analyse_a_pasted_text(page: Any, shots: Path):
    page.goto("/ui/analyse")
    text = ("Harbour pilots return to work in Ostmark\n\n"
            "Harbour pilots in Ostmark ended their strike on Friday after the port authority agreed to hire "
            "twelve more pilots. “We are satisfied with the offer,” said union leader Petra Lind.\n")
    page.fill("textarea[name=content]", text)
    page.click("#analyse-form button[type=submit]")
    page.wait_for_selector("#analysis-output .seg-body", timeout=60_000)
    assert "Harbour pilots return to work in Ostmark" in page.locator("#analysis-output h1").inner_text()
    assert "Petra Lind" in page.locator("#panel-quotes").inner_text()
    snap(page, shots, "analyse")
    page.check("input[name=store]")
    page.click("#analyse-form button[type=submit]")
    page.wait_for_url("**/ui/doc/*")
    page.wait_for_selector(".seg-body")
    assert "Ostmark" in page.locator("h1").inner_text()


def test_actor_network_and_a_page_by_name(page: Any, shots: Path):
    network = page.request.get("/network").json()
    page.goto("/ui/network")
    page.wait_for_selector("#network-svg")
    assert page.locator("#network-svg line.edge").count() == len(network["edges"])
    assert page.locator("#network-svg line.edge.conflict").count() >= 1
    assert page.locator("#network-svg line.edge.cooperation").count() >= 1
    snap(page, shots, "network")
    # The hand-made analyses carry no actor ids: their actors are nodes and pages by name.
    page.locator("#network-svg g.node[data-name='Jonas Mertz'] text").click()
    page.wait_for_selector("#actor-did")
    assert page.locator("h1").inner_text() == "Jonas Mertz"
    assert page.locator("#not-registered").count() == 1 and page.locator("#corrections").count() == 0
    assert "THREATEN" in page.locator("#actor-did").inner_text()
    assert "weapons smuggling" in page.locator("#actor-said").inner_text()
    page.goto("/ui/actors?min_count=2")  # an address of the network from before it moved
    page.wait_for_selector("#network-svg")
    assert page.url.endswith("/ui/network?min_count=2") and page.locator("#network-svg line.edge").count() == 1


def test_events_timeline_and_csv_link(page: Any, shots: Path):
    page.goto("/ui/events?type=THREATEN")
    page.wait_for_selector("#timeline svg")
    assert page.locator("#timeline a.bin").count() == 2  # two days with a THREATEN event, each a link
    assert page.locator("#event-table .chip").count() == 2
    href = page.locator("#csv-link").get_attribute("href")
    assert href.startswith("/events?") and "format=csv" in href and "type=THREATEN" in href
    csv_text = page.request.get(href).text()
    assert len(csv_text.strip().splitlines()) == 3
    page.locator("#timeline a.bin").first.click()  # a day's bar filters the list to that day
    page.wait_for_url("**since=2026-11-03**")
    page.wait_for_selector("#event-table")
    assert page.locator("#event-table .chip").count() == 1
    page.goto("/ui/events")
    page.wait_for_selector("#timeline svg")
    snap(page, shots, "events")


def test_search_page(page: Any, shots: Path):
    page.goto("/ui/")
    page.fill("input[name=q]", "grain corridor")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("#result-count:has-text('2 matching')")
    assert page.locator(".results .item").count() == 2
    snap(page, shots, "search")


def test_hostile_page_renders_as_inert_text(page: Any, shots: Path):
    doc_id = build(HOSTILE).document.id
    for address in (f"/ui/doc/{doc_id}", "/ui/", "/ui/actors", "/ui/events",
                    f"/ui/actors/{HOSTILE.quotes[0][0]}"):
        page.goto(address)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__pwned") is None, address
        main = page.locator("#main")
        assert main.locator("img, script, b, iframe").count() == 0, address
        assert page.locator("[onerror], [onmouseover]").count() == 0, address
        assert page.locator("a[href^='javascript']").count() == 0, address
    page.goto(f"/ui/doc/{doc_id}")
    page.wait_for_selector(".seg-body")
    assert HOSTILE_SCRIPT in page.locator("h1").inner_text()  # shown, as text
    for mark in page.locator("#pagetext .mk").all():  # every explanation shows the hostile names as text
        mark.click()
        assert page.locator("#explain img, #explain script, #explain b").count() == 0
    page.check("#neutral-toggle")  # the neutral alternative is hostile too
    assert page.evaluate("window.__pwned") is None
    assert not page.dialogs  # type: ignore[attr-defined]
    snap(page, shots, "hostile")


def test_story_pages(page: Any, server: dict[str, Any], shots: Path):
    listed = page.request.get("/stories").json()["items"]
    page.goto("/ui/stories")
    page.wait_for_selector("h1")
    assert page.locator(".story-item").count() == len(listed)
    snap(page, shots, "stories")
    assert listed, "the test database forms at least one story"
    widest = max(listed, key=lambda s: len(s["outlets"]))  # outlets side by side
    story = page.request.get(f"/stories/{widest['id']}").json()
    page.goto(f"/ui/stories/{widest['id']}")
    page.wait_for_selector("#story-outlets")
    assert page.locator(".outlet-col").count() == len(story["coverage"])
    assert "undefined" not in page.locator("main").inner_text().lower()  # every field rendered
    snap(page, shots, "story")


def test_an_undated_page_shows_undated_not_the_ingest_day(page: Any, server: dict[str, Any]):
    sample = server["sample_id"]  # a plain-text page: no date anywhere
    assert page.request.get(f"/documents/{sample}").json()["document"]["published"] is None
    page.goto("/ui/?q=Calderon")
    page.wait_for_selector(".results .item")
    listed = page.locator(".results .item").filter(has_text=sample)
    assert listed.locator(".published").inner_text() == "undated"
    page.goto(f"/ui/doc/{sample}")
    page.wait_for_selector(".seg-body")
    assert page.locator("h1 + .meta .published").inner_text() == "undated"
    events = page.request.get("/events", params={"limit": 500}).json()["items"]
    title = next(e["title"] for e in events if e["doc_id"] == sample)
    page.goto("/ui/events")
    page.wait_for_selector("#event-table")
    rows = page.locator("#event-table tr").filter(has_text=title)
    assert rows.count() and {rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())} == {"undated"}


@pytest.fixture()
def register_page(browser: Any, register_server: str) -> Iterator[Any]:
    with browser_page(browser, register_server) as opened:
        yield opened


def test_actor_register_lists_actors_by_id(register_page: Any, shots: Path):
    page = register_page
    listed = page.request.get("/actors", params={"limit": 50}).json()
    page.goto("/ui/actors")
    page.wait_for_selector("#actor-table")
    rows = page.locator("#actor-table tr[data-actor]")
    assert [rows.nth(i).get_attribute("data-actor") for i in range(rows.count())] == [a["id"] for a in listed["items"]]
    marek = page.locator("#actor-table tr[data-actor='person:pavel-marek']")
    assert "Pavel Marek" in marek.inner_text() and "Marek" in marek.locator(".aliases").inner_text()
    snap(page, shots, "actors")
    page.fill("#actor-search input[name=q]", "marek")
    page.click("#actor-search button[type=submit]")
    page.wait_for_selector("#actor-count:has-text('1 actor')")
    page.locator("#actor-table a", has_text="Pavel Marek").click()
    page.wait_for_url("**/ui/actors/person%3Apavel-marek")
    assert page.locator("#actor-id").inner_text() == "person:pavel-marek"


def test_network_nodes_open_actor_pages_by_id(register_page: Any):
    page = register_page
    node = next(n for n in page.request.get("/network").json()["nodes"] if n["actor"])
    page.goto("/ui/network")
    page.wait_for_selector("#network-svg")
    page.locator(f"#network-svg g.node[data-id='{node['id']}'] text").click()
    page.wait_for_selector("#actor-aliases")
    assert page.locator("#actor-id").inner_text() == node["id"]
    assert page.locator("h1").inner_text() == node["name"]


def test_actor_page_by_id_and_a_rename_through_the_panel(register_page: Any, shots: Path):
    page = register_page
    actor = page.request.get("/actors/person:pavel-marek").json()
    page.goto("/ui/actors/person:pavel-marek")
    page.wait_for_selector("#corrections")
    assert page.locator("h1").inner_text() == "Pavel Marek"
    aliases = page.locator("#actor-aliases").inner_text()
    assert all(a["alias"] in aliases for a in actor["aliases"])
    assert page.locator("#actor-documents tr").count() == actor["documents"] == 2
    assert "Prices must come down" in page.locator("#actor-said").inner_text()
    snap(page, shots, "actor")
    page.locator("#actor-documents a").first.click()  # the document page links its entities by actor id
    page.wait_for_selector("#panel-entities")
    href = page.locator("#panel-entities a", has_text="Pavel Marek").get_attribute("href")
    assert href == "/ui/actors/person%3Apavel-marek"
    page.go_back()
    page.wait_for_selector("#corrections")
    page.fill("#rename-form input[name=name]", "Pavel J. Marek")
    page.click("#rename-form button[type=submit]")
    page.wait_for_selector("h1:has-text('Pavel J. Marek')")
    assert page.request.get("/actors/person:pavel-marek").json()["name"] == "Pavel J. Marek"
    page.reload()  # drawn again from the API, not from what the form left on the page
    page.wait_for_selector("#corrections")
    assert page.locator("h1").inner_text() == "Pavel J. Marek"
    assert page.url.endswith("/ui/actors/person%3Apavel-marek")


def test_split_an_alias_off_and_merge_it_back_through_the_panel(register_page: Any):
    page = register_page
    page.goto("/ui/actors/person:irena-valk")
    page.wait_for_selector("#split-form")
    page.select_option("#split-form select[name=alias]", "Valk")
    page.fill("#split-form input[name=name]", "Jan Valk")
    page.click("#split-form button[type=submit]")
    page.wait_for_selector("#correction-status .notice")
    assert "split off into Jan Valk" in page.locator("#correction-status").inner_text()
    written = page.locator("#actor-aliases td:first-child").all_inner_texts()
    assert "Valk" not in written and "Irena Valk" in written
    assert [a["alias"] for a in page.request.get("/actors/person:jan-valk").json()["aliases"]] == ["Valk"]
    page.locator("#correction-status a", has_text="Jan Valk").click()
    page.wait_for_selector("#merge-form")
    page.fill("#merge-form input[name=q]", "irena")
    page.click("#merge-form button[type=submit]")
    page.click("#merge-choices button[data-merge-into='person:irena-valk']")
    page.click("#merge-confirm")  # the choice alone merges nothing: the confirmation does
    page.wait_for_url("**/ui/actors/person%3Airena-valk")
    page.wait_for_selector("#correction-status .notice")
    assert "Valk" in page.locator("#actor-aliases td:first-child").all_inner_texts()
    assert page.request.get("/actors/person:jan-valk").status == 404
    kinds = [c["kind"] for c in page.request.get("/corrections").json()["items"]]
    assert kinds[-2:] == ["split", "merge"]


def test_a_name_of_several_actors_lists_them_to_choose(register_page: Any):
    page = register_page
    # Irena Valk renamed "Pavel Marek": the name now names her and, as an alias, Pavel Marek.
    assert page.request.post("/actors/person:irena-valk/rename", data={"name": "Pavel Marek"}).ok
    page.goto("/ui/actors/Pavel Marek")
    page.wait_for_selector("#actor-candidates")
    assert "names 2 actors" in page.locator(".error").inner_text()
    links = page.locator("#actor-candidates a")
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    assert hrefs == {"/ui/actors/person%3Airena-valk", "/ui/actors/person%3Apavel-marek"}
    page.locator("#actor-candidates a[href='/ui/actors/person%3Airena-valk']").click()
    page.wait_for_selector("#corrections")
    assert page.locator("#actor-id").inner_text() == "person:irena-valk"


# -- issue 20: layers, the explaining panel, the timeline on a date axis ------------------------------

LAYER_KEYS = ["segments", "entities", "quotes", "events", "loaded", "attribution", "claims", "biased"]
# What a mark of each layer looks like: the properties the layers' styles set.
MARK_STYLE = """el => { const s = getComputedStyle(el);
  return [s.backgroundColor, s.boxShadow, s.borderBottomStyle + ' ' + s.borderBottomColor,
    s.textDecorationLine + ' ' + s.textDecorationStyle, s.fontStyle, s.fontWeight, s.color].join(' | '); }"""


def _only_layer(page: Any, keep: str) -> None:
    for key in LAYER_KEYS:
        box = page.locator(f"#layer-{key}")
        if box.is_checked() != (key == keep):
            box.click()


def test_each_layer_has_its_own_style_and_toggle(page: Any, shots: Path):
    page.goto(f"/ui/doc/{build(LAYERED).document.id}")
    page.wait_for_selector("#pagetext .mk")
    labels = page.locator("#layers .layer-toggle")
    assert [labels.nth(i).get_attribute("data-layer") for i in range(labels.count())] == LAYER_KEYS
    assert [t.strip() for t in page.locator("#layers .layer-sample").all_inner_texts()] == [
        "segments", "entities", "quotes", "events", "loaded terms", "attribution verbs", "narrator claims",
        "biased sentences"]
    snap(page, shots, "document-layers")
    styles = {}
    for key, cls in [("entities", "mention"), ("quotes", "quote"), ("events", "trigger"), ("loaded", "loaded"),
                     ("attribution", "attribution"), ("claims", "claim"), ("biased", "biased")]:
        _only_layer(page, key)
        marks = page.locator("#pagetext .mk")
        assert marks.count() >= 1, key
        own = page.locator(f"#pagetext .mk.{cls}" + (", #pagetext .mk.speaker" if key == "quotes" else ""))
        assert marks.count() == own.count(), key  # nothing of the other layers
        styles[key] = page.eval_on_selector(f"#pagetext .mk.{cls}:not(.speaker)", MARK_STYLE)
        assert page.locator("#pagetext .seg-body").count() == 0  # segments are off: blocks are plain
    assert len(set(styles.values())) == len(styles), styles  # seven marks, seven looks
    _only_layer(page, "segments")
    assert page.locator("#pagetext .mk").count() == 0 and page.locator("#pagetext .seg-body").count() == 1
    page.locator("#layer-loaded").check()
    assert page.locator("#pagetext .mk.loaded").inner_text() == "regime"


def _explain(page: Any, selector: str, text: str) -> str:
    page.locator(selector).filter(has_text=text).first.click()
    page.wait_for_selector("#explain.open")
    return str(page.locator("#explain").inner_text())


def test_the_side_panel_explains_every_kind_of_mark(page: Any, shots: Path):
    page.goto(f"/ui/doc/{build(LAYERED).document.id}")
    page.wait_for_selector("#pagetext .mk")
    assert "Select a marked span" in page.locator("#explain").inner_text()
    said = _explain(page, "#pagetext .mk.attribution", "admitted")
    assert "Loaded attribution verb" in said and "Neutral alternative" in said and "“said”" in said
    said = _explain(page, "#pagetext .mk.loaded", "regime")
    # A loaded term in a biased sentence and a narrator's claim: the panel explains all three.
    assert all(kind in said for kind in ("Loaded term", "Biased sentence")) and "“pattern”" in said
    assert said.index("Loaded term") < said.index("Biased sentence")  # the narrowest first
    said = _explain(page, "#pagetext .mk.claim", "cannot manage")
    assert "Narrator's claim" in said and "no source" in said and "the outlet's own words" in said
    said = _explain(page, "#pagetext .mk.trigger", "protested")
    assert "Event: PROTEST" in said and "material conflict" in said
    event = page.locator("#explain .explain-item[data-layer=events]")
    assert event.locator("dd a", has_text="Ostmark").count() == 1
    assert event.locator("dd a", has_text="Brenholt").count() == 1
    said = _explain(page, "#pagetext .mk.quote", "dredgers arrive")
    assert "Quote (direct)" in said and "Ilse Varga" in said and "“said”" in said
    snap(page, shots, "document-panel")
    page.locator("#explain-close").click()
    assert page.locator("#explain.open").count() == 0 and page.locator("#pagetext .mk.selected").count() == 0
    # The lists beside the text lead to the same explanation, a layer turned off is turned on for it.
    page.locator("#layer-claims").uncheck()
    page.locator("#panel-framing button.claim").click()
    assert page.locator("#layer-claims").is_checked()
    assert "Narrator's claim" in page.locator("#explain").inner_text()
    assert page.evaluate("document.activeElement.classList.contains('claim')")
    page.locator("#panel-quotes button.qitem").first.click()
    assert "Quote (direct)" in page.locator("#explain").inner_text()
    page.locator("#explain dd a", has_text="Ilse Varga").click()  # the speaker's actor page
    page.wait_for_selector("#actor-said")
    assert page.locator("h1").inner_text() == "Ilse Varga"


def test_families_match_the_quad_classes_of_the_cameo_table(page: Any):
    """The UI's event families are GDELT's QuadClass of each type's CAMEO root (data/plover_cameo.tsv)."""
    quad: dict[int, set[str]] = {}
    table = ROOT / "src" / "wirescope" / "data" / "plover_cameo.tsv"
    for line in table.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", "type\t")):
            etype, mode, *_, quad_class, _goldstein = line.split("\t")
            if not mode:
                quad.setdefault(int(quad_class), set()).add(etype)
    page.goto("/ui/events")
    page.wait_for_selector("#timeline svg")
    families = page.evaluate("FAMILIES.map(f => [f.name, f.types])")
    assert [(name, set(types)) for name, types in families] == [
        ("verbal cooperation", quad[1]), ("material cooperation", quad[2]), ("verbal conflict", quad[3]),
        ("material conflict", quad[4])]


def test_timeline_on_a_date_axis_with_years_gaps_and_undated_apart(page: Any, shots: Path):
    timeline = page.request.get("/events/timeline").json()
    undated = sum(r["count"] for r in timeline["days"] if r["day"] is None)
    days = sorted({r["day"] for r in timeline["days"] if r["day"]})
    assert undated and {d[:4] for d in days} == {"2010", "2026"}
    page.goto("/ui/events")
    page.wait_for_selector("#timeline svg")
    labels = page.eval_on_selector_all("#timeline svg text", "ts => ts.map(t => t.textContent)")
    assert {"2010", "2018", "2026"} <= set(labels)  # the years between are on the axis too
    unit = page.locator("#timeline .timechart").get_attribute("data-unit")
    width = {"month": 7, "year": 4}[unit]  # 16 years on 1400 px: a bar a month or a year
    bins = page.locator("#timeline a.bin")
    assert bins.count() == len({d[:width] for d in days})
    xs = sorted(float(bins.nth(i).locator("rect").first.get_attribute("x")) for i in range(bins.count()))
    axis = page.eval_on_selector("#timeline svg", "s => s.width.baseVal.value")
    assert xs[-1] - xs[0] > 0.7 * axis  # 2010 far to the left of 2026: the gap of 16 years shows
    assert page.locator("#timeline .undated").count() == 1
    assert f"Undated: {undated} events" in page.locator("#timeline .chart-note").inner_text()
    fills = set(page.eval_on_selector_all("#timeline rect", "rs => rs.map(r => r.getAttribute('fill'))"))
    palette = set(page.evaluate("FAMILIES.map(f => f.colour)"))
    assert fills <= palette and len(fills) >= 3  # a few families, not eighteen types
    legend = page.locator("#timeline .legend").inner_text()
    for family in ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict"):
        assert family in legend
    summary = page.locator("#event-summary").inner_text()
    assert "verbal conflict" in summary and "THREATEN" in summary
    snap(page, shots, "events")
    bins.first.click()  # the first bar (2010): the list filtered to its days
    first, last = ("2010-06-01", "2010-06-30") if unit == "month" else ("2010-01-01", "2010-12-31")
    page.wait_for_url(f"**since={first}&until={last}")
    page.wait_for_selector("#event-table")
    assert page.locator("#event-table .chip").count() == 2
    assert page.locator("#timeline .timechart").get_attribute("data-unit") == "day"  # one day, drawn by the day


def test_the_events_map_places_located_events_and_filters_by_a_place(page: Any, shots: Path):
    page.goto("/ui/events")
    page.wait_for_selector("#map svg.world-map")
    assert page.locator("#map path.map-land").get_attribute("d").count("M") > 50  # the land outline, shipped
    places = page.locator("#map a.map-place")
    assert places.count() == 1  # the one located event of the fictional pages: Brenholt
    label = places.first.get_attribute("aria-label")
    assert label.startswith("Brenholt, VL: 1 event in 1 document")
    places.first.focus()  # a place is a link: reachable and followed from the keyboard
    page.keyboard.press("Enter")
    page.wait_for_url("**bbox=**")
    page.wait_for_selector("#event-table")
    assert page.locator("#event-table .chip").count() == 1
    assert "inside" in page.locator("#map-summary").inner_text()
    snap(page, shots, "events-map")


def test_search_facets_highlights_shareable_filters_and_downloads(page: Any, shots: Path):
    page.goto("/ui/?q=grain+corridor")
    page.wait_for_selector("#facets [data-facet=outlet] a")
    marks = page.locator("#results .snippet mark")  # the query's words, marked as elements
    assert marks.count() >= 4 and {m.lower() for m in marks.all_inner_texts()} == {"grain", "corridor"}
    ledger = page.locator("#facets [data-facet=outlet] a", has_text="The Valley Ledger")
    assert ledger.locator(".count").inner_text() == "1"
    ledger.click()
    page.wait_for_url("**outlet=The+Valley+Ledger**")
    page.wait_for_selector("#result-count:has-text('1 matching')")
    page.locator("#facets [data-facet=type] a", has_text="REJECT").click()
    page.wait_for_url("**type=REJECT**")
    page.wait_for_selector("#active-filters a:has-text('event type: REJECT')")
    shared = page.url  # every choice is in the address: opened afresh, it shows the same list
    page.goto(shared)
    page.wait_for_selector("#result-count:has-text('1 matching')")
    assert page.locator("#active-filters li").count() == 3  # words, outlet, event type
    csv_href = page.locator("#search-csv").get_attribute("href")
    assert "format=csv" in csv_href and "type=REJECT" in csv_href and "outlet=The+Valley+Ledger" in csv_href
    assert len(page.request.get(csv_href).text().strip().splitlines()) == 2  # the header and the one match
    assert page.request.get(page.locator("#search-json").get_attribute("href")).json()["total"] == 1
    snap(page, shots, "search-facets")
    page.locator("#active-filters a", has_text="outlet: The Valley Ledger").click()  # removed again
    page.wait_for_url(lambda url: "outlet=" not in url and "type=REJECT" in url)
    page.wait_for_selector("#active-filters li >> nth=1")
    assert page.locator("#active-filters li").count() == 2
    page.locator("#facets [data-facet=year] a", has_text="2026").click()
    page.wait_for_url("**since=2026-01-01&until=2026-12-31**")
    page.wait_for_selector("#active-filters a:has-text('from: 2026-01-01')")


# -- The actor network: zoom, pan, drag, filters, labels that do not overlap (issue 20, item 2) -------

# The visible labels of the network's nodes, as (left, top, right, bottom) in the page.
VISIBLE_LABELS = """() => [...document.querySelectorAll('#network-svg g.node text')]
  .filter(t => getComputedStyle(t).display !== 'none')
  .map(t => { const r = t.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""
# Of the nodes whose centre is in view: how many there are and how many are labelled.
NAMED_IN_VIEW = """() => {
  const [, , w, h] = document.querySelector('#network-svg').getAttribute('viewBox').split(' ').map(Number);
  const shown = [...document.querySelectorAll('#network-svg g.node')].filter(g => {
    const c = g.querySelector('circle'), x = Number(c.getAttribute('cx')), y = Number(c.getAttribute('cy'));
    return x >= 0 && y >= 0 && x <= w && y <= h; });
  return [shown.length, shown.filter(g => !g.querySelector('text').classList.contains('label-off')).length]; }"""
NODE_CENTRES = """() => Object.fromEntries([...document.querySelectorAll('#network-svg g.node')]
  .map(g => [g.dataset.id, ['cx', 'cy'].map(a => Number(g.querySelector('circle').getAttribute(a)))]))"""


def _overlapping(boxes: list[list[float]]) -> list[tuple[int, int]]:
    def meet(a: list[float], b: list[float]) -> bool:
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    return [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if meet(boxes[i], boxes[j])]


def _zoom(page: Any) -> float:
    return float(page.locator("#network-svg").get_attribute("data-zoom"))


def _crowded_network(size: int = 60) -> dict[str, Any]:
    """A made-up network of fictional bodies, most of them linked to a few hubs: a hairball to label."""
    nodes = [{"id": f"Harbour Board of Vellmark District {i:02d}", "code": None, "events": 60 - i, "actor": None,
              "name": f"Harbour Board of Vellmark District {i:02d}"} for i in range(size)]
    edges = [{"source": nodes[i]["id"], "target": nodes[i % 4]["id"], "count": 1 + i % 3, "cooperation": 1,
              "conflict": 0, "types": {"AGREE": 1}} for i in range(4, size)]
    return {"nodes": nodes, "edges": edges}


def test_network_zoom_by_buttons_and_wheel_and_pan(page: Any):
    page.goto("/ui/network")
    page.wait_for_selector("#network-svg g.node")
    before = page.evaluate(NODE_CENTRES)
    a, b = sorted(before)[:2]
    spread = abs(before[a][0] - before[b][0]) + abs(before[a][1] - before[b][1])
    assert _zoom(page) == 1
    page.get_by_role("button", name="Zoom in").click()
    after = page.evaluate(NODE_CENTRES)
    assert _zoom(page) == 1.5 and page.locator("#network-zoom").inner_text() == "150%"
    assert abs(after[a][0] - after[b][0]) + abs(after[a][1] - after[b][1]) == pytest.approx(1.5 * spread, rel=1e-3)
    box = page.locator("#network-svg").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -300)  # the wheel zooms in about the pointer
    page.wait_for_function("() => Number(document.querySelector('#network-svg').dataset.zoom) > 1.5")
    page.get_by_role("button", name="Reset the view").click()
    assert _zoom(page) == 1 and page.evaluate(NODE_CENTRES) == before
    page.get_by_role("button", name="Pan left").click()  # the view moves right: every node by the same step
    panned = page.evaluate(NODE_CENTRES)
    assert {round(panned[n][0] - before[n][0], 3) for n in before} == {120}
    assert all(panned[n][1] == before[n][1] for n in before)


def test_network_drag_a_node_or_the_background(page: Any):
    page.goto("/ui/network")
    page.wait_for_selector("#network-svg g.node")
    before = page.evaluate(NODE_CENTRES)
    circle = page.locator("#network-svg g.node[data-name='Valdoria'] circle")
    centre = circle.bounding_box()
    x, y = centre["x"] + centre["width"] / 2, centre["y"] + centre["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 30, steps=5)
    page.mouse.up()
    moved = page.evaluate(NODE_CENTRES)
    assert page.url.endswith("/ui/network")  # a drag is not a click: the actor's page did not open
    assert moved["Valdoria"] != before["Valdoria"]
    assert all(moved[n] == before[n] for n in before if n != "Valdoria")
    # The background drags the whole view.
    svg_box = page.locator("#network-svg").bounding_box()
    page.mouse.move(svg_box["x"] + 5, svg_box["y"] + 5)
    page.mouse.down()
    page.mouse.move(svg_box["x"] + 65, svg_box["y"] + 5, steps=5)
    page.mouse.up()
    panned = page.evaluate(NODE_CENTRES)
    shifts = {round(panned[n][0] - moved[n][0], 3) for n in moved}
    assert len(shifts) == 1 and shifts.pop() > 0 and all(panned[n][1] == moved[n][1] for n in moved)


def test_network_filter_by_family_and_dates_lands_in_the_url(page: Any):
    every = page.request.get("/network").json()
    verbal = "DEMAND,DISAPPROVE,INVESTIGATE,REJECT,THREATEN"  # the family's types, as charts.js groups them
    verbal_conflict = page.request.get("/network", params={"type": verbal}).json()
    assert 0 < len(verbal_conflict["edges"]) < len(every["edges"])
    page.goto("/ui/network")
    page.wait_for_selector("#network-svg")
    assert page.locator("#network-svg line.edge").count() == len(every["edges"])
    page.select_option("#network-filters select[name=family]", "vconf")
    page.click("#network-filters button[type=submit]")
    page.wait_for_url("**/ui/network?family=vconf**")
    page.wait_for_selector("#network-summary:has-text('verbal conflict')")
    assert page.locator("#network-svg line.edge").count() == len(verbal_conflict["edges"])
    # The URL is the view: opened afresh it shows the same; dates narrow it further.
    page.goto("/ui/network?family=vconf")
    page.wait_for_selector("#network-summary:has-text('verbal conflict')")
    assert page.locator("#network-svg line.edge").count() == len(verbal_conflict["edges"])
    in_2010 = page.request.get("/network", params={"since": "2010-01-01", "until": "2010-12-31"}).json()
    page.goto("/ui/network")
    page.wait_for_selector("#network-svg")
    page.fill("#network-filters input[name=since]", "2010-01-01")
    page.fill("#network-filters input[name=until]", "2010-12-31")
    page.click("#network-filters button[type=submit]")
    page.wait_for_url("**since=2010-01-01&until=2010-12-31**")
    page.wait_for_selector("#network-summary:has-text('from 2010-01-01')")
    assert page.locator("#network-svg line.edge").count() == len(in_2010["edges"]) == 2
    nodes = page.locator("#network-svg g.node")
    assert {nodes.nth(i).get_attribute("data-name") for i in range(nodes.count())} == {"Brenholt", "Ostmark"}


def test_network_minimum_weight_hides_light_edges(page: Any):
    every = page.request.get("/network").json()
    assert any(e["count"] == 1 for e in every["edges"]) and any(e["count"] >= 2 for e in every["edges"])
    page.goto("/ui/network")
    page.wait_for_selector("#network-svg")
    page.fill("#network-filters input[name=min_count]", "2")
    page.click("#network-filters button[type=submit]")
    page.wait_for_url("**min_count=2**")
    page.wait_for_selector("#network-summary:has-text('at least 2 events per link')")
    lines = page.locator("#network-svg line.edge")
    counts = [int(lines.nth(i).get_attribute("data-count")) for i in range(lines.count())]
    assert counts and min(counts) >= 2 and len(counts) == sum(e["count"] >= 2 for e in every["edges"])


def test_network_labels_do_not_overlap(page: Any, shots: Path):
    page.goto("/ui/network")
    page.wait_for_selector("#network-svg g.node")
    labels = page.evaluate(VISIBLE_LABELS)
    assert len(labels) == page.locator("#network-svg g.node").count()  # a small network: every actor named
    assert not _overlapping(labels)
    # A crowded network (made up, served in place of the API's answer): the best-linked are named,
    # no two labels meet, the others keep their name in the node's title and show it on focus.
    crowded = _crowded_network()
    page.route(lambda url: url.split("?")[0].endswith("/network") and "/ui/" not in url,
               lambda route: route.fulfill(json=crowded))
    page.goto("/ui/network")
    page.wait_for_selector("#network-svg g.node")
    labels = page.evaluate(VISIBLE_LABELS)
    in_view, named = page.evaluate(NAMED_IN_VIEW)
    assert in_view == len(crowded["nodes"]) and named == len(labels)
    assert 4 <= len(labels) < len(crowded["nodes"]) and not _overlapping(labels), _overlapping(labels)
    hubs = [n["name"] for n in crowded["nodes"][:4]]
    for hub in hubs:  # the hubs have most links: named first
        assert page.locator(f"#network-svg g.node[data-name='{hub}'] text").is_visible()
    hidden = page.locator("#network-svg g.node:has(text.label-off)")
    assert hidden.count() == len(crowded["nodes"]) - len(labels)
    name = hidden.first.get_attribute("data-name")
    assert name in hidden.first.locator("title").text_content()
    hidden.first.locator("a").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard: its label shows
    assert hidden.first.locator("text").is_visible()
    snap(page, shots, "network-crowded")
    page.locator("#network-filters button[type=submit]").focus()  # no node focused or hovered
    hub = page.locator(f"#network-svg g.node[data-name='{hubs[0]}'] circle").bounding_box()
    page.mouse.move(hub["x"] + hub["width"] / 2, hub["y"] + hub["height"] / 2)
    page.mouse.wheel(0, -400)  # zoom in about the first hub
    page.wait_for_function("() => Number(document.querySelector('#network-svg').dataset.zoom) > 1.5")
    page.mouse.move(0, 0)
    zoomed = page.evaluate(VISIBLE_LABELS)
    snap(page, shots, "network-crowded-zoomed")
    zoomed_in_view, zoomed_named = page.evaluate(NAMED_IN_VIEW)
    assert zoomed_named / zoomed_in_view > named / in_view  # zooming in makes room for more names
    assert len(zoomed) == zoomed_named and not _overlapping(zoomed)


def test_network_keyboard_reaches_zoom_buttons(page: Any):
    page.goto("/ui/network")
    page.wait_for_selector("#network-svg g.node")
    page.locator("#network-filters a", has_text="Clear filters").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert focused == "Zoom in"
    page.keyboard.press("Enter")
    assert _zoom(page) == 1.5
    for _ in range(6):  # zoom out, reset, the four pan buttons
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Pan down"
    page.keyboard.press("Tab")  # then the nodes, each a link
    assert page.evaluate("() => !!document.activeElement.closest('#network-svg g.node')")


def test_network_at_phone_width_keeps_its_labels_readable(browser: Any, server: dict[str, Any], shots: Path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=server["base"], has_touch=True,
                                  is_mobile=True)
    page = context.new_page()
    page.goto("/ui/network")
    page.wait_for_selector("#network-svg g.node")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # the chart fits the phone
    labels = page.evaluate(VISIBLE_LABELS)
    assert labels and not _overlapping(labels)
    assert min(bottom - top for _, top, _, bottom in labels) >= 11  # 12 px text, not a 1100-unit chart shrunk
    page.get_by_role("button", name="Zoom in").tap()
    assert _zoom(page) == 1.5
    snap(page, shots, "network-phone")
    context.close()


# -- Downloads of every list: JSON and CSV with the filters shown (issue 20, item 3) ---------------

def _csv_rows(page: Any, href: str) -> list[dict[str, str]]:
    import csv
    import io

    answer = page.request.get(href)
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(answer.text())))


def test_actor_register_and_quotes_download_with_the_filters_shown(register_page: Any):
    page = register_page  # other tests correct this register: compare with what the API lists now
    expected = [a["id"] for a in page.request.get("/actors", params={"q": "marek", "limit": 500}).json()["items"]]
    assert "person:pavel-marek" in expected and len(expected) < len(page.request.get("/actors").json()["items"])
    page.goto("/ui/actors?q=marek")
    page.wait_for_selector("#actors-csv")
    csv_href = page.locator("#actors-csv").get_attribute("href")
    assert "format=csv" in csv_href and "q=marek" in csv_href
    assert [row["id"] for row in _csv_rows(page, csv_href)] == expected
    listed = page.request.get(page.locator("#actors-json").get_attribute("href")).json()
    assert [a["id"] for a in listed["items"]] == expected
    page.goto("/ui/actors/person:pavel-marek")
    page.wait_for_selector("#actor-said #quotes-csv")
    quotes = _csv_rows(page, page.locator("#quotes-csv").get_attribute("href"))
    assert quotes and any("Prices must come down" in row["content"] for row in quotes)
    said = page.request.get(page.locator("#quotes-json").get_attribute("href")).json()
    assert said["total"] == len(quotes)


def test_stories_download_as_json_and_csv(page: Any):
    listed = page.request.get("/stories", params={"limit": 500}).json()["items"]
    page.goto("/ui/stories")
    page.wait_for_selector("#stories-downloads")
    rows = _csv_rows(page, page.locator("#stories-csv").get_attribute("href"))
    assert [row["id"] for row in rows] == [s["id"] for s in listed]
    assert page.request.get(page.locator("#stories-json").get_attribute("href")).json()["items"] == listed


# -- The neutral reading beside the page as published (issue 20, item 1) ---------------------------

def test_neutral_reading_beside_the_original_at_desktop_and_stacked_on_a_phone(browser: Any, server: dict[str, Any],
                                                                              shots: Path):
    for width, beside in ((1400, True), (390, False)):
        context = browser.new_context(viewport={"width": width, "height": 900}, base_url=server["base"])
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e, seen=errors: seen.append(str(e)))
        page.goto(f"/ui/doc/{build(COURIER).document.id}")
        page.wait_for_selector("#pagetext .seg-body")
        assert page.locator("#pagetext-original").count() == 0  # one text until the neutral reading is asked for
        page.check("#neutral-toggle")
        original, neutral = page.locator("#pagetext-original"), page.locator("#pagetext")
        assert "The regime in Kestrel" in original.inner_text() and "regime" not in neutral.inner_text()
        assert "The government in Kestrel" in neutral.inner_text()
        left, right = original.bounding_box(), neutral.bounding_box()
        if beside:  # side by side, tops level
            assert left["x"] + left["width"] <= right["x"] and abs(left["y"] - right["y"]) < 2
        else:  # one above the other, each the full width
            assert left["y"] + left["height"] <= right["y"] and abs(left["x"] - right["x"]) < 2
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the screen
        snap(page, shots, f"document-neutral-beside-{width}")
        # The keyboard works in the page as published too: Tab stop, arrows, Enter explains, Esc closes.
        first = original.locator(".mk[tabindex='0']")
        first.focus()
        page.keyboard.press("ArrowRight")
        focused = page.evaluate("document.activeElement.closest('.pagetext').id")
        assert focused == "pagetext-original"
        page.keyboard.press("Enter")
        assert page.locator("#pagetext-original .mk.selected").count() >= 1
        assert page.evaluate("document.activeElement.id") == "explain-title"
        page.locator("#pagetext .loaded.in-quote").click()  # a mark of the neutral reading takes the selection over
        assert page.locator("#pagetext-original .mk.selected").count() == 0
        assert "Loaded term" in page.locator("#explain").inner_text()
        page.uncheck("#neutral-toggle")
        assert page.locator("#pagetext-original").count() == 0 and "The regime in Kestrel" in neutral.inner_text()
        assert not errors, errors
        context.close()


def test_story_coverage_bars_and_labelled_exclusives(page: Any, server: dict[str, Any], shots: Path):
    """A bar per outlet of the story's merged events, shared then only-here, with the same numbers
    in text; what each outlet alone says is labelled (quote, claim, fact) in words, not colour."""
    listed = page.request.get("/stories").json()["items"]
    widest = max(listed, key=lambda s: len(s["outlets"]))
    story = page.request.get(f"/stories/{widest['id']}").json()
    assert len(story["coverage"]) > 1 and story["events"], "the test story has outlets to compare and events"
    page.goto(f"/ui/stories/{widest['id']}")
    page.wait_for_selector("#story-coverage")
    rows = page.locator("#story-coverage .coverage-row")
    assert rows.count() == len(story["coverage"])
    for entry in story["coverage"]:
        events = entry["share"]["events"]
        shared, only = events["covered"] - events["only_here"], events["only_here"]
        row = rows.filter(has=page.locator(".coverage-name", has_text=entry["outlet"])).first
        assert row.locator(".coverage-text").inner_text() == (
            f"covers {events['covered']} of {events['story']} events: {shared} shared, {only} only here")
        bar = row.locator(".coverage-bar").bounding_box()
        for part, n in ((".coverage-shared", shared), (".coverage-only", only)):
            width = row.locator(part).bounding_box()
            assert abs((width["width"] if width else 0) - bar["width"] * n / events["story"]) < 3
    labelled = [(s["kind"], s["text"]) for c in story["coverage"] for s in c["only_here"]["sentences"]]
    shown = page.locator(".statements .statement").all_inner_texts()
    assert len(shown) == len(labelled)
    words = {"quote": "QUOTE", "claim": "CLAIM", "fact": "FACT STATED BY THE OUTLET"}
    for (kind, text), line in zip(labelled, shown):
        assert line.startswith(words[kind]) and line.endswith(text)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the bars fit a phone
    snap(page, shots, "story-coverage-390")
