"""Role fixes of the event coder on project-written (fictional) sentences (issue 15, item 2), and
the learned tagger that proposes the triggers."""

from __future__ import annotations

import pytest

from wirescope.analysis.actors import code_actors
from wirescope.analysis.entities import extract_entities
from wirescope.analysis.events import code_events
from wirescope.analysis.events.coder import predicate_verb
from wirescope.analysis.events.combine import Coder
from wirescope.analysis.events.learned import load_tagger
from wirescope.analysis.nlp import load_nlp
from wirescope.analysis.quotes import extract_quotes
from wirescope.records import Event


def events_of(text: str, coder: Coder = "combined") -> tuple[Event, ...]:
    doc = load_nlp()(text)
    entities = code_actors(doc, extract_entities(doc))
    return code_events(doc, entities, extract_quotes(doc, entities), coder=coder)


def side_words(sides) -> str:
    return " ".join(f"{s.text} {s.name or ''} {s.code or ''}" for s in sides)


def of_type(events: tuple[Event, ...], etype: str) -> Event:
    found = [e for e in events if e.type == etype]
    assert found, f"no {etype}: {[(e.type, e.trigger.text) for e in events]}"
    return found[0]


@pytest.mark.parametrize("coder", ["rules", "combined"])
def test_nominalised_withdrawal_has_its_forces_as_actor(coder: Coder) -> None:
    text = "Chile demanded the withdrawal of Peruvian forces from the border region."
    events = events_of(text, coder)
    retreats = [e for e in events if e.type == "RETREAT" and e.trigger.text == "withdrawal"]
    for event in retreats:  # the rules may fold it into the demand; if it stands, the forces withdraw
        assert "Peruvian" in side_words(event.actors)
        assert "Peruvian" not in side_words(event.recipients)
    demand = of_type(events, "DEMAND")
    assert "Chile" in side_words(demand.actors)


@pytest.mark.parametrize("coder", ["rules", "combined"])
def test_talks_a_headline_reports_are_the_talkers_not_the_speakers(coder: Coder) -> None:
    # "X says Y in talks with Z": a headline without its copula; the saying is no meeting, Y talks with Z
    consult = of_type(events_of("Lena Orlov says Moldova in talks with Latvia", coder), "CONSULT")
    assert "Moldova" in side_words(consult.actors) and "Orlov" not in side_words(consult.actors)
    assert "Latvia" in side_words(consult.recipients) and "Moldova" not in side_words(consult.recipients)
    # a meeting that is the verb's occasion keeps the verb's sides
    hosted = of_type(events_of("Moldova hosted Latvia for talks.", coder), "CONSULT")
    assert "Moldova" in side_words(hosted.actors) and "Latvia" in side_words(hosted.recipients)


def test_control_names_the_controlled_place_as_recipient() -> None:
    text = "Prime Minister Ana Soldado of Bolivia vowed to keep imposing Bolivian security control over Tarija."
    for event in events_of(text, "rules"):
        if event.type in {"COERCE", "FIGHT"}:
            assert "Tarija" in side_words(event.recipients), event
            assert "Bolivian" not in side_words(event.recipients)


def test_protest_inside_a_country_is_by_its_citizens_against_its_government() -> None:
    text = "Ecuador's leaders noted growing demonstrations inside Peru over the fishing dispute."
    protest = of_type(events_of(text, "rules"), "PROTEST")
    assert [a.code for a in protest.actors] == ["PERCVL"]
    assert protest.actors[0].name and protest.actors[0].name.startswith("citizens of")
    assert [r.code for r in protest.recipients] == ["PERGOV"]


def test_conditional_threat_takes_its_recipient_from_the_sentence_before() -> None:
    text = ("Kenya held talks with the Ogaden Liberation Front on Monday. "
            "President Wanjiru Kamau warned that if the hostages are not freed, the situation would become nasty.")
    threats = [e for e in events_of(text) if e.type == "THREATEN"]
    assert threats, "the warning is a threat"
    assert "Ogaden" in side_words(threats[0].recipients)


