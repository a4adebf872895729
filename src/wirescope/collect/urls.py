"""Article URLs: one spelling per page, non-articles left out, and the page's own canonical URL.

Normalisation and filtering are courlan's (trafilatura's URL library): scheme and host lowercased, a
default port dropped, query parameters sorted with tracking ones removed (``utm_*``, ``fbclid``,
``gclid``, ``ref``...), and URLs it can tell are no article (images, feeds, tag and category pages,
login pages, home pages) skipped. courlan's own ``check_url`` also refuses IP addresses with a port and
``localhost``, which a user may well follow (a newsroom's intranet, the tests' local server), so its
filters are called one by one instead.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import lxml.html
from courlan.clean import normalize_url, scrub_url
from courlan.filters import extension_filter, path_filter, type_filter, validate_url
from lxml.etree import ParserError

# The canonical link sits in the page's head: only this much of a page is parsed to find it.
HEAD_BYTES = 256 * 1024


def normalise_url(url: str, base: str | None = None) -> str | None:
    """The one spelling of an http(s) URL (relative to ``base`` when given), fragment dropped; None
    for what is not one."""
    try:
        absolute = urljoin(base, url.strip()) if base else url.strip()
        valid, parsed = validate_url(scrub_url(absolute))
        if not valid or parsed is None or not parsed.hostname:
            return None
        return normalize_url(parsed._replace(fragment=""), strict=False)
    except ValueError:  # a malformed port or IPv6 literal
        return None


def not_article_reason(url: str) -> str | None:
    """Why a (normalised) URL is not fetched as an article; None when it may be one."""
    parts = urlsplit(url)
    if parts.path in ("", "/") and not parts.query:
        return "a site's home page, not an article"
    if not extension_filter(parts.path) or not type_filter(url, strict=True):
        return "not an article page (a file, a feed, or a tag, category, author or archive page)"
    if not path_filter(parts.path, parts.query):
        return "not an article page (an index, contact or login page)"
    return None


def host_key(url: str) -> str:
    """The host a politeness rule applies to: ``host:port`` (robots.txt is per scheme, host and port)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _bare_host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def canonical_url(data: bytes | str, page_url: str) -> str | None:
    """The normalised URL a page's ``<link rel="canonical">`` names, when it is on the page's own site.

    A canonical link to another site is ignored: a page must not be able to claim, and so hide,
    another outlet's article.
    """
    head = (data.encode("utf-8") if isinstance(data, str) else data)[:HEAD_BYTES]
    end = head.lower().find(b"</head>")
    try:
        root = lxml.html.document_fromstring(head[: end + 7] if end >= 0 else head)
    except (ParserError, ValueError):
        return None
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = link.get("href")
        if "canonical" in rel and href:
            found = normalise_url(href, page_url)
            return found if found and _bare_host(found) == _bare_host(page_url) else None
    return None
