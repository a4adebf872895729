"""The API's request body and the query parameters several endpoints share."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import HTTPException, Query
from pydantic import BaseModel, Field

from wirescope.storage.event_places import Box, PlaceFilterError, parse_place

MAX_LIMIT = 500
# Past any table's size, and well inside DuckDB's BIGINT: a larger offset or count is a 422, not an overflow.
MAX_ROWS = 10**9

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Rows per page (1-{MAX_LIMIT}).")]
Offset = Annotated[int, Query(ge=0, le=MAX_ROWS, description=f"Rows to skip (0-{MAX_ROWS}).")]
Since = Annotated[date | None, Query(description="First published day (YYYY-MM-DD); undated documents never match.")]
Until = Annotated[date | None, Query(description="Last day (YYYY-MM-DD), inclusive.")]
TypeQ = Annotated[list[str] | None, Query(description="PLOVER types (repeat or comma-separate).")]
CountryQ = Annotated[str | None, Query(min_length=2, max_length=3, description=(
    "Where it happened: the event's location in this country, ISO 3166 alpha-2 or alpha-3 (FR, FRA), any case."))]
BoxQ = Annotated[str | None, Query(description="Where it happened: west,south,east,north in degrees.")]
PlaceCountryQ = Annotated[str | None, Query(min_length=2, max_length=3, description=(
    "Only documents with a resolved place (an entity's place or an event's location) in this country: "
    "ISO 3166 alpha-2 or alpha-3 (FR, FRA), any case."))]
PlaceBoxQ = Annotated[str | None, Query(description=(
    "Only documents with a resolved place inside west,south,east,north (degrees; west > east crosses "
    "the antimeridian)."))]
HappenedSince = Annotated[date | None, Query(description="First day the event happened (its own date), inclusive.")]
HappenedUntil = Annotated[date | None, Query(description="Last day the event happened (its own date), inclusive.")]
ActorQ = Annotated[str | None, Query(description="An actor id (person:pavel-marek), an actor's name or alias as "
                                                 "written (whole), a code prefix or a part of a name (any case).")]


def place_filters(country: str | None, bbox: str | None) -> tuple[str | None, Box | None]:
    """The country (alpha-2) and box of the place filters (``event_places.parse_place``); a 422 naming
    the parameter when one is malformed."""
    try:
        return parse_place(country, bbox)
    except PlaceFilterError as error:
        raise HTTPException(422, f"{error.parameter}: {error}") from error


def split_types(values: list[str] | None) -> tuple[str, ...]:
    """``?type=A&type=B,C`` as ("A", "B", "C")."""
    return tuple(t.strip() for value in values or [] for t in value.split(",") if t.strip())


class AnalyzeRequest(BaseModel):
    """One page to analyse: ``text`` or ``html``, or only a ``url`` to fetch."""

    text: str | None = Field(None, description="Plain page text.")
    html: str | None = Field(None, description="An HTML page.")
    url: str | None = Field(None, description="The page's URL; fetched when neither text nor html is given.")
    outlet: str | None = None
    title: str | None = None
    published: str | None = Field(None, description="Publication date, ISO 8601.")
    store: bool = Field(False, description="Also store the analysis in the database (needs write access).")
    home_country: str | None = Field(
        None, pattern="^[A-Za-z]{2}$",
        description="The country the outlet writes from (ISO alpha-2): steers ambiguous place names. The home "
                    "country the outlet's stored documents give beats it (as in `wirescope ingest`).")
