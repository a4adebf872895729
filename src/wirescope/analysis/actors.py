"""Actor coding: CAMEO/PLOVER actor codes for entities and noun phrases (ISR, ISRGOV, PSEREBHMS...).

Codes come from the gazetteer (``gazetteer.py``: the PETRARCH-2 dictionaries and the project's
``actor_updates.tsv``), loaded once per process.

A phrase is coded from the names it contains, matched token by token (lower case, longest match
first): a named actor covering the phrase's head gives its code ("Hamas leaders" -> PSEREBHMS);
otherwise a role word (agent: president, army chief, protesters, medical sources) takes the
country named in the phrase ("Ukrainian President X" -> UKR + GOV, "medical sources in Gaza" ->
PSE + HLH); a role with no country gets PETRARCH's ``---`` ("protesters" -> ---OPP). Codes with
validity dates are resolved on the document's date; an undated page is resolved on the day after
the latest date in the tables (``register_day``), so its codes never depend on when it is analysed.

An entity is coded on evidence only (``_person_votes``), and gets its stable actor id (``_actor``):
the gazetteer entry's canonical name when a name of the entry identifies it, else its own full
name; a surname alone identifies no one unless the document's full name does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from wirescope.analysis.actor_aliases import alias_mentions, id_number, merge_aliases
from wirescope.analysis.actor_ids import entity_actor, namesake_actor, sons_apart
from wirescope.analysis.gazetteer import (
    ALIAS_KINDS,
    DATED,
    OFFICES,
    PUBLIC_ROLES,
    UNKNOWN_COUNTRY,
    Coded,
    Gazetteer,
    coding_day,
    company_person,
    held_roles,
    is_state_level,
    listed_forms,
    load_gazetteer,
    names_a_place,
    resolve,
    row_kind,
    title_fits,
    title_roles,
    unnamed_foreign_namesake,
    written_title_start,
)
from wirescope.analysis.names import (
    UNIFORMED_RANKS,
    Gender,
    compatible,
    mention_gender,
    name_gender,
    names_a_son,
    title_word,
)
from wirescope.analysis.nlp import doc_text
from wirescope.analysis.phrase_codes import code_tokens
from wirescope.analysis.tenure import (
    appositive_role,
    code_after_leaving,
    code_told_as_past,
    not_held,
    seeks_office,
)
from wirescope.records import Entity, Mention

PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "they", "them", "their", "it", "its"})
# Nouns that count or group their "of" phrase: the members are the actor.
PARTITIVES = frozenset({
    "thousand", "hundred", "dozen", "million", "score", "group", "crowd", "number", "some", "many",
    "most", "member", "part", "majority", "band", "unit",
})
# A word before a name that makes the words before it the person's past service, not a title.
VETERANS = frozenset({"veteran", "veterans"})
# Two-word titles whose first word is a role word alone, but which name no sector: a press secretary
# speaks for whom the phrase names (actor_updates.tsv), and is no journalist.
ROLELESS_TITLES = frozenset({("press", "secretary"), ("press", "secretaries"), ("press", "officer"),
                             ("press", "aide")})
# Entity types whose mentions are read together with the title words before them.
TITLED_TYPES = frozenset({"PERSON"})


def _semantic_head(root: Token, span: Span) -> Token:
    """"thousands of demonstrators", "a group of soldiers": the group's members are the actor."""
    if root.like_num or root.lemma_.lower() in PARTITIVES or root.lower_.rstrip("s") in PARTITIVES:
        for prep in root.children:
            if prep.lower_ == "of":
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if pobj is not None and span.start <= pobj.i < span.end:
                    return pobj
    return root


