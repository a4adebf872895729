"""Table rows derived from the record dataclasses: a new record field needs no hand-written column list.

A record maps onto its table field by field (``dataclasses.fields`` and the field's type):

* a plain value is one column named after the field (``renames`` names the few stored under
  another name, e.g. ``Event.id`` in ``event_id``); NULL reads back as the field's default;
* a nested span (``TextSpan``, ``Speaker``) is flattened into ``<field>_<part>`` columns without its
  ``text``: that is a slice of the document text, sliced again on reading;
* another nested record (``Place``) is one JSON column of its ``to_dict()``;
* a tuple of text spans (``Event.mentions``) is a JSON list of offsets, a tuple of other records
  (``Event.actors``) a JSON list of their ``to_dict()``, a tuple of strings a list column.

Child records kept in a table of their own (``Entity.mentions``) are left out of the parent's row.
The columns keep the names of the DuckDB schema; a new field still needs its column, added by the
next migration in ``wirescope.storage.store.MIGRATIONS`` (``ADD COLUMN IF NOT EXISTS``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from functools import cached_property
from types import NoneType, UnionType
from typing import Any, get_args, get_origin, get_type_hints

import duckdb

from wirescope.records import (
    SCHEMA,
    Document,
    Entity,
    Event,
    Framing,
    Mention,
    Quote,
    Segment,
    TextSpan,
    TimeExpression,
)


@dataclass(frozen=True)
class FieldColumns:
    """How one record field is stored: its columns, and how its value is written and read back."""

    name: str
    columns: tuple[str, ...]
    write: Callable[[Any], tuple[Any, ...]]  # field value -> column values
    read: Callable[[str, tuple[Any, ...]], Any]  # document text, column values -> field value
    types: tuple[str, ...] = ()  # DuckDB column types, for tables created from the record


# DuckDB types of plain field values; anything else is stored as text.
SQL_TYPES: dict[Any, str] = {int: "INTEGER", float: "DOUBLE", bool: "BOOLEAN", str: "VARCHAR"}


def _sql_type(hint: Any) -> str:
    return SQL_TYPES.get(_without_none(hint), "VARCHAR")


def _value(name: str, column: str, default: Any, hint: Any = str) -> FieldColumns:
    return FieldColumns(name, (column,), lambda v: (v,), lambda _text, vals: default if vals[0] is None else vals[0],
                        (_sql_type(hint),))


def _span(name: str, column: str, cls: Any) -> FieldColumns:
    hints = get_type_hints(cls)
    parts = tuple(f.name for f in fields(cls) if f.name != "text")

    def write(span: Any) -> tuple[Any, ...]:
        return tuple(getattr(span, p) if span is not None else None for p in parts)

    def read(text: str, vals: tuple[Any, ...]) -> Any:
        given = dict(zip(parts, vals))
        if given["start"] is None:
            return None
        return cls(text=text[given["start"]:given["end"]], **given)

    return FieldColumns(name, tuple(f"{column}_{p}" for p in parts), write, read,
                        tuple(_sql_type(hints[p]) for p in parts))


def _text_spans(name: str, column: str) -> FieldColumns:
    def write(spans: Sequence[TextSpan]) -> tuple[Any, ...]:
        return (json.dumps([{"start": s.start, "end": s.end} for s in spans]),)

    def read(text: str, vals: tuple[Any, ...]) -> tuple[TextSpan, ...]:
        return tuple(TextSpan(m["start"], m["end"], text[m["start"]:m["end"]]) for m in json.loads(vals[0] or "[]"))

    return FieldColumns(name, (column,), write, read, ("JSON",))


def _records(name: str, column: str, cls: Any) -> FieldColumns:
    names = [f.name for f in fields(cls)]

    def write(items: Sequence[Any]) -> tuple[Any, ...]:
        return (json.dumps([item.to_dict() for item in items], ensure_ascii=False),)

    def read(_text: str, vals: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(cls(**{n: d.get(n) for n in names}) for d in json.loads(vals[0] or "[]"))

    return FieldColumns(name, (column,), write, read, ("JSON",))


def _record(name: str, column: str, cls: Any) -> FieldColumns:
    names = [f.name for f in fields(cls)]

    def write(item: Any) -> tuple[Any, ...]:
        return (None if item is None else json.dumps(item.to_dict(), ensure_ascii=False),)

    def read(_text: str, vals: tuple[Any, ...]) -> Any:
        return None if vals[0] is None else cls(**{n: json.loads(vals[0]).get(n) for n in names})

    return FieldColumns(name, (column,), write, read, ("JSON",))


def _strings(name: str, column: str) -> FieldColumns:
    return FieldColumns(name, (column,), lambda v: (list(v),), lambda _text, vals: tuple(vals[0] or ()),
                        ("VARCHAR[]",))


def _without_none(hint: Any) -> Any:
    """``T`` for ``T | None``, else the hint itself."""
    args = [a for a in get_args(hint) if a is not NoneType]
    return args[0] if get_origin(hint) is UnionType and len(args) == 1 else hint


def field_columns(record: type, renames: Mapping[str, str], separate: Sequence[str]) -> tuple[FieldColumns, ...]:
    """The stored form of every field of ``record`` but those kept in a table of their own."""
    hints = get_type_hints(record)
    out = []
    for f in fields(record):
        if f.name in separate:
            continue
        column = renames.get(f.name, f.name)
        hint = _without_none(hints[f.name])
        if is_dataclass(hint) and "start" in {part.name for part in fields(hint)}:
            out.append(_span(f.name, column, hint))
        elif is_dataclass(hint):
            out.append(_record(f.name, column, hint))
        elif get_origin(hint) is tuple:
            item = get_args(hint)[0]
            if item is TextSpan:
                out.append(_text_spans(f.name, column))
            elif is_dataclass(item):
                out.append(_records(f.name, column, item))
            else:
                out.append(_strings(f.name, column))
        else:
            out.append(_value(f.name, column, None if f.default is MISSING else f.default, hint))
    return tuple(out)


@dataclass(frozen=True)
class Table:
    """A table holding one kind of record, with the key columns that say whose record it is."""

    name: str
    record: type
    keys: tuple[str, ...] = ("doc_id",)  # columns before the record's own (owner, position)
    renames: Mapping[str, str] = field(default_factory=dict)  # field -> column, where they differ
    separate: tuple[str, ...] = ()  # fields stored in a table of their own
    computed: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)  # columns no field holds
    order: str = "seq"  # how one document's records are read back in their order

    def create_sql(self) -> str:
        """``CREATE TABLE IF NOT EXISTS`` from the record's fields (computed columns are not typed
        by a field: only tables without them are created this way)."""
        keys = [f'"{k}" {KEY_TYPES[k]} NOT NULL' for k in self.keys]
        own = [f'"{c}" {t}' for f in self.fields for c, t in zip(f.columns, f.types)]
        return f"CREATE TABLE IF NOT EXISTS {self.name} ({', '.join(keys + own)})"

    @cached_property
    def fields(self) -> tuple[FieldColumns, ...]:
        return field_columns(self.record, self.renames, self.separate)

    @cached_property
    def columns(self) -> tuple[str, ...]:
        """The record's own columns, in field order: what ``select`` lists and ``read`` takes."""
        return tuple(c for f in self.fields for c in f.columns)

    def select(self, alias: str = "") -> str:
        prefix = f"{alias}." if alias else ""
        return ", ".join(f'{prefix}"{c}"' for c in self.columns)

    def read(self, text: str, row: Sequence[Any], **given: Any) -> Any:
        """The record of a row of ``columns``; ``given`` supplies the separately stored fields."""
        values, at = dict(given), 0
        for f in self.fields:
            width = len(f.columns)
            values[f.name] = f.read(text, tuple(row[at:at + width]))
            at += width
        return self.record(**values)

    def insert(self, con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[tuple[Any, ...], Any]]) -> None:
        """Insert ``(key values, record)`` pairs, one statement for the whole batch."""
        names = [*self.keys, *self.columns, *self.computed]
        flat = [(*keys, *(v for f in self.fields for v in f.write(getattr(record, f.name))),
                 *(compute(record) for compute in self.computed.values())) for keys, record in rows]
        if flat:
            insert_columns(con, self.name, dict(zip(names, (list(c) for c in zip(*flat)))))


