"""Cost of the actor register on a synthetic 10,000-document database.

    python bench/actor_register.py [--docs 10000] [--batch 500] [--repeat 5] [--keep DB]

Builds a database of synthetic analyses (no parse: made here): each document names 25 people from
a pool of 3,000 (skewed, so a few are everywhere), each written three ways (full name, surname,
"he"), with 6 events between them and 3 quotes. Every entity has its actor id. Reports:

- the time to write a batch with and without the register's refresh (``register.refresh_forms``);
- ``wirescope actors`` (the CLI, in a subprocess: start-up included) and ``list_actors``,
  ``list_actors(q=...)``, ``get_actor``, ``resolve_actors`` (median of ``--repeat`` calls);
- the event lookup build (``prepare_lookup``) and an event filter by actor id;
- a merge and a split on the whole database (each rebuilds the lookup).

Needs no shared data.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wirescope.records import Analysis, Document, Entity, Event, EventActor, Mention, Quote, Speaker, TextSpan
from wirescope.storage import actors, queries, register
from wirescope.storage.store import Store

POOL = [(f"Person{i:04d} Name{i % 997:03d}x{i // 997}", f"Name{i % 997:03d}x{i // 997}") for i in range(3000)]
PEOPLE_PER_DOC, EVENTS_PER_DOC, QUOTES_PER_DOC = 25, 6, 3


def person_id(index: int) -> str:
    return f"person:{POOL[index][0].lower().replace(' ', '-')}"


def synthetic(i: int, rng: random.Random) -> Analysis:
    """Document ``i``: 25 people (skewed draw from POOL), each as full name, surname and "he"."""
    chosen = sorted({min(int(rng.paretovariate(0.6)) - 1, len(POOL) - 1) for _ in range(PEOPLE_PER_DOC * 2)})
    chosen = chosen[:PEOPLE_PER_DOC]
    parts, entities, spans = [], [], []
    at = 0
    for n, index in enumerate(chosen, start=1):
        full, surname = POOL[index]
        mentions = []
        for form in (full, surname, "he"):
            mentions.append(Mention(at, at + len(form), form))
            parts.append(form + " said. ")
            at += len(form) + len(" said. ")
        entities.append(Entity(f"e{n}", full, "PERSON", tuple(mentions), "USAGOV" if index % 5 == 0 else None,
                               actor=person_id(index)))
        spans.append(mentions)
    text = "".join(parts)
    events = []
    for v in range(EVENTS_PER_DOC):
        a, b = rng.sample(range(len(entities)), 2)
        side, other = spans[a][rng.randrange(3)], spans[b][0]
        events.append(Event(f"v{v + 1}", rng.choice(["THREATEN", "CONSULT", "SUPPORT"]),
                            TextSpan(side.start, side.end, side.text), TextSpan(0, 10, text[:10]),
                            (EventActor(side.start, side.end, side.text, f"e{a + 1}", entities[a].name),),
                            (EventActor(other.start, other.end, other.text, f"e{b + 1}", entities[b].name),)))
    quotes = []
    for q in range(QUOTES_PER_DOC):
        a = rng.randrange(len(entities))
        s = spans[a][1]
        quotes.append(Quote(f"q{q + 1}", "direct", TextSpan(0, 10, text[:10]), None,
                            Speaker(s.start, s.end, s.text, f"e{a + 1}", entities[a].name)))
    day = None if i % 50 == 0 else f"2026-{(i % 12) + 1:02d}-{(i % 28) + 1:02d}"
    document = Document(f"{i:016x}", text, published=day, source=f"synthetic:{i}")
    return Analysis(document, entities=tuple(entities), events=tuple(events), quotes=tuple(quotes))


def median_ms(call: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def build(path: Path, docs: int, batch: int) -> tuple[float, float]:
    """Write the documents; returns (ms per batch with the register, ms per batch without)."""
    rng = random.Random(7)
    with_register, without = [], []
    with Store(path) as store:
        for first in range(0, docs, batch):
            analyses = [synthetic(i, rng) for i in range(first, min(docs, first + batch))]
            started = time.perf_counter()
            store.write_batch(analyses)
            with_register.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            with store.transaction():  # the refresh alone, as write_batch ran it
                register.refresh_forms(store.con, [a.document.id for a in analyses])
            without.append(with_register[-1] - (time.perf_counter() - started) * 1000)
    return statistics.median(with_register), statistics.median(without)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the database here and keep it")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    path = args.keep or Path(folder.name) / "register.duckdb"
    batch_ms, bare_ms = build(path, args.docs, args.batch)
    print(f"write_batch of {args.batch} documents: {batch_ms:.0f} ms median ({bare_ms:.0f} ms of it "
          f"without the register refresh)")
    with Store(path) as store:
        counts = {t: store.con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                  for t in ("documents", "entities", "mentions", "events", "quotes", "actor_forms")}
        print("rows:", ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        con = store.con
        top = actors.list_actors(con, limit=1)["items"][0]["id"]
        print(f"actors in the register: {actors.list_actors(con, limit=1)['total']:,}; most widespread {top}")
        for label, call in [
            ("list_actors (first page of 50)", lambda: actors.list_actors(con)),
            ("list_actors(q='name042')", lambda: actors.list_actors(con, q="name042")),
            (f"get_actor({top})", lambda: actors.get_actor(con, top)),
            ("resolve_actors(surname)", lambda: actors.resolve_actors(con, POOL[1][1])),
            ("prepare_lookup (event lookup build)", lambda: queries.prepare_lookup(con)),
            (f"find_events(actor={top})", lambda: queries.find_events(con, queries.EventFilter(actor=top))),
            ("network (100 nodes)", lambda: queries.network(con, queries.EventFilter())),
        ]:
            print(f"{label}: {median_ms(call, args.repeat):.1f} ms median of {args.repeat}")
        started = time.perf_counter()
        actors.merge_actors(store, person_id(0), person_id(1))
        print(f"merge on the whole database (lookup rebuilt): {(time.perf_counter() - started) * 1000:.0f} ms")
        started = time.perf_counter()
        actors.split_actor(store, person_id(2), POOL[2][1], "Someone Else")
        print(f"split on the whole database (lookup rebuilt): {(time.perf_counter() - started) * 1000:.0f} ms")
    wirescope = [sys.executable, "-m", "wirescope"]
    listing = median_ms(lambda: subprocess.run([*wirescope, "actors", "--db", str(path), "--json"], check=True,
                                               capture_output=True), args.repeat)
    start_up = median_ms(lambda: subprocess.run([*wirescope, "--help"], check=True, capture_output=True), args.repeat)
    print(f"`wirescope actors --json` (a process, start-up included): {listing:.0f} ms median; "
          f"`wirescope --help` (start-up alone): {start_up:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
