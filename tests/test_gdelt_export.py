"""``wirescope export --format gdelt``: GDELT 2.0's event and Mentions tables read back by position, as
GDELT's documentation reads its files (tab-separated, no header), the extension table and the Parquet copies.

The database is filled by the real CLI from project-written pages (invented outlets, real country names
so that events carry CAMEO actor codes): a dated page with a URL and an undated page without one.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from cli_run import cli, read_tsv
from wirescope.storage.gdelt import EVENT_COLUMNS, EXTENSION_COLUMNS, MENTION_COLUMNS, global_event_id

DATED = {
    "url": "https://www.quayside-courier.example/world/grain-row", "outlet": "Quayside Courier",
    "published": "2031-03-05", "title": "Russia imposes sanctions on Poland",
    "text": ("Russia imposes sanctions on Poland\n\nRussia imposed sanctions on Poland on Wednesday over grain "
             "transit, officials in Warsaw said.\nPoland protested against Russia on Thursday, and Russia "
             "threatened Poland with further measures.\n"),
}
UNDATED = {  # no date and no URL anywhere
    "outlet": "Lantern Post", "title": "Kenya accuses Uganda of smuggling",
    "text": ("Kenya accuses Uganda of smuggling\n\nKenya accused Uganda of smuggling weapons across the "
             "border.\nUganda rejected the accusation from Kenya.\n"),
}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("gdelt")
    pages = folder / "pages.jsonl"
    pages.write_text("".join(json.dumps(p) + "\n" for p in (DATED, UNDATED)), encoding="utf-8")
    db = folder / "news.duckdb"
    cli("ingest", "-q", "--fast-bias", pages, "--db", db)
    written = cli("export", "--db", db, "--format", "gdelt", "--out", folder / "out")
    cli("export", "--db", db, "--format", "jsonl", "--out", folder / "jsonl")
    docs = [json.loads(line) for line in (folder / "jsonl" / "documents.jsonl").read_text("utf-8").splitlines()]
    events = [json.loads(line) for line in cli("events", "--db", db, "--json").splitlines() if line.strip()]
    return {"out": folder / "out", "written": written, "docs": {d["id"]: d for d in docs}, "events": events}


def test_event_table_has_gdelts_61_columns_by_position(exported: dict) -> None:
    out: Path = exported["out"]
    for name in ("events.gdelt.tsv", "mentions.gdelt.tsv", "events.wirescope.tsv", "events.gdelt.parquet",
                 "mentions.gdelt.parquet", "events.wirescope.parquet"):
        assert name in exported["written"]
    rows = read_tsv(out / "events.gdelt.tsv")
    coded = [e for e in exported["events"] if not e["negated"]]
    assert rows and len(rows) <= len(coded)
    assert all(len(row) == 61 for row in rows)
    assert rows[0][0].isdigit()  # no header row
    docs = {d["title"]: d for d in exported["docs"].values()}
    dated, undated = docs[DATED["title"]], docs[UNDATED["title"]]
    by_id = {global_event_id(e["doc_id"], e["id"]): e for e in exported["events"]}
    for row in rows:
        event = by_id[int(row[0])]
        assert row[26].startswith(row[28]) and row[27] == row[26][:3] and len(row[28]) == 2  # EventCode/Base/Root
        assert row[29] in {"1", "2", "3", "4"} and -10 <= float(row[30]) <= 10  # QuadClass, Goldstein
        assert int(row[31]) == event["mention_count"] and row[32] == row[33] == "1"
        assert -100 <= float(row[34]) <= 100  # AvgTone: the document's word-count tone
        assert len(row[59]) == 14 and row[59].startswith("20")  # DATEADDED: YYYYMMDDHHMMSS of stored_at
        if event["doc_id"] == dated["id"]:
            # SQLDATE: the day the sentence states ("on Thursday" before Wednesday 5 March: the 27th),
            # else the published day
            day = event["date"].replace("-", "") if event["date_source"] == "sentence" else "20310305"
            assert (row[1], row[2], row[3]) == (day, day[:6], "2031") and row[4].startswith("2031.")
            assert row[60] == DATED["url"]
        else:
            assert event["doc_id"] == undated["id"]
            assert row[1:5] == ["", "", "", ""] and row[60] == ""  # undated: blank Day, never the ingest day
    sanction = next(r for r in rows if by_id[int(r[0])]["type"] == "SANCTION")
    assert sanction[5].startswith("RUS") and sanction[7] == "RUS" and sanction[6] == "RUSSIA"  # Actor1
    assert sanction[15].startswith("POL") and sanction[17] == "POL"  # Actor2Code, Actor2CountryCode
    assert sanction[29] == "4" and float(sanction[30]) < 0 and sanction[25] == "1"  # in the lead: root
    # Places: the sides are countries (Geo_Type 1, FIPS codes), the action is in Warsaw, a world city
    assert (sanction[35], sanction[37], sanction[38]) == ("1", "RS", "RS")  # Actor1Geo: Russia
    assert (sanction[43], sanction[45]) == ("1", "PL")  # Actor2Geo: Poland
    assert sanction[51] == "4" and sanction[52].startswith("Warsaw") and sanction[53] == "PL"  # ActionGeo
    assert abs(float(sanction[56]) - 52.23) < 0.1 and abs(float(sanction[57]) - 21.01) < 0.1 and sanction[58]
    protest = next(r for r in rows if by_id[int(r[0])]["trigger"]["text"] == "protested")
    assert protest[1] == "20310227"  # "on Thursday" in a story of Wednesday 5 March 2031
    assert {by_id[int(r[0])]["doc_id"] for r in rows} == {dated["id"], undated["id"]}


def test_mentions_point_at_the_actor_and_trigger_text(exported: dict) -> None:
    out: Path = exported["out"]
    events = {int(r[0]): r for r in read_tsv(out / "events.gdelt.tsv")}
    mentions = read_tsv(out / "mentions.gdelt.tsv")
    by_id = {global_event_id(e["doc_id"], e["id"]): e for e in exported["events"]}
    assert all(len(row) == 16 for row in mentions)
    assert {int(r[0]) for r in mentions} == set(events)
    assert sum(int(r[31]) for r in events.values()) == len(mentions)  # NumMentions: one row per report
    for row in mentions:
        event, gdelt = by_id[int(row[0])], events[int(row[0])]
        text = exported["docs"][event["doc_id"]]["text"]
        assert row[1] == row[2] == gdelt[59]  # EventTimeDate, MentionTimeDate: DATEADDED
        action = int(row[9])
        assert any(m["start"] == action and text[action:m["end"]] == m["text"] for m in event["mentions"])
        if action == event["trigger"]["start"]:
            for offset, sides in ((int(row[7]), event["actors"]), (int(row[8]), event["recipients"])):
                assert offset == (sides[0]["start"] if sides else -1)
                if sides:
                    assert text[offset:offset + len(sides[0]["text"])] == sides[0]["text"]
        assert int(row[6]) >= 1 and row[10] == "1" and 0 <= int(row[11]) <= 100  # SentenceID, InRawText
        assert int(row[12]) == len(text) and row[13] == gdelt[34] and row[14:] == ["", ""]  # MentionDocTone
        if gdelt[60]:  # web: the URL and its host
            assert (row[3], row[4], row[5]) == ("1", "quayside-courier.example", DATED["url"])
        else:  # no URL: a citation only
            assert row[3] == "2" and row[4] == "Lantern Post" and row[5]
    sanction = next(r for r in mentions if by_id[int(r[0])]["type"] == "SANCTION")
    assert sanction[6] == "1"  # the title is the first sentence
    protest = [r for r in mentions if by_id[int(r[0])]["trigger"]["text"].startswith("protest")]
    assert protest and protest[0][6] == "3"  # the title, the first paragraph's sentence, then this one


def test_extension_table_is_keyed_by_global_event_id(exported: dict) -> None:
    out: Path = exported["out"]
    with (out / "events.wirescope.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert list(rows[0]) == [name for name, _ in EXTENSION_COLUMNS]
    assert len(rows) == len(exported["events"])  # every stored event, negated ones included
    gdelt_ids = {r[0] for r in read_tsv(out / "events.gdelt.tsv")}
    by_id = {global_event_id(e["doc_id"], e["id"]): e for e in exported["events"]}
    assert set(by_id) == {int(r["GLOBALEVENTID"]) for r in rows}
    for row in rows:
        event = by_id[int(row["GLOBALEVENTID"])]
        assert (row["doc_id"], row["event_id"], row["plover_type"]) == (event["doc_id"], event["id"], event["type"])
        assert row["in_gdelt"] == ("1" if row["GLOBALEVENTID"] in gdelt_ids else "0")
        assert row["negated"] == ("1" if event["negated"] else "0") and row["trigger_text"] == event["trigger"]["text"]
        assert row["in_quote"] == ("1" if event["quote"] else "0")
        if event["actors"]:
            assert int(row["actor1_start"]) == event["actors"][0]["start"]
    assert any(r["actor1_id"] == "place:russia" for r in rows)  # the register's actor id


def test_parquet_copies_have_the_same_rows_typed(exported: dict) -> None:
    out: Path = exported["out"]
    for stem, columns in (("events.gdelt", EVENT_COLUMNS), ("mentions.gdelt", MENTION_COLUMNS),
                          ("events.wirescope", EXTENSION_COLUMNS)):
        table = pq.read_table(out / f"{stem}.parquet")
        assert table.column_names == [name for name, _ in columns]
        kinds = {"INTEGER": "int64", "FLOAT": "double", "STRING": "string", "BOOLEAN": "bool"}
        assert [str(t) for t in table.schema.types] == [kinds[kind] for _, kind in columns]
        tsv = read_tsv(out / f"{stem}.tsv")[1 if stem == "events.wirescope" else 0:]

        def cell(value: object) -> str:
            if value is None:
                return ""
            return ("1" if value else "0") if isinstance(value, bool) else str(value)

        assert [[cell(v) for v in row.values()] for row in table.to_pylist()] == tsv
    # DuckDB reads the event table by position as well (no header: column0 ... column60).
    path = out / "events.gdelt.tsv"
    codes = duckdb.sql(f"SELECT column26 FROM read_csv('{path}', delim='\t', header=false, all_varchar=true, "
                       "columns={" + ", ".join(f"'column{i}': 'VARCHAR'" for i in range(61)) + "})").fetchall()
    assert [c for (c,) in codes] == [r[26] for r in read_tsv(path)]


def test_a_us_county_is_located_by_its_state_and_county_code_without_a_fake_feature_id():
    from wirescope.records import Place
    from wirescope.storage.gdelt import geo_values

    cook = Place(geonames_id=-17031, name="Cook County", feature="county", country="US", country_fips="US",
                 admin1="IL", admin1_name="Illinois", latitude=41.84, longitude=-87.82)
    kind, full_name, country, adm1, adm2, lat, lon, feature_id = geo_values(cook)
    assert (kind, country, adm1, adm2, feature_id) == (3, "US", "USIL", "IL031", None)
    assert full_name == "Cook County, Illinois, US" and (lat, lon) == (41.84, -87.82)
