"""Hand-made analyses of fictional pages (written for this project) for the API and UI tests.

Spans are found by searching the text, so every offset points at the words it names. The events
and framing records stand in for what the event coder and framing layers produce.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from wirescope.records import (
    Analysis,
    Document,
    Entity,
    Event,
    EventActor,
    Framing,
    Mention,
    Place,
    Quote,
    Segment,
    Speaker,
    TextSpan,
    TimeExpression,
)


@dataclass
class Page:
    """A fictional page: a title, body paragraphs, and what is on the page besides the article."""

    title: str
    body: list[str]
    outlet: str
    published: str | None
    url: str | None = None
    boilerplate: str = "Copyright 2026 the publisher. All rights reserved."
    teaser: str | None = None
    # name -> (type, code, surface forms as written)
    entities: dict[str, tuple[str, str | None, list[str]]] = field(default_factory=dict)
    # (speaker name, speaker text, cue, content, kind)
    quotes: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    # (type, actor names, recipient names, trigger)
    events: list[tuple[str, list[str], list[str], str]] = field(default_factory=list)
    # (text, kind, neutral, quote index or None)
    framing: list[tuple[str, str, str | None, int | None]] = field(default_factory=list)
    # (text, ISO value, granularity): time expressions as the when layer resolves them
    times: list[tuple[str, str, str]] = field(default_factory=list)
    # event trigger -> where it happened, as the where-and-when layer places it
    locations: dict[str, Place] = field(default_factory=dict)
    # entity name -> the place its name resolves to, as the places layer gives it
    entity_places: dict[str, Place] = field(default_factory=dict)


def _span(text: str, needle: str, after: int = 0) -> TextSpan:
    at = text.find(needle, after)
    assert at >= 0, f"{needle!r} not in the page"
    return TextSpan(at, at + len(needle), needle)


def build(page: Page) -> Analysis:
    """The Analysis of ``page`` with every span located in its text."""
    parts = [page.title, "\n\n".join(page.body), page.boilerplate] + ([page.teaser] if page.teaser else [])
    kinds = ["title", "body", "boilerplate"] + (["teaser"] if page.teaser else [])
    text = "\n\n".join(parts)
    segments, cursor = [], 0
    for part, kind in zip(parts, kinds):
        segments.append(Segment(cursor, cursor + len(part), kind))
        cursor += len(part) + 2
    body_end = segments[1].end
    doc_id = hashlib.sha1((page.url or text).encode()).hexdigest()[:16]
    entities, ids = [], {}
    for i, (name, (etype, code, forms)) in enumerate(page.entities.items(), start=1):
        mentions = []
        for form in forms:
            at = text.find(form)
            while 0 <= at < body_end:
                mentions.append(Mention(at, at + len(form), form))
                at = text.find(form, at + 1)
        ids[name] = f"e{i}"
        entities.append(Entity(f"e{i}", name, etype, tuple(sorted(set(mentions))), code,
                               place=page.entity_places.get(name)))
    quotes = []
    for i, (name, said_by, cue, content, kind) in enumerate(page.quotes, start=1):
        c = _span(text, content)
        cue_span = _span(text, cue, max(0, c.start - 80))
        s = _span(text, said_by, max(0, c.start - 200))
        quotes.append(Quote(f"q{i}", kind, c, cue_span, Speaker(s.start, s.end, s.text, ids.get(name), name)))

    def actor(name: str) -> EventActor:
        form = page.entities[name][2][0]
        s = _span(text, form)
        return EventActor(s.start, s.end, s.text, ids[name], name, page.entities[name][1])

    events = []
    for i, (etype, actors, recipients, trigger) in enumerate(page.events, start=1):
        t = _span(text, trigger)
        start = text.rfind("\n", 0, t.start) + 1
        end = text.find("\n", t.end)
        events.append(Event(f"v{i}", etype, t, TextSpan(start, end, text[start:end]),
                            tuple(actor(a) for a in actors), tuple(actor(r) for r in recipients),
                            confidence=0.8, location=page.locations.get(trigger)))
    framing = []
    for words, kind, neutral, quote_index in page.framing:
        s = _span(text, words)
        quote = quotes[quote_index] if quote_index is not None else None
        framing.append(Framing(s.start, s.end, kind, s.text, neutral, f"{kind.replace('_', ' ')}: {words!r}",
                               None, "emotive", quote is not None,
                               quote.speaker.name if quote and quote.speaker else None,
                               quote.id if quote else None))
    times = tuple(TimeExpression(s.start, s.end, s.text, value, granularity, True)
                  for s, value, granularity in ((_span(text, words), v, g) for words, v, g in page.times))
    document = Document(doc_id, text, page.url, page.outlet, page.title, page.published, None, "en",
                        source=f"fictional:{doc_id}", content_type="text",
                        places=tuple(dict.fromkeys(page.locations.values())))  # the page is about where it happened
    return Analysis(document, tuple(segments), tuple(entities), tuple(quotes), tuple(events),
                    tuple(sorted(framing)), times)


VALDORIA = {"Valdoria": ("GPE", "VLDGOV", ["Valdoria"]),
            "Kestrel": ("GPE", "KSTGOV", ["Kestrel"]),
            "Amira Solberg": ("PERSON", "VLDGOV", ["Amira Solberg", "Solberg"]),
            "Jonas Mertz": ("PERSON", "KSTGOV", ["Jonas Mertz", "Mertz"]),
            "United Nations Food Programme": ("ORG", "IGOUNO", ["United Nations Food Programme"])}

COURIER = Page(
    title="Valdoria and Kestrel reopen grain corridor talks",
    body=["Negotiators from Valdoria and Kestrel met on Monday to revive the grain corridor deal.",
          "Amira Solberg said her government would not sign “a deal that leaves our farmers exposed.”",
          ("Jonas Mertz warned that Kestrel could close the corridor again. The regime in Kestrel "
           "defended its port inspections."),
          "The United Nations Food Programme offered to monitor shipments and praised both delegations."],
    outlet="Northgate Courier", published="2026-11-03",
    url="https://northgate-courier.example/grain-talks",
    teaser="Also today: a museum in Belmora reopened its medieval gallery.",
    entities=VALDORIA,
    quotes=[("Amira Solberg", "Amira Solberg", "said", "a deal that leaves our farmers exposed.", "direct")],
    events=[("CONSULT", ["Valdoria"], ["Kestrel"], "met"),
            ("THREATEN", ["Jonas Mertz"], ["Valdoria"], "warned"),
            ("AID", ["United Nations Food Programme"], ["Valdoria"], "offered"),
            ("SUPPORT", ["United Nations Food Programme"], ["Kestrel"], "praised")],
    framing=[("regime", "loaded_term", "government", None),
             ("exposed", "loaded_term", "unprotected", 0)],
    # an invented port at a point of the North Sea (the map needs coordinates; no real place is meant)
    locations={"met": Place(9_000_001, "Brenholt", "city", "VL", None, None, None, 55.5, 4.5, 12_000)},
    entity_places={"Kestrel": Place(9_000_002, "Kestrel", "country", "KS", None, None, None, 57.0, 8.0, 3_000_000)},
)

LEDGER = Page(
    title="Kestrel envoy threatens to shut grain corridor",
    body=["Kestrel's envoy Jonas Mertz threatened on Tuesday to shut the grain corridor to Valdoria.",
          "Jonas Mertz said “the inspections stop weapons smuggling, nothing else.”",
          "Amira Solberg rejected the so-called inspection regime at the port of Brenholt."],
    outlet="The Valley Ledger", published="2026-11-04",
    url="https://valley-ledger.example/corridor",
    entities=VALDORIA,
    quotes=[("Jonas Mertz", "Jonas Mertz", "said", "the inspections stop weapons smuggling, nothing else.",
             "direct")],
    events=[("THREATEN", ["Jonas Mertz"], ["Valdoria"], "threatened"),
            ("REJECT", ["Amira Solberg"], ["Kestrel"], "rejected")],
    framing=[("shut", "loaded_term", "close", None), ("so-called", "loaded_term", "", None)],
    times=[("Tuesday", "2026-11-03", "day")],
)

HOSTILE_SCRIPT = "<script>window.__pwned = 'script'</script>"
HOSTILE_IMG = '<img src=x onerror="window.__pwned = \'onerror\'">'
HOSTILE_LINK = "javascript:window.__pwned='link'"

HOSTILE = Page(
    title=f"Hostile page {HOSTILE_SCRIPT}",
    body=[f"This page carries markup as text: {HOSTILE_IMG} and a link <a href=\"{HOSTILE_LINK}\">click</a>.",
          f"Mallory Crane said “{HOSTILE_SCRIPT} is only text here.”",
          "Mallory Crane attacked the <b onmouseover=\"window.__pwned='hover'\">server</b> wording."],
    outlet="<img src=x onerror=\"window.__pwned='outlet'\">Outlet", published="2026-11-05",
    url=HOSTILE_LINK,
    entities={"Mallory Crane": ("PERSON", None, ["Mallory Crane"]),
              "<img src=x onerror=\"window.__pwned='entity'\">": ("ORG", None, ["server"])},
    quotes=[("Mallory Crane", "Mallory Crane", "said", f"{HOSTILE_SCRIPT} is only text here.", "direct")],
    events=[("ASSAULT", ["Mallory Crane"], ["<img src=x onerror=\"window.__pwned='entity'\">"], "attacked")],
    framing=[("attacked", "loaded_term", "<img src=x onerror=\"window.__pwned='neutral'\">", None)],
)


def corpus() -> list[Analysis]:
    return [build(COURIER), build(LEDGER), build(HOSTILE)]
