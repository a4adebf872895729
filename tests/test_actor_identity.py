"""Actor identity (issue 14): one stable actor id per real actor, same-surname people kept apart,
codes only on evidence, headline fragments and title/body spans cut. Project-written sentences,
through the real spaCy pipeline and gazetteer."""

from __future__ import annotations

import pytest
import spacy

import wirescope
from wirescope.analysis.actors import code_actors
from wirescope.analysis.entities import extract_entities
from wirescope.analysis.nlp import load_nlp
from wirescope.records import actor_id, actor_slug

pytestmark = pytest.mark.slow


def analysed(text: str, published: str | None = "2025-06-02"):
    doc = load_nlp()(text)
    return code_actors(doc, extract_entities(doc), published=published)


def owner(entities, mention_text: str, start_after: int = 0):
    """The entity holding the first mention written ``mention_text`` (at or after ``start_after``)."""
    found = sorted((m.start, e) for e in entities for m in e.mentions
                   if m.text == mention_text and m.start >= start_after)
    assert found, f"{mention_text!r} not among {[(e.name, [m.text for m in e.mentions]) for e in entities]}"
    return found[0][1]


def test_actor_id_format():
    assert actor_id("PERSON", "Donald J. Trump") == "person:donald-j-trump"
    assert actor_id("GPE", "Israel") == "place:israel"
    assert actor_id("NORP", "Palestinian") == "group:palestinian"
    assert actor_id("ORG", "Hamas") == "org:hamas"
    assert actor_slug("Zoë  O’Neill") == "zoe-o-neill"
    assert actor_id("PERSON", "…") is None


SPOUSES = (
    "Mara Velde and her husband Jonas Velde arrived in Calderon on Tuesday for the harbour talks. "
    "Mr. Velde told reporters that he would meet the dockworkers. "
    "Mrs. Velde said she would visit the port hospital instead. "
    "Velde later said she was pleased with the visit."
)


@pytest.fixture(scope="module")
def spouses():
    return analysed(SPOUSES)


def test_same_surname_people_stay_two_entities_and_two_actors(spouses):
    mara, jonas = owner(spouses, "Mara Velde"), owner(spouses, "Jonas Velde")
    assert mara is not jonas
    assert mara.actor == "person:mara-velde" and jonas.actor == "person:jonas-velde"


def test_gendered_titles_pick_the_person(spouses):
    assert owner(spouses, "Velde", SPOUSES.index("Mr. Velde")).name == "Jonas Velde"
    assert owner(spouses, "Velde", SPOUSES.index("Mrs. Velde")).name == "Mara Velde"


def test_pronouns_never_join_the_other_gender(spouses):
    mara, jonas = owner(spouses, "Mara Velde"), owner(spouses, "Jonas Velde")
    assert not {m.text.lower() for m in mara.mentions} & {"he", "him", "his"}
    assert not {m.text.lower() for m in jonas.mentions} & {"she", "her", "hers"}


def test_a_pronoun_after_a_bare_surname_picks_among_namesakes(spouses):
    assert owner(spouses, "Velde", SPOUSES.index("Velde later")).name == "Mara Velde"


def test_a_title_of_the_other_gender_never_joins_the_only_namesake():
    text = ("Ms. Tessa Orlov opened the new clinic in Brannock on Friday. "
            "Mr. Orlov, who runs a shipping firm, was not there.")
    entities = analysed(text)
    tessa = owner(entities, "Tessa Orlov")
    mister = owner(entities, "Orlov", text.index("Mr. Orlov"))
    assert mister is not tessa
    assert tessa.actor == "person:tessa-orlov"
    assert mister.actor is None  # a surname alone, no full name of his in the document


def test_surname_and_title_forms_join_the_full_name_and_its_actor():
    text = ("Valdorian President Amira Solberg said on Monday that talks would resume. "
            "President Solberg told reporters that Solberg's ministers had met twice.")
    entities = analysed(text)
    solberg = owner(entities, "Amira Solberg")
    assert owner(entities, "Solberg", text.index("President Solberg")) is solberg
    assert solberg.actor == "person:amira-solberg"


def test_one_actor_id_across_documents_for_every_alias():
    first = analysed("U.S. President Donald J. Trump met the Valdorian delegation on Monday.")
    second = analysed("Donald Trump said on Tuesday that Trump's envoy would travel to Calderon.")
    third = analysed("Mr. Trump told reporters the talks would go on.")
    ids = {owner(first, "Donald J. Trump").actor, owner(second, "Donald Trump").actor,
           owner(second, "Trump").actor, owner(third, "Trump").actor}
    assert ids == {"person:donald-trump"}


