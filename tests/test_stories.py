"""Stories: grouping across outlets, near-duplicates, incremental runs, merged events, coverage,
and the CLI, on the project's own fictional pages (tests/story_pages.py)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from story_pages import COPIES, GOLD, PAGES, page_text, url_of, write_jsonl
from wirescope.cli.commands import app
from wirescope.records import (
    STATUS_NOT_ANALYSED,
    Analysis,
    Document,
    Entity,
    Event,
    EventActor,
    Framing,
    Mention,
    Quote,
    Segment,
    Speaker,
    TextSpan,
)
from wirescope.storage.store import Store
from wirescope.storage.stories import count_ungrouped
from wirescope.stories.assign import (
    assign_stories,
    get_story,
    list_stories,
    load_ratings,
    rating_for,
    regroup,
)
from wirescope.stories.grouping import StoryGrouper, StoryText

runner = CliRunner()
PAGE = {p[0]: p for p in PAGES}


def partition(labels: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for doc, label in labels.items():
        groups.setdefault(label, set()).add(doc)
    return {frozenset(g) for g in groups.values()}


GOLD_PARTITION = partition(GOLD)


def plain_analysis(key: str, **parts: tuple) -> Analysis:
    """A stored page as the pipeline leaves it: title and body segments, optional records."""
    _, _, outlet, _, day, title, paragraphs = PAGE[key]
    text = page_text(title, paragraphs)
    return Analysis(Document(id=key, text=text, url=url_of(key), outlet=outlet, title=title, published=day),
                    segments=(Segment(0, len(title), "title"), Segment(len(title) + 2, len(text), "body")),
                    **parts)


def stored_groups(db: Path) -> dict[str, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT doc_id, story_id FROM story_documents").fetchall())
    finally:
        con.close()


# -- grouping --------------------------------------------------------------------------------
def test_pages_group_into_their_stories_and_copies_link_to_the_first(tmp_path):
    db = tmp_path / "news.duckdb"
    with Store(db) as store:
        store.write_batch([plain_analysis(key) for key in GOLD])
        assignments = assign_stories(store)
        assert len(assignments) == len(GOLD)
        assert partition({a.doc_id: a.story_id for a in assignments}) == GOLD_PARTITION
        copies = {a.doc_id: a.duplicate_of for a in assignments if a.duplicate_of}
        assert copies == COPIES
        listed = {s["id"]: s for s in list_stories(store)}
    wire = listed["swire-agency"]
    assert wire["headline"] == PAGE["wire-agency"][5]
    assert wire["outlets"] == ["Northwind Wire Agency", "Valley Gazette", "Coastal Courier"]
    assert [d["duplicate_of"] for d in wire["documents"]] == [None, "wire-agency", "wire-agency"]
    con = duckdb.connect(str(db), read_only=True)
    # Copies are listed but not counted: the wire story has one independent document.
    counts = dict(con.execute("SELECT story_id, documents FROM stories").fetchall())
    n_docs = con.execute("SELECT count(*) FROM story_documents WHERE duplicate_of IS NULL").fetchone()[0]
    con.close()
    assert counts["swire-agency"] == 1 and counts["sriver-ledger"] == 3
    assert n_docs == len(GOLD) - len(COPIES)
    assert listed["sriver-ledger"]["first_seen"] == "2031-03-02"
    assert listed["sriver-ledger"]["last_seen"] == "2031-03-03"


def test_grouping_is_incremental_across_runs_and_a_rerun_adds_nothing(tmp_path):
    db = tmp_path / "news.duckdb"
    keys = list(GOLD)
    first, second = keys[::2], keys[1::2]  # each story gets documents in both runs
    with Store(db) as store:
        store.write_batch([plain_analysis(k) for k in first])
        assert {a.doc_id for a in assign_stories(store)} == set(first)
    with Store(db) as store:  # a new process: the state comes back from the store
        store.write_batch([plain_analysis(k) for k in second])
        assert {a.doc_id for a in assign_stories(store)} == set(second)
        assert assign_stories(store) == []
        assert assign_stories(store, keys) == []
    groups = stored_groups(db)
    assert partition(groups) == GOLD_PARTITION
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT count(*), count(DISTINCT doc_id), count(DISTINCT seq) FROM story_documents").fetchone()
    features = con.execute("SELECT count(*) FROM story_features").fetchone()[0]
    con.close()
    assert rows == (len(GOLD), len(GOLD), len(GOLD)) and features == len(GOLD)
    with Store(db) as store:
        assert regroup(store) == len(GOLD_PARTITION)
    assert partition(stored_groups(db)) == GOLD_PARTITION


def test_a_late_document_still_joins_its_story_after_the_window_moved_on(tmp_path):
    from dataclasses import replace

    from wirescope.stories.assign import StoryAssigner

    with Store(tmp_path / "news.duckdb") as store:
        stories = StoryAssigner(store)  # one assigner for the whole run, as in `wirescope ingest`
        store.write_batch([plain_analysis("river-ledger")])
        stories.assign(["river-ledger"])
        later = [plain_analysis(k) for k in ("bank-ledger", "bank-times")]
        later = [replace(a, document=replace(a.document, published="2031-04-20")) for a in later]
        store.write_batch(later)
        stories.assign([a.document.id for a in later])
        assert "sriver-ledger" not in stories.grouper.stories  # out of the window, out of memory
        store.write_batch([plain_analysis("river-times")])  # published 2031-03-02, arrives late
        (late,) = stories.assign(["river-times"])
    assert late.story_id == "sriver-ledger"


def teaser_page(teaser_kind: str) -> Analysis:
    """A regatta report whose page ends with the river story's paragraphs as teasers."""
    title = "Harbour regatta draws record crowd of sailors"
    body = ("More than two hundred yachts raced in the annual harbour regatta on Saturday, and the "
            "junior sailing class drew a record entry from clubs along the coast.")
    teaser = " ".join(PAGE["river-ledger"][6]) + " " + " ".join(PAGE["river-times"][6])
    text = f"{title}\n\n{body}\n\n{teaser}\n"
    t0 = len(title) + 2 + len(body) + 2
    segments = (Segment(0, len(title), "title"), Segment(len(title) + 2, len(title) + 2 + len(body), "body"),
                Segment(t0, t0 + len(teaser), teaser_kind))
    return Analysis(Document(id=f"regatta-{teaser_kind}", text=text, outlet="Harbour Ledger", title=title,
                             published="2031-03-03"), segments=segments)


