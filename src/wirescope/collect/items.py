"""What a feed lists: RSS and Atom feeds (feedparser) and sitemaps (lxml) into items.

A sitemap is a news sitemap (``<urlset>`` with ``news:`` titles, dates and publication names) or a
plain one, or a sitemap index (``<sitemapindex>``) naming other sitemaps; ``parse_listing`` says
which it was given and the collector fetches the sitemaps an index names (``children``), newest first
and a bounded number of them, one level down only.
"""

from __future__ import annotations

import gzip
import io
import re
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser
from lxml import etree

_SITEMAP_ROOT = re.compile(rb"<(?:[\w-]+:)?(urlset|sitemapindex)[\s>]")
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Item:
    """One article a feed lists: its URL as listed (absolute) and what the feed says of it."""

    url: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None  # a news sitemap's publication name


@dataclass
class Listing:
    """What one feed document lists: articles, and for a sitemap index the sitemaps it names."""

    kind: str  # 'feed' | 'sitemap'
    items: list[Item] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # sitemaps named by an index, newest first


class NotAFeed(ValueError):
    """The document is neither an RSS/Atom feed nor a sitemap."""


def sniff_kind(data: bytes) -> str:
    """'sitemap' for a sitemap or sitemap index, else 'feed'."""
    return "sitemap" if _SITEMAP_ROOT.search(data[:4096]) else "feed"


def gunzipped(data: bytes, max_bytes: int) -> bytes:
    """A gzipped sitemap (``sitemap.xml.gz``) decompressed, at most ``max_bytes``; other data as is."""
    if not data.startswith(_GZIP_MAGIC):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise NotAFeed(f"not a valid gzip file: {error}") from error
    if len(out) > max_bytes:
        raise NotAFeed(f"decompressed, it is larger than the limit of {max_bytes:,} bytes")
    return out


def parse_listing(data: bytes, url: str, kind: str | None, max_items: int) -> Listing:
    """The items of a feed document fetched from ``url`` (relative links resolved against it).

    ``kind`` None: told from the document. Raises NotAFeed for anything else (an HTML page, garbage).
    """
    kind = kind or sniff_kind(data)
    return parse_sitemap(data, url, max_items) if kind == "sitemap" else parse_feed(data, url, max_items)


def parse_feed(data: bytes, url: str, max_items: int) -> Listing:
    """An RSS or Atom feed's entries, as listed (feeds list the newest first)."""
    parsed = feedparser.parse(data, response_headers={"content-location": url})
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise NotAFeed("not an RSS or Atom feed, nor a sitemap" + (f" ({problem})" if problem else ""))
    items = []
    for entry in parsed.entries[:max_items]:
        link = entry.get("link") or _alternate_link(entry)
        if link:
            items.append(Item(urljoin(url, link.strip()), _text(entry.get("title")), _entry_date(entry)))
    return Listing("feed", items)


def _alternate_link(entry: Any) -> str | None:
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    return None


def _text(value: Any) -> str | None:
    """Text with its runs of whitespace made one space; None for none."""
    if not value:
        return None
    return " ".join(str(value).split()) or None


def _entry_date(entry: Any) -> str | None:
    """The entry's publication (or else update) time as ISO 8601 in UTC."""
    moment: time.struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    if moment is None:
        return _text(entry.get("published") or entry.get("updated"))
    return datetime(*moment[:6], tzinfo=UTC).isoformat()


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, recover=False)


def parse_sitemap(data: bytes, url: str, max_items: int) -> Listing:
    """A sitemap's pages (news sitemap fields when present), or a sitemap index's sitemaps; the newest
    first when they are dated."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise NotAFeed(f"not a valid sitemap: {error}") from error
    name = etree.QName(root).localname
    entries = [{etree.QName(node).localname: node for node in element.iter() if isinstance(node.tag, str)}
               for element in root if isinstance(element.tag, str)]
    if name == "sitemapindex":
        children = [(_node_text(e.get("lastmod")) or "", urljoin(url, _node_text(e.get("loc")) or ""))
                    for e in entries if _node_text(e.get("loc"))]
        children.sort(key=lambda pair: pair[0], reverse=True)
        return Listing("sitemap", children=[child for _, child in children])
    if name != "urlset":
        raise NotAFeed(f"not a sitemap: its root element is <{name}>, not <urlset> or <sitemapindex>")
    items = [Item(urljoin(url, loc), _node_text(e.get("title")),
                  _node_text(e.get("publication_date")) or _node_text(e.get("lastmod")), _node_text(e.get("name")))
             for e in entries if (loc := _node_text(e.get("loc")))]
    items.sort(key=lambda item: item.published or "", reverse=True)
    return Listing("sitemap", items[:max_items])


def _node_text(node: Any) -> str | None:
    return _text(node.text) if node is not None else None
