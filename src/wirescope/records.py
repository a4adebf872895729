"""Typed records of one analysed page.

Every record that points into the page carries ``start``/``end`` character offsets into
``Document.text`` (the stored, normalised page text) and, where useful, the covered ``text``.
Records are frozen dataclasses: hashable, sortable and cheap to deduplicate.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

SCHEMA = "wirescope/analysis@1"

SegmentKind = Literal["title", "body", "byline", "dateline", "boilerplate", "teaser", "caption"]
SEGMENT_KINDS: tuple[str, ...] = ("title", "body", "byline", "dateline", "boilerplate", "teaser", "caption")
ContentType = Literal["html", "text"]

# Status of a stored document: analysed, or stored with the reason it was not analysed
# (e.g. a non-English page keeps its text and detected language).
DocumentStatus = Literal["analysed", "not_analysed"]
STATUS_ANALYSED: DocumentStatus = "analysed"
STATUS_NOT_ANALYSED: DocumentStatus = "not_analysed"


@dataclass(frozen=True)
class RawPage:
    """A page as a reader found it, before decoding and extraction.

    ``source`` names the input for error messages and provenance: a path, ``path:LINE`` for a
    JSON Lines row, ``path#record-N`` for a WARC record, or the URL fetched.
    """

    source: str
    data: bytes | str
    content_type: ContentType | None = None  # None: sniff from the content
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    title: str | None = None
    charset: str | None = None  # from an HTTP Content-Type header; beats the page's own declaration


@dataclass(frozen=True, order=True)
class Segment:
    """A region of the page: ``kind`` is one of SEGMENT_KINDS."""

    start: int
    end: int
    kind: SegmentKind

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end}


@dataclass(frozen=True, order=True)
class Mention:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Place:
    """A GeoNames entry a place name resolves to (wirescope.analysis.places). ``feature`` is "city",
    "county" (a US county or parish), "admin1" (a US state, a province), "country" or "continent".
    A county has no GeoNames id: its ``geonames_id`` is minus its FIPS code (-17031 for Cook County).
    ``inferred``: the name itself is not in the gazetteer (a river, a park, a township) and this is
    the country the document's other places lie in, at country level (GDELT's Geo_Type 1)."""

    geonames_id: int
    name: str
    feature: str
    country: str | None  # ISO 3166-1 alpha-2
    country_fips: str | None  # FIPS 10-4, GDELT's country code
    admin1: str | None  # GeoNames admin1 code ("TX"; "08" for Ontario)
    admin1_name: str | None
    latitude: float
    longitude: float
    population: int = 0
    inferred: bool = False

    def to_dict(self) -> dict[str, Any]:
        return plain_dict(self)


@dataclass(frozen=True, order=True)
class TimeExpression:
    """A temporal expression of the text ("on Friday", "last week", "March 3, 2024") and the time it
    names, resolved against the article's date (wirescope.analysis.when)."""

    start: int
    end: int
    text: str
    value: str | None  # "YYYY-MM-DD", "YYYY-Www", "YYYY-MM" or "YYYY"; None when not resolvable
    granularity: str  # "day", "week", "month" or "year"
    relative: bool = False  # resolved against the article's date (or would need it)

    def to_dict(self) -> dict[str, Any]:
        return plain_dict(self)


@dataclass(frozen=True)
class Entity:
    """One actor of the document: its mentions grouped under a canonical name."""

    id: str
    name: str
    type: str  # PERSON, ORG, GPE, NORP, LOC, FAC
    mentions: tuple[Mention, ...]
    code: str | None = None  # CAMEO/PLOVER actor code, filled by the actor layer when it exists
    # Stable actor id across documents (``actor_id``: "person:donald-trump"); None when the entity
    # cannot be identified across documents (a surname alone, a pronoun-only cluster).
    actor: str | None = None
    place: Place | None = None  # GPE, LOC, FAC: the GeoNames entry the name resolves to
    tone: float | None = None  # -1..1: the tone of the sentences naming it (wirescope.analysis.framing.tone)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "code": self.code,
            "actor": self.actor,
            "place": self.place.to_dict() if self.place else None,
            "tone": self.tone,
            "mentions": [plain_dict(m) for m in self.mentions],
        }


# The kind part of an actor id, from the entity type.
ACTOR_KINDS: dict[str, str] = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place",
                               "FAC": "place", "NORP": "group"}


# Letters NFKD does not split into an ASCII base and a mark, and curly quotes (a separator like the
# straight ones: "O’Neill" and "O'Neill" are one name).
_UNDECOMPOSED = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "đ": "d", "Đ": "D",
                               "ł": "l", "Ł": "L", "œ": "oe", "Œ": "OE", "ı": "i", "’": "'", "‘": "'"})


