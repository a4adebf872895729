"""The collector (wirescope.collect, wirescope.storage.feeds, `wirescope feeds` and `wirescope collect`)
against real HTTP servers on 127.0.0.1 serving project-written fictional feeds, sitemaps and article
pages that change during the tests, into a real DuckDB file. Every collection is one round or a
bounded number of rounds, so each test stops by itself."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from feed_site import (
    STORIES,
    Hit,
    Route,
    article_html,
    atom,
    news_sitemap,
    rss,
    serve_articles,
    sitemap_index,
)
from wirescope.cli import app
from wirescope.collect import CollectOptions, CollectReport, collect_once, run_collector, store_access
from wirescope.collect.items import NotAFeed, gunzipped, parse_listing
from wirescope.collect.urls import canonical_url, normalise_url, not_article_reason
from wirescope.settings import Settings
from wirescope.storage import feeds as db
from wirescope.storage import search_index
from wirescope.storage.store import Store

# Fast analysis (the rule event coder, the static bias model): the tests are about collecting.
SETTINGS = Settings(contextual_bias=False, event_coder="rules", page_timeout_s=120.0)
FAST = CollectOptions(host_delay_s=0.05, retry_backoff_s=0.05, min_idle_s=0.05, max_idle_s=0.2, batch_pages=4)
UA = SETTINGS.user_agent



def follow(store: Store, url: str, outlet: str | None = None, every_s: float = 0.0, kind: str | None = None) -> int:
    return db.add_feed(store.con, normalise_url(url) or url, outlet, kind, every_s, db.utc_now()).id


def documents(store: Store) -> dict[str, tuple[str, str, str]]:
    """url -> (id, title, outlet) of every stored document."""
    rows = store.con.execute("SELECT url, id, title, outlet FROM documents").fetchall()
    return {url: (doc_id, title, outlet) for url, doc_id, title, outlet in rows}


def outcomes(store: Store) -> dict[str, str]:
    return dict(store.con.execute("SELECT url, outcome FROM collected_urls").fetchall())


# --- pure parts ------------------------------------------------------------------------------------------
def test_urls_normalised_and_non_articles_left_out() -> None:
    assert normalise_url("HTTP://News.Example.ORG:80/world/story-1?utm_source=rss&id=7&fbclid=x#comments") == \
        "http://news.example.org/world/story-1?id=7"
    assert normalise_url("story-2?b=2&a=1", "https://news.example.org/world/") == \
        "https://news.example.org/world/story-2?a=1&b=2"
    assert normalise_url("mailto:desk@example.org") is None and normalise_url("not a url") is None
    assert not_article_reason("https://news.example.org/world/2026/harbour-talks") is None
    for url in ("https://news.example.org/", "https://news.example.org/img/photo.jpg",
                "https://news.example.org/feed", "https://news.example.org/tag/ports/",
                "https://news.example.org/login"):
        assert not_article_reason(url), url


def test_canonical_link_counts_on_the_same_site_only() -> None:
    page = b'<html><head><link rel="canonical" href="/news/ferry?utm_medium=x"></head><body>x</body></html>'
    assert canonical_url(page, "http://www.example.org/print/ferry") == "http://www.example.org/news/ferry"
    elsewhere = b'<html><head><link rel="canonical" href="http://other.example.net/a"></head></html>'
    assert canonical_url(elsewhere, "http://example.org/b") is None
    assert canonical_url(b"<html><head></head><body>no link</body></html>", "http://example.org/b") is None


def test_backoff_doubles_per_error_up_to_the_cap() -> None:
    assert db.retry_delay_s(600, 0, 6 * 3600) == 600
    assert [db.retry_delay_s(600, n, 6 * 3600) for n in (1, 2, 3)] == [1200, 2400, 4800]
    assert db.retry_delay_s(600, 10, 6 * 3600) == 6 * 3600
    assert db.retry_delay_s(8 * 3600, 3, 6 * 3600) == 8 * 3600  # never sooner than the interval itself


def test_listings_parse_and_garbage_is_refused(make_site) -> None:
    site = make_site()
    listing = parse_listing(rss(site, [("/news/a", "harbour-talks")]), site.url("/rss.xml"), None, 10)
    assert listing.kind == "feed" and listing.items[0].url == site.url("/news/a")
    assert listing.items[0].published == "2026-03-03T00:00:00+00:00"
    index = parse_listing(sitemap_index(site, ["/s1.xml", "/s2.xml"]), site.url("/i.xml"), None, 10)
    assert index.kind == "sitemap" and index.children == [site.url("/s2.xml"), site.url("/s1.xml")]  # newest first
    packed = parse_listing(gunzipped(gzip.compress(news_sitemap(site, [("/news/b", "ferry-timetable")])), 10 ** 6),
                           site.url("/sitemap.xml.gz"), None, 10)
    assert [(i.url, i.outlet, i.title) for i in packed.items] == [
        (site.url("/news/b"), "Varnholm Ledger", STORIES["ferry-timetable"][0])]
    for garbage in (b"<html><body>a page</body></html>", b"\x00\x01 binary", b"<urlset><url><loc>x</loc>"):
        with pytest.raises(NotAFeed):
            parse_listing(garbage, site.url("/x"), None, 10)


# --- collecting -------------------------------------------------------------------------------------------
def test_rss_atom_and_news_sitemap_then_only_new_pages_with_conditional_requests(tmp_path: Path, make_site) -> None:
    site = make_site()
    serve_articles(site, ["harbour-talks", "ferry-timetable", "museum-reopens", "bank-rates", "forest-fire",
                          "rail-strike"])
    site.routes["/rss.xml"] = Route(rss(site, [("/news/harbour-talks?utm_source=rss", "harbour-talks"),
                                               ("news/ferry-timetable", "ferry-timetable")]),
                                    content_type="application/rss+xml", etag='"rss-1"')
    site.routes["/atom.xml"] = Route(atom(site, [("/news/museum-reopens", "museum-reopens"),
                                                 ("/news/bank-rates", "bank-rates")]),
                                     content_type="application/atom+xml", etag='"atom-1"')
    site.routes["/sitemap-index.xml"] = Route(sitemap_index(site, ["/sitemap-news.xml"]), content_type="text/xml",
                                              last_modified="Thu, 05 Mar 2026 08:00:00 GMT")
    site.routes["/sitemap-news.xml"] = Route(news_sitemap(site, [("/news/forest-fire", "forest-fire")]),
                                             content_type="application/xml")
    reports: list[CollectReport] = []
    marks: list[int] = []

    def after_round(report: CollectReport) -> None:
        reports.append(report)
        if len(reports) == 1:  # the RSS feed gains an article (and a new ETag); the others do not change
            site.routes["/rss.xml"] = Route(rss(site, [("/news/rail-strike", "rail-strike"),
                                                       ("/news/harbour-talks?utm_source=rss", "harbour-talks")]),
                                            content_type="application/rss+xml", etag='"rss-2"')
            marks.append(len(site.hits))

    with Store(tmp_path / "news.duckdb") as store:
        rss_id = follow(store, site.url("/rss.xml"), outlet="Northwind Wire")
        atom_id = follow(store, site.url("/atom.xml"), outlet="Calderon Courier")
        map_id = follow(store, site.url("/sitemap-index.xml"))
        assert run_collector(store_access(store), SETTINGS, FAST, max_rounds=2, on_round=after_round) == 2
        first, second = reports
        assert (first.feeds_polled, first.not_modified, first.failed, first.errors) == (3, 0, [], [])
        assert (first.pages_fetched, first.stored) == (5, 5)
        stored = documents(store)
        assert len(stored) == 6
        assert stored[site.url("/news/harbour-talks")][1:] == (STORIES["harbour-talks"][0], "Northwind Wire")
        assert stored[site.url("/news/museum-reopens")][2] == "Calderon Courier"
        assert stored[site.url("/news/forest-fire")][2] == "Varnholm Ledger"  # the news sitemap's publication
        assert {f.id: (f.kind, f.pages_collected) for f in db.list_feeds(store.con)} == {
            rss_id: ("feed", 3), atom_id: ("feed", 2), map_id: ("sitemap", 1)}
        grouped = store.con.execute("SELECT count(DISTINCT doc_id) FROM story_documents").fetchone()
        assert grouped == (6,)  # every collected document is in a story

    # The second round fetched the changed feed and its one new article only, asking conditionally.
    assert (second.feeds_polled, second.not_modified, second.pages_fetched, second.stored) == (3, 2, 1, 1)
    later = site.hits[marks[0]:]
    assert sorted(urlsplit(hit.path).path for hit in later) == [
        "/atom.xml", "/news/rail-strike", "/rss.xml", "/sitemap-index.xml"]
    asked = {urlsplit(hit.path).path: hit.headers for hit in later}
    assert asked["/rss.xml"]["if-none-match"] == '"rss-1"'
    assert asked["/atom.xml"]["if-none-match"] == '"atom-1"'
    assert asked["/sitemap-index.xml"]["if-modified-since"] == "Thu, 05 Mar 2026 08:00:00 GMT"
    assert all(hit.headers["user-agent"] == UA for hit in site.hits)
    for path in ("/news/harbour-talks", "/news/ferry-timetable", "/news/forest-fire", "/robots.txt"):
        assert len(site.requested(path)) == 1, path  # robots.txt: once per host, then cached


def test_robots_txt_disallowed_page_is_never_fetched(tmp_path: Path, make_site) -> None:
    site = make_site()
    serve_articles(site, ["harbour-talks"])
    serve_articles(site, ["ferry-timetable"], prefix="/private/")
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.routes["/rss.xml"] = Route(rss(site, [("/private/ferry-timetable", "ferry-timetable"),
                                               ("/news/harbour-talks", "harbour-talks")]))
    with Store(tmp_path / "news.duckdb") as store:
        follow(store, site.url("/rss.xml"))
        report = collect_once(store_access(store), SETTINGS, FAST)
        assert (report.stored, report.skipped_robots) == (1, 1)
        assert site.requested("/private/ferry-timetable") == []
        assert outcomes(store)[site.url("/private/ferry-timetable")] == db.SKIPPED_ROBOTS
        again = collect_once(store_access(store), SETTINGS, FAST)
        assert (again.stored, again.skipped_robots, again.pages_fetched) == (0, 0, 0)
        assert site.requested("/private/ferry-timetable") == []

    # A robots.txt that keeps wirescope out of the whole site keeps its feed out too: recorded as the feed's error.
    closed = make_site()
    closed.routes["/robots.txt"] = Route(b"User-agent: wirescope\nDisallow: /\n", content_type="text/plain")
    closed.routes["/rss.xml"] = Route(rss(closed, [("/news/harbour-talks", "harbour-talks")]))
    with Store(tmp_path / "closed.duckdb") as store:
        follow(store, closed.url("/rss.xml"))
        report = collect_once(store_access(store), SETTINGS, FAST)
        assert len(report.failed) == 1 and "robots.txt disallows" in report.failed[0].reason
        assert closed.requested("/rss.xml") == []


def test_slow_host_keeps_its_delay_and_does_not_hold_up_another_host(tmp_path: Path, make_site) -> None:
    slow, fast = make_site(delay_s=0.3), make_site()
    serve_articles(slow, ["harbour-talks", "ferry-timetable", "museum-reopens"])
    serve_articles(fast, ["bank-rates", "forest-fire", "rail-strike"])
    slow.routes["/rss.xml"] = Route(rss(slow, [(f"/news/{s}", s) for s in
                                               ("harbour-talks", "ferry-timetable", "museum-reopens")]))
    fast.routes["/rss.xml"] = Route(rss(fast, [(f"/news/{s}", s) for s in
                                               ("bank-rates", "forest-fire", "rail-strike")]))
    delay = 0.5
    with Store(tmp_path / "news.duckdb") as store:
        follow(store, slow.url("/rss.xml"))
        follow(store, fast.url("/rss.xml"))
        report = collect_once(store_access(store), SETTINGS, CollectOptions(host_delay_s=delay, batch_pages=8))
        assert report.stored == 6
    for site in (slow, fast):
        times = [hit.at for hit in site.hits]
        assert len(times) == 5  # robots.txt, the feed, three articles
        # The pause runs from the end of one answer to the next request: the slow host's gaps include its 0.3 s.
        least = delay + (0.3 if site is slow else 0.0)
        assert min(b - a for a, b in zip(times, times[1:])) >= least - 0.02, times
    slow_articles = [hit.at for hit in slow.hits if hit.path.startswith("/news/")]
    fast_articles = [hit.at for hit in fast.hits if hit.path.startswith("/news/")]
    # The two hosts' articles were fetched in turns, not one host after the other.
    assert any(slow_articles[0] < t < slow_articles[-1] for t in fast_articles)


def test_failing_host_is_retried_with_backoff_then_recorded_while_other_feeds_are_collected(
        tmp_path: Path, make_site) -> None:
    broken, good = make_site(), make_site()
    broken.routes["/rss.xml"] = Route(b"overloaded", 503, "text/plain")
    serve_articles(good, ["harbour-talks", "ferry-timetable"])
    good.routes["/news/ferry-timetable"] = Route(b"oops", 500, "text/plain")  # a failing page, fixed later
    good.routes["/rss.xml"] = Route(rss(good, [("/news/harbour-talks", "harbour-talks"),
                                               ("/news/ferry-timetable", "ferry-timetable")]))
    good.routes["/front-page"] = Route(article_html("harbour-talks"))  # followed by mistake: not a feed
    options = CollectOptions(host_delay_s=0.0, retry_backoff_s=0.2, attempts=3, max_backoff_s=3600)
    with Store(tmp_path / "news.duckdb") as store:
        broken_id = follow(store, broken.url("/rss.xml"), every_s=60)
        good_id = follow(store, good.url("/rss.xml"), every_s=60)
        page_id = follow(store, good.url("/front-page"), every_s=60)
        report = collect_once(store_access(store), SETTINGS, options)
        tries = [hit.at for hit in broken.requested("/rss.xml")]
        assert len(tries) == 3
        assert tries[1] - tries[0] >= 0.2 - 0.02 and tries[2] - tries[1] >= 0.4 - 0.02  # exponential backoff
        assert [f.feed_id for f in report.failed] == [broken_id, page_id]
        assert "503" in report.failed[0].reason and "after 3 tries" in report.failed[0].reason
        assert "not an RSS or Atom feed" in report.failed[1].reason
        feed = db.find_feed(store.con, broken_id)
        assert feed is not None and feed.consecutive_errors == 1 and feed.last_status == 503
        assert feed.last_error == report.failed[0].reason
        assert feed.next_fetch_at - feed.last_fetch_at == timedelta(seconds=120)  # every 60 s, doubled
        # The other feed was collected; its failing page (retried too) is an ingest error, like `ingest` records.
        assert report.stored == 1 and len(good.requested("/news/ferry-timetable")) == 3
        assert [e.source for e in report.errors] == [good.url("/news/ferry-timetable")]
        assert store.list_errors()[0]["source"] == good.url("/news/ferry-timetable")
        assert outcomes(store)[good.url("/news/ferry-timetable")] == db.ERROR

        # Later: both recover. The broken feed is not due yet (backoff); once due, it is polled again.
        broken.routes["/rss.xml"] = Route(rss(broken, []))
        serve_articles(good, ["ferry-timetable"])
        store.con.execute("UPDATE feeds SET next_fetch_at = ? WHERE id = ?", [db.utc_now(), good_id])
        report = collect_once(store_access(store), SETTINGS, options)
        assert (report.feeds_polled, report.stored) == (1, 1)  # the broken feed waits out its backoff
        assert store.list_errors() == []  # stored now: no longer an error
        db.remove_feed(store.con, page_id)
        store.con.execute("UPDATE feeds SET next_fetch_at = ?", [db.utc_now()])
        report = collect_once(store_access(store), SETTINGS, options)
        recovered = db.find_feed(store.con, broken_id)
        assert report.failed == [] and recovered is not None and recovered.consecutive_errors == 0
        assert recovered.next_fetch_at - recovered.last_fetch_at == timedelta(seconds=60)  # back to its interval


def test_one_article_under_several_urls_is_one_document(tmp_path: Path, make_site) -> None:
    site = make_site()
    serve_articles(site, ["harbour-talks", "ferry-timetable"])
    # The print version names the article as canonical; /go/ferry redirects to it.
    site.routes["/print/ferry-timetable"] = Route(article_html("ferry-timetable", canonical="/news/ferry-timetable"))
    site.routes["/go/ferry"] = Route(status=301, headers={"Location": "/news/ferry-timetable?utm_campaign=go"})
    site.routes["/wire.xml"] = Route(rss(site, [("/news/harbour-talks?utm_source=wire&utm_medium=rss",
                                                 "harbour-talks"),
                                                ("/news/ferry-timetable", "ferry-timetable")]))
    site.routes["/world.xml"] = Route(atom(site, [("/news/harbour-talks?fbclid=abc123", "harbour-talks")]))
    with Store(tmp_path / "news.duckdb") as store:
        wire = follow(store, site.url("/wire.xml"))
        follow(store, site.url("/world.xml"))
        report = collect_once(store_access(store), SETTINGS, FAST)
        assert report.stored == 2 and len(site.requested("/news/harbour-talks")) == 1  # two feeds, one fetch
        assert set(documents(store)) == {site.url("/news/harbour-talks"), site.url("/news/ferry-timetable")}

        # Later the feed lists the print version (canonical: the stored page) and a redirecting link to it.
        site.routes["/wire.xml"] = Route(rss(site, [("/print/ferry-timetable", "ferry-timetable"),
                                                    ("/go/ferry", "ferry-timetable")]))
        report = collect_once(store_access(store), SETTINGS, FAST)
        assert (report.pages_fetched, report.stored, report.duplicates) == (2, 0, 2)
        assert len(documents(store)) == 2
        ferry_id = documents(store)[site.url("/news/ferry-timetable")][0]
        rows = store.con.execute("SELECT url, outcome, doc_id FROM collected_urls WHERE outcome = 'duplicate'"
                                 ).fetchall()
        assert {(url, doc) for url, _, doc in rows} >= {(site.url("/print/ferry-timetable"), ferry_id),
                                                         (site.url("/go/ferry"), ferry_id)}
        stored = store.con.execute("SELECT count(*) FROM collected_urls WHERE outcome = 'stored'").fetchone()
        assert stored == (2,)  # one STORED row per document
        assert db.find_feed(store.con, wire).pages_collected == 2  # type: ignore[union-attr]


def test_restart_fetches_only_what_is_new_and_keeps_feed_state(tmp_path: Path, make_site) -> None:
    site = make_site()
    serve_articles(site, ["harbour-talks", "ferry-timetable", "museum-reopens"])
    site.routes["/rss.xml"] = Route(rss(site, [("/news/harbour-talks", "harbour-talks"),
                                               ("/news/ferry-timetable", "ferry-timetable")]), etag='"v1"')
    site.routes["/atom.xml"] = Route(atom(site, [("/news/harbour-talks", "harbour-talks")]), etag='"a1"')
    path = tmp_path / "news.duckdb"
    with Store(path) as store:
        follow(store, site.url("/rss.xml"))
        follow(store, site.url("/atom.xml"))
        assert collect_once(store_access(store), SETTINGS, FAST).stored == 2
    site.routes["/rss.xml"] = Route(rss(site, [("/news/museum-reopens", "museum-reopens"),
                                               ("/news/harbour-talks", "harbour-talks"),
                                               ("/news/ferry-timetable", "ferry-timetable")]), etag='"v2"')
    before = len(site.hits)
    with Store(path) as store:  # a new collector (new process state: no cached robots, no turns)
        report = run_collector(store_access(store), SETTINGS, FAST, max_rounds=1)
        assert report == 1
        later = sorted(urlsplit(hit.path).path for hit in site.hits[before:])
        assert later == ["/atom.xml", "/news/museum-reopens", "/robots.txt", "/rss.xml"]
        assert [h.headers.get("if-none-match") for h in site.hits[before:] if h.path == "/atom.xml"] == ['"a1"']
        assert len(documents(store)) == 3


def test_a_failed_write_stores_neither_the_pages_nor_their_urls(tmp_path: Path, make_site,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site()
    serve_articles(site, ["harbour-talks", "ferry-timetable"])
    site.routes["/rss.xml"] = Route(rss(site, [("/news/harbour-talks", "harbour-talks"),
                                               ("/news/ferry-timetable", "ferry-timetable")]), etag='"e"')
    real = search_index.add_documents

    def broken(*args: object, **kwargs: object) -> None:  # fails inside the batch's transaction, after the inserts
        raise RuntimeError("disk full (simulated)")

    with Store(tmp_path / "news.duckdb") as store:
        feed_id = follow(store, site.url("/rss.xml"))
        monkeypatch.setattr(search_index, "add_documents", broken)
        with pytest.raises(RuntimeError, match="disk full"):
            collect_once(store_access(store), SETTINGS, FAST)
        assert documents(store) == {} and outcomes(store) == {}
        feed = db.find_feed(store.con, feed_id)
        assert feed is not None and feed.etag is None and feed.last_fetch_at is None  # not marked as read
        monkeypatch.setattr(search_index, "add_documents", real)
        report = collect_once(store_access(store), SETTINGS, FAST)
        assert report.stored == 2 and len(documents(store)) == 2


def test_killed_collector_then_restart_stores_every_page_exactly_once(tmp_path: Path, make_site) -> None:
    site = make_site()
    slugs = ["harbour-talks", "ferry-timetable", "museum-reopens", "bank-rates", "forest-fire", "rail-strike"]
    serve_articles(site, slugs)
    site.routes["/rss.xml"] = Route(rss(site, [(f"/news/{s}", s) for s in slugs]), etag='"k"')
    path = tmp_path / "news.duckdb"
    with Store(path) as store:
        follow(store, site.url("/rss.xml"))
    command = [sys.executable, "-m", "wirescope", "collect", "--db", str(path), "--delay", "0.1", "--batch-size", "2",
               "--fast-bias", "--rules-events", "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    killed = threading.Event()

    def kill_at_fifth_article(hit: Hit) -> None:  # two batches of two are stored by then, the third in hand
        if len([h for h in site.hits if h.path.startswith("/news/")]) == 5 and not killed.is_set():
            os.kill(process.pid, signal.SIGKILL)
            killed.set()

    site.on_hit = kill_at_fifth_article
    try:
        assert killed.wait(300), "the collector never reached the fifth article"
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
    site.on_hit = None
    with Store(path) as store:
        before = set(documents(store))
        feed = db.list_feeds(store.con)[0]
        assert len(before) == 4 and feed.etag is None  # the feed's items were not all dealt with: no validator
    mark = len(site.hits)
    result = CliRunner().invoke(app, ["collect", "--db", str(path), "--once", "--delay", "0", "--fast-bias",
                                      "--rules-events", "--quiet"])
    assert result.exit_code == 0, result.output
    with Store(path, read_only=True) as store:
        after = documents(store)
        stored_rows = store.con.execute("SELECT url FROM collected_urls WHERE outcome = 'stored'").fetchall()
        assert store.con.execute("SELECT count(*), count(DISTINCT id) FROM documents").fetchone() == (6, 6)
    assert set(after) == {site.url(f"/news/{s}") for s in slugs}
    assert sorted(url for (url,) in stored_rows) == sorted(after)
    refetched = [h.path for h in site.hits[mark:] if h.path.startswith("/news/")]
    # Only the pages the killed run had not stored were fetched again.
    assert sorted(refetched) == sorted(urlsplit(u).path for u in set(after) - before)


# --- the command line --------------------------------------------------------------------------------------
def test_cli_feeds_add_list_remove_and_collect_once(tmp_path: Path, make_site) -> None:
    site = make_site()
    serve_articles(site, ["school-meals", "bridge-repair"])
    site.routes["/rss.xml"] = Route(rss(site, [("/news/school-meals", "school-meals")]))
    site.routes["/sitemap.xml"] = Route(news_sitemap(site, [("/news/bridge-repair", "bridge-repair")]))
    dbfile = str(tmp_path / "news.duckdb")
    runner = CliRunner(env={"COLUMNS": "250"})

    def run(*args: str) -> object:
        return runner.invoke(app, [*args, "--db", dbfile])

    empty = run("collect", "--once")
    assert empty.exit_code == 2 and "no feeds followed" in empty.output
    bad = run("feeds", "add", "ftp://example.org/feed")
    assert bad.exit_code == 2 and "not an http:// or https:// URL" in bad.output
    added = run("feeds", "add", site.url("/rss.xml"), "--outlet", "Varnholm Ledger", "--every", "600")
    assert added.exit_code == 0 and "following feed 1" in added.output
    again = run("feeds", "add", site.url("/rss.xml?utm_source=x"))
    assert again.exit_code == 2 and "followed already (feed 1)" in again.output
    assert run("feeds", "add", site.url("/sitemap.xml"), "--kind", "sitemap").exit_code == 0
    assert run("feeds", "add", site.url("/x.xml"), "--kind", "podcast").exit_code == 2
    listed = run("feeds", "list")
    assert listed.exit_code == 0 and "2 feeds in" in listed.output and "Varnholm Ledger" in listed.output

    collected = run("collect", "--once", "--delay", "0.05", "--fast-bias", "--rules-events")
    assert collected.exit_code == 0, collected.output
    assert "2 feed(s) polled" in collected.output and "2 stored" in collected.output
    rows = [json.loads(line) for line in run("feeds", "list", "--json").output.splitlines()]
    assert [(r["id"], r["kind"], r["pages_collected"], r["last_status"]) for r in rows] == [
        (1, "feed", 1, 200), (2, "sitemap", 1, 200)]
    assert rows[0]["last_fetch_at"] and rows[0]["next_fetch_at"] > rows[0]["last_fetch_at"]
    documents_out = runner.invoke(app, ["documents", "--db", dbfile, "--json"])
    assert {json.loads(line)["outlet"] for line in documents_out.output.splitlines()} == {"Varnholm Ledger"}

    assert run("feeds", "remove", "1").exit_code == 0
    assert run("feeds", "remove", site.url("/sitemap.xml")).exit_code == 0
    gone = run("feeds", "remove", "7")
    assert gone.exit_code == 1 and "no feed '7'" in gone.output
    assert "No feeds followed" in run("feeds", "list").output
    # The documents collected stay.
    assert len(runner.invoke(app, ["documents", "--db", dbfile, "--json"]).output.splitlines()) == 2


def test_run_collector_stops_when_asked(tmp_path: Path, make_site) -> None:
    site = make_site()
    site.routes["/rss.xml"] = Route(rss(site, []))
    stop = threading.Event()
    reports: list[CollectReport] = []
    with Store(tmp_path / "news.duckdb") as store:
        follow(store, site.url("/rss.xml"), every_s=3600)
        options = CollectOptions(host_delay_s=0.0, min_idle_s=0.05, max_idle_s=30.0)
        worker = threading.Thread(target=run_collector, args=(store_access(store), SETTINGS, options, stop),
                                  kwargs={"on_round": reports.append, "max_rounds": 50})
        worker.start()
        deadline = time.monotonic() + 10
        while not reports and time.monotonic() < deadline:
            time.sleep(0.05)
        stop.set()  # it sleeps until the feed is due in an hour: the stop wakes it
        worker.join(5)
        assert not worker.is_alive() and len(reports) == 1 and reports[0].feeds_polled == 1
