"""Issue 21, item 2: a server nobody can stall. A costly POST /analyze runs in the page worker under
the page budget while reads stay fast; a full analyse queue answers 503; SIGTERM stops the server
within seconds; with a token set, /analyze needs it unless the server says analysing is public."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from wirescope.serve.app import create_app

PROSE = "The harbour council met on Monday and agreed to a new budget for the ferry terminal. "
STORY = ("Ferry fares rise in Calderon\n\n"
         "The Calderon ferry operator raised its fares on Monday. \"We had no choice,\" spokeswoman Lena Oduya said.\n")
# Analysed in full under the default limit of 200,000 characters, and far slower than the 3 s budget.
COSTLY_PAGE = "A long report\n\n" + PROSE * 2300


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_server(db: Path, *flags: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    command = [sys.executable, "-m", "wirescope", "serve", "--db", str(db), "--port", str(port), *flags]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):  # bounded: at most 60 s for the server to answer
        try:
            if httpx.get(f"{base}/stats", timeout=1).status_code == 200:
                return server, base
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise AssertionError("the server did not start")


@pytest.mark.slow
def test_a_costly_analyse_does_not_delay_reads_and_sigterm_stops_the_server(tmp_path: Path):
    server, base = _start_server(tmp_path / "news.duckdb", "--page-timeout", "3")
    try:
        answers: list[httpx.Response] = []

        def post(text: str) -> None:
            answers.append(httpx.post(f"{base}/analyze", json={"text": text}, timeout=180))

        post(STORY)  # starts the page worker
        assert answers[0].status_code == 200, answers[0].text
        costly = threading.Thread(target=post, args=(COSTLY_PAGE,))
        costly.start()
        time.sleep(0.5)
        read_times = []
        while costly.is_alive() and len(read_times) < 200:  # bounded: the analyse ends at its budget
            started = time.monotonic()
            assert httpx.get(f"{base}/stats", timeout=10).status_code == 200
            read_times.append(time.monotonic() - started)
            time.sleep(0.05)
        costly.join(120)
        assert answers[1].status_code == 422 and "over_budget" in answers[1].json()["error"]
        assert read_times and max(read_times) < 1.0, read_times  # reads were not held up

        # A stop while a page is in hand: the server ends within a few seconds.
        costly = threading.Thread(target=post, args=(COSTLY_PAGE,))
        costly.start()
        time.sleep(1.0)
        stopped = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        assert time.monotonic() - stopped < 10
        costly.join(30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


@pytest.mark.slow
def test_a_full_analyse_queue_answers_503(tmp_path: Path):
    client = TestClient(create_app(tmp_path / "news.duckdb", analyse_queue=1), base_url="http://127.0.0.1")
    assert client.post("/analyze", json={"text": STORY}).status_code == 200  # the page worker is up
    answers: list[int] = []
    first = threading.Thread(target=lambda: answers.append(
        client.post("/analyze", json={"text": "A long report\n\n" + PROSE * 600}).status_code))
    first.start()
    time.sleep(0.3)  # the first request holds the one place in the queue
    busy = client.post("/analyze", json={"text": STORY})
    first.join(120)
    assert busy.status_code == 503 and busy.headers["retry-after"] == "5"
    assert "try again" in busy.json()["error"]
    assert answers == [200]


def test_with_a_token_analysing_needs_it_unless_public(tmp_path: Path):
    closed = TestClient(create_app(tmp_path / "a.duckdb", token="s3cret"), base_url="http://127.0.0.1")
    assert closed.post("/analyze", json={"text": STORY}).status_code == 401
    assert closed.post("/analyze", json={"text": STORY}, headers={"X-API-Token": "wrong"}).status_code == 403
    public = TestClient(create_app(tmp_path / "b.duckdb", token="s3cret", public_analyse=True),
                        base_url="http://127.0.0.1")
    assert public.post("/analyze", json={"text": "", "store": True}).status_code == 401  # storing still needs it


@pytest.mark.slow
def test_a_page_past_spacys_limit_is_analysed_in_part_not_a_500(tmp_path: Path):
    from wirescope.settings import Settings

    app = create_app(tmp_path / "news.duckdb", settings=Settings(max_chars=5000))
    client = TestClient(app, base_url="http://127.0.0.1")
    answer = client.post("/analyze", json={"text": "A very long page\n\n" + PROSE * 13_000})  # 1.1 M characters
    assert answer.status_code == 200, answer.text
    document = answer.json()["document"]
    assert document["status_reason"].startswith("analysed the first ") and len(document["text"]) > 1_000_000
