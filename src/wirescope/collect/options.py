"""The collector's own settings (the pipeline's, such as the User-Agent, the size cap, the timeout and
the redirect limit, stay in ``wirescope.settings.Settings``)."""

from __future__ import annotations

from dataclasses import dataclass

HOUR = 3600.0


@dataclass(frozen=True)
class CollectOptions:
    # Politeness: seconds between the end of one request to a host and the start of the next (a
    # robots.txt Crawl-delay that asks for more is honoured, up to max_crawl_delay_s).
    host_delay_s: float = 1.0
    max_crawl_delay_s: float = 60.0
    robots_ttl_s: float = HOUR  # a host's robots.txt is fetched again after this
    # Retries of one request on a 5xx or 429 answer, a timeout or a network error: this many tries in
    # all, waiting retry_backoff_s, then twice that, and so on, in between.
    attempts: int = 3
    retry_backoff_s: float = 1.0
    # A feed that fails is polled again after its interval doubled per failure in a row, at most this.
    max_backoff_s: float = 6 * HOUR
    # Bounds of one round: articles fetched per feed (the rest wait for the next round, which comes
    # at once), items read from one feed document, sitemaps read from a sitemap index.
    max_pages_per_feed: int = 100
    max_items_per_feed: int = 1000
    max_sitemaps: int = 10
    # Pages fetched, then analysed and stored together (one transaction); smaller shows new
    # documents sooner, larger spends less on each transaction.
    batch_pages: int = 8
    # Rounds in which an article that failed (a server error, a page with no article) is tried again.
    page_attempts: int = 3
    # Between rounds the collector sleeps until the next feed is due, at least min_idle_s (so a feed
    # polled every 0 s cannot spin) and at most max_idle_s (so feeds added meanwhile are seen).
    min_idle_s: float = 1.0
    max_idle_s: float = 60.0
