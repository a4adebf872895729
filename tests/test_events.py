"""The event layer on project-written (fictional) sentences and pages, the shared sample page, the
store, the ``events`` command and the GDELT-style export."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirescope import analyze
from wirescope.analysis.actors import code_actors
from wirescope.analysis.entities import extract_entities
from wirescope.analysis.events import code_events
from wirescope.analysis.events.lexicon import load_lexicon
from wirescope.analysis.nlp import load_nlp
from wirescope.analysis.quotes import extract_quotes
from wirescope.records import Event


def events_of(text: str) -> tuple[Event, ...]:
    """The rule coder's events (what these tests pin: the lexicon, the parse's sides, modality);
    the learned tagger and the combination are tested in test_event_roles.py and on pages below."""
    doc = load_nlp()(text)
    entities = code_actors(doc, extract_entities(doc))
    return code_events(doc, entities, extract_quotes(doc, entities), coder="rules")


def names(sides) -> set[str]:
    return {s.name or s.text for s in sides}


def named(sides, expected: set[str]) -> bool:
    """Each side names one of ``expected`` (in its entity name or its text), and each is named."""
    found = {word for word in expected for s in sides if word in (s.name or "") or word in s.text}
    return found == expected and len(sides) == len(expected)


def only(events: tuple[Event, ...], etype: str) -> Event:
    found = [e for e in events if e.type == etype]
    assert len(found) == 1, f"expected one {etype}: {[(e.type, e.trigger.text) for e in events]}"
    return found[0]


def check_spans(text: str, events: tuple[Event, ...]) -> None:
    for event in events:
        for span in (event.trigger, event.sentence, *event.mentions, *event.actors, *event.recipients):
            assert text[span.start : span.end] == span.text


# One fictional sentence per family of PLOVER types: (sentence, type, actor, recipient).
FAMILIES = [
    ("Jordan and Britain agreed to hold joint military exercises next month.", "AGREE",
     {"Jordan", "Britain"}, None),
    ("Norway held very deep negotiations with Chile on Monday.", "CONSULT", {"Norway"}, {"Chile"}),
    ("The Canadian government praised Denmark for its climate policy.", "SUPPORT", {"Canadian"}, {"Denmark"}),
    ("Germany sent humanitarian aid to Ukraine.", "AID", {"Germany"}, {"Ukraine"}),
    ("Iran released two French prisoners.", "RETREAT", {"Iran"}, {"French"}),
    ("Brazil demanded that Argentina release the detained fishermen.", "DEMAND", {"Brazil"}, {"Argentina"}),
    ("Spain accused Morocco of spying on its diplomats.", "DISAPPROVE", {"Spain"}, {"Morocco"}),
    ("Egypt rejected the proposal from Libya.", "REJECT", {"Egypt"}, None),
    ("Peru warned Ecuador that if the border talks failed, the situation would become dangerous.",
     "THREATEN", {"Peru"}, {"Ecuador"}),
    ("Greek unions organised protests against Germany on Friday.", "PROTEST", {"Greek"}, {"Germany"}),
    # PLOVER manual: international sanctions are SANCTION `discontinue' (the 2021 table says COERCE).
    ("Russia imposed sanctions on Poland.", "SANCTION", {"Russia"}, {"Poland"}),
    ("The Kenyan police arrested two Ugandan activists.", "COERCE", {"Kenyan"}, {"Ugandan"}),
    ("Sudanese troops attacked Chad with artillery.", "FIGHT", {"Sudanese"}, {"Chad"}),
    ("Chinese agents kidnapped two Italian engineers in Mali.", "ASSAULT", {"Chinese"}, {"Italian"}),
    # One-sided violence against civilians is ASSAULT, an armed clash FIGHT (PLOVER definitions).
    ("Sudanese troops attacked Chadian civilians.", "ASSAULT", {"Sudanese"}, {"Chadian"}),
    ("Sudanese troops attacked Chadian soldiers.", "FIGHT", {"Sudanese"}, {"Chadian"}),
    # PLOVER's RETREAT covers resignations of officials and military surrender.
    ("Ecuadorian President Lena Ortiz resigned on Tuesday.", "RETREAT", {"Ortiz"}, None),
    ("Bolivian rebels surrendered to the Peruvian army.", "RETREAT", {"Bolivian"}, None),
    # CONCEDE (manual): easing restrictions, removing curfews.
    ("The Chilean government lifted the curfew in Valparaiso.", "CONCEDE", {"Chilean"}, None),
    # A light verb and a generic activity head: the compound names the event, "between" its sides.
    ("Norway launched a mediation effort between Chile and Peru.", "CONSULT", {"Norway"}, {"Chile", "Peru"}),
    # A protest's recipient is its target, named in what the protesters demand.
    ("Thousands of Chilean students staged demonstrations to demand the resignation of Peru's president.",
     "PROTEST", {"Chilean"}, {"Peru"}),
    # "allowed X to run" is a concession, not a statement with a reported clause.
    ("The Bolivian government allowed opposition leader Ana Quispe to run in the elections.", "CONCEDE",
     {"Bolivian"}, {"Quispe"}),
    # An intent adjective over a conflictual act is a threat (CAMEO 13).
    ("The Chilean government said it is ready to impose sanctions on Peru.", "THREATEN", {"Chilean"}, {"Peru"}),
    # PLOVER ASSAULT `targeted': the killing of one person is no armed clash.
    ("Sudanese rebels killed the deputy governor of Darfur.", "ASSAULT", {"Sudanese"}, None),
    # A recipient named only in a complement, once the event stands.
    ("The Bolivian minister refused to step down despite mounting pressure from the Chilean government.",
     "REJECT", {"Bolivian"}, {"Chilean"}),
    # A participle misparsed as the subject stands for its own subject.
    ("The Red Crescent working in Chile said Peruvian forces must free the detainees.",
     "DEMAND", {"Red Crescent"}, {"Peruvian"}),
    # Stopping a protest restricts freedoms (CAMEO 1721): COERCE on the protesters.
    ("Chilean police dispersed a rally by Peruvian workers.", "COERCE", {"Chilean"}, {"Peruvian"}),
    # A consultation with an ambassador is coded for its content (PLOVER, CONSULT ambiguities).
    ("Chilean foreign minister Ana Ruiz summoned Peru's ambassador to complain about the raids.",
     "DISAPPROVE", {"Ruiz"}, {"Peru"}),
    # COERCE `martial-law' (manual): declaring a state of emergency or siege imposes it.
    ("The Bolivian government declared a state of emergency in La Paz.", "COERCE", {"Bolivian"}, None),
    # ACCUSE (DISAPPROVE here): "sue or bring to court"; COOPERATE: sharing intelligence (manual).
    ("A Chilean businessman is suing Peru for damages.", "DISAPPROVE", {"Chilean"}, {"Peru"}),
    ("Bolivia has been sharing intelligence with Peru.", "COOPERATE", {"Bolivia"}, {"Peru"}),
    # ASSAULT `primitive' / `explosives' (manual): the weapon says one-sided violence.
    ("Bolivian rebels attacked a Peruvian village with machetes.", "ASSAULT", {"Bolivian"}, {"Peruvian"}),
    # The subject of "faces pressure" is pressed, not pressing: the source is the noun's author.
    ("Turkey faces mounting pressure from Greece over the islands.", "DEMAND", {"Greece"}, {"Turkey"}),
]


@pytest.mark.parametrize(("sentence", "etype", "actors", "recipients"), FAMILIES)
def test_event_families(sentence: str, etype: str, actors: set[str], recipients: set[str] | None) -> None:
    events = events_of(sentence)
    check_spans(sentence, events)
    event = only(events, etype)
    assert named(event.actors, actors), event.actors
    if recipients is not None:
        assert named(event.recipients, recipients), event.recipients
    assert 0.0 < event.confidence <= 1.0


def test_activity_after_a_verb_default_sense() -> None:
    # "converging for a rally": the rally says what happened, not the verb's CONSULT default
    events = events_of("Chilean students were converging on Santiago for a rally against the Peruvian government.")
    assert named(only(events, "PROTEST").recipients, {"Peruvian"})


def test_lexicon_is_derived_from_petrarch_and_project_nouns() -> None:
    lexicon = load_lexicon()
    assert len(lexicon.verbs) > 1000  # PETRARCH-2 verbs
    assert {"negotiation", "demonstration", "protest", "attack"} <= set(lexicon.nouns)
    notice = Path(__file__).resolve().parents[1] / "src/wirescope/data/event_triggers.tsv"
    assert "MIT" in notice.read_text(encoding="utf-8")[:600]


def test_noun_triggers_with_light_verb_and_preposition() -> None:
    text = "Norway held very deep negotiations with Chile. Greek unions organised protests against Germany."
    events = events_of(text)
    consult = only(events, "CONSULT")
    assert consult.trigger.text == "held" or consult.trigger.text == "negotiations"
    protest = only(events, "PROTEST")
    assert protest.trigger.text == "protests" and named(protest.recipients, {"Germany"})


def test_compound_actors_are_one_event() -> None:
    events = events_of("Jordan and Britain agreed to hold joint military exercises next month.")
    assert [e.type for e in events] == ["AGREE"]
    assert len(events[0].actors) == 2


def test_negation() -> None:
    negated = only(events_of("Mexico did not criticize Cuba over the election."), "DISAPPROVE")
    assert negated.negated
    plain = only(events_of("Mexico criticized Cuba over the election."), "DISAPPROVE")
    assert not plain.negated
    assert only(events_of("Kenya never accused Uganda of smuggling."), "DISAPPROVE").negated
    assert only(events_of("Norway held no talks with Chile this year."), "CONSULT").negated
    # A refusal is itself the event (REJECT), not a negated release
    refusal = events_of("Iran refused to release the French prisoners.")
    assert [e.type for e in refusal] == ["REJECT"] and not refusal[0].negated


def test_hypothetical_conditional_and_future() -> None:
    warning = only(events_of("Peru warned Ecuador that if the border talks failed, the situation "
                             "would become dangerous."), "THREATEN")
    assert warning.hypothetical
    modal = only(events_of("Russia could impose sanctions on Poland next year."), "SANCTION")
    assert modal.hypothetical
    fact = only(events_of("Russia imposed sanctions on Poland last year."), "SANCTION")
    assert not fact.hypothetical
    # PLOVER: a promise to cooperate (here, to negotiate) is itself an AGREE event
    promise = only(events_of("Portugal will negotiate with Spain next year."), "AGREE")
    assert not promise.hypothetical and named(promise.recipients, {"Spain"})
    assert not [e for e in events_of("Portugal will negotiate with Spain next year.") if e.type == "CONSULT"]


def test_quote_linkage() -> None:
    text = "Spain accused Morocco of spying, the minister said."
    doc = load_nlp()(text)
    entities = extract_entities(doc)
    quotes = extract_quotes(doc, entities)
    event = only(code_events(doc, entities, quotes), "DISAPPROVE")
    holding = [q for q in quotes if q.content.start <= event.trigger.start < q.content.end]
    assert holding and event.quote == holding[0].id
    outlet = only(events_of("Spain accused Morocco of spying on Tuesday."), "DISAPPROVE")
    assert outlet.quote is None


def test_one_event_one_record() -> None:
    text = ("Kenya accused Uganda of smuggling weapons. Later that week, Kenya again accused Uganda "
            "of smuggling. Tanzania accused Uganda of lying.")
    events = events_of(text)
    check_spans(text, events)
    accusations = [e for e in events if e.type == "DISAPPROVE"]
    assert len(accusations) == 2
    kenya = next(e for e in accusations if named(e.actors, {"Kenya"}))
    assert [m.text for m in kenya.mentions] == ["accused", "accused"]
    assert kenya.to_dict()["mention_count"] == 2


def test_events_json_contract() -> None:
    analysis = analyze("Russia imposed sanctions on Poland.\n\nRussia imposed sanctions on Poland on "
                       "Monday, officials in Warsaw said, and Poland protested against Russia.")
    data = analysis.to_dict()["events"]
    assert data and all(e["id"].startswith("v") for e in data)
    for event in data:
        assert set(event) >= {"type", "mode", "context", "actors", "recipients", "trigger", "sentence",
                              "negated", "hypothetical", "quote", "confidence", "mentions", "mention_count"}


TEASER_PAGE = """\
Harbor city council and port union hold talks on night shifts