def test_teasers_never_pull_a_page_into_another_story(tmp_path):
    found = {}
    for kind in ("teaser", "body"):  # one store each: the two pages would join each other
        with Store(tmp_path / f"{kind}.duckdb") as store:
            store.write_batch([plain_analysis(k) for k in ("river-ledger", "river-times")])
            store.write_batch([teaser_page(kind)])
            found.update({a.doc_id: a.story_id for a in assign_stories(store)})
    assert found["regatta-teaser"] == "sregatta-teaser"  # a story of its own
    # The same words read as body do join the river story: the teaser kind is what kept them out.
    assert found["regatta-body"] == found["river-ledger"] == "sriver-ledger"


def item(doc_id: str, day: date) -> StoryText:
    _, _, _, _, _, title, paragraphs = PAGE["fire-ledger"]
    return StoryText(doc_id, day, title, "\n".join(paragraphs))


def test_a_story_takes_no_document_after_its_window():
    grouper = StoryGrouper()
    start = date(2031, 3, 3)
    first, _ = grouper.assign(item("a", start))
    near, _ = grouper.assign(item("b", start + timedelta(days=2)))
    late, _ = grouper.assign(item("c", start + timedelta(days=30)))
    assert near.story_id == first.story_id
    assert late.story_id != first.story_id and late.similarity is None
    assert first.story_id not in grouper.stories  # dropped from memory once out of the window


