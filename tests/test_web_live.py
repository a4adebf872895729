"""Issue 16, "see it live": the web UI while a server collects. Playwright drives Debian's Chromium
against the app served by uvicorn on 127.0.0.1 with its collector running (``create_app(collect=True)``),
which polls a fictional feed site on 127.0.0.1 (tests/feed_site.py) that changes during the tests:
documents, stories and alert matches appear on open pages, the collector page shows the feeds and
their errors, the alerts pages list alerts, their Atom feeds and their matches. Screenshots are kept
in the test's temporary folder, and in $WIRESCOPE_SCREENSHOTS when set (bench/screenshots.py).
"""

from __future__ import annotations

import os
import re
import shutil
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from feed_site import Route, Site, rss, serve_articles
from fictional import corpus
from served import browser_page, served
from wirescope.cli import app as cli_app
from wirescope.settings import Settings
from wirescope.storage.store import Store

FIRST = [("/news/harbour-talks", "harbour-talks"), ("/news/museum-reopens", "museum-reopens"),
         ("/news/no-such-page", "bridge-repair")]  # the last one is not on the site: a page that fails
FERRY = ("/news/ferry-timetable", "ferry-timetable")
FERRY_TITLE = "Varnholm ferry company adds evening crossings"
ATOM = "{http://www.w3.org/2005/Atom}"
cli = CliRunner()


def _wait(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:  # bounded: stops by itself
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"{what}: not within {seconds} s")


# -- the collecting server and its feed site ----------------------------------------------------------
@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    site = Site()
    serve_articles(site, ["harbour-talks", "museum-reopens"])
    site.routes["/rss.xml"] = Route(rss(site, FIRST), content_type="application/rss+xml")
    yield site  # /broken.xml is not there: a feed that fails
    site.close()


@pytest.fixture(scope="module")
def collecting(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """``create_app(collect=True)`` over a database following two feeds (added with the CLI, as a
    user does): one that works, and one that answers 404."""
    import httpx

    from wirescope.serve.api import create_app

    db = tmp_path_factory.mktemp("live") / "news.duckdb"
    feeds = ((site.url("/rss.xml"), "2", "Northwind Wire"), (site.url("/broken.xml"), "3600", "Gone Gazette"))
    for url, every, outlet in feeds:
        added = cli.invoke(cli_app, ["feeds", "add", url, "--db", str(db), "--every", every, "--outlet", outlet])
        assert added.exit_code == 0, added.output
    settings = replace(Settings(), contextual_bias=False)  # the fast bias model: the test waits on analyses
    with served(create_app(db, settings=settings, collect=True, collect_delay_s=0.05)) as base:
        _wait(lambda: httpx.get(f"{base}/documents", timeout=10).json()["total"] == 2, 240,
              "the first two pages collected")
        yield {"base": base, "db": db}


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


def snap(page: Any, shots: Path, name: str, document: bool = True) -> Path:
    """A full-page screenshot kept with the test run, and in $WIRESCOPE_SCREENSHOTS when set and
    ``document`` (the views the documentation shows)."""
    target = shots / f"{name}.png"
    page.wait_for_timeout(150)  # let the last paint settle
    page.screenshot(path=str(target), full_page=True)
    keep = os.environ.get("WIRESCOPE_SCREENSHOTS")
    if keep and document:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(target, Path(keep) / target.name)
    return target


def _no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


# -- the tests ------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_documents_stories_and_alert_matches_appear_while_the_pages_are_open(
        browser: Any, collecting: dict[str, Any], site: Site, shots: Path) -> None:
    base = collecting["base"]
    with browser_page(browser, base, 390, 640) as docs, browser_page(browser, base) as stories:
        alert = docs.request.post("/alerts", data={"name": "Ferry watch", "word": "ferry"})
        assert alert.status == 201, alert.text()
        alert_id = alert.json()["id"]
        docs.goto("/ui/")
        docs.wait_for_selector("#live-note")
        stories.goto("/ui/stories")
        stories.wait_for_selector("#live-note")
        assert docs.evaluate("document.visibilityState") == "visible"
        assert docs.title() == "Documents · wirescope"
        # The reader has scrolled down to the last document: it must stay where it is on the screen.
        docs.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        assert docs.evaluate("window.scrollY") > 0, "the page is meant to be scrolled"
        last = docs.locator("#results .item").last
        top_before = last.bounding_box()["y"]
        serve_articles(site, ["ferry-timetable"])
        site.routes["/rss.xml"] = Route(rss(site, [*FIRST, FERRY]), content_type="application/rss+xml")

        arrived = docs.locator("#arrivals .item.is-new", has_text=FERRY_TITLE)
        arrived.wait_for(timeout=120_000)
        assert arrived.locator(".new-badge").inner_text().lower() == "new"
        doc_id = arrived.get_attribute("data-doc")
        assert arrived.locator("a", has_text=FERRY_TITLE).get_attribute("href") == f"/ui/doc/{doc_id}"
        assert docs.locator("#arrivals-banner").inner_text().startswith("1 new document since you opened this page")
        assert docs.title() == "(1 new) Documents · wirescope"
        assert docs.locator("#stats-line").inner_text().startswith("3 documents")
        assert abs(last.bounding_box()["y"] - top_before) <= 2, "the document in view moved"
        assert docs.locator("#results .item").count() == 3  # the two there before, the one that came
        assert _no_sideways_scroll(docs)
        docs.evaluate("window.scrollTo(0, 0)")
        snap(docs, shots, "documents-live-phone")

        story = stories.locator("#arrivals .story-item.is-new", has_text=FERRY_TITLE)
        story.wait_for(timeout=30_000)
        assert "1 new story" in stories.locator("#arrivals-banner").inner_text()
        snap(stories, shots, "stories-live")
    _alert_pages_list_the_match(browser, base, alert_id, doc_id, shots)


