"""GDELT-style export of events: a CAMEO root code, QuadClass and Goldstein score for each event.

Each PLOVER event gets the CAMEO code that stands for its type and mode in
``data/plover_cameo.tsv`` (built by ``scripts/build_event_lexicon.py`` from CAMEO2PLOVER-2021.txt and
GDELT's Goldstein table). The export is a tab-separated table with a header row named as in
GDELT 2.0's event table for the columns wirescope can fill, plus ``wirescope_*`` columns that GDELT
has no place for (the PLOVER type, document and event ids, negation and hypothesis flags).
Unlike GDELT, one row is one event however many times the article reports it (``NumMentions``).
Negated events ("did not attack") are left out: they did not happen, and GDELT has no code for them.
An undated document's events have empty date columns (``SQLDATE``, ``MonthYear``, ``Year``,
``FractionDate``), never the day it was ingested; ``DATEADDED`` is when it was stored.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path

from wirescope.records import Event, EventActor

# Columns of GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv that an article's events fill.
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1Type1Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2Type1Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "DATEADDED", "SOURCEURL",
)
EXTRA_COLUMNS: tuple[str, ...] = (
    "wirescope_type", "wirescope_mode", "wirescope_doc_id", "wirescope_event_id",
    "wirescope_hypothetical", "wirescope_quote", "wirescope_trigger",
)
FILE_NAME = "events.gdelt.tsv"


@dataclass(frozen=True)
class CameoCode:
    code: str
    root: str
    quad_class: int
    goldstein: float


@lru_cache(maxsize=1)
def cameo_table() -> dict[tuple[str, str], CameoCode]:
    """(PLOVER type, mode) -> its CAMEO code; mode '' is the type's general code."""
    text = resources.files("wirescope").joinpath("data/plover_cameo.tsv").read_text("utf-8")
    table = {}
    for line in text.splitlines():
        if not line or line.startswith(("#", "type\t")):
            continue
        etype, mode, code, root, quad, goldstein = line.split("\t")
        table[(etype, mode)] = CameoCode(code, root, int(quad), float(goldstein))
    return table


def cameo_for(event: Event) -> CameoCode | None:
    """The CAMEO code of a PLOVER event: its mode's code, else its type's."""
    table = cameo_table()
    return table.get((event.type, event.mode or "")) or table.get((event.type, ""))


def _actor_columns(sides: tuple[EventActor, ...]) -> list[str]:
    """Code, name, country and type of the first side (GDELT has one actor per role)."""
    if not sides:
        return ["", "", "", ""]
    side = sides[0]
    code = side.code or ""
    country = code[:3] if code[:3].isalpha() else ""
    return [code, (side.name or side.text).upper(), country, code[3:6]]


def _date_columns(when: datetime | None) -> list[str]:
    if when is None:
        return ["", "", "", ""]
    fraction = when.year + (when.month * 30 + when.day) / 365
    return [when.strftime("%Y%m%d"), when.strftime("%Y%m"), str(when.year), f"{fraction:.4f}"]


def parse_date(value: object) -> datetime | None:
    """A document's published date (normalised ISO text, or a timestamp) as a datetime; None when
    undated or unreadable (a date stored raw before dates were normalised)."""
    if isinstance(value, datetime):
        return value
    if not value:
        return None
    text = str(value).strip().replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        try:
            return datetime.fromisoformat(text[:10])
        except ValueError:
            return None


def global_event_id(doc_id: str, event_id: str) -> int:
    """A stable 63-bit integer id: the same stored event keeps its id across exports."""
    digest = hashlib.sha1(f"{doc_id}/{event_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


@dataclass(frozen=True)
class EventRow:
    """What the export needs of one stored event."""

    doc_id: str
    event: Event
    when: datetime | None
    added: datetime | None
    url: str | None
    is_root: bool


def gdelt_row(row: EventRow) -> list[str] | None:
    event = row.event
    cameo = cameo_for(event)
    if cameo is None or event.negated:
        return None
    mentions = len(event.mentions or (event.trigger,))
    return [
        str(global_event_id(row.doc_id, event.id)), *_date_columns(row.when),
        *_actor_columns(event.actors), *_actor_columns(event.recipients),
        "1" if row.is_root else "0", cameo.code, cameo.code[:3], cameo.root, str(cameo.quad_class),
        f"{cameo.goldstein:.1f}", str(mentions), "1", "1",
        row.added.strftime("%Y%m%d%H%M%S") if row.added else "", row.url or "",
        event.type, event.mode or "", row.doc_id, event.id, "1" if event.hypothetical else "0",
        event.quote or "", event.trigger.text,
    ]


def write_gdelt(rows: Iterable[EventRow], out_dir: str | Path) -> Path:
    """Write ``OUT/events.gdelt.tsv`` (tab-separated, header row) and return its path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / FILE_NAME
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(GDELT_COLUMNS + EXTRA_COLUMNS)
        for row in rows:
            values = gdelt_row(row)
            if values is not None:
                writer.writerow([v.replace("\t", " ").replace("\n", " ") for v in values])
    return target
