"""Actor coding: CAMEO/PLOVER actor codes for entities and noun phrases (ISR, ISRGOV, PSEREBHMS...).

Codes come from two tables, loaded once per process:

* ``data/actors_gazetteer.tsv.gz``: the PETRARCH-2 (Phoenix) actor and agent dictionaries,
  converted by ``scripts/build_gazetteer.py`` (MIT licence, notice in ``data/``);
* ``data/actor_updates.tsv``: the project's own rows: office holders since 2019, aliases and
  partisan names ("Zionist entity" -> ISR, "occupation media" -> ISRMED), extra agent words. A
  name listed there replaces every dictionary row of the same name.

A phrase is coded from the names it contains, matched token by token (lower case, longest match
first): a named actor covering the phrase's head gives its code ("Hamas leaders" -> PSEREBHMS);
otherwise a role word (agent: president, army chief, protesters, medical sources) takes the
country named in the phrase ("Ukrainian President X" -> UKR + GOV, "medical sources in Gaza" ->
PSE + HLH); a role with no country gets PETRARCH's ``---`` ("protesters" -> ---OPP). Codes with
validity dates are resolved on the document's date; an undated page is resolved on the day after
the latest date in the tables (``register_day``), so its codes never depend on when it is analysed.
"""

from __future__ import annotations

import calendar
import gzip
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from wirescope.records import Entity, Mention

GAZETTEER_FILE = "actors_gazetteer.tsv.gz"
UPDATES_FILE = "actor_updates.tsv"
UNKNOWN_COUNTRY = "---"  # PETRARCH's code for a role whose country the text does not say
# Primary codes that are not states: their codes name one organisation and take no role suffix.
NON_STATE_PRIMARIES = frozenset({"IGO", "NGO", "IMG", "MNC", "NGM", "INT", "UIS"})
# Kinds of update rows whose names are other names of an actor: merged into its entity.
ALIAS_KINDS = frozenset({"alias", "partisan"})
PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "they", "them", "their", "it", "its"})
SMALL_WORDS = frozenset({"of", "the", "and"})  # kept lower case in a canonical name
# Nouns that count or group their "of" phrase: the members are the actor.
PARTITIVES = frozenset({
    "thousand", "hundred", "dozen", "million", "score", "group", "crowd", "number", "some", "many",
    "most", "member", "part", "majority", "band", "unit",
})
# Dependencies of a word that modifies a noun rather than heading its own phrase.
MODIFIER_DEPS = frozenset({"compound", "amod"})
# Offices the dictionaries give people, with dates (organisations are rarely dated and coded so).
PERSON_ROLES = frozenset({"GOV", "MIL", "LEG", "JUD", "OPP", "ELI"})
# Entity types whose mentions are read together with the title words before them.
TITLED_TYPES = frozenset({"PERSON"})


class ActorRow(NamedTuple):
    """One code of one name, valid from ``start`` to ``end`` (ISO dates, None: open).

    A NamedTuple, not a dataclass: 45,000 of them are built at load, three times faster so.
    """

    code: str
    start: str | None = None
    end: str | None = None
    kind: str = "dictionary"  # dictionary | person | org | alias | partisan | agent
    root: bool = False  # the canonical name of its dictionary block ("israel" for ISR)

    def valid_on(self, day: str) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Gazetteer:
    """Names (tuples of lower-cased tokens) to their actor rows, and to agent (role) codes."""

    actors: dict[tuple[str, ...], tuple[ActorRow, ...]]
    agents: dict[tuple[str, ...], str]
    max_len: int
    roles: frozenset[str]  # three-letter role codes (GOV, MIL, REB...) to tell actors from places
    firsts: frozenset[str]  # first tokens of every name: most tokens start none
    surnames: dict[str, tuple[str, ...]]  # a surname -> the one person's full name that ends with it
    names: dict[str, str]  # state code -> the dictionary's canonical name ("ISR" -> "Israel")


@dataclass(frozen=True)
class Coded:
    """The code of a phrase and how it was found."""

    code: str
    kind: str  # the kind of the row that named the actor, or "agent" / "title"
    root: bool = False
    start: int = 0  # token offsets of the matched name inside the doc
    end: int = 0


