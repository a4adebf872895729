"""``wirescope feeds add|list|remove`` (the feeds followed) and ``wirescope collect`` (the standalone
collector): thin commands over ``wirescope.storage.feeds`` and ``wirescope.collect``, registered on the
app by ``register``."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from datetime import datetime
from types import FrameType
from typing import Annotated, Any

import typer
from rich.table import Table

from wirescope.cli.commands import (
    EXIT_PAGE_FAILED,
    EXIT_USAGE,
    _open_store,
    _print_error,
    _print_failures,
    _print_json_lines,
    console,
    err_console,
)
from wirescope.cli.options import (
    DEFAULT_DB,
    DEFAULT_MAX_MB,
    DEFAULTS,
    BatchOption,
    DbOption,
    FastBiasOption,
    MaxMbOption,
    PageTimeoutOption,
    RulesEventsOption,
    TimeoutOption,
    WorkersOption,
    settings_from_flags,
)
from wirescope.cli.text import add_plain_row, markup_safe, plain
from wirescope.collect.options import CollectOptions
from wirescope.errors import StoreError
from wirescope.storage import feeds as db

# The default poll interval of a feed: a quarter of an hour, as news feeds are usually refreshed.
DEFAULT_EVERY_S = 900
COLLECT_DEFAULTS = CollectOptions()
KINDS = ("auto", *db.FEED_KINDS)

feeds_app = typer.Typer(help="The feeds and news sitemaps `wirescope collect` follows.", no_args_is_help=True)


def _feed_url(url: str) -> str:
    """The feed URL as stored (normalised), or a usage error saying what is wrong with it."""
    from wirescope.collect.urls import normalise_url  # courlan: not loaded for `wirescope --help`

    found = normalise_url(url)
    if found is None:
        _print_error(f"not an http:// or https:// URL with a host: {url!r}")
        raise typer.Exit(EXIT_USAGE)
    return found


@feeds_app.command("add")
def add(
    url: Annotated[str, typer.Argument(help="The RSS/Atom feed's or the (news) sitemap's URL.")],
    db_path: DbOption = DEFAULT_DB,
    outlet: Annotated[str | None, typer.Option(
        "--outlet", help="The outlet its articles are stored under (default: what each page or sitemap says).")] = None,
    every: Annotated[float, typer.Option(
        "--every", min=1, help="Seconds between two polls of the feed (doubled after each failure in a row, "
                               "up to 6 hours).")] = DEFAULT_EVERY_S,
    kind: Annotated[str, typer.Option(
        "--kind", help="feed (RSS/Atom), sitemap, or auto: told from the document on the first poll.")] = "auto",
) -> None:
    """Follow a feed or news sitemap: `wirescope collect` polls it and ingests its new articles."""
    if kind not in KINDS:
        _print_error(f"--kind takes one of {', '.join(KINDS)}, not {kind!r}")
        raise typer.Exit(EXIT_USAGE)
    feed_url = _feed_url(url)
    from wirescope.storage.remote import is_remote  # pyarrow, httpx: not for `wirescope --help`

    with _open_store(db_path, read_only=False, store_batches=True) as store:
        if is_remote(store):  # a running `wirescope serve` holds the file: it adds the feed
            added = _through_server(store, "POST", "/feeds", {"url": feed_url, "outlet": outlet, "every_s": every,
                                                              "kind": None if kind == "auto" else kind})
            feed_id, shown_url, every_s = added["id"], added["url"], added["every_s"]
        else:
            try:
                feed = db.add_feed(store.con, feed_url, outlet, None if kind == "auto" else kind, every,
                                   db.utc_now())
            except db.FeedExists as error:
                _print_error(f"{error}: remove it first (`wirescope feeds remove {error.feed.id}`) to change it")
                raise typer.Exit(EXIT_USAGE) from error
            feed_id, shown_url, every_s = feed.id, feed.url, feed.every_s
    console.print(f"following feed {feed_id}: {markup_safe(shown_url)} every {every_s:g} s "
                  f"(collected by `wirescope collect --db {markup_safe(db_path)}`, or `wirescope serve --collect`)",
                  highlight=False, soft_wrap=True)


def _through_server(store: Any, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """A feeds route of the server holding the database; its refusal (e.g. a feed followed already)
    as a usage error."""
    try:
        return store.con.call(method, path, body)
    except StoreError as error:
        _print_error(str(error))
        raise typer.Exit(EXIT_USAGE) from error


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "never"


def _last_error(feed: db.Feed) -> str:
    if not feed.last_error:
        return ""
    state = f"{feed.consecutive_errors} in a row" if feed.consecutive_errors else "recovered since"
    return f"{_when(feed.last_error_at)}: {feed.last_error} ({state})"


def feeds_table(feeds: list[db.Feed], title: str) -> Table:
    table = Table(title=plain(title), title_justify="left")
    for name in ("id", "url", "outlet", "last fetch", "next fetch", "pages", "last error"):
        table.add_column(name, justify="right" if name in ("id", "pages") else "left",
                         overflow="fold" if name == "url" else "ellipsis")
    for feed in feeds:
        last = f"{_when(feed.last_fetch_at)} ({feed.last_status})" if feed.last_status else _when(feed.last_fetch_at)
        add_plain_row(table, feed.id, feed.url, feed.outlet or "", last, _when(feed.next_fetch_at),
                      feed.pages_collected, _last_error(feed))
    return table


@feeds_app.command("list")
def list_command(
    db_path: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option(
        "--json", help="One JSON object per feed: its polling state (times in UTC) and pages collected.")] = False,
) -> None:
    """List the feeds followed: last and next fetch, pages collected, the last error and its reason."""
    with _open_store(db_path) as store:
        feeds = db.list_feeds(store.con)
    if as_json:
        _print_json_lines(feed.to_dict() for feed in feeds)
    elif not feeds:
        console.print(f"No feeds followed in {markup_safe(db_path)}: add one with `wirescope feeds add URL`.")
    else:
        console.print(feeds_table(feeds, f"{len(feeds)} feeds in {db_path} (times in UTC)"))


@feeds_app.command("remove")
def remove(
    feed: Annotated[str, typer.Argument(help="The feed's id (see `wirescope feeds list`) or its URL.")],
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Stop following a feed; the documents collected from it stay."""
    key = feed if feed.strip().isdigit() else _feed_url(feed)
    from wirescope.storage.remote import is_remote  # pyarrow, httpx: not for `wirescope --help`

    with _open_store(db_path, read_only=False, store_batches=True) as store:
        found = db.find_feed(store.con, key.strip())
        if found is None:
            _print_error(f"no feed {feed!r} in {db_path} (see `wirescope feeds list`)")
            raise typer.Exit(EXIT_PAGE_FAILED)
        if is_remote(store):  # a running `wirescope serve` holds the file: it drops the feed
            _through_server(store, "DELETE", f"/feeds/{found.id}")
        else:
            db.remove_feed(store.con, found.id)
    console.print(f"no longer following feed {found.id}: {markup_safe(found.url)}", highlight=False, soft_wrap=True)


