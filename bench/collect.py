"""The newsroom monitor (issue 16): `wirescope serve --collect` against a local fictional news site.

    .venv/bin/python bench/collect.py                        # throughput + API latency, then a 20-minute soak
    .venv/bin/python bench/collect.py --pages 200 --soak-minutes 0
    .venv/bin/python bench/collect.py --pages 0 --soak-minutes 0 --idle-soak-minutes 30
    .venv/bin/python bench/collect.py --pages 0 --soak-minutes 4 --soak-kind reads-only   # or polls-only

throughput: a feed of --pages project-written articles (templates filled with numbers and names, so
each is a distinct story) on a site served from this process on 127.0.0.1; `wirescope serve --collect
--collect-delay 0` collects them while another thread measures `GET /documents` and `GET /stats`
latency; pages/s is from the first stored document to the last. The same latency with the
collector idle is the baseline.

soak: the site publishes a new article every --publish-every seconds for --soak-minutes; the
server's resident memory (and its page worker's) is sampled every 30 s. Memory must level off,
not keep growing: the report gives the first, last and highest sample and the growth over the
second half.

Needs no shared data: every page is written here.
"""

from __future__ import annotations

import argparse
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from feed_site import Route, Site  # noqa: E402 - tests/ holds the local site

TOWNS = ("Calderon", "Varnholm", "Belmora", "Estemar", "Keldmark", "Ostrava", "Brennmoor", "Lindvik")
PEOPLE = ("Marta Ilves", "Paul Dressler", "Anika Sorvald", "Ilse Varga", "Tomas Brandt", "Hanna Roos")
TOPICS = ("the harbour budget", "a new ferry line", "school repairs", "the water tariff", "a rail strike",
          "the flood barrier", "bus fares", "the hospital wing")


