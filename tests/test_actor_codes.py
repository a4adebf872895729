"""Actor codes only with evidence (issue 14, item 2), eighth round: offices the tables close, a
dated appositive, an organisation's officers, spokespeople and titles that contradict a namesake.
Project-written sentences through the real spaCy pipeline and gazetteer."""

from __future__ import annotations

import pytest

from test_actor_identity import analysed, owner  # the helpers of the actor tests
from wirescope.analysis.actors import code_span
from wirescope.analysis.gazetteer import (
    STALE,
    ActorRow,
    former_code,
    load_gazetteer,
    names_a_place,
    resolve,
    title_fits,
)
from wirescope.analysis.nlp import load_nlp

pytestmark = pytest.mark.slow


def test_any_office_the_tables_close_is_the_elite_after_it():
    # An intelligence chief, a legislator and a judge out of office: elites, as a former minister is.
    for code in ("VELSPY", "VELLEG", "VELJUD", "VELGOVLEG"):
        rows = (ActorRow(code, "2001-01-01", "2004-12-31"),)
        assert resolve(rows, "2012-06-01") == ("VELELI", STALE)
    # A reporter's desk is no office: still a reporter.
    assert resolve((ActorRow("VELMED", "2001-01-01", "2004-12-31"),), "2012-06-01") == ("VELMED", STALE)


def test_then_before_an_appositive_role_dates_it_in_the_past():
    text = ("When the courts ruled in 2003, Mr. Orvane, then governor, said the state had lost its way. "
            "Ten years later, Mr. Orvane said he would run for president.")
    assert not (owner(analysed(text), "Orvane").code or "").endswith("GOV")
    current = "Mr. Orvane, the governor, said the state had lost its way."
    assert (owner(analysed(current), "Orvane").code or "").endswith("GOV")


def test_an_officer_of_a_named_organisation_heads_no_government():
    text = ('"The plan fails every family," said Ilse Varga, executive vice president for policy at the '
            "Center for Harbour Progress, a think tank in Calderon.")
    assert (owner(analysed(text), "Ilse Varga").code or "") != "---GOV"
    # A president of a country still heads a government.
    country = "Daniel Ortner, the president of Ukraine, told reporters on Monday that the talks would go on."
    assert (owner(analysed(country), "Daniel Ortner").code or "").endswith("GOV")


def test_a_spokesperson_is_no_journalist():
    nlp = load_nlp()
    assert code_span(nlp("a spokesman")[:]) is None
    assert code_span(nlp("a government spokeswoman")[:]) == "---GOV"
    text = "Velde party spokesman Jonas Brekk said on Sunday that the vote would be held."
    assert not (owner(analysed(text), "Jonas Brekk").code or "").endswith("MED")


def test_a_title_must_name_an_office_the_namesake_held():
    gaz = load_gazetteer()
    # The dictionary knows one Jefferson, a Caymanian elite (CYMELI, 1994-2006), never a president.
    key = ("thomas", "c.", "jefferson")
    assert key in gaz.actors and not title_fits(gaz, {"president"}, key)
    assert title_fits(gaz, {"mr."}, key)  # a title that names no role contradicts nothing
    text = ('"That was the chair of President Jefferson and President Lincoln," Mr. Orlov said in '
            "Calderon on Monday.")
    jefferson = owner(analysed(text, published="2016-08-31"), "Jefferson")
    assert not (jefferson.code or "").startswith("CYM")


def test_names_written_with_accents_match_the_dictionaries_written_without():
    nlp = load_nlp()
    # PETRARCH's dictionaries spell "jose maria aznar"; news spells "José María Aznar".
    assert code_span(nlp("José María Aznar")[:], "2001-08-01") == "ESPGOV"
    assert code_span(nlp("Luiz Inácio Lula da Silva")[:], "2001-08-01") == code_span(
        nlp("Luiz Inacio Lula da Silva")[:], "2001-08-01")