def test_conditional_threat_takes_the_party_its_condition_names() -> None:
    text = "Norway warned that it would cut aid if Chile does not release the fishermen."
    # THREATEN by the rules; the tagger may read the warning as a DEMAND: either is made on Chile
    for coder in ("rules", "combined"):
        warnings = [e for e in events_of(text, coder) if e.type in {"THREATEN", "DEMAND"}]  # type: ignore[arg-type]
        assert warnings and "Chile" in side_words(warnings[0].recipients), coder


def test_tagger_proposes_triggers_with_types() -> None:
    tagger = load_tagger()
    found = tagger.tag(["Kenyan troops shelled rebel positions near the border on Tuesday.",
                        "The weather in the capital was mild for the season."])
    from wirescope.analysis.events.combine import PROPOSAL_MIN

    proposed = [[p for p in sentence if p.probability >= PROPOSAL_MIN] for sentence in found]  # what makes events
    assert [p.type for p in proposed[0]] == ["FIGHT"]
    sentence = "Kenyan troops shelled rebel positions near the border on Tuesday."
    assert sentence[proposed[0][0].start:proposed[0][0].end] == "shelled"
    assert proposed[1] == []


def test_a_trigger_span_is_as_sure_as_its_surest_word_piece() -> None:
    import numpy as np

    tagger = load_tagger()
    labels = tagger.labels
    # [CLS] went on strike [SEP]: "went" begins a PROTEST trigger unsurely, "strike" continues it surely
    rows = [("O", 0.98), ("B-PROTEST", 0.3), ("I-PROTEST", 0.4), ("I-PROTEST", 0.95), ("O", 0.99)]
    probabilities = np.zeros((len(rows), len(labels)), dtype=np.float32)
    for row, (label, p) in enumerate(rows):
        probabilities[row, labels.index(label)] = p
        if label != "O":
            probabilities[row, 0] = 1.0 - p  # the rest of its mass is O
    offsets = [(0, 0), (0, 4), (5, 7), (8, 14), (0, 0)]
    [proposal] = tagger._decode(probabilities, offsets)
    assert (proposal.start, proposal.end, proposal.type, proposal.probability) == (0, 14, "PROTEST", 0.95)


def test_tagger_without_the_skip_layer_norm_fusion_scores_as_the_fused_graph() -> None:
    import numpy as np
    import onnxruntime

    from wirescope.analysis.events.learned import model_dir

    tagger = load_tagger()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    fused = onnxruntime.InferenceSession(str(model_dir() / "events.onnx"), options, providers=["CPUExecutionProvider"])
    for sentence in ("Kenyan troops shelled rebel positions near the border on Tuesday.",
                     "The council demanded that the port operators withdraw the new fees by Friday."):
        ids = np.array([tagger.tokenizer.encode(sentence).ids])
        feed = {"inputs_embeds": tagger.word_pieces.embed(ids), "attention_mask": np.ones_like(ids)}
        logits = [session.run(["logits"], feed)[0] for session in (tagger.session, fused)]
        ours, theirs = (np.exp(x) / np.exp(x).sum(axis=-1, keepdims=True) for x in logits)
        # The label probabilities the coder reads: the fused node rounds a few activations to the other
        # side of an int8 step, which moves a logit by up to about 0.01 but a probability by under 1e-4.
        assert np.abs(ours - theirs).max() < 1e-3


def test_rules_model_and_combined_coders_run_on_one_parse() -> None:
    text = "Argentina condemned Uruguay for the closure of the river port."
    for coder in ("rules", "model", "combined"):
        events = events_of(text, coder)  # type: ignore[arg-type]
        assert of_type(events, "DISAPPROVE").actors


