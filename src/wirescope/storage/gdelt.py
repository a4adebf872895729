"""GDELT 2.0 exports of the stored events: the event table, the Mentions table and an extension table.

``wirescope export --format gdelt --out DIR`` writes three tables, each as TSV and as Parquet (and
a fourth, the GKG 2.1 table of the documents: ``storage.gkg``):

* ``events.gdelt.tsv``: exactly GDELT 2.0's 61 event columns (``EVENT_COLUMNS``, the order of
  GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv), tab-separated, **no header row**, so a
  script that reads GDELT files by position (``row[26]`` EventCode, ``row[60]`` SOURCEURL) reads it.
  A column wirescope has no value for is blank: the ethnic codes, ADM2Code (but for a US county), and
  a geo column of a side or action with no resolved place.
* ``mentions.gdelt.tsv``: GDELT 2.0 Mentions' 16 columns (``MENTION_COLUMNS``), no header, one row per
  report of an event in its article (``Event.mentions``).
* ``events.wirescope.tsv``: with a header row, wirescope's own fields keyed by ``GLOBALEVENTID``
  (``EXTENSION_COLUMNS``): document and event ids, actor ids, spans, negated, hypothetical, in-quote,
  confidence. It lists *every* stored event; ``in_gdelt`` says whether the event is in the GDELT tables.

The ``.parquet`` files hold the same rows with typed columns (GDELT's INTEGER as int64, FLOAT as
double, STRING as string; blanks are nulls; the extension's flags are booleans).

Choices, column by column (GDELT's codebook meaning first, then what wirescope puts there):

* ``GLOBALEVENTID``: a stable 63-bit integer, the first 8 bytes of SHA-1 of ``"<doc id>/<event id>"``
  shifted right by one bit (``global_event_id``): the same stored event keeps its id across exports.
* ``SQLDATE``/``MonthYear``/``Year``/``FractionDate``: the day the event's sentence states ("on
  Friday", resolved against the article's date: ``Event.date`` with ``date_source`` "sentence"), else
  the document's published date; blank for an undated document (never the day it was ingested).
  FractionDate is GDELT's ``YYYY + (MONTH*30+DAY)/365``.
* ``Actor1Geo_*``/``Actor2Geo_*``: the GeoNames place of the side's entity when the side is a place
  ("Texas" demanded...), else blank; ``ActionGeo_*``: the event's action location (``Event.location``:
  the place named in its sentence nearest the trigger), else blank. Type is GDELT's 1 country, 2 US
  state, 3 US city, 4 world city, 5 world state (first-level division); CountryCode is FIPS 10-4;
  ADM1Code is the FIPS country code and GeoNames' first-level code ("USTX"); ADM2Code blank except for a US county:
  state + 3-digit county FIPS code ("IL031"), whose FeatureID is blank (no GNIS id);
  FeatureID the GeoNames id (GDELT uses GNS/GNIS ids: a number of another gazetteer).
* Actor columns: the first side of each role (GDELT has one actor per role), its CAMEO code split as
  GDELT splits it (``split_actor_code``): the first three letters are the country (or region) unless
  they are a type or religion code; later three-letter parts are type codes (up to three), religion
  codes (up to two) or, the first other one, the known group ("PSEREBHMS": PSE, type REB, group HMS;
  "IGOUNO": type IGO, group UNO). Ethnic codes are never told apart from known groups: left blank.
  Actor1Name is the side's canonical name (else its text) in upper case, as GDELT writes names.
* ``IsRootEvent``: 1 when the trigger is in the lead (title and first paragraph).
* ``EventCode``/``EventBaseCode``/``EventRootCode``/``QuadClass``/``GoldsteinScale``: the CAMEO code of
  the PLOVER type and mode (``data/plover_cameo.tsv``). An event with no CAMEO code, and a negated
  event ("did not attack": it did not happen, and GDELT has no code for it), is left out of the
  GDELT tables (it stays in the extension table).
* ``NumMentions``: the reports of the event in its article; ``NumSources`` and ``NumArticles``: 1
  (one row is one event of one article, wirescope does not merge events across articles).
* ``AvgTone`` (and Mentions' ``MentionDocTone``): the document's word-count tone on GDELT's scale
  (``DocumentTone.gdelt_tone``: positive minus negative words, percent of all words, from the Hu & Liu
  opinion lexicon; GDELT's own dictionary is not published, so values are comparable in kind only).
* ``DATEADDED``: when the document was stored, ``YYYYMMDDHHMMSS`` in UTC (not rounded to GDELT's
  15 minutes). ``SOURCEURL``: the document's URL, blank when it has none.

Mentions:

* ``EventTimeDate`` is the event's DATEADDED; ``MentionTimeDate`` is when the mentioning article was
  stored, which for wirescope is the same moment (both blank if unknown).
* ``MentionType``: 1 (WEB) with the URL as ``MentionIdentifier`` and its host (``www.`` dropped) as
  ``MentionSourceName``; a document without a URL is 2 (CITATIONONLY) with what it was ingested from
  (else its id) as the identifier and its outlet as the source name.
* ``SentenceID``: the 1-based number of the sentence holding the trigger, sentences split by a
  regular expression (a stop before a space, or a line break): the parse is not stored, so a
  sentence with "Mr." in it may count twice.
* ``Actor1CharOffset``/``Actor2CharOffset``/``ActionCharOffset``: character offsets into the stored
  document text (``documents.text``) of the first actor, the first recipient and the trigger. The
  actors are located in the event's first report only; a report repeated in another sentence, or a
  role with no side, gets GDELT's -1 ("not found").
* ``InRawText``: 1 (wirescope codes the text as written, it never rewrites it); ``Confidence``: the
  event's confidence as a percent; ``MentionDocLen``: the length of the stored text;
  ``MentionDocTone``: the document's ``AvgTone``; ``MentionDocTranslationInfo`` and ``Extras``: blank
  (wirescope translates nothing).

TSV cells never hold a tab or a line break (replaced by a space); a cell holding a double quote is
quoted as the csv module does (so ``csv.reader(f, delimiter="\\t")`` reads it back exactly and a plain
split on tabs still gives 61 fields).
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from wirescope.records import Event, EventActor, Place, TextSpan

Value = int | float | str | bool | None
Column = tuple[str, str]  # (name, GDELT type: INTEGER, FLOAT, STRING; BOOLEAN in the extension)


def _actor_columns(n: int) -> tuple[Column, ...]:
    names = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
             "Type1Code", "Type2Code", "Type3Code")
    return tuple((f"Actor{n}{name}", "STRING") for name in names)


def _geo_columns(prefix: str) -> tuple[Column, ...]:
    return ((f"{prefix}Geo_Type", "INTEGER"), (f"{prefix}Geo_FullName", "STRING"),
            (f"{prefix}Geo_CountryCode", "STRING"), (f"{prefix}Geo_ADM1Code", "STRING"),
            (f"{prefix}Geo_ADM2Code", "STRING"), (f"{prefix}Geo_Lat", "FLOAT"), (f"{prefix}Geo_Long", "FLOAT"),
            (f"{prefix}Geo_FeatureID", "STRING"))


# GDELT 2.0's event table, in its order (GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv).
EVENT_COLUMNS: tuple[Column, ...] = (
    ("GLOBALEVENTID", "INTEGER"), ("SQLDATE", "INTEGER"), ("MonthYear", "INTEGER"), ("Year", "INTEGER"),
    ("FractionDate", "FLOAT"), *_actor_columns(1), *_actor_columns(2),
    ("IsRootEvent", "INTEGER"), ("EventCode", "STRING"), ("EventBaseCode", "STRING"), ("EventRootCode", "STRING"),
    ("QuadClass", "INTEGER"), ("GoldsteinScale", "FLOAT"), ("NumMentions", "INTEGER"), ("NumSources", "INTEGER"),
    ("NumArticles", "INTEGER"), ("AvgTone", "FLOAT"),
    *_geo_columns("Actor1"), *_geo_columns("Actor2"), *_geo_columns("Action"),
    ("DATEADDED", "INTEGER"), ("SOURCEURL", "STRING"),
)
# GDELT 2.0's Mentions table, in its order (GDELT_2.0_eventMentions_Column_Labels_Header_Row_Sep2016.tsv).
MENTION_COLUMNS: tuple[Column, ...] = (
    ("GLOBALEVENTID", "INTEGER"), ("EventTimeDate", "INTEGER"), ("MentionTimeDate", "INTEGER"),
    ("MentionType", "INTEGER"), ("MentionSourceName", "STRING"), ("MentionIdentifier", "STRING"),
    ("SentenceID", "INTEGER"), ("Actor1CharOffset", "INTEGER"), ("Actor2CharOffset", "INTEGER"),
    ("ActionCharOffset", "INTEGER"), ("InRawText", "INTEGER"), ("Confidence", "INTEGER"),
    ("MentionDocLen", "INTEGER"), ("MentionDocTone", "FLOAT"), ("MentionDocTranslationInfo", "STRING"),
    ("Extras", "STRING"),
)


def _side_columns(n: int) -> tuple[Column, ...]:
    return ((f"actor{n}_id", "STRING"), (f"actor{n}_entity", "STRING"), (f"actor{n}_start", "INTEGER"),
            (f"actor{n}_end", "INTEGER"), (f"actor{n}_text", "STRING"))


# wirescope's own fields, keyed by GLOBALEVENTID (actor1: the first actor, actor2: the first recipient).
EXTENSION_COLUMNS: tuple[Column, ...] = (
    ("GLOBALEVENTID", "INTEGER"), ("doc_id", "STRING"), ("event_id", "STRING"), ("in_gdelt", "BOOLEAN"),
    ("plover_type", "STRING"), ("plover_mode", "STRING"), *_side_columns(1), *_side_columns(2),
    ("trigger_start", "INTEGER"), ("trigger_end", "INTEGER"), ("trigger_text", "STRING"),
    ("sentence_start", "INTEGER"), ("sentence_end", "INTEGER"), ("negated", "BOOLEAN"),
    ("hypothetical", "BOOLEAN"), ("in_quote", "BOOLEAN"), ("quote_id", "STRING"), ("confidence", "FLOAT"),
    ("mention_count", "INTEGER"), ("event_date", "STRING"), ("date_source", "STRING"), ("date_start", "INTEGER"),
    ("date_end", "INTEGER"), ("location_entity", "STRING"),
)
EVENTS_FILE = "events.gdelt"
MENTIONS_FILE = "mentions.gdelt"
EXTENSION_FILE = "events.wirescope"
FILE_NAME = f"{EVENTS_FILE}.tsv"

# CAMEO actor codes (CAMEO codebook, actor chapters) that are types/roles and religions, not
# countries or known groups: how GDELT splits a raw actor code into its columns.
TYPE_CODES = frozenset({
    "COP", "GOV", "INS", "JUD", "MIL", "OPP", "REB", "SEP", "SPY", "UAF", "AGR", "BUS", "CRM", "CVL", "DEV",
    "EDU", "ELI", "ENV", "HLH", "HRI", "LAB", "LEG", "MED", "REF", "MOD", "RAD", "SET", "PTY", "PPL",
    "IGO", "IMG", "INT", "MNC", "NGM", "NGO", "UIS",
})
RELIGION_CODES = frozenset({
    "ADR", "ALE", "ATH", "BAH", "BUD", "CHR", "CON", "CPT", "CTH", "DOX", "DRZ", "HIN", "HSD", "ITR", "JAN",
    "JEW", "JHW", "LDS", "MOS", "MUS", "NRM", "ORT", "PRO", "REL", "SHI", "SHN", "SIK", "SUF", "SUN",
    "TAO", "UDX", "ZRO",
})
# A sentence ends at a stop (with closing quotes) before a space, or at a line break.
_SENTENCE_END = re.compile(r"(?:[.!?][\"”’)]*[ \t]+|\s*\n\s*)(?=\S)")


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


def stable_number(key: str) -> int:
    """A stable 63-bit integer of a key: the first 8 bytes of its SHA-1, shifted right by one bit."""
    return int.from_bytes(hashlib.sha1(key.encode()).digest()[:8], "big") >> 1


def global_event_id(doc_id: str, event_id: str) -> int:
    """A stable 63-bit integer id: the same stored event keeps its id across exports."""
    return stable_number(f"{doc_id}/{event_id}")


def sentence_starts(text: str) -> tuple[int, ...]:
    """Where each sentence of ``text`` starts (see ``_SENTENCE_END``), for GDELT's SentenceID."""
    first = len(text) - len(text.lstrip())
    return (first, *(m.end() for m in _SENTENCE_END.finditer(text)))


