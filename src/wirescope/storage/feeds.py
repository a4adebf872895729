"""The collector's tables (``feeds``, ``collected_urls``: migration 7 of ``storage.store``): every query
the collector and ``wirescope feeds`` make.

Times are naive UTC datetimes, passed in by the caller (``now``), so that the polling schedule can be
tested without a clock. Each function runs on a DuckDB connection (or cursor) and leaves transactions
to its caller, except where it says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb

from wirescope.errors import WirescopeError

FEED_KINDS = ("feed", "sitemap")
# A URL's outcome in collected_urls.
STORED, DUPLICATE, ERROR, SKIPPED_ROBOTS = "stored", "duplicate", "error", "skipped-robots"

_FEED_COLUMNS = ("id", "url", "outlet", "kind", "added_at", "every_s", "etag", "last_modified", "last_fetch_at",
                 "next_fetch_at", "last_status", "pages_collected", "consecutive_errors", "last_error",
                 "last_error_at")
_SELECT_FEEDS = f"SELECT {', '.join(_FEED_COLUMNS)} FROM feeds"


@dataclass(frozen=True)
class Feed:
    """A followed feed or sitemap and its polling state (one row of ``feeds``)."""

    id: int
    url: str
    outlet: str | None
    kind: str | None  # 'feed' | 'sitemap'; None until the first fetch tells
    added_at: datetime
    every_s: float
    etag: str | None = None
    last_modified: str | None = None
    last_fetch_at: datetime | None = None
    next_fetch_at: datetime | None = None
    last_status: int | None = None
    pages_collected: int = 0
    consecutive_errors: int = 0
    last_error: str | None = None
    last_error_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: times as ISO text (UTC)."""
        return {name: value.isoformat(timespec="seconds") if isinstance(value, datetime) else value
                for name, value in ((n, getattr(self, n)) for n in _FEED_COLUMNS)}


class FeedExists(WirescopeError):
    """The URL is followed already."""

    def __init__(self, feed: Feed) -> None:
        super().__init__(f"{feed.url} is followed already (feed {feed.id})")
        self.feed = feed


@dataclass(frozen=True)
class FetchOutcome:
    """What one poll of a feed gave, as ``record_fetch`` stores it.

    ``complete``: every new item was dealt with, so the validators (ETag, Last-Modified) may be kept;
    a poll cut short (items left for the next round) keeps none, so that the next poll reads the
    whole feed again instead of hearing 304.
    """

    status: int | None  # HTTP status; None when no answer came
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    kind: str | None = None
    complete: bool = True


@dataclass(frozen=True)
class CollectedUrl:
    """What became of one article URL (a row of ``collected_urls``).

    ``aliases``: other URLs of the same page (its redirect target, its canonical URL), recorded as
    duplicates of the same document so that a feed listing them later does not fetch the page again;
    so each document the collector stored has exactly one STORED row.
    """

    url: str
    feed_id: int | None
    outcome: str  # STORED, DUPLICATE, ERROR or SKIPPED_ROBOTS
    doc_id: str | None = None
    reason: str | None = None
    aliases: tuple[str, ...] = ()


def utc_now() -> datetime:
    """Now in UTC, naive, as these tables keep times."""
    return datetime.now(UTC).replace(tzinfo=None)


def _feed(row: Sequence[Any]) -> Feed:
    return Feed(**dict(zip(_FEED_COLUMNS, row)))


# -- the feeds followed -----------------------------------------------------------------------------
def add_feed(con: duckdb.DuckDBPyConnection, url: str, outlet: str | None, kind: str | None, every_s: float,
             now: datetime) -> Feed:
    """Follow ``url`` (normalised by the caller), due at once. Raises FeedExists when it is followed."""
    existing = find_feed(con, url)
    if existing is not None:
        raise FeedExists(existing)
    row = con.execute(
        "INSERT INTO feeds (url, outlet, kind, added_at, every_s, next_fetch_at) VALUES (?, ?, ?, ?, ?, ?) "
        f"RETURNING {', '.join(_FEED_COLUMNS)}", [url, outlet, kind, now, every_s, now]).fetchone()
    assert row is not None
    return _feed(row)


