"""What each outlet alone reports, labelled as what it is (a quote with its speaker, the narrator's
claim, or a fact the outlet states), never a headline listed as a quote, and each outlet's share of
the story: in ``get_story``, ``wirescope story ID --json``, the terminal view and the REST API. On
the project's fictional story pages (tests/story_pages.py)."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from story_pages import page_text
from test_stories import PAGE, at, plain_analysis, river_analyses, span
from wirescope.cli.commands import app
from wirescope.records import Framing, Quote, Speaker
from wirescope.serve.api import create_app
from wirescope.storage.store import Store
from wirescope.stories.assign import assign_stories, get_story
from wirescope.stories.labels import coverage_share, sentence_label

runner = CliRunner()
BANK = ("bank-ledger", "bank-times", "bank-post")


def bank_analyses() -> list:
    """The rate-rise story; the Post's headline ("Ostrava rate rise: central bank fights ...") is
    taken for a quote by the quote finder, and the Times' last sentence is flagged as opinion."""
    texts = {k: page_text(PAGE[k][5], PAGE[k][6]) for k in BANK}
    post = texts["bank-post"]
    headline = Quote("q1", "direct", span(post, "central bank fights inflation with higher interest rate"),
                     None, Speaker(*at(post, "Ostrava rate rise"), "Ostrava rate rise"))
    velk = Quote("q2", "indirect", span(post, "the bank had acted too late"), span(post, "said"),
                 Speaker(*at(post, "Dana Velk"), "Dana Velk", "e1", "Dana Velk"))
    ledger, times = texts["bank-ledger"], texts["bank-times"]
    marek_at = at(ledger, "Marek said")[0]
    marek = Quote("q1", "direct", span(ledger, "Prices must come down"), span(ledger, "said"),
                  Speaker(marek_at, marek_at + len("Marek"), "Marek"))
    opinion = Framing(*at(times, "The rate decision was expected by most economists."), "biased_sentence",
                      "The rate decision was expected by most economists.")
    return [plain_analysis("bank-ledger", quotes=(marek,)), plain_analysis("bank-times", framing=(opinion,)),
            plain_analysis("bank-post", quotes=(headline, velk))]


def stored(tmp_path: Path, analyses: list) -> Path:
    db = tmp_path / "news.duckdb"
    with Store(db) as store:
        store.write_batch(analyses)
        assign_stories(store)
    return db


def only_sentences(story: dict, outlet: str) -> dict[str, dict]:
    entry = next(c for c in story["coverage"] if c["outlet"] == outlet)
    return {s["text"]: s for s in entry["only_here"]["sentences"]}


def test_a_quote_is_labelled_a_quote_with_its_speaker_a_claim_a_claim_and_a_fact_a_fact(tmp_path):
    with Store(stored(tmp_path, river_analyses())) as store:
        story = get_story(store, "sriver-ledger")
    assert story is not None
    times = only_sentences(story, "Northgate Times")
    brede = times["Ostmark prime minister Tomas Brede called the accord a victory for patience."]
    assert (brede["kind"], brede["speaker"]) == ("quote", "Tomas Brede")  # never "fact"
    critics = times["Critics in Ostmark said the quotas favour Veltria during drought years."]
    assert (critics["kind"], critics["speaker"]) == ("claim", None)  # an unattributed claim
    (fish,) = only_sentences(story, "Meridian Post").values()
    assert (fish["kind"], fish["speaker"]) == ("fact", None)


def test_the_headline_is_never_a_quote_and_opinion_wording_is_a_claim(tmp_path):
    with Store(stored(tmp_path, bank_analyses())) as store:
        story = get_story(store, "sbank-ledger")
    assert story is not None
    post = next(c for c in story["coverage"] if c["outlet"] == "Meridian Post")
    listed = [q["text"] for q in post["only_here"]["quotes"]]
    assert listed == ["the bank had acted too late"]  # the body quote stays; the headline does not
    every_quote = [q["text"] for quotes in story["quotes_by_speaker"].values() for q in quotes]
    assert "central bank fights inflation with higher interest rate" not in every_quote
    assert "Ostrava rate rise" not in story["quotes_by_speaker"]
    sentences = only_sentences(story, "Meridian Post")
    assert sentences["Opposition leader Dana Velk said the bank had acted too late."]["kind"] == "quote"
    times = only_sentences(story, "Northgate Times")
    assert times["The rate decision was expected by most economists."]["kind"] == "claim"  # opinion wording
    assert times["Exporters warned that a stronger currency would hurt their sales."]["kind"] == "fact"


def test_each_outlet_share_of_the_story_counts_shared_and_exclusive_events(tmp_path):
    with Store(stored(tmp_path, river_analyses())) as store:
        story = get_story(store, "sriver-ledger")
    assert story is not None
    shares = {c["outlet"]: c["share"] for c in story["coverage"]}
    assert len(story["events"]) == 2  # AGREE by all three, PROTEST by the Times alone
    assert shares["Northgate Times"]["events"] == {"story": 2, "covered": 2, "only_here": 1}
    assert shares["Harbour Ledger"]["events"] == {"story": 2, "covered": 1, "only_here": 0}
    assert shares["Northgate Times"]["sentences"]["only_here"] == 2
    assert shares["Harbour Ledger"]["sentences"] == {"outlet": 3, "only_here": 0}


def test_labels_and_shares_follow_their_rules():
    quotes = [(10, 20, "Irena Valk"), (40, 50, None)]
    claims = [(60, 70)]
    assert sentence_label(0, 15, quotes, claims) == {"kind": "quote", "speaker": "Irena Valk"}
    assert sentence_label(35, 65, quotes, claims) == {"kind": "quote", "speaker": None}  # quote wins
    assert sentence_label(55, 65, quotes, claims) == {"kind": "claim", "speaker": None}
    assert sentence_label(20, 40, quotes, claims) == {"kind": "fact", "speaker": None}  # touching, not inside
    assert coverage_share({"a", "b"}, {"b", "c"}, True, 4, 1)["events"] == {"story": 3, "covered": 2, "only_here": 1}
    assert coverage_share({"a"}, set(), True, 1, 0)["events"]["only_here"] == 1  # the others coded none
    assert coverage_share({"a"}, set(), False, 1, 0)["events"]["only_here"] == 0  # nothing to compare


def test_cli_json_terminal_view_and_api_carry_the_labels(tmp_path):
    db = stored(tmp_path, river_analyses())
    shown = runner.invoke(app, ["story", "sriver-ledger", "--db", str(db), "--json"])
    assert shown.exit_code == 0, shown.output
    story = json.loads(shown.stdout)
    kinds = {s["text"][:12]: s["kind"] for c in story["coverage"] for s in c["only_here"]["sentences"]}
    assert kinds == {"Ostmark prim": "quote", "Critics in O": "claim", "Environmenta": "fact"}

    human = runner.invoke(app, ["story", "sriver-ledger", "--db", str(db)], env={"COLUMNS": "240"})
    assert human.exit_code == 0, human.output
    assert "quote (Tomas Brede): Ostmark prime minister" in human.output
    assert "claim: Critics in Ostmark" in human.output
    assert "fact: Environmental groups" in human.output
    assert "fact: Ostmark prime" not in human.output
    assert "covers 2 of 2 events (1 shared, 1 only here)" in human.output

    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    served = client.get("/stories/sriver-ledger")
    assert served.status_code == 200
    assert served.json()["coverage"] == story["coverage"]