def test_a_headline_verb_before_a_surname_is_no_given_name():
    # Every word of a title-cased headline is capitalised: "Urges" is no given name of Orlov's.
    page = ("Mara Velde Urges Orlov to Listen to Dockworkers on Harbour Deal\n\n"
            "CALDERON – Mara Velde on Sunday urged President Orlov to listen to the dockworkers. "
            "Mr. Orlov has until Friday to answer, she said.\n")
    entities = analysed(page)
    assert not any("Urges" in e.name for e in entities)
    assert all(m.text != "Urges Orlov" for e in entities for m in e.mentions)


def test_a_country_that_is_a_given_name_is_no_affiliation():
    # "Chad" and "Jordan" are countries of the dictionary and given names of people.
    for text, name in (("Chad Orvane said the rules were clear.", "Chad Orvane"),
                       ("Jordan Velde said he would play on Sunday.", "Jordan Velde")):
        code = owner(analysed(text), name).code or ""
        assert not code.startswith(("TCD", "JOR")), code


def test_former_in_an_appositive_dates_only_the_role_it_names():
    text = "Velde attacked Arizona Sen. Jonas Brekk, a former prisoner of war, on Friday in Calderon."
    assert (owner(analysed(text), "Jonas Brekk").code or "").endswith("LEG")
    retired = "Mark Holt, a retired FBI profiler, said the killer was careful."
    assert (owner(analysed(retired), "Mark Holt").code or "").endswith("ELI")


def test_a_generic_person_noun_is_no_role_of_a_named_person():
    text = ("The police shot Tomas Ilvik, a 40-year-old unarmed man, in Calderon on Friday, "
            "his family said.")
    assert not (owner(analysed(text), "Tomas Ilvik").code or "").endswith("PPL")


def test_an_elite_with_no_country_stays_one_after_leaving():
    from wirescope.analysis.gazetteer import former_code

    assert former_code("ELI") == "ELI"  # not "ELIELI"


def test_the_force_a_veteran_served_in_is_no_role():
    for text, name in (("Navy veteran Peter Kaisel, 76, spoke at the hospital in Calderon last month.",
                        "Peter Kaisel"),
                       ("Iraq War veteran Tom Orvane, 30, waited for the hotline to answer.", "Tom Orvane")):
        code = owner(analysed(text, published="2016-09-10"), name).code or ""
        assert not code.endswith("MIL") and not code.startswith("IRQ"), code


def test_a_past_president_is_dated_by_his_term_and_a_namesake_governor_is_not_him():
    # The project's rows of past US presidents (actor_updates.tsv): the president in office in a page
    # of his term, the country's elite in a page of 2016; a fictional governor of the same surname
    # is neither, and a title alone finds the president of that surname.
    text = ("The laws passed during President Richard Nixon's term were debated in Vellmark on Monday. "
            "Gov. Dale Nixon of Vellmark said the debate would go on. "
            "Historians said President Lincoln had faced a harder war.")
    entities = analysed(text, published="2016-05-01")
    president, governor = owner(entities, "Richard Nixon"), owner(entities, "Dale Nixon")
    assert (president.code, president.actor) == ("USAELI", "person:richard-nixon")
    assert governor.actor == "person:dale-nixon" and not (governor.code or "").startswith("USAELI")
    assert (owner(entities, "Lincoln").code, owner(entities, "Lincoln").actor) == ("USAELI", "person:abraham-lincoln")
    during = owner(analysed(text, published="1972-03-01"), "Richard Nixon")
    assert during.code == "USAGOV"


