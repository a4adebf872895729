"""The actor gazetteer: names to CAMEO/PLOVER codes with their dates, and to canonical names.

Two tables, loaded once per process:

* ``data/actors_gazetteer.tsv.gz``: the PETRARCH-2 (Phoenix) actor and agent dictionaries,
  converted by ``scripts/build_gazetteer.py`` (MIT licence, notice in ``data/``);
* ``data/actor_updates.tsv``: the project's own rows (office holders since 2019, aliases, partisan
  names, agent words). A name listed there replaces the dictionary rows of the same name, but for
  the offices the dictionary dates before the project's first dated row (``_with_history``).

Every name of an actor also maps to the actor's canonical name (``Gazetteer.canonical``), the name
its stable actor id is made from: an update row's first pattern ("Donald Trump" for
"Donald Trump|Donald J. Trump|Trump"), a dictionary block's root name ("barack obama" for
"obama"). The built dictionary no longer says which block a name came from, so a non-root name is
given the root whose dated codes are exactly its own (a person's rows carry their office dates);
an undated name keeps its own name (a city coded as its state is not the state).
"""

from __future__ import annotations

import calendar
import gzip
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from wirescope.analysis.names import core_name, given_variants
from wirescope.records import plain_letters
from wirescope.resource_cache import cached_value, version_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

GAZETTEER_FILE = "actors_gazetteer.tsv.gz"
UPDATES_FILE = "actor_updates.tsv"
SMALL_WORDS = frozenset({"of", "the", "and"})  # kept lower case in a canonical name
# Offices the dictionaries give people, with dates (organisations are rarely dated and coded so).
PERSON_ROLES = frozenset({"GOV", "MIL", "LEG", "JUD", "OPP", "ELI"})
# Offices a former holder leaves (``former_code``): government, legislature, courts, police and
# intelligence. Not the military: a former army chief stays coded MIL (``code_span``'s examples).
OFFICES = frozenset({"GOV", "LEG", "JUD", "SPY", "COP"})
# Roles whose former holders are the country's elite: the offices, and a party's or a campaign's
# posts ("Obama's former campaign manager" is no longer party staff; CODE_GUIDELINES: ELI).
LEFT_FOR_ELITE = OFFICES | {"PTY"}
# Roles of public life: a person in it may move among them (a senator becomes secretary of state, a
# rebel leader prime minister); a soldier's, a reporter's or a manager's role is another career.
PUBLIC_ROLES = frozenset({"GOV", "LEG", "JUD", "PTY", "OPP", "REB", "SPY", "ELI"})
# Kinds of update rows whose names are other names of an actor: merged into its entity.
ALIAS_KINDS = frozenset({"alias", "partisan"})
HYPHENS = frozenset({"-", "\u2010", "\u2011"})  # joining a double surname: "Shanklin-Hawkins"
# Words before a title that say its office is no longer held ("former Gov. X", "ex-President Y", "the
# late Sen. Z": the dead hold no office); tenure.py reads them too.
FORMER_WORDS = frozenset({"former", "ex", "ex-", "retired", "onetime", "one-time", "erstwhile", "then", "late"})
# Prefixes that turn a role word into its opposite's field: an "anti-terrorist prosecutor" is no terrorist.
AGAINST_PREFIXES = frozenset({"anti", "counter", "non"})
UNKNOWN_COUNTRY = "---"  # PETRARCH's code for a role whose country the text does not say
NAMED_COUNTRIES_KEY = "wirescope.gazetteer.countries"  # doc.user_data: the countries a document names
# Primary codes of organisations (not states): their codes take no role suffix.
ORG_PRIMARIES = frozenset({"IGO", "NGO", "IMG", "MNC", "NGM", "INT", "UIS"})