def code_span(span: Span, when: date | str | None = None) -> str | None:
    """The CAMEO actor code of any noun phrase, or None when nothing in it names an actor or role.

    Examples (the document undated, so the latest office holders the tables know win):
    "Donald Trump" -> USAGOV, "Hamas leaders" -> PSEREBHMS, "the Zionist entity" -> ISR,
    "Israeli media" / "occupation media" -> ISRMED, "the White House" -> USAGOV,
    "Ukrainian President X" -> UKRGOV, "former army chief Y" of Israel -> ISRMIL,
    "medical sources in Gaza" -> PSEHLH, "protesters" -> ---OPP (a role with no country).

    ``when``: the document's date (a ``date`` or an ISO string such as ``Document.published``);
    callers pass it (the event coder passes the page's). Cheap: a few dictionary lookups per
    token, tables loaded once per process.
    """
    tokens = list(span)
    if not tokens:
        return None
    head = _semantic_head(span.root, span).i - span.start
    day = coding_day(when)
    coded = code_tokens(tokens, head, day)
    return coded.code if coded else None


# --- entities -----------------------------------------------------------------------------------


def _mention_span(doc: Doc, mention: Mention, titled: bool) -> Span | None:
    """The mention's tokens; for people, with the title words before the name ("U.S. President"),
    up to another person or a coordination: in "Trump and Sen. X", Trump's name says nothing of X;
    in "Trump's lawyer X", only the country of X's role."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not titled or (span.start > 0 and doc[span.start - 1].lower_ in VETERANS):
        return span  # "Navy veteran X", "Iraq War veteran Y": where X served once, not what X is
    start = min(span.start, span.root.left_edge.i, written_title_start(doc, span.start))
    # Never across a line break: a headline the parser hung on the name is no title of it
    # ("... To 'Reclaim Our Schools.'\n\nX loves the school": X is no school).
    start = max([start, *(i + 1 for i in range(start, span.start) if "\n" in doc[i].text)])
    for i in range(span.start - 1, start - 1, -1):
        person = doc[i].ent_type_ == "PERSON" and not _owns_what_follows(doc, i)
        # A lower-case plural is no one person's title: "groups of voters Mrs. X must win".
        if person or doc[i].pos_ == "CCONJ" or doc[i].text in {",", ";"} or doc[i].tag_ == "NNS" and doc[i].is_lower:
            start = i + 1
            break
    while start < span.start and doc[start].tag_ == "POS":
        start += 1
    return doc[start : span.end]


def _owns_what_follows(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is in a name written as a possessive: "Obama's" in "Obama's former
    campaign manager X" is X's employer, whose country the role takes (``phrase_codes.code_tokens``)."""
    end = i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return end < len(doc) and doc[end].tag_ == "POS"


class _Vote(NamedTuple):
    """What one mention of an entity says about its code, and where in the phrase the gazetteer
    name that gave it lies (``_where``)."""

    coded: Coded
    words: int  # tokens of the mention's name, titles left out
    where: str  # "name" | "before" | "modifier" | "part"
    titles: frozenset[str]  # role words before the name ("president" in "President Kagame")
    mention: Mention
    former: str = ""  # the code a "former" before it turned into ELI (``former_code``), else ""
    stated: frozenset[str] = frozenset()  # roles the text gives the person here (``_stated_roles``)


def _where(coded: Coded, first: int, last: int, person: bool) -> str:
    """Where the name that coded a mention lies against the mention's name (tokens first..last):
    "name", it is the name (a surname the gazetteer ends with counts, ``_ends_name`` checked the
    given names: "Carlos Menem" for "carlos saul menem"); "before", in the words before it ("U.S.
    negotiator X", "Arab League Secretary-General X": an affiliation the text states); "modifier",
    a place or demonym inside it ("Bosnian Serbs"; in a person's name it is a given name: "Chad
    Bown", "Jordan Spieth"); "part", any other part of it ("Trump" in "Nora Trump", "Abdullah" in
    "Abdullah Ocalan"), which is no evidence."""
    if not coded.key:
        return "before" if coded.end <= first else "name"
    inferred = coded.end == last and len(coded.key) > coded.end - coded.start
    if (coded.start <= first and last <= coded.end) or inferred:
        return "name"
    if coded.end <= first:
        return "before"
    if coded.end < last and is_state_level(coded.code, load_gazetteer()) and not person:
        return "modifier"
    return "part"