def _alert_pages_list_the_match(browser: Any, base: str, alert_id: int, doc_id: str, shots: Path) -> None:
    """The alert made before the ferry article came: listed with its new match and its Atom feed,
    and its page lists the match."""
    with browser_page(browser, base) as page:
        page.goto("/ui/alerts")
        item = page.locator(f"#alert-list [data-alert='{alert_id}']")
        item.wait_for()
        assert page.title() == "Alerts · wirescope"
        assert "Ferry watch" in item.inner_text() and "1 match" in item.inner_text()
        assert item.locator(".new-badge").inner_text().lower() == "1 new"
        feed_url = item.locator("a.atom-url").get_attribute("href")
        assert feed_url == f"{base}/alerts/{alert_id}/feed.atom" == item.locator("a.atom-url").inner_text()
        feed = ET.fromstring(page.request.get(feed_url).body())  # the address works in a feed reader
        entry_links = [link.get("href") for link in feed.iter(f"{ATOM}link") if link.get("href", "").endswith(doc_id)]
        assert entry_links == [f"{base}/ui/doc/{doc_id}"]
        snap(page, shots, "alerts")
        item.locator("a", has_text="Ferry watch").click()
        page.wait_for_url(f"**/ui/alerts/{alert_id}")
        match = page.locator("#matches .item.match", has_text=FERRY_TITLE)
        match.wait_for()
        assert page.title() == "Ferry watch · wirescope"
        assert match.locator(".new-badge").count() == 1
        assert match.locator("a", has_text=FERRY_TITLE).get_attribute("href") == f"/ui/doc/{doc_id}"
        assert "ferry" in match.locator(".snippet").inner_text().lower()  # the match's summary
        assert "Northwind Wire" in match.inner_text()
        snap(page, shots, "alert")
        match.locator("a", has_text=FERRY_TITLE).click()
        page.wait_for_selector(".seg-body")
        assert FERRY_TITLE in page.locator("h1").inner_text()


