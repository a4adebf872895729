"""Issue 16: `wirescope serve --collect` collects, serves and lets the CLI work on the same database
at once; killed with SIGKILL mid-collection and started again, it stores every page exactly once and
keeps the feeds' state. The feeds come from a fictional site on 127.0.0.1 (tests/feed_site.py)."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import httpx
import pytest
from typer.testing import CliRunner

from feed_site import STORIES, Route, Site, rss, serve_articles
from wirescope.cli import app

cli = CliRunner()
SLUGS = sorted(STORIES)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    command = [sys.executable, "-m", "wirescope", "serve", "--db", str(db), "--port", str(port), "--collect",
               "--fast-bias"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return server, f"http://127.0.0.1:{port}"


def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:  # bounded: stops by itself
        try:
            if condition():
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    return False


def _total(base: str) -> int:
    return int(httpx.get(f"{base}/documents", timeout=10).json()["total"])


@pytest.mark.slow
def test_serve_collect_with_the_cli_alongside_then_kill_9_and_restart(tmp_path: Path, make_site) -> None:
    site: Site = make_site()
    serve_articles(site, SLUGS[:3])
    site.routes["/rss.xml"] = Route(rss(site, [(f"/news/{s}", s) for s in SLUGS[:3]]),
                                    content_type="application/rss+xml", etag='"v1"')
    db = tmp_path / "news.duckdb"
    added = cli.invoke(app, ["feeds", "add", site.url("/rss.xml"), "--db", str(db), "--every", "2"])
    assert added.exit_code == 0, added.output

    server, base = _serve(db)
    try:
        assert _wait_for(lambda: _total(base) == 3, 180), "the collector did not store the first feed's pages"
        # The CLI on the same database while the server runs: reads and a new feed go through it.
        listed = cli.invoke(app, ["documents", "--db", str(db), "--json"])
        assert listed.exit_code == 0 and len(listed.output.splitlines()) == 3
        second = make_site(delay_s=0.2)  # a slow host: the server is killed while it collects from it
        serve_articles(second, SLUGS[3:])
        second.routes["/atom.xml"] = Route(rss(second, [(f"/news/{s}", s) for s in SLUGS[3:]]),
                                           content_type="application/rss+xml")
        through = cli.invoke(app, ["feeds", "add", second.url("/atom.xml"), "--db", str(db), "--every", "2"])
        assert through.exit_code == 0, through.output
        status = httpx.get(f"{base}/collector", timeout=10).json()
        assert status["collecting"] and len(status["feeds"]) == 2
        # Killed without a chance to clean up once the second feed's pages are being stored.
        assert _wait_for(lambda: _total(base) >= 4, 180)
        server.send_signal(signal.SIGKILL)
        server.wait(30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    server, base = _serve(db)  # started again on the same file: the note of the killed one is stale
    try:
        assert _wait_for(lambda: _total(base) == len(SLUGS), 240), "the restarted collector did not finish"
        feeds = httpx.get(f"{base}/feeds", timeout=10).json()["items"]
        assert sorted(f["url"] for f in feeds) == sorted([site.url("/rss.xml"), second.url("/atom.xml")])
        assert next(f for f in feeds if f["url"] == site.url("/rss.xml"))["etag"] == '"v1"'  # feed state kept
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT url, count(*) FROM documents GROUP BY url").fetchall()
        stored = con.execute("SELECT count(*) FROM collected_urls WHERE outcome = 'stored'").fetchall()
    finally:
        con.close()
    assert len(rows) == len(SLUGS) and all(count == 1 for _, count in rows)  # every page exactly once
    assert stored == [(len(SLUGS),)]
    # Every article page was fetched once except those a kill interrupted before they were stored.
    article_hits = [h for h in site.hits + second.hits if h.path.startswith("/news/")]
    assert len(article_hits) <= len(SLUGS) + 8
    assert json.loads(cli.invoke(app, ["feeds", "list", "--db", str(db), "--json"]).output.splitlines()[0])