def _mention_votes(doc: Doc, entity: Entity, day: str, namesakes: frozenset[tuple[str, ...]] = frozenset()
                   ) -> list[_Vote]:
    """What each mention says; a gazetteer name in ``namesakes`` names someone else (``_namesakes``)."""
    gaz = load_gazetteer()
    votes: list[_Vote] = []
    titled = entity.type in TITLED_TYPES
    for mention in entity.mentions:
        if mention.text.lower() in PRONOUNS:
            continue
        span = _mention_span(doc, mention, titled)
        if span is None:
            continue
        name = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        head = (name.root.i if name is not None else span.root.i) - span.start
        appositive = appositive_role(name) if titled else []
        role = _code_role(appositive, day)
        first, last = (name.start, name.end) if name is not None else (span.start, span.end)
        before = list(doc[span.start : first])
        coded = _mention_code(span, head, before, namesakes, day) or role
        if coded is None:
            continue
        inside = titled and coded.kind == "agent" and coded.start >= first  # not "Liberation Front"
        if not coded.key and (inside or _organisation_head(doc[span.start : first], coded)):
            continue  # "Howard Dean" is no dean; "Velco president X" heads no government
        if coded.key and coded.kind == "person" and coded.end <= first:  # "Trump's lawyer X"
            continue
        titles = _title_words(before, gaz)
        # "X, a former C.I.A. director", "Trump fired Secretary X", "In 1964, ... Sen. X" (tenure.py)
        left = "" if coded.dated else (code_after_leaving(coded.code, before, appositive, name)
                                       or code_told_as_past(coded.code, span, name, appositive, titled, day))
        held = _office_beside_candidacy(doc, span.start, day) if left and seeks_office(before) else None
        coded, left = (held, "") if held else (coded, left)
        former, coded = (coded.code, replace(coded, code=left)) if left else ("", coded)
        # "then-Sen. X" in 2016: no role of the day, though the project's rows date X's office then.
        past = former or (coded.dated and not_held(before, appositive, name))
        stated = frozenset() if past else _stated_roles(doc[max(first - 2, 0) : first], titles, role)
        votes.append(_Vote(coded, last - first, _where(coded, first, last, titled), titles, mention, former, stated))
    return votes


def _title_words(before: Sequence[Token], gaz: Gazetteer) -> frozenset[str]:
    """The role words written before a name, one form each ("Gov." and "Governor": ``title_word``);
    not the first word of a title that names no sector ("press" of "press secretary")."""
    following = [t.lower_ for t in before[1:]] + [""]
    return frozenset(title_word(t.text) for t, after in zip(before, following)
                     if (t.lower_,) in gaz.agents and (t.lower_, after) not in ROLELESS_TITLES)


def _mention_code(span: Span, head: int, before: list[Token], namesakes: frozenset[tuple[str, ...]], day: str
                  ) -> Coded | None:
    """The code of a mention's phrase; where its name is a namesake's (``_namesakes``), of the title
    ``before`` it alone ("Capt." of "Capt. X")."""
    coded = code_tokens(list(span), head, day, named=True)
    if coded is not None and coded.key in namesakes:
        return code_tokens(before, len(before) - 1, day, named=True) if before else None
    return coded


def _stated_roles(before: Span, titles: frozenset[str], role: Coded | None) -> frozenset[str]:
    """The roles the text gives a person in one mention: its titles, a uniformed rank in the words ``before``
    it ("Capt. X", which the parse may leave out of the name's phrase), an appositive ("X, a
    blogger": MED); the elite (ELI) is no role."""
    roles = title_roles(load_gazetteer(), titles) | ({role.code[3:6]} if role is not None else set())
    if any(t.lower_.rstrip(".") in UNIFORMED_RANKS for t in before):
        roles |= {"MIL", "COP"}
    return frozenset(roles - {"ELI", ""})