def find_feed(con: duckdb.DuckDBPyConnection, url_or_id: str | int) -> Feed | None:
    """The feed with this id (a number) or this normalised URL."""
    if isinstance(url_or_id, int) or url_or_id.isdigit():
        row = con.execute(f"{_SELECT_FEEDS} WHERE id = ?", [int(url_or_id)]).fetchone()
    else:
        row = con.execute(f"{_SELECT_FEEDS} WHERE url = ?", [url_or_id]).fetchone()
    return _feed(row) if row else None


def list_feeds(con: duckdb.DuckDBPyConnection) -> list[Feed]:
    return [_feed(row) for row in con.execute(f"{_SELECT_FEEDS} ORDER BY id").fetchall()]


def remove_feed(con: duckdb.DuckDBPyConnection, feed_id: int) -> None:
    """Stop following a feed. The documents and the record of the URLs collected from it stay."""
    con.execute("DELETE FROM feeds WHERE id = ?", [feed_id])


def due_feeds(con: duckdb.DuckDBPyConnection, now: datetime) -> list[Feed]:
    """The feeds to poll now, the longest overdue first."""
    return [_feed(row) for row in con.execute(
        f"{_SELECT_FEEDS} WHERE next_fetch_at IS NULL OR next_fetch_at <= ? ORDER BY next_fetch_at NULLS FIRST, id",
        [now]).fetchall()]


