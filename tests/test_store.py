"""The DuckDB store: schema migrations, idempotent batches, errors, round trips and exports."""

from __future__ import annotations

import json

import duckdb
import pytest

from wirescope.errors import PageError, StoreError
from wirescope.records import (
    Analysis,
    Document,
    Entity,
    Event,
    EventActor,
    Framing,
    Mention,
    Segment,
    TextSpan,
)
from wirescope.storage.store import SCHEMA_VERSION, Store

TEXT = "Harbour talks resume\n\nMinister Ana Reis met union leaders on Monday. Reis said talks went well."


def make_analysis(doc_id: str = "doc1", text: str = TEXT, source: str = "page.txt") -> Analysis:
    body_start = text.index("Minister")
    return Analysis(
        document=Document(id=doc_id, text=text, title="Harbour talks resume", language="en", source=source),
        segments=(Segment(0, 20, "title"), Segment(body_start, len(text), "body")),
        entities=(
            Entity(id="e1", name="Ana Reis", type="PERSON", mentions=(
                Mention(body_start + 9, body_start + 17, "Ana Reis"),
                Mention(text.index("Reis said"), text.index("Reis said") + 4, "Reis"),
            )),
        ),
        events=(
            Event(id="v1", type="CONSULT",
                  trigger=TextSpan(body_start + 18, body_start + 21, "met"),
                  sentence=TextSpan(body_start, body_start + 47, text[body_start:body_start + 47]),
                  actors=(EventActor(body_start + 9, body_start + 17, "Ana Reis", "e1", "Ana Reis", "PRTGOV"),),
                  recipients=(EventActor(body_start + 22, body_start + 35, "union leaders", code="PRTLAB"),),
                  context=("labor",), confidence=0.7),
        ),
        framing=(
            Framing(text.index("well"), text.index("well") + 4, "loaded_term", "well", neutral="fine",
                    explanation="test entry", category="evaluative", in_quote=True, speaker="Ana Reis",
                    quote="q1"),
        ),
    )


def test_new_database_is_migrated_to_the_current_schema(tmp_path):
    db = tmp_path / "new" / "news.duckdb"
    with Store(db) as store:
        assert store.schema_version() == SCHEMA_VERSION
    with Store(db) as store:  # reopening runs no migration twice
        versions = store.con.execute("SELECT version FROM schema_migrations").fetchall()
        assert versions == [(v,) for v in range(1, SCHEMA_VERSION + 1)]
        tables = {r[0] for r in store.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"documents", "segments", "entities", "mentions", "ingest_errors",
            "quotes", "events", "framing", "stories", "story_documents"} <= tables


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    bogus = tmp_path / "notes.duckdb"
    bogus.write_text("these are my notes, not a database")
    with pytest.raises(StoreError, match="notes.duckdb"):
        Store(bogus)


