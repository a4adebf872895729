"""What the text says about a person's office, for the actor coder (``actors.py``).

- A role in an appositive ("X, a retired FBI profiler") is read as a title written with the name;
  not a role held in a named organisation ("X, president of the Velde Institute").
- "former", "ex-", "retired", "then-" before the title or in an appositive that names a role ("X,
  then governor"; not "Sen. X, a former prisoner of war"), "candidate" or
  "nominee" right before the name ("Senate candidate X" seeks the office), and a clause saying the
  person left ("Trump fired Secretary of State X", "X resigned", "X stepped down"), turn an office
  into the country's elite (``gazetteer.former_code``): the office is no longer held on the
  article's date. "retired" also ends a military code ("retired Gen. X"); "former" does not ("former
  army chief Y" may serve in the army still, as ``actors.code_span``'s examples keep).

Only past-tense verbs of which the name is the object (fired, ousted) or the subject (resigned,
stepped down) count: "Trump will fire X" and "X may resign" say nothing of the article's date.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from wirescope.analysis.gazetteer import FORMER_WORDS, former_code, load_gazetteer, row_kind, scan_names
from wirescope.analysis.names import OFFICE_TITLES, ROLE_NOUNS
from wirescope.analysis.nlp import doc_text

# Verbs whose object leaves an office: "fired X", "X was ousted".
REMOVAL_LEMMAS = frozenset({"fire", "oust", "dismiss", "sack", "depose", "remove", "topple", "unseat"})
# Verbs whose subject leaves one: "X resigned", "X stepped down / aside", "X retired".
LEAVING_LEMMAS = frozenset({"resign", "quit", "retire"})
STEPPING_PARTICLES = frozenset({"down", "aside"})
# Words right before a name that say the office is sought, not held ("state Senate candidate X").
SEEKING = frozenset({"candidate", "candidates", "nominee", "nominees", "hopeful", "hopefuls", "contender",
                     "challenger"})
# Nouns of a relation to someone: "former" before one dates the relation, not the office written
# after it ("former rival New Jersey Gov. X" still governs).
RELATION_NOUNS = frozenset({"rival", "rivals", "opponent", "opponents", "foe", "foes", "ally", "allies", "friend",
                            "friends", "classmate", "classmates", "colleague", "colleagues", "competitor",
                            "competitors", "partner", "partners", "teammate", "teammates"})
# A title written in a passage the text sets this many years or more before the article's date is
# that year's office ("In 1964, ... Sen. Barry Goldwater"), not the article's day.
NARRATED_PAST_YEARS = 10
YEARS_KEY = "wirescope.tenure.years"  # doc.user_data: the document's years (``_year_index``)
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
PAST_TAGS = frozenset({"VBD", "VBN"})
CLAUSE_POS = frozenset({"VERB", "AUX"})
OBJECT_DEPS = frozenset({"dobj", "nsubjpass"})
MODIFIER_DEPS = frozenset({"amod", "acl"})
ORGANISATION_PREPOSITIONS = frozenset({"of", "for", "at"})
PLACE_TYPES = frozenset({"GPE", "LOC", "NORP"})
# The terms of the US presidents since 1933, for "the drug policy director in the Clinton
# administration" and "treasury secretary under President Reagan": a role held under a president
# out of office on the article's date is a former one. By surname, as the text names them; a
# surname two presidents bore holds both terms. Written here because the dictionaries date only
# some presidents and cannot tell a president's term from another office the surname's bearers held.
PRESIDENCIES: dict[str, tuple[tuple[str, str], ...]] = {
    "roosevelt": (("1933-03-04", "1945-04-12"),), "truman": (("1945-04-12", "1953-01-20"),),
    "eisenhower": (("1953-01-20", "1961-01-20"),), "kennedy": (("1961-01-20", "1963-11-22"),),
    "johnson": (("1963-11-22", "1969-01-20"),), "nixon": (("1969-01-20", "1974-08-09"),),
    "ford": (("1974-08-09", "1977-01-20"),), "carter": (("1977-01-20", "1981-01-20"),),
    "reagan": (("1981-01-20", "1989-01-20"),), "bush": (("1989-01-20", "1993-01-20"), ("2001-01-20", "2009-01-20")),
    "clinton": (("1993-01-20", "2001-01-20"),), "obama": (("2009-01-20", "2017-01-20"),),
    "trump": (("2017-01-20", "2021-01-20"), ("2025-01-20", "9999-12-31")), "biden": (("2021-01-20", "2025-01-20"),),
}
# Words after a president's surname that name the government he led ("the Bush White House").
ADMINISTRATION_WORDS = frozenset({"administration", "administrations", "white", "cabinet", "presidency"})
# Common nouns for an organisation owning a role ("the group's senior vice president").
ORGANISATION_NOUNS = frozenset({"group", "company", "firm", "organization", "organisation", "association",
                                "foundation", "institute", "network", "corporation", "business", "charity"})


def appositive_role(name: Span | None) -> list[Token]:
    """A role appositive after a name, to its head noun ("a retired FBI profiler"); no names."""
    # After the name only: the parser also hangs a clause's earlier noun on a subject ("Since naming
    # Y as his running mate, X has risen": "mate" is no appositive of X).
    heads = ([c for c in name.root.children if c.dep_ == "appos" and c.pos_ == "NOUN" and c.i >= name.end
              and not _clause_between(name, c)] if name is not None else [])
    if name is None or not heads:
        return []
    head = heads[0]
    if _heads_organisation(head):
        return []  # "X, president of the Velde Institute": no government's president
    # "X, then governor, ...": the parser hangs "then" on the name, not on the role it dates.
    dating = [c for c in name.root.children if c.dep_ == "advmod" and name.end <= c.i < head.left_edge.i]
    words = dating + [t for t in head.subtree if t.i <= head.i]
    # A person may own the role ("Obama's former chief of staff"), not be it ("the son of X").
    owned = {t.i for c in head.children if c.dep_ == "poss" for t in c.subtree}
    return [] if any(t.ent_type_ == "PERSON" and t.i not in owned for t in words) else words


def _heads_organisation(role: Token) -> bool:
    """Whether a role noun is held in an organisation named after it or before it ("president of the
    Velde Institute", "Ora Media's chief executive"), not in a country ("president of Velderia")."""
    objects = [o for p in role.children if p.dep_ == "prep" and p.lower_ in ORGANISATION_PREPOSITIONS
               for o in p.children if o.dep_ == "pobj"]
    # "DuPont's chief executive", "the group's vice president"; not a person's ("Obama's chief of staff")
    owners = [c for c in role.children if c.dep_ == "poss" and c.ent_type_ != "PERSON" and not _known_person(c)]
    return (any(t.ent_type_ == "ORG" or (t.pos_ == "PROPN" and t.ent_type_ not in PLACE_TYPES)
                for o in objects + owners for t in o.subtree)
            or any(o.lemma_.lower() in ORGANISATION_NOUNS for o in owners))


def _known_person(token: Token) -> bool:
    """Whether the gazetteer lists the words of ``token``'s phrase as a person (the tagger may call
    "Trump" in "Trump's campaign manager" an organisation)."""
    gaz = load_gazetteer()
    return any(kind == "actor" and row_kind(gaz.actors[key]) == "person"
               for _, _, kind, key in scan_names(list(token.subtree), gaz))


def seeks_office(before: Sequence[Token]) -> bool:
    """Whether the words right before a name say the office is sought ("Senate candidate X"). Only
    right before it: "Sen. X, a presidential candidate" still sits in the Senate."""
    return bool(before) and before[-1].lower_ in SEEKING


def code_after_leaving(code: str, before: Sequence[Token], appositive: Sequence[Token], name: Span | None) -> str:
    """The code of a person the text says has left ``code``'s office, or only seeks it (``not_held``),
    else ""."""
    said = _dating_words(before, appositive)
    if not _left_or_sought(said, before, name):
        return ""
    return former_code(code, retired=any(t.lower_ == "retired" for t in said))


def not_held(before: Sequence[Token], appositive: Sequence[Token], name: Span | None) -> bool:
    """Whether the text says the office written with a name is no longer, or not yet, held: words
    ``before`` the name, its ``appositive``, the clause of the name (``left_office``)."""
    return _left_or_sought(_dating_words(before, appositive), before, name)


def _left_or_sought(said: Sequence[Token], before: Sequence[Token], name: Span | None) -> bool:
    return any(_dates_an_office(t) for t in said) or left_office(name) or seeks_office(before)


def _dates_an_office(token: Token) -> bool:
    """A "former" (or "ex-", "then") that is not followed by a relation noun it dates instead."""
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return token.lower_ in FORMER_WORDS and (following is None or following.lower_ not in RELATION_NOUNS)


def _dating_words(before: Sequence[Token], appositive: Sequence[Token]) -> list[Token]:
    """The words that may date a name's office: those before it, and an appositive that names an
    office ("Sen. X, a former prisoner of war" still sits in the Senate; "X, a former C.I.A.
    director" left the agency) when no title stands before the name."""
    dated = any(t.lower_ in FORMER_WORDS for t in appositive) and _names_role(appositive)  # scan only if it may count
    # A title written before the name is held still: "Sen. X, a former nominee" sits in the Senate.
    titled = dated and any((t.lower_,) in load_gazetteer().agents for t in before)
    return [*before, *(appositive if dated and not titled else [])]


def _names_role(appositive: Sequence[Token]) -> bool:
    """Whether an appositive names a role: its head is one ("director", "senator", "official") or
    it names an office-holding body ("a retired FBI profiler"), not only something else a person
    was ("a former Vietnam prisoner of war": a country is no office)."""
    gaz, head = load_gazetteer(), appositive[-1]
    if (head.lower_,) in gaz.agents or head.lemma_.lower() in ROLE_NOUNS | OFFICE_TITLES:
        return True
    return any(kind == "agent" or any(len(row.code) > 3 for row in gaz.actors[key])
               for _, _, kind, key in scan_names(appositive, gaz))


def left_office(name: Span | None) -> bool:
    """Whether the name's clause says its bearer left office: the object of a past-tense removal
    verb ("Trump fired Secretary of State X", "X was ousted"), a name such a participle modifies
    ("the ousted president X"), or the subject of a past-tense leaving verb ("X resigned", "X
    stepped aside as secretary")."""
    if name is None:
        return False
    root = name.root
    if any(c.dep_ in MODIFIER_DEPS and c.tag_ == "VBN" and c.lemma_ in REMOVAL_LEMMAS for c in root.children):
        return True  # "the ousted president X", "fired Secretary of State X"
    verb = root.head
    if verb is root or verb.tag_ not in PAST_TAGS:
        return False
    if root.dep_ in OBJECT_DEPS and verb.lemma_ in REMOVAL_LEMMAS:
        return True
    if root.dep_ != "nsubj":
        return False
    stepped = verb.lemma_ == "step" and any(c.dep_ == "prt" and c.lower_ in STEPPING_PARTICLES for c in verb.children)
    return stepped or verb.lemma_ in LEAVING_LEMMAS


def told_long_ago(name: Span | None, day: str) -> bool:
    """Whether the passage of ``name`` is set ``NARRATED_PAST_YEARS`` or more before ``day`` (ISO):
    a year its sentence names, else the last year named before it in its paragraph."""
    year = narrated_year(name) if name is not None else None
    return year is not None and day[:4].isdigit() and year <= int(day[:4]) - NARRATED_PAST_YEARS


def narrated_year(name: Span) -> int | None:
    """The year a name's passage is set in, from date entities: one in its sentence, else the last
    one earlier in its paragraph (a blank line ends a paragraph)."""
    doc = name.doc
    positions, years, breaks = _year_index(doc)
    sentence = name.sent
    first = bisect_left(positions, sentence.start)  # the first year at or after the sentence's start
    last = bisect_left(positions, sentence.end)
    if first < last:
        # A year frames its own clause and the clauses inside it, not the clause that reports it:
        # "..., operating as of 2005, said X, an official" sets nothing of X's office in 2005.
        clause = _clause(name.root)
        framing = [years[k] for k in range(first, last) if _frames(doc[positions[k]], clause)]
        return framing[0] if framing else None
    paragraph = breaks[bisect_right(breaks, sentence.start_char) - 1]
    return years[first - 1] if first > 0 and doc[positions[first - 1]].idx >= paragraph else None


def _year_index(doc: Doc) -> tuple[list[int], list[int], list[int]]:
    """The token positions of the document's years, the years, and the character offsets where its
    paragraphs start: read once per document (``doc.user_data``), from its date entities and its
    text, as every mention of every person asks."""
    cached = doc.user_data.get(YEARS_KEY)
    if cached is None:
        found = [(t.i, year) for ent in doc.ents if ent.label_ == "DATE" for t in ent
                 if (year := _year(t)) is not None]  # doc.ents are in order
        breaks = [0, *(m.end() for m in PARAGRAPH_BREAK.finditer(doc_text(doc)))]
        cached = doc.user_data[YEARS_KEY] = ([i for i, _ in found], [year for _, year in found], breaks)
    return cached


def _year(token: Token) -> int | None:
    """A four-digit year inside a date entity ("in 1964", "1972's race"), else None. Not a decade:
    "since the 1960s" sets no passage in the past."""
    return written_year(token) if token.ent_type_ == "DATE" and token.text.isdigit() else None


def written_year(token: Token) -> int | None:
    """The year a token writes: "1964", "2008" (of "Clinton's 2008 campaign manager"), a decade
    ("1950s") as its first year; else None."""
    text = token.text[:-1] if token.text.endswith("s") else token.text
    if len(text) != 4 or not text.isdigit():
        return None
    return int(text) if 1700 <= int(text) <= 2100 else None


def dated_before(words: Sequence[Token], day: str) -> bool:
    """Whether a role phrase writes a year before the article's ("Clinton's 2008 campaign manager X"
    in 2016, "the 2012 nominee"): the role of that year, no longer held."""
    return day[:4].isdigit() and any((year := written_year(t)) is not None and year < int(day[:4]) for t in words)


def under_past_president(words: Sequence[Token], day: str) -> bool:
    """Whether ``words`` (a role phrase) place the role under a US president out of office on ``day``
    (ISO): "in the Clinton administration", "a Bush White House aide", "under President Reagan"."""
    for token in words:
        terms = PRESIDENCIES.get(token.lower_)
        if terms is None or token.pos_ != "PROPN":
            continue
        # "Bush's administration" as "the Bush administration"
        after = token.i + 2 if token.i + 1 < len(token.doc) and token.doc[token.i + 1].tag_ == "POS" else token.i + 1
        following = token.doc[after].lower_ if after < len(token.doc) else ""
        # Two words back, not counting the spaces a page's double spacing leaves ("under Presidents  Reagan").
        preceding = [t.lower_ for t in token.doc[max(token.i - 4, 0) : token.i] if not t.is_space][-2:]
        if following in ADMINISTRATION_WORDS or "under" in preceding:
            return _out_of_office(terms, day)
    return False


def _out_of_office(terms: tuple[tuple[str, str], ...], day: str) -> bool:
    """Whether ``day`` (ISO) falls in none of a president's ``terms`` (``PRESIDENCIES``)."""
    return not any(start <= day <= end for start, end in terms)


def _clause(token: Token) -> Token:
    """The verb that heads ``token``'s clause (the root where there is none)."""
    while token.pos_ not in CLAUSE_POS and token.head.i != token.i:  # spaCy makes a new Token each access
        token = token.head
    return token


def _frames(year: Token, clause: Token) -> bool:
    """Whether the ``year`` token is in ``clause`` or in a clause above it."""
    own = _clause(year).i
    return own == clause.i or any(a.i == own for a in clause.ancestors)


def _clause_between(name: Span, head: Token) -> bool:
    """Whether a verb stands between a name and a noun the parser made its appositive: "X - who fired
    Y, the police chief, ..." gives Y's role, not X's."""
    return any(t.pos_ in CLAUSE_POS for t in name.doc[name.end : head.left_edge.i])


def code_told_as_past(code: str, span: Span, name: Span | None, appositive: list[Token], titled: bool, day: str
                      ) -> str:
    """The code a mention's role has when the text sets it before the article's day (``told_as_past``),
    else "". "President Eisenhower" in 2016 is the United States' elite: the title names a presidency
    that ended, of a country the title does not write."""
    before = span.doc[span.start : name.start if name is not None else span.start]
    if titled and past_president_title(before, name, day):
        return "USAELI"
    return former_code(code) if told_as_past(span, name, appositive, titled, day) else ""


def past_president_title(before: Span, name: Span | None, day: str) -> bool:
    """Whether ``before`` ends with "President" and ``name`` is the surname alone of a US president out
    of office on ``day`` (ISO): "President Nixon" in 2016; not "President Obama" in 2016."""
    if name is None or len(name) != 1 or not len(before) or before[-1].lower_ not in ("president", "presidents"):
        return False
    if len(before) > 1 and before[-2].lower_ in ("vice", "-", "vice-"):
        return False  # "Vice President Biden" in 2016 holds an office
    terms = PRESIDENCIES.get(name[0].lower_)
    return terms is not None and _out_of_office(terms, day)


def told_as_past(span: Span, name: Span | None, appositive: list[Token], titled: bool, day: str) -> bool:
    """Whether the text sets a mention's role before the article's day: a passage narrating a year
    long past ("In 1964, ... Sen. X"), or, for a person, a role held under a president out of office
    ("X, the drug policy director in the Clinton administration", "a Bush White House aide X") or
    dated by a year in its phrase ("Clinton's 2008 campaign manager X")."""
    if told_long_ago(name, day):
        return True
    first = name.start if name is not None else span.start
    own = _without_conjuncts(appositive[-1]) if appositive else []
    words = [*span.doc[max(span.start - 2, 0) : first], *own]
    # "Clinton's 2008 campaign manager X": a year written in the role phrase dates it.
    role_words = [*span.doc[span.start : first], *appositive]
    return titled and (under_past_president(words, day) or dated_before(role_words, day))


def _without_conjuncts(head: Token) -> list[Token]:
    """The subtree of a role's head without the roles joined to it: in "a fellow governor and former
    colleague in the Clinton administration" the colleague's years do not date the governor's seat."""
    joined = {t.i for c in head.children if c.dep_ in ("conj", "cc") for t in c.subtree}
    return [t for t in head.subtree if t.i not in joined]


def left_before(key: tuple[str, ...], role: str, day: str) -> bool:
    """Whether the project's rows of the name ``key`` close an office of ``role`` before ``day``:
    "Supreme Court Justice Antonin Scalia" months after his death, "Speaker John Boehner" after he
    resigned, name the office held, which the curated rows date better than a title kept by habit."""
    rows = load_gazetteer().actors.get(key, ()) if key else ()
    return any(r.kind != "dictionary" and r.end is not None and r.end < day and role[:3] in r.code[3:]
               for r in rows)