@dataclass(frozen=True)
class Coded:
    """The code of a phrase and how it was found."""

    code: str
    kind: str  # the kind of the row that named the actor, or "agent" / "title"
    root: bool = False
    start: int = 0  # token offsets of the matched name inside the doc
    end: int = 0
    key: tuple[str, ...] = ()  # the gazetteer name that named the actor; () for a role word
    dated: bool = False  # an office the project's own rows date on the day: "former" words don't undo it
    in_office: bool = False  # any gazetteer row dates an office on the day (PETRARCH's included)


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
    # name -> the canonical name of the actor it names ("trump" -> "Donald Trump")
    canonical: dict[tuple[str, ...], str] = field(default_factory=dict)


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
    """Both tables, parsed once (about 48,600 dictionary rows) and kept in the resource cache: a
    process unpickles them in a fraction of the parse's time. The cache key holds both files and this
    module's code, so an edit of either builds it again."""
    version = version_of(_data_bytes(GAZETTEER_FILE), _data_bytes(UPDATES_FILE), Path(__file__).read_bytes())
    return cached_value("gazetteer", version, _parse_gazetteer)


def _data_bytes(name: str) -> bytes:
    return resources.files("wirescope").joinpath("data", name).read_bytes()


def _parse_gazetteer() -> Gazetteer:
    actors, agents, names = _read_dictionary(_data_text(GAZETTEER_FILE))
    updates, update_agents, update_names = _read_updates(_data_text(UPDATES_FILE))
    canonical = _canonical_names(actors, update_names, agents)
    actors.update({key: _with_history(rows, actors.get(key, [])) for key, rows in updates.items()})
    agents.update(update_agents)
    agents = {key: role for key, role in agents.items() if role}  # "~" alone: not a role word after all
    roles = frozenset(code[i : i + 3] for code in agents.values() for i in range(0, len(code), 3))
    max_len = max(len(k) for k in [*actors, *agents])
    firsts = frozenset(k[0] for k in [*actors, *agents])
    surnames = _surnames(actors, agents, roles)
    return Gazetteer({k: tuple(v) for k, v in actors.items()}, agents, max_len, roles, firsts,
                     surnames, names, canonical)


def _with_history(project: list[ActorRow], dictionary: Sequence[ActorRow]) -> list[ActorRow]:
    """The project's rows of a name, and the dictionary's offices of that name that ended before the
    first one the project dates: John Kerry's senate years (1985-2013) stay his when the project
    lists him as secretary of state from 2013. An open or later dictionary row is what the project
    corrects, so it goes (the dictionary had Kerry in office with no end). Only offices: the
    dictionary's elite rows before a first office ("USAELI 1958-2007" for a long-serving
    representative) are placeholders, not history."""
    dated = [r.start for r in project if r.start or r.end]
    first = min((start or "" for start in dated), default=None)
    if first == "":  # the project's own rows reach back to the open past: nothing before them
        return project
    return project + [r for r in dictionary if r.end and (first is None or r.end <= first)
                      and r.code[3:6] in OFFICES | {"MIL"}]


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


def _read_updates(
    text: str,
) -> tuple[dict[tuple[str, ...], list[ActorRow]], dict[tuple[str, ...], str], dict[tuple[str, ...], str]]:
    """The project's rows, names tokenized by the pipeline's tokenizer (a few hundred patterns),
    and each actor name's canonical name: the first pattern of its row."""
    from wirescope.analysis.nlp import load_nlp

    tokenizer = load_nlp().tokenizer
    actors: dict[tuple[str, ...], list[ActorRow]] = {}
    agents: dict[tuple[str, ...], str] = {}
    canonical: dict[tuple[str, ...], str] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cells = (line.split("\t") + [""] * 6)[:6]
        patterns, code, year_from, year_to, kind, _note = (c.strip() for c in cells)
        first = patterns.split("|")[0].strip()
        for pattern in patterns.split("|"):
            key = tuple(plain_letters(t.lower_) for t in tokenizer(pattern.strip()))
            if not key:
                continue
            if code.startswith("~"):
                agents[key] = code[1:]
            else:
                actors.setdefault(key, []).append(
                    ActorRow(code, _bound(year_from, end=False), _bound(year_to, end=True), kind=kind)
                )
                canonical.setdefault(key, first)
    return actors, agents, canonical