@pytest.mark.slow
def test_alerts_are_made_and_deleted_from_the_alertsbrowser_page(browser: Any, collecting: dict[str, Any]) -> None:
    with browser_page(browser, collecting["base"]) as page:
        page.goto("/ui/alerts")
        page.wait_for_selector("#alert-form")
        page.click("#alert-form button[type=submit]")  # no filter: the API's reason is shown
        page.wait_for_selector("#alert-status .error")
        assert page.locator("#alert-status .error").inner_text().startswith("Not saved: ")
        page.fill("#alert-form input[name=name]", "Museum <b>watch</b>")
        page.fill("#alert-form input[name=word]", "museum")
        page.click("#alert-form button[type=submit]")
        page.wait_for_selector("#alert-status .notice")
        made = next(a for a in page.request.get("/alerts").json()["items"] if a["query"]["word"] == "museum")
        item = page.locator(f"#alert-list [data-alert='{made['id']}']")
        item.wait_for()
        assert "Museum <b>watch</b>" in item.inner_text() and item.locator("b").count() == 0  # shown as text
        assert "1 match" in item.inner_text() and item.locator(".new-badge").count() == 0  # stored before it was made
        item.locator("button", has_text="Delete").click()
        assert page.request.get(f"/alerts/{made['id']}").ok  # asked first: nothing deleted yet
        item.locator(".confirm button.danger").click()
        page.wait_for_selector(f"#alert-list [data-alert='{made['id']}']", state="detached")
        assert page.request.get(f"/alerts/{made['id']}").status == 404
        assert "Deleted the alert" in page.locator("#alert-status").inner_text()


@pytest.mark.slow
def test_collector_page_shows_feeds_errors_and_follows_a_feed(browser: Any, collecting: dict[str, Any], site: Site,
                                                               shots: Path) -> None:
    with browser_page(browser, collecting["base"]) as page:
        page.goto("/ui/collector")
        page.wait_for_selector("#feed-list")
        assert page.title() == "Collector · wirescope"
        assert page.locator("#collecting").inner_text().startswith("Collecting since")
        assert page.locator("#last-round .round-summary").inner_text()  # e.g. "1 feed(s) polled, ..."
        good = page.locator("#feed-list .feed", has_text=site.url("/rss.xml"))
        assert "Northwind Wire" in good.inner_text()
        stored = page.request.get("/documents").json()["total"]  # 2, or 3 once the ferry article came
        facts = dict(zip(good.locator("dt").all_inner_texts(), good.locator("dd").all_inner_texts()))
        shown = (facts["pages collected"], facts["last HTTP status"], facts["errors in a row"])
        assert shown == (str(stored), "200", "0")
        assert facts["polled every"] == "2 s"
        assert re.fullmatch(r"\d\d:\d\d:\d\d \((now|\d+ seconds? ago)\)", facts["last fetch"])  # time, how long ago
        broken = page.locator("#feed-list .feed", has_text=site.url("/broken.xml"))
        assert broken.get_attribute("class") == "card feed failing"
        assert broken.locator(".flag").inner_text().lower() == "⚠ failing"  # said in words, not by colour alone
        assert "404" in broken.locator(".feed-error .reason").inner_text()
        outcomes = dict(zip(page.locator("#url-outcomes td:first-child").all_inner_texts(),
                            page.locator("#url-outcomes td.num").all_inner_texts()))
        assert outcomes["stored"] == str(stored) and outcomes["error"] == "1"  # the page that is not on the site
        snap(page, shots, "collector")

        extra = site.url("/harbour-desk.xml")
        page.fill("#follow-form input[name=url]", extra)
        page.fill("#follow-form input[name=outlet]", "Harbour Desk")
        page.fill("#follow-form input[name=minutes]", "60")
        page.click("#follow-form button[type=submit]")
        added = page.locator("#feed-list .feed", has_text=extra)
        added.wait_for()
        assert "Following" in page.locator("#follow-status").inner_text()
        assert [f["every_s"] for f in page.request.get("/feeds").json()["items"] if f["url"] == extra] == [3600]
        page.fill("#follow-form input[name=url]", extra)  # the same URL again: the API's reason is shown
        page.click("#follow-form button[type=submit]")
        page.wait_for_selector("#follow-status .error")
        assert "followed already" in page.locator("#follow-status .error").inner_text()
        added.locator("button", has_text="Stop following").click()
        added.locator(".confirm button.danger").wait_for()
        page.wait_for_timeout(5500)  # a refresh of the page keeps the question open
        assert added.locator(".confirm button.danger").is_visible()
        added.locator(".confirm button.danger").click()
        added.wait_for(state="detached")
        assert extra not in [f["url"] for f in page.request.get("/feeds").json()["items"]]