def plain_letters(text: str) -> str:
    """``text`` with Latin letters stripped of their accents ("Peña" -> "Pena", "Erdoğan" ->
    "Erdogan", "Ørsted" -> "Orsted"); other scripts as they are. ASCII text is returned at once."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def actor_slug(name: str) -> str:
    """``name`` as an id part: lower-case ASCII, each run of other characters one "-"
    ("Donald J. Trump" -> "donald-j-trump", "Zoë Ørsted" -> "zoe-orsted")."""
    ascii_name = plain_letters(name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def actor_id(entity_type: str, name: str) -> str | None:
    """The stable actor id ``<kind>:<slug>`` of a canonical name (the gazetteer entry's canonical
    name for a known actor, else the full name as written); None when nothing of it is left."""
    slug = actor_slug(name)
    kind = ACTOR_KINDS.get(entity_type, entity_type.lower())
    return f"{kind}:{slug}" if slug else None


@dataclass(frozen=True, order=True)
class TextSpan:
    """A span of ``Document.text`` with the text it covers."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Speaker:
    """Who said a quote: the span naming them and, when resolved, their entity of the document."""

    start: int
    end: int
    text: str
    entity: str | None = None  # entity id ("e1") or None when unresolved
    name: str | None = None  # the entity's canonical name when resolved

    def to_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "name": self.name, "start": self.start, "end": self.end,
                "text": self.text}


QuoteKind = Literal["direct", "indirect", "mixed"]


@dataclass(frozen=True)
class Quote:
    """Who said what: the reported content, the cue that introduces it and the speaker."""

    id: str
    kind: QuoteKind
    content: TextSpan
    cue: TextSpan | None = None
    speaker: Speaker | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "content": self.content.to_dict(),
            "cue": self.cue.to_dict() if self.cue else None,
            "speaker": self.speaker.to_dict() if self.speaker else None,
        }


@dataclass(frozen=True)
class EventActor:
    """One side of an event: the span naming it and, when resolved, its entity and actor code."""

    start: int
    end: int
    text: str
    entity: str | None = None  # entity id ("e1") or None when unresolved
    name: str | None = None
    code: str | None = None  # CAMEO/PLOVER actor code, e.g. ISRGOV, PSEREBHMS

    def to_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "name": self.name, "code": self.code, "start": self.start,
                "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Event:
    """Who did what to whom: a PLOVER event with its actors, recipients and trigger.

    ``mentions`` holds the trigger span of every sentence reporting this same event (the first
    included): one event, one record, with a mention count, not one record per report.
    """

    id: str
    type: str  # PLOVER category (AGREE, CONSULT, ..., THREATEN, ...)
    trigger: TextSpan
    sentence: TextSpan
    actors: tuple[EventActor, ...] = ()
    recipients: tuple[EventActor, ...] = ()
    mode: str | None = None
    context: tuple[str, ...] = ()
    negated: bool = False
    hypothetical: bool = False  # conditional, future or proposed
    quote: str | None = None  # id of the quote the event was reported in ("q3"), None if outlet voice
    confidence: float = 0.5
    mentions: tuple[TextSpan, ...] = ()
    # When: the day the sentence states, else the article's date, else none (``date_source`` says
    # which: "sentence", "article", "none"); ``date_span`` is the stating expression.
    date: str | None = None
    date_source: str = "none"
    date_span: TextSpan | None = None
    # Where: the place the action happened (a place named in the sentence), and its entity.
    location: Place | None = None
    location_entity: str | None = None

    def to_dict(self) -> dict[str, Any]:
        mentions = self.mentions or (self.trigger,)
        return {
            "id": self.id,
            "type": self.type,
            "mode": self.mode,
            "context": list(self.context),
            "actors": [a.to_dict() for a in self.actors],
            "recipients": [r.to_dict() for r in self.recipients],
            "trigger": self.trigger.to_dict(),
            "sentence": {"start": self.sentence.start, "end": self.sentence.end},
            "negated": self.negated,
            "hypothetical": self.hypothetical,
            "quote": self.quote,
            "confidence": self.confidence,
            "mention_count": len(mentions),
            "mentions": [m.to_dict() for m in mentions],
            "date": self.date,
            "date_source": self.date_source,
            "date_span": self.date_span.to_dict() if self.date_span else None,
            "location": self.location.to_dict() if self.location else None,
            "location_entity": self.location_entity,
        }


FramingKind = Literal["loaded_term", "loaded_attribution", "unattributed_claim", "biased_sentence"]
FRAMING_KINDS: tuple[str, ...] = ("loaded_term", "loaded_attribution", "unattributed_claim",
                                  "biased_sentence")


