"""Latency of the REST API on a 10,000-document database under concurrent load.

    python bench/api_latency.py [--docs 10000] [--requests 400] [--concurrency 1 8] [--keep DB]

1. Builds a database of synthetic documents: the project's fictional pages (tests/fictional.py,
   with events and framing) and the analysed sample wire page, replicated with new ids, outlets,
   dates and actor names drawn from a pool, written with Store.write_batch in large batches.
2. Serves it with `wirescope serve` in a subprocess on 127.0.0.1.
3. From this process, `--concurrency` threads send `--requests` requests per endpoint with httpx:
   `GET /documents/{id}` (random stored ids) and `GET /events?actor=NAME` (random pool names), plus
   the static `/ui/` page as the floor of the server itself, and reports p50/p95/p99 latency and
   throughput for each concurrency level. Target: p95 < 100 ms.

Needs no shared data (everything is made here); all traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the fictional pages written for the tests

from fictional import COURIER, LEDGER, build
from wirescope.records import Analysis, Event
from wirescope.storage.store import Store

OUTLETS = [f"Outlet {c}" for c in "ABCDEFGHIJKL"]
ACTOR_POOL = [f"Actor {i:03d}" for i in range(300)]
EVENT_COPIES = 3  # each template event is reported three times over, with other actors


def templates() -> list[Analysis]:
    from wirescope.pipeline import analyze  # spaCy: once, for the sample page

    sample = analyze(ROOT / "samples" / "wire-page-harbor-talks.txt")
    return [build(COURIER), build(LEDGER), sample]


def vary(template: Analysis, i: int, rng: random.Random) -> Analysis:
    """Copy ``i`` of a template: new id, outlet, day and actor names (spans unchanged)."""
    day = f"2026-{(i % 12) + 1:02d}-{(i % 28) + 1:02d}"
    document = replace(template.document, id=f"{i:016x}", url=f"https://example.invalid/{i}",
                       outlet=OUTLETS[i % len(OUTLETS)], published=day, source=f"synthetic:{i}")
    names = {e.name: rng.choice(ACTOR_POOL) for e in template.entities}
    entities = tuple(replace(e, name=names[e.name]) for e in template.entities)
    events: list[Event] = []
    for copy in range(EVENT_COPIES):
        for event in template.events:
            events.append(replace(
                event, id=f"v{len(events) + 1}",
                actors=tuple(replace(a, name=rng.choice(ACTOR_POOL) if copy else names.get(a.name, a.name))
                             for a in event.actors),
                recipients=tuple(replace(r, name=rng.choice(ACTOR_POOL) if copy else names.get(r.name, r.name))
                                 for r in event.recipients)))
    return replace(template, document=document, entities=entities, events=tuple(events))


def build_database(path: Path, docs: int, batch: int = 2500) -> list[str]:
    rng = random.Random(7)
    base = templates()
    ids = []
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=400, help="per endpoint and concurrency level")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8],
                        help="client threads; each level is measured in turn")
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--keep", type=Path, help="reuse or keep the database at this path")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="wirescope-api-"))
    db = args.keep or workdir / "bench.duckdb"
    if db.exists():
        with Store(db, read_only=True) as store:
            ids = store.document_ids()
        print(f"reusing {db}: {len(ids)} documents")
    else:
        ids = build_database(db, args.docs)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    server = subprocess.Popen([sys.executable, "-m", "wirescope", "serve", "--db", str(db), "--host", "127.0.0.1",
                               "--port", str(args.port)], env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_ready(base)
        rng = random.Random(11)
        load(base, [f"/documents/{rng.choice(ids)}" for _ in range(50)], 4)  # warm-up
        print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores "
              f"(the machine is shared with other jobs)")
        # The UI's static page is the floor: HTTP, routing and a file read, no query.
        endpoints = {
            "/ui/ (floor)": lambda: "/ui/",
            "/documents/{id}": lambda: f"/documents/{rng.choice(ids)}",
            "/events?actor=...": lambda: f"/events?actor={rng.choice(ACTOR_POOL).replace(' ', '%20')}",
        }
        print("| endpoint | requests | concurrency | p50 ms | p95 ms | p99 ms | req/s | server CPU ms/req | errors |")
        print("|---|---|---|---|---|---|---|---|---|")
        for concurrency in args.concurrency:
            for name, make_path in endpoints.items():
                paths = [make_path() for _ in range(args.requests)]
                cpu_before = cpu_seconds(server.pid)
                latencies, wall, errors = load(base, paths, concurrency)
                cpu_ms = (cpu_seconds(server.pid) - cpu_before) * 1000 / len(latencies)
                print(f"| `{name}` | {len(latencies)} | {concurrency} | {percentile(latencies, 50):.1f} | "
                      f"{percentile(latencies, 95):.1f} | {percentile(latencies, 99):.1f} | "
                      f"{len(latencies) / wall:.0f} | {cpu_ms:.1f} | {errors} |", flush=True)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