def _canonical_names(
    dictionary: dict[tuple[str, ...], list[ActorRow]], updates: dict[tuple[str, ...], str],
    agents: dict[tuple[str, ...], str],
) -> dict[tuple[str, ...], str]:
    """Every actor name -> its actor's canonical name (see the module docstring).

    A dictionary name maps to its block's root: itself when it is a root, else the one root whose
    dated rows are exactly its rows. A root the project's rows also list takes their name, so
    "netanyahu" (dictionary) and "Bibi Netanyahu" (updates) name one actor.
    """
    by_rows: dict[frozenset[tuple[str, str | None, str | None]], list[tuple[str, ...]]] = {}
    roots = {key for key, rows in dictionary.items() if any(r.root for r in rows)}
    for key in roots:
        by_rows.setdefault(_row_signature(dictionary[key]), []).append(key)
    canonical: dict[tuple[str, ...], str] = {}
    for key, rows in dictionary.items():
        root = key
        if key not in roots and any(r.start or r.end for r in rows):
            owners = by_rows.get(_row_signature(rows), [])
            if len(owners) != 1:  # Clinton and Gore held one office over the same years
                owners = _titled_owners(key, rows, dictionary, roots, agents)
            root = owners[0] if len(owners) == 1 else key
        canonical[key] = updates.get(root) or " ".join(root)
    canonical.update(updates)
    return canonical


def _titled_owners(key: tuple[str, ...], rows: Sequence[ActorRow], dictionary: dict[tuple[str, ...], list[ActorRow]],
                   roots: set[tuple[str, ...]], agents: dict[tuple[str, ...], str]) -> list[tuple[str, ...]]:
    """The roots a title-and-surname name may be: "president clinton" (USAGOV 1993-2001) is the one
    root ending in "clinton" whose rows include those dated rows; "president bush" fits two."""
    if not any(key[:n] in agents for n in range(1, len(key))):
        return []
    dated = {(r.code, r.start, r.end) for r in rows if r.start or r.end}
    return [root for root in roots if root[-1] == key[-1] and root != key
            and dated <= {(r.code, r.start, r.end) for r in dictionary[root]}]


def _row_signature(rows: Sequence[ActorRow]) -> frozenset[tuple[str, str | None, str | None]]:
    return frozenset((r.code, r.start, r.end) for r in rows)


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
    else the latest row, with an office (GOV, LEG, JUD, SPY, COP, MIL) turned into the country's
    elite (ELI): a former office holder named in today's news no longer holds it.
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
    # Any office, not only the government's: a legislator, a judge or an intelligence chief whose
    # last term the tables close is a former office holder too ("John X, SPY until 2004" in 2012).
    return former_code(latest.code, retired=True), STALE


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


def coding_day(when: date | str | None) -> str:
    """The ISO day a page is coded on: its publication day, else ``register_day()``."""
    if isinstance(when, date):
        return when.isoformat()
    try:
        return date.fromisoformat((when or "").strip()[:10]).isoformat()
    except ValueError:
        return register_day()


def listed_forms(gaz: Gazetteer, name: str) -> set[tuple[str, ...]]:
    """The names of ``gaz`` a person's full name may be written for: given name and surname,
    without middle names, initials or a suffix, the given name in any of its forms ("Joseph R.
    Biden Jr." -> {("joseph", "biden")}, "William Clinton" -> {("bill", "clinton")})."""
    core = core_name(tuple(plain_letters(name.lower()).split()))
    if len(core) < 2:
        return set()
    variants = given_variants(core[0])
    found = {(given, core[-1]) for given in variants if (given, core[-1]) in gaz.actors}
    # The one person of the gazetteer with this surname, by another form of the full name
    # ("James Velde Jr." for "james r. velde").
    full = gaz.surnames.get(core[-1])
    return found | ({full} if full is not None and full[0] in variants else set())


def title_fits(gaz: Gazetteer, titles: Iterable[str], key: tuple[str, ...]) -> bool:
    """Whether the role of a title written before a surname ("President", "Sen.") is one the
    gazetteer gives the person of ``key`` on some day: "President Jefferson" is no Caymanian known
    only as an elite, while "President Carter" and "Gov. Christie" may be former office holders.
    Titles that name no role ("Mr.") contradict nothing."""
    stated = title_roles(gaz, titles)
    return not stated or bool(stated & held_roles(gaz, key))


def title_roles(gaz: Gazetteer, titles: Iterable[str]) -> set[str]:
    """The roles (GOV, LEG, MIL...) that title words name ("senator" -> LEG)."""
    return {gaz.agents[(title,)][:3] for title in titles if (title,) in gaz.agents}


