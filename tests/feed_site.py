"""A fictional web site on 127.0.0.1 for the collector's tests (tests/test_collect.py,
tests/test_serve_collect.py): routes that change during a test, every request logged with its
headers and arrival time, and project-written feeds, sitemaps and article pages."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


# --- a fictional web site on 127.0.0.1 --------------------------------------------------------------
@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    path: str  # as requested, query included
    headers: dict[str, str]
    at: float  # time.monotonic() when the request arrived


class Site:
    """One host: routes by path (the query is ignored for the lookup, kept in the log), each request
    logged with its headers and arrival time; every response waits ``delay_s`` (a slow host)."""

    def __init__(self, delay_s: float = 0.0) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.delay_s = delay_s
        self.on_hit: Callable[[Hit], None] | None = None
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                hit = Hit(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
                site.hits.append(hit)
                if site.on_hit is not None:
                    site.on_hit(hit)
                time.sleep(site.delay_s)
                site.answer(self, site.routes.get(urlsplit(self.path).path))

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, handler: BaseHTTPRequestHandler, route: Route | None) -> None:
        if route is None:
            route = Route(b"not here", 404, "text/plain")
        conditional = ((route.etag and handler.headers.get("If-None-Match") == route.etag)
                       or (route.last_modified and handler.headers.get("If-Modified-Since") == route.last_modified))
        status = 304 if conditional and route.status == 200 else route.status
        handler.send_response(status)
        headers = {"Content-Type": route.content_type, **route.headers}
        headers.update({k: v for k, v in (("ETag", route.etag), ("Last-Modified", route.last_modified)) if v})
        body = b"" if status == 304 else route.body
        headers["Content-Length"] = str(len(body))
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    def url(self, path: str) -> str:
        return self.base + path

    def requested(self, path: str) -> list[Hit]:
        """The requests for ``path`` (whatever their query)."""
        return [hit for hit in self.hits if urlsplit(hit.path).path == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- fictional content --------------------------------------------------------------------------------
STORIES = {
    "harbour-talks": ("Calderon dockworkers resume talks with terminal operators",
                      "Negotiators for the Calderon Dockworkers Union returned to the table on Monday, "
                      "union secretary Marta Ilves said, after a week in which no ship was unloaded."),
    "ferry-timetable": ("Varnholm ferry company adds evening crossings",
                        "The Varnholm ferry company will add two evening crossings to Estemar from June, "
                        "its director Paul Dressler told reporters at the harbour office."),
    "museum-reopens": ("Belmora museum reopens its medieval gallery",
                       "The national museum in Belmora reopened its medieval gallery on Saturday after "
                       "three years of repairs to the roof, curator Anika Sorvald said."),
    "bank-rates": ("Ostrava central bank holds its benchmark rate",
                   "The central bank of Ostrava kept its benchmark interest rate unchanged on Thursday, "
                   "governor Ilse Varga said, citing slowing prices for food and fuel."),
    "forest-fire": ("Keldmark firefighters contain forest fire",
                    "Firefighters in the northern province of Keldmark brought a forest fire under control "
                    "on Sunday, regional chief Tomas Brandt said, after two days of strong winds."),
    "rail-strike": ("Estemar rail workers call off strike",
                    "Rail workers in Estemar called off a planned strike on Wednesday after the transport "
                    "ministry agreed to new talks on shift lengths, union leader Hanna Roos said."),
    "school-meals": ("Varnholm council extends free school meals",
                     "The Varnholm city council voted on Tuesday to extend free school meals to all primary "
                     "pupils from September, council leader Oskar Lind said after the vote."),
    "bridge-repair": ("Belmora closes old bridge for repairs",
                      "The city of Belmora closed its old stone bridge to traffic on Friday for six months of "
                      "repairs, the works department said, and opened a ferry for walkers."),
}


def article_html(slug: str, canonical: str | None = None) -> bytes:
    title, lead = STORIES[slug]
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    paragraphs = [lead,
                  f"Officials said the decision followed weeks of discussion. {lead.split(',')[0]}, they added.",
                  "Residents interviewed on the street were divided. Some welcomed the news, while others said "
                  "they would wait to see what changed in practice over the coming months.",
                  "A further statement is expected later in the week, according to people familiar with the plans."]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><title>{title}</title>{link}</head><body><header><a href='/'>Home</a>"
            f"</header><article><h1>{title}</h1>{body}</article><footer>Fictional test page</footer></body></html>"
            ).encode()


def rss(site: Site, entries: list[tuple[str, str]]) -> bytes:
    """An RSS 2.0 feed of (path, slug) entries, links as given (relative ones are resolved)."""
    items = "".join(f"<item><title>{STORIES[slug][0]}</title><link>{path}</link>"
                    f"<pubDate>Tue, 03 Mar 2026 0{i}:00:00 GMT</pubDate></item>"
                    for i, (path, slug) in enumerate(entries))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Northwind Wire</title>'
            f"<link>{site.base}/</link>{items}</channel></rss>").encode()


def atom(site: Site, entries: list[tuple[str, str]]) -> bytes:
    items = "".join(f'<entry><title>{STORIES[slug][0]}</title><link rel="alternate" href="{site.url(path)}"/>'
                    f"<id>{site.url(path)}</id><updated>2026-03-04T0{i}:00:00Z</updated></entry>"
                    for i, (path, slug) in enumerate(entries))
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Calderon Courier</title><id>{site.base}/</id><updated>2026-03-04T00:00:00Z</updated>"
            f"{items}</feed>").encode()


def news_sitemap(site: Site, entries: list[tuple[str, str]], publication: str = "Varnholm Ledger") -> bytes:
    urls = "".join(f"<url><loc>{site.url(path)}</loc><news:news><news:publication><news:name>{publication}"
                   f"</news:name><news:language>en</news:language></news:publication><news:publication_date>"
                   f"2026-03-05T0{i}:00:00Z</news:publication_date><news:title>{STORIES[slug][0]}</news:title>"
                   f"</news:news></url>" for i, (path, slug) in enumerate(entries))
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>').encode()


def sitemap_index(site: Site, paths: list[str]) -> bytes:
    maps = "".join(f"<sitemap><loc>{site.url(p)}</loc><lastmod>2026-03-0{i + 1}</lastmod></sitemap>"
                   for i, p in enumerate(paths))
    return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{maps}</sitemapindex>").encode()


def serve_articles(site: Site, slugs: list[str], prefix: str = "/news/") -> None:
    for slug in slugs:
        site.routes[f"{prefix}{slug}"] = Route(article_html(slug))