@dataclass(frozen=True, order=True)
class Framing:
    """A span flagged for how it frames the story, with why and a neutral alternative.

    ``in_quote`` marks words inside a quote: they are the speaker's, not charged to the outlet.
    """

    start: int
    end: int
    kind: FramingKind
    text: str
    neutral: str | None = None
    explanation: str | None = None
    score: float | None = None
    category: str | None = None  # lexicon category, e.g. partisan_label, dehumanising, emotive
    in_quote: bool = False
    speaker: str | None = None  # the quote's speaker name when in_quote
    quote: str | None = None  # the quote's id when in_quote

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text,
                "neutral": self.neutral, "explanation": self.explanation, "score": self.score,
                "category": self.category, "in_quote": self.in_quote, "speaker": self.speaker,
                "quote": self.quote}


@dataclass(frozen=True)
class DocumentTone:
    """How a document is worded (wirescope.analysis.framing.tone): ``tone`` is the learned mean sentence
    tone, -1 (negative) .. 1 (positive); the rest are GDELT V2Tone-style word counts of the analysed
    text on GDELT's scales (percentages of ``word_count``; ``gdelt_tone`` = positive - negative,
    -100..100) from the Hu & Liu opinion lexicon, not GDELT's unpublished dictionary."""

    tone: float | None
    gdelt_tone: float
    positive: float
    negative: float
    polarity: float
    self_group_reference_density: float
    word_count: int

    def to_dict(self) -> dict[str, Any]:
        return plain_dict(self)


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    # ISO 8601 (YYYY-MM-DD, or with a time), parsed once from what the page said (io.dates);
    # None: the page is undated, and stays so everywhere (never the day it was analysed).
    published: str | None = None
    byline: str | None = None
    language: str | None = None
    source: str | None = None  # the input this document came from
    content_type: ContentType | None = None
    status: DocumentStatus = STATUS_ANALYSED
    status_reason: str | None = None
    published_raw: str | None = None  # the publication date as the page or reader gave it
    tone: DocumentTone | None = None  # set by the analysis; None for a page not analysed
    # The places the document is about: its names' places, most mentioned first (at most three; a
    # country inferred for a name the gazetteer lacks is none of them). Set by the analysis.
    places: tuple[Place, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "outlet": self.outlet,
            "title": self.title,
            "published": self.published,
            "published_raw": self.published_raw,
            "byline": self.byline,
            "language": self.language,
            "text": self.text,
            "source": self.source,
            "status": self.status,
            "status_reason": self.status_reason,
            "tone": self.tone.to_dict() if self.tone else None,
            "places": [place.to_dict() for place in self.places],
        }


def record_dict(record: Any) -> dict[str, Any]:
    """A record in the JSON contract: its own ``to_dict`` where it shapes one, else its fields."""
    return record.to_dict() if hasattr(record, "to_dict") else plain_dict(record)


def plain_dict(record: Any) -> dict[str, Any]:
    """``dataclasses.asdict(record)`` without its deep copy of every leaf value. Records hold strings,
    numbers, None, tuples and other records, none of which needs a copy, and asdict's copies were
    half of what encoding an analysis cost (about 2 ms a page when a document is stored)."""
    names = _FIELD_NAMES.get(type(record))
    if names is None:  # fields() builds its answer anew on every call
        names = _FIELD_NAMES[type(record)] = tuple(f.name for f in fields(record))
    return {name: _plain(getattr(record, name)) for name in names}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """``value`` with every record inside it a dict, containers rebuilt as asdict rebuilds them."""
    if is_dataclass(value) and not isinstance(value, type):
        return plain_dict(value)
    if isinstance(value, (tuple, list)):
        return type(value)(_plain(item) for item in value)
    if isinstance(value, dict):
        return {_plain(key): _plain(item) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class Analysis:
    """The result of analysing one page: the ``wirescope/analysis@1`` contract."""

    document: Document
    segments: tuple[Segment, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()
    framing: tuple[Framing, ...] = ()
    times: tuple[TimeExpression, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The contract: the document, then every record list in field order (a new analyzer's
        records appear under their field name with no change here)."""
        lists = {f.name: [record_dict(r) for r in getattr(self, f.name)] for f in fields(self) if f.name != "document"}
        return {"schema": SCHEMA, "document": self.document.to_dict(), **lists}

    def segment_text(self, kind: str) -> list[str]:
        """The text of every segment of ``kind``, in page order."""
        return [self.document.text[s.start : s.end] for s in self.segments if s.kind == kind]


UNKNOWN_OUTLET = "(unknown outlet)"


def outlet_name(outlet: str | None, url: str | None) -> str:
    """The outlet as stored, else the URL's host without ``www.``."""
    if outlet:
        return outlet
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else UNKNOWN_OUTLET