@pytest.mark.slow
def test_polling_is_bounded_paused_while_hidden_and_stopped_when_the_view_is_left(
        browser: Any, collecting: dict[str, Any]) -> None:
    with browser_page(browser, collecting["base"]) as page:
        asked: list[float] = []
        page.on("request", lambda r: asked.append(time.monotonic()) if urlsplit(r.url).path == "/stats" else None)
        page.goto("/ui/")
        page.wait_for_selector("#live-note")
        start = len(asked)
        page.wait_for_timeout(7000)
        polls = asked[start:]
        assert 1 <= len(polls) <= 2 and all(b - a >= 2 for a, b in zip(polls, polls[1:]))
        page.evaluate("""() => {
            Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
            document.dispatchEvent(new Event('visibilitychange'));
        }""")
        assert "paused" in page.locator("#live-note").inner_text()
        hidden_at = len(asked)
        page.wait_for_timeout(6000)
        assert len(asked) == hidden_at, "polled while the tab was hidden"
        page.evaluate("""() => {
            Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
            document.dispatchEvent(new Event('visibilitychange'));
        }""")
        page.wait_for_timeout(1000)
        assert len(asked) == hidden_at + 1, "a tab shown again catches up at once"
        page.click("header.top nav a[href='/ui/events']")
        page.wait_for_selector("#event-table")
        left_at = len(asked)
        page.wait_for_timeout(6000)
        assert len(asked) == left_at, "the documents view polled after it was left"


@pytest.mark.slow
def test_new_pages_fit_a_phone(browser: Any, collecting: dict[str, Any], shots: Path) -> None:
    with browser_page(browser, collecting["base"], 390, 800) as page:
        first_alert = page.request.post("/alerts", data={"name": "Museum watch", "word": "museum"}).json()["id"]
        views = (("/ui/collector", "#feed-list", "collector-phone"), ("/ui/alerts", "#alert-form", "alerts-phone"),
                 (f"/ui/alerts/{first_alert}", "#matches", "alert-phone"), ("/ui/stories", "#results", "stories-phone"))
        for address, ready, name in views:
            page.goto(address)
            page.wait_for_selector(ready)
            assert _no_sideways_scroll(page), address
            snap(page, shots, name, document=name == "collector-phone")


def test_a_server_that_does_not_collect_says_how_and_writes_need_its_token(
        browser: Any, tmp_path: Path, shots: Path) -> None:
    from wirescope.serve.api import create_app

    db = tmp_path / "quiet.duckdb"
    added = cli.invoke(cli_app, ["feeds", "add", "https://northwind.example/rss.xml", "--db", str(db)])
    assert added.exit_code == 0, added.output
    with served(create_app(db, token="desk-token")) as base, browser_page(browser, base) as page:
        page.goto("/ui/collector")
        page.wait_for_selector("#feed-list")
        notice = page.locator("#collecting").inner_text()
        assert notice.startswith("Not collecting.") and "wirescope serve --collect --db FILE" in notice
        assert "not yet" in page.locator("#feed-list .feed").inner_text()  # never fetched
        snap(page, shots, "collector-not-collecting", document=False)
        page.fill("#follow-form input[name=url]", "https://harbour-desk.example/feed.xml")
        page.click("#follow-form button[type=submit]")
        page.wait_for_selector("#follow-status .error")
        refused = page.locator("#follow-status .error").inner_text()
        assert refused.startswith("Not followed: ") and "token" in refused.lower()
        page.fill("#follow-form input[name=token]", "desk-token")
        page.fill("#follow-form input[name=url]", "https://harbour-desk.example/feed.xml")
        page.click("#follow-form button[type=submit]")
        page.locator("#feed-list .feed", has_text="harbour-desk.example").wait_for()
        page.click("header.top nav a[href='/ui/alerts']")  # the token typed once serves the next write too
        page.wait_for_selector("#alert-form")
        assert "No alert yet" in page.locator("#alert-list").inner_text()
        page.fill("#alert-form input[name=word]", "harbour")
        page.click("#alert-form button[type=submit]")
        page.locator("#alert-list .alert-item").wait_for()