# -- events, quotes and coverage -------------------------------------------------------------
def span(text: str, words: str) -> TextSpan:
    start = text.index(words)
    return TextSpan(start, start + len(words), words)


def at(text: str, words: str) -> tuple[int, int]:
    s = span(text, words)
    return s.start, s.end


def actor(text: str, words: str, name: str, code: str | None) -> EventActor:
    s = span(text, words)
    return EventActor(s.start, s.end, s.text, None, name, code)


def person(text: str, eid: str, name: str, words: str) -> Entity:
    s = span(text, words)
    return Entity(eid, name, "PERSON", (Mention(s.start, s.end, s.text),))


def agree_event(text: str, eid: str = "v1") -> Event:
    trigger = span(text, "sign") if "sign" in text else span(text, "agreed")
    return Event(eid, "AGREE", trigger, span(text, text.split("\n\n")[1].split(".")[0]),
                 actors=(actor(text, "Veltria", "Veltria", "VLT"),),
                 recipients=(actor(text, "Ostmark", "Ostmark", "OSM"),))


def river_analyses() -> list[Analysis]:
    texts = {k: page_text(PAGE[k][5], PAGE[k][6]) for k in ("river-ledger", "river-times", "river-post")}
    ledger, times, post = texts["river-ledger"], texts["river-times"], texts["river-post"]
    valk_quote = Quote("q1", "direct", span(ledger, "This river feeds us all"), span(ledger, "said"),
                       Speaker(at(ledger, "Valk said")[0], at(ledger, "Valk said")[0] + 4, "Valk"))
    valk_post = Quote("q1", "indirect", span(post, "the accord would let farmers in the Sarn valley"),
                      span(post, "said"), Speaker(*at(post, "Irena Valk"), "Irena Valk", "e1", "Irena Valk"))
    brede = Quote("q1", "indirect", span(times, "a victory for patience"), span(times, "called"),
                  Speaker(*at(times, "Tomas Brede"), "Tomas Brede", "e1", "Tomas Brede"))
    protest = Event("v2", "PROTEST", span(times, "warned"), span(times, "Farmers’ unions in the lower Sarn"),
                    actors=(actor(times, "Farmers’ unions", "farmers' unions", "OSMAGR"),))
    return [
        plain_analysis("river-ledger", entities=(person(ledger, "e1", "Irena Valk", "Irena Valk"),),
                       quotes=(valk_quote,), events=(agree_event(ledger),)),
        plain_analysis("river-times", entities=(person(times, "e1", "Tomas Brede", "Tomas Brede"),),
                       quotes=(brede,), events=(agree_event(times), protest),
                       framing=(Framing(*at(times, "victory"), "loaded_term", "victory"),
                                Framing(*at(times, "Critics"), "unattributed_claim", "Critics"),
                                Framing(*at(times, "patience"), "loaded_term", "patience",
                                        in_quote=True, speaker="Tomas Brede", quote="q1"))),
        plain_analysis("river-post", entities=(person(post, "e1", "Irena Valk", "Irena Valk"),),
                       quotes=(valk_post,), events=(agree_event(post),)),
    ]


