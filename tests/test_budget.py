"""Issue 21, item 1: a time and size budget per page. Pathological pages are neutralised or recorded
with their reason, a page over its time budget is abandoned and its worker replaced, and the rest of
the batch is analysed and stored. Every page here is written for the test."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import wirescope
from wirescope.cli.commands import app
from wirescope.io.page_checks import blank_long_chunks, count_elements, exceeds_parser_depth, nesting_bound
from wirescope.pipeline import parse, parse_pieces
from wirescope.prepare import analysis_end
from wirescope.records import RawPage
from wirescope.runner import PageRunner, analyze_pages
from wirescope.settings import Settings

cli = CliRunner()

STORY = ("Ferry fares rise in Calderon\n\n"
         "The Calderon ferry operator raised its fares on Monday, the second rise this year. "
         "\"We had no choice after the fuel bill doubled,\" operator spokeswoman Lena Oduya told reporters. "
         "Commuters' groups said they would ask the harbour council to review the increase.\n")
OTHER_STORY = ("Library hours extended in Brennmoor\n\n"
               "The Brennmoor public library will stay open until ten in the evening from next month, "
               "the town council said on Tuesday. Councillor Ivo Marsh said students had asked for it.\n")
PROSE = "The harbour council met on Monday and agreed to a new budget for the ferry terminal. "


def _errors(db: Path) -> list[tuple[str, str, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT source, kind, reason FROM ingest_errors ORDER BY source").fetchall()
    finally:
        con.close()


def _documents(db: Path) -> list[tuple[str, str | None, int]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT source, status_reason, length(text) FROM documents ORDER BY source").fetchall()
    finally:
        con.close()


# --- the linear checks ----------------------------------------------------------------------------


def test_long_whitespace_free_chunks_are_blanked_keeping_every_offset():
    text = 'He said "no" today. ' + '"' * 5000 + " and then " + "x" * 80
    blanked, count = blank_long_chunks(text)
    assert count == 1 and len(blanked) == len(text)
    assert blanked.startswith('He said "no" today. ') and blanked.endswith(" and then " + "x" * 80)
    assert '"' * 101 not in blanked


def test_element_count_and_nesting_depth():
    assert count_elements("<p>a <b>b</b> 3 < 4</p>") == 2
    assert nesting_bound("<div><p>a<br>b</p><img src=x><div/></div>") == 2
    deep = "<html><body>" + "<div>" * 300 + "<p>text</p>" + "</div>" * 300 + "</body></html>"
    shallow = "<html><body>" + "<div>" * 20 + "<p>text</p>" + "</div>" * 20 + "</body></html>"
    assert exceeds_parser_depth(deep) and not exceeds_parser_depth(shallow)


def test_analysis_stops_at_a_sentence_end_before_the_limit():
    text = PROSE * 100
    end = analysis_end(text, 1000)
    assert end is not None and end <= 1000 and text[:end].rstrip().endswith(".")
    assert analysis_end(text, len(text)) is None


def test_a_long_text_is_parsed_in_pieces_into_one_doc_with_the_same_offsets():
    text = "Title\n\n" + "\n".join(PROSE * 3 for _ in range(300))  # about 76,000 characters
    pieces = list(parse_pieces(text, 20_000))
    assert len(pieces) > 3 and "".join(pieces) == text and all(p.endswith("\n") for p in pieces[:-1])
    doc = parse(text, Settings())
    assert doc.text == text
    assert [t.idx for t in doc[-5:]] == [text.rindex(t.text, 0, t.idx + len(t.text)) for t in doc[-5:]]


# --- the batch goes on -----------------------------------------------------------------------------


@pytest.mark.slow
def test_hostile_pages_in_one_batch_are_recorded_and_the_rest_stored(tmp_path: Path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a-story.txt").write_text(STORY, encoding="utf-8")
    (pages / "b-quote-run.txt").write_text(STORY + '"' * 100_000 + "\n", encoding="utf-8")
    (pages / "c-curly-run.txt").write_text(OTHER_STORY + "\u201c" * 100_000 + "\n", encoding="utf-8")
    inline = "<html><body><article><p>" + "<b>a</b>" * 60_000 + "</p></article></body></html>"
    (pages / "d-inline.html").write_text(inline, encoding="utf-8")
    (pages / "e-deep.html").write_text("<html><body>" + "<div>" * 300 + "<p>" + PROSE * 3 + "</p>" + "</div>" * 300
                                       + "</body></html>", encoding="utf-8")
    long_page = "A very long page\n\n" + PROSE * 13_000  # 1.1 million characters: past spaCy's max_length
    (pages / "f-long.txt").write_text(long_page, encoding="utf-8")
    db = tmp_path / "news.duckdb"
    started = time.monotonic()
    result = cli.invoke(app, ["ingest", str(pages), "--db", str(db), "--max-chars", "20000", "-q"])
    assert time.monotonic() - started < 240
    assert result.exit_code == 1, result.output  # some pages failed; the others are stored
    errors = {Path(source).name: (kind, reason) for source, kind, reason in _errors(db)}
    assert errors["d-inline.html"][0] == "too_complex" and "60,004 elements" in errors["d-inline.html"][1]
    assert errors["e-deep.html"][0] == "too_deep" and "256" in errors["e-deep.html"][1]
    assert set(errors) == {"d-inline.html", "e-deep.html"}
    stored = {Path(source).name: (reason, length) for source, reason, length in _documents(db)}
    assert set(stored) == {"a-story.txt", "b-quote-run.txt", "c-curly-run.txt", "f-long.txt"}
    reason, length = stored["f-long.txt"]
    # Stored whole, analysed in part.
    assert length == len(long_page.rstrip()) and reason.startswith("analysed the first ")


@pytest.mark.slow
def test_a_page_over_its_time_budget_is_abandoned_and_its_worker_replaced(tmp_path: Path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a-story.txt").write_text(STORY, encoding="utf-8")
    (pages / "b-slow.txt").write_text("A long report\n\n" + PROSE * 8000, encoding="utf-8")  # 700,000 characters
    (pages / "c-story.txt").write_text(OTHER_STORY, encoding="utf-8")
    db = tmp_path / "news.duckdb"
    # A budget of one second: the 700,000 characters (all analysed, --max-chars) take far longer.
    args = ["ingest", str(pages), "--db", str(db), "--page-timeout", "1", "--max-chars", "1000000", "-q"]
    first = cli.invoke(app, args)
    assert first.exit_code == 1, first.output
    assert "over_budget" in first.output and "b-slow.txt" in first.output
    assert [(Path(s).name, k) for s, k, _ in _errors(db)] == [("b-slow.txt", "over_budget")]
    # The page after the slow one was analysed by the replacement worker.
    assert [Path(s).name for s, _, _ in _documents(db)] == ["a-story.txt", "c-story.txt"]
    again = cli.invoke(app, args)  # a re-run tries the slow page again and stores nothing twice
    assert again.exit_code == 1
    assert [Path(s).name for s, _, _ in _documents(db)] == ["a-story.txt", "c-story.txt"]
    assert [(Path(s).name, k) for s, k, _ in _errors(db)] == [("b-slow.txt", "over_budget")]


def _run_killing_the_worker(runner: PageRunner, pages: list[RawPage], pending: int) -> tuple[list, int | None]:
    """``runner.run(pages)`` while a thread kills its worker once the worker's job has ``pending`` pages
    without a result (polled for at most a minute); the results and the killed process's id."""
    killed: list[int] = []

    def kill() -> None:
        for _ in range(1200):
            worker = runner._workers[0]
            if worker.job is not None and len(worker.job.pending) == pending:
                worker.process.kill()
                killed.append(worker.process.pid)
                return
            time.sleep(0.05)

    killer = threading.Thread(target=kill)
    killer.start()
    results = list(runner.run(pages, Settings(page_timeout_s=120)))
    killer.join()
    return results, (killed[0] if killed else None)