def test_documents_stored_since_a_moment(tmp_path: Path) -> None:
    """The API the live documents list reads: ``stored_since`` and each item's ``stored_at`` (UTC)."""
    from wirescope.serve.api import create_app

    db = tmp_path / "since.duckdb"
    with Store(db) as store:
        store.write_batch(corpus()[:2])
    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    listed = client.get("/documents").json()
    stamps = {item["stored_at"] for item in listed["items"]}
    assert len(stamps) == 1 and next(iter(stamps)).endswith("Z")  # one batch, one moment
    stored = next(iter(stamps))
    assert client.get("/documents", params={"stored_since": "2000-01-01T00:00:00Z"}).json()["total"] == 2
    assert client.get("/documents", params={"stored_since": stored}).json()["total"] == 0  # after it, strictly
    earlier = client.get("/documents", params={"stored_since": stored.replace("Z", "+01:00")}).json()
    assert earlier["total"] == 2  # a zone is read: one hour before in UTC
    assert client.get("/documents", params={"stored_since": "yesterday"}).status_code == 422


def test_a_rounds_failures_are_listed_and_server_text_stays_text(browser: Any, tmp_path: Path, shots: Path) -> None:
    """The last round's failed feeds and pages with their reasons, a collector that stopped, and
    hostile text from the feeds shown as text (the answer of /collector is made up here)."""
    import json

    from wirescope.serve.api import create_app

    hostile = "<img src=x onerror=\"window.__pwned=1\"><b>bold</b>"
    feed = {"id": 7, "url": "javascript:window.__pwned=1", "outlet": hostile, "kind": "feed",
            "added_at": "2026-03-01T08:00:00", "every_s": 900.0, "etag": None, "last_modified": None,
            "last_fetch_at": "2026-03-01T09:00:00", "next_fetch_at": "2099-01-01T00:00:00", "last_status": None,
            "pages_collected": 4, "consecutive_errors": 3, "last_error": f"timed out {hostile}",
            "last_error_at": "2026-03-01T09:00:00"}
    status = {"collecting": True, "running": False, "started_at": "2026-03-01T08:00:00+00:00", "rounds": 12,
              "last_round_at": "2026-03-01T09:00:00+00:00",
              "last_round": {"summary": "2 feed(s) polled, 1 failed", "feeds_polled": 2, "not_modified": 0,
                             "pages_fetched": 3, "stored": 1, "duplicates": 0,
                             "failed_feeds": [{"feed": 7, "url": "https://gone.example/rss", "reason": hostile}],
                             "failed_pages": [{"source": "https://northwind.example/a", "kind": "fetch",
                                               "reason": "HTTP 503 after 3 tries"}],
                             "error": None},
              "feeds": [feed], "urls": {"stored": 1, "error": 1}}
    with served(create_app(tmp_path / "made-up.duckdb")) as base, browser_page(browser, base) as page:
        page.route(lambda url: urlsplit(url).path == "/collector",  # the API's, not the page /ui/collector
                   lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(status)))
        page.goto("/ui/collector")
        page.wait_for_selector("#feed-list")
        assert page.locator("#collecting").inner_text().startswith("⚠ The collector has stopped.")
        assert page.locator("#failed-feeds li").inner_text() == f"https://gone.example/rss: {hostile}"
        failed_page = page.locator("#failed-pages li").inner_text()
        assert failed_page == "https://northwind.example/a: fetch: HTTP 503 after 3 tries"
        card = page.locator("#feed-list .feed")
        assert hostile in card.inner_text()
        assert card.locator(".feed-error .reason").inner_text() == f"timed out {hostile}"
        assert card.locator("a.feed-url").get_attribute("href") == "#"  # a javascript: URL is no link
        facts = dict(zip(card.locator("dt").all_inner_texts(), card.locator("dd").all_inner_texts()))
        assert facts["last HTTP status"] == "no answer" and facts["errors in a row"] == "3"
        assert page.locator("#main img, #main b").count() == 0 and page.evaluate("window.__pwned") is None
        snap(page, shots, "collector-failures", document=False)
