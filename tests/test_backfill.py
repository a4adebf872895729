"""`wirescope backfill` on a local Ray (num_cpus=2) and `wirescope load`, on WARC files written here
with warcio from the project's fictional story pages (tests/story_pages.py): a full run through the
real CLI, a run killed and resumed, a page that fails, and a load equal to what `ingest` stores."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from fictional import corpus
from story_pages import PAGES, page_text, url_of
from wirescope.backfill import DEFAULT_SHARD_SIZE, ManifestMismatch, backfill, read_manifest
from wirescope.backfill.manifest import ShardEntry, write_manifest
from wirescope.backfill.plan import iter_shards
from wirescope.backfill.run import ray_session
from wirescope.cli import app
from wirescope.cli.backfill import SHARD_SIZE
from wirescope.errors import PageError
from wirescope.records import RawPage
from wirescope.settings import Settings
from wirescope.storage.shards import ERRORS_TABLE, analysis_tables, load_shards, shard_columns, write_shard
from wirescope.storage.store import Store
from wirescope.stories.assign import list_stories

pytestmark = pytest.mark.slow  # loads spaCy in Ray workers

runner = CliRunner()
FAST = ["--fast-bias"]  # the same pipeline, one model fewer to load in each worker
SHARD = 4
EMPTY_URL = "https://harbourledger.example/news/empty-page"
# Columns the store fills itself: not in the shards, defaulted on load.
STORE_FILLED = {"stored_at", "first_seen", "last_seen", "attempts"}


def _html(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{body}</article></body></html>").encode()


def _record(writer: WARCWriter, url: str, day: str, content_type: str, body: bytes) -> None:
    headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), http_headers=headers,
        warc_headers_dict={"WARC-Date": f"{day}T08:00:00Z"}))


def write_warc(path: Path, pages: list[tuple], empty_page: bool = False) -> Path:
    """A WARC of HTTP 200 responses: odd pages as HTML, even ones as plain text."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        if empty_page:  # a page that fails in the worker: nothing on it
            _record(writer, EMPTY_URL, "2031-03-05", "text/plain", b" \n \n")
        for i, (key, _story, _outlet, _host, day, title, paragraphs) in enumerate(pages):
            if i % 2:
                _record(writer, url_of(key), day, "text/html; charset=utf-8", _html(title, paragraphs))
            else:
                _record(writer, url_of(key), day, "text/plain; charset=utf-8",
                        page_text(title, paragraphs).encode())
    return path


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two WARC files (one gzipped); the last page of the first is in the second again, in the next
    shard (after the page that fails)."""
    root = tmp_path_factory.mktemp("archives")
    half = len(PAGES) // 2
    write_warc(root / "crawl-1.warc.gz", PAGES[:half + 1])
    write_warc(root / "crawl-2.warc", PAGES[half:], empty_page=True)
    return root


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """One local Ray for the module (backfill uses a Ray this process started, and leaves it)."""
    with ray_session(None, workers=2):
        yield


@pytest.fixture(scope="module")
def full_run(archives: Path, local_ray: None, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("backfill") / "out"
    result = runner.invoke(app, ["backfill", str(archives), "--out", str(out), "--workers", "2",
                                 "--shard-size", str(SHARD), "-q", *FAST])
    assert result.exit_code == 1, result.output  # the empty page failed; every other page is written
    return out, result.output


def _table_rows(out: Path, table: str) -> list[tuple]:
    files = sorted((out / table).glob("*.parquet"))
    rows = [tuple(r.values()) for f in files for r in pq.read_table(f).to_pylist()]
    return sorted(rows, key=repr)


def test_full_run_writes_every_table_once_per_shard(full_run: tuple[Path, str], archives: Path) -> None:
    out, output = full_run
    manifest = read_manifest(out)
    assert manifest is not None
    inputs = len(PAGES) + 2  # one page twice, and the empty page
    assert [s.seq for s in manifest.shards] == list(range(-(-inputs // SHARD)))
    assert sum(s.pages for s in manifest.shards) == inputs
    for shard in manifest.shards:
        assert set(shard.files) == set(shard_columns())
        assert all((out / path).is_file() for path in shard.files.values())
    assert not list(out.rglob("*.tmp")), "no temporary file is left behind"
    ids = [row[0] for row in _table_rows(out, "documents")]
    assert len(ids) == len(set(ids)) == len(PAGES), "each document once, the repeated page too"
    assert sum(s.duplicates for s in manifest.shards) == 1
    assert "1 duplicate(s) left out" in output and "1 failed" in output


def test_shards_have_the_columns_of_the_store_tables(full_run: tuple[Path, str], tmp_path: Path) -> None:
    out, _ = full_run
    with Store(tmp_path / "empty.duckdb") as store:
        for table in shard_columns():
            stored = [r[0] for r in store.con.execute(f"DESCRIBE {table}").fetchall()]
            written = pq.read_schema(next((out / table).glob("*.parquet"))).names
            assert set(written) <= set(stored)
            assert set(stored) - set(written) <= STORE_FILLED, table


def test_a_failing_page_is_in_the_errors_shard(full_run: tuple[Path, str], archives: Path) -> None:
    out, output = full_run
    errors = _table_rows(out, ERRORS_TABLE)
    assert len(errors) == 1
    source, kind, reason = errors[0]
    assert source.startswith(f"{archives / 'crawl-2.warc'}#record-") and kind and reason
    assert source in output and reason in output


def test_load_equals_ingest_of_the_same_pages(full_run: tuple[Path, str], archives: Path, tmp_path: Path) -> None:
    out, _ = full_run
    loaded, ingested = tmp_path / "loaded.duckdb", tmp_path / "ingested.duckdb"
    first = runner.invoke(app, ["load", str(out), "--db", str(loaded)])
    assert first.exit_code == 0, first.output
    assert f"{len(PAGES)} documents loaded, 0 already stored, 1 error(s)" in first.output
    again = runner.invoke(app, ["load", str(out), "--db", str(loaded)])
    assert f"0 documents loaded, {len(PAGES)} already stored, 0 error(s)" in again.output
    result = runner.invoke(app, ["ingest", str(archives), "--db", str(ingested), "-q", *FAST])
    assert result.exit_code == 1, result.output  # the empty page
    with Store(loaded, read_only=True) as a, Store(ingested, read_only=True) as b:
        assert a.document_ids() and sorted(a.document_ids()) == sorted(b.document_ids())
        for doc_id in a.document_ids():
            assert a.get_analysis(doc_id) == b.get_analysis(doc_id)
        assert [(e["source"], e["kind"], e["reason"]) for e in a.list_errors()] == \
            [(e["source"], e["kind"], e["reason"]) for e in b.list_errors()]
        assert a.counts() == b.counts()
        for derived in ("actor_forms", "actor_summary"):  # the actor register, derived on load as on ingest
            query = f"SELECT * FROM {derived} ORDER BY ALL"
            assert a.con.execute(query).fetchall() == b.con.execute(query).fetchall()

        def stories(store: Store) -> set[frozenset[str]]:
            return {frozenset(d["id"] for d in s["documents"]) for s in list_stories(store, limit=100)}

        assert stories(a) == stories(b) and len(stories(a)) > 1


def test_duckdb_queries_the_shards_in_place(full_run: tuple[Path, str]) -> None:
    out, _ = full_run
    con = duckdb.connect()
    count = con.execute(f"SELECT count(*) FROM read_parquet('{out}/documents/*.parquet')").fetchone()
    quotes = con.execute(f"SELECT count(*) FROM read_parquet('{out}/quotes/*.parquet') q "
                         f"JOIN read_parquet('{out}/documents/*.parquet') d ON d.id = q.doc_id").fetchone()
    assert count == (len(PAGES),) and quotes is not None and quotes[0] > 0


class Killed(Exception):
    """Stands for the process dying after a shard was committed."""


def test_a_killed_backfill_resumes_where_it_stopped(full_run: tuple[Path, str], archives: Path,
                                                    tmp_path: Path) -> None:
    reference, _ = full_run
    out = tmp_path / "out"
    # One worker here (the full run had two): the shards are the same whatever the workers.
    settings = Settings(contextual_bias=False, workers=1)

    def die_after_two(entry: ShardEntry) -> None:
        if entry.seq == 1:
            raise Killed

    with pytest.raises(Killed):
        backfill([str(archives)], out, settings, shard_size=SHARD, on_shard=die_after_two)
    # The kill came after shard 1's files were renamed into place and before its manifest entry
    # (dropped here), while shard 2's documents file was being written.
    expected = read_manifest(reference)
    manifest = read_manifest(out)
    assert expected is not None and manifest is not None and [s.seq for s in manifest.shards] == [0, 1]
    manifest.shards.pop()
    write_manifest(out, manifest)
    (out / "documents" / f".part-{expected.shards[2].name}.parquet.tmp").write_bytes(b"PAR1 half a file")
    # And a shard file of another cut of the inputs (a killed run over other sources).
    orphan = out / "documents" / "part-000007-0123456789ab.parquet"
    orphan.write_bytes((out / manifest.shards[0].files["documents"]).read_bytes())

    report = backfill([str(archives)], out, settings, shard_size=SHARD)
    assert (report.shards_skipped, report.shards_written) == (1, len(expected.shards) - 1)
    resumed = read_manifest(out)
    assert resumed is not None and not list(out.rglob("*.tmp")) and not orphan.exists()
    assert [(s.name, s.documents, s.errors) for s in resumed.shards] == \
        [(s.name, s.documents, s.errors) for s in expected.shards]
    for table in shard_columns():
        assert _table_rows(out, table) == _table_rows(reference, table), table

    finished = backfill([str(archives)], out, settings, shard_size=SHARD)
    assert (finished.shards_written, finished.workers_start_s) == (0, 0.0), "nothing to do: no worker started"
    with pytest.raises(ManifestMismatch):
        backfill([str(archives)], out, settings, shard_size=SHARD + 1)


def test_load_refuses_a_folder_without_manifest(tmp_path: Path) -> None:
    result = runner.invoke(app, ["load", str(tmp_path), "--db", str(tmp_path / "news.duckdb")])
    assert result.exit_code == 2 and "manifest.json" in result.output


def test_shards_are_named_by_position_and_inputs() -> None:
    items = [RawPage(f"page-{i}", "text") for i in range(5)] + [PageError("bad", "unreadable", kind="empty")]
    shards = list(iter_shards(items, 4))
    again = list(iter_shards(items, 4))
    assert [s.size for s in shards] == [4, 2] and [s.name for s in shards] == [s.name for s in again]
    assert shards[1].failures[0].error().kind == "empty" and shards[0].name.startswith("000000-")
    assert SHARD_SIZE == DEFAULT_SHARD_SIZE


def test_shard_rows_load_back_as_the_same_analyses(tmp_path: Path) -> None:
    """Storage alone (no Ray, no spaCy): hand-made analyses -> shard files -> a store, twice."""
    analyses = corpus()
    tables = analysis_tables(analyses + analyses[:1], [PageError("crawl.warc#record-9", "nothing on it", "empty")])
    files = write_shard(tables, tmp_path, "000000-test")
    with Store(tmp_path / "news.duckdb") as store:
        first = load_shards(store, {table: [tmp_path / path] for table, path in files.items()})
        again = load_shards(store, {table: [tmp_path / path] for table, path in files.items()})
        assert (len(first.loaded), first.errors, again.loaded, again.already_stored) == (len(analyses), 1, [], 3)
        assert [store.get_analysis(a.document.id) for a in analyses] == analyses
        assert [(e["source"], e["attempts"]) for e in store.list_errors()] == [("crawl.warc#record-9", 1)]