def row_kind(rows: Sequence[ActorRow]) -> str:
    """What a name's rows say it names: the kind of the project's rows ("person", "org", "alias"...),
    else "dictionary" (the dictionaries do not say)."""
    return next((r.kind for r in rows if r.kind != "dictionary"), "dictionary")


def held_roles(gaz: Gazetteer, key: tuple[str, ...]) -> set[str]:
    """Every role the gazetteer gives the actor of ``key`` on some day ("USAGOVMIL" -> GOV, MIL)."""
    return {row.code[i : i + 3] for row in gaz.actors.get(key, ()) for i in range(3, len(row.code), 3)}


def is_state_level(code: str, gaz: Gazetteer) -> bool:
    """ISR, USA, PSEGZA (a place): codes that take a role; not PSEREBHMS, USAGOV or IGOUNO."""
    if code[:3] in ORG_PRIMARIES or code[:3] in gaz.roles:
        return False  # "MED" of a newspaper is a sector, not a country: "Post reporter X" is not MEDMED
    return len(code) == 3 or code[3:6] not in gaz.roles


def company_person(coded: Coded) -> Coded:
    """A person coded by a company in their phrase ("Wells Fargo board member X": MNCUSA) is a
    business person of its country (USABUS), as CODE_GUIDELINES codes executives, not the company."""
    if not coded.code.startswith("MNC"):
        return coded
    country = coded.code[3:6]
    country = country if len(country) == 3 and country not in load_gazetteer().roles else UNKNOWN_COUNTRY
    return replace(coded, code=country + "BUS")


def unnamed_foreign_namesake(doc: Doc, key: tuple[str, ...], code: str, day: str) -> bool:
    """Whether a person coded only by the PETRARCH dictionary's name ``key`` (no row of the project's)
    belongs to a country that ``doc`` never names, though it names others: a namesake, not evidence
    ("Andy Smith, a New Hampshire pollster" is no British elite; "James Smith" on a list of South
    Carolina insiders is no Bahamian one). The project's rows are curated and stay evidence wherever
    they match."""
    gaz = load_gazetteer()
    rows = gaz.actors.get(key, ())
    country = code[:3]
    if (not rows or any(r.kind != "dictionary" for r in rows) or country == UNKNOWN_COUNTRY
            or country in ORG_PRIMARIES or country in gaz.roles
            or is_state_level(code, gaz)):  # a place's name ("Rhodes") is names_a_place's to judge
        return False
    named = _named_countries(doc, day)
    return bool(named) and country not in named  # a text naming no place says nothing


def _named_countries(doc: Doc, day: str) -> frozenset[str]:
    """The countries of the places and peoples the tagger finds in ``doc`` (read once a document)."""
    cached = doc.user_data.get(NAMED_COUNTRIES_KEY)
    if cached is None:
        gaz = load_gazetteer()
        found = (resolve(gaz.actors[key], day)[0] for ent in doc.ents if ent.label_ in ("GPE", "NORP", "LOC")
                 for _, _, kind, key in scan_names(list(ent), gaz) if kind == "actor")
        cached = doc.user_data[NAMED_COUNTRIES_KEY] = frozenset(c[:3] for c in found if is_state_level(c, gaz))
    return cached


def names_a_place(gaz: Gazetteer, key: tuple[str, ...]) -> bool:
    """Whether every row of the gazetteer name ``key`` codes a state or a place (MEX, PSEGZA): a
    name the tagger calls a person ("Monterrey") that is no evidence of a person's code."""
    rows = gaz.actors.get(key, ()) if key else ()
    return bool(rows) and all(is_state_level(r.code, gaz) for r in rows)


def former_code(code: str, retired: bool = False) -> str:
    """The code of a former holder of ``code``'s office ("former Velderan Gov. X"): the country's
    elite (ELI), as PETRARCH codes former office holders; other roles ("a former reporter") and
    organisations stay as they are. A former officer stays military, a retired one does not
    ("retired Gen. X" has left the army; "former army chief Y" may still serve in it)."""
    country, roles = code[:3], {code[i : i + 3] for i in range(3, len(code), 3)}
    if len(code) == 3 and code in load_gazetteer().roles:
        return code  # a role with no country ("kofi annan ELI", "washington post MED"): no "ELIELI", "MEDELI"
    if country in ORG_PRIMARIES or (roles and not roles & (LEFT_FOR_ELITE | ({"MIL"} if retired else set()))):
        return code
    return country + "ELI"


