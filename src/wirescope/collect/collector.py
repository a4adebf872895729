"""The collector: rounds over the due feeds, new articles fetched, analysed and stored.

One round:

1. poll every due feed (conditional GET; a 304 means nothing new) and read its items;
2. normalise their URLs, leave out non-articles and the URLs already collected (``collected_urls``);
3. fetch the new articles, several hosts in turn, each at its own polite pace (``fetch``), a batch
   (``CollectOptions.batch_pages``) at a time;
4. drop the pages that are stored already under another URL (their redirect target or canonical
   link names a page collected before), analyse the rest (``wirescope.pipeline.analyze_pages``:
   worker processes, a time budget per page), and store them with ``store_analyses`` (stories
   grouped) together with the record of every URL of the batch, in one transaction;
5. once all of a feed's new items are dealt with, store the feed's new state (validators, the
   time of its next poll).

A killed collector loses nothing and stores nothing twice: a URL is recorded as collected in the
transaction that stores its document, and a feed's validators only after its items are all recorded,
so a restart polls the feed again in full and fetches exactly the URLs not recorded.

The database is reached only through ``access`` (see ``StoreAccess``), for short reads and one
transaction per batch, never while fetching or analysing: standalone it is the one Store the command
opened; inside ``wirescope serve`` it takes the server's write lock and a cursor.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace

from wirescope.collect.fetch import PoliteFetcher, Stopped
from wirescope.collect.items import Item, Listing, NotAFeed, gunzipped, parse_listing
from wirescope.collect.options import CollectOptions
from wirescope.collect.urls import canonical_url, host_key, normalise_url, not_article_reason
from wirescope.errors import PageError
from wirescope.io.readers import HttpAnswer, answer_page, http_status
from wirescope.pipeline import analyze_pages
from wirescope.prepare import document_id
from wirescope.records import Analysis, RawPage
from wirescope.settings import Settings
from wirescope.storage import feeds as db
from wirescope.storage.outlet_places import outlet_countries
from wirescope.storage.store import Store
from wirescope.stories.assign import assign_stories
from wirescope.stories.intake import store_analyses

log = logging.getLogger("wirescope.collect")

# Gives the Store to use for one short read or one write transaction, as a context manager: the
# collector enters it, runs its queries and leaves it at once.
StoreAccess = Callable[[], AbstractContextManager[Store]]


def store_access(store: Store) -> StoreAccess:
    """Access to one Store the caller opened read-write and owns (the standalone collector)."""
    return lambda: nullcontext(store)


@dataclass(frozen=True)
class FeedFailure:
    feed_id: int
    url: str
    reason: str


@dataclass
class CollectReport:
    """What one round did."""

    feeds_polled: int = 0
    not_modified: int = 0  # answered 304
    failed: list[FeedFailure] = field(default_factory=list)  # feeds that failed, with the reasons
    pages_fetched: int = 0  # article pages downloaded
    stored: int = 0  # new documents
    duplicates: int = 0  # pages found to be a document stored already (another URL of it)
    errors: list[PageError] = field(default_factory=list)  # pages that failed (stored as ingest errors)
    skipped_robots: int = 0
    not_articles: int = 0  # URLs left out as no article (courlan's filters)
    stopped: bool = False  # the round was cut short by the stop event
    error: str | None = None  # why the round broke off (run_collector goes on with the next one)
    seconds: float = 0.0

    def summary(self) -> str:
        text = (f"{self.feeds_polled} feed(s) polled, {self.not_modified} not modified, {len(self.failed)} failed; "
                f"{self.pages_fetched} page(s) fetched, {self.stored} stored, {self.duplicates} duplicate(s), "
                f"{len(self.errors)} failed, {self.skipped_robots} disallowed by robots.txt; {self.seconds:.1f} s")
        return text + (" (stopped)" if self.stopped else "")


@dataclass(frozen=True)
class _Refused:
    """Why a feed document could not be read, and the HTTP status when one came."""

    reason: str
    status: int | None = None


@dataclass
class _Poll:
    """A feed read, and how many of its new items are still to be dealt with this round."""

    feed: db.Feed
    outcome: db.FetchOutcome
    items: list[Item]
    pending: int = 0


@dataclass
class _Article:
    """A new article URL and what fetching it gave."""

    url: str  # normalised
    item: Item
    poll: _Poll
    page: RawPage | None = None
    error: PageError | None = None
    skipped: str | None = None  # why robots.txt kept it out
    aliases: tuple[str, ...] = ()  # its redirect target and canonical URL, when other than url
    duplicate_of: str | None = None


class Collector:
    """The state a collector keeps between rounds: its HTTP client, the hosts' turns and robots rules."""

    def __init__(self, access: StoreAccess, settings: Settings, options: CollectOptions | None = None,
                 stop: threading.Event | None = None) -> None:
        self.access = access
        # Collected pages are new by construction: a page stored already is never replaced.
        self.settings = replace(settings, reanalyse=False)
        self.options = options or CollectOptions()
        self.stop = stop or threading.Event()
        self.fetcher = PoliteFetcher(self.settings, self.options, self.stop)

    def __enter__(self) -> Collector:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.fetcher.close()

    def recover(self) -> None:
        """Put into stories the documents a killed run stored without grouping them."""
        with self.access() as store:
            assign_stories(store, settings=self.settings.stories)

    def idle_s(self) -> float:
        """Seconds until the next feed is due, within the options' bounds."""
        with self.access() as store:
            due = db.next_due(store.con)
        wait = (due - db.utc_now()).total_seconds() if due is not None else self.options.max_idle_s
        return min(max(wait, self.options.min_idle_s), self.options.max_idle_s)

    # -- a round -----------------------------------------------------------------------------------
    def round(self) -> CollectReport:
        """Poll the due feeds and collect their new articles."""
        started = time.monotonic()
        report = CollectReport()
        with self.access() as store:
            due = db.due_feeds(store.con, db.utc_now())
        try:
            polls = [poll for feed in due if (poll := self._poll(feed, report)) is not None]
            self._collect(self._new_articles(polls, report), report)
        except Stopped:
            report.stopped = True
        report.stopped = report.stopped or self.stop.is_set()
        report.seconds = time.monotonic() - started
        return report

    def _poll(self, feed: db.Feed, report: CollectReport) -> _Poll | None:
        """Read a feed; a failure or a 304 is recorded at once (None), else its items come back."""
        if self.stop.is_set():
            raise Stopped
        report.feeds_polled += 1
        headers = {name: value for name, value in (("If-None-Match", feed.etag),
                                                   ("If-Modified-Since", feed.last_modified)) if value}
        answer = self._read(feed.url, headers)
        if isinstance(answer, _Refused):
            self._record(feed, db.FetchOutcome(answer.status, error=answer.reason))
            report.failed.append(FeedFailure(feed.id, feed.url, answer.reason))
            return None
        if answer.status == 304:
            self._record(feed, db.FetchOutcome(304))
            report.not_modified += 1
            return None
        outcome = db.FetchOutcome(answer.status, etag=answer.headers.get("ETag"),
                                  last_modified=answer.headers.get("Last-Modified"))
        try:
            listing = self._listing(feed, answer)
        except NotAFeed as error:
            self._record(feed, db.FetchOutcome(answer.status, error=str(error)))
            report.failed.append(FeedFailure(feed.id, feed.url, str(error)))
            return None
        return _Poll(feed, replace(outcome, kind=listing.kind), listing.items)

    def _read(self, url: str, headers: dict[str, str] | None = None) -> HttpAnswer | _Refused:
        """A feed document's answer (a 2xx or 304), or why there is none."""
        refused = self.fetcher.allowed(url)
        if refused is not None:
            return _Refused(refused)
        answer, tries = self.fetcher.get(url, headers)
        after = f" (after {tries} tries)" if tries > 1 else ""
        if isinstance(answer, PageError):
            return _Refused(answer.reason + after)
        if answer.status >= 400 or (answer.status >= 300 and answer.status != 304):
            return _Refused(f"server answered {http_status(answer)}{after}", answer.status)
        return answer

    def _listing(self, feed: db.Feed, answer: HttpAnswer) -> Listing:
        """The items of a feed document; for a sitemap index, those of the sitemaps it names."""
        read = self.options.max_items_per_feed
        listing = parse_listing(gunzipped(answer.data, self.settings.max_bytes), answer.url, feed.kind, read)
        for child in listing.children[: self.options.max_sitemaps]:  # one level down only
            child_answer = self._read(child)
            if isinstance(child_answer, _Refused):
                raise NotAFeed(f"sitemap {child} of the index: {child_answer.reason}")
            found = parse_listing(gunzipped(child_answer.data, self.settings.max_bytes), child_answer.url,
                                  "sitemap", read)
            listing.items.extend(found.items)
        return listing

    def _record(self, feed: db.Feed, outcome: db.FetchOutcome) -> None:
        with self.access() as store:
            db.record_fetch(store.con, feed, outcome, db.utc_now(), self.options.max_backoff_s)
        if outcome.error:  # the report says it too; the log is for a server's operator
            log.info("feed %s failed: %s", feed.url, outcome.error)

    def _new_articles(self, polls: list[_Poll], report: CollectReport) -> list[_Article]:
        """The articles of these feeds not collected yet, at most ``max_pages_per_feed`` per feed;
        a feed with none left is recorded at once."""
        found: dict[str, _Article] = {}
        for poll in polls:
            for item in poll.items:
                url = normalise_url(item.url)
                if url is None or url in found:  # two feeds listing one article: the first one has it
                    continue
                if not_article_reason(url):
                    report.not_articles += 1
                    continue
                found[url] = _Article(url, item, poll)
        with self.access() as store:
            fresh = db.new_urls(store.con, list(found), self.options.page_attempts)
        articles = []
        for url in fresh:
            article = found[url]
            if article.poll.pending >= self.options.max_pages_per_feed:
                article.poll.outcome = replace(article.poll.outcome, complete=False)  # the rest next round
                continue
            article.poll.pending += 1
            articles.append(article)
        for poll in polls:
            if not poll.pending:
                self._record(poll.feed, poll.outcome)
        return articles

    def _collect(self, articles: list[_Article], report: CollectReport) -> None:
        """Fetch, analyse and store the articles a batch at a time, the hosts in turn."""
        batch: list[_Article] = []
        # Taken one at a time, so that each choice of host sees the turns the fetches before it set.
        for article in _host_order(articles, self.fetcher):
            self._fetch(article)
            report.pages_fetched += article.page is not None
            batch.append(article)
            if len(batch) >= self.options.batch_pages:
                self._store(batch, report)
                batch = []
        if batch:
            self._store(batch, report)

    def _fetch(self, article: _Article) -> None:
        article.skipped = self.fetcher.allowed(article.url)
        if article.skipped is not None:
            return
        answer, _ = self.fetcher.get(article.url)
        page = answer if isinstance(answer, PageError) else answer_page(article.url, answer)
        if isinstance(page, PageError):
            article.error = page
            return
        final = normalise_url(page.url or article.url) or article.url
        canonical = canonical_url(page.data, final) if page.content_type == "html" else None
        doc_url = canonical or final
        article.aliases = tuple(dict.fromkeys(u for u in (final, canonical) if u and u != article.url))
        outlet = article.poll.feed.outlet or article.item.outlet
        article.page = replace(page, url=doc_url, outlet=outlet or page.outlet, title=article.item.title,
                               published=article.item.published)

    def _store(self, batch: list[_Article], report: CollectReport) -> None:
        """Analyse the batch's new pages and store them with the record of every URL of the batch."""
        if self.stop.is_set():
            raise Stopped  # fetched, not stored: fetched again by the next run
        fetched = [a for a in batch if a.page is not None]
        with self.access() as store:
            known = db.known_documents(store.con, {url: document_id(url, "") for a in fetched
                                                   for url in (_doc_url(a), *a.aliases)})
            # each outlet's home country from what is stored so far (one query over the stored places)
            settings = replace(self.settings, outlet_countries=outlet_countries(store.con))
        _mark_duplicates(fetched, known)
        pages = [a.page for a in fetched if a.page is not None and a.duplicate_of is None]
        results = {r.source if isinstance(r, PageError) else r.document.source or "": r
                   for r in analyze_pages(pages, settings)}
        rows, analyses, errors = _outcomes(batch, results)
        recorded: list[db.CollectedUrl] = []
        with self.access() as store:
            store_analyses(store, analyses, errors, self.settings,
                           within=lambda con: recorded.extend(db.record_collected(con, rows, db.utc_now())))
        _count(recorded, errors, report)
        for article in batch:
            article.poll.pending -= 1
            if not article.poll.pending:
                self._record(article.poll.feed, article.poll.outcome)


