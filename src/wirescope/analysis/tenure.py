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

from collections.abc import Sequence

from spacy.tokens import Span, Token

from wirescope.analysis.gazetteer import former_code, load_gazetteer, scan_names
from wirescope.analysis.names import OFFICE_TITLES, ROLE_NOUNS

# Words before a title that say its office is no longer held ("former Gov. X", "ex-President Y").
FORMER = frozenset({"former", "ex", "ex-", "retired", "onetime", "one-time", "erstwhile", "then"})
# Verbs whose object leaves an office: "fired X", "X was ousted".
REMOVAL_LEMMAS = frozenset({"fire", "oust", "dismiss", "sack", "depose", "remove", "topple", "unseat"})
# Verbs whose subject leaves one: "X resigned", "X stepped down / aside", "X retired".
LEAVING_LEMMAS = frozenset({"resign", "quit", "retire"})
STEPPING_PARTICLES = frozenset({"down", "aside"})
# Words right before a name that say the office is sought, not held ("state Senate candidate X").
SEEKING = frozenset({"candidate", "candidates", "nominee", "nominees", "hopeful", "hopefuls", "contender",
                     "challenger"})
PAST_TAGS = frozenset({"VBD", "VBN"})
OBJECT_DEPS = frozenset({"dobj", "nsubjpass"})
MODIFIER_DEPS = frozenset({"amod", "acl"})
ORGANISATION_PREPOSITIONS = frozenset({"of", "for", "at"})
PLACE_TYPES = frozenset({"GPE", "LOC", "NORP"})


def appositive_role(name: Span | None) -> list[Token]:
    """A role appositive after a name, to its head noun ("a retired FBI profiler"); no names."""
    heads = [c for c in name.root.children if c.dep_ == "appos" and c.pos_ == "NOUN"] if name is not None else []
    if name is None or not heads:
        return []
    head = heads[0]
    if _heads_organisation(head):
        return []  # "X, president of the Velde Institute": no government's president
    # "X, then governor, ...": the parser hangs "then" on the name, not on the role it dates.
    dating = [c for c in name.root.children if c.dep_ == "advmod" and name.end <= c.i < head.left_edge.i]
    words = dating + [t for t in head.subtree if t.i <= head.i]
    return [] if any(t.ent_type_ == "PERSON" for t in words) else words


def _heads_organisation(role: Token) -> bool:
    """Whether a role noun is held in an organisation named after it ("president of the Velde
    Institute", "chief executive of Ora Media"), not in a country ("president of Velderia")."""
    objects = [o for p in role.children if p.dep_ == "prep" and p.lower_ in ORGANISATION_PREPOSITIONS
               for o in p.children if o.dep_ == "pobj"]
    return any(t.ent_type_ == "ORG" or (t.pos_ == "PROPN" and t.ent_type_ not in PLACE_TYPES)
               for o in objects for t in o.subtree)


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
    return any(t.lower_ in FORMER for t in said) or left_office(name) or seeks_office(before)


def _dating_words(before: Sequence[Token], appositive: Sequence[Token]) -> list[Token]:
    """The words that may date a name's office: those before it, and an appositive that names an
    office ("Sen. X, a former prisoner of war" still sits in the Senate; "X, a former C.I.A.
    director" left the agency)."""
    dated = any(t.lower_ in FORMER for t in appositive) and _names_role(appositive)  # scan only if it may count
    return [*before, *(appositive if dated else [])]


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