@dataclass(frozen=True)
class DocumentFacts:
    """What the export needs of one stored document."""

    doc_id: str
    when: datetime | None  # published; None when undated
    added: datetime | None  # stored_at, in UTC
    url: str | None
    outlet: str | None
    source: str | None  # what it was ingested from
    text_length: int
    sentences: tuple[int, ...]  # sentence starts
    lead_end: int  # end of the lead (title and first paragraph): GDELT's IsRootEvent
    tone: float | None = None


@dataclass(frozen=True)
class EventRow:
    """One stored event with its document and the register's actor ids of its first actor and recipient."""

    doc: DocumentFacts
    event: Event
    actor_ids: tuple[str | None, str | None] = (None, None)
    side_places: tuple[Place | None, Place | None] = (None, None)  # of the first actor's and recipient's entity

    @property
    def global_id(self) -> int:
        return global_event_id(self.doc.doc_id, self.event.id)

    @property
    def cameo(self) -> CameoCode | None:
        return None if self.event.negated else cameo_for(self.event)


@dataclass(frozen=True)
class ActorCode:
    """A raw CAMEO actor code as GDELT splits it into columns."""

    country: str = ""
    known_group: str = ""
    religions: tuple[str, ...] = ()
    types: tuple[str, ...] = ()


def split_actor_code(code: str) -> ActorCode:
    """GDELT's split of a CAMEO actor code into country, known group, religion and type codes."""
    parts = [code[i : i + 3] for i in range(0, len(code), 3)]
    if not code or not all(len(p) == 3 and p.isalpha() for p in parts):
        return ActorCode()
    country, group = "", ""
    religions: list[str] = []
    types: list[str] = []
    for index, part in enumerate(parts):
        if part in TYPE_CODES:
            types.append(part)
        elif part in RELIGION_CODES:
            religions.append(part)
        elif index == 0:
            country = part
        elif not group:
            group = part
    return ActorCode(country, group, tuple(religions[:2]), tuple(types[:3]))