def test_events_merge_across_outlets_and_coverage_shows_what_only_one_reported(tmp_path):
    ratings = tmp_path / "ratings.csv"
    ratings.write_text("outlet,lean,factuality\nNorthgate Times,left-center,high\n"
                       "meridianpost.example,right,mixed\n", encoding="utf-8")
    with Store(tmp_path / "news.duckdb") as store:
        store.write_batch(river_analyses())
        assign_stories(store)
        story = get_story(store, "sriver", ratings=load_ratings(ratings))
        assert get_story(store, "s-no-such-story") is None
    assert story is not None and story["id"] == "sriver-ledger"
    agree = [e for e in story["events"] if e["type"] == "AGREE"]
    assert len(agree) == 1  # one event reported by three outlets
    assert agree[0]["sources"] == 3 and agree[0]["actors"] == ["Veltria"] and agree[0]["recipients"] == ["Ostmark"]
    assert sorted(agree[0]["doc_ids"]) == ["river-ledger", "river-post", "river-times"]
    assert agree[0]["first_seen"] == "2031-03-02"
    assert [e["type"] for e in story["events"]] == ["AGREE", "PROTEST"]
    # The Ledger's speaker is only "Valk" (unresolved): the story's people name her in full.
    assert {s: len(q) for s, q in story["quotes_by_speaker"].items()} == {"Irena Valk": 2, "Tomas Brede": 1}
    assert story["quotes_by_speaker"]["Tomas Brede"][0] == {
        "doc_id": "river-times", "outlet": "Northgate Times", "text": "a victory for patience", "kind": "indirect"}
    coverage = {c["outlet"]: c for c in story["coverage"]}
    assert list(coverage) == ["Harbour Ledger", "Northgate Times", "Meridian Post"]
    times = coverage["Northgate Times"]
    assert times["documents"] == ["river-times"]
    assert times["only_here"]["speakers"] == ["Tomas Brede"]
    assert times["only_here"]["entities"] == ["Tomas Brede"]
    assert [e["type"] for e in times["only_here"]["events"]] == ["PROTEST"]
    assert [q["text"] for q in times["only_here"]["quotes"]] == ["a victory for patience"]
    # Facts only one outlet reported, as sentences with their spans in the document text.
    # (The farmers' warning is not: farmers, the lower Sarn valley and harvests are in the others.)
    assert [x["text"] for x in times["only_here"]["sentences"]] == [
        "Ostmark prime minister Tomas Brede called the accord a victory for patience.",
        "Critics in Ostmark said the quotas favour Veltria during drought years."]
    assert coverage["Harbour Ledger"]["only_here"]["sentences"] == []  # the others report it all
    (fish,) = coverage["Meridian Post"]["only_here"]["sentences"]
    post_text = page_text(PAGE["river-post"][5], PAGE["river-post"][6])
    assert post_text[fish["start"]:fish["end"]] == fish["text"] and fish["text"].startswith("Environmental")
    # The loaded word inside Brede's quote is his, not the outlet's.
    assert times["framing"]["loaded_term"] == 1 and times["framing"]["unattributed_claim"] == 1
    assert times["framing"]["terms"] == ["victory"]
    assert times["rating"] == {"lean": "left-center", "factuality": "high", "matched": "Northgate Times"}
    # Valk is quoted by two outlets: neither has her to itself. Ledger's direct quote and the
    # Post's paraphrase are different statements, so each stays "only here".
    for outlet in ("Harbour Ledger", "Meridian Post"):
        assert coverage[outlet]["only_here"]["speakers"] == []
        assert coverage[outlet]["only_here"]["events"] == []
        assert coverage[outlet]["only_here"]["entities"] == []
    assert coverage["Meridian Post"]["rating"]["lean"] == "right"  # matched by the URL's host
    assert coverage["Harbour Ledger"]["rating"] is None


def test_a_wire_copy_is_one_source_of_an_event(tmp_path):
    analyses = []
    for key in ("wire-agency", "wire-gazette", "wire-courier"):
        text = page_text(PAGE[key][5], PAGE[key][6])
        strike = Event("v1", "PROTEST", span(text, "walked out"), span(text, "Dockworkers at the port"),
                       actors=(actor(text, "Dockworkers", "dockworkers", "CLDLAB"),))
        analyses.append(plain_analysis(key, events=(strike,)))
    with Store(tmp_path / "news.duckdb") as store:
        store.write_batch(analyses)
        assign_stories(store)
        story = get_story(store, "swire-agency")
    assert story is not None
    (event,) = story["events"]
    assert event["sources"] == 1 and len(event["doc_ids"]) == 3
    assert event["outlets"] == ["Northwind Wire Agency", "Valley Gazette", "Coastal Courier"]