def _stop_on_signals(stop: threading.Event) -> Callable[[], None]:
    """Ctrl+C (or SIGTERM) asks the collector to stop after the batch in hand; a second Ctrl+C
    stops at once. Returns what puts the previous handlers back."""

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        err_console.print("stopping after the batch in hand (Ctrl+C again to stop at once)")

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)

    return restore


def collect(
    db_path: DbOption = DEFAULT_DB,
    once: Annotated[bool, typer.Option("--once", help="One round over the due feeds, then exit.")] = False,
    rounds: Annotated[int | None, typer.Option(
        "--rounds", min=1, help="Stop after this many rounds (default: run until Ctrl+C).")] = None,
    delay: Annotated[float, typer.Option(
        "--delay", min=0, help="Seconds between two requests to one host (more when its robots.txt asks).")
    ] = COLLECT_DEFAULTS.host_delay_s,
    workers: WorkersOption = DEFAULTS.workers,
    batch_size: BatchOption = COLLECT_DEFAULTS.batch_pages,
    max_mb: MaxMbOption = DEFAULT_MAX_MB,
    timeout: TimeoutOption = DEFAULTS.timeout_s,
    fast_bias: FastBiasOption = not DEFAULTS.contextual_bias,
    rules_events: RulesEventsOption = False,
    page_timeout: PageTimeoutOption = DEFAULTS.page_timeout_s,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No line per round.")] = False,
) -> None:
    """Poll the feeds followed and ingest their new articles, round after round until Ctrl+C."""
    from wirescope.collect import CollectReport, run_collector, store_access

    settings = settings_from_flags(workers, None, max_mb, timeout, fast_bias=fast_bias, rules_events=rules_events,
                                   page_timeout=page_timeout)
    options = CollectOptions(host_delay_s=delay, batch_pages=batch_size)
    failed = False

    def on_round(report: CollectReport) -> None:
        nonlocal failed
        failed = failed or bool(report.failed or report.errors or report.error)
        if not quiet:
            err_console.print(f"round: {markup_safe(report.summary())}", highlight=False, soft_wrap=True)
        for failure in report.failed:
            err_console.print(f"  feed {failure.feed_id} {markup_safe(failure.url)}  [red]failed[/red]  "
                              f"{markup_safe(failure.reason)}", highlight=False, soft_wrap=True)
        if report.errors:
            _print_failures(report.errors)
        if report.error:
            _print_error(f"the round broke off: {report.error}")

    stop = threading.Event()
    with _open_store(db_path, read_only=False) as store:
        if not db.list_feeds(store.con):
            _print_error(f"no feeds followed in {db_path}: add one with `wirescope feeds add URL --db {db_path}`")
            raise typer.Exit(EXIT_USAGE)
        restore = _stop_on_signals(stop)
        try:
            run_collector(store_access(store), settings, options, stop, 1 if once else rounds, on_round)
        finally:
            restore()
    if failed:
        raise typer.Exit(EXIT_PAGE_FAILED)


def register(app: typer.Typer) -> None:
    app.add_typer(feeds_app, name="feeds")
    app.command("collect")(collect)
