"""The code of one phrase from the gazetteer names and role words it holds (``code_tokens``).

A named actor covering the phrase's head gives its code ("Hamas leaders" -> PSEREBHMS); otherwise a
role word takes the country named in the phrase ("Ukrainian President X" -> UKR + GOV), or the
organisation before it ("FBI general counsel X"); a role with no country gets ``---``. The entity
coder (``actors.py``) reads each mention's phrase through here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import NamedTuple

from spacy.tokens import Token

from wirescope.analysis.gazetteer import (
    DATED,
    ORG_PRIMARIES,
    UNKNOWN_COUNTRY,
    Coded,
    Gazetteer,
    company_person,
    is_state_level,
    load_gazetteer,
    resolve,
    row_kind,
)
from wirescope.analysis.gazetteer import scan_names as _scan
from wirescope.analysis.tenure import left_before

# Offices a title in the text gives a person the gazetteer knows out of office (``_own_country``).
TITLE_OFFICES = frozenset({"GOV", "LEG", "JUD"})
FAITHS = frozenset({"BUD", "CHR", "HIN", "JEW", "MUS"})  # the dictionary's role codes of a religion
# Abbreviated titles of US news style before a name ("Rep.", "Lt. Gov."; the tokenizer may split "Lt.").
US_STYLE_TITLES = frozenset({"rep.", "reps.", "sen.", "sens.", "gov.", "govs.", "lt.", "lt"})
# Words of the two US parties: "Georgia" in a phrase with them is the US state ("a Republican National
# Committeeman from Georgia").
US_PARTY_WORDS = frozenset({"republican", "republicans", "democratic", "democrat", "democrats", "gop"})
# Words that, after a faith, name clergy rather than an office ("a Cuban-born Christian minister").
CLERGY_TITLES = frozenset({"minister", "ministers"})
# Words after a role word that make it the field of a body, not the person's role ("Judiciary
# Committee Chairman X" chairs a committee; he is no judge).
BODY_WORDS = frozenset({"committee", "subcommittee"})


class _Name(NamedTuple):
    """A gazetteer name found in a phrase (token offsets inside the phrase), its code resolved."""

    start: int
    end: int
    code: str
    strength: int  # DATED, UNDATED or STALE
    kind: str
    root: bool
    key: tuple[str, ...]


def code_tokens(tokens: Sequence[Token], head: int, day: str, named: bool = False) -> Coded | None:
    """Code of the phrase ``tokens`` whose syntactic head is ``tokens[head]``; ``named``: the phrase
    is a named entity's own (its mention, its appositive), not a phrase of an event."""
    gaz = load_gazetteer()
    found = _scan(tokens, gaz)
    if not found:
        return None
    base = tokens[0].i
    names, agents = _names_and_roles(found, gaz, day)
    names = [_us_state(n, tokens) for n in names if not _origin_only(n, tokens)]
    on_head = next((n for n in names if n.start <= head < n.end), None)
    title = _head_title(agents, tokens, head)
    if on_head is not None:
        employer = _employer_before(title, names, on_head, tokens, gaz)
        if employer is not None and on_head.code[3:6] == "ELI":
            # An elite the gazetteer holds in no office, written with a job at an organisation ("FBI
            # general counsel James Baker"): the text, written on the day, says what they do now (or
            # names a namesake). The code is the text's, so the gazetteer's key is not kept.
            return Coded(employer.code, "title", False, base + on_head.start, base + on_head.end, ())
        # No office known for the day, but the text gives one with a nationality ("Venezuelan
        # President X"): the text, written on the day, wins over the gazetteer's default.
        country = _country(n for n in names if n is not on_head)
        own = None if country else _own_country(on_head, title, tokens)
        if (on_head.strength < DATED and title is not None and title[1] <= on_head.start and (country or own)
                and not left_before(on_head.key, title[2], day)):
            # The person's own country is a gazetteer name's evidence: it keeps the name's key.
            kind, key = ("title", ()) if country else (on_head.kind, on_head.key)
            return Coded((country or own or "") + title[2], kind, False, base + on_head.start, base + on_head.end, key)
        return _coded(on_head, base)
    if title is not None:
        s, e, role = title
        # A place word in the person's own name after the title is no country ("Actress Rosario Dawson").
        names = [n for n in names if not (n.start >= e and _inside_name(tokens, n.start, head))]
        # A person named beside a role of its own works for them, and is not them: "Trump's
        # campaign manager" is a party official of Trump's country.
        employers = [n for n in names if n.kind == "person"] if role else []
        # An organisation before the role word is the role's, though the tagger makes the whole
        # phrase one name ("White House Counsel X").
        orgs = [n for n in names if n not in employers and not is_state_level(n.code, gaz)
                and (n.end <= s or not _inside_name(tokens, n.start, head))]
        if orgs and role == "CVL" and (country := _org_country(orgs[-1])):
            # A company's customer or an outlet's employee is a private citizen of its country
            # ("Verizon customer X", "a Fox News employee").
            return Coded(country + role, "agent", False, base + s, base + e)
        if orgs:  # an organisation in the phrase is the actor: "Hamas leaders"
            return _coded(orgs[-1], base)
        country = _country(names) or next((n.code[:3] for n in employers if n.code[:3] != UNKNOWN_COUNTRY), None)
        return Coded((country or UNKNOWN_COUNTRY) + role, "agent", False, base + s, base + e)
    # No role word: a country or place modifying the head ("Israeli society") names the actor,
    # else one located after it ("militias in Tripoli", "a group based in Trinidad").
    before = [n for n in names if n.end <= head]
    name = before[-1] if before else names[0] if names else None
    if named and name is not None and name.kind == "person" and before:
        # A person named before a head that is no role of theirs says only the country of a named
        # person: "a Trump delegate strategist" holds no role of Trump's (an event's "Netanyahu's
        # coalition" is still his). The name stays the evidence's source, so that the entity coder
        # weighs it as before.
        return replace(_coded(name, base), code=name.code[:3]) if name.code[:3] != UNKNOWN_COUNTRY else None
    return _coded(name, base) if name else None