def test_a_role_of_another_kind_tells_a_namesake_from_the_office_holder():
    # The project's rows know a senator Ron Johnson (from 2011) and a general Michael Flynn (serving
    # until 2014). A patrol captain and a blogger of those names, in the news while they held office,
    # are other people: ids of their own, no code of the office holder.
    captain = owner(analysed("Capt. Ron Johnson of the Vellmark County Patrol said the night had been calm. "
                             "Johnson said there were six arrests.", published="2014-08-20"), "Ron Johnson")
    senator = owner(analysed("Sen. Ron Johnson said the budget office had failed.", published="2015-03-03"),
                    "Ron Johnson")
    assert senator.actor == "person:ron-johnson" and senator.code == "USALEG"
    assert captain.actor not in (senator.actor, "person:ronald-johnson") and captain.code != "USALEG"
    blogger = owner(analysed("Mike Flynn, a conservative blogger for a political website, wrote that the clash "
                             "happened outside a fundraiser.", published="2010-06-02"), "Mike Flynn")
    general = owner(analysed("Lt. Gen. Michael Flynn said the agency would change.", published="2013-05-02"),
                    "Michael Flynn")
    assert general.actor == "person:michael-flynn" and (general.code or "").startswith("USA")
    assert blogger.actor != general.actor and blogger.code == "---MED"
    # An office of public life before another one is a career, not a namesake, and a past title no
    # role of the day: the project's rows know Kerry as secretary of state only, Obama as president.
    past = analysed("The attacks on Senator John Kerry's record in 2004 were recalled in Calderon, where "
                    "then-Sen. Barack Obama had spoken in 2006.", published="2016-09-07")
    assert owner(past, "John Kerry").actor == "person:john-kerry"
    assert owner(past, "Barack Obama").actor == "person:barack-obama"
    # A role that fits keeps the office holder, whatever else the text calls him.
    both = owner(analysed("Sen. Ron Johnson, a Wisconsin Republican and a frequent blogger, said the budget "
                          "office had failed.", published="2015-03-03"), "Ron Johnson")
    assert both.actor == "person:ron-johnson"


def test_an_office_held_beside_a_candidacy_is_the_persons_code():
    held = owner(analysed("Ohio Attorney General and U.S. Senate candidate Mara Velde said the report was "
                          "wrong.", published="2010-05-20"), "Mara Velde")
    assert held.code == "USAGOV"
    # A candidacy alone still holds no office.
    seeking = owner(analysed("U.S. Senate candidate Mara Velde said the report was wrong.",
                             published="2010-05-20"), "Mara Velde")
    assert seeking.code == "USAELI"


def test_words_that_name_no_sector_give_no_code_and_a_candidate_holds_no_office():
    # Per the code guidelines (bench/actor_identity/CODE_GUIDELINES.md): a candidate without an
    # office is an elite, not a party official; an economist works for a university, a bank or a
    # think tank, and an activist's cause names the sector, so neither word says it alone.
    candidate = owner(analysed("Libertarian presidential candidate Gary Orvane said the debate was rigged.",
                               published="2016-09-30"), "Gary Orvane")
    assert (candidate.code or "").endswith("ELI")
    economist = owner(analysed("Conservative economist Aparna Velde, who studies tax policy at the Harbour "
                               "Institute, said the plan was unclear.", published="2016-09-21"), "Aparna Velde")
    assert not (economist.code or "").endswith("EDU")
    activist = owner(analysed("Activist Lena Orlov said the prisons must close.", published="2016-10-07"),
                     "Lena Orlov")
    assert not (activist.code or "").endswith("OPP")
    nlp = load_nlp()
    assert code_span(nlp("rights activist Lena Orlov")[:]) == "---HRI"
    assert code_span(nlp("activists")[:]) == "---OPP"  # a crowd of them, as PETRARCH codes protesters


def test_the_projects_rows_keep_the_offices_the_dictionary_dates_before_them():
    """The project lists John Kerry from 2013 on; his senate years come from the dictionary."""
    kerry = load_gazetteer().actors[("john", "kerry")]
    assert resolve(kerry, "2010-06-01")[0] == "USAGOVLEG"
    assert resolve(kerry, "2016-06-01")[0] == "USAGOV"
    assert resolve(kerry, "2018-06-01")[0] == "USAELI"  # the project's undated row, not the open 2013 office
    # The dictionary left John Boehner's speakership open; the project's rows close it in 2015.
    boehner = load_gazetteer().actors[("john", "boehner")]
    assert [resolve(boehner, day)[0] for day in ("2013-06-01", "2016-06-01")] == ["USAGOVLEG", "USAELI"]


