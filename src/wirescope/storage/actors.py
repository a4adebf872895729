"""The actor register and its corrections: what the CLI (`wirescope actors`, `wirescope actor`,
`wirescope actor-merge|split|rename|recode`), the REST API and the web UI call.

An actor is an id (``Entity.actor``: ``person:donald-trump``, ``org:hamas``, ``place:israel``) shared
by the entities of every document naming the same real actor. The register (every actor with its
canonical name, type, codes over time, aliases as written, first and last seen, documents) is
derived from the stored entities and mentions with the analysts' corrections applied on top
(``wirescope.storage.register``); corrections are stored in the order made and replayed on every
document stored later, so they survive re-ingest and re-analysis without re-parsing anything.

Read functions take a DuckDB connection (a per-request cursor in the API) and return plain
JSON-ready dicts; corrections take the ``Store`` (they write) and raise ``StoreError`` naming an
unknown actor id.
"""

from __future__ import annotations

from typing import Any

import duckdb

from wirescope.errors import StoreError
from wirescope.storage import register
from wirescope.storage.lookup import actor_event_counts, actor_quote_keys, has_lookup, prepare_lookup
from wirescope.storage.store import Store

MAX_DOCUMENTS = 200  # documents listed on an actor's record


def list_actors(con: duckdb.DuckDBPyConnection, q: str | None = None, type_: str | None = None,
                limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Actors of the register, most widespread first (documents, then mentions, then id).

    ``q``: the id, the canonical name or any alias as written contains it (any case). ``type_``:
    the entity type (``PERSON``, ``ORG``, ``GPE``, ...; any case). Returns ``{"total", "limit",
    "offset", "items"}``; an item is ``{"id", "name", "type", "documents", "mentions", "first_seen",
    "last_seen", "codes", "aliases"}`` where ``codes`` is the list of codes (see ``get_actor``) and
    ``aliases`` the five most written forms. ``first_seen``/``last_seen``: publication days (ISO),
    None when every document of the actor is undated.
    """
    return register.list_actors(con, q=q, type_=type_, limit=limit, offset=offset)


def get_actor(con: duckdb.DuckDBPyConnection, actor_id: str) -> dict[str, Any] | None:
    """One actor, None when no stored entity has that id (after corrections).

    The register row (``id``, ``name``, ``type``, ``documents``, ``mentions``, ``first_seen``,
    ``last_seen``) plus ``aliases`` (every form as written: ``{"alias", "mentions", "documents"}``,
    entity names included, pronouns left out), ``codes`` (``{"code", "first_seen", "last_seen",
    "documents"}``: each code with the first and last publication day it was given), ``document_list``
    (``{"id", "title", "outlet", "day"}``, newest first, at most ``MAX_DOCUMENTS``), ``events``
    (``{"did", "received"}``: events with the actor on the actor side, on the recipient side) and
    ``quotes`` (quotes whose speaker is the actor).
    """
    # With the API's event lookup the counts are read from it (on 10,000 documents, resolving every
    # event side and speaker of the most named actor again took about a second).
    with_lookup = has_lookup(con)
    record = register.get_actor(con, actor_id, max_documents=MAX_DOCUMENTS, count_refs=not with_lookup)
    if record is not None and with_lookup:
        record["events"] = actor_event_counts(con, actor_id)
        record["quotes"] = len(actor_quote_keys(con, actor_id))
    return record


def resolve_actors(con: duckdb.DuckDBPyConnection, text: str) -> list[str]:
    """The actor ids ``text`` names: itself when it is an actor id, else every actor with that
    canonical name or alias as written (whole text, any case). Empty when it names none."""
    return register.resolve_actors(con, text)


def list_corrections(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every stored correction in the order made: ``{"seq", "kind", "actor", "other", "alias",
    "value", "start", "end", "made_at"}`` (kind ``merge``, ``split``, ``rename`` or ``recode``)."""
    return register.list_corrections(con)


# -- corrections -----------------------------------------------------------------------------------
def merge_actors(store: Store, into: str, other: str) -> dict[str, Any]:
    """Merge actor ``other`` into ``into``: every entity and mention of ``other`` (in documents
    stored now and later) belongs to ``into``, which keeps its id and name. Returns the correction."""
    if into == other:
        raise StoreError(f"cannot merge actor {into!r} into itself")
    return _correct(store, register.Correction("merge", into, other=other), into, other)


def split_actor(store: Store, actor_id: str, alias: str, new_name: str) -> str:
    """Mentions of ``actor_id`` written as ``alias`` (any case; an entity named so with all its
    mentions) leave it for the actor named ``new_name``; returns that actor's id
    (``records.actor_id`` of the type and the name: when an actor has that id already, the
    mentions join it)."""
    if not alias.strip() or not new_name.strip():
        raise StoreError("a split needs an alias and a new name")
    _require(store.con, actor_id)
    if not register.has_alias(store.con, actor_id, alias):
        raise StoreError(f"actor {actor_id!r} has no mention written {alias!r}")
    new_id = register.split_id(store.con, actor_id, new_name)
    if new_id == actor_id:
        raise StoreError(f"{new_name!r} is the name of {actor_id!r} itself")
    _correct(store, register.Correction("split", actor_id, other=new_id, alias=alias, value=new_name.strip()))
    return new_id


def rename_actor(store: Store, actor_id: str, name: str) -> dict[str, Any]:
    """Give ``actor_id`` the canonical name ``name`` (its id stays). Returns the correction."""
    if not name.strip():
        raise StoreError("a rename needs a name")
    return _correct(store, register.Correction("rename", actor_id, value=name.strip()), actor_id)


def recode_actor(store: Store, actor_id: str, code: str, start: str | None = None,
                 end: str | None = None) -> dict[str, Any]:
    """Code ``actor_id`` as ``code`` in documents published from day ``start`` to day ``end``
    (ISO, inclusive; None: open). A recode with neither also covers undated documents. Returns the
    correction."""
    if not code.strip():
        raise StoreError("a recode needs a code")
    if start and end and end < start:
        raise StoreError(f"the recode ends ({end}) before it starts ({start})")
    return _correct(store, register.Correction("recode", actor_id, value=code.strip().upper(),
                                               start=start, end=end), actor_id)


def _require(con: duckdb.DuckDBPyConnection, *actor_ids: str) -> None:
    for actor_id in actor_ids:
        if not register.actor_exists(con, actor_id):
            raise StoreError(f"no actor with id {actor_id!r}")


def _correct(store: Store, correction: register.Correction, *must_exist: str) -> dict[str, Any]:
    """Store ``correction`` and apply it (one transaction), then bring the connection's event
    lookup (the API's) up to date: every event query sees the corrected actors."""
    _require(store.con, *must_exist)
    with store.transaction():
        made = register.add_correction(store.con, correction)
    if has_lookup(store.con):
        prepare_lookup(store.con)
    return made