def _namesakes(votes: list[_Vote], known: Coded | None) -> tuple[frozenset[tuple[str, ...]], frozenset[str]]:
    """The full names of people the gazetteer holds in an office on the day whom the text gives only
    roles of other kinds, and those roles: "Capt. Ron Johnson of the state patrol" is not the sitting
    senator, "Mike Flynn, a blogger" not the serving general. A role that fits keeps the person
    ("Sen. X, a physician"), and so does another office of public life for a person in public life
    ("Senator Kerry" in 2016, when the tables know him as secretary of state only)."""
    stated = frozenset().union(*(v.stated for v in votes))
    if not stated:
        return frozenset(), stated
    gaz = load_gazetteer()
    named = [v.coded for v in votes if v.where == "name" and v.words > 1] + ([known] if known else [])
    keys = {c.key for c in named if c.key and c.in_office and c.code[3:6] in OFFICES | {"MIL"}}
    public = stated & PUBLIC_ROLES
    return frozenset(k for k in keys if not stated & (held := held_roles(gaz, k))
                     and not (public and held & PUBLIC_ROLES)), stated


def _office_beside_candidacy(doc: Doc, start: int, day: str) -> Coded | None:
    """"Connecticut Attorney General and U.S. Senate candidate X": the office held, coordinated
    before the candidacy (``_mention_span`` stops at the "and"), is X's on the day, not the elite a
    candidacy alone makes of X."""
    conj = start - 1
    if conj < 1 or doc[conj].lower_ != "and":
        return None
    begin = conj
    while begin > 0 and doc[begin - 1].text[:1].isupper() and doc[begin - 1].ent_type_ != "PERSON" \
            and not doc[begin].is_sent_start:
        begin -= 1
    coded = code_tokens(list(doc[begin:conj]), conj - begin - 1, day) if begin < conj else None
    return coded if coded is not None and not coded.key and coded.code[3:6] in OFFICES else None


def _code_role(words: list[Token], day: str) -> Coded | None:
    """The code of a role stated in an appositive, as a title written with the name."""
    coded = code_tokens(words, len(words) - 1, day, named=True) if words else None
    # "X, a 40-year-old man": the dictionary's generic people (PPL) are no role of a named person.
    if coded is None or coded.code.endswith("PPL"):
        return None
    # The role is dated by the text, not by the rows of a name inside it ("Obama's former chief of staff").
    return replace(coded, kind="title", key=(), dated=False, in_office=False)


def _organisation_head(before: Span, coded: Coded) -> bool:
    """A government role with no country after an organisation the tagger found ("NCAA President
    X", "Velco president Y") or an acronym it did not tag ("AFL-CIO President X"; a place in
    capitals has a country, so its role is never "---GOV"): the organisation's head, not a government's."""
    return coded.code == UNKNOWN_COUNTRY + "GOV" and any(t.i < coded.start and (t.ent_type_ == "ORG" or (
        len(t.text) > 1 and t.text.isalpha() and t.text.isupper())) for t in before)


def _canonical(coded: Coded) -> str:
    return load_gazetteer().canonical.get(coded.key) or " ".join(coded.key)


def _person_votes(text: str, entity: Entity, votes: list[_Vote]) -> list[Coded]:
    """The votes that are evidence for a person. A role written in the text counts; a gazetteer
    name counts when it covers the whole name written. A surname alone counts when the document's
    full name of the entity is the same actor; with no full name in the document, when it is a name
    the gazetteer lists for one actor ("Trump") or comes with a role ("President Kagame"), and the
    actor's given name does not contradict the gender the text gives the entity ("Mrs. Trump")."""
    named = {_canonical(v.coded) for v in votes if v.coded.key and v.where == "name" and v.words > 1}
    has_full_name = any(len(m.text.split()) > 1 for m in entity.mentions)
    gender = mention_gender(text, [(m.start, m.text) for m in entity.mentions])
    return [v.coded for v in votes if _is_evidence(v, named, has_full_name, gender)]


def _is_evidence(vote: _Vote, named: set[str], has_full_name: bool, gender: Gender | None) -> bool:
    coded = vote.coded
    if vote.where == "part" or vote.where == "name" and names_a_place(load_gazetteer(), coded.key):
        return False  # "Trump" in "Nora Trump": a namesake; "Monterrey" tagged a person: a place
    if not coded.key or vote.where != "name" or vote.words > 1:
        return True
    if has_full_name:
        return _canonical(coded) in named
    # Not a surname the gazetteer merely ends with, unless a title of the person's office says it is.
    titled = bool(vote.titles) and title_fits(load_gazetteer(), vote.titles, coded.key)
    listed_or_titled = len(coded.key) == 1 or titled
    return listed_or_titled and compatible(gender, name_gender(_canonical(coded).lower().split()))


