"""Namesakes who share a full name in one document (issue 14): a father and his son told apart by a
written suffix, a relative in apposition who bears the same name, and the surname mentions each
one takes. Project-written pages with fictional people, through the real spaCy pipeline."""

from __future__ import annotations

import pytest
import spacy

from test_actor_identity import analysed, owner  # the helpers of the actor tests
from wirescope.analysis.entities import extract_entities
from wirescope.analysis.namesakes import age_rank, generation_word, suffix_of

pytestmark = pytest.mark.slow


def test_suffix_generation_words_and_rank():
    assert suffix_of(["Cesar", "Velde", "Jr."]) == ("jr",)
    assert suffix_of(["Cesar", "Velde"]) == ()
    assert suffix_of(["Cesar", "Velde", "III"]) == ("iii",)
    assert generation_word("Elder") == "elder" and generation_word("younger") == "younger"
    assert generation_word("older") == "elder" and generation_word("other") is None
    # "his father, X" and "X Sr." before plain "X", before "X Jr." and "his son, X"
    assert age_rank((), "father") == age_rank(("sr",), None) == 0
    assert age_rank((), None) == 1
    assert age_rank(("jr",), None) == age_rank((), "son") == age_rank(("iii",), None) == 2


FATHER_AND_SON = (
    "Former congressman sentenced in Calderon\n\n"
    "CALDERON — Former Rep. Cesar Velde Jr. was sentenced on Wednesday to 30 months in prison for "
    "spending campaign money on boats. Velde, who resigned last year, apologised to the court. "
    "His father, the Rev. Cesar Velde, sat in the front row. \"I love my son,\" the elder Velde told "
    "reporters outside.\n"
)


@pytest.fixture(scope="module")
def father_and_son():
    return analysed(FATHER_AND_SON)


def test_a_written_suffix_keeps_the_son_apart_from_his_father(father_and_son):
    son = owner(father_and_son, "Cesar Velde Jr.")
    father = owner(father_and_son, "Cesar Velde")
    assert son is not father
    assert son.actor == "person:cesar-velde-jr"  # never the father's id
    assert father.actor == "person:cesar-velde"


def test_a_surname_goes_to_the_full_name_written_last_before_it(father_and_son):
    son = owner(father_and_son, "Cesar Velde Jr.")
    assert owner(father_and_son, "Velde", FATHER_AND_SON.index("Velde, who")) is son


def test_the_elder_picks_the_father(father_and_son):
    father = owner(father_and_son, "Cesar Velde")
    assert owner(father_and_son, "Velde", FATHER_AND_SON.index("elder Velde")) is father


def test_the_younger_picks_the_son():
    text = ("The Rev. Cesar Velde and his son, Mayor Cesar Velde Jr., opened the Calderon shelter on Monday. "
            "The younger Velde said the shelter would stay open all winter.")
    entities = analysed(text)
    son = owner(entities, "Cesar Velde Jr.")
    assert owner(entities, "Velde", text.index("younger Velde")) is son
    assert son.actor == "person:cesar-velde-jr"


def test_different_offices_tell_the_two_apart_without_a_stated_tie():
    text = ("Sen. Cesar Velde Jr. voted against the harbour bill on Monday. "
            "Mayor Cesar Velde of Brannock praised the bill at a rally.")
    entities = analysed(text)
    assert owner(entities, "Cesar Velde Jr.").actor == "person:cesar-velde-jr"
    assert owner(entities, "Cesar Velde").actor == "person:cesar-velde"


def test_a_suffixed_name_alone_keeps_the_projects_rule():
    # Nothing names his father: "Cesar Velde Jr." is "Cesar Velde" in the next article (names.py).
    entities = analysed("Former Rep. Cesar Velde Jr. was sentenced in Calderon on Wednesday.")
    assert owner(entities, "Cesar Velde Jr.").actor == "person:cesar-velde"


SAME_NAME = (
    "Rep. Tobias Marsh was charged with misusing campaign funds on Tuesday. His father, former Rep. "
    "Tobias Marsh, who held the seat for 28 years, defended him. Marsh's wife, Lena Marsh, pleaded "
    "guilty. Mrs. Marsh said she would testify.\n"
)


@pytest.fixture(scope="module")
def same_name():
    return analysed(SAME_NAME)


def test_a_relative_in_apposition_with_the_same_name_is_another_person(same_name):
    son = owner(same_name, "Tobias Marsh")
    father = owner(same_name, "Tobias Marsh", SAME_NAME.index("His father"))
    assert son is not father
    assert son.actor == "person:tobias-marsh"
    assert father.actor is None  # nothing tells which Tobias Marsh the next article names: no merge


def test_a_possessive_surname_joins_the_person_the_surname_would(same_name):
    son = owner(same_name, "Tobias Marsh")
    assert owner(same_name, "Marsh", SAME_NAME.index("Marsh's")) is son
    assert owner(same_name, "Marsh", SAME_NAME.index("Mrs. Marsh")) is owner(same_name, "Lena Marsh")


def test_a_senior_in_apposition_leaves_the_surname_to_his_son():
    text = ("Rep. Tobias Marsh backed the harbour bill on Monday. Marsh said the port needed work. "
            "His father, former Rep. Tobias Marsh Sr., once held the same seat. "
            "The nods from Ilves and Marsh came a day before the vote.")
    entities = analysed(text)
    son, father = owner(entities, "Tobias Marsh"), owner(entities, "Tobias Marsh Sr.")
    assert son is not father
    assert owner(entities, "Marsh", text.index("and Marsh")) is son
    assert father.actor == "person:tobias-marsh-sr" and son.actor == "person:tobias-marsh"


def test_without_a_parse_the_grouping_still_runs():
    text = "Rep. Tobias Marsh spoke. His father, Tobias Marsh, listened."
    doc = spacy.blank("en")(text)
    doc.ents = [doc.char_span(text.index("Tobias"), text.index(" spoke"), label="PERSON"),
                doc.char_span(text.index("Tobias Marsh,"), text.index(", listened"), label="PERSON")]
    entities = extract_entities(doc)
    assert [e.name for e in entities if e.type == "PERSON"] == ["Tobias Marsh"]


def test_a_relative_named_through_the_surname_leaves_it_to_the_person_the_story_is_about():
    text = ("Mara Velde opened her campaign in Calderon on Monday. Velde's husband, Emil Velde, "
            "introduced her. Velde told the crowd the port would stay open.")
    entities = analysed(text)
    mara, emil = owner(entities, "Mara Velde"), owner(entities, "Emil Velde")
    assert mara is not emil
    assert owner(entities, "Velde", text.index("Velde's")) is mara
    assert owner(entities, "Velde", text.index("Velde told")) is mara
