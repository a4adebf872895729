"""A GDELT Global Knowledge Graph (GKG 2.1) table of the stored documents: one row per document.

``wirescope export --format gdelt`` writes it beside the event tables (``storage.gdelt``) as
``gkg.gdelt.tsv`` (GKG 2.1's 27 columns in its order, tab-separated, **no header row**, so
``row[10]`` is V2Locations and ``row[22]`` the quotations as GDELT's codebook numbers them) and
``gkg.gdelt.parquet`` (the same rows, typed columns). Every character offset is into the stored
document text (``documents.text``), as in the Mentions table. What wirescope has no value for is
blank: counts, themes, GCAM, images, embeds and translation.

Column by column (GKG 2.1's codebook meaning, then what wirescope puts there):

* ``GKGRECORDID``: GDELT's "YYYYMMDDHHMMSS-X": when the document was stored (UTC), a dash and a
  stable number of the document (the first 8 bytes of SHA-1 of its id, shifted right by one bit),
  so a document keeps its record id across exports.
* ``DATE``: when the document was stored, ``YYYYMMDDHHMMSS`` in UTC (the events' DATEADDED); its own
  publication date is in ``Extras``. ``SourceCollectionIdentifier``: 1 (WEB) for a document with a
  URL, else 2 (CITATIONONLY). ``SourceCommonName``: the URL's host without ``www.`` (else the
  outlet); ``DocumentIdentifier``: the URL (else what it was ingested from, else its id).
* ``Locations`` / ``V2Locations``: the named places of the document resolved to GeoNames
  ("Type#FullName#CountryCode#ADM1Code#Lat#Long#FeatureID"; V2 adds ADM2Code after ADM1Code and
  the mention's character offset last), one entry per place (V1) and per mention (V2), with the
  event table's Geo_ values (``gdelt.geo_values``). A country inferred for a name the gazetteer
  lacks is left out: it names no place of its own.
* ``Persons`` / ``V2Persons``, ``Organizations`` / ``V2Organizations``: each PERSON or ORG entity's
  canonical name (V1: once, ";"-separated) and each of its mentions as "Name,CharOffset" (V2);
  pronouns are not names.
* ``V2Tone``: "Tone,Positive,Negative,Polarity,ActivityReferenceDensity,SelfGroupReferenceDensity,
  WordCount" from the document's word-count tone (``DocumentTone``: the Hu & Liu lexicon on GDELT's
  scales, comparable in kind only); activity reference density is blank (not measured).
* ``Dates``: each time expression resolved to a day, month or year, "Resolution#Month#Day#Year#Offset"
  (4 a full date, 2 a month and year, 1 a year alone; a week has no GKG resolution and is left out).
* ``Quotations``: each quote "Offset|Length|Verb|Quote", "#"-separated: the content's offset and
  length, the cue ("said"), the content as written.
* ``AllNames``: every name mention of the document as written, "Name,CharOffset".
* ``Amounts``: "Amount,Object,Offset" for each number written before the thing it counts ("3
  soldiers", "$750,000", "12 percent"), read by ``amounts``.
* ``Extras``: GDELT's XML block with ``<PAGE_TITLE>``, and wirescope's ``<WIRESCOPE_DOC_ID>`` and
  ``<PUBLISHED>`` (the publication day; absent for an undated document).

Values never hold the field's own separators: a ";", "#", "|" or "," inside a name or a quote is
written as a space.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from wirescope.records import Analysis, Entity, Place, Quote, TimeExpression
from wirescope.storage.encoded import read_analyses
from wirescope.storage.gdelt import (
    Column,
    Value,
    geo_values,
    source_fields,
    stable_number,
    timestamp,
    write_parquet,
    write_tsv,
)
from wirescope.storage.register import PRONOUNS

GKG_FILE = "gkg.gdelt"
# GKG 2.1's columns in its order (the codebook's; "V2.1" prefixes as in GDELT's BigQuery schema).
GKG_COLUMNS: tuple[Column, ...] = (
    ("GKGRECORDID", "STRING"), ("DATE", "INTEGER"), ("SourceCollectionIdentifier", "INTEGER"),
    ("SourceCommonName", "STRING"), ("DocumentIdentifier", "STRING"), ("Counts", "STRING"),
    ("V2Counts", "STRING"), ("Themes", "STRING"), ("V2Themes", "STRING"), ("Locations", "STRING"),
    ("V2Locations", "STRING"), ("Persons", "STRING"), ("V2Persons", "STRING"), ("Organizations", "STRING"),
    ("V2Organizations", "STRING"), ("V2Tone", "STRING"), ("Dates", "STRING"), ("GCAM", "STRING"),
    ("SharingImage", "STRING"), ("RelatedImages", "STRING"), ("SocialImageEmbeds", "STRING"),
    ("SocialVideoEmbeds", "STRING"), ("Quotations", "STRING"), ("AllNames", "STRING"), ("Amounts", "STRING"),
    ("TranslationInfo", "STRING"), ("Extras", "STRING"),
)
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
BATCH = 200  # documents read back per query round
# The separators of GKG's fields: a name loses all of them, a place's full name keeps its commas
# ("Paris, Texas, US", as GDELT writes it), a quote keeps commas and semicolons.
NAME_SEPARATORS, PLACE_SEPARATORS, QUOTE_SEPARATORS = ";#|,", ";#|", "#|"
# A number before the word it counts. Written by hand: GDELT's Amounts pairs a number with the next
# noun, and the parse that could tell the noun is not stored (one parse per document).
_AMOUNT = re.compile(
    r"(?<![\w.,])(?P<currency>[$€£])?(?P<number>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?P<percent>%)?"
    r"(?:\s+(?P<scale>thousand|million|billion|trillion))?(?:\s+(?P<object>[a-z][a-z-]+))?", re.IGNORECASE)
_WORD_NUMBER = re.compile(
    r"\b(?P<number>two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens|hundreds|thousands)"
    r"(?:\s+(?P<scale>thousand|million|billion|trillion))?\s+(?P<object>[a-z][a-z-]+)\b", re.IGNORECASE)
WORD_VALUES = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
               "ten": 10, "eleven": 11, "twelve": 12, "dozens": 24, "hundreds": 200, "thousands": 2000}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
CURRENCIES = {"$": "dollars", "€": "euros", "£": "pounds"}
# Words after a number that count nothing: units of time and the words of dates and clock times.
NOT_OBJECTS = frozenset({
    "a", "an", "the", "and", "or", "to", "of", "in", "on", "at", "by", "for", "from", "p", "am", "pm",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
})


def _clean(value: str, separators: str = NAME_SEPARATORS) -> str:
    return " ".join(re.sub(f"[{re.escape(separators)}]", " ", value).split())


def _names(entities: Sequence[Entity], kind: str) -> tuple[str | None, str | None]:
    """V1 (canonical names, each once) and V2 ("Name,CharOffset" per mention) of one entity type."""
    chosen = [e for e in entities if e.type == kind]
    v1 = ";".join(dict.fromkeys(_clean(e.name) for e in chosen))
    v2 = ";".join(f"{_clean(e.name)},{m.start}" for e in chosen for m in e.mentions
                  if m.text.lower() not in PRONOUNS)
    return v1 or None, v2 or None


def _location(place: Place, offset: int | None) -> str:
    kind, name, country, adm1, adm2, lat, lon, feature = geo_values(place)
    v2 = offset is not None  # V2 adds ADM2Code and the mention's offset
    values = [kind, _clean(str(name), PLACE_SEPARATORS), country, adm1, *([adm2] if v2 else []), lat, lon, feature,
              *([offset] if v2 else [])]
    return "#".join("" if v is None else str(v) for v in values)


def _locations(entities: Sequence[Entity]) -> tuple[str | None, str | None]:
    placed = [e for e in entities if e.type in PLACE_TYPES and e.place is not None and not e.place.inferred
              and geo_values(e.place)[0] is not None]
    v1 = ";".join(dict.fromkeys(_location(e.place, None) for e in placed if e.place))
    v2 = ";".join(_location(e.place, m.start) for e in placed if e.place for m in e.mentions)
    return v1 or None, v2 or None


def _tone(analysis: Analysis) -> str | None:
    tone = analysis.document.tone
    if tone is None:
        return None
    values = [tone.gdelt_tone, tone.positive, tone.negative, tone.polarity, None,
              tone.self_group_reference_density, tone.word_count]
    return ",".join("" if v is None else str(round(v, 4) if isinstance(v, float) else v) for v in values)


def _date(time: TimeExpression) -> str | None:
    """GKG's "Resolution#Month#Day#Year#Offset" of a resolved day, month or year; None otherwise."""
    parts = (time.value or "").split("-")
    if time.granularity == "day" and len(parts) == 3:
        return f"4#{int(parts[1])}#{int(parts[2])}#{parts[0]}#{time.start}"
    if time.granularity == "month" and len(parts) == 2:
        return f"2#{int(parts[1])}#0#{parts[0]}#{time.start}"
    if time.granularity == "year" and len(parts) == 1 and parts[0].isdigit():
        return f"1#0#0#{parts[0]}#{time.start}"
    return None