def _padded(values: Sequence[str], size: int) -> list[str | None]:
    return [*values, *([None] * (size - len(values)))][:size]


def _actor_values(sides: tuple[EventActor, ...]) -> list[Value]:
    """Code, name, country, known group, ethnic, two religions and three types of the first side."""
    if not sides:
        return [None] * 10
    side = sides[0]
    code = (side.code or "").upper()
    split = split_actor_code(code)
    name = (side.name or side.text).upper()
    return [code or None, name or None, split.country or None, split.known_group or None, None,
            *_padded(split.religions, 2), *_padded(split.types, 3)]


def _date_values(when: datetime | None) -> list[Value]:
    if when is None:
        return [None, None, None, None]
    fraction = round(when.year + (when.month * 30 + when.day) / 365, 4)
    return [int(when.strftime("%Y%m%d")), int(when.strftime("%Y%m")), when.year, fraction]


def event_day(event: Event, published: datetime | None) -> datetime | None:
    """The day the event's sentence states, else the document's published day."""
    if event.date_source == "sentence" and event.date and len(event.date) == 10:
        try:
            return datetime.fromisoformat(event.date)
        except ValueError:
            pass
    return published


# GDELT's geographic resolution codes (Geo_Type).
GEO_COUNTRY, GEO_US_STATE, GEO_US_CITY, GEO_WORLD_CITY, GEO_WORLD_STATE = 1, 2, 3, 4, 5