def test_ratings_table_needs_an_outlet_and_a_rating_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,score\nHarbour Ledger,3\n", encoding="utf-8")
    try:
        load_ratings(bad)
    except ValueError as error:
        assert "ratings table needs" in str(error)
    else:  # pragma: no cover - the assertion below reports it
        raise AssertionError("a table without lean or factuality was accepted")
    tsv = tmp_path / "ratings.tsv"
    tsv.write_text("source_url\tsource_url_normalized\tref\tfact\tbias\n"
                   "https://www.harbourledger.example\tharbourledger.example\tx\thigh\tcenter\n", encoding="utf-8")
    table = load_ratings(tsv)
    assert table["harbourledger.example"]["lean"] == "center"
    assert table["harbourledger.example"]["factuality"] == "high"


# -- the CLI ---------------------------------------------------------------------------------
def run(*args: object):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def test_cli_ingest_in_two_runs_then_list_and_show_stories(tmp_path):
    db = tmp_path / "news.duckdb"
    keys = list(GOLD)
    first = write_jsonl(tmp_path / "first.jsonl", keys[:7])
    everything = write_jsonl(tmp_path / "all.jsonl")
    assert run("ingest", first, "--db", db, "-q").exit_code == 0
    result = run("ingest", everything, "--db", db, "-q")
    assert result.exit_code == 0, result.output
    assert f"{len(keys) - 7} new document(s) grouped into stories" in result.output
    again = run("ingest", everything, "--db", db, "-q")
    assert again.exit_code == 0 and "grouped into stories" not in again.output

    con = duckdb.connect(str(db), read_only=True)
    url_key = {url_of(k): k for k in keys}
    by_key = {url_key[url]: story for url, story in con.execute(
        "SELECT d.url, s.story_id FROM story_documents s JOIN documents d ON d.id = s.doc_id").fetchall()}
    con.close()
    assert len(by_key) == len(keys) and partition(by_key) == GOLD_PARTITION

    listed = run("stories", "--db", db, "--json")
    assert listed.exit_code == 0, listed.output
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == len(GOLD_PARTITION)
    assert {"id", "headline", "first_seen", "last_seen", "outlets", "documents", "key_actors"} <= set(rows[0])
    assert sorted(d["url"] for r in rows for d in r["documents"]) == sorted(url_of(k) for k in keys)
    river = next(r for r in rows if r["headline"] == PAGE["river-ledger"][5])
    assert "Irena Valk" in [a["name"] for a in river["key_actors"]]
    assert len(run("stories", "--db", db, "--json", "--limit", "2").stdout.splitlines()) == 2

    table = run("stories", "--db", db)
    assert table.exit_code == 0
    assert "5 stories in" in table.output and river["id"] in table.output
    assert river["documents"][0]["id"][:12] in table.output

    ratings = tmp_path / "ratings.csv"
    ratings.write_text("outlet,lean\nHarbour Ledger,center\n", encoding="utf-8")
    shown = run("story", river["id"][:8], "--db", db, "--json", "--ratings", ratings)
    assert shown.exit_code == 0, shown.output
    story = json.loads(shown.stdout)
    assert story["id"] == river["id"]
    assert {"events", "quotes_by_speaker", "coverage"} <= set(story)
    assert [c["outlet"] for c in story["coverage"]] == ["Harbour Ledger", "Northgate Times", "Meridian Post"]
    assert story["coverage"][0]["rating"]["lean"] == "center"
    speakers = {s for c in story["coverage"] for s in c["only_here"]["speakers"]}
    assert "Irena Valk" in story["quotes_by_speaker"] and "Irena Valk" not in speakers

    human = run("story", river["id"], "--db", db)
    assert human.exit_code == 0
    assert "Coverage by outlet" in human.output and "Who is quoted" in human.output
    assert run("story", "s-none", "--db", db).exit_code == 1
    for command in (("stories",), ("stories", "--regroup"), ("story", "s1")):
        assert run(*command, "--db", tmp_path / "missing.duckdb").exit_code == 3
    assert not (tmp_path / "missing.duckdb").exists()
    assert run("story", river["id"], "--db", db, "--ratings", tmp_path / "missing.csv").exit_code == 2

    regrouped = run("stories", "--db", db, "--regroup", "--json")
    assert regrouped.exit_code == 0
    assert len(regrouped.stdout.splitlines()) == len(GOLD_PARTITION)


