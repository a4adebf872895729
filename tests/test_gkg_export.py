"""``wirescope export --format gdelt`` also writes GDELT's Global Knowledge Graph (GKG 2.1) table of the
documents (issue 18, item 4): read back by position as GDELT's codebook numbers its 27 columns, every
character offset pointing at the stored text. Project-written pages (invented outlets and people, real
places), stored by the real CLI."""

from __future__ import annotations

import json
import re

import pyarrow.parquet as pq
import pytest

from cli_run import cli, read_tsv, write_pages
from wirescope.storage.gkg import GKG_COLUMNS, amounts

PAGE = {
    "url": "https://www.harbour-ledger.example/world/port-deal", "outlet": "Harbour Ledger",
    "published": "2031-03-05", "title": "Port deal signed in Antwerp",
    "text": ("Port deal signed in Antwerp\n\nAnna Kovac, the trade minister, flew to Antwerp on Friday and signed "
             "a port deal with Calderon Shipping Company. \"This deal brings 300 jobs to the harbour,\" Kovac "
             "said. The company will invest $750,000 in Ghent by March 2032, and 12 percent of its cargo will "
             "pass through Texas.\n"),
}
UNDATED = {"outlet": "Lantern Post", "title": "Quiet week", "text": "Quiet week\n\nNothing happened in Lyon.\n"}


@pytest.fixture(scope="module")
def gkg(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("gkg")
    db = folder / "news.duckdb"
    cli("ingest", "-q", "--fast-bias", write_pages(folder / "pages.jsonl", (PAGE, UNDATED)), "--db", db)
    written = cli("export", "--db", db, "--format", "gdelt", "--out", folder / "out")
    cli("export", "--db", db, "--format", "jsonl", "--out", folder / "jsonl")
    docs = [json.loads(line) for line in (folder / "jsonl" / "documents.jsonl").read_text("utf-8").splitlines()]
    rows = read_tsv(folder / "out" / "gkg.gdelt.tsv")
    return {"out": folder / "out", "written": written, "rows": rows, "texts": {d["url"]: d["text"] for d in docs}}


def test_one_row_of_27_columns_per_document_with_its_source(gkg: dict) -> None:
    assert "gkg.gdelt.tsv" in gkg["written"] and "gkg.gdelt.parquet" in gkg["written"]
    rows = gkg["rows"]
    assert len(rows) == 2 and all(len(row) == 27 for row in rows)
    web = next(row for row in rows if row[4] == PAGE["url"])
    assert re.fullmatch(r"\d{14}-\d+", web[0]) and web[0].startswith(web[1]) and len(web[1]) == 14
    assert web[2] == "1" and web[3] == "harbour-ledger.example"
    undated = next(row for row in rows if row is not web)
    assert undated[2] == "2" and undated[3] == "Lantern Post"  # no URL: citation only
    assert "<PUBLISHED>" not in undated[26] and "<PAGE_TITLE>Quiet week</PAGE_TITLE>" in undated[26]
    assert "<PUBLISHED>2031-03-05</PUBLISHED>" in web[26]


def test_names_places_dates_quotes_and_amounts_point_at_the_stored_text(gkg: dict) -> None:
    web = next(row for row in gkg["rows"] if row[4] == PAGE["url"])
    text = gkg["texts"][PAGE["url"]]
    assert "Anna Kovac" in web[11].split(";")
    for entry in web[12].split(";"):  # V2Persons: "Name,CharOffset" per mention
        name, offset = entry.rsplit(",", 1)
        assert text[int(offset):].startswith(("Anna", "Kovac")) and name == "Anna Kovac"
    assert any(e.split(",")[0] == "Calderon Shipping Company" for e in web[14].split(";"))
    locations = [entry.split("#") for entry in web[10].split(";")]  # V2Locations
    assert all(len(fields) == 9 for fields in locations)
    antwerp = next(f for f in locations if f[1].startswith("Antwerp"))
    assert antwerp[0] == "4" and antwerp[2] == "BE" and text[int(antwerp[8]):].startswith("Antwerp")
    assert float(antwerp[5]) == pytest.approx(51.22, abs=0.1)
    texas = next(f for f in locations if f[1].startswith("Texas"))
    assert texas[0] == "2" and texas[3] == "USTX"  # a US state: GDELT's type 2, FIPS ADM1 code
    assert all(len(entry.split("#")) == 7 for entry in web[9].split(";"))  # V1 Locations
    assert len(web[15].split(",")) == 7  # V2Tone
    dates = [d.split("#") for d in web[16].split(";")]
    assert ["2", "3", "0", "2032"] in [d[:4] for d in dates]  # "by March 2032": a month of a year
    offset, length, verb, quote = web[22].split("|")
    assert text[int(offset):int(offset) + int(length)] == quote and "300 jobs" in quote and verb == "said"
    for entry in web[23].split(";"):  # AllNames: every name as written
        name, at = entry.rsplit(",", 1)
        assert text[int(at):int(at) + len(name)] == name
    found = {(a, o) for a, o, _ in (e.split(",") for e in web[24].split(";"))}
    assert {("300", "jobs"), ("750000", "dollars"), ("12", "percent")} <= found


def test_the_parquet_copy_has_gdelts_column_names_and_types(gkg: dict) -> None:
    table = pq.read_table(gkg["out"] / "gkg.gdelt.parquet")
    assert table.column_names == [name for name, _ in GKG_COLUMNS]
    assert str(table.schema.field("DATE").type) == "int64" and table.num_rows == 2


def test_amounts_skip_years_clock_times_and_dates():
    found = amounts("In 2011 elections, 3 soldiers and two officers died at 2 p.m. on 5 March; $1.5 million "
                    "went to 1,200 families and four thousand books.")
    assert [(a, o) for a, o, _ in found] == [(3.0, "soldiers"), (2.0, "officers"), (1_500_000.0, "dollars"),
                                            (1200.0, "families"), (4000.0, "books")]
