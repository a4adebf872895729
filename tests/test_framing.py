"""The framing layer on project-written (fictional) texts, the shared sample page, the store and the CLI."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import wirescope
from wirescope import analyze
from wirescope.analysis.entities import extract_entities
from wirescope.analysis.framing import find_framing, framing_summary, neutral_reading, original_reading
from wirescope.analysis.framing.context import QuoteContext, single_quoted
from wirescope.analysis.framing.lexicons import FRAMING_CATEGORIES, load_attribution_verbs, load_lexicon, match_terms
from wirescope.analysis.framing.spans import _speaker_sentence
from wirescope.analysis.nlp import load_nlp
from wirescope.analysis.quotes import extract_quotes, find_quotations
from wirescope.cli.commands import app
from wirescope.cli.summary import render_neutral
from wirescope.records import Framing, Quote, Speaker, TextSpan
from wirescope.storage.store import Store

runner = CliRunner()


def framing_of(text: str) -> tuple[Framing, ...]:
    doc = load_nlp()(text)
    entities = extract_entities(doc)
    return find_framing(doc, entities, extract_quotes(doc, entities), score_bias=False)


def of_kind(found: tuple[Framing, ...], kind: str, outlet_only: bool = False) -> list[Framing]:
    return [f for f in found if f.kind == kind and not (outlet_only and f.in_quote)]


def texts(found: tuple[Framing, ...], kind: str, outlet_only: bool = False) -> list[str]:
    return [f.text for f in of_kind(found, kind, outlet_only)]


def check_spans(text: str, found: tuple[Framing, ...]) -> None:
    for item in found:
        assert text[item.start : item.end] == item.text


# --- the lexicons ---------------------------------------------------------------------------------


def test_every_lexicon_entry_is_documented_and_matches_its_own_usage():
    entries = load_lexicon()
    loaded = [e for e in entries if e.category != "not_loaded"]
    assert len(loaded) >= 150
    nlp = load_nlp()
    unmatched = []
    for entry in entries:
        assert entry.category in FRAMING_CATEGORIES, entry
        assert entry.reason and entry.usage, entry
        if entry not in {e for e, _ in match_terms(nlp(entry.usage))}:
            unmatched.append((entry.key, entry.usage))
    assert not unmatched, f"entries that do not match their own usage example: {unmatched}"


def test_lexicon_is_symmetric_across_sides():
    keys = {p.lower() for e in load_lexicon() for p in e.patterns}
    for term in ("the? zionist entity", "palestinian resistance", "martyr/noun", "genocidal",
                 "terror group", "terrorist/noun",
                 "regime", "jihadist", "so-called", "human animal", "collateral damage", "enhanced interrogation",
                 "kyiv regime", "orc", "special military operation", "pro-life", "pro-choice"):
        assert term in keys, term


def test_attribution_verbs_have_a_neutral_form_and_a_reason():
    verbs = load_attribution_verbs()
    assert {"admit", "concede", "claim", "insist", "confess", "allege", "boast"} <= set(verbs)
    assert "say" not in verbs
    assert all(v.neutral and v.reason for v in verbs.values())


# --- 1. loaded labels, matched on lemmas ----------------------------------------------------------


def test_lemma_matching_covers_plural_inflection_and_case():
    text = ("Terrorists crossed the river. Two terror groups claimed the raid. The militia butchered "
            "farmers, and the Zionists mourned their martyrs. So-called experts disagreed.")
    found = framing_of(text)
    check_spans(text, found)
    terms = {f.text: f for f in of_kind(found, "loaded_term")}
    assert terms["Terrorists"].neutral == "Militants"
    assert terms["terror groups"].neutral == "militant groups"
    assert terms["butchered"].neutral == "killed"
    assert terms["Zionists"].neutral == "Israelis"
    assert terms["martyrs"].neutral == "people killed"
    assert terms["So-called"].neutral == ""
    assert terms["butchered"].category == "emotive" and "killed" in terms["butchered"].explanation


def test_headline_case_articles_and_participle_adjectives():
    found = framing_of("Terror Group Claims Raid On Port\n\nAn extremist militia attacked a so-called aid post, "
                       "a crushing defeat for the guards. Guards were shocked.")
    terms = {f.text: f.neutral for f in of_kind(found, "loaded_term")}
    assert terms == {"Terror Group": "Militant group", "An extremist": "A hard-line", "a so-called": "an",
                     "crushing defeat": "defeat"}


def test_descriptive_uses_are_not_loaded():
    found = framing_of("Historians of the early Zionist movement met. The sanctions regime on exports "
                       "was eased. Families remembered the Srebrenica massacre.")
    assert of_kind(found, "loaded_term") == []


def test_regime_for_a_government_is_loaded():
    found = framing_of("The regime in Tessaly arrested three reporters on Monday.")
    assert texts(found, "loaded_term") == ["regime"]


def test_terms_inside_a_direct_quote_are_the_speakers():
    text = ("Defence Minister Dara Vell spoke on Tuesday. “These terrorists are animals and they will pay,” "
            "Vell told reporters. The army said two soldiers were wounded.")
    found = framing_of(text)
    quoted = [f for f in of_kind(found, "loaded_term") if f.text == "terrorists"]
    assert quoted and quoted[0].in_quote and quoted[0].speaker == "Dara Vell" and quoted[0].quote
    assert not of_kind(found, "loaded_term", outlet_only=True)


def test_single_quoted_headline_words_are_not_the_outlets():
    line = "They don't know. 'Crush the terrorists' at Hamas's 'final offer', Vell says"
    assert [line[s:e] for s, e in single_quoted(line)] == ["Crush the terrorists", "final offer"]
    found = framing_of("Vell vows to 'crush the terrorists' in Dorsk\n\nDefence Minister Dara Vell spoke on Monday.")
    terms = of_kind(found, "loaded_term")
    assert [t.text for t in terms] == ["terrorists"] and terms[0].in_quote and terms[0].speaker is None


def test_the_outlet_paraphrasing_a_source_is_still_charged():
    found = framing_of("Minister Dara Vell said the terrorists had been pushed back.")
    terms = of_kind(found, "loaded_term")
    assert [t.text for t in terms] == ["terrorists"] and not terms[0].in_quote


# --- 2. loaded attribution verbs ------------------------------------------------------------------


def test_attribution_verbs_reporting_speech_are_flagged_with_said():
    text = ("Mayor Ilse Brandt admitted that the bridge was unsafe. Her deputy claimed the repairs "
            "were finished, admitting, “We ran late.” The council insists the budget holds.")
    found = of_kind(framing_of(text), "loaded_attribution")
    assert {f.text: f.neutral for f in found} == {"admitted": "said", "claimed": "said",
                                                   "admitting": "saying", "insists": "says"}


def test_admitted_without_reported_speech_and_said_are_not_flagged():
    found = framing_of("Ilse Brandt was admitted to hospital on Monday. Brandt said the bridge was unsafe.")
    assert of_kind(found, "loaded_attribution") == []


# --- 3. the narrator's own claims -----------------------------------------------------------------


def test_participial_commentary_is_an_unattributed_claim():
    text = ("The transport minister resigned on Monday, underscoring how deeply the scandal has shaken "
            "the government.")
    claims = texts(framing_of(text), "unattributed_claim")
    assert claims == ["underscoring how deeply the scandal has shaken the government"]


def test_characterising_appositive_and_inference_are_claims():
    text = ("The union repeated its call for a 10 percent raise — demands that amount to a strike threat. "
            "The vote revealed the weakness of the leadership.")
    claims = texts(framing_of(text), "unattributed_claim")
    assert "demands that amount to a strike threat" in claims
    assert "The vote revealed the weakness of the leadership" in claims


def test_judging_participle_is_a_claim_and_a_factual_one_is_not():
    text = ("The governor cut the school budget again on Friday, leaving a humiliating hole in the fund. "
            "A bomb exploded in the market on Friday, killing 12 people.")
    assert texts(framing_of(text), "unattributed_claim") == ["leaving a humiliating hole in the fund"]


def test_sourced_and_factual_clauses_are_not_claims():
    text = ("Figures released on Monday showed exports fell 3 percent. The storm killed four people, "
            "officials said. The minister said the cuts showed the plan was working, adding that more "
            "would follow. Police closed the road, saying it was unsafe.")
    assert texts(framing_of(text), "unattributed_claim") == []


def test_claims_inside_quotes_are_not_the_outlets():
    text = "“The deal collapsed, exposing the weakness of the government,” opposition leader Tomas Reye said."
    assert texts(framing_of(text), "unattributed_claim") == []


# --- one standard for every side -------------------------------------------------------------------
# One fictional clash told three ways: slanted for one side, slanted for the other, wire style.

SLANT_FOR_FIGHTERS = (
    "Resistance fighters repel occupation forces in Dorsk\n\n"
    "Resistance fighters in Dorsk repelled a raid by occupation forces on Sunday, as the Kestrian regime "
    "pressed its genocidal campaign against the valley. Six martyrs fell when occupation soldiers "
    "massacred families near the mill. The Kestrian army admitted that two of its soldiers were wounded.\n"
)
SLANT_FOR_ARMY = (
    "Troops neutralise Varn terrorists in Dorsk\n\n"
    "Kestrian troops neutralised a cell of Varn Front terrorists in Dorsk on Sunday after the terror group "
    "butchered a farming family near the mill. The jihadist savages had used the so-called aid convoy as "
    "cover. The group claimed that six of its members were killed.\n"
)
WIRE_STYLE = (
    "Fighting in Dorsk kills six Varn Front members and two villagers\n\n"
    "Kestrian troops and fighters of the Varn Front, an armed group, clashed in Dorsk on Sunday. Six Varn "
    "Front members and two villagers were killed near the mill, local officials said. The Kestrian army "
    "said two of its soldiers were wounded. The Varn Front said the aid convoy carried only food.\n"
)


def outlet_loaded(text: str) -> set[str]:
    found = framing_of(text)
    return {f.text for f in found if f.kind in ("loaded_term", "loaded_attribution") and not f.in_quote}


def test_each_slanted_version_gets_its_own_terms_flagged():
    assert {"Resistance fighters", "occupation forces", "regime", "genocidal", "martyrs", "occupation soldiers",
            "massacred", "admitted"} <= outlet_loaded(SLANT_FOR_FIGHTERS)
    assert {"neutralise", "terrorists", "neutralised", "terror group", "butchered", "jihadist", "savages",
            "so-called", "claimed"} <= outlet_loaded(SLANT_FOR_ARMY)


def test_wire_style_version_gets_none():
    found = framing_of(WIRE_STYLE)
    assert outlet_loaded(WIRE_STYLE) == set()
    assert of_kind(found, "unattributed_claim") == []


# --- summary, neutral reading, store and CLI ------------------------------------------------------

PAGE = (
    "Ministers trade blame over Dorsk raid\n\n"
    "Defence Minister Dara Vell admitted on Monday that the raid on the Dorsk depot had failed. “These "
    "terrorists outfoxed us,” Vell told reporters, admitting that the depot was lost. Interior Minister "
    "Oren Tal insisted the army was ready.\n"
    "So-called analysts expect more raids on the depot. Kestrian troops butchered cattle near the river "
    "during the raid, underscoring how deeply the war has changed the valley.\n"
    "Vell said the army would review the raid and report to parliament within a week. Tal said the "
    "review should be public.\n"
)


def test_framing_summary_counts_and_outlet_share(tmp_path: Path):
    page = tmp_path / "raid.txt"
    page.write_text(PAGE, encoding="utf-8")
    analysis = analyze(page)
    summary = framing_summary(analysis)
    assert summary["counts"]["loaded_attribution"] == 3
    assert summary["counts"]["unattributed_claim"] == 1
    assert summary["loaded_in_quotes"] == 1  # "terrorists", Vell's own word
    assert summary["in_quotes_by_speaker"] == {"Dara Vell": 1}
    total = summary["loaded_total"]
    assert summary["outlet_voice_share"] == round((total - 1) / total, 3)


def test_neutral_reading_substitutes_outlet_words_keeping_form(tmp_path: Path):
    page = tmp_path / "raid.txt"
    page.write_text(PAGE, encoding="utf-8")
    analysis = analyze(page)
    neutral = neutral_reading(analysis)
    assert "Dara Vell said on Monday that the raid on the Dorsk depot had failed." in neutral
    assert "“These terrorists outfoxed us,” Vell told reporters, saying that the depot was lost." in neutral
    assert "Oren Tal said the army was ready." in neutral
    assert "Analysts expect more raids on the depot." in neutral
    assert "Kestrian troops killed cattle" in neutral
    assert original_reading(analysis).startswith("Ministers trade blame over Dorsk raid")
    assert neutral_reading(analysis) == neutral  # deterministic
    assert wirescope.neutral_reading(analysis) == neutral  # the public API
    assert wirescope.framing_summary(analysis) == framing_summary(analysis)


def test_neutral_command_prints_both_readings_and_json(tmp_path: Path):
    page = tmp_path / "raid.txt"
    page.write_text(PAGE, encoding="utf-8")
    result = runner.invoke(app, ["neutral", str(page)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "neutral reading" in result.output and "admitted" in result.output and "saying" in result.output

    result = runner.invoke(app, ["neutral", str(page), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) >= {"document", "original", "neutral", "substitutions", "summary"}
    assert {s["text"]: s["neutral"] for s in payload["substitutions"]}["admitting"] == "saying"
    assert all(not s["in_quote"] for s in payload["substitutions"])

    result = runner.invoke(app, ["neutral", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1


def test_neutral_side_by_side_when_wide_and_stacked_when_narrow(tmp_path: Path):
    page = tmp_path / "raid.txt"
    page.write_text(PAGE, encoding="utf-8")
    analysis = analyze(page)
    original, neutral = original_reading(analysis), neutral_reading(analysis)
    for width, side_by_side in ((200, True), (80, False)):
        console = Console(width=width, record=True)
        render_neutral(analysis, original, neutral, console)
        lines = console.export_text().splitlines()
        assert any("original" in line and "neutral reading" in line for line in lines) is side_by_side


def test_analyze_summary_shows_framing_and_store_round_trip(tmp_path: Path):
    page = tmp_path / "raid.txt"
    page.write_text(PAGE, encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(page)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "How it is framed" in result.output and "outlet voice" in result.output
    assert "in quote" in result.output and "Dara Vell" in result.output

    db = tmp_path / "news.duckdb"
    assert runner.invoke(app, ["ingest", str(page), "--db", str(db)], catch_exceptions=False).exit_code == 0
    analysis = analyze(page)
    with Store(db, read_only=True) as store:
        stored = store.get_analysis(analysis.document.id)
    assert stored is not None
    ours = {f for f in analysis.framing if f.kind != "biased_sentence"}
    assert ours and ours <= set(stored.framing)


def test_empty_and_unparsed_docs_give_no_framing():
    nlp = load_nlp()
    assert find_framing(nlp(""), (), (), score_bias=False) == ()
    assert find_framing(nlp.make_doc("The terrorists fled."), (), ()) == ()


def test_framing_is_cheap_next_to_the_parse():
    text = (SLANT_FOR_FIGHTERS + SLANT_FOR_ARMY + WIRE_STYLE + PAGE) * 6
    nlp = load_nlp()
    started = time.perf_counter()
    doc = nlp(text)
    parse = time.perf_counter() - started
    entities = extract_entities(doc)
    quotes = extract_quotes(doc, entities)
    framing_of("The regime admitted that it was a shocking ploy.")  # loads the lexicons once, as a process does
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        find_framing(doc, entities, quotes, score_bias=False)
        timings.append(time.perf_counter() - started)
    assert min(timings) < 0.25 * parse


# --- the sample page ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(sample_analysis):
    return sample_analysis


@pytest.mark.parametrize("fragment", [
    "Zionist entity", "occupation entity", "Occupation media", "genocidal", "maximalist",
    "Palestinian resistance movement",
])
def test_sample_page_loaded_labels(sample, fragment):
    found = [f for f in sample.framing if f.kind == "loaded_term" and fragment in f.text]
    assert found and not any(f.in_quote for f in found), fragment


@pytest.mark.parametrize("followed_by", [" captives", " casualties", " army chief"])
def test_sample_page_zionist_labels(sample, followed_by):
    text = sample.document.text
    found = [f for f in sample.framing if f.kind == "loaded_term" and f.text == "Zionist"
             and text[f.end:].startswith(followed_by)]
    assert found and found[0].neutral == "Israeli" and not found[0].in_quote


def test_sample_page_resistance_as_a_name_for_hamas(sample):
    found = [f for f in sample.framing if f.kind == "loaded_term" and "Palestinian resistance" in f.text]
    assert len(found) >= 3


def test_sample_page_attribution_verbs(sample):
    verbs = {f.text: f.neutral for f in sample.framing if f.kind == "loaded_attribution"}
    assert verbs["conceded"] == "said" and verbs["admitting"] == "saying" and verbs["admitted"] == "said"


SAMPLE_CLAIMS = (
    "his remarks revealed both the heavy losses suffered by Israel",
    "underscoring how deeply Israeli society has been shaken",
    "exposing widening fractures within Israeli society",
    "demands that amount to the continuation of occupation",
    "a stance that aligns with the Palestinian people’s demand for freedom",
    "highlighting Netanyahu’s political calculations at the expense of captives’ lives",
    "forcing even U.S. leaders to admit that meaningful negotiations can only happen on Hamas’s terms",
)


def test_sample_page_claims_in_the_outlets_own_voice(sample):
    claims = [f for f in sample.framing if f.kind == "unattributed_claim"]
    found = [c for c in SAMPLE_CLAIMS if any(c in f.text for f in claims)]
    assert len(found) >= 5, f"claims found: {found}"
    assert found == list(SAMPLE_CLAIMS)  # all seven, today
    assert not any(f.in_quote for f in claims)


def test_sample_page_trumps_quoted_words_are_not_charged_to_the_outlet(sample):
    text = sample.document.text
    trump_marked = [(s, e) for s, e in find_quotations(text)
                    if any(q.speaker and q.speaker.name == "Donald Trump" and q.content.start <= s < q.content.end
                           for q in sample.quotes)]
    assert trump_marked
    for item in sample.framing:
        if item.kind != "biased_sentence" and any(s <= item.start and item.end <= e for s, e in trump_marked):
            assert item.in_quote and item.speaker == "Donald Trump"
    outlet = [f for f in sample.framing if not f.in_quote and f.kind == "unattributed_claim"]
    assert not any("difficult position" in f.text or "nasty" in f.text for f in outlet)


def test_sample_page_neutral_reading(sample):
    neutral = neutral_reading(sample)
    assert "as Israel faces mounting pressure" in neutral
    assert "the release of Israeli captives" in neutral
    assert "Zionist" not in neutral and "occupation entity" not in neutral
    assert "He said that some of the approximately 20 captives" in neutral
    assert "“Some may have died recently, as far as I’ve heard." in neutral  # quotes untouched
    body_end = max(s.end for s in sample.segments if s.kind in ("title", "body"))
    assert all(f.end <= body_end for f in sample.framing)  # nothing from teasers or boilerplate


def test_a_biased_sentence_mostly_inside_a_quotation_is_the_speakers():
    text = "Mayor Lina Hart spoke. “They ruined the harbour for everyone, every single day,” Hart said."
    open_mark = text.index("“")
    close_mark = text.index("”") + 1
    quote = Quote("q1", "direct", TextSpan(open_mark + 1, close_mark - 2, text[open_mark + 1 : close_mark - 2]),
                  speaker=Speaker(text.index("Hart said"), text.index("Hart said") + 4, "Hart", "e1", "Lina Hart"))
    context = QuoteContext(text, (quote,))
    sentence = Framing(open_mark, len(text), "biased_sentence", text[open_mark:], score=0.9)
    mine = _speaker_sentence(sentence, context)
    assert (mine.in_quote, mine.speaker, mine.quote) == (True, "Lina Hart", "q1")
    outlet = Framing(0, open_mark - 1, "biased_sentence", text[: open_mark - 1], score=0.9)
    assert _speaker_sentence(outlet, context).in_quote is False


def test_single_quote_scan_is_linear_on_unclosed_marks():
    # Many words after an opening mark and no closing one: a backtracking pattern took seconds here.
    text = (" 'word " + "ab cd ef gh ij kl mn op qr st uv wx yz " * 40 + "x'y") * 20
    started = time.perf_counter()
    assert single_quoted(text) == []
    assert time.perf_counter() - started < 0.5
    quoted = "Talks were 'very deep', he said."
    assert [quoted[s:e] for s, e in single_quoted(quoted)] == ["very deep"]
