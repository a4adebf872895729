"""Issue 16, item 2: one owner of the database. While `wirescope serve` holds a file, the CLI's read
commands and `ingest` on the same --db work by going through the server; what cannot gets a clear
message, never DuckDB's raw lock error."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import pytest
from typer.testing import CliRunner

from wirescope.cli.commands import app
from wirescope.storage.owner import owner_path, read_owner
from wirescope.storage.remote import SECRET_HEADER

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
cli = CliRunner()

STORY = ("Night ferry service cut in Calderon\n\n"
         "The Calderon ferry operator will end its night service on Friday, operator spokeswoman Lena Oduya "
         "said on Monday. \"The last boat carries four passengers on a good night,\" she told reporters. "
         "The harbour workers' union threatened to strike if any jobs were lost.\n")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path):
    """A database with the sample pages, held by a running `wirescope serve`."""
    db = tmp_path / "news.duckdb"
    assert run("ingest", SAMPLES / "wire-page-harbor-talks.txt", "--db", db, "-q").exit_code == 0
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "wirescope", "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):  # bounded: 60 s for the server to answer
            if read_owner(db) is not None:
                try:
                    httpx.get(f"http://127.0.0.1:{port}/stats", timeout=1)
                    break
                except httpx.TransportError:
                    pass
            time.sleep(0.2)
        yield db, server
    finally:
        server.terminate()
        server.wait(30)


def run(*args: str):
    return cli.invoke(app, [str(a) for a in args])


def flat(text: str) -> str:
    """The output with Rich's line wrapping undone."""
    return " ".join(text.split())


@pytest.mark.slow
def test_cli_commands_go_through_the_server_that_holds_the_database(served, tmp_path: Path):
    db, server = served
    note = owner_path(db)
    assert note.stat().st_mode & 0o777 == 0o600  # the secret is the file user's only
    # Reads.
    documents = run("documents", "--db", db, "--json")
    assert documents.exit_code == 0, documents.output
    [first] = [json.loads(line) for line in documents.output.splitlines()]
    shown = run("show", first["id"], "--db", db, "--json")
    assert json.loads(shown.output)["document"]["id"] == first["id"]
    for command in (["quotes"], ["events"], ["errors"], ["stories"], ["actors"]):
        result = run(*command, "--db", db)
        assert result.exit_code == 0, (command, result.output)
    assert "Marta Ilves" in run("quotes", "--db", db, "--json").output
    exported = run("export", "--db", db, "--format", "parquet", "--out", tmp_path / "export")
    assert exported.exit_code == 0, exported.output
    assert duckdb.sql(f"SELECT count(*) FROM '{tmp_path / 'export' / 'documents.parquet'}'").fetchall() == [(1,)]

    # Ingest: analysed here, stored by the server, grouped into a story there; nothing twice.
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "ferry.txt").write_text(STORY, encoding="utf-8")
    (pages / "empty.txt").write_text("", encoding="utf-8")
    ingested = run("ingest", pages, SAMPLES / "wire-page-harbor-talks.txt", "--db", db, "-q")
    assert ingested.exit_code == 1, ingested.output  # the empty page failed
    assert "1 stored" in flat(ingested.output) and "1 already stored" in flat(ingested.output)
    again = run("ingest", pages, "--db", db, "-q")
    assert "0 stored" in flat(again.output) and "1 already stored" in flat(again.output)
    titles = [json.loads(line)["title"] for line in run("documents", "--db", db, "--json").output.splitlines()]
    assert sorted(titles).count("Night ferry service cut in Calderon") == 1 and len(titles) == 2
    assert "empty.txt" in run("errors", "--db", db).output
    stories = [json.loads(line) for line in run("stories", "--db", db, "--json").output.splitlines()]
    assert sum(len(story["documents"]) for story in stories) == 2
    # The API sees what the CLI stored through it.
    port = read_owner(db).url.rsplit(":", 1)[1]
    assert httpx.get(f"http://127.0.0.1:{port}/documents", timeout=10).json()["total"] == 2

    # A write that cannot go through the server says so.
    refused = run("actor-rename", "person:lena-oduya", "Lena Oduya-Marsh", "--db", db)
    assert refused.exit_code == 3
    assert "held by the running `wirescope serve`" in flat(refused.output)
    assert "Could not set lock" not in refused.output

    server.terminate()
    server.wait(30)
    assert not note.exists()  # the note goes with the server
    assert run("actor-corrections", "--db", db).exit_code == 0  # the file is free again


@pytest.mark.slow
def test_the_internal_routes_need_the_owners_secret_and_take_only_selects(served):
    db, _ = served
    owner = read_owner(db)
    assert owner is not None
    query = {"sql": "SELECT count(*) FROM documents"}
    assert httpx.post(f"{owner.url}/internal/query", json=query, timeout=10).status_code == 403
    headers = {SECRET_HEADER: owner.secret}
    assert httpx.post(f"{owner.url}/internal/query", json=query, headers=headers, timeout=10).status_code == 200
    for sql in ("DELETE FROM documents", "SELECT 1; DROP TABLE documents", "COPY documents TO '/tmp/x.csv'"):
        answer = httpx.post(f"{owner.url}/internal/query", json={"sql": sql}, headers=headers, timeout=10)
        assert answer.status_code == 422, sql


def test_a_file_held_by_another_process_gets_a_clear_message(tmp_path: Path):
    db = tmp_path / "news.duckdb"
    duckdb.connect(str(db)).close()
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(db)!r}); "
                               "print('held', flush=True); time.sleep(60)"], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
        result = run("documents", "--db", db)
        assert result.exit_code == 3
        assert f"in use by another process (PID {holder.pid})" in flat(result.output)
        assert "wirescope serve" in flat(result.output)
    finally:
        holder.kill()
        holder.wait()
