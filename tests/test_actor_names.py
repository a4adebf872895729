"""Actor identity (issue 14), second round: forms of one name (short given names, suffixes, a lone
given name, a surname the tagger called a group, a full name it missed), namesakes told apart by
pronouns and by a son's suffix, and codes dated by what the text says ("former", abbreviated
titles). Project-written sentences through the real spaCy pipeline and gazetteer."""

from __future__ import annotations

import pytest

from test_actor_identity import analysed, owner  # the helpers of the actor tests
from wirescope.analysis.actors import code_actors
from wirescope.analysis.entities import extract_entities
from wirescope.analysis.gazetteer import former_code, listed_forms, load_gazetteer
from wirescope.analysis.names import formal_given, identity_words, names_a_son, same_given
from wirescope.analysis.nlp import load_nlp

pytestmark = pytest.mark.slow


def test_short_given_names_are_forms_of_one_name():
    assert same_given("Jim", "James") and same_given("bill", "William") and same_given("Liz", "Elizabeth")
    assert not same_given("Ron", "Rand") and not same_given("Mara", "Mary")
    assert formal_given("Jim") == "james" and formal_given("Ted") == "ted"  # Ted: Edward or Theodore


def test_identity_words_drop_initials_and_a_formal_suffix_but_keep_a_sons():
    assert identity_words("Jim T. Velde") == ["james", "velde"]
    assert identity_words("Oskar R. Velde Jr.") == ["oskar", "velde", "jr."]  # the son, not his father
    assert identity_words("Oskar Velde Jr.") == ["oskar", "velde", "jr."]
    assert names_a_son("Oskar Velde Jr.") and not names_a_son("Oskar R. Velde Jr.")
    assert identity_words("Velde") is None


def test_one_actor_across_documents_for_a_short_and_a_formal_given_name():
    first = analysed("Defense chief Jim Halvorsen met the Calderon delegation on Monday. Halvorsen smiled.")
    second = analysed("James Halvorsen, the defense chief, said on Tuesday the talks had ended.")
    assert owner(first, "Jim Halvorsen").actor == owner(second, "James Halvorsen").actor == "person:james-halvorsen"


def test_a_short_and_a_formal_name_in_one_document_are_one_person_and_the_surname_joins_them():
    text = ("Michael R. Ostrander, the former mayor, endorsed the plan on Monday. "
            "Mike Ostrander told the crowd the port needed it. Ostrander then left for Calderon.")
    entities = analysed(text)
    person = owner(entities, "Michael R. Ostrander")
    assert owner(entities, "Mike Ostrander") is person
    assert owner(entities, "Ostrander", text.index("Ostrander then")) is person


def test_a_surname_joins_a_full_name_written_with_a_suffix():
    text = ("Cesar Lindqvist Jr. was charged on Friday in Calderon. "
            "Prosecutors said Lindqvist had mailed the letters himself.")
    entities = analysed(text)
    person = owner(entities, "Cesar Lindqvist Jr.")
    assert owner(entities, "Lindqvist", text.index("Lindqvist had")) is person


def test_a_sons_name_keeps_the_fathers_surname_for_the_father():
    # The only full name is the son's; "President Trump" and "Trump" are his father.
    text = ("Donald Trump Jr. visited a ranch in Calderon on Friday. "
            "President Trump said on Saturday that the ban would stay. Trump spoke at the White House.")
    entities = analysed(text)
    son = owner(entities, "Donald Trump Jr.")
    assert son.actor == "person:donald-trump-jr"
    assert owner(entities, "Trump", text.index("Trump said")).actor == "person:donald-trump"
    assert owner(entities, "Trump", text.index("Trump spoke")) is not son


