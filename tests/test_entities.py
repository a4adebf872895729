"""Entity grouping on project-written texts, through the real spaCy pipeline."""

from __future__ import annotations

import pytest

from wirescope.analysis.entities import extract_entities
from wirescope.analysis.nlp import load_nlp

STORY = (
    "Valdorian President Amira Solberg said on Monday that talks with Kestrel would resume. "
    "Solberg told reporters in the capital that she expected an answer within a week. "
    "She added that her ministers had met Kestrel's envoy Jonas Mertz twice. "
    "Mertz said the World Health Organization would send observers, and the WHO confirmed it. "
    "The U.S. State Department welcomed the talks; Washington and the United States have backed "
    "a deal since March, and US officials said so again."
)


@pytest.fixture(scope="module")
def entities():
    return extract_entities(load_nlp()(STORY))


def by_name(entities, name):
    found = [e for e in entities if e.name == name]
    assert found, f"{name!r} not among {[e.name for e in entities]}"
    return found[0]


def test_full_name_and_surname_are_one_person(entities):
    solberg = by_name(entities, "Amira Solberg")
    assert solberg.type == "PERSON"
    texts = [m.text for m in solberg.mentions]
    assert "Amira Solberg" in texts and "Solberg" in texts
    assert not any(e.name == "Solberg" for e in entities)


def test_title_is_not_part_of_the_name(entities):
    solberg = by_name(entities, "Amira Solberg")
    assert all("President" not in m.text for m in solberg.mentions)


def test_pronoun_after_a_subject_joins_that_person(entities):
    solberg = by_name(entities, "Amira Solberg")
    assert any(m.text in {"she", "She", "her"} for m in solberg.mentions)


def test_acronym_joins_the_organisation(entities):
    who = by_name(entities, "World Health Organization")
    assert {"World Health Organization", "WHO"} <= {m.text for m in who.mentions}


def test_state_aliases_are_one_entity(entities):
    usa = by_name(entities, "United States")
    assert {"United States", "US"} <= {m.text for m in usa.mentions}
    assert len([e for e in entities if e.name == "United States"]) == 1


def test_mention_spans_index_the_text(entities):
    for entity in entities:
        for mention in entity.mentions:
            assert STORY[mention.start : mention.end] == mention.text


def test_ids_follow_first_mention(entities):
    firsts = [min(m.start for m in e.mentions) for e in entities]
    assert firsts == sorted(firsts)
    assert [e.id for e in entities] == [f"e{i}" for i in range(1, len(entities) + 1)]


def test_empty_and_unparsed_docs_give_no_entities():
    nlp = load_nlp()
    assert extract_entities(nlp("")) == ()
    assert extract_entities(nlp.make_doc("Amira Solberg spoke.")) == ()


def test_surname_the_tagger_missed_joins_the_one_person_with_that_name():
    text = ("Estonian minister Marta Ilves opened the harbour on Monday.\n\n"
            "“The port is ready,” Ilves said.\n\nIlves added that the ferries would run.")
    ilves = by_name(extract_entities(load_nlp()(text)), "Marta Ilves")
    starts = {m.start for m in ilves.mentions}
    assert {text.index("Ilves said"), text.index("Ilves added")} <= starts


def test_title_cased_word_that_is_no_lone_name_does_not_join_a_person():
    text = "Young voters said they liked Andrew Young. Young said nothing."
    young = by_name(extract_entities(load_nlp()(text)), "Andrew Young")
    assert 0 not in {m.start for m in young.mentions}
    assert text.index("Young said") in {m.start for m in young.mentions}


def test_ambiguous_surname_joins_no_one():
    text = "Marta Ilves and Peeter Ilves met on Monday. Ilves said the port was ready."
    entities = extract_entities(load_nlp()(text))
    at = text.index("Ilves said")
    assert not any(m.start == at for e in entities for m in e.mentions)


def test_a_poll_figure_run_into_a_name_is_cut_off():
    from wirescope.analysis.name_spans import trim_span

    doc = load_nlp()("Ilves earned 42 percent, Solberg 34 percent and Mertz 11 points; Kestrel 7 met.")
    at = {t.text: t.i for t in doc}

    def trimmed(name: str, label: str) -> str:
        tokens, _ = trim_span([doc[at[name]], doc[at[name] + 1]], label)
        return " ".join(t.text for t in tokens)

    assert trimmed("Solberg", "ORG") == "Solberg"  # "34 percent" follows: a figure, not a name
    assert trimmed("Mertz", "PERSON") == "Mertz"
    assert trimmed("Kestrel", "ORG") == "Kestrel 7"  # no percentage after it: an organisation may end in one
    assert trimmed("Kestrel", "PERSON") == "Kestrel"  # no person's name ends in a number