def test_dictionary_rows_the_project_corrects_or_that_hold_no_office_are_dropped():
    from wirescope.analysis.gazetteer import _with_history

    project = [ActorRow("KSTGOV", "2019-01-01", None, kind="person"), ActorRow("KSTELI", kind="person")]
    dictionary = [ActorRow("KSTGOV", "2019-01-01", None),       # open: what the project corrects
                  ActorRow("KSTLEG", "2008-01-01", "2018-12-31"),  # an office closed before: kept
                  ActorRow("KSTELI", "1970-01-01", "2008-01-01"),  # a placeholder before office: dropped
                  ActorRow("KSTMIL", "2015-01-01", "2020-01-01")]  # runs into the project's years: dropped
    assert _with_history(project, dictionary) == [*project, dictionary[1]]
    undated = [ActorRow("KSTLEG", kind="person")]
    assert _with_history(undated, dictionary) == [*undated, dictionary[1], dictionary[3]]


def code_of(text: str, name: str, published: str) -> str:
    """The code of the entity first written ``name`` in ``text`` analysed on ``published`` ("" for none)."""
    return owner(analysed(text, published=published), name).code or ""


def test_the_roles_a_text_gives_beside_a_name_are_read_where_they_belong():
    # "former" dates the relation it stands before, not the office after it.
    assert code_of("Trump was introduced by former rival Ohio Gov. Mara Velde, who endorsed him.",
                   "Mara Velde", "2016-03-01") == "USAGOV"
    # A title before the name holds still when an appositive dates another role.
    assert code_of("He is as much a citizen as Sen. Jonas Brekk, a former nominee who was born abroad.",
                   "Jonas Brekk", "2016-01-15").endswith("LEG")
    # A noun before the name is no appositive of it ("his running mate" is Varga's role here).
    assert not code_of("Since announcing former Ohio governor Ilse Varga as his running mate, Gary Orvane has "
                       "risen in the polls.", "Gary Orvane", "2016-08-28").endswith("GOV")
    # An organisation's officer heads no government: the group's, the firm's.
    assert not code_of('"It lets us get our message out," said Tomas Hale, the group\'s senior vice president '
                       "of public affairs.", "Tomas Hale", "2016-07-22").endswith("GOV")
    assert not code_of("First, Lena Orlov, Kestrel Chemical Corp.'s longtime chief executive, was shown the door.",
                       "Lena Orlov", "2015-12-30").endswith("GOV")


def test_a_title_in_a_passage_set_long_ago_is_no_office_of_the_articles_day():
    text = ("In 1964, the party faced another divisive moment when Sen. Oskar Velt challenged its "
            "establishment.\n\nToday the party is split again, and Sen. Mara Velde says it will heal.")
    entities = analysed(text, published="2016-08-19")
    assert (owner(entities, "Oskar Velt").code or "").endswith("ELI")
    assert (owner(entities, "Mara Velde").code or "").endswith("LEG")  # a new paragraph, no year: today


def test_a_campaigns_staff_are_party_officials_and_a_performers_no_elite():
    assert code_of("The ad highlights an alleged assault by Tomas Hale, Trump's campaign manager.",
                   "Tomas Hale", "2016-03-12") == "USAPTY"
    assert code_of('"We welcome this issue," said United Steelworkers political director Ilse Varga.',
                   "Ilse Varga", "2016-06-10") == "---LAB"
    nlp = load_nlp()
    assert code_span(nlp("actor Jonas Brekk")[:]) == "---CVL"
    assert code_span(nlp("Harbour Insider senior editor Lena Orlov")[:]) == "---MED"
    # A delegate names no sector (PETRARCH's LEG); a chief of staff is the government's unless an army's.
    assert code_span(nlp("Chinese delegates")[:]) == "CHN"
    assert code_span(nlp("White House chief of staff")[:]) == "USAGOV"
    assert code_span(nlp("Israeli army chief of staff")[:]) == "ISRMIL"


