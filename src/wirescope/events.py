"""Event coding: who did what to whom, as PLOVER events over the shared parse (issue 4)."""

from __future__ import annotations

from spacy.tokens import Doc

from wirescope.records import Entity, Event, Quote


def code_events(doc: Doc, entities: tuple[Entity, ...], quotes: tuple[Quote, ...]) -> tuple[Event, ...]:
    """The political events of the article, one record per event."""
    return ()