def test_cli_rules_events_flag_chooses_the_rule_coder(tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from wirescope.cli import app as cli_app

    text = ("Kenya accuses Uganda of smuggling\n\nKenya accused Uganda of smuggling weapons across the border on "
            "Friday. Uganda rejected the accusation and demanded talks with Kenya.\n")
    page = tmp_path / "page.txt"
    page.write_text(text, encoding="utf-8")
    outputs = {}
    for flags in ((), ("--rules-events",)):
        result = CliRunner().invoke(cli_app, ["analyze", str(page), "--json", *flags], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        outputs[flags] = json.loads(result.output)["events"]
    from wirescope import analyze

    for flags, coder in (((), "combined"), (("--rules-events",), "rules")):
        expected = analyze(text, event_coder=coder).events
        assert [(e["type"], e["trigger"]["start"]) for e in outputs[flags]] == [
            (e.type, e.trigger.start) for e in expected], coder
    assert {"DISAPPROVE", "DEMAND"} <= {e["type"] for e in outputs[("--rules-events",)]}


def test_a_sentences_trigger_scores_do_not_depend_on_the_other_sentences_tagged_with_it() -> None:
    tagger = load_tagger()
    sentence = "Kenyan troops shelled rebel positions near the border on Tuesday."
    alone = tagger.tag([sentence])[0]
    beside = tagger.tag(["Rain fell.", sentence, "The minister of Orvell said the talks with Kestrel would resume."])[1]
    assert alone == beside


def test_a_light_verbs_preposition_gives_the_nouns_recipient() -> None:
    """"launched an assault | on X": the parse hangs the noun's "on" phrase on its light verb; the
    stronghold is attacked, and the assault is one event, not a second one with no recipient."""
    text = "Velderan troops launched an assault on the last Ostrin Front stronghold near the river on Thursday."
    for coder in ("rules", "combined"):
        fights = [e for e in events_of(text, coder) if e.type in {"FIGHT", "ASSAULT"}]  # type: ignore[arg-type]
        assert fights and all("Ostrin" in side_words(e.recipients) for e in fights), (coder, fights)


@pytest.mark.parametrize("text, hit", [
    ("Velderan jets carried out three air strikes near Korvat on Tuesday, killing two Ostrin Front commanders.",
     "commanders"),
    ("Velderan artillery shelled the border post on Monday, wounding four Ostrin Front fighters.", "fighters"),
])
def test_an_attacks_recipient_is_who_its_participial_clause_says_it_hit(text: str, hit: str) -> None:
    """"carried out air strikes near Korvat, *killing* two commanders": the commanders were hit, not
    the place named beside the strikes."""
    attack = next(e for e in events_of(text) if e.type in {"FIGHT", "ASSAULT"})
    assert hit in side_words(attack.recipients)
    assert "Korvat" not in side_words(attack.recipients)


def test_a_statement_calling_on_someone_is_its_issuers_demand() -> None:
    """"X issued a statement calling on Y": the statement is no actor; who issued it demands."""
    text = ("Lina Marsh, the president of the Harbor Relief League, issued a statement Monday calling on the "
            "Velderan government to open the port.")
    for coder in ("rules", "combined"):
        demand = of_type(events_of(text, coder), "DEMAND")
        assert "Lina Marsh" in side_words(demand.actors), coder
        assert "Velderan" in side_words(demand.recipients), coder


def test_talks_a_verb_is_held_for_are_the_verbs_meeting() -> None:
    """"X hosted Y *for talks* at the palace": one meeting of X with Y, not a second one of Y with
    the palace where it was held."""
    text = "Prime Minister Ana Soldado hosted Velderan President Oskar Lind for talks at the Korvat Palace on Monday."
    for coder in ("rules", "combined"):
        meetings = [e for e in events_of(text, coder) if e.type == "CONSULT"]  # type: ignore[arg-type]
        assert len(meetings) == 1, (coder, meetings)
        assert "Soldado" in side_words(meetings[0].actors) and "Lind" in side_words(meetings[0].recipients)


@pytest.mark.parametrize("text, etype", [
    ("Velderan Foreign Minister Oskar Lind declined to comment on the Korvat proposal.", "REJECT"),
    ("Reporters asked Ana Soldado about the fishing dispute with Velder.", "DEMAND"),
    ("Ostrin lawmakers asked the Velderan envoy whether the fishermen would be freed.", "DEMAND"),
])
def test_a_no_comment_or_a_question_is_no_event(text: str, etype: str) -> None:
    for coder in ("rules", "combined"):
        assert etype not in {e.type for e in events_of(text, coder)}, coder  # type: ignore[arg-type]


@pytest.mark.parametrize("text, etype", [
    ("Velderan Foreign Minister Oskar Lind declined to sign the Korvat accord.", "REJECT"),
    ("Ostrin lawmakers asked the Velderan envoy to release the fishermen.", "DEMAND"),
])
def test_a_refusal_to_act_and_a_request_still_are(text: str, etype: str) -> None:
    for coder in ("rules", "combined"):
        assert etype in {e.type for e in events_of(text, coder)}, coder  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [
    "The Ostrin Front claimed responsibility for the attack on the Korvat police station on Monday.",
    "The Ostrin Front took responsibility for the bombings in Korvat on Monday.",
])
def test_who_claims_responsibility_for_an_attack_is_its_actor(text: str) -> None:
    for coder in ("rules", "combined"):
        attack = next(e for e in events_of(text, coder) if e.type in {"ASSAULT", "FIGHT"})
        assert "Ostrin Front" in side_words(attack.actors), coder



def test_a_report_of_an_obligation_still_is_a_demand() -> None:
    """``coder._plain_report`` drops a reporting verb the tagger reads as a demand only when what is
    said is no obligation: "X said Y must ..." stays a demand (the sample page's headline "Trump says
    US in ... negotiations" is the case it drops: tests/test_events.py)."""
    demand = of_type(events_of("Prime Minister Ana Soldado said Velder must release the Korvat fishermen."), "DEMAND")
    assert "Soldado" in side_words(demand.actors)


@pytest.mark.parametrize("coder", ["rules", "combined"])
def test_a_deal_agreed_between_two_parties_has_both_as_actors(coder: Coder) -> None:
    agree = of_type(events_of("A ceasefire deal was agreed between Moldova and Ukraine on Friday.", coder), "AGREE")
    assert "Moldova" in side_words(agree.actors) and "Ukraine" in side_words(agree.actors)


@pytest.mark.parametrize(("text", "trigger", "actor", "recipient"), [
    # "gave *to* Latvia": the parse makes "to" the dative; Latvia receives
    ("Estonia gave to Latvia two patrol boats last year.", "gave", "Estonia", "Latvia"),
    # an attack noun's relative clause says who it hit
    ("The Karvan Front claimed the bombings that killed 12 Latvian soldiers near Riga.", "bombings",
     "Karvan Front", "Latvian soldiers"),
    # a passive killing takes its attackers from the clause that tells the attack
    ("Six people were killed after Latvian security forces opened fire on protesters in Riga.", "killed",
     "Latvian security forces", "Six people"),
], ids=["prepositional-dative", "attack-noun-relative-clause", "passive-killing-attackers"])
def test_a_rule_triggers_sides_found_by_the_parse(text: str, trigger: str, actor: str, recipient: str) -> None:
    event = next(e for e in events_of(text, "rules") if e.trigger.text == trigger)
    assert actor in side_words(event.actors)
    assert recipient in side_words(event.recipients)


@pytest.mark.parametrize(("text", "word", "verb"), [
    ("Moldova is willing to withdraw its troops from the border zone.", "willing", "is"),
    ("Latvian troops remained on alert near the border after the clash.", "on", "remained"),
])
def test_a_predicative_trigger_takes_its_sides_from_its_verb(text: str, word: str, verb: str) -> None:
    doc = load_nlp()(text)
    token = next(t for t in doc if t.text == word)
    carrier = predicate_verb(token)
    assert carrier is not None and carrier.text == verb
    assert predicate_verb(next(t for t in doc if t.pos_ == "NOUN")) is None


def test_a_tagged_predicative_trigger_has_its_subject_as_actor() -> None:
    """The tagger reads "is *willing* to withdraw" as AGREE; the copula's subject agrees (without the
    verb's sides the event had none, and a sideless tagged event is dropped)."""
    agree = of_type(events_of("Moldova is willing to withdraw its troops from the border zone."), "AGREE")
    assert agree.trigger.text == "willing"
    assert "Moldova" in side_words(agree.actors)


def test_a_dismissed_pronoun_names_the_proposal_told_before() -> None:
    """"X announced an initiative, but Y dismissed *it*": X, whose proposal it is, is the recipient."""
    text = ("Moldova announced a ceasefire initiative to halt the fighting, but the Karvan Front dismissed it "
            "as not serious.")
    rejection = next(e for e in events_of(text) if e.trigger.text == "dismissed")
    assert rejection.type == "REJECT"
    assert "Karvan Front" in side_words(rejection.actors)
    assert "Moldova" in side_words(rejection.recipients)
