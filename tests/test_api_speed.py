"""The fast paths of ``GET /documents/{id}`` and ``GET /events`` (issue 19) answer exactly what the
slow ones did: the analysis JSON stored with each document (``storage.encoded``) against the
analysis rebuilt from its tables, after re-analysis, after actor corrections, in a database written
without stored bodies, and from loaded shards; the cached event pages against fresh queries after
every kind of write. Fictional pages (tests/fictional.py) with actor ids."""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fictional import COURIER, LEDGER, build, corpus
from wirescope.records import Analysis, actor_id
from wirescope.serve.api import create_app
from wirescope.serve.database import AnswerCache, WriteLock
from wirescope.settings import Settings
from wirescope.storage import encoded, lookup, queries, register
from wirescope.storage import event_items as event_items_module
from wirescope.storage.event_items import event_items
from wirescope.storage.json_text import encode_json
from wirescope.storage.shards import analysis_tables, load_shards, write_shard
from wirescope.storage.store import Store
from wirescope.stories.intake import store_analyses


def with_actors(analysis: Analysis) -> Analysis:
    """The page with an actor id on each entity, as the actor layer gives them."""
    return replace(analysis, entities=tuple(replace(e, actor=actor_id(e.type, e.name)) for e in analysis.entities))


def pages() -> list[Analysis]:
    return [with_actors(a) for a in corpus()]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("speed") / "news.duckdb"
    with Store(path) as store:
        store.write_batch(pages())
    return path


