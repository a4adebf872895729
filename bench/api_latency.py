"""Latency of the REST API on a 10,000-document database under concurrent load.

    python bench/api_latency.py [--docs 10000] [--requests 400] [--concurrency 1 8] [--keep DB]
                                [--endpoints "/documents/{id}" /events ...]

1. Builds a database of synthetic documents: the project's fictional pages (tests/fictional.py,
   with events and framing) and the analysed sample wire page, replicated with new ids, outlets,
   dates and actor names drawn from a pool, written with Store.write_batch in large batches.
2. Serves it with `wirescope serve` in a subprocess on 127.0.0.1.
3. From this process, `--concurrency` threads send `--requests` requests per endpoint with httpx:
   `GET /documents/{id}` (random stored ids), `GET /events` (the newest page of all events),
   `GET /events?offset=N` (random pages of all events among the first 5,000, mostly not kept yet),
   `GET /events?actor=NAME` (random pool names) and `GET /documents?q=WORD`, plus the static `/ui/`
   page as the floor of the server itself (``--endpoints`` picks some), and reports p50/p95/p99
   latency, throughput and the server process's CPU time per request for each concurrency level.
   Targets: p95 < 100 ms (issue 7); issue 19: at most 3 ms of server CPU per request and p95 < 50 ms
   at 8 clients for documents by id and events.

    python bench/api_latency.py --search [--search-sizes 2000 20000] [--requests 100] [--concurrency 1]

Search (issue 21): builds a database of each size the same way and measures `GET /documents?q=...`
for common words (in a third to two thirds of the documents) and rare ones (each in one document:
every synthetic copy ends with a catalogue word of its own), served twice by the app of `wirescope
serve` (started by this script, `serve_app`): searching the index (BM25) and, as the baseline, with
the old ILIKE scan over every title and text (`ilike_search_documents`, kept here only for this
comparison). Target: p95 grows less than 2x from the smallest size to the largest.

Needs no shared data (everything is made here); all traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the fictional pages written for the tests

import duckdb

from fictional import COURIER, LEDGER, build
from wirescope.records import Analysis, Event, actor_id
from wirescope.storage import queries
from wirescope.storage.rows import fetch_dicts
from wirescope.storage.store import Store

OUTLETS = [f"Outlet {c}" for c in "ABCDEFGHIJKL"]
ACTOR_POOL = [f"Actor {i:03d}" for i in range(300)]
EVENT_COPIES = 3  # each template event is reported three times over, with other actors
# Searched words in a third (calderon: the sample page) to two thirds (corridor: both fictional pages)
# of the documents, and two words together.
COMMON_QUERIES = ("corridor", "calderon", "negotiators", "grain corridor")
RARE_QUERIES = 3  # catalogue words of random documents, one document each


def catalogue_word(i: int) -> str:
    """The word only copy ``i`` has ("zqab" for 1): a rare word at any database size."""
    letters = ""
    while True:
        i, digit = divmod(i, 26)
        letters = chr(ord("a") + digit) + letters
        if not i:
            return "zq" + letters


def templates() -> list[Analysis]:
    from wirescope.pipeline import analyze  # spaCy: once, for the sample page

    sample = analyze(ROOT / "samples" / "wire-page-harbor-talks.txt")
    return [build(COURIER), build(LEDGER), sample]


def vary(template: Analysis, i: int, rng: random.Random) -> Analysis:
    """Copy ``i`` of a template: new id, outlet, day and actor names and ids (spans unchanged)."""
    day = f"2026-{(i % 12) + 1:02d}-{(i % 28) + 1:02d}"
    # The catalogue line goes after the page's own text: every span stays where it was.
    document = replace(template.document, id=f"{i:016x}", url=f"https://example.invalid/{i}",
                       outlet=OUTLETS[i % len(OUTLETS)], published=day, source=f"synthetic:{i}",
                       text=f"{template.document.text}\n\nCatalogue entry {catalogue_word(i)}.")
    names = {e.name: rng.choice(ACTOR_POOL) for e in template.entities}
    # A renamed entity is another actor: the id of its new name (with the template's id, every pool
    # name was an alias of the template's actors and one name's events were a tenth of all events).
    entities = tuple(replace(e, name=names[e.name], actor=e.actor and actor_id(e.type, names[e.name]))
                     for e in template.entities)
    events: list[Event] = []
    for copy in range(EVENT_COPIES):
        for event in template.events:
            events.append(replace(
                event, id=f"v{len(events) + 1}",
                actors=tuple(replace(a, name=rng.choice(ACTOR_POOL) if copy else names.get(a.name or "", a.name))
                             for a in event.actors),
                recipients=tuple(replace(r, name=rng.choice(ACTOR_POOL) if copy else names.get(r.name or "", r.name))
                                 for r in event.recipients)))
    return replace(template, document=document, entities=entities, events=tuple(events))


def build_database(path: Path, docs: int, batch: int = 2500, base: list[Analysis] | None = None) -> list[str]:
    rng = random.Random(7)
    base = base or templates()
    ids: list[str] = []
    started = time.perf_counter()
    with Store(path) as store:
        for first in range(0, docs, batch):
            analyses = [vary(base[i % len(base)], i, rng) for i in range(first, min(docs, first + batch))]
            store.write_batch(analyses)
            ids.extend(a.document.id for a in analyses)
        counts = {t: store.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
                  for t in ("documents", "entities", "mentions", "quotes", "events", "framing")}
    print(f"built {path} in {time.perf_counter() - started:.1f} s: {counts}")
    return ids


def wait_ready(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/stats", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not answer within 60 s")


def load(base: str, paths: list[str], concurrency: int) -> tuple[list[float], float, int]:
    """Send every path once, ``concurrency`` at a time; latencies in ms, wall seconds, errors."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    queue = list(reversed(paths))

    def worker() -> None:
        nonlocal errors
        with httpx.Client(base_url=base, timeout=30) as client:
            while True:
                with lock:
                    if not queue:
                        return
                    path = queue.pop()
                started = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    errors += response.status_code != 200

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - started, errors


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), a measure the machine's load does not inflate."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def ilike_search_documents(con: duckdb.DuckDBPyConnection, q: str | None = None, outlet: str | None = None,
                           actor: str | None = None, since: date | None = None, until: date | None = None,
                           limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """The search before the index (issue 21), verbatim but for the snippet: ILIKE over every title
    and text, newest first. The benchmark's baseline only; the app answers from the index."""
    where = queries.Where()
    if q:
        pattern = queries.like_pattern(q)
        where = where.add("(d.title ILIKE ? ESCAPE '\\' OR d.text ILIKE ? ESCAPE '\\')", pattern, pattern)
    if outlet:
        where = where.add("lower(d.outlet) = lower(?)", outlet)
    if actor:
        where = where.add("d.id IN (SELECT doc_id FROM entities WHERE lower(name) = lower(?) OR code = upper(?))",
                          actor, actor)
    where = queries._date_range(where, since, until)
    total = queries._scalar(con, f"SELECT count(*) FROM documents d{where.sql()}", where.params)
    items = fetch_dicts(con, f"""
        SELECT d.id, d.title, d.outlet, d.published, d.url, d.language, d.status, {queries.DAY_SQL} AS day,
               CASE WHEN ? IS NULL THEN NULL ELSE d.text END AS text
        FROM documents d{where.sql()}
        ORDER BY d.published DESC NULLS LAST, d.stored_at DESC, d.id LIMIT ? OFFSET ?""",
        [q, *where.params, limit, offset])
    for item in items:
        text = item.pop("text")
        at = text.casefold().find(q.casefold()) if text and q else -1
        item["snippet"] = text[max(0, at - 80):at + len(q or "") + 80] if at >= 0 else None
    return {"total": int(total), "limit": limit, "offset": offset, "items": items}