@pytest.mark.slow
def test_a_worker_that_dies_on_a_page_is_replaced():
    with PageRunner(workers=1) as runner:
        slow = RawPage("slow.txt", "A long report\n\n" + PROSE * 3000, content_type="text")
        # The two pages go to the worker as one job; the short story comes back first, and the worker
        # is killed while it holds the slow page alone.
        results, killed = _run_killing_the_worker(runner, [slow, RawPage("story.txt", STORY, content_type="text")], 1)
    assert killed is not None
    assert isinstance(results[0], wirescope.PageError) and results[0].kind == "worker_died"
    assert "SIGKILL" in results[0].reason
    assert isinstance(results[1], wirescope.Analysis) and results[1].document.source == "story.txt"


@pytest.mark.slow
def test_pages_of_a_job_whose_worker_dies_are_analysed_again_one_at_a_time():
    with PageRunner(workers=1) as runner:
        # About 13,000 characters each: parsed together, seconds before the first result comes back.
        pages = [RawPage(f"report-{n}.txt", f"Report {n}\n\n" + PROSE * 150, content_type="text") for n in range(3)]
        results, killed = _run_killing_the_worker(runner, pages, 3)
        assert killed is not None and runner._workers[0].process.pid != killed
    # No page is blamed for a death in a job of three: each is tried again alone and analysed.
    assert [r.document.source for r in results if isinstance(r, wirescope.Analysis)] == [p.source for p in pages]


