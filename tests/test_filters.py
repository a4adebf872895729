"""One storage layer, end to end: the CLI and the REST API give the same events for the same
filters, and an undated page stays undated everywhere (documents, events, exports, stories).

The database is filled by the real CLI (`wirescope ingest`) from project-written pages: four of the
fictional story pages (tests/story_pages.py), a dated page naming real countries (so that events
carry actor codes) and an undated one.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from story_pages import jsonl_rows
from wirescope.cli.commands import app as cli_app
from wirescope.serve.api import create_app

CODED_PAGE = {
    "url": "https://harbourledger.example/news/grain-transit", "outlet": "Harbour Ledger", "published": "2031-03-05",
    "title": "Russia threatens Poland over grain transit",
    "text": ("Russia threatens Poland over grain transit\n\nRussia threatened Poland with sanctions on Wednesday "
             "over grain transit.\nPoland rejected the demand from Russia, and Germany criticised Russia.\n"),
}
UNDATED_PAGE = {  # no published date anywhere: not in the row, not in the text
    "url": "https://northgatetimes.example/news/border", "outlet": "Northgate Times",
    "title": "Kenya accuses Uganda of smuggling",
    "text": ("Kenya accuses Uganda of smuggling\n\nKenya accused Uganda of smuggling weapons across the "
             "border.\nUganda rejected the accusation from Kenya.\n"),
}
# (CLI options, the same filter as API query parameters)
FILTERS = [
    (["--actor", "RU"], {"actor": "RU"}),  # code prefix (RUS), on either side
    (["--actor", "pol"], {"actor": "pol"}),  # code prefix or name part, lower case
    (["--actor", "Veltria"], {"actor": "Veltria"}),  # a name with no code
    (["--actor", "ussi"], {"actor": "ussi"}),  # a part of a name
    (["--type", "agree"], {"type": "agree"}),  # type, any case
    (["--actor", "russia", "--type", "DISAPPROVE"], {"actor": "russia", "type": "DISAPPROVE"}),
    (["--since", "2031-03-04"], {"since": "2031-03-04"}),
    (["--actor", "place:russia"], {"actor": "place:russia"}),  # an actor id (the register's)
    (["--actor", "Poland"], {"actor": "Poland"}),  # an actor's name: its id's events, whole name
    ([], {}),
]


def cli(*args: object) -> str:
    result = CliRunner().invoke(cli_app, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("filters")
    rows = jsonl_rows(["river-ledger", "river-times", "fire-ledger", "bank-ledger"]) + [CODED_PAGE, UNDATED_PAGE]
    pages = folder / "pages.jsonl"
    pages.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    path = folder / "news.duckdb"
    cli("ingest", "-q", "--fast-bias", pages, "--db", path)
    return path


@pytest.fixture(scope="module")
def cli_results(db: Path) -> dict:
    """Everything the tests ask the CLI, asked before the API opens the same file in this process."""
    out = {"events": [json_lines(cli("events", "--db", db, "--json", *options)) for options, _ in FILTERS],
           "documents": json_lines(cli("documents", "--db", db, "--json")),
           "stories": json_lines(cli("stories", "--db", db, "--json"))}
    for fmt in ("gdelt", "jsonl"):
        cli("export", "--db", db, "--format", fmt, "--out", db.parent / fmt)
    undated = next(s for s in out["stories"] if s["headline"] == UNDATED_PAGE["title"])
    out["undated_story"] = json.loads(cli("story", undated["id"], "--db", db, "--json"))
    return out


@pytest.fixture(scope="module")
def client(db: Path, cli_results: dict) -> TestClient:
    return TestClient(create_app(db, read_only=True), base_url="http://127.0.0.1")


def test_cli_and_api_list_the_same_events_for_the_same_filters(cli_results: dict, client: TestClient):
    everything = cli_results["events"][-1]
    assert len(everything) > 5 and any(a["code"] for e in everything for a in e["actors"])
    for (options, params), listed in zip(FILTERS, cli_results["events"]):
        response = client.get("/events", params={**params, "limit": 500})
        assert response.status_code == 200
        api = [(e["doc_id"], e["id"]) for e in response.json()["items"]]
        assert [(e["doc_id"], e["id"]) for e in listed] == api, options
        assert response.json()["total"] == len(listed)
    ru, pol, veltria, ussi = cli_results["events"][:4]
    # Either side counts: Russia threatens (actor) and is rejected and criticised (recipient).
    # (the learned coder may add an event, e.g. the demand Poland rejected: a superset is asked for)
    assert {"THREATEN", "REJECT", "DISAPPROVE"} <= {e["type"] for e in ru}
    assert all(any((s["code"] or "").startswith("RU") for s in e["actors"] + e["recipients"]) for e in ru)
    assert pol and all(any((s["code"] or "").startswith("POL") or "pol" in (s["name"] or s["text"]).lower()
                           for s in e["actors"] + e["recipients"]) for e in pol)
    assert veltria and [(e["doc_id"], e["id"]) for e in ussi] == [(e["doc_id"], e["id"]) for e in ru]
    by_id, by_name = cli_results["events"][-3:-1]
    assert [(e["doc_id"], e["id"]) for e in by_id] == [(e["doc_id"], e["id"]) for e in ru]
    assert by_name and all(any((s["code"] or "").startswith("POL") for s in e["actors"] + e["recipients"])
                           for e in by_name)
    # The recipient side alone: Russia is the recipient of two of its three events.
    to_russia = client.get("/events", params={"recipient": "rus"}).json()["items"]
    assert {"REJECT", "DISAPPROVE"} <= {e["type"] for e in to_russia}
    assert "THREATEN" not in {e["type"] for e in to_russia}  # Russia threatens: actor side only


def test_an_undated_page_stays_undated_everywhere(db: Path, cli_results: dict, client: TestClient):
    documents = {d["title"]: d for d in cli_results["documents"]}
    undated = documents[UNDATED_PAGE["title"]]
    assert undated["published"] is None and undated["stored_at"]  # the ingest time, as its own field
    assert documents[CODED_PAGE["title"]]["published"] == "2031-03-05"

    listed = client.get("/documents").json()["items"]
    assert listed[-1]["id"] == undated["id"]  # after every dated document
    assert listed[-1]["published"] is None and listed[-1]["day"] is None
    assert client.get("/documents", params={"since": "1900-01-01"}).json()["total"] == len(listed) - 1
    document = client.get(f"/documents/{undated['id']}").json()["document"]
    assert document["published"] is None and document["published_raw"] is None

    events = client.get("/events", params={"limit": 500}).json()["items"]
    assert events[-1]["doc_id"] == undated["id"] and events[-1]["day"] is None
    dated_events = client.get("/events", params={"since": "1900-01-01"}).json()["items"]
    assert undated["id"] not in {e["doc_id"] for e in dated_events}

    # GDELT's event table by position (no header): row[1:5] the date columns, row[59] DATEADDED; the
    # extension table says which document each GLOBALEVENTID (row[0]) comes from.
    with (db.parent / "gdelt" / "events.gdelt.tsv").open(encoding="utf-8") as handle:
        gdelt = list(csv.reader(handle, delimiter="\t"))
    with (db.parent / "gdelt" / "events.wirescope.tsv").open(encoding="utf-8") as handle:
        doc_of = {r["GLOBALEVENTID"]: r["doc_id"] for r in csv.DictReader(handle, delimiter="\t")}
    mine = [r for r in gdelt if doc_of[r[0]] == undated["id"]]
    assert mine and all(r[1:5] == ["", "", "", ""] for r in mine)
    assert all(r[59] for r in mine)  # when it was stored stays known
    coded_id = documents[CODED_PAGE["title"]]["id"]
    assert all(r[1] == "20310305" for r in gdelt if doc_of[r[0]] == coded_id)
    exported = json_lines((db.parent / "jsonl" / "documents.jsonl").read_text(encoding="utf-8"))
    assert next(d for d in exported if d["id"] == undated["id"])["published"] is None
    analyses = json_lines((db.parent / "jsonl" / "analyses.jsonl").read_text(encoding="utf-8"))
    assert next(a for a in analyses if a["document"]["id"] == undated["id"])["document"]["published"] is None

    story = cli_results["undated_story"]
    assert story["first_seen"] is None and story["last_seen"] is None
    assert story["events"] and all(e["first_seen"] is None for e in story["events"])
    assert client.get(f"/stories/{story['id']}").json()["first_seen"] is None
    listed_stories = client.get("/stories").json()["items"]
    assert listed_stories[-1]["id"] == story["id"]  # undated stories after the dated ones
