"""Typed records of one analysed page.

Every record that points into the page carries ``start``/``end`` character offsets into
``Document.text`` (the stored, normalised page text) and, where useful, the covered ``text``.
Records are frozen dataclasses: hashable, sortable and cheap to deduplicate.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA = "wirescope/analysis@1"

SegmentKind = Literal["title", "body", "byline", "dateline", "boilerplate", "teaser", "caption"]
SEGMENT_KINDS: tuple[str, ...] = ("title", "body", "byline", "dateline", "boilerplate", "teaser", "caption")
ContentType = Literal["html", "text"]

# Status of a stored document: analysed, or stored with the reason it was not analysed
# (e.g. a non-English page keeps its text and detected language).
STATUS_ANALYSED = "analysed"
STATUS_NOT_ANALYSED = "not_analysed"


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
    kind: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end}


@dataclass(frozen=True, order=True)
class Mention:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Entity:
    """One actor of the document: its mentions grouped under a canonical name."""

    id: str
    name: str
    type: str  # PERSON, ORG, GPE, NORP, LOC, FAC
    mentions: tuple[Mention, ...]
    code: str | None = None  # CAMEO/PLOVER actor code, filled by the actor layer when it exists

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "code": self.code,
            "mentions": [asdict(m) for m in self.mentions],
        }


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
    kind: str  # one of QuoteKind
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
class Document:
    id: str
    text: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    byline: str | None = None
    language: str | None = None
    source: str | None = None  # the input this document came from
    content_type: str | None = None
    status: str = STATUS_ANALYSED
    status_reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "outlet": self.outlet,
            "title": self.title,
            "published": self.published,
            "byline": self.byline,
            "language": self.language,
            "text": self.text,
            "source": self.source,
            "status": self.status,
            "status_reason": self.status_reason,
        }


@dataclass(frozen=True)
class Analysis:
    """The result of analysing one page: the ``wirescope/analysis@1`` contract."""

    document: Document
    segments: tuple[Segment, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    # Filled by the event and framing layers when they land; empty lists until then.
    events: tuple[Any, ...] = field(default=())
    framing: tuple[Any, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "document": self.document.to_dict(),
            "segments": [s.to_dict() for s in self.segments],
            "entities": [e.to_dict() for e in self.entities],
            "quotes": [q.to_dict() for q in self.quotes],
            "events": [e.to_dict() for e in self.events],
            "framing": [f.to_dict() for f in self.framing],
        }

    def segment_text(self, kind: str) -> list[str]:
        """The text of every segment of ``kind``, in page order."""
        return [self.document.text[s.start : s.end] for s in self.segments if s.kind == kind]