def serve_app(db: Path, port: int, search: str) -> None:
    """The app of `wirescope serve` over ``db``, searching from the index (``search`` "index") or,
    the baseline, with the old ILIKE scan (``ilike_search_documents``) in its place."""
    import uvicorn

    from wirescope.serve.api import create_app

    if search == "ilike":
        queries.search_documents = ilike_search_documents  # type: ignore[assignment]  # the route calls it by module
    uvicorn.run(create_app(db), host="127.0.0.1", port=port, log_level="warning")


@contextlib.contextmanager
def serving(db: Path, port: int, search: str | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """A server over ``db`` on 127.0.0.1:``port`` in a subprocess, ready; stopped on leaving.

    ``search`` None: `wirescope serve`; "index" or "ilike": ``serve_app``, the same app started by
    this script, so that the two searches are compared on one server stack.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    served = [__file__, "--serve-app", search, "--keep", str(db)] if search else [
        "-m", "wirescope", "serve", "--db", str(db), "--host", "127.0.0.1"]
    server = subprocess.Popen([sys.executable, *served, "--port", str(port)], env=env, stdout=subprocess.DEVNULL)
    try:
        wait_ready(f"http://127.0.0.1:{port}")
        yield server
    finally:
        server.terminate()
        server.wait(timeout=20)


def measured_row(base: str, server: subprocess.Popen[bytes], paths: list[str], concurrency: int) -> str:
    """``| p50 | p95 | p99 | req/s | server CPU ms/req | errors |`` of sending ``paths``."""
    cpu_before = cpu_seconds(server.pid)
    latencies, wall, errors = load(base, paths, concurrency)
    cpu_ms = (cpu_seconds(server.pid) - cpu_before) * 1000 / len(latencies)
    return (f"{percentile(latencies, 50):.1f} | {percentile(latencies, 95):.1f} | {percentile(latencies, 99):.1f} | "
            f"{len(latencies) / wall:.0f} | {cpu_ms:.1f} | {errors} |")


def open_database(db: Path, docs: int, base: list[Analysis] | None = None) -> list[str]:
    """The ids of the database at ``db``, built with ``docs`` documents when it is not there."""
    if db.exists():
        with Store(db, read_only=True) as store:
            ids = store.document_ids()
        print(f"reusing {db}: {len(ids)} documents")
        return ids
    return build_database(db, docs, base=base)


def endpoint_paths(ids: list[str], rng: random.Random) -> dict[str, Callable[[], str]]:
    """A random path of each measured endpoint, by the name the table shows."""
    # The UI's static page is the floor: HTTP, routing and a file read, no query.
    return {
        "/ui/ (floor)": lambda: "/ui/",
        "/documents/{id}": lambda: f"/documents/{rng.choice(ids)}",
        "/events": lambda: "/events",
        # Pages of all events that are not kept yet: how a page is made (each offset once, mostly).
        "/events?offset=...": lambda: f"/events?offset={rng.randrange(5000)}",
        "/events?actor=...": lambda: f"/events?actor={rng.choice(ACTOR_POOL).replace(' ', '%20')}",
        "/documents?q=...": lambda: f"/documents?q={quote(rng.choice(COMMON_QUERIES))}",
    }


ENDPOINTS = tuple(endpoint_paths([], random.Random()))


def endpoint_benchmark(args: argparse.Namespace, db: Path) -> None:
    """The section 12 benchmark: documents by id, events by actor, search, and the static floor."""
    ids = open_database(db, args.docs)
    base = f"http://127.0.0.1:{args.port}"
    with serving(db, args.port) as server:
        rng = random.Random(11)
        load(base, [f"/documents/{rng.choice(ids)}" for _ in range(50)], 4)  # warm-up
        print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores "
              f"(the machine is shared with other jobs)")
        endpoints = {name: make_path for name, make_path in endpoint_paths(ids, rng).items()
                     if name in args.endpoints}
        print("| endpoint | requests | concurrency | p50 ms | p95 ms | p99 ms | req/s | server CPU ms/req | errors |")
        print("|---|---|---|---|---|---|---|---|---|")
        for concurrency in args.concurrency:
            for name, make_path in endpoints.items():
                paths = [make_path() for _ in range(args.requests)]
                print(f"| `{name}` | {len(paths)} | {concurrency} | {measured_row(base, server, paths, concurrency)}",
                      flush=True)
        print(f"load average after: {os.getloadavg()[0]:.2f}")


def search_benchmark(args: argparse.Namespace, folder: Path) -> None:
    """``GET /documents?q=`` at each size, from the index and from the old ILIKE scan."""
    base_pages = templates()
    print("| documents | search | q | matches | requests | concurrency | p50 ms | p95 ms | p99 ms | req/s | "
          "server CPU ms/req | errors |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for size in args.search_sizes:
        db = folder / f"search-{size}.duckdb"
        ids = open_database(db, size, base_pages)
        rng = random.Random(13)
        words = [*COMMON_QUERIES, *(catalogue_word(int(rng.choice(ids), 16)) for _ in range(RARE_QUERIES))]
        for offset, (name, search) in enumerate((("index", "index"), ("ILIKE (old)", "ilike")), start=1):
            port = args.port + offset
            with serving(db, port, search) as server:
                base = f"http://127.0.0.1:{port}"
                load(base, [f"/documents?q={quote(w)}" for w in words] * 3, 2)  # warm-up
                for word in words:
                    path = f"/documents?q={quote(word)}"
                    matches = httpx.get(base + path, timeout=60).json()["total"]
                    for concurrency in args.concurrency:
                        row = measured_row(base, server, [path] * args.requests, concurrency)
                        print(f"| {len(ids):,} | {name} | `{word}` | {matches:,} | {args.requests} | "
                              f"{concurrency} | {row}", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=400,
                        help="per endpoint (search: per query) and concurrency level")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8],
                        help="client threads; each level is measured in turn")
    parser.add_argument("--endpoints", nargs="+", choices=ENDPOINTS, default=ENDPOINTS, metavar="NAME",
                        help=f"the endpoints measured, by name (default all: {', '.join(ENDPOINTS)})")
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--keep", type=Path, help="reuse or keep the database at this path (search: this folder)")
    parser.add_argument("--search", action="store_true", help="the search benchmark instead (see above)")
    parser.add_argument("--search-sizes", type=int, nargs="+", default=[2_000, 20_000])
    parser.add_argument("--serve-app", choices=("index", "ilike"), help=argparse.SUPPRESS)  # serving() runs this
    args = parser.parse_args()
    if args.serve_app:
        serve_app(args.keep, args.port, args.serve_app)
        return 0
    if args.search:
        folder = args.keep or Path(tempfile.mkdtemp(prefix="wirescope-search-"))
        folder.mkdir(parents=True, exist_ok=True)
        search_benchmark(args, folder)
    else:
        endpoint_benchmark(args, args.keep or Path(tempfile.mkdtemp(prefix="wirescope-api-")) / "bench.duckdb")
    return 0


if __name__ == "__main__":
    sys.exit(main())