def test_a_father_named_like_his_son_is_another_actor_and_the_surname_stays_with_the_son():
    # "his father, also named X": one name, two men; the father is "X Sr." (issue 14, BASIL TEST).
    text = ("Rep. Oskar Brenholt pleaded not guilty on Monday in Calderon. "
            "His family has long been known in the port, and his father, also named Oskar Brenholt, "
            "served in the assembly for twenty years. Brenholt said the charges were political.")
    entities = analysed(text)
    son, father = owner(entities, "Oskar Brenholt"), owner(entities, "Oskar Brenholt", text.index("also named"))
    assert son is not father
    assert son.actor == "person:oskar-brenholt" and father.actor == "person:oskar-brenholt-sr"
    assert father.name == "Oskar Brenholt Sr."
    assert owner(entities, "Brenholt", text.index("Brenholt said")) is son


def test_a_son_with_a_suffix_is_never_his_father_in_any_document():
    first = analysed("Former Rep. Tomas Marquand Jr. pleaded guilty on Wednesday in Calderon. "
                     "Marquand co-wrote a book with his father, Rev. Tomas Marquand, in 1999. "
                     "Marquand said he had no excuses.")
    second = analysed("Tomas Marquand Jr. was sentenced on Friday in Calderon.")
    third = analysed("Rev. Tomas L. Marquand visited Calderon. His son, Tomas L. Marquand Jr., stayed home. "
                     "Marquand spoke at the harbour church.")
    son = owner(first, "Tomas Marquand Jr.")
    assert son.actor == "person:tomas-marquand-jr" == owner(second, "Tomas Marquand Jr.").actor
    assert owner(first, "Tomas Marquand").actor == "person:tomas-marquand"
    # A surname alone is the son the article is about, not the father named as his relative.
    assert owner(first, "Marquand") is son
    # The formal style of a son's name keeps its suffix where his namesake father is named apart.
    assert owner(third, "Tomas L. Marquand Jr.").actor == "person:tomas-marquand-jr"
    assert owner(third, "Tomas L. Marquand").actor == "person:tomas-marquand"


def test_a_formal_suffix_is_the_name_the_news_writes_without_it():
    # "Roger J. Stone Jr." is the man the next paragraph calls "Roger Stone": one person, one id.
    text = ("Prosecutors in Calderon said Robert J. Olsen Jr. was indicted on Friday. "
            "Robert Olsen denied the charges. Olsen said he would fight them.")
    entities = analysed(text)
    person = owner(entities, "Robert J. Olsen Jr.")
    assert owner(entities, "Robert Olsen") is person and person.actor == "person:robert-olsen"
    assert owner(entities, "Olsen", text.index("Olsen said")) is person


def test_a_lone_given_name_joins_the_one_full_name_that_starts_with_it():
    text = ("Heidi Marlowe spoke at the rally in Calderon on Monday. "
            "Later Heidi greeted the dockworkers at the gate.")
    entities = analysed(text)
    assert owner(entities, "Heidi", text.index("Later")) is owner(entities, "Heidi Marlowe")


def test_a_full_name_the_tagger_missed_is_recovered_for_a_bare_surname():
    # The written full name is found by reading the text around the surname the document uses.
    text = ("Deputy Mayor Rahm Quistorp met union leaders on Monday. "
            "Quistorp said the strike would end soon. Quistorp left at noon.")
    entities = analysed(text)
    person = owner(entities, "Quistorp", text.index("Quistorp said"))
    assert person.actor == "person:rahm-quistorp"


def test_pronouns_resolved_to_a_bare_surname_pick_the_namesake_of_that_gender():
    text = ("Harold Brandvold and Anna Brandvold arrived in Calderon on Tuesday. "
            "Brandvold said he would meet the dockworkers. He told them the port would reopen. "
            "Brandvold added that he was hopeful.")
    entities = analysed(text)
    harold, anna = owner(entities, "Harold Brandvold"), owner(entities, "Anna Brandvold")
    assert harold is not anna
    assert owner(entities, "Brandvold", text.index("Brandvold said")) is harold
    assert not {m.text for m in anna.mentions} & {"he", "He"}


