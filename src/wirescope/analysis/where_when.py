"""Where and when (issue 18): places on the entities, and a date and an action location on every event.

The resolution itself is elsewhere (``places``: GeoNames entries for place names; ``when``: time
expressions resolved against the article's date); this module puts their answers on the records the
other layers made, so that an event says where and when it happened with a pointer to the words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache

from spacy.tokens import Doc

from wirescope.analysis.places import PLACE_TYPES, PlaceContext, resolve_entities
from wirescope.analysis.places_index import geonames_json
from wirescope.analysis.when import event_date
from wirescope.records import Entity, Event, Place, Segment, TextSpan, TimeExpression


def article_day(published: str | None) -> date | None:
    """The day of an ISO publication date ("2024-03-01" or with a time); None when undated."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


# "OSTVIK, Norland (Northgate Wire) -": the place words of a dateline, before the agency or the dash.
_DATELINE_PLACE = re.compile(r"^\s*([^()\u2013\u2014-]+?)\s*(?:\(|\u2013|\u2014|-|$)")


def dateline_places(text: str, segments: Sequence[Segment]) -> tuple[str, ...]:
    """The place names a page's dateline gives ("OSTVIK, Norland" -> "Ostvik", "Norland"): evidence
    for resolving the story's places, not places of the story themselves."""
    names: list[str] = []
    for segment in segments:
        if segment.kind != "dateline":
            continue
        found = _DATELINE_PLACE.match(text[segment.start:segment.end])
        if found:
            names.extend(part.strip().title() for part in found.group(1).split(",") if part.strip())
    return tuple(names)


def place_entities(entities: Sequence[Entity], context: PlaceContext | None = None) -> tuple[Entity, ...]:
    """The entities with ``place`` set on the GPE, LOC and FAC ones that resolve (all of one
    document at once: its places disambiguate each other)."""
    places = resolve_entities(entities, context)
    return tuple(_placed(e, places[e.id]) if e.id in places else e for e in entities)


def _placed(entity: Entity, place: Place) -> Entity:
    """The entity with its place; a country code the name alone gave ("Paris": FRA) follows the
    place the document's context chose (Paris, Texas: USA), not a country inferred for a name the
    gazetteer lacks."""
    code = entity.code
    country = country_iso3(place.country)
    if entity.type == "GPE" and code and len(code) == 3 and country and code != country and not place.inferred:
        code = country
    return replace(entity, place=place, code=code)


@lru_cache(maxsize=1)
def _iso3_codes() -> dict[str, str]:
    return {iso: country["iso3"] for iso, country in geonames_json("countries.json").items()}


def country_iso3(iso2: str | None) -> str | None:
    """ISO 3166 alpha-3 of an alpha-2 country code (CAMEO's country codes are alpha-3)."""
    return _iso3_codes().get(iso2) if iso2 else None


def date_and_locate(events: Sequence[Event], entities: Sequence[Entity], times: Sequence[TimeExpression],
                    published: str | None, doc: Doc | None = None) -> tuple[Event, ...]:
    """Every event with its date and its action location, from the first of its report sentences
    that gives one (``doc`` finds the sentences of the later reports; without it, the event's own
    sentence only). The date: the day a sentence states, else the article's, else none. The location:
    the place a sentence names nearest its trigger, the event's sides left out ("Israel" in "Israel
    struck Gaza" is a side, Gaza the place)."""
    day = article_day(published)
    out = []
    for event in events:
        reports = reports_with_triggers(event, _report_sentences(event, doc))
        stated = next((t for t in (_stated(times, sentence) for sentence, _ in reports) if t is not None), None)
        located = [p for p in (_action_place(event, entities, s, t) for s, t in reports) if p[0] is not None]
        place, entity = located[0] if located else (None, None)
        if stated is not None:
            event = replace(event, date=stated.value, date_source="sentence",
                            date_span=TextSpan(stated.start, stated.end, stated.text))
        else:
            value, source = event_date(event.sentence.start, event.sentence.end, (), day)
            event = replace(event, date=value, date_source=source, date_span=None)
        out.append(replace(event, location=place, location_entity=entity))
    return tuple(out)


def _report_sentences(event: Event, doc: Doc | None) -> list[TextSpan]:
    """The sentence of each report of the event, the event's own first."""
    sentences = [event.sentence]
    if doc is None:
        return sentences
    for mention in event.mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            continue
        sent = span.sent
        found = TextSpan(sent.start_char, sent.end_char, sent.text)
        if all((found.start, found.end) != (s.start, s.end) for s in sentences):
            sentences.append(found)
    return sentences


def reports_with_triggers(event: Event, sentences: Sequence[TextSpan]) -> list[tuple[TextSpan, int]]:
    """Each report sentence with the start of the trigger inside it (the event's own trigger first)."""
    triggers = [event.trigger, *event.mentions]
    out = []
    for sentence in sentences:
        inside = next((t.start for t in triggers if sentence.start <= t.start < sentence.end), event.trigger.start)
        out.append((sentence, inside))
    return out


def _stated(times: Sequence[TimeExpression], sentence: TextSpan) -> TimeExpression | None:
    """The first day-level expression with a value inside the sentence (``when.event_date``'s rule)."""
    value, source = event_date(sentence.start, sentence.end, times, None)
    if source != "sentence":
        return None
    return next((t for t in times if sentence.start <= t.start and t.end <= sentence.end and t.value == value), None)


# A place named as where someone comes from ("officials from X", "the mayor of X").
_ORIGIN = re.compile(r"\b(?:from|of)\s*$", re.IGNORECASE)


def _action_place(event: Event, entities: Sequence[Entity], sentence: TextSpan,
                  trigger: int) -> tuple[Place | None, str | None]:
    sides = {(side.start, side.end) for side in (*event.actors, *event.recipients)}
    side_entities = {side.entity for side in (*event.actors, *event.recipients) if side.entity}
    best: tuple[tuple[bool, int], Place, str] | None = None
    for entity in entities:
        if entity.place is None or entity.type not in PLACE_TYPES or entity.id in side_entities:
            continue
        for mention in entity.mentions:
            inside = sentence.start <= mention.start and mention.end <= sentence.end
            if not inside or (mention.start, mention.end) in sides:
                continue
            if _ORIGIN.search(sentence.text[: mention.start - sentence.start]):
                continue  # "officials from Lamar County": where a side comes from, not where it acts
            # a place the sentence names outranks a country inferred for a name the gazetteer lacks
            rank = (entity.place.inferred, abs(mention.start - trigger))
            if best is None or rank < best[0]:
                best = (rank, entity.place, entity.id)
    return (best[1], best[2]) if best else (None, None)