def test_an_analyser_failing_on_one_page_does_not_end_the_batch(monkeypatch: pytest.MonkeyPatch):
    from wirescope import pipeline

    real = pipeline.extract_quotes

    def failing(doc, entities):  # type: ignore[no-untyped-def]
        if "Brennmoor" in doc.text:
            raise RuntimeError("a bug on this page")
        return real(doc, entities)

    monkeypatch.setattr(pipeline, "extract_quotes", failing)
    pages = [RawPage("one.txt", STORY, content_type="text"), RawPage("two.txt", OTHER_STORY, content_type="text")]
    # page_timeout_s=0: analysed in this process, where the monkeypatched analyser runs.
    results = [pipeline.analyze_page(p, Settings(page_timeout_s=0)) for p in pages]
    assert isinstance(results[0], wirescope.Analysis)
    assert isinstance(results[1], wirescope.PageError) and results[1].kind == "internal"
    assert "RuntimeError: a bug on this page" in results[1].reason
    # Parsed together, the pages keep their own outcomes.
    together = dict(pipeline.analyze_page_batch(pages, Settings(page_timeout_s=0)))
    assert isinstance(together[0], wirescope.Analysis) and together[0].to_dict() == results[0].to_dict()
    assert isinstance(together[1], wirescope.PageError) and together[1].reason == results[1].reason
    # And through analyze_pages with no budget (``--page-timeout 0``), which parses in this process.
    here = list(analyze_pages(pages, Settings(page_timeout_s=0)))
    assert [r.to_dict() if isinstance(r, wirescope.Analysis) else r.reason for r in here] == \
        [results[0].to_dict(), results[1].reason]


def test_pages_parsed_together_are_analysed_as_each_alone():
    from wirescope import pipeline
    from wirescope.io.readers import iter_pages

    settings = Settings(page_timeout_s=0, contextual_bias=False)
    samples = Path(__file__).resolve().parents[1] / "samples"  # a text page, an HTML page, JSON Lines pages
    pages = [page for page in iter_pages([str(samples)], settings) if isinstance(page, RawPage)]
    pages.append(RawPage("long.txt", "A long report\n\n" + PROSE * 300, content_type="text"))  # parsed in pieces
    together = dict(pipeline.analyze_page_batch(pages, settings))
    assert sorted(together) == list(range(len(pages)))
    # In this process with no budget (``--page-timeout 0``): the long page parsed in pieces too.
    here = {r.document.source: r.to_dict() for r in analyze_pages(pages, settings) if isinstance(r, wirescope.Analysis)}
    for index, page in enumerate(pages):
        alone = pipeline.analyze_page(page, settings)
        assert isinstance(alone, wirescope.Analysis), page.source
        assert together[index].to_dict() == alone.to_dict(), page.source  # type: ignore[union-attr]
        assert here[alone.document.source] == alone.to_dict(), page.source


@pytest.mark.slow
def test_analyze_json_prints_every_page_of_a_batch_with_a_long_page(tmp_path: Path):
    long_page = tmp_path / "long.txt"
    long_page.write_text("A very long page\n\n" + PROSE * 13_000, encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    result = cli.invoke(app, ["analyze", str(long_page), str(story), "--json", "--max-chars", "5000"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [Path(p["document"]["source"]).name for p in lines] == ["long.txt", "story.txt"]
    assert lines[0]["document"]["status_reason"].startswith("analysed the first ")
    assert all(e["mentions"][-1]["end"] <= 5000 for e in lines[0]["entities"])


@pytest.mark.slow
def test_many_short_quotes_and_deep_nesting_stay_within_time_and_memory(tmp_path: Path):
    """The issue's costly inputs: a short quote repeated thousands of times (1.76 GB before) and quotes
    nested 3,000 deep (92 s before), analysed in a fresh process whose peak memory is measured."""
    script = tmp_path / "costly.py"
    script.write_text(
        "import resource, sys, time\n"
        "import wirescope\n"
        f"story = {STORY!r}\n"
        "wirescope.analyze(story)\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "started = time.monotonic()\n"
        "said = wirescope.analyze('Title of it\\n\\n' + '\\u201cYes,\\u201d he said. ' * 10000)\n"
        "nested = wirescope.analyze(story + 'He said ' + '\\u201cA ' * 3000 + 'end' + '\\u201d ' * 3000 + '\\n')\n"
        "grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024\n"
        "print(len(said.quotes), len(nested.quotes), round(time.monotonic() - started, 1), round(grown))\n",
        encoding="utf-8")
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=True)
    said_quotes, nested_quotes, seconds, grown_mb = done.stdout.split()
    assert int(said_quotes) == 10000 and int(nested_quotes) >= 1
    assert float(seconds) < 60  # the page budget is 30 s each
    assert int(grown_mb) < 500, f"peak memory grew by {grown_mb} MB"