def _host_order(articles: list[_Article], fetcher: PoliteFetcher) -> Iterator[_Article]:
    """The articles in the order to fetch them: always from the host whose turn comes first, so that
    one slow or distant host does not hold up the others."""
    queues: dict[str, deque[_Article]] = {}
    for article in articles:
        queues.setdefault(host_key(article.url), deque()).append(article)
    while queues:
        host = min(queues, key=lambda h: fetcher.ready_at(queues[h][0].url))
        yield queues[host].popleft()
        if not queues[host]:
            del queues[host]


def _doc_url(article: _Article) -> str:
    """The URL the article's document is stored under: its canonical URL, else where it was found."""
    return article.page.url or article.url if article.page is not None else article.url


def _mark_duplicates(fetched: list[_Article], known: dict[str, str]) -> None:
    """Mark the pages stored already (under any of their URLs), and the second of two pages of the
    batch that are one page (one canonical URL)."""
    claimed: set[str] = set()
    for article in fetched:
        doc_url = _doc_url(article)
        article.duplicate_of = next((known[u] for u in (doc_url, *article.aliases) if u in known), None)
        doc_id = document_id(doc_url, "")
        if article.duplicate_of is None and doc_id in claimed:
            article.duplicate_of = doc_id
        claimed.add(doc_id)