def test_cli_analyze_with_db_stores_and_groups(tmp_path):
    first = write_jsonl(tmp_path / "first.jsonl", list(GOLD)[:7])
    other = tmp_path / "analyzed.duckdb"
    assert run("analyze", first, "--db", other, "--json").exit_code == 0
    assert len(stored_groups(other)) == 7


def test_every_story_field_is_documented(tmp_path):
    from test_docs import field_rows, schema_sections, shape_names

    section = next(body for heading, body in schema_sections().items() if heading.startswith("Stories"))
    rows = field_rows(section)
    documented = set(rows) | {name for row in rows.values() for name in shape_names(row)}

    with Store(tmp_path / "news.duckdb") as store:
        store.write_batch(river_analyses())
        assign_stories(store)
        story = get_story(store, "sriver-ledger")
    assert story is not None
    emitted = set(story) | set(story["documents"][0]) | set(story["key_actors"][0] if story["key_actors"] else {})
    emitted |= set(story["events"][0]) | set(story["coverage"][0])
    emitted |= set(next(iter(story["quotes_by_speaker"].values()))[0])
    missing = emitted - documented
    assert not missing, f"story fields missing from docs/schema.md: {sorted(missing)}"


def test_the_shared_outlet_ratings_table_loads(shared_dir):
    folder = shared_dir / "data" / "framing" / "outlet-ratings"
    table = load_ratings(folder / "acl2020_corpus.tsv")
    domains = {key for key in table if "." in key and " " not in key}
    assert len(domains) > 500
    assert all(r["lean"] or r["factuality"] for r in table.values())
    some = min(domains)
    # An outlet unknown by name is found by its documents' URL host, with or without www.
    assert rating_for(table, "An Outlet Name", [f"https://www.{some}/news/1"]) is table[some]


def test_ingest_also_groups_documents_stored_without_a_story(tmp_path):
    from wirescope.ingest import ingest
    from wirescope.settings import Settings

    db = tmp_path / "news.duckdb"
    with Store(db) as store:  # as a crashed run or an older version would leave them
        store.write_batch([plain_analysis(k) for k in ("fire-ledger", "fire-times")])
    report = ingest([str(write_jsonl(tmp_path / "p.jsonl", ["fire-post"]))], db, Settings())
    assert report.stored == 1 and report.grouped == 3
    groups = stored_groups(db)
    assert len(groups) == 3 and len(set(groups.values())) == 1


def test_a_page_not_analysed_joins_no_story(tmp_path):
    """A non-English page is stored as not analysed: it has no English words or actors to compare."""
    key = next(iter(GOLD))
    _, _, outlet, _, day, title, paragraphs = PAGE[key]
    text = page_text(title, paragraphs)
    foreign = Analysis(Document(id="page-fr", text=text, outlet=outlet, title=title, published=day,
                                language="fr", status=STATUS_NOT_ANALYSED,
                                status_reason="language fr: not analysed"))
    with Store(tmp_path / "news.duckdb") as store:
        store.write_batch([plain_analysis(k) for k in GOLD] + [foreign])
        assert "page-fr" not in {a.doc_id for a in assign_stories(store)}
        assert count_ungrouped(store) == 0
        assert assign_stories(store, ["page-fr"]) == []
        assert regroup(store) == len(GOLD_PARTITION)
    assert "page-fr" not in stored_groups(tmp_path / "news.duckdb")
