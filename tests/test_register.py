"""The actor register and its corrections (issue 14, items 3 and 4), through the real CLI on a
DuckDB file in tmp_path and through the storage functions the API calls.

The pages are fictional, written for the project (``fictional.Page``): Lena Varga, a minister of
Ostrava, appears in three documents (one undated); one page also names "Mr. Varga", her husband,
whom the analysis wrongly joined to her entity (the same-surname mistake a split repairs), and
another writes her as "Lena M. Varga", which the analysis made an actor of its own (a merge).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from fictional import Page, build
from wirescope.cli.commands import app as cli_app
from wirescope.errors import StoreError
from wirescope.records import Analysis, EventActor, actor_id
from wirescope.serve.api import create_app
from wirescope.storage import actors, queries
from wirescope.storage.store import Store

LENA, KESTREL, OSTRAVA = "person:lena-varga", "place:kestrel", "place:ostrava"
QUOTAS = Page(
    title="Ostrava minister warns Kestrel over fishing quotas",
    body=["Lena Varga, the fisheries minister of Ostrava, warned Kestrel on Monday over its fishing quotas.",
          "Mr. Varga, who runs a trawler company, criticised the ministry for the delay.",
          "Lena Varga said “the quotas are final and fair.”"],
    outlet="Harbour Ledger", published="2031-03-02", url="https://harbourledger.example/quotas",
    entities={"Lena Varga": ("PERSON", "OSTGOV", ["Lena Varga", "Mr. Varga"]),
              "Kestrel": ("GPE", "KST", ["Kestrel"]), "Ostrava": ("GPE", "OST", ["Ostrava"])},
    quotes=[("Lena Varga", "Lena Varga", "said", "the quotas are final and fair.", "direct")],
    events=[("THREATEN", ["Lena Varga"], ["Kestrel"], "warned"),
            ("DISAPPROVE", ["Lena Varga"], ["Ostrava"], "criticised")],
)
TALKS = Page(
    title="Kestrel and Ostrava resume quota talks",
    body=["Lena Varga met Kestrel negotiators in Brenholt on Tuesday.",
          "Kestrel agreed to review the quotas by the summer."],
    outlet="Northgate Courier", published="2031-03-09", url="https://northgatecourier.example/talks",
    entities={"Lena Varga": ("PERSON", "OSTGOV", ["Lena Varga"]), "Kestrel": ("GPE", "KST", ["Kestrel"])},
    events=[("CONSULT", ["Lena Varga"], ["Kestrel"], "met")],
)
PRAISE = Page(
    title="Minister praises Kestrel fleet",
    body=["Lena M. Varga praised Kestrel for its new fleet rules on Thursday."],
    outlet="Harbour Ledger", published="2031-03-11", url="https://harbourledger.example/praise",
    entities={"Lena M. Varga": ("PERSON", None, ["Lena M. Varga"]), "Kestrel": ("GPE", "KST", ["Kestrel"])},
    events=[("SUPPORT", ["Lena M. Varga"], ["Kestrel"], "praised")],
)
UNDATED = Page(
    title="Varga visits the harbour",
    body=["Lena Varga visited the harbour of Kestrel with fishermen."],
    outlet="Northgate Courier", published=None, url="https://northgatecourier.example/visit",
    entities={"Lena Varga": ("PERSON", "OSTGOV", ["Lena Varga"]), "Kestrel": ("GPE", "KST", ["Kestrel"])},
)


def identified(page: Page) -> Analysis:
    """The page's analysis with every entity given its actor id; in QUOTAS the DISAPPROVE event's
    actor is the span "Mr. Varga" (joined to Lena Varga's entity, as a same-surname mistake)."""
    analysis = build(page)
    entities = tuple(replace(e, actor=actor_id(e.type, e.name)) for e in analysis.entities)
    events = list(analysis.events)
    text = analysis.document.text
    for i, event in enumerate(events):
        if event.type == "DISAPPROVE":
            at = text.index("Mr. Varga")
            side = EventActor(at, at + len("Mr. Varga"), "Mr. Varga", event.actors[0].entity, "Lena Varga", "OSTGOV")
            events[i] = replace(event, actors=(side,))
    return replace(analysis, entities=entities, events=tuple(events))


def analyses() -> list[Analysis]:
    return [identified(page) for page in (QUOTAS, TALKS, PRAISE, UNDATED)]


def cli(*args: object, code: int = 0) -> str:
    result = CliRunner().invoke(cli_app, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.stdout if code == 0 else result.output


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "news.duckdb"
    with Store(path) as store:
        store.write_batch(analyses())
    return path


def listed(db: Path, *options: object) -> dict[str, dict]:
    return {item["id"]: item for item in json_lines(cli("actors", "--db", db, "--json", *options))}


def event_keys(db: Path, actor: str) -> list[tuple[str, str]]:
    return [(e["doc_id"], e["id"]) for e in json_lines(cli("events", "--db", db, "--json", "--actor", actor))]


def test_the_register_has_names_codes_over_time_aliases_and_publication_days(db: Path):
    register = listed(db)
    assert set(register) == {LENA, KESTREL, OSTRAVA, "person:lena-m-varga"}
    lena = register[LENA]
    assert (lena["name"], lena["type"], lena["documents"]) == ("Lena Varga", "PERSON", 3)
    # The undated page counts as a document but sets no day.
    assert (lena["first_seen"], lena["last_seen"]) == ("2031-03-02", "2031-03-09")
    assert lena["codes"] == [{"code": "OSTGOV", "first_seen": "2031-03-02", "last_seen": "2031-03-09",
                              "documents": 3}]
    assert {a["alias"]: a["mentions"] for a in lena["aliases"]} == {"Lena Varga": 4, "Mr. Varga": 1}
    assert set(listed(db, "--q", "mr. VARGA")) == {LENA}  # an alias as written, any case
    assert set(listed(db, "--q", "lena")) == {LENA, "person:lena-m-varga"}
    assert set(listed(db, "--type", "gpe")) == {KESTREL, OSTRAVA}
    shown = json.loads(cli("actor", LENA, "--db", db, "--json"))
    assert shown["events"] == {"did": 3, "received": 0} and shown["quotes"] == 1
    assert [d["day"] for d in shown["document_list"]] == ["2031-03-09", "2031-03-02", None]
    assert "Lena Varga" in cli("actor", LENA, "--db", db) and "OSTGOV" in cli("actors", "--db", db)


def test_an_actor_is_named_by_its_id_name_or_alias(db: Path):
    with Store(db, read_only=True) as store:
        assert actors.resolve_actors(store.con, LENA) == [LENA]
        assert actors.resolve_actors(store.con, "PLACE:Kestrel") == [KESTREL]
        assert actors.resolve_actors(store.con, "mr. varga") == [LENA]
        assert actors.resolve_actors(store.con, "Varga") == []  # never written alone
        assert actors.get_actor(store.con, "person:nobody") is None
    assert json.loads(cli("actor", "Mr. Varga", "--db", db, "--json"))["id"] == LENA
    assert "person:nobody" in cli("actor", "person:nobody", "--db", db, code=1)


def test_event_and_quote_filters_take_an_actor_id_or_alias(db: Path):
    by_id = event_keys(db, LENA)
    assert len(by_id) == 3  # warned, criticised (as "Mr. Varga"), met
    assert event_keys(db, "Mr. Varga") == by_id  # an alias names the actor: all its events
    assert event_keys(db, "person:lena") == []  # an id is whole, not a prefix
    said = json_lines(cli("quotes", "--db", db, "--json", "--speaker", LENA))
    assert [q["content"]["text"] for q in said] == ["the quotas are final and fair."]
    client = TestClient(create_app(db, read_only=True), base_url="http://127.0.0.1")
    api = client.get("/events", params={"actor": LENA, "limit": 100}).json()
    assert [(e["doc_id"], e["id"]) for e in api["items"]] == by_id
    assert client.get("/quotes", params={"speaker": LENA}).json()["total"] == 1
    to_kestrel = client.get("/events", params={"recipient": KESTREL}).json()
    assert {e["type"] for e in to_kestrel["items"]} == {"THREATEN", "CONSULT", "SUPPORT"}


def test_corrections_apply_to_stored_documents_and_survive_reanalysis(db: Path):
    cli("actor-merge", LENA, "person:lena-m-varga", "--db", db)
    register = listed(db)
    assert "person:lena-m-varga" not in register and register[LENA]["documents"] == 4
    assert register[LENA]["last_seen"] == "2031-03-11"
    tomas = cli("actor-split", LENA, "mr. varga", "--name", "Tomas Varga", "--db", db).strip()
    assert tomas == "person:tomas-varga"
    assert [e["type"] for e in json_lines(cli("events", "--db", db, "--json", "--actor", tomas))] == ["DISAPPROVE"]
    assert len(event_keys(db, LENA)) == 3  # warned, met, praised
    cli("actor-rename", LENA, "Lena Marie Varga", "--db", db)
    cli("actor-recode", LENA, "OSTMIL", "--from", "2031-03-05", "--db", db)
    before = listed(db)
    lena = before[LENA]
    assert lena["name"] == "Lena Marie Varga" and before[tomas]["name"] == "Tomas Varga"
    assert [(c["code"], c["first_seen"], c["last_seen"]) for c in lena["codes"]] == [
        ("OSTGOV", "2031-03-02", "2031-03-02"), ("OSTMIL", "2031-03-09", "2031-03-11")]
    assert {a["alias"] for a in before[tomas]["aliases"]} == {"Mr. Varga"}
    corrections = json_lines(cli("actor-corrections", "--db", db, "--json"))
    assert [c["kind"] for c in corrections] == ["merge", "split", "rename", "recode"]
    assert corrections[1]["other"] == tomas and all(c["made_at"] for c in corrections)

    with Store(db) as store:  # the same pages analysed and stored again: the corrections still hold
        store.write_batch(analyses(), reanalyse=True)
    assert listed(db) == before
    assert [e["type"] for e in json_lines(cli("events", "--db", db, "--json", "--actor", tomas))] == ["DISAPPROVE"]


def test_unknown_actors_and_bad_corrections_are_clear_errors(db: Path):
    assert "person:nobody" in cli("actor-merge", LENA, "person:nobody", "--db", db, code=1)
    assert "person:nobody" in cli("actor-rename", "person:nobody", "X", "--db", db, code=1)
    assert "no mention written" in cli("actor-split", LENA, "Jonas", "--name", "J", "--db", db, code=1)
    assert "--from" in cli("actor-recode", LENA, "OSTMIL", "--from", "March", "--db", db, code=2)
    with Store(db) as store:
        with pytest.raises(StoreError, match="person:ghost"):
            actors.recode_actor(store, "person:ghost", "USAGOV")
        with pytest.raises(StoreError, match="itself"):
            actors.merge_actors(store, LENA, LENA)
        assert actors.list_corrections(store.con) == []
    assert "no such database" in cli("actor-merge", LENA, KESTREL, "--db", db.parent / "none.duckdb", code=3)


def test_exports_carry_the_actor_id_the_register_and_the_corrections(db: Path):
    cli("actor-rename", KESTREL, "Republic of Kestrel", "--db", db)
    for fmt in ("jsonl", "parquet"):
        cli("export", "--db", db, "--format", fmt, "--out", db.parent / fmt)
    folder = db.parent / "jsonl"
    entities = json_lines((folder / "entities.jsonl").read_text(encoding="utf-8"))
    assert {e["actor"] for e in entities} == {LENA, KESTREL, OSTRAVA, "person:lena-m-varga"}
    register = {a["id"]: a for a in json_lines((folder / "actors.jsonl").read_text(encoding="utf-8"))}
    assert register[KESTREL]["name"] == "Republic of Kestrel" and register[KESTREL]["documents"] == 4
    assert register[LENA]["codes"][0]["code"] == "OSTGOV"
    assert {a["alias"] for a in register[LENA]["aliases"]} == {"Lena Varga", "Mr. Varga"}
    corrections = json_lines((folder / "actor_corrections.jsonl").read_text(encoding="utf-8"))
    assert [(c["kind"], c["actor"], c["value"]) for c in corrections] == [("rename", KESTREL, "Republic of Kestrel")]
    assert (db.parent / "parquet" / "actors.parquet").stat().st_size > 0


def test_a_database_from_before_the_register_gets_it_on_migration(db: Path):
    with Store(db) as store:  # back to schema version 5: no register tables
        store.con.execute("DROP TABLE actor_forms; DROP TABLE actor_corrections; DROP TABLE actor_summary; "
                          "DROP TABLE actor_aliases; DROP TABLE actor_codes; "
                          "DELETE FROM schema_migrations WHERE version >= 6")
    with Store(db) as store:
        assert set(r["id"] for r in actors.list_actors(store.con)["items"]) == {
            LENA, KESTREL, OSTRAVA, "person:lena-m-varga"}
    with Store(db, read_only=True) as store:
        queries.prepare_lookup(store.con)
        keys = queries.find_events(store.con, queries.EventFilter(actor=LENA)).keys
        assert len(keys) == 3


def test_network_and_entities_are_keyed_by_actor_id(db: Path):
    with Store(db) as store:
        actors.merge_actors(store, LENA, "person:lena-m-varga")
        queries.prepare_lookup(store.con)
        net = queries.network(store.con, queries.EventFilter())
        entities = queries.list_entities(store.con, q="varga")["items"]
    nodes = {n["id"]: n for n in net["nodes"]}
    assert nodes[LENA]["name"] == "Lena Varga" and nodes[LENA]["actor"] == LENA
    edges = {(e["source"], e["target"]): e["count"] for e in net["edges"]}
    assert edges[(LENA, KESTREL)] == 3  # warned, met and (merged) praised
    assert [(e["actor"], e["name"], e["documents"]) for e in entities] == [(LENA, "Lena Varga", 4)]


# Pages for the real pipeline (`wirescope ingest`): the union leader is written "Marta Ilves" in
# one article and by her married name "Marta Ilves-Koru" in another, two actors until merged; the
# third page is undated.
INGESTED = [
    {"url": "https://harbourledger.example/strike", "outlet": "Harbour Ledger", "published": "2031-05-02",
     "title": "Calderon dockworkers threaten new strike",
     "text": ("Calderon dockworkers threaten new strike\n\nUnion leader Marta Ilves threatened a new strike "
              "at the port of Calderon on Monday.\nIlves said the terminal operators had ignored the workers.\n")},
    {"url": "https://northgatecourier.example/talks", "outlet": "Northgate Courier", "published": "2031-05-04",
     "title": "Union and port operators meet in Calderon",
     "text": ("Union and port operators meet in Calderon\n\nUnion leader Marta Ilves-Koru met the terminal "
              "operators in Calderon on Wednesday.\nIlves-Koru said the talks had been useful.\n")},
    {"url": "https://northgatecourier.example/vote", "outlet": "Northgate Courier",
     "title": "Dockworkers vote on the offer",
     "text": ("Dockworkers vote on the offer\n\nUnion leader Marta Ilves told reporters that the dockworkers "
              "of Calderon would vote on the offer.\n")},
]


def test_a_merge_made_after_ingest_survives_reingest_with_reanalyse(tmp_path: Path):
    pages = tmp_path / "pages.jsonl"
    pages.write_text("".join(json.dumps(r) + "\n" for r in INGESTED), encoding="utf-8")
    db = tmp_path / "news.duckdb"
    cli("ingest", "-q", "--fast-bias", pages, "--db", db)
    found = listed(db, "--q", "ilves")
    assert set(found) == {"person:marta-ilves", "person:marta-ilves-koru"}, found
    marta = found["person:marta-ilves"]
    assert marta["documents"] == 2 and (marta["first_seen"], marta["last_seen"]) == ("2031-05-02", "2031-05-02")
    cli("actor-merge", "person:marta-ilves", "person:marta-ilves-koru", "--db", db)
    merged = listed(db, "--q", "ilves")
    assert set(merged) == {"person:marta-ilves"} and merged["person:marta-ilves"]["documents"] == 3
    assert merged["person:marta-ilves"]["last_seen"] == "2031-05-04"
    cli("ingest", "-q", "--fast-bias", "--reanalyse", pages, "--db", db)
    assert listed(db, "--q", "ilves") == merged
    assert json.loads(cli("actor", "Marta Ilves-Koru", "--db", db, "--json"))["id"] == "person:marta-ilves"


def test_a_split_by_an_entity_name_moves_the_whole_entity(db: Path):
    """Undoing a merge: splitting by the name of the merged entity takes the entity whole back."""
    original = listed(db)["person:lena-m-varga"]
    praised = event_keys(db, "person:lena-m-varga")
    cli("actor-merge", LENA, "person:lena-m-varga", "--db", db)
    assert cli("actor-split", LENA, "Lena M. Varga", "--name", "Lena M. Varga", "--db", db).strip() == (
        "person:lena-m-varga")
    assert listed(db)["person:lena-m-varga"] == original
    assert event_keys(db, "person:lena-m-varga") == praised and len(praised) == 1