Negotiators for Canada and Norway held talks in Oslo on Tuesday about fishing quotas in the Arctic, officials said.
The talks, hosted by the Norwegian foreign ministry, were the first since Canada accused Norway of overfishing in March.
Norway rejected the accusation and said its fleet respected the agreed quotas. (NWA)
Copyright © Northwind Wire Agency. All rights reserved. This material may not be published, \
broadcast, rewritten or redistributed without permission.
Brazil demanded on Friday that Argentina release three detained fishermen, officials in Brasilia said.
Sudanese troops attacked Chad with artillery on Sunday, residents said.
"""


def test_teaser_events_are_left_out() -> None:
    analysis = analyze(TEASER_PAGE)
    teasers = [s for s in analysis.segments if s.kind == "teaser"]
    assert teasers, "the page's last paragraphs should be teasers"
    types = {e.type for e in analysis.events}
    assert "DISAPPROVE" in types or "CONSULT" in types
    for event in analysis.events:
        assert not any(s.start <= event.trigger.start < s.end for s in teasers)
    assert not {"Brazil", "Argentina", "Sudanese", "Chad"} & {n for e in analysis.events
                                                             for n in names(e.actors) | names(e.recipients)}


def sample_page_events(shared_dir: Path, coder: str) -> tuple[Event, ...]:
    text = (shared_dir / "samples/wire-page-us-hamas-talks.txt").read_text(encoding="utf-8")
    analysis = analyze(text, event_coder=coder)
    check_spans(analysis.document.text, analysis.events)
    return analysis.events


def find_event(events: tuple[Event, ...], etype: str, actor: str, recipient: str | None = None) -> Event:
    for event in events:
        if event.type == etype and any(actor in (a.name or a.text) for a in event.actors) and (
                recipient is None or any(recipient in (r.name or r.text) for r in event.recipients)):
            return event
    raise AssertionError(f"no {etype} {actor} -> {recipient}: "
                         f"{[(e.type, names(e.actors), names(e.recipients)) for e in events]}")


def test_sample_page_default_coder(shared_dir: Path) -> None:
    """The learned coder (the default) on the sample page: four of issue 4's seven events with their
    sides (the United States' negotiations with Hamas, told in the headline and the body;
    Netanyahu's and Hamas's demands; Netanyahu dismissing Halevi's plan) and at most three others
    (the issue's bound). Since the distilled tagger (bench/RESULTS.md 16g) it misses Trump's demand on
    Hamas, the "nasty" warning and the protests, which the tagger before it found: it reads TUNE, the
    corpus' TEST part and the gold better, this page worse."""
    events = sample_page_events(shared_dir, "combined")
    found = [find_event(events, "DEMAND", "Netanyahu", "Hamas"), find_event(events, "DEMAND", "Hamas", "Israel"),
             find_event(events, "REJECT", "Netanyahu", "Halevi"),
             find_event(events, "CONSULT", "United States", "Hamas")]
    assert len(found[-1].mentions) >= 2  # headline and body tell one negotiation
    assert len(events) - len(found) <= 3
    # the headline's "Trump says US in ... negotiations" reports; it demands nothing (RESULTS 16e)
    assert not any(e.type == "DEMAND" and e.trigger.text.lower() == "says" for e in events)
    everyone = {n for e in events for n in names(e.actors) | names(e.recipients)}
    assert not any(teaser in n for n in everyone for teaser in ("Maduro", "Zelensky", "Putin", "Venezuela"))


def test_sample_page(shared_dir: Path) -> None:
    """The rule coder (event_coder="rules") on the sample page: all seven of issue 4's events."""
    events = sample_page_events(shared_dir, "rules")

    def find(etype: str, actor: str, recipient: str | None = None) -> Event:
        return find_event(events, etype, actor, recipient)

    consult = find("CONSULT", "", "Hamas")
    assert len(consult.mentions) >= 2  # headline and body tell one negotiation
    assert find("DEMAND", "Trump", "Hamas")
    assert find("THREATEN", "Trump").hypothetical
    assert find("DEMAND", "Netanyahu", "Hamas")
    assert find("DEMAND", "Hamas", "Israel")
    assert find("REJECT", "Netanyahu")
    # "as the Zionist entity faces mounting pressure": Israel is pressed, it demands nothing
    assert not any(e.type == "DEMAND" and "faces" in e.trigger.text and e.actors for e in events)
    protests = [e for e in events if e.type == "PROTEST"]
    assert protests and len(protests[0].mentions) >= 2  # "demonstrations", then "These protests"
    everyone = {n for e in events for n in names(e.actors) | names(e.recipients)}
    assert not any(teaser in n for n in everyone for teaser in ("Maduro", "Zelensky", "Putin", "Venezuela"))


def test_events_cost_next_to_the_parse() -> None:
    text = " ".join(sentence for sentence, *_ in FAMILIES) * 3
    nlp = load_nlp()
    doc = nlp(text)
    entities = extract_entities(doc)
    import time

    start = time.perf_counter()
    for _ in range(3):
        nlp(text)
    parse = (time.perf_counter() - start) / 3
    start = time.perf_counter()
    for _ in range(3):
        code_events(doc, entities, (), coder="rules")
    coding = (time.perf_counter() - start) / 3
    assert coding < parse  # the rule coder is a small share of the parse it reads


CLI_PAGES = {
    "a.txt": ("Russia imposes sanctions on Poland\n\nRussia imposed sanctions on Poland on Monday, officials "
              "in Warsaw said.\nPoland protested against Russia on Tuesday, and Russia threatened Poland "
              "with further measures.\n"),
    "b.txt": ("Kenya accuses Uganda of smuggling\n\nKenya accused Uganda of smuggling weapons across the "
              "border on Friday.\nUganda rejected the accusation from Kenya.\n"),
}


@pytest.fixture(scope="module")
def event_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from wirescope.cli.commands import app

    folder = tmp_path_factory.mktemp("events")
    for name, text in CLI_PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = folder / "news.duckdb"
    result = CliRunner().invoke(app, ["ingest", "-q", str(folder / "a.txt"), str(folder / "b.txt"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def _cli_events(db: Path, *args: str) -> list[dict]:
    import json

    from typer.testing import CliRunner

    from wirescope.cli.commands import app

    result = CliRunner().invoke(app, ["events", "--db", str(db), "--json", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]


def test_cli_events_filters(event_db: Path) -> None:
    everything = _cli_events(event_db)
    assert {e["type"] for e in everything} >= {"SANCTION", "DISAPPROVE"}
    russia = _cli_events(event_db, "--actor", "rus")
    assert russia and all(any("RUS" in (a["code"] or "") or "Russia" in (a["name"] or a["text"])
                               for a in e["actors"] + e["recipients"]) for e in russia)
    assert len(russia) < len(everything)
    threats = _cli_events(event_db, "--type", "threaten")
    assert threats and {e["type"] for e in threats} == {"THREATEN"}
    assert _cli_events(event_db, "--since", "2999-01-01") == []
    # The pages are undated (plain files): no date range takes them, however wide.
    assert _cli_events(event_db, "--since", "2000-01-01", "--until", "2999-12-31") == []
    from typer.testing import CliRunner

    from wirescope.cli.commands import app

    bad = CliRunner().invoke(app, ["events", "--db", str(event_db), "--since", "yesterday"])
    assert bad.exit_code == 2
    table = CliRunner().invoke(app, ["events", "--db", str(event_db), "--type", "SANCTION"])
    assert table.exit_code == 0 and "SANCTION" in table.output


def test_gdelt_export_reads_in_duckdb(event_db: Path, tmp_path: Path) -> None:
    import duckdb
    from typer.testing import CliRunner

    from wirescope.cli.commands import app
    from wirescope.storage.gdelt import global_event_id

    result = CliRunner().invoke(app, ["export", "--db", str(event_db), "--format", "gdelt", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    # By position, as GDELT's files are read (no header): column26 EventCode, column28 EventRootCode,
    # column29 QuadClass, column30 GoldsteinScale, column5 Actor1Code, column31 NumMentions.
    path = tmp_path / "events.gdelt.tsv"
    rows = duckdb.sql(
        f"SELECT column00, column26, column28, column29, column30, column05, column31 "
        f"FROM read_csv('{path}', delim='\t', header=false, all_varchar=true)"
    ).fetchall()
    assert rows
    stored = _cli_events(event_db)
    types = {str(global_event_id(e["doc_id"], e["id"])): e["type"] for e in stored}
    assert len(rows) == len([e for e in stored if not e["negated"]])
    for event_id, code, root, quad, goldstein, _actor, mentions in rows:
        assert code.startswith(root) and len(root) == 2
        assert quad in {"1", "2", "3", "4"}
        assert -10.0 <= float(goldstein) <= 10.0
        assert int(mentions) >= 1
        if types[event_id] == "SANCTION":
            assert quad == "4" and float(goldstein) < 0


def test_every_event_field_is_documented() -> None:
    import re

    schema = (Path(__file__).resolve().parents[1] / "docs/schema.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (`[a-z_]+`(?:, `[a-z_]+`)*) \|", schema, flags=re.MULTILINE)
    documented = {name for row in rows for name in re.findall(r"`([a-z_]+)`", row)}
    event = only(events_of("Russia imposed sanctions on Poland."), "SANCTION").to_dict()
    emitted = set(event) | set(event["actors"][0]) | set(event["trigger"])
    assert not emitted - documented


def test_analyze_summary_lists_events(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from wirescope.cli.commands import app

    page = tmp_path / "page.txt"
    page.write_text(CLI_PAGES["a.txt"], encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(page)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Who did what to whom" in result.output
    assert "SANCTION" in result.output and "RUS" in result.output


def test_empty_and_unparsed_docs_give_no_events() -> None:
    nlp = load_nlp()
    assert code_events(nlp(""), (), ()) == ()
    assert code_events(nlp.make_doc("Russia imposed sanctions on Poland."), (), ()) == ()
    assert events_of("   \n\n  ") == ()


def test_main_clause_event_leads_its_sentence() -> None:
    """The main clause's event is more confident than one in an embedded (adverbial, relative,
    conditional) clause even when the embedded one names more sides: top-1 is the main event."""
    for sentence, main, embedded in [
        ("Brazil protested after Bolivian troops attacked Peruvian soldiers.", "PROTEST", "FIGHT"),
        ("Ecuador agreed to talks, which Colombia proposed to Venezuela.", "AGREE", "DEMAND"),
    ]:
        events = events_of(sentence)
        assert only(events, main).confidence > only(events, embedded).confidence, events


def test_an_uncoded_common_noun_is_no_side() -> None:
    """Every side is someone a reader can check: an entity, a coded group or a proper name, never
    an abstract noun phrase ("its ability")."""
    text = "The Harbor Front wants to show its capacity to hold ground against the best-armed armies of the coast."
    for event in events_of(text):
        for side in (*event.actors, *event.recipients):
            assert side.entity or side.code or side.text[:1].isupper(), (event.type, side.text)


PROTEST_AT_COALITION = "Thousands of protesters demonstrated against Prime Minister Benjamin Netanyahu's coalition."


def test_sides_are_coded_on_the_published_date() -> None:
    # The recipient is a phrase no entity covers: the actor layer codes it on the date the event
    # coder is given (Netanyahu led the opposition in March 2022, the government in May 2024).
    doc = load_nlp()(PROTEST_AT_COALITION)
    codes = {}
    for day in ("2022-03-01", "2024-05-10"):
        entities = code_actors(doc, extract_entities(doc), published=day)
        event = only(code_events(doc, entities, extract_quotes(doc, entities), published=day), "PROTEST")
        codes[day] = event.recipients[0].code
    assert codes == {"2022-03-01": "ISROPP", "2024-05-10": "ISRGOV"}
    # The pipeline passes the page's date.
    page = only(analyze(PROTEST_AT_COALITION, published="2022-03-01").events, "PROTEST")
    assert page.recipients[0].code == "ISROPP"


def test_events_under_the_confidence_floor_are_left_out_and_the_rest_numbered() -> None:
    from dataclasses import replace

    from wirescope.analysis.events import combine
    from wirescope.analysis.events.merge import Found, merge_events

    event = analyze(TEASER_PAGE, event_coder="rules").events[0]
    found = [Found(replace(event, type=t, confidence=c), False)  # three events of three types
             for t, c in (("DEMAND", 0.9), ("REJECT", 0.1), ("CONSULT", 0.5))]
    kept = merge_events(found, floor=0.4)
    assert [(e.type, e.confidence, e.id) for e in kept] == [("DEMAND", 0.9, "v1"), ("CONSULT", 0.5, "v2")]
    assert len(merge_events(found)) == 3
    assert 0 < combine.EVENT_MIN < 1  # the combined coder's floor (the rule coder has none)


def test_the_event_floor_is_a_setting_and_a_command_line_flag(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from wirescope.cli import app

    default = analyze(TEASER_PAGE).events
    assert default and all(e.confidence >= 0.4 for e in default)
    assert analyze(TEASER_PAGE, event_min_confidence=0.99).events == ()  # no event is that sure
    assert len(analyze(TEASER_PAGE, event_min_confidence=0.0).events) >= len(default)
    page = tmp_path / "teaser.txt"
    page.write_text(TEASER_PAGE, encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(page), "--json", "--page-timeout", "0",
                                      "--min-event-confidence", "0.99"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["events"] == []