def geo_values(place: Place | None) -> list[Value]:
    """GDELT's eight Geo_ columns of a place (blanks for none, or a continent: GDELT has no type for it)."""
    if place is None or place.feature not in ("country", "admin1", "city", "county"):
        return [None] * 8
    us = place.country == "US"
    # GDELT has no county type: a US county is located like a US city or landmark (3)
    kind = {"country": GEO_COUNTRY, "admin1": GEO_US_STATE if us else GEO_WORLD_STATE,
            "city": GEO_US_CITY if us else GEO_WORLD_CITY, "county": GEO_US_CITY}[place.feature]
    parts = [place.name, *([place.admin1_name] if place.admin1_name and place.admin1_name != place.name else []),
             *([place.country] if place.country and place.feature != "country" else [])]
    adm1 = f"{place.country_fips}{place.admin1}" if place.country_fips and place.admin1 else place.country_fips
    # A county's geonames_id is minus its FIPS code (analysis/places_index.py): GDELT's US ADM2Code is
    # the state and the 3-digit county code ("IL031"); its FeatureID (a GNIS id) stays blank.
    county = place.feature == "county"
    adm2 = f"{place.admin1}{-place.geonames_id % 1000:03d}" if county and place.admin1 else None
    return [kind, ", ".join(parts), place.country_fips, adm1, adm2, place.latitude, place.longitude,
            None if county else str(place.geonames_id)]