def _code_entity(doc: Doc, entity: Entity, day: str, text: str) -> tuple[Coded | None, str | None]:
    """The code most of the entity's evidence gives (the more specific one on a tie), and its
    actor id (``records.actor_id``)."""
    votes, known, namesake_roles = _votes_and_known(doc, entity, day)
    person = entity.type == "PERSON"
    kept = _person_votes(text, entity, votes) if person else [v.coded for v in votes]
    # "former Gov. X" once in the article: X's other mentions are no longer in that office either.
    formers = {v.former: v.coded.code for v in votes if v.former}
    kept = [replace(c, code=formers[c.code]) if c.code in formers and not c.dated else c for c in kept]
    kept = _stated_office_first(kept + ([known] if known else []), votes, set(formers.values()))
    by_code: dict[str, list[Coded]] = {}
    for coded in kept:
        by_code.setdefault(coded.code, []).append(coded)
    # Whose name: a person's evidence; an organisation's own names, not the aliases that join it.
    named = [v.coded for v in votes if v.where == "name" and v.coded.key and (
        v.coded in kept if person else entity.type == "ORG" and v.coded.kind not in ALIAS_KINDS)]
    actor = entity_actor(entity, [(_canonical(c), c.kind) for c in named + ([known] if known else [])])
    actor = namesake_actor(actor, namesake_roles) if namesake_roles and actor else actor
    if not by_code:
        return None, actor
    code = max(by_code, key=lambda c: (len(by_code[c]), len(c), -min(v.start for v in by_code[c])))
    best = by_code[code]
    chosen = next((v for v in best if v.kind in ALIAS_KINDS or v.root), best[0])
    return (company_person(chosen) if person else chosen), actor


def _votes_and_known(doc: Doc, entity: Entity, day: str) -> tuple[list[_Vote], Coded | None, frozenset[str]]:
    """The mentions' votes and, for a person whose full name the gazetteer lists only in another form,
    that entry (``_known_person``). A namesake of a gazetteer person (``_namesakes``) is voted without
    the gazetteer's name; the roles that told them apart come third."""
    votes = _mention_votes(doc, entity, day)
    if entity.type != "PERSON":
        return votes, None, frozenset()
    # No full name the gazetteer lists as written: another form of it may be listed.
    full = any(v.where == "name" and v.coded.key and v.words > 1 for v in votes)
    known = None if full else _known_person(entity, day)
    namesakes, stated = _namesakes(votes, known)
    # A foreign name of the dictionary in a document that never names its country is no one here: voted
    # without, and no namesake of the gazetteer's person for the actor id.
    foreign = {c.key for c in [*(v.coded for v in votes if v.where == "name"), *([known] if known else [])]
               if c.key and unnamed_foreign_namesake(doc, c.key, c.code, day)}
    if not namesakes and not foreign:
        return votes, known, frozenset()
    kept = None if namesakes or (known is not None and known.key in foreign) else known
    return _mention_votes(doc, entity, day, namesakes | foreign), kept, stated if namesakes else frozenset()


def _stated_office_first(kept: list[Coded], votes: list[_Vote], formers: set[str]) -> list[Coded]:
    """An office the text states with a title on the article's day ("Gov. X" in 2015) outranks the
    gazetteer's undated default for the person, the country's elite (ELI), which the person's
    untitled mentions ("X said") would otherwise outvote it with. Not an ELI a "former" gave."""
    stated = {v.coded.code[:3] for v in votes if v.titles and v.coded.code[3:6] in OFFICES and not v.former}
    return [c for c in kept if not (c.code[3:] == "ELI" and c.code[:3] in stated and not c.dated
                                    and c.code not in formers)] if stated else kept


