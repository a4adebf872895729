"""Actor coding on project-written phrases and pages, through the real spaCy pipeline and gazetteer."""

from __future__ import annotations

import importlib.util
import sys
from importlib import resources
from pathlib import Path

import pytest

import wirescope
from wirescope.analysis.actors import (
    DATED,
    code_actors,
    code_span,
    load_gazetteer,
    resolve,
)
from wirescope.analysis.entities import extract_entities
from wirescope.analysis.gazetteer import STALE
from wirescope.analysis.nlp import load_nlp

pytestmark = pytest.mark.slow


def span_code(text: str, when: str | None = None) -> str | None:
    doc = load_nlp()(text)
    return code_span(doc[:], when=when)


def coded_entities(text: str, published: str | None = None):
    doc = load_nlp()(text)
    return code_actors(doc, extract_entities(doc), published=published)


def entity_named(entities, name):
    found = [e for e in entities if e.name == name]
    assert found, f"{name!r} not among {[(e.name, e.code) for e in entities]}"
    return found[0]


@pytest.mark.parametrize(
    ("phrase", "code"),
    [
        # names in the gazetteer
        ("Hamas", "PSEREBHMS"),
        ("Israel", "ISR"),
        ("the White House", "USAGOV"),
        ("the Kremlin", "RUSGOV"),
        ("the United Nations", "IGOUNO"),
        ("Hamas leaders", "PSEREBHMS"),
        # partisan aliases
        ("the Zionist entity", "ISR"),
        ("the occupation entity", "ISR"),
        ("Occupation media", "ISRMED"),
        ("the occupation army", "ISRMIL"),
        # titles, nationalities and agents (roles)
        ("Ukrainian President Petro Ivanenko", "UKRGOV"),
        ("Israel's former army chief Dov Arieli", "ISRMIL"),
        ("Israeli media", "ISRMED"),
        ("Egyptian police officers", "EGYCOP"),
        ("Kenya's Senate", "KENLEG"),
        ("medical sources in Gaza", "PSEHLH"),
        ("protesters", "---OPP"),
        ("thousands of demonstrators", "---OPP"),
        ("political opponents", "---OPP"),
        ("Kenyan critics", "KENOPP"),
        # a surname of one dictionary person, alone or after a title, is that person
        ("President Kagame", "RWAGOV"),
        ("Carlos Menem", "ARGELI"),
        # of role words side by side, the first names the sector
        ("union president Marta Ilves", "---LAB"),
    ],
)
def test_code_span(phrase, code):
    assert span_code(phrase) == code


@pytest.mark.parametrize(
    "phrase", ["a wooden bicycle", "the weather on Tuesday", "Kestrel Widgets", "a roast turkey",
               "his business record", "Marta Kagame", "Marta Ilves"],
)
def test_unknown_phrases_stay_uncoded(phrase):
    assert span_code(phrase) is None


def test_office_holders_follow_the_document_date():
    # Netanyahu was out of office between June 2021 and December 2022; Trump between his terms.
    assert span_code("Benjamin Netanyahu", when="2022-03-01") == "ISROPP"
    assert span_code("Benjamin Netanyahu", when="2024-05-10") == "ISRGOV"
    assert span_code("Donald Trump", when="2023-06-01") == "USAELI"
    assert span_code("Donald Trump", when="2025-06-01") == "USAGOV"
    # Undated: the current office holder wins; the dictionary's open-ended office is closed.
    assert span_code("Donald Trump") == "USAGOV"
    assert span_code("Barack Obama", when="2015-02-01") == "USAGOV"
    assert span_code("Barack Obama") == "USAELI"


def test_former_office_holder_becomes_elite():
    # A dictionary-only name whose office (PSEGOV, 1994-2004) ended: elite of the country after it.
    rows = load_gazetteer().actors[("yasser", "arafat")]
    assert resolve(rows, "2001-01-01") == ("PSEGOV", DATED)
    assert resolve(rows, "2020-01-01") == ("PSEELI", STALE)


STORY = (
    "Israel rejected the offer on Monday. The Zionist entity will not stop, a spokesman for the "
    "Valdorian movement said, adding that the occupation entity had broken every truce. "
    "Ukrainian President Petro Ivanenko told reporters in Kyiv that Israel should talk. "
    "Protesters gathered outside the offices of the Harborline Trust. "
    "Israeli negotiators flew to Jerusalem, where Zionist officials met them."
)


