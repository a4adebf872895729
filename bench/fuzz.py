"""Reliability under hostile input (issue 21): the pages of the issue, a longer fuzz run, kill -9 trials
and reads against a server that is fed costly pages.

    .venv/bin/python bench/fuzz.py                      # everything (about 10 minutes on 2 cores)
    .venv/bin/python bench/fuzz.py --only pages         # the hostile pages: outcome, time, peak memory
    .venv/bin/python bench/fuzz.py --only fuzz --examples 300
    .venv/bin/python bench/fuzz.py --only kill --trials 5
    .venv/bin/python bench/fuzz.py --only server

pages: each hostile page of the issue goes alone through the page runner with the default settings (a
fresh worker process each, so its peak resident memory is the page's); the outcome is what `ingest`
stores or records. fuzz: generated pages (tests/fuzz_pages.py) analysed in this process; every
outcome is tallied and any analyser failure (kind ``internal``) or page over 30 s is listed.
kill: `wirescope ingest` of 300 project-written pages killed with SIGKILL at a random moment, then run
again to the end; the store must hold every page once and no error row. server: `GET /stats` and
`GET /documents` latency while another client keeps posting a page that runs past the 3 s budget.

Needs no shared data: every page is written here.
"""

from __future__ import annotations

import argparse
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

PROSE = "The harbour council met on Monday and agreed to a new budget for the ferry terminal. "
STORY = ("Ferry fares rise in Calderon\n\n"
         "The Calderon ferry operator raised its fares on Monday, the second rise this year. "
         "\"We had no choice after the fuel bill doubled,\" operator spokeswoman Lena Oduya told reporters.\n")


def hostile_pages() -> dict[str, str | bytes]:
    """The inputs of issue 21's report, and a few of the same families."""
    def html(body: str) -> str:
        return f"<html><head><title>A page</title></head><body><article>{body}</article></body></html>"

    return {
        '100 KB of "': '"' * 100_000,
        'story + 100,000 " in one run': STORY + '"' * 100_000,
        "100 KB of unbalanced \u201c": "\u201c" * 100_000,
        "story + 100,000 \u201c in one run": STORY + "\u201c" * 100_000,
        "8 MB HTML, 1,000,000 <b>a</b>": html("<p>" + "<b>a</b>" * 1_000_000 + "</p>"),
        "HTML, 100,000 <b>a</b>": html("<p>" + "<b>a</b>" * 100_000 + "</p>"),
        "HTML nested 300 deep": html("<div>" * 300 + "<p>" + PROSE * 3 + "</p>" + "</div>" * 300),
        "1,200,000-character page": "A long page\n\n" + PROSE * 14_000,
        "\u201cYes,\u201d he said. x 10,000": "Title of it\n\n" + "\u201cYes,\u201d he said. " * 10_000,
        "story + quotes nested 3,000 deep": STORY + "He said " + "\u201cA " * 3000 + "end" + "\u201d " * 3000 + "\n",
        "5 MB line without a space": "Title\n\n" + "x" * 5_000_000,
        "1 MB of random bytes": random.Random(7).randbytes(1_000_000),
        "200,000 characters of prose": "A long report\n\n" + PROSE * 2_350,
    }


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_pages() -> None:
    from wirescope.errors import PageError
    from wirescope.records import RawPage
    from wirescope.runner import PageRunner
    from wirescope.settings import Settings

    settings = Settings()
    print("| input | size | outcome | seconds | worker peak MB (at start) |")
    print("|---|---|---|---|---|")
    for name, data in hostile_pages().items():
        with PageRunner(workers=1) as runner:
            list(runner.run([RawPage("<warm>", STORY, content_type="text")], settings))
            worker = runner._workers[0]
            pid, before = worker.process.pid, peak_rss_mb(worker.process.pid)
            started = time.perf_counter()
            [result] = list(runner.run([RawPage(name, data)], settings))
            seconds = time.perf_counter() - started
            alive = runner._workers[0].process.pid == pid
            peak = f"{peak_rss_mb(pid):.0f} ({before:.0f})" if alive else f"replaced (was {before:.0f} at start)"
        if isinstance(result, PageError):
            outcome = f"error `{result.kind}`: {result.reason[:90]}"
        else:
            note = result.document.status_reason or ""
            outcome = (f"analysed: {len(result.entities)} entities, {len(result.quotes)} quotes, "
                       f"{len(result.events)} events" + (f"; {note[:60]}" if note else ""))
        size = len(data.encode("utf-8") if isinstance(data, str) else data)
        print(f"| {name} | {size / 1e6:.2f} MB | {outcome} | {seconds:.1f} | {peak} |", flush=True)