def test_a_press_secretary_is_no_journalist_and_no_namesake():
    text = "White House press secretary Lena Orlov, traveling with the president, said the charges were serious."
    secretary = owner(analysed(text, published="2017-11-10"), "Lena Orlov")
    assert secretary.code == "USAGOV" and "~" not in (secretary.actor or "")


def test_a_role_under_a_past_president_or_left_behind_is_the_elites():
    # A role held in an administration out of office on the article's day is a former one.
    clinton_years = ('"The patrol did its job," said Tomas Hale, the White House drug policy director in the '
                     "Clinton administration.")
    assert code_of(clinton_years, "Tomas Hale", "2016-09-03") == "USAELI"
    assert code_of(clinton_years, "Tomas Hale", "1998-09-03") == "USAGOV"
    assert code_of("Lena Orlov, the treasury secretary under President Reagan, disagreed.",
                   "Lena Orlov", "2016-05-01").endswith("ELI")
    # A person owning the role gives its country; "former" in such an appositive dates it.
    assert code_of('"They were rivals," Gregory Hale, President Obama\'s former chief of staff, said.',
                   "Gregory Hale", "2016-08-17") == "USAELI"
    # A former campaign manager is no longer party staff (CODE_GUIDELINES: former officials are ELI),
    # and the employer's country holds through a typographic apostrophe.
    assert code_of("Obama\u2019s former campaign manager Jonas Brekk advises the campaign.",
                   "Jonas Brekk", "2016-03-10") == "USAELI"
    assert code_of("Obama\u2019s campaign manager Jonas Brekk advised the campaign.",
                   "Jonas Brekk", "2012-03-10") == "USAPTY"


def test_a_title_the_projects_rows_close_and_a_companys_person():
    # The project's rows close Antonin Scalia's seat at his death (2016-02-13): a title kept by
    # habit months later names the office he held; while he sat, it is his office.
    text = "She believed that U.S. Supreme Court Justice Antonin Scalia may have been murdered."
    assert code_of(text, "Antonin Scalia", "2016-10-02") == "USAELI"
    assert code_of(text, "Antonin Scalia", "2014-10-02") == "USAJUD"
    # A person coded by the company in their phrase is a business person of its country.
    assert code_of("The senator is married to Wells Fargo board member Lena Orlov, who declined to comment.",
                   "Lena Orlov", "2016-09-20") == "USABUS"
    # The dead hold no office; "late" in a time of day dates nothing.
    assert code_of("The late Sen. Tomas Hale was honoured on Monday.", "Tomas Hale", "2016-10-02").endswith("ELI")
    assert code_of("Late Tuesday, Sen. Gregor Velt spoke.", "Gregor Velt", "2016-10-02").endswith("LEG")


def test_a_year_frames_its_own_clause_not_the_one_that_reports_it():
    # "as of 2005" sits in what X said: X's office is of the article's day.
    text = ("The stations dropped the broadcasts they had carried as of 2005, said Tomas Hale, a senior "
            "official with the Velderan Broadcasting Board.")
    assert not code_of(text, "Tomas Hale", "2016-09-19").endswith("ELI")
    # A sentence with no verb (a caption) still finds its frame, and ends.
    assert code_of("Sen. Oskar Velt in 1964.", "Oskar Velt", "2016-08-19").endswith("ELI")


def test_a_year_in_the_role_phrase_dates_it_and_political_words_read_as_politics():
    assert code_of('"It is hard," said Lena Orlov, Clinton\u2019s 2008 campaign manager.',
                   "Lena Orlov", "2016-09-01").endswith("ELI")
    assert code_of('"It is hard," said Lena Orlov, the 2016 campaign manager of the party.',
                   "Lena Orlov", "2016-09-01").endswith("PTY")
    nlp = load_nlp()
    # An operative in political news works for a party; an agency or "intelligence" keeps the spy.
    assert code_span(nlp("Iowa Republican operative Tomas Hale")[:], "2016-01-01") == "USAPTY"
    assert code_span(nlp("intelligence operative Tomas Hale")[:], "2016-01-01").endswith("SPY")
    assert code_span(nlp("CIA operatives")[:], "2016-01-01") == "USASPY"
    # A lawyer in private practice is a business person; a prosecutor's title stays the court's.
    assert code_span(nlp("the fund's lawyer")[:], "2016-01-01").endswith("BUS")
    assert code_span(nlp("District Attorney Tomas Hale")[:], "2016-01-01").endswith("JUD")