@pytest.fixture(scope="module")
def story_entities():
    return coded_entities(STORY)


def test_aliases_merge_into_one_entity(story_entities):
    israel = entity_named(story_entities, "Israel")
    assert israel.code == "ISR"
    texts = [m.text for m in israel.mentions]
    assert texts.count("Israel") == 2
    assert "Zionist entity" in texts and "occupation entity" in texts
    assert list(israel.mentions) == sorted(israel.mentions)
    elsewhere = [m.text for e in story_entities if e is not israel for m in e.mentions]
    assert "Zionist entity" not in elsewhere and "occupation entity" not in elsewhere


def test_cities_stay_apart_and_demonyms_merge_with_demonyms(story_entities):
    # Jerusalem is coded ISR by the dictionary, but it is a city, not another name of Israel.
    israel = entity_named(story_entities, "Israel")
    assert "Jerusalem" not in {m.text for m in israel.mentions}
    assert entity_named(story_entities, "Jerusalem").code == "ISR"
    israeli = entity_named(story_entities, "Israeli")
    assert israeli.type == "NORP" and israeli.code == "ISR"
    assert {"Israeli", "Zionist"} <= {m.text for m in israeli.mentions}


def test_entity_ids_stay_unique_and_ordered(story_entities):
    ids = [e.id for e in story_entities]
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids, key=lambda i: int(i[1:]))


def test_person_coded_from_title_and_nationality(story_entities):
    assert entity_named(story_entities, "Petro Ivanenko").code == "UKRGOV"


def test_unknown_organisation_has_no_code(story_entities):
    unknown = [e for e in story_entities if "Harborline" in e.name or e.name.startswith("Valdorian")]
    assert len(unknown) == 2 and all(e.code is None for e in unknown)


def test_canonical_sample(shared_dir):
    page = shared_dir / "samples" / "wire-page-us-hamas-talks.txt"
    analysis = wirescope.analyze(page)
    ents = analysis.entities
    assert entity_named(ents, "Donald Trump").code == "USAGOV"
    assert entity_named(ents, "Hamas").code == "PSEREBHMS"
    assert entity_named(ents, "Netanyahu").code == "ISRGOV"
    assert entity_named(ents, "Herzi Halevi").code == "ISRMIL"
    israel = entity_named(ents, "Israel")
    assert israel.code == "ISR"
    texts = {m.text.lower() for m in israel.mentions}
    assert {"israel", "zionist entity", "occupation entity"} <= texts
    elsewhere = {m.text.lower() for e in ents if e is not israel for m in e.mentions}
    assert not elsewhere & {"zionist entity", "occupation entity"}
    # Quotes are extracted after merging: every speaker points at an entity that exists.
    ids = {e.id for e in ents}
    assert all(q.speaker.entity in ids for q in analysis.quotes if q.speaker and q.speaker.entity)
    # The teasers are not part of the article; parsed on their own, their people are coded.
    text = analysis.document.text
    teasers = [text[s.start : s.end] for s in analysis.segments if s.kind == "teaser"]
    teaser_codes = {e.name: e.code for t in teasers for e in coded_entities(t) if e.type == "PERSON"}
    maduro = [c for n, c in teaser_codes.items() if "Maduro" in n]
    zelensky = [c for n, c in teaser_codes.items() if "Zelensky" in n]
    assert maduro in ([], ["VENGOV"]) and zelensky in ([], ["UKRGOV"])
    assert maduro or zelensky


def test_gazetteer_ships_with_its_licence():
    data = resources.files("wirescope") / "data"
    notice = (data / "LICENSE_petrarch2_MIT.txt").read_text(encoding="utf-8")
    assert "MIT License" in notice and "derived" in notice
    assert len(load_gazetteer().actors) > 30000


def test_build_script_skips_without_dictionaries(tmp_path, capsys, monkeypatch):
    script = Path(__file__).resolve().parents[1] / "scripts" / "build_gazetteer.py"
    spec = importlib.util.spec_from_file_location("build_gazetteer", script)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "build_gazetteer", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    out = tmp_path / "g.tsv.gz"
    assert module.main(["--source", str(tmp_path), "--output", str(out)]) == 0
    assert "not found" in capsys.readouterr().out and not out.exists()