def _outcomes(batch: list[_Article], results: dict[str, Analysis | PageError]
              ) -> tuple[list[db.CollectedUrl], list[Analysis], list[PageError]]:
    """The record of every URL of the batch, the analyses to store and the failures to record."""
    rows: list[db.CollectedUrl] = []
    analyses: list[Analysis] = []
    errors: list[PageError] = []
    for article in batch:
        feed_id = article.poll.feed.id
        result = results.get(article.url)
        if article.skipped is not None:
            rows.append(db.CollectedUrl(article.url, feed_id, db.SKIPPED_ROBOTS, reason=article.skipped))
        elif article.duplicate_of is not None:
            rows.append(db.CollectedUrl(article.url, feed_id, db.DUPLICATE, article.duplicate_of,
                                        f"same page as document {article.duplicate_of}", article.aliases))
        elif isinstance(result, Analysis):
            analyses.append(result)
            rows.append(db.CollectedUrl(article.url, feed_id, db.STORED, result.document.id, aliases=article.aliases))
        else:
            error = article.error or result or PageError(article.url, "no analysis came back", kind="internal")
            errors.append(error)
            rows.append(db.CollectedUrl(article.url, feed_id, db.ERROR, reason=f"{error.kind}: {error.reason}"))
    return rows, analyses, errors