def timestamp(moment: datetime | None) -> int | None:
    return int(moment.strftime("%Y%m%d%H%M%S")) if moment else None


def event_values(row: EventRow) -> list[Value] | None:
    """The 61 GDELT values of an event (None for a blank); None when it has no place in GDELT."""
    event, doc, cameo = row.event, row.doc, row.cameo
    if cameo is None:
        return None
    is_root = event.trigger.start < doc.lead_end
    return [
        row.global_id, *_date_values(event_day(event, doc.when)), *_actor_values(event.actors),
        *_actor_values(event.recipients),
        int(is_root), cameo.code, cameo.code[:3], cameo.root, cameo.quad_class, cameo.goldstein,
        len(event.mentions or (event.trigger,)), 1, 1, doc.tone,
        *geo_values(row.side_places[0]), *geo_values(row.side_places[1]), *geo_values(event.location),
        timestamp(doc.added), doc.url or None,
    ]


def source_fields(url: str | None, outlet: str | None, source: str | None, doc_id: str) -> tuple[int, str | None, str]:
    """GDELT's source type, source name and identifier of a document: 1 (WEB), its URL's host (``www.``
    dropped) and the URL; without a URL 2 (CITATIONONLY), its outlet and what it was ingested from
    (else its id). The Mentions table and the GKG (``storage.gkg``) both write them."""
    if url:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        return 1, host or None, url
    return 2, outlet or None, source or doc_id


def _source(doc: DocumentFacts) -> tuple[int, str | None, str | None]:
    """MentionType, MentionSourceName and MentionIdentifier of a document."""
    return source_fields(doc.url, doc.outlet, doc.source, doc.doc_id)


def mention_values(row: EventRow) -> list[list[Value]]:
    """The 16 GDELT Mentions values of each report of an event (none when it has no place in GDELT)."""
    event, doc = row.event, row.doc
    if row.cameo is None:
        return []
    kind, source_name, identifier = _source(doc)
    added = timestamp(doc.added)
    out: list[list[Value]] = []
    for mention in event.mentions or (event.trigger,):
        first = mention.start == event.trigger.start
        actor1 = event.actors[0].start if first and event.actors else -1
        actor2 = event.recipients[0].start if first and event.recipients else -1
        out.append([
            row.global_id, added, added, kind, source_name, identifier,
            bisect.bisect_right(doc.sentences, mention.start), actor1, actor2, mention.start,
            1, round(event.confidence * 100), doc.text_length, doc.tone, None, None,
        ])
    return out


def _side_values(sides: tuple[EventActor, ...], actor: str | None) -> list[Value]:
    if not sides:
        return [None] * 5
    side = sides[0]
    return [actor, side.entity, side.start, side.end, side.text]