def test_a_namesake_of_a_known_actor_gets_neither_code_nor_id():
    text = ("Nora Trump, a painter from Calderon, opened an exhibition on Friday. "
            "Trump said the paintings took her six years.")
    nora = owner(analysed(text), "Nora Trump")
    assert nora.code is None
    assert nora.actor == "person:nora-trump"
    assert "Trump" in {m.text for m in nora.mentions}


def test_a_surname_the_gazetteer_ends_with_is_no_evidence():
    # "Kagame" is the surname of one person of the dictionaries; Lena Kagame is someone else.
    text = "Lena Kagame, a painter, opened an exhibition in Calderon. Kagame said it took six years."
    lena = owner(analysed(text), "Lena Kagame")
    assert lena.code is None and lena.actor == "person:lena-kagame"


def test_a_title_stated_in_the_text_is_evidence():
    entities = analysed("President Kagame met the Valdorian delegation in Kigali on Monday.")
    kagame = owner(entities, "Kagame")
    assert kagame.code == "RWAGOV"
    assert kagame.actor == "person:paul-kagame"


def test_a_mrs_never_gets_a_mans_gazetteer_entry():
    entities = analysed("Mrs. Trump visited a school in Calderon on Friday.")
    mrs = owner(entities, "Trump")
    assert mrs.code is None and mrs.actor is None


def test_places_and_aliases_share_one_actor_id():
    entities = analysed("Israel rejected the offer. The Zionist entity will not stop, a spokesman said.")
    israel = owner(entities, "Israel")
    assert israel.actor == "place:israel"
    assert owner(entities, "Zionist entity") is israel


def test_a_name_never_spans_the_title_and_the_body():
    # The tagger ran one PERSON span over the end of the title and the body's first name on a
    # real page ("Joe\n\n Joe Biden"); the same span set by hand on a project-written page.
    text = "Harbour Talks Resume With Jonas\n\nJonas Velde met the dockworkers of Calderon on Monday.\n"
    doc = load_nlp()(text)
    start = text.index("Jonas\n")
    doc.ents = [doc.char_span(start, text.index(" met"), label="PERSON")]
    entities = code_actors(doc, extract_entities(doc), published="2025-06-02")
    assert all("\n" not in m.text for e in entities for m in e.mentions)
    jonas = owner(entities, "Jonas Velde")
    assert jonas.actor == "person:jonas-velde"
    # Two mentions, each on its own line: the title's lone given name joins its full name.
    full = text.index("Jonas Velde")
    assert sorted((m.start, m.text) for m in jonas.mentions) == [(start, "Jonas"), (full, "Jonas Velde")]


def test_a_headline_fragment_is_cut_to_the_name():
    page = ("Velde Lashes Out At Port Owners Over Wages\n\n"
            "Mara Velde criticised the owners of the Calderon port on Monday. "
            "Velde said the dockworkers deserved better wages.\n")
    analysis = wirescope.analyze(page, published="2025-06-02")
    texts = {m.text for e in analysis.entities for m in e.mentions}
    assert not any(t.startswith("Velde ") for t in texts), texts
    velde = owner(analysis.entities, "Mara Velde")
    assert velde.mentions[0].start == 0 and velde.mentions[0].text == "Velde"


def test_a_role_the_gazetteer_gives_a_namesake_is_that_namesake():
    # The only full name is Nora Trump's; "President Trump" is the president, not her.
    text = ("Nora Trump, a painter from Calderon, opened an exhibition on Friday. "
            "A video message from President Trump was played at the opening.")
    entities = analysed(text)
    nora = owner(entities, "Nora Trump")
    president = owner(entities, "Trump", text.index("President Trump"))
    assert president is not nora
    assert president.actor == "person:donald-trump" and president.code == "USAGOV"
    assert nora.actor == "person:nora-trump" and nora.code is None


def test_a_middle_initial_does_not_change_the_actor():
    first = analysed("Harbour official Tomas K. Brennick resigned on Monday.")
    second = analysed("Tomas Brennick, a harbour official, resigned on Monday.")
    assert owner(first, "Tomas K. Brennick").actor == owner(second, "Tomas Brennick").actor == "person:tomas-brennick"


def test_a_subject_pronoun_after_a_bare_surname_decides_not_a_possessive():
    text = ("Vice President Jonas Velde and his daughter Mara Velde spoke at the rally. "
            "The younger Velde echoed some of his language when she added that the port must stay open.")
    entities = analysed(text)
    assert owner(entities, "Velde", text.index("younger Velde")).name == "Mara Velde"