def scan_names(tokens: Sequence[Token], gaz: Gazetteer) -> list[tuple[int, int, str, tuple[str, ...]]]:
    """Names in ``tokens``, longest first, left to right: (start, end, "actor" | "agent", key).

    A dictionary lookup per n-gram rather than a PhraseMatcher: the phrases the coder reads are a
    few tokens long, and a lookup needs no pattern Docs for 40,000 names. A capitalised proper
    noun that ends a name and is the surname of exactly one person of the gazetteer is that person
    ("President Kagame" -> "paul kagame").
    """
    # The dictionaries are written without accents: "Peña Nieto" and "Erdoğan" are found as written.
    lowers = [plain_letters(t.lower_) for t in tokens]
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
                    hit = None if _against(tokens, i) else (i, j, "agent", key)
                    break
        if hit is None and lowers[i] in gaz.surnames and _ends_name(tokens, i, gaz):
            hit = (i, i + 1, "actor", gaz.surnames[lowers[i]])
        if hit is None:
            i += 1
            continue
        found.append(hit)
        i = hit[1]
    return found


def _against(tokens: Sequence[Token], i: int) -> bool:
    """Whether the role word at ``i`` is joined to a prefix against it ("anti-terrorist", "counter-
    insurgency"): the phrase names a field, not a member of the role."""
    return (i >= 2 and tokens[i - 1].text in HYPHENS and not tokens[i - 2].whitespace_
            and tokens[i - 2].lower_ in AGAINST_PREFIXES)


def _ends_name(tokens: Sequence[Token], i: int, gaz: Gazetteer) -> bool:
    """A surname ending a name whose other words belong to the person's full name or are titles:
    "President Kagame" and "Carlos Menem" (for "carlos saul menem"), never "Marta Ilves" for
    Toomas Hendrik Ilves."""
    token = tokens[i]
    # A surname is a person's: not a word the tagger calls a place or an organisation ("Dayton lost
    # jobs" is the city, not Gov. Dayton).
    if token.pos_ != "PROPN" or not token.text[:1].isupper() or token.ent_type_ not in ("", "PERSON"):
        return False
    if i + 1 < len(tokens) and tokens[i + 1].pos_ == "PROPN":
        return False
    if i > 0 and tokens[i - 1].text in HYPHENS and not tokens[i - 1].whitespace_:
        return False  # the second half of a double surname: "Jennifer Shanklin-Hawkins" is no Hawkins
    full = set(gaz.surnames[plain_letters(token.lower_)])
    j = i - 1
    while j >= 0 and tokens[j].pos_ == "PROPN" and (tokens[j].lower_,) not in gaz.agents:
        if plain_letters(tokens[j].lower_) not in full:
            return False
        j -= 1
    return True


def written_title_start(doc: Doc, start: int) -> int:
    """The first of the capitalised role words written right before token ``start`` ("President",
    "U.S. Rep."), whatever the parser attached them to: a headline that a blanked dateline runs into
    the lead parses "President" in "... and Democrats  President Trump assailed" as a conjunct of
    the headline, not as Trump's title. ``start`` itself when none is written there."""
    agents = load_gazetteer().agents
    first = start
    while first > 0 and doc[first - 1].text[:1].isupper() and (doc[first - 1].lower_,) in agents:
        first -= 1
    if first == start:
        return start
    # Before the title: the pieces of an abbreviation the tokenizer cut ("Lt", "." of "Lt. Gov."), the
    # state the title is of and a "former" (tenure.py reads it): "former Iowa Lt. Gov. X".
    while first > 0 and (_abbreviation_piece(doc, first - 1) or doc[first - 1].ent_type_ == "GPE"):
        first -= 1
    return first - 1 if first > 0 and doc[first - 1].lower_ in FORMER_WORDS else first


def _abbreviation_piece(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is a short capitalised word before a ".", or that "." ("Lt", "." of "Lt.")."""
    if doc[i].text == ".":
        return i > 0 and doc[i - 1].text[:1].isupper() and len(doc[i - 1]) <= 4
    return doc[i].text[:1].isupper() and len(doc[i]) <= 4 and i + 1 < len(doc) and doc[i + 1].text == "."