def _employer_before(title: tuple[int, int, str] | None, names: list[_Name], on_head: _Name,
                     tokens: Sequence[Token], gaz: Gazetteer) -> _Name | None:
    """The organisation named just before a title that ends at the person's name ("FBI general counsel
    X", "Goldman Sachs chairman Y"); not a state or place, not a person. Up to two words of the title
    that are no role word by themselves may come between ("general")."""
    if title is None or title[1] != on_head.start:
        return None
    before = [n for n in names if n.end <= title[0] and n.kind != "person" and not is_state_level(n.code, gaz)]
    if not before or title[0] - before[-1].end > 2:
        return None
    return before[-1] if all(t.is_alpha for t in tokens[before[-1].end : title[0]]) else None


def _us_state(name: _Name, tokens: Sequence[Token]) -> _Name:
    """"Georgia" before a title in US news style ("Georgia Rep. X", "Georgia state Sen. Y"), or in a
    phrase naming a US party ("a Republican National Committeeman from Georgia"), is the US state: the
    country Georgia's officials are never titled so, nor in these parties."""
    if name.key != ("georgia",):
        return name
    words = [t.lower_ for t in tokens[name.end : name.end + 2]]
    if words[:1] == ["state"]:
        words = words[1:]
    if (words and words[0] in US_STYLE_TITLES) or any(t.lower_ in US_PARTY_WORDS for t in tokens):
        return name._replace(code="USA" + name.code[3:])
    return name


def _origin_only(name: _Name, tokens: Sequence[Token]) -> bool:
    """A nationality that says where a person comes from, not the country they act for: "a
    Syrian-American resident" is American, "a Cuban-born minister" is of no country the phrase says."""
    after = [t.lower_ for t in tokens[name.end : name.end + 2]]
    return len(after) == 2 and after[0] == "-" and after[1] in {"american", "americans", "born"}


def _org_country(org: _Name) -> str:
    """The country of an organisation's code ("MNCUSA" -> "USA", "USAMED" -> "USA"), else ""."""
    code = company_person(Coded(org.code, org.kind)).code  # a company's code names its country after "MNC"
    return code[:3] if len(code) > 3 and code[:3] not in ORG_PRIMARIES else ""


def _own_country(name: _Name, title: tuple[int, int, str] | None, tokens: Sequence[Token]) -> str | None:
    """A person the gazetteer holds in no office on the day (ELI), titled with an office in the text
    ("Sen. X", "Justice Y", "Gov. Z"): their own country takes the office. Not "President": US
    style keeps it for former presidents ("President Carter" long after his term)."""
    if title is None or name.code[3:6] != "ELI" or title[2] not in TITLE_OFFICES:
        return None
    return None if any(t.lower_ == "president" for t in tokens[title[0] : title[1]]) else name.code[:3]


def _coded(name: _Name, base: int) -> Coded:
    """A name found in a phrase starting at token ``base``, as the phrase's code."""
    dated = name.strength == DATED and name.kind != "dictionary"
    return Coded(name.code, name.kind, name.root, base + name.start, base + name.end, name.key, dated,
                 name.strength == DATED)


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
        kind = row_kind(rows)
        names.append(_Name(s, e, code, strength, kind, any(r.root for r in rows), key))
        if key in gaz.agents:
            agents.append((s, e, gaz.agents[key]))
    # A name that is also a role ("Senate": USAGOVLEG or LEG) is the role when another state is
    # named in the phrase ("Rwanda's Senate" -> RWALEG).
    role_names = {(a[0], a[1]) for a in agents}
    if any(is_state_level(n.code, gaz) for n in names if (n.start, n.end) not in role_names):
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
    if title is not None and title[1] < len(tokens) and tokens[title[1]].lower_ in BODY_WORDS:
        return None  # the field of a body the person sits on: "Judiciary Committee Chairman X"
    # Of role words side by side, the first names the sector: "union president" is labour. A faith
    # names none ("Muslim mayor" governs) but makes a minister clergy.
    while title is not None:
        modifier = next((a for a in agents if a[1] == title[0]), None)
        if modifier is not None and modifier[2] in FAITHS and tokens[title[1] - 1].lower_ in CLERGY_TITLES:
            return (modifier[0], title[1], "REL")
        if modifier is None or (modifier[2] in FAITHS and title[2] not in FAITHS | {"REL"}):
            break
        title = (modifier[0], title[1], modifier[2])
    return title


def _inside_name(tokens: Sequence[Token], start: int, head: int) -> bool:
    """Whether tokens[start] is part of the proper name that the head ends ("Omar Hassan al-Bashir")."""
    return start < head and all(t.pos_ == "PROPN" for t in tokens[start : head + 1])


def _country(names: Iterable[_Name]) -> str | None:
    """The three-letter country of the first state or place among ``names``."""
    gaz = load_gazetteer()
    return next((n.code[:3] for n in names if is_state_level(n.code, gaz)), None)