def extension_values(row: EventRow) -> list[Value]:
    """wirescope's fields of any stored event, keyed by its GLOBALEVENTID."""
    event = row.event
    trigger: TextSpan = event.trigger
    return [
        row.global_id, row.doc.doc_id, event.id, row.cameo is not None, event.type, event.mode,
        *_side_values(event.actors, row.actor_ids[0]), *_side_values(event.recipients, row.actor_ids[1]),
        trigger.start, trigger.end, trigger.text, event.sentence.start, event.sentence.end,
        event.negated, event.hypothetical, event.quote is not None, event.quote, event.confidence,
        len(event.mentions or (trigger,)), event.date, event.date_source,
        event.date_span.start if event.date_span else None, event.date_span.end if event.date_span else None,
        event.location_entity,
    ]


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def write_tsv(path: Path, header: Sequence[str] | None, rows: Iterable[Sequence[Value]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        if header is not None:
            writer.writerow(header)
        writer.writerows([_cell(v) for v in row] for row in rows)
    return path


def write_parquet(path: Path, columns: Sequence[Column], rows: Sequence[Sequence[Value]]) -> Path:
    """The rows as Parquet with typed columns (pyarrow: already a dependency, for backfill shards)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"INTEGER": pa.int64(), "FLOAT": pa.float64(), "STRING": pa.string(), "BOOLEAN": pa.bool_()}
    schema = pa.schema([(name, types[kind]) for name, kind in columns])
    data: dict[str, list[Any]] = {name: [row[i] for row in rows] for i, (name, _) in enumerate(columns)}
    pq.write_table(pa.table(data, schema=schema), path)
    return path


# Per document: published date, stored_at in UTC, URL, outlet, source and text.
DOCUMENTS_SQL = ("SELECT id, published, timezone('UTC', stored_at::TIMESTAMPTZ), url, outlet, source, text, "
                 "CAST(tone AS VARCHAR) FROM documents")
# The lead (GDELT's IsRootEvent): the title and the first paragraph of the body.
LEAD_SQL = ("SELECT s.doc_id, min(s.start), any_value(d.text) FROM segments s "
            "JOIN documents d ON d.id = s.doc_id WHERE s.kind = 'body' GROUP BY s.doc_id")


def read_documents(con: Any) -> dict[str, DocumentFacts]:
    """Every stored document's facts (``con``: a DuckDB connection, or a server's, storage.remote)."""
    lead: dict[str, int] = {}
    for doc_id, start, text in con.execute(LEAD_SQL).fetchall():
        end = text.find("\n", start)
        lead[doc_id] = len(text) if end < 0 else end
    return {
        doc_id: DocumentFacts(doc_id, parse_date(published), added, url, outlet, source, len(text),
                              sentence_starts(text), lead.get(doc_id, 0),
                              json.loads(tone)["gdelt_tone"] if tone else None)
        for doc_id, published, added, url, outlet, source, text, tone in con.execute(DOCUMENTS_SQL).fetchall()
    }


def read_actor_ids(con: Any) -> dict[tuple[str, str, str, int, int], str]:
    """(doc id, event id, role, start, end) of each event side -> its actor id in the register."""
    from wirescope.storage.register import ref_actors_sql, refs_sql

    sql = f"SELECT doc_id, ref_id, role, start, \"end\", actor FROM ({ref_actors_sql(refs_sql(quotes=False))}) " \
          "WHERE actor IS NOT NULL"
    return {(doc_id, ref, role, start, end): actor for doc_id, ref, role, start, end, actor
            in con.execute(sql).fetchall()}


def read_entity_places(con: Any) -> dict[tuple[str, str], Place]:
    """(doc id, entity id) -> the GeoNames place of every resolved place entity."""
    names = [f.name for f in fields(Place)]
    rows = con.execute("SELECT doc_id, entity_id, place FROM entities WHERE place IS NOT NULL").fetchall()
    return {(doc_id, entity_id): Place(**{n: json.loads(place).get(n) for n in names})
            for doc_id, entity_id, place in rows}


def event_rows(con: Any, events: Iterable[tuple[str, Event]]) -> list[EventRow]:
    """The export's rows of ``events`` ((doc id, event) pairs, in the export's order)."""
    docs = read_documents(con)
    actors = read_actor_ids(con)
    places = read_entity_places(con)

    def actor_of(doc_id: str, event: Event, role: str, sides: tuple[EventActor, ...]) -> str | None:
        return actors.get((doc_id, event.id, role, sides[0].start, sides[0].end)) if sides else None

    def place_of(doc_id: str, sides: tuple[EventActor, ...]) -> Place | None:
        return places.get((doc_id, sides[0].entity)) if sides and sides[0].entity else None

    return [EventRow(docs[doc_id], event, (actor_of(doc_id, event, "actor", event.actors),
                                           actor_of(doc_id, event, "recipient", event.recipients)),
                     (place_of(doc_id, event.actors), place_of(doc_id, event.recipients)))
            for doc_id, event in events]


def write_gdelt(rows: Iterable[EventRow], out_dir: str | Path) -> list[Path]:
    """Write the event, Mentions and extension tables into ``out_dir``, each as ``.tsv`` and ``.parquet``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = list(rows)
    events = [values for values in map(event_values, rows) if values is not None]
    mentions = [values for row in rows for values in mention_values(row)]
    extension = [extension_values(row) for row in rows]
    written = []
    for stem, columns, table, header in (
        (EVENTS_FILE, EVENT_COLUMNS, events, False),
        (MENTIONS_FILE, MENTION_COLUMNS, mentions, False),
        (EXTENSION_FILE, EXTENSION_COLUMNS, extension, True),
    ):
        names = [name for name, _ in columns]
        written.append(write_tsv(out / f"{stem}.tsv", names if header else None, table))
        written.append(write_parquet(out / f"{stem}.parquet", columns, table))
    return written