def test_an_office_title_with_a_bare_surname_picks_the_namesake_titled_so():
    text = ("Former Governor Harold Brandvold and his wife, Anna Brandvold, visited Calderon on Tuesday. "
            "The crowd cheered when Governor Brandvold spoke about the harbor.")
    entities = analysed(text)
    harold, anna = owner(entities, "Harold Brandvold"), owner(entities, "Anna Brandvold")
    assert harold is not anna
    assert owner(entities, "Brandvold", text.index("Governor Brandvold")) is harold


def test_a_bare_surname_shared_by_namesakes_without_evidence_stays_apart():
    text = ("Harold Brandvold and Anna Brandvold visited Calderon on Tuesday. "
            "The crowd cheered when Brandvold spoke about the harbor.")
    entities = analysed(text)
    bare = owner(entities, "Brandvold", text.index("when Brandvold"))
    assert bare is not owner(entities, "Harold Brandvold") and bare is not owner(entities, "Anna Brandvold")


def test_gazetteer_forms_drop_initials_suffixes_and_use_any_form_of_the_given_name():
    gaz = load_gazetteer()
    assert ("joseph", "biden") in listed_forms(gaz, "Joseph R. Biden Jr.")
    assert listed_forms(gaz, "Zelda Q. Unlisted") == set()


def test_a_former_office_is_coded_as_the_elite():
    assert former_code("USAGOV") == "USAELI" and former_code("---GOVMIL") == "---ELI"
    assert former_code("USAMED") == "USAMED"  # a former reporter is not an office holder
    assert former_code("ISRMIL") == "ISRMIL"  # a former army chief stays military (code_span docs)
    text = "Former Velderan Gov. Tomas Ilvik said on Monday that he would not run again."
    ilvik = owner(analysed(text), "Tomas Ilvik")
    assert ilvik.code is not None and ilvik.code.endswith("ELI")


def test_an_abbreviated_title_is_a_role():
    entities = analysed("Sen. Harriet Quell said on Monday that the bill would pass.")
    assert owner(entities, "Harriet Quell").code == "---LEG"


def test_another_persons_name_before_a_title_is_no_affiliation():
    text = "Trump's personal lawyer Edwin Marsh said on Monday the letter was genuine."
    marsh = owner(analysed(text), "Edwin Marsh")
    assert marsh.code is None or not marsh.code.startswith("USAGOV")


def test_an_organisations_president_heads_no_government():
    text = "Velmora Foods president Ilse Varga said on Monday that she would resign."
    varga = owner(analysed(text), "Ilse Varga")
    assert varga.code != "---GOV"


def test_a_person_the_tagger_saw_only_in_a_headline_is_dropped():
    page = ("Velde Agrees To Reopen The Harbour Talks\n\n"
            "Mara Velde agreed on Monday to reopen the harbour talks in Calderon.\n")
    doc = load_nlp()(page)
    entities = code_actors(doc, extract_entities(doc), published="2025-06-02")
    names = {e.name for e in entities if e.type == "PERSON"}
    assert "Agrees" not in names and "Mara Velde" in names


@pytest.mark.parametrize("quote", ['"', "'", "\u201c", "\u2018"])
def test_a_gendered_title_after_an_opening_quote_still_names_that_namesake(quote: str):
    # The only titled mention of Mrs. Velde opens a quotation. Read as a bare "Velde" it went to George
    # Velde, which left her an entity with no mention, and the whole page failed.
    text = ("George Velde opened the harbour gala in Calderon on Saturday. \"It was fine,\" said one guest. "
            f"She said, {quote}Mrs. Velde planned every table.{quote} Velde thanked the volunteers.")
    entities = analysed(text)
    george, wife = owner(entities, "George Velde"), owner(entities, "Velde", text.index("Mrs."))
    assert wife is not george
    assert all(e.mentions for e in entities)