def _count(recorded: list[db.CollectedUrl], errors: list[PageError], report: CollectReport) -> None:
    for row in recorded:
        report.stored += row.outcome == db.STORED
        report.duplicates += row.outcome == db.DUPLICATE
        report.skipped_robots += row.outcome == db.SKIPPED_ROBOTS
    report.errors.extend(errors)


# -- the API ----------------------------------------------------------------------------------------
def collect_once(access: StoreAccess, settings: Settings, options: CollectOptions | None = None,
                 stop: threading.Event | None = None) -> CollectReport:
    """One round over the feeds due now."""
    with Collector(access, settings, options, stop) as collector:
        collector.recover()
        return collector.round()


def run_collector(access: StoreAccess, settings: Settings, options: CollectOptions | None = None,
                  stop: threading.Event | None = None, max_rounds: int | None = None,
                  on_round: Callable[[CollectReport], None] | None = None) -> int:
    """Collect round after round until ``stop`` is set (or ``max_rounds`` rounds ran), sleeping
    until the next feed is due; the number of rounds run.

    A round that breaks off on an unexpected error (the database, a worker that cannot start) is
    reported with the error (``CollectReport.error``) and the next round follows as usual: a server
    that collects for weeks must not stop collecting over one bad moment.
    """
    stop = stop or threading.Event()
    rounds = 0
    with Collector(access, settings, options, stop) as collector:
        collector.recover()
        while not stop.is_set() and (max_rounds is None or rounds < max_rounds):
            try:
                report = collector.round()
            except Exception as error:  # noqa: BLE001 - reported, and the collector goes on (docstring)
                log.exception("collection round failed")
                report = CollectReport(error=f"{type(error).__name__}: {error}")
            rounds += 1
            if on_round is not None:
                on_round(report)
            if max_rounds is not None and rounds >= max_rounds:
                break
            stop.wait(collector.idle_s())
    return rounds