def next_due(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """When the next feed is due; None when no feed is followed."""
    row = con.execute("SELECT min(coalesce(next_fetch_at, added_at)) FROM feeds").fetchone()
    return row[0] if row else None


def retry_delay_s(every_s: float, consecutive_errors: int, max_backoff_s: float) -> float:
    """Seconds to the next poll: ``every_s`` after a success, doubled for each error in a row since,
    at most ``max_backoff_s`` (never less than ``every_s`` itself)."""
    if consecutive_errors <= 0:
        return every_s
    return max(every_s, min(every_s * 2.0 ** consecutive_errors, max_backoff_s))


def record_fetch(con: duckdb.DuckDBPyConnection, feed: Feed, outcome: FetchOutcome, now: datetime,
                 max_backoff_s: float) -> Feed:
    """Store a poll's outcome and schedule the next one (backing off after errors); the updated feed."""
    errors = feed.consecutive_errors + 1 if outcome.error else 0
    delay = 0.0 if outcome.error is None and not outcome.complete else retry_delay_s(feed.every_s, errors,
                                                                                     max_backoff_s)
    updated = replace(
        feed, kind=outcome.kind or feed.kind, last_fetch_at=now, next_fetch_at=now + timedelta(seconds=delay),
        last_status=outcome.status, consecutive_errors=errors,
        last_error=outcome.error or feed.last_error, last_error_at=now if outcome.error else feed.last_error_at)
    if outcome.error is None:  # a 304 keeps the validators it was asked with
        keep = outcome.complete
        updated = replace(updated, etag=outcome.etag or feed.etag if keep else None,
                          last_modified=outcome.last_modified or feed.last_modified if keep else None)
    con.execute(
        "UPDATE feeds SET kind = ?, etag = ?, last_modified = ?, last_fetch_at = ?, next_fetch_at = ?, "
        "last_status = ?, consecutive_errors = ?, last_error = ?, last_error_at = ? WHERE id = ?",
        [updated.kind, updated.etag, updated.last_modified, updated.last_fetch_at, updated.next_fetch_at,
         updated.last_status, updated.consecutive_errors, updated.last_error, updated.last_error_at, feed.id])
    return updated


# -- the URLs collected -----------------------------------------------------------------------------
def new_urls(con: duckdb.DuckDBPyConnection, urls: Sequence[str], max_attempts: int) -> list[str]:
    """The URLs of ``urls`` to fetch: never met, or failed fewer than ``max_attempts`` times; in order."""
    if not urls:
        return []
    done = {row[0] for row in con.execute(
        "SELECT url FROM collected_urls WHERE list_contains($1, url) AND (outcome <> $2 OR attempts >= $3)",
        [list(urls), ERROR, max_attempts]).fetchall()}
    return [url for url in urls if url not in done]


def known_documents(con: duckdb.DuckDBPyConnection, candidates: dict[str, str]) -> dict[str, str]:
    """Of ``candidates`` (URL -> the id its document would have), the URLs whose page is stored, with
    the stored document's id: recorded as collected with a document, stored under that URL, or under
    that id (``wirescope ingest URL`` of the same page)."""
    if not candidates:
        return {}
    urls, ids = list(candidates), list(candidates.values())
    found = dict(con.execute(
        "SELECT url, doc_id FROM collected_urls WHERE list_contains($1, url) AND doc_id IS NOT NULL",
        [urls]).fetchall())
    for doc_id, url in con.execute(
            "SELECT id, url FROM documents WHERE list_contains($1, id) OR list_contains($2, url)", [ids, urls]
    ).fetchall():
        for candidate, candidate_id in candidates.items():
            if candidate_id == doc_id or candidate == url:
                found.setdefault(candidate, doc_id)
    return found


def record_collected(con: duckdb.DuckDBPyConnection, rows: Iterable[CollectedUrl], now: datetime
                     ) -> list[CollectedUrl]:
    """Record what became of URLs; meant to run inside the transaction that stores their documents,
    before they are written (``Store.write_batch``'s ``within``).

    A row said STORED whose document is stored already, or comes twice in ``rows``, is recorded as
    a DUPLICATE of it. Returns the rows as recorded. A URL met again (a retried error) has its row
    updated and its attempts counted.
    """
    rows = list(rows)
    ids = [row.doc_id for row in rows if row.outcome == STORED and row.doc_id]
    stored = {r[0] for r in con.execute("SELECT id FROM documents WHERE list_contains($1, id)",
                                        [ids]).fetchall()} if ids else set()
    recorded = []
    collected: dict[int, int] = {}
    for row in rows:
        if row.outcome == STORED and row.doc_id in stored:
            row = replace(row, outcome=DUPLICATE, reason=row.reason or f"same page as document {row.doc_id}")
        if row.outcome == STORED and row.doc_id:
            stored.add(row.doc_id)
            if row.feed_id is not None:
                collected[row.feed_id] = collected.get(row.feed_id, 0) + 1
        _upsert_url(con, row, now)
        recorded.append(row)
    for feed_id, count in collected.items():
        con.execute("UPDATE feeds SET pages_collected = pages_collected + ? WHERE id = ?", [count, feed_id])
    return recorded


def _upsert_url(con: duckdb.DuckDBPyConnection, row: CollectedUrl, now: datetime) -> None:
    con.execute(
        "INSERT INTO collected_urls (url, feed_id, first_seen, last_tried, doc_id, outcome, reason) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET last_tried = excluded.last_tried, "
        "doc_id = excluded.doc_id, outcome = excluded.outcome, reason = excluded.reason, "
        "attempts = collected_urls.attempts + 1",
        [row.url, row.feed_id, now, now, row.doc_id, row.outcome, row.reason])
    for alias in row.aliases:
        if alias != row.url:  # another URL of the same page: it now has a document, even if it failed before
            con.execute(
                "INSERT INTO collected_urls (url, feed_id, first_seen, last_tried, doc_id, outcome, reason) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET last_tried = excluded.last_tried, "
                "doc_id = excluded.doc_id, outcome = excluded.outcome, reason = excluded.reason "
                "WHERE collected_urls.doc_id IS NULL",
                [alias, row.feed_id, now, now, row.doc_id, DUPLICATE, f"same page as {row.url}"])


def collected_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many URLs have each outcome."""
    return dict(con.execute("SELECT outcome, count(*) FROM collected_urls GROUP BY outcome").fetchall())