def _quotation(quote: Quote) -> str:
    verb = _clean(quote.cue.text, QUOTE_SEPARATORS) if quote.cue else ""
    content = quote.content
    return f"{content.start}|{content.end - content.start}|{verb}|{_clean(content.text, QUOTE_SEPARATORS)}"


def amounts(text: str) -> list[tuple[float, str, int]]:
    """(amount, object, offset) of each number written before the thing it counts; a year ("in 2011
    elections") and a clock or calendar word after a number ("2 p.m.", "5 March") count nothing."""
    found = []
    for match in _AMOUNT.finditer(text):
        number = match["number"]
        # A sum of money counts its currency, "12%" percent, else the word after the number.
        obj = CURRENCIES.get(match["currency"] or "") or ("percent" if match["percent"] else
                                                         (match["object"] or "").lower())
        if not obj or obj in NOT_OBJECTS or (len(number) == 4 and number.isdigit() and 1800 <= int(number) <= 2100):
            continue
        value = float(number.replace(",", "")) * SCALES.get((match["scale"] or "").lower(), 1)
        found.append((value, obj, match.start()))
    for match in _WORD_NUMBER.finditer(text):
        if match["object"].lower() not in NOT_OBJECTS:
            value = WORD_VALUES[match["number"].lower()] * SCALES.get((match["scale"] or "").lower(), 1)
            found.append((float(value), match["object"].lower(), match.start()))
    return sorted(found, key=lambda item: item[2])