def test_words_run_into_a_name_are_cut_by_the_parse_but_hyphenated_names_stay_whole():
    text = "The council met on Monday. Plus Velde spoke for an hour, and Sun Li-wei answered her."
    doc = load_nlp()(text)
    doc.ents = [doc.char_span(text.index("Plus"), text.index(" spoke"), label="PERSON"),
                doc.char_span(text.index("Sun"), text.index(" answered"), label="PERSON")]
    texts = {m.text for e in extract_entities(doc) for m in e.mentions}
    assert {"Velde", "Sun Li-wei"} <= texts and "Plus Velde" not in texts


def test_a_title_alone_never_hands_a_surname_to_a_namesake_out_of_office():
    # The gazetteer knows a Bahamian premier Christie by his full name only, out of office since
    # 2007: "Gov. Christie" in 2025 is the governor the story names.
    text = ("Nora Christie, the governor of Calderon province, opened the harbour on Friday. "
            "\"Gov. Christie, answer the dockworkers!\" one protester shouted.")
    entities = analysed(text)
    assert owner(entities, "Christie", text.index("Gov. Christie")) is owner(entities, "Nora Christie")


def test_a_pronoun_past_a_quote_is_the_speaker_not_the_person_quoted():
    text = ("Mara Velde and her husband Jonas Velde met the union on Tuesday. "
            "\"Velde has misled the port,\" she wrote later.")
    entities = analysed(text)
    quoted = owner(entities, "Velde", text.index("\"Velde") + 1)
    assert quoted is not owner(entities, "Mara Velde")


def test_an_abbreviated_office_is_a_title_not_a_given_name():
    text = "Attorney General Jonas Brennick spoke on Monday. AG Brennick said the inquiry would continue."
    doc = load_nlp()(text)
    # the tagger sometimes runs the abbreviation into the name
    doc.ents = [doc.char_span(text.index("Jonas"), text.index(" spoke"), label="PERSON"),
                doc.char_span(text.index("AG"), text.index(" said"), label="PERSON")]
    entities = code_actors(doc, extract_entities(doc), published="2025-06-02")
    assert owner(entities, "Brennick", text.index("AG Brennick")).actor == "person:jonas-brennick"


def test_a_title_and_surname_in_the_gazetteer_names_its_one_office_holder():
    from wirescope.analysis.gazetteer import load_gazetteer

    canonical = load_gazetteer().canonical
    assert canonical[("president", "clinton")].lower() == "bill clinton"  # not Gore, who served the same years
    assert canonical[("secretary", "clinton")].lower() == "hillary clinton"


def test_a_candidate_for_an_office_does_not_hold_it():
    sought = analysed("California state Senate candidate Mara Ilves spoke in Calderon on Monday.")
    assert owner(sought, "Mara Ilves").code == "USAELI"
    # a senator who runs for president still sits in the Senate
    held = analysed("Sen. Mara Ilves, a presidential candidate, spoke in Calderon on Monday.")
    assert owner(held, "Mara Ilves").code.endswith("LEG")


def test_a_role_noun_run_into_a_full_name_is_not_its_given_name():
    text = "Founder Mara Velde opened the Calderon shelter on Monday."
    doc = load_nlp()(text)
    doc.ents = [doc.char_span(0, text.index(" opened"), label="PERSON")]
    entities = code_actors(doc, extract_entities(doc), published="2025-06-02")
    assert owner(entities, "Mara Velde").actor == "person:mara-velde"


def test_a_lone_given_name_tagged_as_an_organisation_joins_the_person():
    # "vote for Lena" is tagged ORG by the model; it is Lena Solberg of the same article, no organisation.
    text = ('"I have never voted in a primary, but I am going to vote in this primary for Lena," said Tomas '
            "Reel, who said Lena Solberg is best suited to lead.")
    entities = analysed(text)
    assert owner(entities, "Lena") is owner(entities, "Lena Solberg")
    assert not any(e.type == "ORG" for e in entities)


def test_an_acronym_before_president_makes_an_organisation_head_not_a_government():
    from wirescope.analysis.actors import Coded, _organisation_head

    doc = spacy.blank("en")("Indeed , FDW President Dara Velde left .")  # no entity tagged at all
    president = Coded("---GOV", "agent", start=3, end=4)
    assert _organisation_head(doc[2:3], president)  # "FDW President"
    assert not _organisation_head(doc[0:2], president)  # "Indeed ,": a government role stays
    assert not _organisation_head(doc[2:3], Coded("USAGOV", "agent", start=3, end=4))  # a country's


def test_a_newspaper_masthead_is_media():
    entities = analysed("The Boston Tribune first reported the analysis on Monday.")
    assert owner(entities, "Boston Tribune").code == "USAMED"