def copy_of(db: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(db, folder / "news.duckdb")
    return folder / "news.duckdb"


def client_of(db: Path, **options: object) -> TestClient:
    return TestClient(create_app(db, **options), base_url="http://127.0.0.1")  # type: ignore[arg-type]


def rebuilt(store: Store, doc_id: str) -> bytes:
    """The answer as it was made before the bodies were stored: the analysis read back from its
    tables, encoded by the API's encoder."""
    analysis = store.get_analysis(doc_id)
    assert analysis is not None
    return encode_json(analysis.to_dict()).encode()


def test_stored_bodies_are_the_rebuilt_analyses_byte_for_byte(written: Path):
    with Store(written, read_only=True) as store:
        ids = store.document_ids()
        assert len(ids) == len(pages())
        for doc_id in ids:
            assert encoded.stored_body(store.con, doc_id) == rebuilt(store, doc_id)
        # Read back, each page is the analysis that was written.
        by_id = {a.document.id: a for a in pages()}
        for doc_id in ids:
            assert store.get_analysis(doc_id) == by_id[doc_id]


def test_document_answers_by_id_and_prefix_are_unchanged(written: Path, tmp_path: Path):
    client = client_of(copy_of(written, tmp_path))
    store = client.app.state.database.store  # type: ignore[attr-defined]
    for page in pages():
        doc_id = page.document.id
        full = client.get(f"/documents/{doc_id}")
        assert full.status_code == 200 and full.headers["content-type"] == "application/json"
        assert full.content == rebuilt(store, doc_id)
        assert full.json() == page.to_dict()
        assert client.get(f"/documents/{doc_id[:6]}").content == full.content
    missing = client.get("/documents/ffffffffffffffff")
    assert missing.status_code == 404 and "no document" in missing.json()["error"]


def test_a_correction_shows_in_the_document_as_in_the_rebuilt_one(written: Path, tmp_path: Path):
    client = client_of(copy_of(written, tmp_path))
    store = client.app.state.database.store  # type: ignore[attr-defined]
    courier = build(COURIER).document.id
    before = client.get(f"/documents/{courier}").content
    place = [e.actor for e in with_actors(build(COURIER)).entities if e.type == "GPE"]
    assert client.post(f"/actors/{place[0]}/merge", json={"other": place[1]}).status_code == 200
    assert client.post(f"/actors/{place[0]}/rename", json={"name": "Valdorian Union"}).status_code == 200
    assert client.post(f"/actors/{place[0]}/recode", json={"code": "VLDUNI"}).status_code == 200
    assert client.get(f"/actors/{place[0]}").json()["name"] == "Valdorian Union"
    # A correction changes the register, not the records of a stored document: the document's
    # analysis, stored or rebuilt, is the one analysed.
    for page in pages():
        assert client.get(f"/documents/{page.document.id}").content == rebuilt(store, page.document.id)
    assert client.get(f"/documents/{courier}").content == before


def test_a_reanalysed_document_gets_its_new_body(written: Path, tmp_path: Path):
    db = copy_of(written, tmp_path)
    page = with_actors(build(LEDGER))
    changed = replace(page, document=replace(page.document, title="A new title"), events=page.events[:1])
    with Store(db) as store:
        store.write_batch([changed], reanalyse=True)
        assert store.get_analysis(page.document.id) == changed
        assert store.analysis_json(page.document.id) == rebuilt(store, page.document.id)
        assert store.con.execute(f"SELECT count(*) FROM {encoded.BODIES}").fetchone() == (len(pages()),)


def test_a_database_without_bodies_answers_the_same_and_is_filled_when_opened_for_writing(written: Path,
                                                                                          tmp_path: Path):
    db = copy_of(written, tmp_path)
    with Store(db) as store:
        expected = {doc_id: rebuilt(store, doc_id) for doc_id in store.document_ids()}
        queries.prepare_lookup(store.con)
        events = queries.events_page_json(store.con, queries.EventFilter(), 50)
        for table in (encoded.BODIES, event_items_module.ENCODED_ITEMS):  # as written by a version without them
            store.con.execute(f"DROP TABLE {table}")
    reader = client_of(db, read_only=True)
    for doc_id, body in expected.items():
        assert reader.get(f"/documents/{doc_id[:8]}").content == body
    assert reader.get("/events").text == events  # joined from the tables
    reader.app.state.database.store.close()  # type: ignore[attr-defined]
    with Store(db) as store:  # migrated: every document gets its body and its encoded events
        assert {doc_id: encoded.stored_body(store.con, doc_id) for doc_id in expected} == expected
        stored = store.con.execute(f"SELECT count(*) FROM {event_items_module.ENCODED_ITEMS}").fetchone()
        assert stored == (len(expected),)


def test_a_database_with_bodies_but_no_encoded_events_gets_them_from_the_bodies(written: Path, tmp_path: Path):
    db = copy_of(written, tmp_path)
    items, bodies = (f"SELECT * FROM {table} ORDER BY doc_id" for table in (event_items_module.ENCODED_ITEMS,
                                                                           encoded.BODIES))
    with Store(db) as store:
        expected = store.con.execute(items).fetchall(), store.con.execute(bodies).fetchall()
        store.con.execute(f"DROP TABLE {event_items_module.ENCODED_ITEMS}")  # as written before the table
    with Store(db) as store:  # the items made again from the bodies, which are kept
        assert (store.con.execute(items).fetchall(), store.con.execute(bodies).fetchall()) == expected


def test_loaded_shards_store_their_bodies(tmp_path: Path):
    files = write_shard(analysis_tables(pages(), []), tmp_path / "shards", "000000-test")
    with Store(tmp_path / "loaded.duckdb") as store:
        load_shards(store, {table: [tmp_path / "shards" / path] for table, path in files.items()})
        for page in pages():
            assert encoded.stored_body(store.con, page.document.id) == rebuilt(store, page.document.id)


def fresh_events(client: TestClient, **params: str) -> bytes:
    """``GET /events``'s answer made now, from a new cursor, without the app's kept answers."""
    view = client.app.state.database.view()  # type: ignore[attr-defined]
    try:
        flt = queries.EventFilter(actor=params.get("actor"), recipient=params.get("recipient"))
        return encode_json(queries.list_events(view.con, flt)).encode()
    finally:
        view.close()


EVENT_QUERIES: list[dict[str, str]] = [{}, {"actor": "Valdoria"}, {"actor": "place:valdoria"},
                                       {"recipient": "kestrel"}, {"actor": "VLDGOV"}]


def test_kept_event_pages_are_fresh_after_a_correction_and_after_a_write(written: Path, tmp_path: Path):
    client = client_of(copy_of(written, tmp_path))
    database = client.app.state.database  # type: ignore[attr-defined]

    def answers_match() -> None:
        for params in EVENT_QUERIES:
            first, again = client.get("/events", params=params), client.get("/events", params=params)
            assert first.status_code == 200 and first.headers["content-type"] == "application/json"
            assert first.content == again.content == fresh_events(client, **params)

    answers_match()
    assert len(database.answers._answers) == len(EVENT_QUERIES)  # kept once each
    valdoria = client.get("/events", params={"actor": "place:valdoria"}).json()["total"]
    # A merge moves Kestrel's events to Valdoria: the kept pages must not be served again.
    assert client.post("/actors/place:valdoria/merge", json={"other": "place:kestrel"}).status_code == 200
    answers_match()
    assert client.get("/events", params={"actor": "place:valdoria"}).json()["total"] > valdoria
    # A write as the collector and POST /analyze make it: a document replaced, with fewer events.
    total = client.get("/events").json()["total"]
    page = with_actors(build(LEDGER))
    with database.write_lock:
        writer = database.view()
        try:
            store_analyses(writer, [replace(page, events=page.events[:1])], (), Settings(reanalyse=True))
        finally:
            writer.close()
    answers_match()
    assert client.get("/events").json()["total"] == total - len(page.events) + 1


def listed_from_tables(con: object, flt: queries.EventFilter, limit: int, offset: int) -> queries.EventMatches:
    """A page of events as the event list was made before the lookup's event keys: sorted and
    counted from the events and documents tables themselves."""
    where = flt.where(con)  # type: ignore[arg-type]
    rows = con.execute(  # type: ignore[attr-defined]
        f"SELECT e.doc_id, e.event_id FROM events e JOIN documents d ON d.id = e.doc_id{where.sql()} "
        "ORDER BY left(d.published, 10) DESC NULLS LAST, e.doc_id, CAST(substr(e.event_id, 2) AS INTEGER)",
        list(where.params)).fetchall()
    return queries.EventMatches([(d, e) for d, e in rows[offset:None if limit is None else offset + limit]], len(rows))


NAMES = ["Orrin Vale", "Valdoria", "valdoria", "place:valdoria", "PLACE:VALDORIA", " Amira Solberg ", "solberg", "she",
         "Kestrel", "Valdorian Union", "", "  ", "nobody", "person:amira-solberg", "VLDGOV"]
KEYED_FILTERS = [queries.EventFilter(), queries.EventFilter(actor="Valdoria"),
                 queries.EventFilter(actor="place:valdoria"), queries.EventFilter(recipient="kestrel"),
                 queries.EventFilter(actor="VLD", types=("threaten", "REJECT")),
                 queries.EventFilter(since=date(2026, 11, 4)), queries.EventFilter(until=date(2026, 11, 3)),
                 queries.EventFilter(actor="a"), queries.EventFilter(exact=("actor", "place:valdoria")),
                 queries.EventFilter(doc=build(LEDGER).document.id[:6])]


def test_event_keys_list_what_the_tables_do_after_every_kind_of_write(written: Path, tmp_path: Path):
    client = client_of(copy_of(written, tmp_path))
    database = client.app.state.database  # type: ignore[attr-defined]

    def lists_match() -> None:
        view = database.view()
        try:
            for text in NAMES:  # the lookup's copy of the register's names resolves as the register does
                assert lookup.matching_keys(view.con, text)[2] == register.resolve_actors(view.con, text), text
            for flt in KEYED_FILTERS:
                assert flt.keyed
                for limit, offset in ((50, 0), (2, 1), (3, 100), (None, 1), (None, 0)):
                    assert queries.find_events(view.con, flt, limit, offset) == \
                        listed_from_tables(view.con, flt, limit, offset), (flt, limit, offset)
        finally:
            view.close()

    lists_match()
    assert client.post("/actors/place:valdoria/merge", json={"other": "place:kestrel"}).status_code == 200
    lists_match()
    assert client.post("/actors/place:valdoria/rename", json={"name": "Valdorian Union"}).status_code == 200
    lists_match()
    assert lookup.matching_keys(database.store.con, "valdorian union")[2] == ["place:valdoria"]
    ledger = with_actors(build(LEDGER))
    # Re-analysed with another day (its events move in the list) and fewer events, then a new page.
    # Its first entity now another actor, by a name no page had: the register's names follow.
    renamed = (replace(ledger.entities[0], name="Orrin Vale", actor=actor_id(ledger.entities[0].type, "Orrin Vale")),
               *ledger.entities[1:])
    moved = replace(ledger, document=replace(ledger.document, published="2026-10-01"), events=ledger.events[:1],
                    entities=renamed)
    extra = with_actors(build(replace(COURIER, url="https://courier.example/other", published=None)))
    for batch, settings in (([moved], Settings(reanalyse=True)), ([extra], Settings())):
        with database.write_lock:
            writer = database.view()
            try:
                store_analyses(writer, batch, (), settings)
            finally:
                writer.close()
        lists_match()
    assert client.get("/events").json()["items"][-1]["day"] is None  # the undated page's events come last
    assert lookup.matching_keys(database.store.con, "orrin vale")[2] == [actor_id(renamed[0].type, "Orrin Vale")]


def test_list_positions_stay_those_of_a_full_sort_through_random_writes(tmp_path: Path):
    """New pages on old, new and no days, pages re-analysed to another day or with fewer events:
    after every write the lookup's positions number the events 1..n in list order."""
    rng = random.Random(7)
    days = [None, "2026-10-01", "2026-11-03", "2026-11-04", "2026-12-24"]
    with Store(tmp_path / "news.duckdb") as store:
        store.write_batch(pages())
        queries.prepare_lookup(store.con)
        written: dict[str, Analysis] = {}
        for step in range(14):
            batch = []
            for _ in range(rng.randint(1, 3)):
                if written and rng.random() < 0.4:  # a page written before, re-analysed
                    old = written[rng.choice(sorted(written))]
                    page = replace(old, document=replace(old.document, published=rng.choice(days)),
                                   events=old.events[:rng.randint(0, len(old.events))])
                else:
                    base = build(replace(rng.choice([COURIER, LEDGER]), url=f"https://example.test/{step}/{len(batch)}",
                                         published=rng.choice(days)))
                    page = with_actors(base)
                if page.document.id not in {a.document.id for a in batch}:
                    batch.append(page)
            store.write_batch(batch, reanalyse=True)
            queries.refresh_lookup(store.con, [a.document.id for a in batch])
            written.update({a.document.id: a for a in batch})
            listed = store.con.execute(f"SELECT pos, doc_id, event_id FROM {lookup.EVENT_KEYS} ORDER BY pos").fetchall()
            assert [pos for pos, _, _ in listed] == list(range(1, len(listed) + 1)), step
            everything = listed_from_tables(store.con, queries.EventFilter(), len(listed) + 1, 0)
            assert [(d, e) for _, d, e in listed] == everything.keys, step
            assert queries.find_events(store.con, queries.EventFilter(), 4, 3).keys == everything.keys[3:7]


def test_event_items_stored_encoded_are_the_joined_ones(written: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch):
    db = copy_of(written, tmp_path)
    with Store(db) as store:
        queries.prepare_lookup(store.con)
        keys = queries.find_events(store.con, queries.EventFilter()).keys
        assert len({doc_id for doc_id, _ in keys}) == 3 and len(keys) == 7
        joined = event_items(store.con, keys, stored=False)
        for first, size in ((0, len(keys)), (1, 3), (len(keys) - 2, 5)):  # pages across documents
            page = keys[first:first + size]
            expected = joined[first:first + size]
            assert encode_json(event_items(store.con, page)) == encode_json(expected)
            assert event_items_module.event_items_json(store.con, page) == [encode_json(i) for i in expected]
        # A page sent as text is the page listed, encoded: every filter, past the end, and the join.
        filters = (queries.EventFilter(), queries.EventFilter(actor="Valdoria"), queries.EventFilter(types=("DEMAND",)))
        for flt in filters:
            for limit, offset in ((50, 0), (2, 1), (3, 6), (5, 40)):
                listed_page = encode_json(queries.list_events(store.con, flt, limit, offset))
                assert queries.events_page_json(store.con, flt, limit, offset) == listed_page, (flt, limit, offset)
        listed = queries.list_events(store.con, queries.EventFilter(actor="Valdoria"), limit=2, offset=1)
        monkeypatch.setattr(event_items_module, "MAX_ENCODED_DOCS", 1)  # a page of many documents: the join
        assert encode_json(event_items(store.con, keys)) == encode_json(joined)
        assert queries.events_page_json(store.con, queries.EventFilter(), 50) == encode_json(
            queries.list_events(store.con, queries.EventFilter()))
        monkeypatch.undo()
        store.con.execute(f"DELETE FROM {event_items_module.ENCODED_ITEMS} WHERE doc_id = ?", [keys[-1][0]])
        assert encode_json(event_items(store.con, keys)) == encode_json(joined)  # the join instead
        assert event_items_module.event_items_json(store.con, keys) == [encode_json(i) for i in joined]
        assert queries.list_events(store.con, queries.EventFilter(actor="Valdoria"), limit=2, offset=1) == listed


def test_an_answer_made_across_a_write_is_not_kept():
    lock = WriteLock()
    cache = AnswerCache(lock, size=2)

    def made_during_a_write() -> str:
        with lock:  # a writer commits while the page is read
            pass
        return "old"

    assert cache.get("k", made_during_a_write) == "old"
    assert cache.get("k", lambda: "new") == "new"  # not served: it was made before the write ended
    assert cache.get("k", lambda: "newer") == "new"
    cache.get("a", lambda: "a")  # two more: the least recently used ("k") goes
    cache.get("b", lambda: "b")
    assert cache.get("k", lambda: "made again") == "made again"