def test_a_past_presidents_title_an_administration_and_an_appositive_behind_a_clause():
    # "President Nixon" long after his term names a former president: the United States' elite.
    text = "President Nixon would never have said that, and President Obama agreed, Tomas Hale wrote."
    assert code_of(text, "Nixon", "2016-08-17") == "USAELI"
    assert code_of(text, "Obama", "2016-08-17") == "USAGOV"
    assert code_of("She had breakfast with Vice President Biden on Monday.", "Biden", "2016-09-16") == "USAGOV"
    # "during X's administration" dates a role as "in the X administration" does.
    during = ('"We run names against lists," said Lena Orlov, a senior security official during George W. '
              "Bush's administration.")
    assert code_of(during, "Lena Orlov", "2015-12-14").endswith("ELI")
    assert not code_of(during, "Lena Orlov", "2005-12-14").endswith("ELI")
    # The parser may hang another person's role on a name across a relative clause: it is not theirs.
    clause = ("Tomas Hale - who abruptly fired Velt, the Calderon police chief, on Tuesday after strong "
              "criticism - said he would not resign.")
    assert not code_of(clause, "Tomas Hale", "2015-12-04").endswith("COP")
    assert code_of("Tomas Hale, the city's police chief, said he would stay.", "Tomas Hale",
                   "2015-12-04").endswith("COP")


def test_senators_of_2015_and_2016_are_coded_by_their_terms():
    # The project's rows date the senators of the 114th Congress the 2014 dictionaries miss: coded
    # without a title, and a passage set in a year before the article keeps the office held on its day.
    assert code_of("Dianne Feinstein said the report was late.", "Dianne Feinstein", "2016-02-10") == "USALEG"
    assert code_of("In 2006, Jon Tester won a close race in Montana.", "Jon Tester", "2016-08-08") == "USALEG"
    assert code_of("Jon Tester said the bill would pass.", "Jon Tester", "2026-03-01") == "USAELI"


def test_no_title_from_a_plural_a_double_surname_or_an_outlets_name():
    # "groups of voters Mrs. X must win": the voters are no title of X.
    assert code_of("Core groups of voters Mrs. Lena Orlov must win stayed home, and Lena Orlov said so.",
                   "Lena Orlov", "2016-03-04") == ""
    # The second half of a double surname is no one-person surname of the gazetteer (George Hawkins).
    assert code_of("Jennifer Shanklin-Hawkins said the plant would close.", "Jennifer Shanklin-Hawkins",
                   "2016-03-21") == ""
    # A news network's moderator is the media, not a business.
    assert code_of("Rubio was asked by Fox Business moderator Tomas Hale about taxes.", "Tomas Hale",
                   "2015-11-11") == "USAMED"


def test_a_place_the_tagger_calls_a_person_is_not_coded_as_one():
    text = ("That changed one day in June 2014, when Tomas Hale, known to everyone as Tom, made a brief "
            "stopover in Sana, the capital of Yemen, on his way to Asmara.")
    assert code_of(text, "Sana", "2016-09-03") == ""
    gaz = load_gazetteer()
    assert names_a_place(gaz, ("monterrey",)) and not names_a_place(gaz, ("barack", "obama"))


def test_role_words_read_by_their_field_an_employer_before_the_title_and_a_customer():
    nlp = load_nlp()
    # "anti-" and "counter-" turn a role word into a field: the prosecutor is a prosecutor.
    assert code_span(nlp("anti-terrorist prosecutor Tomas Hale")[:], "2016-06-17").endswith("JUD")
    assert code_span(nlp("anti-government protesters")[:], "2016-06-17").endswith("OPP")
    # An organisation before a title is the role's employer even when the tagger runs them together.
    assert code_span(nlp("White House Counsel Tomas Hale")[:], "2016-01-13") == "USAGOV"
    # A company's head is a business person; its customer a private citizen of its country.
    assert code_span(nlp("chief executive Tomas Hale")[:], "2016-05-29").endswith("BUS")
    assert code_span(nlp("Verizon customer")[:], "2016-05-29") == "USACVL"
    # A national security official is the government's; a security official stays the police.
    assert code_span(nlp("national security official")[:], "2015-12-07").endswith("GOV")
    assert code_span(nlp("security official")[:], "2015-12-07").endswith("COP")