def test_read_only_open_of_a_missing_database_says_so(tmp_path):
    with pytest.raises(StoreError, match="no such database"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_same_page_twice_is_one_document(tmp_path):
    with Store(tmp_path / "n.duckdb") as store:
        first = store.write_batch([make_analysis(), make_analysis()])
        second = store.write_batch([make_analysis()])
        assert (first.stored, second.stored) == (1, 0)
        assert store.counts()["documents"] == 1
        assert store.counts()["mentions"] == 2


def test_reanalyse_replaces_without_duplicating(tmp_path):
    with Store(tmp_path / "n.duckdb") as store:
        store.write_batch([make_analysis()])
        result = store.write_batch([make_analysis()], reanalyse=True)
        assert (result.stored, result.replaced) == (0, 1)
        assert store.counts() == {"documents": 1, "segments": 2, "entities": 1, "mentions": 2, "ingest_errors": 0}


def test_round_trip_gives_back_the_same_analysis(tmp_path):
    analysis = make_analysis()
    with Store(tmp_path / "n.duckdb") as store:
        store.write_batch([analysis])
        loaded = store.get_analysis("doc")  # a unique prefix is enough
    assert loaded is not None
    assert loaded.to_dict() == analysis.to_dict()


def test_ambiguous_or_unknown_prefix_finds_nothing(tmp_path):
    with Store(tmp_path / "n.duckdb") as store:
        store.write_batch([make_analysis("doc1"), make_analysis("doc2", TEXT + " More.")])
        assert store.get_analysis("doc") is None
        assert store.get_analysis("nope") is None
        assert store.get_analysis("doc2") is not None


def test_errors_are_recorded_once_per_input_and_cleared_on_success(tmp_path):
    with Store(tmp_path / "n.duckdb") as store:
        store.write_batch([], [PageError("page.txt", "file is empty", "empty")])
        store.write_batch([], [PageError("page.txt", "file is empty", "empty")])
        [row] = store.list_errors()
        assert row == {"source": "page.txt", "kind": "empty", "reason": "file is empty", "attempts": 2}
        store.write_batch([make_analysis(source="page.txt")])
        assert store.list_errors() == []


def test_failed_batch_leaves_nothing_behind(tmp_path):
    broken = make_analysis("doc9")
    broken = Analysis(document=broken.document, segments=broken.segments,
                      entities=(Entity(id="e1", name=None, type="PERSON", mentions=()),))  # type: ignore[arg-type]
    with Store(tmp_path / "n.duckdb") as store:
        with pytest.raises(duckdb.Error):
            store.write_batch([make_analysis("doc1"), broken])
        assert store.counts()["documents"] == 0


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_export_writes_every_table(tmp_path, fmt):
    with Store(tmp_path / "n.duckdb") as store:
        store.write_batch([make_analysis()], [PageError("bad.bin", "binary file", "binary")])
        written = store.export(tmp_path / "out", fmt)
    names = {p.name for p in written}
    assert {f"documents.{fmt}", f"mentions.{fmt}", f"ingest_errors.{fmt}"} <= names
    con = duckdb.connect()
    reader = "read_parquet" if fmt == "parquet" else "read_json_auto"
    rows = con.execute(f"SELECT id, title FROM {reader}('{tmp_path / 'out' / f'documents.{fmt}'}')").fetchall()
    assert rows == [("doc1", "Harbour talks resume")]
    if fmt == "jsonl":
        lines = (tmp_path / "out" / "analyses.jsonl").read_text().splitlines()
        assert json.loads(lines[0])["schema"] == "wirescope/analysis@1"


def test_unknown_export_format_is_rejected(tmp_path):
    with Store(tmp_path / "n.duckdb") as store, pytest.raises(ValueError, match="csv"):
        store.export(tmp_path / "out", "csv")


def test_a_database_of_an_older_schema_gains_the_new_columns_on_open(tmp_path):
    from dataclasses import replace

    from wirescope.storage.store import MIGRATIONS

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))  # as version 3 of the schema left it, before published_raw
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)")
    for version, sql in MIGRATIONS[:3]:
        con.execute(sql)
        con.execute("INSERT INTO schema_migrations (version) VALUES (?)", [version])
    con.close()
    analysis = make_analysis()
    analysis = replace(analysis, document=replace(analysis.document, published="2026-03-02",
                                                  published_raw="Monday, 2 March 2026"))
    with Store(db) as store:
        assert store.schema_version() == SCHEMA_VERSION
        store.write_batch([analysis])
        loaded = store.get_analysis("doc1")
    assert loaded is not None and loaded.document.published_raw == "Monday, 2 March 2026"
    assert loaded.to_dict() == analysis.to_dict()


def test_a_transaction_commits_whole_or_not_at_all(tmp_path):
    insert = "INSERT INTO ingest_errors (source, kind, reason) VALUES (?, 'empty', 'file is empty')"
    with Store(tmp_path / "n.duckdb") as store:
        with pytest.raises(RuntimeError), store.transaction():
            store.con.execute(insert, ["a.txt"])
            raise RuntimeError("stopped half way")
        assert store.list_errors() == []
        with store.transaction():
            store.con.execute(insert, ["a.txt"])
            store.con.execute(insert, ["b.txt"])
        assert [e["source"] for e in store.list_errors()] == ["a.txt", "b.txt"]