def _amount(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def _extras(analysis: Analysis) -> str:
    document = analysis.document
    published = (document.published or "")[:10]
    return "".join([
        f"<PAGE_TITLE>{escape(document.title)}</PAGE_TITLE>" if document.title else "",
        f"<WIRESCOPE_DOC_ID>{escape(document.id)}</WIRESCOPE_DOC_ID>",
        f"<PUBLISHED>{published}</PUBLISHED>" if published else "",
    ])


def _source(analysis: Analysis) -> tuple[int, str | None, str]:
    """SourceCollectionIdentifier, SourceCommonName and DocumentIdentifier of a document, as the
    Mentions table writes them (``gdelt.source_fields``); a URL without a host is named by its outlet."""
    document = analysis.document
    kind, name, identifier = source_fields(document.url, document.outlet, document.source, document.id)
    return kind, name or document.outlet, identifier


def gkg_values(analysis: Analysis, stored: datetime | None) -> list[Value]:
    """The 27 GKG 2.1 values of one stored document (None for a blank)."""
    entities = analysis.entities
    collection, source_name, identifier = _source(analysis)
    persons, organizations, locations = _names(entities, "PERSON"), _names(entities, "ORG"), _locations(entities)
    dates = [d for d in map(_date, analysis.times) if d]
    names = [f"{_clean(m.text)},{m.start}" for e in entities for m in sorted(e.mentions, key=lambda m: m.start)
             if m.text.lower() not in PRONOUNS]
    found = amounts(analysis.document.text)
    stamp = timestamp(stored)
    return [
        f"{stamp or ''}-{stable_number(analysis.document.id)}", stamp,
        collection, source_name, identifier, None, None, None, None, *locations, *persons, *organizations,
        _tone(analysis), ";".join(dates) or None, None, None, None, None, None,
        "#".join(map(_quotation, analysis.quotes)) or None, ";".join(names) or None,
        ";".join(f"{_amount(v)},{_clean(o)},{offset}" for v, o, offset in found) or None, None, _extras(analysis),
    ]


def gkg_rows(con: Any) -> Iterator[list[Value]]:
    """One GKG row per stored document, in the order stored (``con``: the store's DuckDB connection)."""
    stored = con.execute("SELECT id, timezone('UTC', stored_at::TIMESTAMPTZ) FROM documents "
                         "ORDER BY stored_at, id").fetchall()
    for first in range(0, len(stored), BATCH):
        batch = stored[first : first + BATCH]
        analyses = read_analyses(con, [doc_id for doc_id, _ in batch])
        for doc_id, when in batch:
            if doc_id in analyses:
                yield gkg_values(analyses[doc_id], when)


def write_gkg(con: Any, out_dir: str | Path) -> list[Path]:
    """``gkg.gdelt.tsv`` (no header) and ``gkg.gdelt.parquet`` in ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = list(gkg_rows(con))
    return [write_tsv(out / f"{GKG_FILE}.tsv", None, rows),
            write_parquet(out / f"{GKG_FILE}.parquet", GKG_COLUMNS, rows)]