def test_a_former_role_joined_to_a_present_one_does_not_date_it():
    text = ("Ms. Lena Orlov and Tomas Hale - a fellow governor and former colleague in the Clinton "
            "administration who raised similar concerns - ultimately agreed.")
    assert code_of(text, "Tomas Hale", "2016-07-27").endswith("GOV")
    # Alone, the administration still dates the role.
    assert code_of("Tomas Hale, a senior official in the Clinton administration, agreed.", "Tomas Hale",
                   "2016-07-27").endswith("ELI")


def test_governors_of_2015_and_2016_are_coded_by_their_terms_and_a_place_is_no_surname():
    text = "Businessman Bruce Rauner won the governor's race in Illinois in 2014."
    assert code_of(text, "Bruce Rauner", "2016-01-08") == "USAGOV"
    assert code_of(text, "Bruce Rauner", "2020-01-08") == "USABUS"
    # "Dayton" is a city here, not Gov. Mark Dayton of the project's rows.
    assert code_of("The plant in Dayton, Ohio, closed. Dayton lost 300 jobs.", "Dayton", "2016-05-01") == ""


def test_a_role_under_past_presidents_is_former_through_a_pages_double_spaces():
    text = "It is hard to prove, said Tomas Hale, a  national security official under Presidents  Reagan and Ford."
    assert code_of(text, "Tomas Hale", "2015-12-07").endswith("ELI")


def test_a_faith_names_no_sector_a_school_is_academic_and_former_reaches_over_a_state():
    nlp = load_nlp()
    # A faith before a title is no sector: a "Muslim mayor" governs.
    assert code_span(nlp("London's newly elected Muslim mayor Tomas Hale")[:], "2016-05-16") == "GBRGOV"
    # A business school's professor is an academic, not a business person.
    assert code_span(nlp("a Harvard Business School professor")[:], "2016-08-09").endswith("EDU")
    # "former" before a state and an abbreviated title of two words dates the title.
    text = "Grassley will face off with former Iowa Lt. Gov. Lena Orlov in November."
    assert code_of(text, "Lena Orlov", "2016-06-08") == "USAELI"
    assert code_of("He met Iowa Lt. Gov. Lena Orlov on Monday.", "Lena Orlov", "2016-06-08") == "USAGOV"


def test_a_foreign_name_of_the_dictionary_in_a_text_that_never_names_its_country_is_a_namesake():
    # The dictionary's "Andy Smith" is a British elite; a pollster in a New Hampshire story is not him.
    text = "But UNH pollster Andy Smith said Trump is better positioned in New Hampshire than Romney was."
    assert code_of(text, "Andy Smith", "2016-03-07") == "---BUS"
    # Where the text names his country, the name stays evidence; a text naming no place says nothing.
    assert code_of("Andy Smith spoke in London on Monday.", "Andy Smith", "2016-03-07") == "GBRELI"
    assert code_of("Andy Smith spoke on Monday.", "Andy Smith", "2016-03-07") == "GBRELI"


def test_a_place_in_a_persons_name_and_georgia_before_a_us_style_title():
    # "Rosario" is a city of Argentina, but here the first name of the actress.
    assert code_of("Actress Rosario Velt took the stage at the rally.", "Rosario Velt", "2016-06-30") == "---CVL"
    # "Georgia" before "Rep." or "state Sen." in US news style is the state, not the country.
    assert code_of("Georgia Rep. Tomas Hale spoke first.", "Tomas Hale", "2016-08-30") == "USALEG"
    assert code_of("Georgia state Sen. Lena Orlov spoke first.", "Lena Orlov", "2016-08-30") == "USALEG"
    assert code_of("Georgia President Oskar Velt spoke first.", "Oskar Velt", "2016-08-30") == "GEOGOV"