def fetch_dicts(con: duckdb.DuckDBPyConnection, sql: str,
                params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict[str, Any]]:
    """The rows of a query as dicts keyed by column name (positional or named parameters)."""
    cursor = con.execute(sql, params if isinstance(params, Mapping) else list(params))
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def insert_columns(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, list[Any]]) -> None:
    """Insert many rows at once as parallel lists.

    Why not ``executemany``: measured 0.5 ms per row on DuckDB 2.0 against about 6 us per row for
    one ``INSERT ... SELECT unnest(...)`` of whole columns.
    """
    names = list(columns)
    if not names or not columns[names[0]]:
        return
    select = ", ".join(f"unnest(${i + 1})" for i in range(len(names)))
    quoted = ", ".join(f'"{n}"' for n in names)
    con.execute(f"INSERT INTO {table} ({quoted}) SELECT {select}", [columns[n] for n in names])


# Types of the key columns that say whose record a row is.
KEY_TYPES = {"doc_id": "VARCHAR", "seq": "INTEGER", "entity_id": "VARCHAR"}


def _mention_count(event: Event) -> int:
    return len(event.mentions or (event.trigger,))


DOCUMENTS = Table("documents", Document, keys=(), computed={"schema": lambda _doc: SCHEMA})
SEGMENTS = Table("segments", Segment, keys=("doc_id", "seq"))
# Records of one document in their stored order (ids are "e1", "q2", "v3": ordered by number).
BY_NUMBER = "CAST(substr({}, 2) AS INTEGER)"
ENTITIES = Table("entities", Entity, renames={"id": "entity_id"}, separate=("mentions",),
                 order=BY_NUMBER.format("entity_id"))
MENTIONS = Table("mentions", Mention, keys=("doc_id", "entity_id"), order="start")
QUOTES = Table("quotes", Quote, renames={"id": "quote_id"}, order=BY_NUMBER.format("quote_id"))
EVENTS = Table("events", Event, renames={"id": "event_id", "quote": "quote_id"},
               computed={"mention_count": _mention_count}, order=BY_NUMBER.format("event_id"))
FRAMING = Table("framing", Framing, keys=("doc_id", "seq"), renames={"quote": "quote_id"})
TIMES = Table("times", TimeExpression, keys=("doc_id", "seq"))

# The tables of an analysis's flat record lists, by the ``Analysis`` field they hold: written,
# read back, replaced on re-analysis and exported together. A new analyzer's records get their
# table by one line here; it is created when a database is opened (``Table.create_sql``).
# Entities are not listed: their mentions go to a table of their own.
RECORD_TABLES: dict[str, Table] = {"segments": SEGMENTS, "quotes": QUOTES, "events": EVENTS, "framing": FRAMING,
                                   "times": TIMES}
