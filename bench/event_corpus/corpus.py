"""The PLOVER event corpus: annotations as offsets, read back with their sentences (issue 15).

``units.jsonl`` says where each sentence is (``sources.py``); ``annotations.jsonl`` holds, per unit
id, the events an annotator coded, every span as (start, end) offsets into the sentence. The
annotators' working files hold spans as text ("killed", or "killed@2" for its second occurrence);
``events_from_text_spans`` turns them into offsets, and nothing else of the text is kept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from sources import Unit, unit_text

HERE = Path(__file__).resolve().parent
UNITS = HERE / "units.jsonl"
ANNOTATIONS = HERE / "annotations.jsonl"

TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "DEMAND",
         "DISAPPROVE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
         "FIGHT", "INVESTIGATE")
FLAGS = ("negated", "hypothetical", "reported")


def is_tune(document: str) -> bool:
    """One TRAIN document in seven is TUNE: thresholds are chosen there, the tagger never sees it
    (bench/train_events.py, bench/events.py --only tune)."""
    return hashlib.sha1(document.encode("utf-8")).digest()[1] % 7 == 0


def document_key(source: str, file: str, record: str | None) -> str:
    """A sentence's document key: its file and record (an IndiaPoliceEvents record's document part; an
    article's record is None)."""
    return f"{file}|{record.split(':')[0] if source == 'india' and record else record}"


class SpanError(ValueError):
    """An annotated span that is not in its sentence."""


@dataclass(frozen=True)
class CodedEvent:
    type: str
    trigger: tuple[int, int]
    actors: tuple[tuple[int, int], ...] = ()
    recipients: tuple[tuple[int, int], ...] = ()
    mode: str | None = None
    negated: bool = False
    hypothetical: bool = False
    reported: bool = False

    def to_dict(self) -> dict:
        return {"type": self.type, "trigger": list(self.trigger), "actor": [list(s) for s in self.actors],
                "recipient": [list(s) for s in self.recipients], "mode": self.mode,
                "negated": self.negated, "hypothetical": self.hypothetical, "reported": self.reported}


@dataclass(frozen=True)
class Sentence:
    """One annotated unit with its text, read back from ../shared."""

    id: str
    source: str
    split: str
    text: str
    events: tuple[CodedEvent, ...] = field(default=())
    annotator: str = ""


def locate(text: str, span: str) -> tuple[int, int]:
    """Offsets of ``span`` ("words" or "words@k", the k-th occurrence) in ``text``."""
    needle, occurrence = span, 1
    head, _, tail = span.rpartition("@")
    if head and tail.isdigit():
        needle, occurrence = head, int(tail)
    position = -1
    for _ in range(occurrence):
        position = text.find(needle, position + 1)
        if position < 0:
            raise SpanError(f"{span!r} is not in the sentence")
    return position, position + len(needle)


def events_from_text_spans(text: str, events: Iterable[dict]) -> tuple[CodedEvent, ...]:
    """An annotator's events (spans as text) as offsets into ``text``; bad spans raise SpanError."""
    coded = []
    for event in events:
        if event.get("type") not in TYPES:
            raise SpanError(f"unknown type {event.get('type')!r}")
        coded.append(CodedEvent(
            type=event["type"], trigger=locate(text, event["trigger"]),
            actors=tuple(locate(text, s) for s in event.get("actor") or () if s),
            recipients=tuple(locate(text, s) for s in event.get("recipient") or () if s),
            mode=event.get("mode") or None, **{flag: bool(event.get(flag)) for flag in FLAGS}))
    return tuple(coded)


def _event_from_dict(raw: dict) -> CodedEvent:
    return CodedEvent(type=raw["type"], trigger=tuple(raw["trigger"]),  # type: ignore[arg-type]
                      actors=tuple(tuple(s) for s in raw["actor"]),  # type: ignore[misc]
                      recipients=tuple(tuple(s) for s in raw["recipient"]),  # type: ignore[misc]
                      mode=raw.get("mode"), **{flag: bool(raw.get(flag)) for flag in FLAGS})


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_corpus(split: str | None = None, units: Path = UNITS, annotations: Path = ANNOTATIONS) -> Iterator[Sentence]:
    """The annotated sentences (of one split, or all), their text read from ../shared."""
    where = {row["id"]: row for row in read_jsonl(units)}
    for row in read_jsonl(annotations):
        unit = where[row["id"]]
        if split and unit["split"] != split:
            continue
        text = unit_text(unit["source"], unit["file"], unit["record"], unit["start"], unit["end"])
        yield Sentence(id=row["id"], source=unit["source"], split=unit["split"], text=text,
                       events=tuple(_event_from_dict(e) for e in row["events"]),
                       annotator=row.get("annotator", ""))


@cache
def units_by_id(units: Path = UNITS) -> dict[str, Unit]:
    """Unit id -> its locator and text."""
    out = {}
    for row in read_jsonl(units):
        text = unit_text(row["source"], row["file"], row["record"], row["start"], row["end"])
        out[row["id"]] = Unit(row["source"], row["file"], row["record"], row["start"], row["end"], text)
    return out


def span_text(text: str, span: tuple[int, int]) -> str:
    return text[span[0]:span[1]]


def main() -> None:
    """Counts of the data card: sentences, events and types, per source and split."""
    from collections import Counter

    sentences = list(load_corpus())
    events = [e for s in sentences for e in s.events]
    print(f"{len(sentences)} sentences, {sum(1 for s in sentences if s.events)} with events, {len(events)} events")
    for name, key in (("source", lambda s: s.source), ("split", lambda s: s.split),
                      ("annotator", lambda s: s.annotator)):
        counts = Counter(key(s) for s in sentences)
        with_events = Counter(key(s) for s in sentences if s.events)
        print(f"by {name}: " + ", ".join(f"{k} {n} ({with_events[k]} with events)" for k, n in sorted(counts.items())))
    types = Counter(e.type for e in events)
    print("events per type: " + ", ".join(f"{t} {types[t]}" for t in TYPES))
    print("flags: " + ", ".join(f"{flag} {sum(getattr(e, flag) for e in events)}" for flag in FLAGS)
          + f", with a mode {sum(1 for e in events if e.mode)}, with an actor {sum(1 for e in events if e.actors)}, "
          f"with a recipient {sum(1 for e in events if e.recipients)}")


if __name__ == "__main__":
    main()
