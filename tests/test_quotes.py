"""The quote layer on project-written (fictional) texts, the shared sample page, the store and the CLI."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wirescope import analyze
from wirescope.analysis.entities import extract_entities
from wirescope.analysis.nlp import load_nlp
from wirescope.analysis.quotes import extract_quotes, find_quotations
from wirescope.cli.commands import app
from wirescope.records import Quote
from wirescope.storage.store import Store

runner = CliRunner()


def quotes_of(text: str) -> tuple[Quote, ...]:
    doc = load_nlp()(text)
    return extract_quotes(doc, extract_entities(doc))


def find(quotes: tuple[Quote, ...], fragment: str) -> Quote:
    found = [q for q in quotes if fragment in q.content.text]
    assert found, f"no quote contains {fragment!r}: {[q.content.text for q in quotes]}"
    return found[0]


def speaker_name(quote: Quote) -> str | None:
    return quote.speaker.name if quote.speaker else None


def check_spans(text: str, quotes: tuple[Quote, ...]) -> None:
    for quote in quotes:
        for span in (quote.content, quote.cue, quote.speaker):
            if span is not None:
                assert text[span.start : span.end] == span.text


# --- quotation marks ------------------------------------------------------------------------------


def test_curly_and_straight_marks_pair():
    text = 'She said: “We will sail.” He said: "We will not."'
    assert [text[s:e] for s, e in find_quotations(text)] == ["We will sail.", "We will not."]


def test_nested_quotes_and_apostrophes_do_not_break_pairing():
    text = "“We told them, ‘let ’em go, I’ve waited,’ and the Guild’s men agreed,” Mara Quill said."
    assert [text[s:e] for s, e in find_quotations(text)] == [
        "We told them, ‘let ’em go, I’ve waited,’ and the Guild’s men agreed,"
    ]


def test_two_apostrophe_marks_are_double_quotes():
    text = ("''The Guild's boats stay in,'' Mara Quill said, calling the storm ``a monster'' "
            "that would ''wreck ’em all.''")
    assert [text[s:e] for s, e in find_quotations(text)] == [
        "The Guild's boats stay in,", "a monster", "wreck ’em all."
    ]
    quote = find(quotes_of(text), "boats stay in")
    assert quote.kind == "direct" and speaker_name(quote) == "Mara Quill"


def test_quote_over_paragraphs_runs_to_its_closing_mark():
    text = "“The harbour is closed for now.\n“We reopen it when the storm passes,” Mara Quill said."
    spans = find_quotations(text)
    assert len(spans) == 1
    assert text[spans[0][0] : spans[0][1]].startswith("The harbour") and text[spans[0][1]] == "”"


def test_unbalanced_mark_is_dropped_not_paired_with_the_next_paragraph():
    text = "“The harbour is closed, Quill said.\nLater the mayor spoke. “Nothing changes,” she said."
    assert [text[s:e] for s, e in find_quotations(text)] == ["Nothing changes,"]
    assert quotes_of("A stray ” mark and an open “ mark.\n\n") is not None  # no crash


def test_empty_and_unparsed_docs_give_no_quotes():
    nlp = load_nlp()
    assert extract_quotes(nlp(""), ()) == ()
    assert extract_quotes(nlp.make_doc("“Yes,” she said."), ()) == ()


# --- direct quotes, cue and speaker anywhere ------------------------------------------------------------


def test_speaker_after_the_quote():
    text = "“The fleet will stay in port until Friday,” Admiral Tomas Berg told reporters."
    quote = find(quotes_of(text), "fleet")
    assert quote.kind == "direct" and quote.cue.text == "told"
    assert speaker_name(quote) == "Tomas Berg"
    assert quote.id == "q1"
    check_spans(text, quotes_of(text))


def test_speaker_before_the_quote_with_a_colon():
    text = "Mayor Anna Keller said: “The bridge opens on Monday.”"
    quote = find(quotes_of(text), "bridge")
    assert quote.kind == "direct" and quote.cue.text == "said"
    assert speaker_name(quote) == "Anna Keller"


def test_speaker_inside_the_quote_and_the_continuation():
    text = ("Anna Keller spoke at the opening. “The bridge is ready,” she said. “We waited ten years "
            "for it.”")
    quotes = quotes_of(text)
    first, second = find(quotes, "bridge is ready"), find(quotes, "ten years")
    assert speaker_name(first) == "Anna Keller" and first.speaker.text == "she"
    assert speaker_name(second) == "Anna Keller" and second.kind == "direct"


def test_according_to():
    text = "The port will reopen next week, according to Harbour Authority chief Lena Ostrova."
    quote = find(quotes_of(text), "reopen")
    assert quote.kind == "indirect" and quote.cue.text == "according to"
    assert quote.content.text == "The port will reopen next week"
    assert speaker_name(quote) == "Lena Ostrova"


def test_direct_quote_according_to():
    text = "“The port will reopen next week,” according to Lena Ostrova."
    quote = find(quotes_of(text), "reopen")
    assert quote.kind == "direct" and quote.cue.text == "according to"
    assert speaker_name(quote) == "Lena Ostrova"


def test_indirect_quote_before_its_cue():
    text = "The port will reopen next week, Lena Ostrova said."
    quote = find(quotes_of(text), "reopen")
    assert quote.kind == "indirect" and quote.content.text == "The port will reopen next week"
    assert speaker_name(quote) == "Lena Ostrova"


def test_floating_quote_continues_the_previous_speaker():
    text = ("“We will not give up the harbour,” said Mara Quill, the union leader.\n\n"
            "“Not this year, not ever.”")
    quote = find(quotes_of(text), "Not this year")
    assert quote.kind == "direct" and quote.cue is None
    assert speaker_name(quote) == "Mara Quill"


def test_ids_follow_text_order():
    text = ("Anna Keller said the bridge was safe. “It will stand,” she added. "
            "Tomas Berg insisted that the bridge needs another survey.")
    quotes = quotes_of(text)
    assert [q.id for q in quotes] == [f"q{n}" for n in range(1, len(quotes) + 1)]
    assert [q.content.start for q in quotes] == sorted(q.content.start for q in quotes)
    check_spans(text, quotes)


# --- partial (mixed) and indirect quotes ------------------------------------------------------------


def test_partial_quote_goes_to_the_subject_of_the_framing_verb():
    text = "Anna Keller dismissed the survey as “a fairy tale” on Tuesday."
    quote = find(quotes_of(text), "fairy tale")
    assert quote.kind == "mixed" and speaker_name(quote) == "Anna Keller"


def test_partial_quote_content_is_the_object_of_its_verb():
    text = "Anna Keller dismissed the survey as “a fairy tale” on Tuesday."
    quote = find(quotes_of(text), "fairy tale")
    assert quote.content.text == "the survey as “a fairy tale”"
    assert quote.cue.text == "dismissed" and speaker_name(quote) == "Anna Keller"


def test_partial_quote_in_a_reported_clause_makes_it_mixed():
    text = "Tomas Berg acknowledged that the crews are in “very long shifts” this month."
    quote = find(quotes_of(text), "very long shifts")
    assert quote.kind == "mixed" and quote.cue.text == "acknowledged"
    assert speaker_name(quote) == "Tomas Berg"


def test_indirect_quote_content_is_the_reported_clause():
    text = "Anna Keller said the aim of the survey was to protect the old bridge."
    quote = find(quotes_of(text), "aim of the survey")
    assert quote.kind == "indirect" and quote.cue.text == "said"
    assert quote.content.text == "the aim of the survey was to protect the old bridge"
    assert speaker_name(quote) == "Anna Keller"


def test_indirect_quote_with_that_and_an_organisation_as_speaker():
    text = "The Harbour Guild insists that any deal must include higher wages."
    quote = find(quotes_of(text), "any deal")
    assert quote.kind == "indirect" and quote.cue.text == "insists"
    assert quote.content.text.startswith("that any deal")
    assert speaker_name(quote) == "The Harbour Guild" or quote.speaker.text.endswith("Harbour Guild")


# --- speaker resolution -------------------------------------------------------------------------------


def test_description_with_a_title_seen_before_resolves():
    text = ("President Anna Keller visited the port on Monday. The president said the port would "
            "reopen soon.")
    quote = find(quotes_of(text), "reopen")
    assert quote.speaker.text == "The president" and speaker_name(quote) == "Anna Keller"


def test_unknown_description_keeps_its_text_without_an_entity():
    text = "Anna Keller visited the port. Officials said the port would reopen soon."
    quote = find(quotes_of(text), "reopen")
    assert quote.speaker.text == "Officials" and quote.speaker.entity is None


def test_ambiguous_description_is_not_guessed():
    text = ("President Anna Keller met President Tomas Berg on Monday. The president said the talks "
            "went well.")
    quote = find(quotes_of(text), "talks")
    assert quote.speaker.entity is None


# --- the shared sample page ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(sample_analysis):
    return sample_analysis


@pytest.mark.parametrize("fragment, speaker", [
    ("let ’em all out", "Donald Trump"),
    ("nasty.", "Donald Trump"),
    ("Some may have died recently", "Donald Trump"),
    ("young, beautiful dead", "Donald Trump"),
    ("putting Israel in a difficult position", "Donald Trump"),
    ("a lot", "Donald Trump"),
    ("defeat.", "Netanyahu"),
    ("very deep negotiations", "Donald Trump"),
    ("the aim of the talks was", "Donald Trump"),
    ("any exchange must include", "Hamas"),
    ("Hamas should release the surviving captives", "Donald Trump"),
])
def test_sample_page_quotes_and_speakers(sample, fragment, speaker):
    quote = find(sample.quotes, fragment)
    assert speaker_name(quote) == speaker


def test_sample_page_direct_quote_kinds(sample):
    assert find(sample.quotes, "let ’em all out").kind == "direct"
    assert find(sample.quotes, "Some may have died").kind == "direct"
    assert find(sample.quotes, "defeat.").kind == "mixed"
    assert find(sample.quotes, "We said").cue.text == "told"


def test_sample_page_nothing_from_teasers(sample):
    body_end = max(s.end for s in sample.segments if s.kind in ("title", "body"))
    assert all(q.content.end <= body_end for q in sample.quotes)
    for name in ("Maduro", "Zelensky", "Putin", "Medical sources"):
        assert not any(name in q.content.text or (q.speaker and name in q.speaker.text) for q in sample.quotes)
    check_spans(sample.document.text, sample.quotes)


# --- store, CLI, API ------------------------------------------------------------------------------------


STORY = ("Harbour strike enters second week\n\n"
         "President Anna Keller said on Monday that the port would reopen soon. “We will not leave the "
         "crews alone,” she told reporters.\n\n"
         "Union leader Mara Quill called the offer “an insult” and insisted that wages must rise.\n")


def test_store_round_trip_and_quotes_command(tmp_path: Path):
    page = tmp_path / "strike.txt"
    page.write_text(STORY, encoding="utf-8")
    db = tmp_path / "news.duckdb"
    result = runner.invoke(app, ["ingest", str(page), "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    analysis = analyze(page)
    assert analysis.quotes
    with Store(db, read_only=True) as store:
        stored = store.get_analysis(analysis.document.id)
    assert stored is not None and stored.quotes == analysis.quotes

    result = runner.invoke(app, ["quotes", "--db", str(db), "--speaker", "quill", "--json"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows and all(r["speaker"]["name"] == "Mara Quill" for r in rows)
    for row in rows:
        content = row["content"]
        assert STORY[content["start"] : content["end"]] == content["text"]
        assert row["doc_id"] == analysis.document.id

    result = runner.invoke(app, ["quotes", "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0 and "Anna Keller" in result.output and "Mara Quill" in result.output

    result = runner.invoke(app, ["analyze", str(page)], catch_exceptions=False)
    assert "Who said what" in result.output


def test_export_includes_quotes(tmp_path: Path):
    page = tmp_path / "strike.txt"
    page.write_text(STORY, encoding="utf-8")
    db = tmp_path / "news.duckdb"
    runner.invoke(app, ["ingest", str(page), "--db", str(db)], catch_exceptions=False)
    out = tmp_path / "export"
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl", "--out", str(out)],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (out / "quotes.jsonl").read_text(encoding="utf-8").strip()
    analyses = [json.loads(line) for line in (out / "analyses.jsonl").read_text(encoding="utf-8").splitlines()]
    assert analyses[0]["quotes"]


def test_extraction_is_cheap_next_to_the_parse():
    text = STORY * 20
    nlp = load_nlp()
    started = time.perf_counter()
    doc = nlp(text)
    parse = time.perf_counter() - started
    entities = extract_entities(doc)
    extract_quotes(nlp("“Warm,” she said."), ())  # loads the lexicon once, as a process does
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        extract_quotes(doc, entities)
        timings.append(time.perf_counter() - started)
    assert min(timings) < 0.15 * parse


def test_scare_quote_or_title_without_a_reporting_verb_is_no_quote():
    assert quotes_of("The crew watched “Harbour Nights” on Friday with the mayor.") == ()


@pytest.mark.parametrize("sentence, speaker", [
    ("“The tide will not wait for the council,” scoffed Mara Quill.", "Mara Quill"),
    ("“We sail at dawn and not a minute later,” Tomas Berg continued.", "Tomas Berg"),
    ("Anna Keller joked: “The bridge is older than I am.”", "Anna Keller"),
])
def test_manner_of_speaking_verbs_are_cues(sentence, speaker):
    quote = quotes_of(sentence)[0]
    assert quote.kind == "direct" and quote.cue is not None
    assert speaker_name(quote) == speaker


def test_unknown_verb_the_quotation_hangs_off_gives_the_speaker_not_a_cue():
    text = "“The council never listens to the fishermen,” Mara Quill grumbled."
    quote = find(quotes_of(text), "council never listens")
    assert quote.kind == "direct" and quote.cue is None
    assert speaker_name(quote) == "Mara Quill"


def test_short_partial_quote_near_an_unrelated_reporting_verb_is_no_quote():
    text = "The council, which Mara Quill said was failing, approved the “blue plan” on Monday."
    assert not [q for q in quotes_of(text) if "blue plan" in q.content.text]


def test_long_partial_quote_near_a_reporting_verb_is_still_attributed():
    text = ("Mara Quill said on Monday, after the vote, that the council had been "
            "“hiding the harbour accounts from every fisherman in this town for years” all along.")
    quote = find(quotes_of(text), "hiding the harbour")
    assert speaker_name(quote) == "Mara Quill"


def test_parenthetical_cue_attributes_a_short_partial_quote():
    text = "These storms, Mara Quill noted, are “ruining the harbour” every winter."
    quote = find(quotes_of(text), "ruining the harbour")
    assert quote.kind == "mixed" and quote.cue.text == "noted"
    assert speaker_name(quote) == "Mara Quill"


def test_relative_pronoun_speaker_resolves_to_the_person_it_stands_for():
    text = "The plan was backed by Mara Quill, who said that the harbour would reopen in May."
    quote = find(quotes_of(text), "harbour would reopen")
    assert quote.speaker.text == "who" and speaker_name(quote) == "Mara Quill"


def test_quoted_phrases_under_one_cue_are_one_quote():
    text = "Mara Quill described the new harbour master as “kind” and a man with a “great heart.”"
    quotes = [q for q in quotes_of(text) if "kind" in q.content.text or "great heart" in q.content.text]
    assert len(quotes) == 1
    assert "kind" in quotes[0].content.text and "great heart" in quotes[0].content.text
    assert speaker_name(quotes[0]) == "Mara Quill"


def test_reported_clause_stops_before_a_comma_relative_clause():
    text = "Mara Quill said that the harbour budget was spent on the old pier, which the council had closed."
    quote = find(quotes_of(text), "harbour budget")
    assert quote.kind == "indirect"
    assert quote.content.text.endswith("spent on the old pier")