def _data_text(name: str) -> str:
    path = resources.files("wirescope") / "data" / name
    raw = path.read_bytes()
    return (gzip.decompress(raw) if name.endswith(".gz") else raw).decode("utf-8")


def _bound(text: str, end: bool) -> str | None:
    """``2021`` / ``2021-06`` / ``2021-06-13`` as the first (or last) ISO day it covers.

    Day 31 closes every month: the bound is compared as a string, never built as a date.
    """
    if not text:
        return None
    parts = text.split("-")
    fill = ["12", "31"] if end else ["01", "01"]
    return "-".join(parts + fill[len(parts) - 1 :])


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Both tables, parsed once per process (about 48,600 dictionary rows)."""
    actors, agents, names = _read_dictionary(_data_text(GAZETTEER_FILE))
    updates, update_agents = _read_updates(_data_text(UPDATES_FILE))
    actors.update(updates)  # the project's rows replace the dictionary's rows of the same name
    agents.update(update_agents)
    roles = frozenset(code[i : i + 3] for code in agents.values() for i in range(0, len(code), 3))
    max_len = max(len(k) for k in [*actors, *agents])
    firsts = frozenset(k[0] for k in [*actors, *agents])
    surnames = _surnames(actors, agents, roles)
    return Gazetteer({k: tuple(v) for k, v in actors.items()}, agents, max_len, roles, firsts,
                     surnames, names)


def _read_dictionary(
    text: str,
) -> tuple[dict[tuple[str, ...], list[ActorRow]], dict[tuple[str, ...], str], dict[str, str]]:
    """Actor rows, agent codes and canonical state names of the built gazetteer (pre-tokenized)."""
    actors: dict[tuple[str, ...], list[ActorRow]] = {}
    agents: dict[tuple[str, ...], str] = {}
    names: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line:
            continue
        tokens, code, start, end, root = line.split("\t")
        key = tuple(tokens.split(" "))
        if code.startswith("~"):
            agents[key] = code[1:]
            continue
        actors.setdefault(key, []).append(ActorRow(code, start or None, end or None, root=root == "1"))
        if root == "1" and len(code) == 3:
            names.setdefault(code, " ".join(w if w in SMALL_WORDS else w.capitalize() for w in key))
    return actors, agents, names


def _read_updates(text: str) -> tuple[dict[tuple[str, ...], list[ActorRow]], dict[tuple[str, ...], str]]:
    """The project's rows, names tokenized by the pipeline's tokenizer (a few hundred patterns)."""
    from wirescope.analysis.nlp import load_nlp

    tokenizer = load_nlp().tokenizer
    actors: dict[tuple[str, ...], list[ActorRow]] = {}
    agents: dict[tuple[str, ...], str] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cells = (line.split("\t") + [""] * 6)[:6]
        patterns, code, year_from, year_to, kind, _note = (c.strip() for c in cells)
        for pattern in patterns.split("|"):
            key = tuple(t.lower_ for t in tokenizer(pattern.strip()))
            if not key:
                continue
            if code.startswith("~"):
                agents[key] = code[1:]
            else:
                actors.setdefault(key, []).append(
                    ActorRow(code, _bound(year_from, end=False), _bound(year_to, end=True), kind=kind)
                )
    return actors, agents


def _surnames(
    actors: dict[tuple[str, ...], list[ActorRow]], agents: dict[tuple[str, ...], str], roles: frozenset[str]
) -> dict[str, tuple[str, ...]]:
    """Surname -> full name, for surnames of exactly one person (a name of 2-4 words coded as the
    elite, or as an office with dates, as the dictionaries code people) and no other name or role."""
    owners: dict[str, set[tuple[str, ...]]] = {}
    for key, rows in actors.items():
        if not 2 <= len(key) <= 4 or not key[-1].isalpha() or len(key[-1]) < 4:
            continue
        if any(r.code[3:6] == "ELI" for r in rows) or any(
            (r.start or r.end) and r.code[3:6] in PERSON_ROLES for r in rows
        ):
            owners.setdefault(key[-1], set()).add(key)
    return {
        last: next(iter(keys)) for last, keys in owners.items()
        if len(keys) == 1 and (last,) not in actors and (last,) not in agents and last not in roles
    }


# How sure a resolved code is: a dated row valid on the day, an undated default, or neither.
DATED, UNDATED, STALE = 2, 1, 0


def resolve(rows: Sequence[ActorRow], day: str) -> tuple[str, int]:
    """The code valid on ``day`` (ISO date) and how it was found (DATED, UNDATED or STALE).

    Dated rows valid that day win (the project's first, then the latest start); then undated rows;
    else the latest row, with an office (GOV, MIL) turned into the country's elite (ELI): a former
    office holder named in today's news is no longer the government.
    """
    dated = [r for r in rows if r.start or r.end]
    valid = [r for r in dated if r.valid_on(day)]
    if valid:
        best = max(valid, key=lambda r: (r.kind != "dictionary", r.start or ""))
        return best.code, DATED
    undated = [r for r in rows if not (r.start or r.end)]
    if undated:
        return next((r.code for r in undated if r.kind != "dictionary"), undated[0].code), UNDATED
    latest = max(dated, key=lambda r: r.end or "9999")
    if len(latest.code) >= 6 and latest.code[3:6] in {"GOV", "MIL"}:
        return latest.code[:3] + "ELI", STALE
    return latest.code, STALE


@lru_cache(maxsize=1)
def register_day() -> str:
    """The day an undated page is coded on: the day after the latest date the actor tables name.

    On it every office change the tables know of has happened, which is what "today" gave before,
    but it depends on the data shipped, never on the day a page is analysed.
    """
    gaz = load_gazetteer()
    latest = max(bound for rows in gaz.actors.values() for r in rows for bound in (r.start, r.end) if bound)
    year, month, day = (int(part) for part in latest.split("-"))
    # Bounds close months on day 31 (see _bound): clamp before building a date.
    day = min(day, calendar.monthrange(year, month)[1])
    return (date(year, month, day) + timedelta(days=1)).isoformat()


def _day(when: date | str | None) -> str:
    """The ISO day a page is coded on: its publication day, else ``register_day()``."""
    if isinstance(when, date):
        return when.isoformat()
    try:
        return date.fromisoformat((when or "").strip()[:10]).isoformat()
    except ValueError:
        return register_day()


def _scan(tokens: Sequence[Token], gaz: Gazetteer) -> list[tuple[int, int, str, tuple[str, ...]]]:
    """Names in ``tokens``, longest first, left to right: (start, end, "actor" | "agent", key).

    A dictionary lookup per n-gram rather than a PhraseMatcher: the phrases the coder reads are a
    few tokens long, and a lookup needs no pattern Docs for 40,000 names. A capitalised proper
    noun that ends a name and is the surname of exactly one person of the gazetteer is that person
    ("President Kagame" -> "paul kagame").
    """
    lowers = [t.lower_ for t in tokens]
    found: list[tuple[int, int, str, tuple[str, ...]]] = []
    i, n = 0, len(lowers)
    while i < n:
        hit = None
        if lowers[i] in gaz.firsts:
            for j in range(min(n, i + gaz.max_len), i, -1):
                key = tuple(lowers[i:j])
                if key in gaz.actors and (j - i > 1 or not tokens[i].is_lower):
                    hit = (i, j, "actor", key)  # one lower-case word is a noun: "turkey", "chad"
                    break
                if key in gaz.agents:
                    hit = (i, j, "agent", key)
                    break
        if hit is None and lowers[i] in gaz.surnames and _ends_name(tokens, i, gaz):
            hit = (i, i + 1, "actor", gaz.surnames[lowers[i]])
        if hit is None:
            i += 1
            continue
        found.append(hit)
        i = hit[1]
    return found


def _ends_name(tokens: Sequence[Token], i: int, gaz: Gazetteer) -> bool:
    """A surname ending a name whose other words belong to the person's full name or are titles:
    "President Kagame" and "Carlos Menem" (for "carlos saul menem"), never "Marta Ilves" for
    Toomas Hendrik Ilves."""
    token = tokens[i]
    if token.pos_ != "PROPN" or not token.text[:1].isupper():
        return False
    if i + 1 < len(tokens) and tokens[i + 1].pos_ == "PROPN":
        return False
    full = set(gaz.surnames[token.lower_])
    j = i - 1
    while j >= 0 and tokens[j].pos_ == "PROPN" and (tokens[j].lower_,) not in gaz.agents:
        if tokens[j].lower_ not in full:
            return False
        j -= 1
    return True


def _is_state_level(code: str, gaz: Gazetteer) -> bool:
    """ISR, USA, PSEGZA (a place): codes that take a role; not PSEREBHMS, USAGOV or IGOUNO."""
    if code[:3] in NON_STATE_PRIMARIES:
        return False
    return len(code) == 3 or code[3:6] not in gaz.roles


class _Name(NamedTuple):
    """A gazetteer name found in a phrase (token offsets inside the phrase), its code resolved."""

    start: int
    end: int
    code: str
    strength: int  # DATED, UNDATED or STALE
    kind: str
    root: bool


def _code_tokens(tokens: Sequence[Token], head: int, day: str) -> Coded | None:
    """Code of the phrase ``tokens`` whose syntactic head is ``tokens[head]``."""
    gaz = load_gazetteer()
    found = _scan(tokens, gaz)
    if not found:
        return None
    base = tokens[0].i
    names, agents = _names_and_roles(found, gaz, day)
    on_head = next((n for n in names if n.start <= head < n.end), None)
    title = _head_title(agents, tokens, head)
    if on_head is not None:
        # No office known for the day, but the text gives one with a nationality ("Venezuelan
        # President X"): the text, written on the day, wins over the gazetteer's default.
        country = _country(n for n in names if n is not on_head)
        if on_head.strength < DATED and title is not None and title[1] <= on_head.start and country:
            return Coded(country + title[2], "title", False, base + on_head.start, base + on_head.end)
        return _coded(on_head, base)
    if title is not None:
        s, e, role = title
        orgs = [n for n in names if not _is_state_level(n.code, gaz) and not _inside_name(tokens, n.start, head)]
        if orgs:  # an organisation in the phrase is the actor: "Hamas leaders"
            return _coded(orgs[-1], base)
        return Coded((_country(names) or UNKNOWN_COUNTRY) + role, "agent", False, base + s, base + e)
    # No role word: a country or place modifying the head ("Israeli society") names the actor,
    # else one located after it ("militias in Tripoli", "a group based in Trinidad").
    before = [n for n in names if n.end <= head]
    name = before[-1] if before else names[0] if names else None
    return _coded(name, base) if name else None


def _coded(name: _Name, base: int) -> Coded:
    """A name found in a phrase starting at token ``base``, as the phrase's code."""
    return Coded(name.code, name.kind, name.root, base + name.start, base + name.end)


def _names_and_roles(
    found: list[tuple[int, int, str, tuple[str, ...]]], gaz: Gazetteer, day: str
) -> tuple[list[_Name], list[tuple[int, int, str]]]:
    """The names (coded for ``day``) and the role words (start, end, role code) of a phrase."""
    names: list[_Name] = []
    agents: list[tuple[int, int, str]] = []
    for s, e, what, key in found:
        if what == "agent":
            agents.append((s, e, gaz.agents[key]))
            continue
        rows = gaz.actors[key]
        code, strength = resolve(rows, day)
        kind = next((r.kind for r in rows if r.kind != "dictionary"), "dictionary")
        names.append(_Name(s, e, code, strength, kind, any(r.root for r in rows)))
        if key in gaz.agents:
            agents.append((s, e, gaz.agents[key]))
    # A name that is also a role ("Senate": USAGOVLEG or LEG) is the role when another state is
    # named in the phrase ("Rwanda's Senate" -> RWALEG).
    role_names = {(a[0], a[1]) for a in agents}
    if any(_is_state_level(n.code, gaz) for n in names if (n.start, n.end) not in role_names):
        return [n for n in names if (n.start, n.end) not in role_names], agents
    return names, [a for a in agents if not any((a[0], a[1]) == (n.start, n.end) for n in names)]


def _head_title(
    agents: list[tuple[int, int, str]], tokens: Sequence[Token], head: int
) -> tuple[int, int, str] | None:
    """The role word on the phrase's head, or the title before a name, widened to the role words
    before it."""
    title = next((a for a in agents if a[0] <= head < a[1]), None)
    if title is None and agents and tokens[head].pos_ == "PROPN":
        title = agents[-1]  # the title before a name: "former army chief Y"; not "business record"
    # Of role words side by side, the first names the sector: "union president" is labour.
    while title is not None:
        modifier = next((a for a in agents if a[1] == title[0]), None)
        if modifier is None:
            break
        title = (modifier[0], title[1], modifier[2])
    return title


def _inside_name(tokens: Sequence[Token], start: int, head: int) -> bool:
    """Whether tokens[start] is part of the proper name that the head ends ("Omar Hassan al-Bashir")."""
    return start < head and all(t.pos_ == "PROPN" for t in tokens[start : head + 1])


def _country(names: Iterable[_Name]) -> str | None:
    """The three-letter country of the first state or place among ``names``."""
    gaz = load_gazetteer()
    return next((n.code[:3] for n in names if _is_state_level(n.code, gaz)), None)


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
    day = _day(when)
    coded = _code_tokens(tokens, head, day)
    return coded.code if coded else None


# --- entities -----------------------------------------------------------------------------------


def _mention_span(doc: Doc, mention: Mention, titled: bool) -> Span | None:
    """The mention's tokens; for people, with the title words before the name ("U.S. President")."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not titled:
        return span
    left = span.root.left_edge.i
    start = min(span.start, left)
    return doc[start : span.end]


def _code_entity(doc: Doc, entity: Entity, day: str) -> Coded | None:
    """The code most of the entity's named mentions get; the more specific one on a tie."""
    votes: dict[str, list[Coded]] = {}
    titled = entity.type in TITLED_TYPES
    for mention in entity.mentions:
        if mention.text.lower() in PRONOUNS:
            continue
        span = _mention_span(doc, mention, titled)
        if span is None:
            continue
        name = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        head = (name.root.i if name is not None else span.root.i) - span.start
        coded = _code_tokens(list(span), head, day)
        if coded is not None:
            votes.setdefault(coded.code, []).append(coded)
    if not votes:
        return None
    code = max(votes, key=lambda c: (len(votes[c]), len(c), -min(v.start for v in votes[c])))
    best = votes[code]
    return next((v for v in best if v.kind in ALIAS_KINDS or v.root), best[0])


def _alias_mentions(doc: Doc, day: str) -> list[tuple[Mention, str]]:
    """Multi-word aliases and partisan names in the analysed text ("the occupation entity").

    spaCy does not tag them as entities, so they are found here and joined to their actor.
    """
    gaz = load_gazetteer()
    text = doc.text  # rebuilt on each access: read once
    tokens = list(doc)
    out = []
    for s, e, what, key in _scan(tokens, gaz):
        if what != "actor" or e - s < 2:
            continue
        rows = gaz.actors[key]
        if not any(r.kind in ALIAS_KINDS for r in rows):
            continue
        if tokens[s:e][-1].dep_ in MODIFIER_DEPS:
            continue  # part of a longer name: "Zionist army chief X" is X, not the army
        first = tokens[s + 1] if tokens[s].lower_ == "the" else tokens[s]
        start, end = first.idx, tokens[e - 1].idx + len(tokens[e - 1].text)
        out.append((Mention(start, end, text[start:end]), resolve(rows, day)[0]))
    return out


def _id_number(entity_id: str) -> int:
    digits = entity_id.lstrip("e")
    return int(digits) if digits.isdigit() else 0


def _compatible(a: Entity, b_type: str) -> bool:
    """Aliases join states and organisations, demonyms join demonyms; never a person."""
    if a.type == "PERSON" or b_type == "PERSON":
        return False
    return (a.type == "NORP") == (b_type == "NORP")


def _strip_covered(by_id: dict[str, Entity], aliases: list[tuple[Mention, str]]) -> None:
    """A longer alias mention replaces the mentions inside it ("Zionist" in "Zionist entity")."""
    for mention, _ in aliases:
        for eid, entity in list(by_id.items()):
            kept = tuple(m for m in entity.mentions if not (mention.start <= m.start and m.end <= mention.end))
            if len(kept) != len(entity.mentions):
                by_id[eid] = replace(entity, mentions=kept)


def _merge(
    entities: list[Entity], coded: dict[str, Coded | None], aliases: list[tuple[Mention, str]]
) -> list[Entity]:
    """Entities that the gazetteer says are one actor become one: the lowest id, mentions sorted.

    Only names the project lists as aliases (or partisan names) of an actor cause a merge: cities
    coded as their state (Jerusalem -> ISR) stay apart. Demonyms (NORP) merge with demonyms, states
    and organisations with each other, people never.
    """
    by_id = {e.id: e for e in entities}
    _strip_covered(by_id, aliases)
    loose: dict[str, list[Mention]] = {}
    for mention, code in aliases:
        loose.setdefault(code, []).append(mention)
    next_number = max((_id_number(e.id) for e in entities), default=0) + 1
    codes = sorted({c.code for c in coded.values() if c} | set(loose))
    for code, norp in ((c, n) for c in codes for n in (True, False)):
        group = [
            e for e in by_id.values()
            if e.mentions and e.type != "PERSON" and (e.type == "NORP") == norp
            and coded.get(e.id) is not None and coded[e.id].code == code  # type: ignore[union-attr]
        ]
        extra = [] if norp else loose.get(code, [])
        if not (extra or any(coded[e.id].kind in ALIAS_KINDS for e in group)):  # type: ignore[union-attr]
            continue
        if not group:
            if extra:
                eid = f"e{next_number}"
                next_number += 1
                by_id[eid] = _alias_entity(eid, code, extra)
                coded[eid] = Coded(code, "alias")
            continue
        # The aliases join one entity: a non-alias one, the dictionary's canonical name first
        # ("Israel", not "Zionist entity"); other names of the same code (Jerusalem) stay apart.
        aliased = [e for e in group if coded[e.id].kind in ALIAS_KINDS]  # type: ignore[union-attr]
        plain = [e for e in group if e not in aliased]
        target = min(plain or aliased, key=lambda e: (not coded[e.id].root, _id_number(e.id)))  # type: ignore[union-attr]
        members = [target] + [e for e in aliased if e is not target]
        if len(members) == 1 and not extra:
            continue
        lowest = min(members, key=lambda e: _id_number(e.id)).id
        mentions = {m for e in members for m in e.mentions} | set(extra)
        for e in members:
            del by_id[e.id]
        by_id[lowest] = replace(target, id=lowest, mentions=tuple(sorted(mentions)))
        coded[lowest] = coded[target.id]
    return sorted((e for e in by_id.values() if e.mentions), key=lambda e: _id_number(e.id))


def _alias_entity(eid: str, code: str, mentions: list[Mention]) -> Entity:
    """A new entity for aliases naming an actor no entity stands for ("occupation media")."""
    name = load_gazetteer().names.get(code)
    return Entity(
        id=eid,
        name=name or mentions[0].text,
        type="GPE" if len(code) == 3 else "ORG",
        mentions=tuple(sorted(set(mentions))),
    )


def code_actors(
    doc: Doc, entities: tuple[Entity, ...], published: str | date | None = None
) -> tuple[Entity, ...]:
    """The entities with their ``code`` filled where the actor can be coded.

    Entities the gazetteer names as one actor are merged (the lower id is kept, mentions sorted):
    "Israel", "the Zionist entity" and "the occupation entity" become one entity coded ISR.
    ``published``: the document's date; undated pages are coded on ``register_day()``.
    """
    day = _day(published)
    coded = {e.id: _code_entity(doc, e, day) for e in entities}
    aliases = _alias_mentions(doc, day)
    merged = _merge(list(entities), coded, aliases)
    return tuple(replace(e, code=found.code) if (found := coded.get(e.id)) else e for e in merged)

