"""Document search from the full-text index (issue 21): BM25 ranking, AND semantics, accents and case,
an index kept in step with re-analysed documents, older databases indexed on open, and the API's
``/documents?q=`` answered from the index. Pages are fictional, written for these tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from fictional import COURIER, Page, build
from wirescope.serve.api import create_app
from wirescope.storage import queries, search_index
from wirescope.storage.store import Store

HARBOUR_URL = "https://tidewater-gazette.example/harbour"
# Named in the title and three times in the text: the best match for "ferry".
FERRY_STORY = Page(
    title="Ferry crews of Port Elsworth vote to strike",
    body=["The ferry crews of Port Elsworth voted on Friday to strike from next month.",
          "Ferry operator Wexmoor Lines said the ferry timetable would be cut by half.",
          "The harbour master, Ilse Brandvik, asked both sides to return to talks."],
    outlet="Tidewater Gazette", published="2031-05-02", url=HARBOUR_URL,
    teaser="Elsewhere: the Orlen Valley vineyard festival opens on Saturday.")
# Names the ferry once, in passing.
MARKET_STORY = Page(
    title="Fish market of Port Elsworth reopens after repairs",
    body=["The covered fish market reopened on Thursday after eight months of repairs.",
          "Traders who came over on the morning ferry said the new roof kept the stalls dry.",
          "Ilse Brandvik, the harbour master, cut the ribbon."],
    outlet="Elsworth Herald", published="2031-05-03", url="https://elsworth-herald.example/market")
# Accents and capitals in the text; no ferry.
ACCENT_STORY = Page(
    title="Zürich-born conductor Søren Åkerlund opens the Élan festival",
    body=["Søren Åkerlund conducted the ÉLAN orchestra in the old Café Müller hall on Sunday.",
          "The conductor said the harbour town had welcomed the musicians warmly."],
    outlet="Elsworth Herald", published="2031-05-04", url="https://elsworth-herald.example/elan")


def pages() -> list[Page]:
    return [FERRY_STORY, MARKET_STORY, ACCENT_STORY]


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "news.duckdb"
    with Store(path) as store:
        store.write_batch([build(page) for page in pages()])
    return path


def search(path: Path, q: str, **filters: object) -> dict[str, object]:
    with Store(path, read_only=True) as store:
        return queries.search_documents(store.con, q, **filters)  # type: ignore[arg-type]


def titles(found: dict[str, object]) -> list[str]:
    return [item["title"] for item in found["items"]]  # type: ignore[attr-defined, index]


def postings_of(path: Path, doc_id: str) -> list[tuple[str, int]]:
    with Store(path, read_only=True) as store:
        return store.con.execute("SELECT term, tf FROM search_postings WHERE doc_id = ? ORDER BY term",
                                 [doc_id]).fetchall()


def test_one_tokeniser_folds_case_and_accents_and_drops_function_words():
    assert search_index.terms("The Café MÜLLER and Søren's ÉLAN, 2031") == ["cafe", "muller", "søren", "elan", "2031"]
    # ø is a letter of its own, not an o with an accent: only marks that Unicode decomposes are stripped.
    assert search_index.terms("Ångström naïve") == ["angstrom", "naive"]
    # Only the non-ASCII runs are decomposed; quotation marks and dashes stay as they are.
    assert search_index.fold("“Ça” — Ångström’s CAFE\u0301") == "“ca” — angstrom’s cafe"
    assert search_index.parse_query('ferry "harbour master" the') == search_index.SearchQuery(
        ("ferry", "harbour", "master"), ("harbour master",))


def test_the_title_and_repeated_word_rank_first(db: Path):
    found = search(db, "ferry")
    assert titles(found) == [FERRY_STORY.title, MARKET_STORY.title]
    scores = [item["score"] for item in found["items"]]  # type: ignore[attr-defined]
    assert scores[0] > scores[1] > 0
    assert found["total"] == 2


def test_every_word_must_be_there(db: Path):
    assert titles(search(db, "harbour ferry")) == [FERRY_STORY.title, MARKET_STORY.title]
    assert titles(search(db, "ferry repairs")) == [MARKET_STORY.title]
    assert titles(search(db, "harbour conductor")) == [ACCENT_STORY.title]
    assert search(db, "ferry conductor")["total"] == 0
    assert search(db, "ferry zeppelin")["total"] == 0  # a word no document has


def test_case_and_accents_do_not_matter_either_way(db: Path):
    assert titles(search(db, "zurich AKERLUND")) == [ACCENT_STORY.title]
    assert titles(search(db, "Élan")) == titles(search(db, "elan")) == [ACCENT_STORY.title]
    assert titles(search(db, "CAFÉ muller")) == [ACCENT_STORY.title]
    snippet = search(db, "akerlund")["items"][0]["snippet"]  # type: ignore[index]
    assert "Søren Åkerlund" in snippet  # the snippet shows the text as written


def test_phrases_teasers_and_function_words(db: Path):
    assert titles(search(db, '"harbour master"')) == [FERRY_STORY.title, MARKET_STORY.title]
    assert search(db, '"master harbour"')["total"] == 0  # both words, not that phrase
    assert search(db, "vineyard")["total"] == 0  # only in a teaser of another story
    assert search(db, "the and of")["total"] == 0  # nothing to look up
    assert search(db, "%")["total"] == 0


def test_filters_combine_with_the_search(db: Path):
    herald = search(db, "harbour", outlet="elsworth herald")
    assert sorted(titles(herald)) == sorted([MARKET_STORY.title, ACCENT_STORY.title])
    scores = [item["score"] for item in herald["items"]]  # type: ignore[attr-defined]
    assert scores == sorted(scores, reverse=True)
    assert titles(search(db, "harbour", actor="nobody at all")) == []
    dated = search(db, "harbour", since=date(2031, 5, 3), until=date(2031, 5, 3))
    assert titles(dated) == [MARKET_STORY.title]
    first, second = search(db, "harbour", limit=2), search(db, "harbour", limit=2, offset=2)
    assert first["total"] == second["total"] == 3
    assert len(first["items"]) == 2 and len(second["items"]) == 1  # type: ignore[arg-type]
    assert search(db, "harbour", limit=2, offset=5)["total"] == 3  # past the last page: still counted


def test_a_reanalysed_document_replaces_its_postings(db: Path):
    doc_id = build(FERRY_STORY).document.id
    before = postings_of(db, doc_id)
    with Store(db) as store:
        assert store.write_batch([build(FERRY_STORY)]).stored == 0  # already stored: skipped
    assert postings_of(db, doc_id) == before
    rewritten = Page(title="Ferry strike called off in Port Elsworth",
                     body=["Crews accepted a new roster and the lighthouse tours resume."],
                     outlet="Tidewater Gazette", published="2031-05-09", url=HARBOUR_URL)
    with Store(db) as store:
        assert store.write_batch([build(rewritten)], reanalyse=True).replaced == 1
    assert build(rewritten).document.id == doc_id
    assert titles(search(db, "lighthouse")) == [rewritten.title]
    assert titles(search(db, "timetable")) == []  # the old text's words are gone
    assert titles(search(db, "ferry")) == [rewritten.title, MARKET_STORY.title]  # once each
    terms = postings_of(db, doc_id)
    assert len(terms) == len({term for term, _ in terms})  # one row per term: no duplicates
    with Store(db, read_only=True) as store:
        counted = dict(store.con.execute("SELECT term, df FROM search_terms").fetchall())
        actual = dict(store.con.execute("SELECT term, count(*) FROM search_postings GROUP BY term").fetchall())
    assert counted == actual  # document frequencies follow the postings
    assert "timetable" not in counted


def drop_index(path: Path) -> None:
    """The database as a version before the index left it."""
    con = duckdb.connect(str(path))
    for table in (search_index.POSTINGS, search_index.LENGTHS, search_index.TERMS):
        con.execute(f"DROP TABLE {table}")
    con.close()


def test_an_older_database_is_indexed_on_open_and_read_only_falls_back(db: Path):
    expected = search(db, "harbour")
    drop_index(db)
    # Read-only, no index yet: the old scan answers (teasers included, newest first, no score).
    scanned = search(db, "vineyard")
    assert titles(scanned) == [FERRY_STORY.title]
    assert scanned["items"][0]["score"] is None  # type: ignore[index]
    assert search(db, "harbour")["total"] == 3
    with Store(db):  # a writable open indexes what is missing
        pass
    assert search(db, "harbour") == expected
    with Store(db) as store:  # and again: nothing to add
        rows = store.con.execute("SELECT count(*), count(DISTINCT (term, doc_id)) FROM search_postings").fetchone()
        assert rows is not None and rows[0] == rows[1]
        lengths = store.con.execute("SELECT count(*) FROM search_lengths").fetchone()
        assert lengths == (3,)


def test_a_partly_indexed_database_is_completed_on_open(db: Path):
    missing = build(MARKET_STORY).document.id
    with Store(db) as store:
        search_index.remove_documents(store.con, [missing])  # as if an older version had written it
    assert search(db, "repairs")["total"] == 0
    with Store(db):
        pass
    assert titles(search(db, "repairs")) == [MARKET_STORY.title]


def test_the_api_answers_from_the_index(db: Path):
    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    found = client.get("/documents", params={"q": "FERRY"})
    assert found.status_code == 200
    body = found.json()
    assert set(body) == {"total", "limit", "offset", "items", "facets"}
    assert [d["title"] for d in body["items"]] == [FERRY_STORY.title, MARKET_STORY.title]
    first = body["items"][0]
    assert {"id", "title", "outlet", "published", "url", "language", "status", "day", "snippet", "score"} <= set(first)
    assert first["score"] > body["items"][1]["score"]
    assert "ferry" in first["snippet"].lower()
    # The scan would find the teaser's word; the index does not hold teasers.
    assert client.get("/documents", params={"q": "vineyard"}).json()["total"] == 0
    narrowed = client.get("/documents", params={"q": "harbour", "outlet": "Tidewater Gazette"}).json()
    assert [d["title"] for d in narrowed["items"]] == [FERRY_STORY.title]
    listed = client.get("/documents").json()  # no q: newest first, no score
    assert listed["total"] == 3 and all(d["score"] is None and d["snippet"] is None for d in listed["items"])


def test_documents_loaded_from_shards_are_indexed(tmp_path: Path):
    from wirescope.storage import shards

    tables = shards.analysis_tables([build(COURIER)], [])
    written = shards.write_shard(tables, tmp_path / "shards", "0001")
    with Store(tmp_path / "loaded.duckdb") as store:
        result = shards.load_shards(store, {t: [tmp_path / "shards" / p] for t, p in written.items()})
        assert len(result.loaded) == 1
        # Indexed in the load's own transaction, not at the next open.
        assert titles(queries.search_documents(store.con, "grain corridor")) == [COURIER.title]