def run_fuzz(examples: int) -> None:
    from hypothesis import HealthCheck, given, settings

    from fuzz_pages import pages
    from wirescope.errors import PageError
    from wirescope.pipeline import analyze_page
    from wirescope.records import RawPage
    from wirescope.settings import Settings

    outcomes: Counter[str] = Counter()
    slow: list[float] = []
    failures: list[str] = []
    config = Settings(page_timeout_s=0)

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(page=pages())
    def one(page: bytes | str) -> None:
        started = time.perf_counter()
        result = analyze_page(RawPage("<fuzz>", page), config)
        seconds = time.perf_counter() - started
        slow.append(seconds)
        kind = result.kind if isinstance(result, PageError) else "analysed"
        outcomes[kind] += 1
        if kind == "internal" or seconds > 30:
            failures.append(f"{kind} {seconds:.1f}s: {getattr(result, 'reason', '')[:120]}")

    started = time.perf_counter()
    one()
    print(f"{sum(outcomes.values())} generated pages in {time.perf_counter() - started:.0f} s; outcomes: "
          + ", ".join(f"{k} {v}" for k, v in outcomes.most_common()))
    print(f"seconds a page: median {statistics.median(slow):.2f}, max {max(slow):.2f}")
    print("failures (internal errors or over 30 s):", failures or "none")


def _pages_dir(root: Path, count: int) -> Path:
    pages = root / "pages"
    pages.mkdir()
    for i in range(count):
        text = (f"Ferry report number {i} from Calderon\n\n"
                f"The Calderon ferry operator said on Monday that crossing {i} would run late. "
                f"\"We expect {i} minutes of delay,\" spokeswoman Lena Oduya told reporters. " + PROSE * 3 + "\n")
        (pages / f"page-{i:03d}.txt").write_text(text, encoding="utf-8")
    return pages


KILL_PAGES = 300


def run_kill(trials: int) -> None:
    import duckdb

    rng = random.Random(21)
    print("| trial | killed after s | stored before kill | after re-run | distinct ids | error rows |")
    print("|---|---|---|---|---|---|")
    for trial in range(1, trials + 1):
        with tempfile.TemporaryDirectory() as tmp:
            pages = _pages_dir(Path(tmp), KILL_PAGES)
            db = Path(tmp) / "news.duckdb"
            command = [sys.executable, "-m", "wirescope", "ingest", str(pages), "--db", str(db), "-q",
                       "--batch-size", "4"]
            delay = rng.uniform(6, 30)
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait()
            before = _count(db, "SELECT count(*) FROM documents") if db.exists() else 0
            subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            con = duckdb.connect(str(db), read_only=True)
            after, distinct = con.execute("SELECT count(*), count(DISTINCT id) FROM documents").fetchone() or (0, 0)
            [(errors,)] = con.execute("SELECT count(*) FROM ingest_errors").fetchall()
            con.close()
            print(f"| {trial} | {delay:.1f} | {before} | {after} | {distinct} | {errors} |", flush=True)


def _count(db: Path, sql: str) -> int:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute(sql).fetchall()[0][0])
    finally:
        con.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _latencies(url: str, seconds: float) -> list[float]:
    import httpx

    times = []
    with httpx.Client(timeout=30) as client:
        stop = time.monotonic() + seconds
        while time.monotonic() < stop:
            started = time.perf_counter()
            client.get(url).raise_for_status()
            times.append(time.perf_counter() - started)
    return times


def run_server() -> None:
    import httpx

    with tempfile.TemporaryDirectory() as tmp:
        pages = _pages_dir(Path(tmp), 20)
        db = Path(tmp) / "news.duckdb"
        subprocess.run([sys.executable, "-m", "wirescope", "ingest", str(pages), "--db", str(db), "-q"], check=True)
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "wirescope", "serve", "--db", str(db), "--port", str(port),
                                   "--page-timeout", "3"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    httpx.get(f"{base}/stats", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            httpx.post(f"{base}/analyze", json={"text": STORY}, timeout=120)  # the page worker is up
            quiet = {path: _latencies(f"{base}{path}", 10) for path in ("/stats", "/documents")}
            running = threading.Event()
            running.set()
            statuses: Counter[int] = Counter()

            def hostile() -> None:
                while running.is_set():
                    answer = httpx.post(f"{base}/analyze", json={"text": "A long report\n\n" + PROSE * 2300},
                                        timeout=120)
                    statuses[answer.status_code] += 1

            attacker = threading.Thread(target=hostile)
            attacker.start()
            time.sleep(1)
            loaded = {path: _latencies(f"{base}{path}", 20) for path in ("/stats", "/documents")}
            running.clear()
            attacker.join(60)
            print("| endpoint | quiet p50 / p95 ms | with costly analyses p50 / p95 ms |")
            print("|---|---|---|")
            for path in quiet:
                q, busy = quiet[path], loaded[path]
                print(f"| GET {path} | {_ms(q, 50)} / {_ms(q, 95)} | {_ms(busy, 50)} / {_ms(busy, 95)} |")
            print(f"analyse answers during the run: {dict(statuses)} (422 = over the 3 s budget)")
            stopped = time.monotonic()
            server.send_signal(signal.SIGTERM)
            server.wait(60)
            print(f"SIGTERM to exit: {time.monotonic() - stopped:.1f} s")
        finally:
            if server.poll() is None:
                server.kill()


def _ms(values: list[float], percentile: int) -> str:
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(len(ordered) * percentile / 100))] * 1000:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("pages", "fuzz", "kill", "server"))
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--trials", type=int, default=5)
    args = parser.parse_args()
    if args.only in (None, "pages"):
        run_pages()
    if args.only in (None, "fuzz"):
        run_fuzz(args.examples)
    if args.only in (None, "kill"):
        run_kill(args.trials)
    if args.only in (None, "server"):
        run_server()


if __name__ == "__main__":
    main()
