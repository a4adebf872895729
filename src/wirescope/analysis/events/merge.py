"""One event, one record: reports of the same event (same type, negation and compatible sides; a
bare "these protests" continues the last protest) become one Event with several mentions."""

from __future__ import annotations

from dataclasses import dataclass, replace

from wirescope.analysis.events.resolve import has_name, side_key
from wirescope.records import Event, EventActor


@dataclass
class Found:
    """One report of an event, before reports of the same event are merged."""

    event: Event
    anaphoric: bool  # a bare "these protests": continues the last event of its type


def merge_events(found: list[Found], floor: float = 0.0) -> list[Event]:
    """One event, one record: each report joins the first earlier event it repeats. Events whose
    confidence (their surest report's) stays under ``floor`` are left out before they are numbered."""
    merged: list[Event] = []
    for item in found:
        event = item.event
        target = None
        if item.anaphoric:
            target = next((i for i in range(len(merged) - 1, -1, -1) if merged[i].type == event.type), None)
        else:
            target = next((i for i, e in enumerate(merged) if _same_event(e, event)), None)
        if target is None:
            if item.anaphoric and not any(has_name(r) for r in event.recipients):
                continue  # "the talks" with nothing before them to refer to
            merged.append(event)
            continue
        first = merged[target]
        merged[target] = replace(first, mentions=first.mentions + event.mentions,
                                 confidence=max(first.confidence, event.confidence))
    kept = [e for e in merged if e.confidence >= floor]
    return [replace(e, id=f"v{n}") for n, e in enumerate(kept, start=1)]


def _same_event(a: Event, b: Event) -> bool:
    """Same type, negation and mode, one side shared exactly and the other compatible."""
    if a.type != b.type or a.negated != b.negated or (a.mode and b.mode and a.mode != b.mode):
        return False
    if _shared(a.actors, b.actors):
        return _sides_match(a.recipients, b.recipients)
    return _shared(a.recipients, b.recipients) and _sides_match(a.actors, b.actors)


def _shared(a: tuple[EventActor, ...], b: tuple[EventActor, ...]) -> bool:
    return bool({side_key(x) for x in a} & {side_key(y) for y in b})


def _sides_match(a: tuple[EventActor, ...], b: tuple[EventActor, ...]) -> bool:
    """Two reports name the same side: both empty, a shared entity, code or text, or codes of
    the same country ("US" USA and "Trump" USAGOV in a headline and its body)."""
    if not a or not b:
        return not a and not b
    if {side_key(x) for x in a} & {side_key(y) for y in b}:
        return True
    roots_a = {x.code[:3] for x in a if x.code}
    roots_b = {y.code[:3] for y in b if y.code}
    return bool(roots_a) and roots_a == roots_b