def test_an_elite_of_the_dictionary_named_with_a_job_at_an_organisation_is_coded_by_the_job():
    # The dictionary's James Baker is a former secretary of state; the FBI's general counsel is not.
    text = "FBI general counsel James Baker said the review is ongoing."
    assert code_of(text, "James Baker", "2016-02-08") == "USACOP"
    assert code_of("James Baker spoke in Houston on Monday.", "James Baker", "2016-02-08") == "USAELI"


def test_a_worker_a_relative_and_a_native_are_read_as_what_they_say():
    # One worker is a private citizen (a union official is LAB), as is a politician's relative.
    assert code_of("It depends on age, said Lena Orlov, 66, a retired fast-food worker.", "Lena Orlov",
                   "2016-02-17").endswith("CVL")
    text = "Tomas Hale, Ronald Reagan's daughter, attacked the nominee on Wednesday."
    assert code_of(text, "Tomas Hale", "2016-08-11") == "USACVL"
    # Where a person comes from is no role: "a North Dakota native" says only the country.
    assert code_of("We like news, said Jonas Brekk, a North Dakota native.", "Jonas Brekk", "2016-07-11") == "USA"


def test_ukraines_leaders_are_dated_by_their_terms():
    assert code_of("Viktor Yanukovych fled to Russia.", "Viktor Yanukovych", "2016-08-02") == "UKRELI"
    assert code_of("Viktor Yanukovych spoke in Kiev.", "Viktor Yanukovych", "2012-05-02") == "UKRGOV"
    assert code_of("Viktor Yushchenko spoke in Kiev.", "Viktor Yushchenko", "2016-08-02") == "UKRELI"


def test_a_committees_field_a_ministers_faith_and_an_origin_before_american_or_born():
    # The committee's field is not its chairman's sector: he chairs a committee, he is no judge.
    text = "Judiciary Committee Chairman Tomas Hale sent the letter."
    assert not code_of(text, "Tomas Hale", "2016-07-11").endswith("JUD")
    assert code_of("Judiciary Chairman Tomas Hale sent the letter.", "Tomas Hale", "2016-07-11").endswith("JUD")
    # After a faith, a minister is clergy; "Cuban-born" says where he comes from, not his country.
    text = "Oskar Velt, a Cuban-born Christian minister, drew crowds in Iowa on Sunday."
    assert code_of(text, "Oskar Velt", "2015-11-08") == "---REL"
    # A Syrian-American is American.
    assert code_of("We welcome them, said Lena Orlov, a Syrian-American resident.", "Lena Orlov",
                   "2015-12-29") == "USACVL"


def test_a_persons_name_before_a_head_that_is_no_role_of_theirs_gives_only_the_country():
    text = "We are encouraged, said Jonas Brekk, a Trump delegate strategist."
    assert code_of(text, "Jonas Brekk", "2016-04-03") == "USA"
    # "Georgia" beside a US party's name is the state.
    assert code_span(load_nlp()("a Republican National Committeeman from Georgia")[:], "2016-06-22") == "USAPTY"


def test_researchers_employees_and_a_lieutenant_governor_and_an_outlet_with_no_country():
    nlp = load_nlp()
    assert code_span(nlp("Montclair State University political scientist Lena Orlov")[:], "2016-02-11").endswith("EDU")
    assert code_span(nlp("a bank employee")[:], "2016-06-07").endswith("CVL")
    assert not code_span(nlp("then-lieutenant governor Lena Orlov")[:], "2015-11-20").endswith("MIL")
    # A dictionary code with no country stays as it is when made former (it was "MEDELI").
    assert former_code("MED") == "MED" and former_code("USAGOV") == "USAELI"
    assert code_span(nlp("Libyan dictator Moammar Gadhafi")[:], "2016-07-28") == "LBYELI"