def article(number: int) -> tuple[str, bytes]:
    """A distinct fictional article: its title and HTML."""
    town, person, topic = TOWNS[number % 8], PEOPLE[number % 6], TOPICS[(number // 8) % 8]
    title = f"{town} council votes on {topic} (report {number})"
    paragraphs = [
        f"The {town} council voted {number % 40 + 10} to {number % 9 + 2} on {topic} on Monday, "
        f"council leader {person} said after a meeting that lasted {number % 5 + 2} hours.",
        f"\"We listened to {number * 3 % 500 + 100} residents before deciding,\" {person} told reporters. "
        f"Opponents said the plan for {topic} would cost {number % 70 + 5} million and asked for a review.",
        f"The decision follows months of debate in {town}, where {topic} has divided neighbourhoods. "
        "A further vote is expected after the summer, officials said.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}"
            "</article></body></html>")
    return title, html.encode()


class NewsSite:
    """The fictional outlet: its RSS feed lists the newest 500 of the articles published so far."""

    def __init__(self) -> None:
        self.site = Site()
        self.published = 0
        self.lock = threading.Lock()

    def publish(self, count: int) -> None:
        with self.lock:
            for number in range(self.published, self.published + count):
                self.site.routes[f"/news/{number}"] = Route(article(number)[1])
            self.published += count
            items = "".join(f"<item><title>{article(n)[0]}</title><link>{self.site.url(f'/news/{n}')}</link></item>"
                            for n in range(max(0, self.published - 500), self.published))
            self.site.routes["/rss.xml"] = Route(
                (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Lindvik Tribune</title>{items}'
                 "</channel></rss>").encode(), content_type="application/rss+xml", etag=f'"{self.published}"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wirescope(*args: str) -> list[str]:
    return [sys.executable, "-m", "wirescope", *args]


def _start_server(db: Path, collect: bool = True) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    flags = ["--collect", "--collect-delay", "0"] if collect else []
    server = subprocess.Popen(_wirescope("serve", "--db", str(db), "--port", str(port), *flags),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(f"{base}/stats", timeout=2)
            return server, base
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def _total(base: str) -> int:
    return int(httpx.get(f"{base}/documents?limit=1", timeout=30).json()["total"])


def _latencies(base: str, seconds: float, stop: threading.Event | None = None) -> list[float]:
    times = []
    with httpx.Client(base_url=base, timeout=30) as client:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not (stop and stop.is_set()):
            for path in ("/documents?limit=20", "/stats"):
                started = time.perf_counter()
                client.get(path).raise_for_status()
                times.append(time.perf_counter() - started)
            time.sleep(0.05)
    return times


def _p(values: list[float], percentile: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * percentile / 100))] * 1000


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _file_mb(db: Path) -> float:
    """The database file with its write-ahead log, MiB."""
    wal = db.with_name(db.name + ".wal")
    return (db.stat().st_size + (wal.stat().st_size if wal.exists() else 0)) / 2**20


def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` (the page worker), whichever of its threads started them."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def throughput(pages: int) -> None:
    news = NewsSite()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "news.duckdb"
        subprocess.run(_wirescope("feeds", "add", news.site.url("/rss.xml"), "--db", str(db), "--every", "5"),
                       check=True, stdout=subprocess.DEVNULL)
        server, base = _start_server(db)
        try:
            quiet = _latencies(base, 10)  # no feed item yet: the collector polls an empty feed
            news.publish(pages)
            while _total(base) == 0:
                time.sleep(0.2)
            first = time.monotonic()
            stop = threading.Event()
            loaded: list[float] = []
            probe = threading.Thread(target=lambda: loaded.extend(_latencies(base, 3600, stop)))
            probe.start()
            while _total(base) < pages:
                time.sleep(0.5)
            seconds = time.monotonic() - first
            stop.set()
            probe.join()
            print(f"collected and analysed {pages} pages: {(pages - 1) / seconds:.2f} pages/s "
                  f"({seconds:.0f} s from the first stored to the last)")
            print("| API (GET /documents?limit=20 and /stats) | requests | p50 ms | p95 ms |")
            print("|---|---|---|---|")
            print(f"| collector idle | {len(quiet)} | {statistics.median(quiet) * 1000:.1f} | {_p(quiet, 95):.1f} |")
            print(f"| collector writing | {len(loaded)} | {statistics.median(loaded) * 1000:.1f} | "
                  f"{_p(loaded, 95):.1f} |")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(60)
            news.site.close()


SOAKS = {  # kind: (the site publishes, a client reads, the server collects)
    "collecting": (True, False, True),
    "idle": (False, True, True),  # no new articles: the collector polls (304s) while a client reads
    "reads-only": (False, True, False),
    "polls-only": (False, False, True),
}


def soak(minutes: float, publish_every: float, kind: str = "collecting") -> None:
    """Sample the server's memory every 30 s for ``minutes`` in one of the ``SOAKS`` situations."""
    publish, reads, collect = SOAKS[kind]
    news = NewsSite()
    news.publish(5)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "news.duckdb"
        subprocess.run(_wirescope("feeds", "add", news.site.url("/rss.xml"), "--db", str(db), "--every", "5"),
                       check=True, stdout=subprocess.DEVNULL)
        server, base = _start_server(db, collect)
        samples: list[tuple[float, float, float, int, float]] = []
        try:
            started = time.monotonic()
            next_sample = started
            while time.monotonic() - started < minutes * 60:
                if publish:
                    news.publish(1)
                if reads:
                    _latencies(base, publish_every)
                else:
                    time.sleep(publish_every)
                if time.monotonic() >= next_sample:
                    workers = _children(server.pid)
                    samples.append((time.monotonic() - started, _rss_mb(server.pid),
                                    sum(_rss_mb(w) for w in workers), _total(base), _file_mb(db)))
                    next_sample += 30
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(60)
            news.site.close()
    print(f"\nsoak '{kind}' (the site publishes every {publish_every:g} s: {publish}; a client reads: {reads}; "
          f"the server collects: {collect}):")
    print("| minute | server RSS MB | page worker RSS MB | documents | database file + WAL MB |")
    print("|---|---|---|---|---|")
    for at, server_mb, worker_mb, docs, file_mb in samples:
        print(f"| {at / 60:.1f} | {server_mb:.0f} | {worker_mb:.0f} | {docs} | {file_mb:.1f} |")
    half = [s for s in samples if s[0] >= samples[-1][0] / 2]
    print(f"server RSS: first {samples[0][1]:.0f} MB, last {samples[-1][1]:.0f} MB, "
          f"highest {max(s[1] for s in samples):.0f} MB; "
          f"growth over the second half {half[-1][1] - half[0][1]:+.0f} MB; "
          f"page worker last {samples[-1][2]:.0f} MB; {samples[-1][3]} documents stored")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--soak-minutes", type=float, default=20)
    parser.add_argument("--publish-every", type=float, default=3.0)
    parser.add_argument("--idle-soak-minutes", type=float, default=0,
                        help="then a soak with no new articles while a client keeps reading")
    parser.add_argument("--soak-kind", choices=sorted(SOAKS), default="collecting",
                        help="what happens during --soak-minutes")
    args = parser.parse_args()
    if args.pages:
        throughput(args.pages)
    if args.soak_minutes:
        soak(args.soak_minutes, args.publish_every, args.soak_kind)
    if args.idle_soak_minutes:
        soak(args.idle_soak_minutes, args.publish_every, "idle")


if __name__ == "__main__":
    main()
