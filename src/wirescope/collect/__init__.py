"""Collection: following RSS/Atom feeds and news sitemaps, and ingesting the articles they list.

This package owns what happens between a feed's URL and a stored document: reading feeds and
sitemaps (``items``), one spelling per article URL and the non-articles left out (``urls``), polite
fetching (``fetch``: robots.txt, a pause per host, retries with backoff, conditional requests) and the
rounds that fetch, analyse and store new articles (``collector``). The database side (the ``feeds``
and ``collected_urls`` tables) is ``wirescope.storage.feeds``; analysing is ``wirescope.pipeline``'s and
storing ``wirescope.stories.intake``'s, as for ``wirescope ingest``.

The collector runs standalone (``wirescope collect``) or inside a server: it reaches the database
only through a ``StoreAccess`` (a callable giving a context manager that yields a Store), entered for
a short read or one write transaction and left at once, never while fetching or analysing.

    from wirescope.collect import collect_once, run_collector, store_access
    with Store("news.duckdb") as store:
        report = collect_once(store_access(store), Settings())
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wirescope.collect.options import CollectOptions

if TYPE_CHECKING:
    from wirescope.collect.collector import (
        CollectReport,
        FeedFailure,
        StoreAccess,
        collect_once,
        run_collector,
        store_access,
    )

__all__ = ["CollectOptions", "CollectReport", "FeedFailure", "StoreAccess", "collect_once", "run_collector",
           "store_access"]


def __getattr__(name: str) -> Any:
    # The collector imports the pipeline, and so spaCy (about a second): loaded on first use, so that
    # `wirescope --help` and `wirescope feeds list` do not pay for it.
    if name in __all__:
        from wirescope.collect import collector

        return getattr(collector, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
