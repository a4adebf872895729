"""An actor's page as the API and the web UI show it: the register's record (``storage.actors``)
with what the actor said, did and had done to them (``queries.actor_profile``), and the actors a
name that is no id stands for. Compositions of those reads only: no SQL of its own."""

from __future__ import annotations

from typing import Any

import duckdb

from wirescope.storage import actors, queries

# What an actor page lists besides the register's record.
PROFILE_LISTS = ("said", "did", "did_total", "received", "received_total", "timeline")
MAX_CANDIDATES = 500


def actor_page(con: duckdb.DuckDBPyConnection, actor_id: str) -> dict[str, Any] | None:
    """The register's record of ``actor_id`` (id, name, type, aliases with counts, codes over time,
    first and last seen, documents) with the quotes, events and timeline of its profile; None for
    an unknown id."""
    record = actors.get_actor(con, actor_id)
    if record is None:
        return None
    profile = queries.actor_profile(con, actor_id) or {}
    return {**record, **{key: profile[key] for key in PROFILE_LISTS if key in profile}}


def name_page(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, Any] | None:
    """What is known under a name no actor has (entities stored before the register, or never
    identified): the name's profile with ``id`` None; None when nothing goes by that name."""
    profile = queries.actor_profile(con, name)
    return None if profile is None else {**profile, "id": None}


def candidates(con: duckdb.DuckDBPyConnection, text: str, ids: list[str]) -> list[dict[str, Any]]:
    """The register's rows (id, name, type, documents) of ``ids``, the actors ``text`` names, most
    widespread first."""
    listed = actors.list_actors(con, q=text, limit=MAX_CANDIDATES)["items"]
    return [{key: item[key] for key in ("id", "name", "type", "documents")} for item in listed if item["id"] in ids]
