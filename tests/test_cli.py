"""The real CLI (Typer's CliRunner, in process) on the project's samples and a real DuckDB file."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from wirescope.cli.commands import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
WIRE_PAGE = SAMPLES / "wire-page-harbor-talks.txt"
HTML_PAGE = SAMPLES / "html-page-river-accord.html"
JSONL_PAGES = SAMPLES / "pages.jsonl"

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def query(db: Path, sql: str):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_analyze_prints_a_readable_summary():
    result = run("analyze", WIRE_PAGE)
    assert result.exit_code == 0, result.output
    title = WIRE_PAGE.read_text(encoding="utf-8").splitlines()[0].strip()
    assert title[:30] in result.output
    assert "Page segments" in result.output and "Who is in it" in result.output
    assert "teaser" in result.output and "boilerplate" in result.output


def check_contract(payload: dict) -> None:
    assert payload["schema"] == "wirescope/analysis@1"
    assert set(payload) == {"schema", "document", "segments", "entities", "quotes", "events", "framing", "times"}
    doc = payload["document"]
    assert {"id", "url", "outlet", "title", "published", "byline", "language", "text"} <= set(doc)
    text = doc["text"]
    for event in payload["events"]:  # issue 4: events point into the text like every record
        for span in (event["trigger"], *event["mentions"], *event["actors"], *event["recipients"]):
            assert text[span["start"] : span["end"]] == span["text"]
    for item in payload["framing"]:
        assert item["kind"] in {"loaded_term", "loaded_attribution", "unattributed_claim", "biased_sentence"}
        assert text[item["start"] : item["end"]] == item["text"]
    for quote in payload["quotes"]:
        assert set(quote) == {"id", "kind", "content", "cue", "speaker"}
        assert quote["kind"] in {"direct", "indirect", "mixed"}
        for span in (quote["content"], quote["cue"], quote["speaker"]):
            if span is not None:
                assert text[span["start"] : span["end"]] == span["text"]
    for seg in payload["segments"]:
        assert set(seg) == {"kind", "start", "end"}
        assert 0 <= seg["start"] < seg["end"] <= len(text)
    for entity in payload["entities"]:
        assert {"id", "name", "type", "code", "mentions"} <= set(entity)
        for m in entity["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]


def test_analyze_json_follows_the_contract_for_text_and_html():
    for page in (WIRE_PAGE, HTML_PAGE):
        result = run("analyze", page, "--json")
        assert result.exit_code == 0, result.output
        payload = json.loads(result.stdout)
        check_contract(payload)
        assert payload["document"]["language"] == "en"
        assert any(s["kind"] == "body" for s in payload["segments"])
        assert any(e["type"] == "PERSON" for e in payload["entities"])


def test_analyze_json_several_pages_gives_json_lines():
    result = run("analyze", JSONL_PAGES, "--json")
    assert result.exit_code == 0, result.output
    payloads = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(payloads) == 3
    for payload in payloads:
        check_contract(payload)
    statuses = {p["document"]["language"]: p["document"]["status"] for p in payloads}
    assert statuses == {"en": "analysed", "fr": "not_analysed"}
    french = next(p for p in payloads if p["document"]["language"] == "fr")
    assert "not analysed" in french["document"]["status_reason"] and french["entities"] == []


def test_ingest_show_export_on_the_samples(tmp_path):
    db = tmp_path / "news.duckdb"
    result = run("ingest", SAMPLES, "--db", db, "--quiet")
    assert result.exit_code == 0, result.output
    expected = 2 + len(JSONL_PAGES.read_text().splitlines())
    assert query(db, "SELECT count(*) FROM documents") == [(expected,)]
    assert query(db, "SELECT count(*) FROM documents WHERE status = 'not_analysed'") == [(1,)]
    assert query(db, "SELECT count(*) FROM mentions")[0][0] > 10

    again = run("ingest", SAMPLES, "--db", db, "--quiet")
    assert again.exit_code == 0 and f"{expected} already stored" in again.output
    assert query(db, "SELECT count(*) FROM documents") == [(expected,)]

    [(doc_id,)] = query(db, "SELECT id FROM documents WHERE source LIKE '%harbor%'")
    shown = run("show", doc_id[:8], "--db", db)
    assert shown.exit_code == 0 and "Who is in it" in shown.output
    as_json = json.loads(run("show", doc_id, "--db", db, "--json").stdout)
    direct = json.loads(run("analyze", WIRE_PAGE, "--json").stdout)
    assert as_json["document"]["id"] == direct["document"]["id"]
    assert as_json["segments"] == direct["segments"] and as_json["entities"] == direct["entities"]

    listed = run("documents", "--db", db)
    assert listed.exit_code == 0 and doc_id in listed.output

    for fmt in ("parquet", "jsonl"):
        out = tmp_path / fmt
        exported = run("export", "--db", db, "--format", fmt, "--out", out)
        assert exported.exit_code == 0, exported.output
        assert (out / f"documents.{fmt}").exists() and (out / f"mentions.{fmt}").exists()
    analyses = (tmp_path / "jsonl" / "analyses.jsonl").read_text().splitlines()
    assert len(analyses) == expected


def test_an_undated_page_is_shown_undated_never_with_the_ingest_day(tmp_path):
    from dataclasses import replace

    from fictional import COURIER, LEDGER, build
    from wirescope.storage.store import Store

    undated, dated = build(replace(COURIER, published=None)), build(LEDGER)
    db = tmp_path / "news.duckdb"
    with Store(db) as store:
        store.write_batch([undated, dated])
    listed = run("documents", "--db", db).output.splitlines()
    assert "undated" in next(line for line in listed if undated.document.id in line)
    assert "2026-11-04" in next(line for line in listed if dated.document.id in line)
    shown = run("show", undated.document.id, "--db", db)
    assert shown.exit_code == 0
    assert "undated" in next(line for line in shown.output.splitlines() if "published" in line)
    [story_id] = [s["id"] for s in map(json.loads, run("stories", "--db", db, "--json").stdout.splitlines())
                  if undated.document.id in {d["id"] for d in s["documents"]}]
    documents = run("story", story_id, "--db", db).output.split("Documents", 1)[1].splitlines()
    assert "undated" in next(line for line in documents if undated.document.id[:12] in line)


def test_show_unknown_document_fails_clearly(tmp_path):
    db = tmp_path / "news.duckdb"
    run("ingest", WIRE_PAGE, "--db", db, "--quiet")
    result = run("show", "zzzz", "--db", db)
    assert result.exit_code == 1 and "zzzz" in result.output


def test_missing_database_is_a_store_error(tmp_path):
    result = run("show", "abc", "--db", tmp_path / "none.duckdb")
    assert result.exit_code == 3 and "no such database" in result.output


def test_bad_pages_are_reported_and_the_batch_goes_on(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "good.txt").write_text(WIRE_PAGE.read_text(encoding="utf-8"), encoding="utf-8")
    (pages / "empty.txt").write_text("")
    (pages / "blob.bin").write_bytes(bytes(range(256)) * 64)
    (pages / "rows.jsonl").write_text('{"text": "not closed\n' + json.dumps({"text": "A short page."}) + "\n")
    db = tmp_path / "news.duckdb"
    result = run("ingest", pages, "--db", db, "--quiet")
    assert result.exit_code == 1
    assert "empty.txt" in result.output and "blob.bin" in result.output and "rows.jsonl:1" in result.output
    assert query(db, "SELECT count(*) FROM documents WHERE source LIKE '%good.txt'") == [(1,)]
    kinds = dict(query(db, "SELECT source, kind FROM ingest_errors"))
    assert kinds[str(pages / "empty.txt")] == "empty"
    assert kinds[str(pages / "blob.bin")] == "binary"
    errors = run("errors", "--db", db)
    assert "blob.bin" in errors.output


def test_page_over_the_size_limit_is_rejected(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("Harbour talks. " * 100_000)  # about 1.5 MB
    result = run("analyze", big, "--max-mb", "1")
    assert result.exit_code == 1 and "too_large" in result.output


def write_pages(directory: Path, n: int) -> None:
    directory.mkdir()
    base = WIRE_PAGE.read_text(encoding="utf-8")
    for i in range(n):
        (directory / f"page{i:03d}.txt").write_text(base.replace("\n\n", f"\n\nEdition {i} of the day.\n\n", 1),
                                                     encoding="utf-8")


def test_a_killed_ingest_rerun_stores_every_page_exactly_once(tmp_path):
    pages = tmp_path / "pages"
    write_pages(pages, 60)
    db = tmp_path / "news.duckdb"
    cmd = [sys.executable, "-m", "wirescope", "ingest", str(pages), "--db", str(db), "--batch-size", "3", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while not db.exists() and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(3.0)  # let the model load and a few batches commit, then kill without any chance to clean up
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the first run finished before it could be interrupted"
    [(stored_before,)] = query(db, "SELECT count(*) FROM documents")
    assert stored_before < 60
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert query(db, "SELECT count(*), count(DISTINCT id) FROM documents") == [(60, 60)]
    clean = tmp_path / "clean.duckdb"
    run("ingest", pages, "--db", clean, "--quiet")
    for table in ("segments", "entities", "mentions"):
        assert query(db, f"SELECT count(*) FROM {table}") == query(clean, f"SELECT count(*) FROM {table}")


def test_ingest_from_urls_on_a_local_server(tmp_path):
    import http.server
    import threading
    from functools import partial

    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(SAMPLES))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        db = tmp_path / "news.duckdb"
        result = run("ingest", f"{base}/{HTML_PAGE.name}", f"{base}/missing.html", "--db", db, "--quiet",
                     "--timeout", "5")
    finally:
        server.shutdown()
    assert result.exit_code == 1
    assert "missing.html" in result.output and "404" in result.output
    [(url, title)] = query(db, "SELECT url, title FROM documents")
    assert url == f"{base}/{HTML_PAGE.name}" and title
    assert query(db, "SELECT kind FROM ingest_errors") == [("http",)]


def test_fast_bias_scores_sentence_bias_with_the_static_model_alone(tmp_path):
    from wirescope.analysis.framing.bias import load_bias_model

    # Fictional page: attributed criticism and praise, the kind the static model is unsure of.
    page = tmp_path / "bridge.txt"
    page.write_text(
        "Council approves Riverside bridge\n\n"
        "The Riverside city council voted 9-2 on Wednesday to approve a new pedestrian bridge.\n\n"
        "Supporters hailed the bridge as a long overdue investment in the neglected east side.\n\n"
        "Critics say the ministry's grant scheme is poorly designed and comes far too late.\n\n"
        "The opposition accused the government of mishandling the grant programme.\n\n"
        "The reckless mayor shamelessly rammed through his disastrous bridge scheme, ignoring outraged residents.\n",
        encoding="utf-8")
    scored = {}
    for flag in ((), ("--fast-bias",)):
        result = run("analyze", page, "--json", *flag)
        assert result.exit_code == 0, result.output
        framing = json.loads(result.output)["framing"]
        scored[flag] = {f["text"]: f["score"] for f in framing if f["kind"] == "biased_sentence"}
    fast = scored[("--fast-bias",)]
    static = load_bias_model().score(list(fast))
    assert fast and all(abs(a - b) < 1e-3 for a, b in zip(fast.values(), static))
    # The cascade re-scores the sentences the static model is unsure of, so its flags differ.
    assert scored[()] != fast


def test_option_defaults_are_the_settings_defaults():
    import inspect

    from wirescope.cli.commands import analyze, ingest, neutral
    from wirescope.cli.options import settings_from_flags
    from wirescope.cli.serve import serve
    from wirescope.settings import Settings

    flags = ("workers", "batch_size", "max_mb", "timeout", "reanalyse", "fast_bias")
    for command in (analyze, ingest, neutral, serve):
        defaults = {name: p.default for name, p in inspect.signature(command).parameters.items() if name in flags}
        assert defaults and settings_from_flags(**defaults) == Settings(), command.__name__