def _known_person(entity: Entity, day: str) -> Coded | None:
    """A full name the gazetteer lists in another form (``gazetteer.listed_forms``: "Joseph R.
    Biden Jr." -> "joseph biden"); a son's name is not his father's. Only when every form found
    names one actor."""
    gaz = load_gazetteer()
    found = {k for m in entity.mentions if not names_a_son(m.text) for k in listed_forms(gaz, m.text)}
    if len({gaz.canonical.get(k) or " ".join(k) for k in found}) != 1:
        return None
    key = min(found)
    rows = gaz.actors[key]
    kind = row_kind(rows)
    code, strength = resolve(rows, day)
    return Coded(code, kind, any(r.root for r in rows), 0, 0, key, in_office=strength == DATED)


def code_actors(
    doc: Doc, entities: tuple[Entity, ...], published: str | date | None = None
) -> tuple[Entity, ...]:
    """The entities with their ``code`` filled where the actor can be coded.

    Entities the gazetteer names as one actor are merged (the lower id is kept, mentions sorted):
    "Israel", "the Zionist entity" and "the occupation entity" become one entity coded ISR.
    ``published``: the document's date; undated pages are coded on ``register_day()``.
    """
    day = coding_day(published)
    text = doc_text(doc)
    entities = _split_namesakes(doc, entities, day)
    found = {e.id: _code_entity(doc, e, day, text) for e in entities}
    coded = {eid: code for eid, (code, _) in found.items()}
    aliases = alias_mentions(doc, day)
    merged = merge_aliases(list(entities), coded, aliases)
    return sons_apart([_identified(e, coded.get(e.id), found.get(e.id)) for e in merged])


def _split_namesakes(doc: Doc, entities: tuple[Entity, ...], day: str) -> tuple[Entity, ...]:
    """A surname with a role the gazetteer gives another person of that surname ("President
    Trump" in an article whose only full name is "Ivanka Trump") is that person, not the document's
    namesake: its mentions leave the entity and become an entity of their own (new ids after the
    last). Not when the document writes the same role before the full name ("Valdorian President
    Amira Solberg" ... "President Solberg")."""
    out = list(entities)
    number = max((id_number(e.id) for e in entities), default=0) + 1
    for index, entity in enumerate(entities):
        if entity.type != "PERSON" or not any(len(m.text.split()) > 1 for m in entity.mentions):
            continue
        votes = _mention_votes(doc, entity, day)
        full = [v for v in votes if v.words > 1]
        named = {_canonical(v.coded) for v in full if v.coded.key and v.where == "name"}
        roles = {t for v in full for t in v.titles}
        # A son's name ("Donald Trump Jr."): a surname the gazetteer lists for one actor is his father.
        son = any(names_a_son(m.text) for m in entity.mentions)
        moved: dict[str, list[Mention]] = {}
        for v in votes:
            titled = bool(v.titles) or (son and len(v.coded.key) == 1)
            # A namesake known by the surname alone or in office on the day: "Gov. Christie" is not
            # a Bahamian premier years out of office whom the gazetteer knows only by his full name.
            known = len(v.coded.key) == 1 or v.coded.in_office
            titled_surname = v.words == 1 and v.where == "name" and known and titled
            if titled_surname and not v.titles & roles and _canonical(v.coded) not in named:
                moved.setdefault(_canonical(v.coded), []).append(v.mention)
        if not moved:
            continue
        gone = {m for group in moved.values() for m in group}
        out[index] = replace(entity, mentions=tuple(m for m in entity.mentions if m not in gone))
        for group in moved.values():
            out.append(Entity(f"e{number}", group[0].text, "PERSON", tuple(sorted(group))))
            number += 1
    return tuple(out)


def _identified(entity: Entity, coded: Coded | None, found: tuple[Coded | None, str | None] | None) -> Entity:
    """The entity with its code and actor id; a merged or new alias entity is named by its own
    (canonical) name, not by the alias that joined it."""
    actor = found[1] if found is not None and found[0] is coded else entity_actor(entity, [])
    return replace(entity, code=coded.code if coded else None, actor=actor)