def test_an_untitled_surname_names_the_namesake_named_last_before_it():
    # one woman named in full, one man named only as "Mr. Orlov": an untitled "Orlov" is whoever
    # was named last before it (the headline: the first named after it)
    text = ("Orlov Defends The Port Plan\n\n"
            "Mr. Orlov defended the Brannock port plan on Monday. "
            "His wife, Tessa Orlov, said the family would not comment. "
            "Mr. Orlov spoke again on Tuesday, and the Orlov campaign said the plan was final.")
    entities = analysed(text)
    tessa = owner(entities, "Tessa Orlov")
    mister = owner(entities, "Orlov", text.index("Mr. Orlov"))
    assert mister is not tessa
    assert owner(entities, "Orlov", 0) is mister  # the headline
    assert owner(entities, "Orlov", text.index("the Orlov campaign")) is mister


def test_a_pronoun_after_a_relative_of_its_gender_is_the_relative():
    # Velde's gender is unknown (no given name, no gendered title): only the wife tells "she" apart
    text = ("Councillor Velde blamed his wife for the campaign's debts on Monday, saying she "
            "controlled the credit card.")
    velde = next(e for e in analysed(text) if e.name.endswith("Velde"))
    texts = {m.text.lower() for m in velde.mentions}
    assert "she" not in texts and "his" in texts


def test_a_title_written_before_a_name_counts_whatever_the_parse():
    from wirescope.analysis.gazetteer import written_title_start

    doc = load_nlp()("Velde Lashes Out at Critics and Unions     President Velde assailed the unions.")
    name = next(t.i for t in doc if t.text == "Velde" and t.i > 2)
    assert doc[written_title_start(doc, name)].text == "President"
    assert written_title_start(doc, 0) == 0


def test_a_surname_names_the_namesake_introduced_before_it():
    # The son is named in full first; his father only as his relative; another man of the surname
    # only at the end. Every "Mr. Velde" before that is the son.
    text = ("WASHINGTON \u2014 Oskar L. Velde Jr., the former representative, pleaded guilty on Wednesday. "
            "Mr. Velde said he was sorry. Mr. Velde\u2019s father, the Rev. Oskar L. Velde, accompanied him to "
            "the hearing. Mr. Velde bought two hats that had belonged to the singer Tomas Velde.")
    entities = analysed(text, published="2013-02-20")
    son = owner(entities, "Oskar L. Velde Jr.")
    assert son.actor == "person:oskar-velde-jr"
    assert all(owner(entities, "Velde", text.index(f"Mr. Velde {verb}")) is son for verb in ("said", "bought"))
    assert owner(entities, "Tomas Velde") is not son and owner(entities, "Oskar L. Velde") is not son


def test_a_person_at_the_end_of_an_organisation_span_is_a_person():
    # The tagger ran a title or an outlet's possessive into one organisation with the name after it.
    for text, name, surname in (
            ("Spokesperson Marie Velde said the deal was fair. Velde added that talks would go on.",
             "Marie Velde", "Velde"),
            ("Fusion\u2019s Jorge Arno asked the candidate about the wall. Arno was escorted out.",
             "Jorge Arno", "Arno")):
        entities = analysed(text, published="2015-08-26")
        person = owner(entities, name)
        assert person.type == "PERSON" and person.actor == f"person:{name.lower().replace(' ', '-')}"
        assert owner(entities, surname, text.index(f"{surname} ", text.index(name) + len(name))) is person
    # A firm named like a person stays a firm: no title or possessive before it.
    assert owner(analysed("Morgan Stanley said profits rose."), "Morgan Stanley").type == "ORG"


def test_a_span_ended_before_the_second_half_of_a_compound_surname_takes_it():
    # The tagger tagged "Enrique Velde" and, later, "Velde Arno": the first span ends one word early.
    from wirescope.analysis.name_spans import _compound_surnames

    doc = load_nlp()("President Enrique Velde Arno spoke on Monday. Velde Arno said the talks went well.")
    first, second = [doc[1], doc[2]], [doc[8], doc[9]]
    assert [t.text for t in second] == ["Velde", "Arno"]
    raw = _compound_surnames(doc, [("PERSON", first, None, False), ("PERSON", second, None, False)])
    assert [t.text for t in raw[0][1]] == ["Enrique", "Velde", "Arno"] and raw[1][1] == second
    # Without the compound written alone, the span stays as the tagger ended it.
    alone = _compound_surnames(doc, [("PERSON", first, None, False)])
    assert [t.text for t in alone[0][1]] == ["Enrique", "Velde"]
