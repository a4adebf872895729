"""Stories in the store: group stored documents, and read stories back with their coverage.

Writing: ``assign_stories`` groups the documents not yet in a story (``store_analyses`` in
``wirescope.stories.intake`` calls it through a ``StoryAssigner`` after each stored batch) and
``regroup`` rebuilds every story from scratch. Only title and body count (never teasers of other
stories on the page), with the document's entities as actors; the grouping itself is
``wirescope.stories.grouping``, the tables it keeps between runs are ``wirescope.storage.stories``.
Only stories still inside the time window are loaded.

Reading: ``list_stories`` and ``get_story`` return plain dicts (the ``wirescope/story`` JSON in
docs/schema.md) used by the CLI and the REST API. ``get_story`` merges events across articles (one
event reported by ten outlets is one event with ten sources), groups quotes by speaker, and
compares outlets: what each reported that the others left out (informational bias in the sense of
BASIL) and how it framed the story.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from wirescope.io.dates import published_day
from wirescope.records import Analysis, Entity, Event, EventActor, outlet_name
from wirescope.storage import stories as tables
from wirescope.storage.store import Store
from wirescope.stories.grouping import (
    Assignment,
    Features,
    GroupingSettings,
    StoryGrouper,
    StoryText,
    by_day,
    features,
)
from wirescope.stories.grouping import words as words_of
from wirescope.stories.labels import claim_spans, coverage_share, headline_quote, sentence_label

KEY_ACTORS = 8  # key actors listed per story
ACTOR_TYPES = ("PERSON", "ORG", "GPE", "NORP")  # entity types that count as a story's actors
QUOTE_OVERLAP = 0.5  # share of the shorter quote's words two quotes need to be the same statement
SENTENCE_NOVELTY = 0.5  # share of a sentence's content words no other outlet uses, to be "only here"
LOADED_KINDS = ("loaded_term", "loaded_attribution")


# -- documents as the grouper sees them ----------------------------------------------------------
def actor_terms(entities: Iterable[Entity]) -> tuple[str, ...]:
    """Entity names and actor codes, once per mention: shared actors weigh in the similarity."""
    out: list[str] = []
    for entity in entities:
        n = max(1, len(entity.mentions))
        out.extend([entity.name] * n)
        if entity.code:
            out.extend([entity.code] * n)
    return tuple(out)


def grouping_day(published: str | None, stored_at: datetime) -> date:
    """The day the grouping places a document at: its publication day.

    An undated document (or a date stored unreadable before dates were normalised) is placed at
    the day it was ingested, only so that it joins stories of that time rather than any story
    ever told. That day stays inside the grouping (``story_documents.day``): story lists and
    timelines show the document undated.
    """
    day = published_day(published)
    if day:
        try:
            return date.fromisoformat(day)
        except ValueError:
            pass
    return stored_at.date()


def story_text(doc: tables.DocumentForGrouping) -> StoryText:
    """Title + body (segments of those kinds only) and actors of one document."""
    title = " ".join(doc.text[s:e] for kind, s, e in doc.segments if kind == "title") or (doc.title or "")
    body = "\n".join(doc.text[s:e] for kind, s, e in doc.segments if kind == "body")
    actors: list[str] = []
    for name, code, mentions in doc.actors:
        n = max(1, mentions)
        actors.extend([name] * n + ([code] * n if code else []))
    return StoryText(doc.doc_id, grouping_day(doc.published, doc.stored_at), title, body, tuple(actors))


# -- grouping with persisted state ---------------------------------------------------------------
class StoryAssigner:
    """Groups documents of one store across several calls (one per ingest batch).

    Each call first loads from the store the stories that can take its documents (seen within
    the window around their days) and are not in memory yet; later calls reuse what is loaded.
    """

    def __init__(self, store: Store, settings: GroupingSettings | None = None,
                 fresh: bool = False) -> None:
        self.store = store
        self.settings = settings or GroupingSettings()
        self.grouper = StoryGrouper(self.settings, n_docs=tables.independent_documents(store))
        self.known_terms: set[str] = set()
        # A fresh (regrouping) assigner has nothing stored to load: all it groups it holds.
        self.fresh = fresh
        self.next_seq = tables.next_seq(store)

    def assign(self, doc_ids: Sequence[str] | None = None) -> list[Assignment]:
        """Group ``doc_ids`` (default: every stored document not in a story yet); skip grouped ones."""
        todo = [d for d in tables.ungrouped_ids(self.store, doc_ids) if d not in self.grouper.doc_story]
        items = by_day([story_text(doc) for doc in tables.documents_for_grouping(self.store, todo)])
        if not items:
            return []
        self._load(items[0].day, items[-1].day)
        feats = [features(item) for item in items]
        self._load_df({t for f in feats for t in f.terms})
        done = [self.grouper.assign(item, f) for item, f in zip(items, feats)]
        self._write([(item, *pair) for item, pair in zip(items, done)])
        return [a for a, _ in done]

    def _load_df(self, terms: set[str]) -> None:
        missing = list(terms - self.known_terms)
        if not missing:
            return
        self.grouper.df.update(tables.document_frequencies(self.store, missing))
        self.known_terms.update(missing)

    def _load(self, first: date, last: date) -> None:
        """Replay the stored stories that can take documents of days ``first``..``last`` and are
        not in memory (never loaded, or dropped after the window moved on)."""
        if self.fresh:
            return
        window = timedelta(days=self.settings.window_days)
        loaded = tables.stories_between(self.store, first - window, last + window, list(self.grouper.stories))
        self._load_df({t for g in loaded for t in g.terms})
        for g in loaded:
            self.grouper.restore(g.story_id, g.doc_id, g.day, Features(g.terms, g.minhash), g.duplicate_of)

    def _write(self, done: list[tuple[StoryText, Assignment, Features]]) -> None:
        df: Counter[str] = Counter()
        for _, assignment, feats in done:
            if assignment.duplicate_of is None:
                df.update(feats.terms.keys())
        self.known_terms.update(df)
        grouped = [tables.GroupedDocument(a.doc_id, a.story_id, item.day, a.similarity, a.duplicate_of,
                                          f.terms, f.minhash) for item, a, f in done]
        tables.write_grouped(self.store, grouped, dict(df), self.next_seq)
        self.next_seq += len(done)


def assign_stories(store: Store, doc_ids: Sequence[str] | None = None,
                   settings: GroupingSettings | None = None) -> list[Assignment]:
    """Put every stored document not yet in a story (or those of ``doc_ids``) into one."""
    return StoryAssigner(store, settings).assign(doc_ids)


REGROUP_CHUNK = 2000  # documents read and written per transaction when regrouping


def regroup(store: Store, settings: GroupingSettings | None = None) -> int:
    """Forget every story and group all stored documents again, in date order. Returns stories."""
    tables.forget_stories(store)
    rows = tables.groupable_documents(store)
    ordered = [r[0] for r in sorted(rows, key=lambda r: (grouping_day(r[1], r[2]), r[2], r[0]))]
    assigner = StoryAssigner(store, settings, fresh=True)
    for start in range(0, len(ordered), REGROUP_CHUNK):
        assigner.assign(ordered[start : start + REGROUP_CHUNK])
    return tables.count_stories(store)


# -- reading ---------------------------------------------------------------------------------
def _story_records(store: Store, story_ids: list[str]) -> list[dict[str, Any]]:
    if not story_ids:
        return []
    heads = tables.story_heads(store, story_ids)
    docs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for sid, did, url, outlet, title, published, dup in tables.story_documents(store, story_ids):
        docs[sid].append({"id": did, "url": url, "outlet": outlet_name(outlet, url), "title": title,
                          "published": published, "duplicate_of": dup})
    actors: dict[str, list[tuple[int, int, str, str | None]]] = defaultdict(list)
    for sid, name, code, n_docs, n_mentions in tables.story_actors(store, story_ids, ACTOR_TYPES):
        actors[sid].append((int(n_docs), int(n_mentions), name, code))
    records = []
    for sid in story_ids:
        if sid not in heads:
            continue
        headline, first_seen, last_seen = heads[sid]
        outlets = list(dict.fromkeys(d["outlet"] for d in docs[sid]))
        key = sorted(actors[sid], key=lambda a: (-a[0], -a[1], a[2]))[:KEY_ACTORS]
        records.append({
            "id": sid, "headline": headline, "first_seen": first_seen, "last_seen": last_seen,
            "outlets": outlets, "documents": docs[sid],
            "key_actors": [{"name": name, "code": code, "documents": n} for n, _, name, code in key],
        })
    return records


def list_stories(store: Store, limit: int = 50, offset: int = 0) -> list[dict]:
    """Stories, most recently published first (then those with more documents)."""
    return _story_records(store, tables.latest_story_ids(store, limit, offset))


def get_story(store: Store, story_id: str, ratings: dict[str, dict[str, Any]] | None = None) -> dict | None:
    """One story with its merged events, quotes by speaker and per-outlet coverage (or None).

    ``ratings`` (from ``load_ratings``) adds each outlet's lean and factuality when known.
    """
    full_id = tables.resolve_story_id(store, story_id)
    if full_id is None:
        return None
    record = _story_records(store, [full_id])[0]
    members = []
    for doc in record["documents"]:
        analysis = store.get_analysis(doc["id"])
        if analysis is not None:  # an undated document has no day on the story's timeline
            members.append(StoryMember(doc["id"], doc["outlet"], published_day(doc["published"]),
                                       doc["duplicate_of"], analysis))
    record["events"] = merge_events(members)
    record["quotes_by_speaker"] = quotes_by_speaker(members)
    record["coverage"] = compare_coverage(members, ratings)
    return record


# -- merging across articles -----------------------------------------------------------------
class StoryMember:
    """One document of a story as the comparison reads it: its analysis, outlet and day, and
    the first copy when it is a near-duplicate."""

    def __init__(self, doc_id: str, outlet: str, day: str | None, duplicate_of: str | None,
                 analysis: Analysis) -> None:
        self.doc_id, self.outlet, self.day = doc_id, outlet, day
        self.duplicate_of, self.analysis = duplicate_of, analysis


def _actor_key(actor: EventActor) -> str:
    return actor.code or (actor.name or actor.text).casefold()


def _actor_label(actor: EventActor) -> str:
    return actor.name or actor.text


def event_key(event: Event) -> tuple[str, frozenset[str], frozenset[str], bool]:
    """Two reports are one event when type, actors and recipients (codes, else names) and
    negation agree; the wording and sentence do not matter."""
    return (event.type, frozenset(map(_actor_key, event.actors)),
            frozenset(map(_actor_key, event.recipients)), event.negated)


def merge_events(members: Sequence[StoryMember]) -> list[dict[str, Any]]:
    """One entry per event across the story's documents; ``sources`` counts independent documents."""
    merged: dict[tuple[str, frozenset[str], frozenset[str], bool], dict[str, Any]] = {}
    for member in members:
        for event in member.analysis.events:
            key = event_key(event)
            entry = merged.setdefault(key, {
                "type": event.type, "actors": sorted({_actor_label(a) for a in event.actors}),
                "recipients": sorted({_actor_label(r) for r in event.recipients}),
                "negated": event.negated, "doc_ids": [], "outlets": [], "sources": 0, "first_seen": None,
            })
            if member.doc_id in entry["doc_ids"]:
                continue
            entry["doc_ids"].append(member.doc_id)
            if member.outlet not in entry["outlets"]:
                entry["outlets"].append(member.outlet)
            if member.duplicate_of is None:
                entry["sources"] += 1  # a wire copy republished elsewhere is not another source
            if member.day and (entry["first_seen"] is None or member.day < entry["first_seen"]):
                entry["first_seen"] = member.day
    # Undated events (every report undated) come after the dated ones.
    return sorted(merged.values(),
                  key=lambda e: (e["first_seen"] is None, e["first_seen"] or "", -e["sources"], e["type"]))


def speaker_names(members: Sequence[StoryMember]) -> dict[str, str]:
    """Surname -> full name over the story's people, for speakers one article calls only "Ilves".

    A surname shared by two full names stays as written: no guess.
    """
    full: dict[str, set[str]] = defaultdict(set)
    for member in members:
        names = [e.name for e in member.analysis.entities if e.type == "PERSON"]
        names += [q.speaker.name for q in member.analysis.quotes if q.speaker and q.speaker.name]
        for name in names:
            parts = name.split()
            if len(parts) > 1:
                full[parts[-1].casefold()].add(name)
    return {surname: next(iter(names)) for surname, names in full.items() if len(names) == 1}


def _speaker(quote_speaker: Any, names: dict[str, str]) -> str | None:
    if quote_speaker is None:
        return None
    label = quote_speaker.name or quote_speaker.text
    return names.get(label.casefold(), label) if " " not in label.strip() else label


def quotes_by_speaker(members: Sequence[StoryMember]) -> dict[str, list[dict[str, Any]]]:
    """Who is quoted, across independent documents (copies would repeat the same quotes)."""
    names = speaker_names(members)
    out: dict[str, list[dict[str, Any]]] = {}
    for member in members:
        if member.duplicate_of is not None:
            continue
        for quote in member.analysis.quotes:
            if headline_quote(member.analysis, quote):
                continue
            speaker = _speaker(quote.speaker, names) or "(unattributed)"
            out.setdefault(speaker, []).append({"doc_id": member.doc_id, "outlet": member.outlet,
                                                "text": quote.content.text, "kind": quote.kind})
    return out


_WORDS = re.compile(r"\w+")


def _quote_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORDS.findall(text.casefold()) if len(w) > 2)


def _same_statement(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two quotes are the same statement when most words of the shorter one are in the other
    (outlets cut and trim quotes differently)."""
    shorter = min(len(a), len(b))
    return shorter > 0 and len(a & b) / shorter >= QUOTE_OVERLAP


class _OutletView:
    """What one outlet reported in the story: its quotes, speakers, events, entities, framing."""

    def __init__(self, outlet: str) -> None:
        self.outlet = outlet
        self.doc_ids: list[str] = []
        self.quotes: list[tuple[str, str | None, str, frozenset[str]]] = []
        self.speakers: dict[str, str] = {}
        self.events: dict[tuple[str, frozenset[str], frozenset[str], bool], dict[str, Any]] = {}
        self.entities: dict[str, str] = {}
        self.surnames: set[str] = set()
        self.framing: Counter[str] = Counter()
        self.terms: Counter[str] = Counter()
        self.sentences: list[tuple[str, int, int, str, frozenset[str]]] = []
        self.labels: dict[tuple[str, int], dict[str, Any]] = {}  # (doc id, start) -> quote/claim/fact

    def add(self, member: StoryMember, names: dict[str, str]) -> None:
        analysis = member.analysis
        self.doc_ids.append(member.doc_id)
        sentences = body_sentences(analysis)
        self.sentences.extend(sentences)
        quotes = [q for q in analysis.quotes if not headline_quote(analysis, q)]
        spoken = [(q.content.start, q.content.end, _speaker(q.speaker, names)) for q in quotes]
        claims = claim_spans(analysis)
        for doc_id, start, end, *_ in sentences:
            self.labels[(doc_id, start)] = sentence_label(start, end, spoken, claims)
        for quote in quotes:
            speaker = _speaker(quote.speaker, names)
            self.quotes.append((member.doc_id, speaker, quote.content.text, _quote_words(quote.content.text)))
            if speaker:
                self.speakers.setdefault(speaker.casefold(), speaker)
        for event in analysis.events:
            self.events.setdefault(event_key(event), {
                "type": event.type, "actors": sorted({_actor_label(a) for a in event.actors}),
                "recipients": sorted({_actor_label(r) for r in event.recipients})})
        for entity in analysis.entities:
            if entity.type in ACTOR_TYPES:
                self.entities.setdefault(entity.name.casefold(), entity.name)
                if entity.type == "PERSON":
                    self.surnames.add(entity.name.split()[-1].casefold())
        for framing in analysis.framing:
            if framing.in_quote:
                continue  # a speaker's words, not the outlet's
            self.framing[framing.kind] += 1
            if framing.kind in LOADED_KINDS:
                self.terms[framing.text.casefold()] += 1

    def only_here(self, others: Sequence[_OutletView]) -> dict[str, list[Any]]:
        other_quotes = [q[3] for o in others for q in o.quotes]
        other_speakers = {k for o in others for k in o.speakers}
        other_events = {k for o in others for k in o.events}
        other_entities = {k for o in others for k in o.entities}
        other_surnames = {s for o in others for s in o.surnames}
        quotes = [{"doc_id": doc_id, "speaker": speaker, "text": text}
                  for doc_id, speaker, text, words in self.quotes
                  if not any(_same_statement(words, other) for other in other_quotes)]
        # A speaker only here is one the other outlets do not quote (they may still name them).
        speakers = [name for key, name in self.speakers.items() if key not in other_speakers]
        # An entity only here is one the others never name (a person by full name or surname).
        entities = [name for key, name in self.entities.items()
                    if key not in other_entities and key.split()[-1] not in other_surnames]
        events = [e for key, e in self.events.items() if key not in other_events]
        return {"quotes": quotes, "speakers": speakers, "events": events, "entities": entities,
                "sentences": self._sentences_only_here(others)}

    def _sentences_only_here(self, others: Sequence[_OutletView]) -> list[dict[str, Any]]:
        """Sentences whose facts the other outlets do not give: most of their content words
        (names, numbers' words, things) appear nowhere in the others' articles; each labelled a
        quote (with its speaker), a claim or a fact stated by the outlet (``labels``)."""
        elsewhere = {w for o in others for *_, words in o.sentences for w in words}
        return [{"doc_id": doc_id, "start": start, "end": end, "text": text, **self.labels[(doc_id, start)]}
                for doc_id, start, end, text, words in self.sentences
                if len(words - elsewhere) / len(words) >= SENTENCE_NOVELTY]


# A sentence ends at a stop (with closing quotes) before a space, at a blank line, or at the end.
_SENTENCE = re.compile(r"[^\s].*?(?:[.!?][\"”’)]*(?=\s|$)|(?=\n\s*\n)|$)", re.DOTALL)
MIN_SENTENCE_WORDS = 4  # content words; shorter ones ("He declined to comment.") carry no fact


def body_sentences(analysis: Analysis) -> list[tuple[str, int, int, str, frozenset[str]]]:
    """(doc id, start, end, text, content words) of each body sentence with enough words.

    Split with a regex, not spaCy: stories are read back from the store, where the parse is gone.
    """
    text = analysis.document.text
    out = []
    for seg in analysis.segments:
        if seg.kind != "body":
            continue
        for match in _SENTENCE.finditer(text, seg.start, seg.end):
            words = frozenset(words_of(match.group()))
            if len(words) >= MIN_SENTENCE_WORDS:
                out.append((analysis.document.id, match.start(), match.end(), match.group(), words))
    return out


def compare_coverage(members: Sequence[StoryMember],
                     ratings: dict[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Per outlet: its documents, what only it reported, its framing counts and its rating."""
    views: dict[str, _OutletView] = {}
    urls: dict[str, list[str]] = defaultdict(list)
    names = speaker_names(members)
    for member in members:
        views.setdefault(member.outlet, _OutletView(member.outlet)).add(member, names)
        if member.analysis.document.url:
            urls[member.outlet].append(member.analysis.document.url)
    out = []
    for outlet, view in views.items():
        others = [v for o, v in views.items() if o != outlet]
        empty: dict[str, list[Any]] = {"quotes": [], "speakers": [], "events": [], "entities": [],
                                       "sentences": []}
        # With one outlet there is nothing to compare against.
        only = view.only_here(others) if others else empty
        out.append({
            "outlet": outlet,
            "documents": view.doc_ids,
            "only_here": only,
            "share": coverage_share(view.events, {key for o in others for key in o.events}, bool(others),
                                    len(view.sentences), len(only["sentences"])),
            "framing": {**{kind: view.framing.get(kind, 0) for kind in
                           ("loaded_term", "loaded_attribution", "unattributed_claim", "biased_sentence")},
                        "terms": [t for t, _ in view.terms.most_common()]},
            "rating": rating_for(ratings, outlet, urls[outlet]) if ratings else None,
        })
    return out


# -- outlet ratings ------------------------------------------------------------------------------
NAME_COLUMNS = ("outlet", "name", "source", "site", "domain", "source_url_normalized", "source_url", "url")
LEAN_COLUMNS = ("lean", "bias", "leaning")
FACT_COLUMNS = ("factuality", "fact", "reliability")


def _domain(value: str) -> str | None:
    value = value.strip().casefold()
    host = urlsplit(value if "//" in value else f"//{value}").hostname
    if not host or "." not in host or " " in value:
        return None
    return host.removeprefix("www.")


def load_ratings(path: str | Path) -> dict[str, dict[str, Any]]:
    """Outlet ratings from a user's CSV or TSV table with a header row.

    Outlets are named by any of NAME_COLUMNS (names and/or URLs/domains); lean by LEAN_COLUMNS,
    factuality by FACT_COLUMNS. Returns ratings keyed by lower-cased name and by domain.
    Raises ValueError when the table has none of the columns it needs.
    """
    text = Path(path).read_text(encoding="utf-8-sig")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(text.splitlines(), dialect=dialect)
    header = {c.strip().casefold(): c for c in reader.fieldnames or ()}
    names = [header[c] for c in NAME_COLUMNS if c in header]
    lean = next((header[c] for c in LEAN_COLUMNS if c in header), None)
    fact = next((header[c] for c in FACT_COLUMNS if c in header), None)
    if not names or (lean is None and fact is None):
        raise ValueError(f"{path}: a ratings table needs an outlet column ({', '.join(NAME_COLUMNS)}) "
                         f"and a lean ({', '.join(LEAN_COLUMNS)}) or factuality "
                         f"({', '.join(FACT_COLUMNS)}) column")
    ratings: dict[str, dict[str, Any]] = {}
    for row in reader:
        rating = {"lean": (row.get(lean) or "").strip() or None if lean else None,
                  "factuality": (row.get(fact) or "").strip() or None if fact else None}
        for column in names:
            value = (row.get(column) or "").strip()
            if not value:
                continue
            rating_with_key = {**rating, "matched": value}
            ratings.setdefault(value.casefold(), rating_with_key)
            domain = _domain(value)
            if domain:
                ratings.setdefault(domain, rating_with_key)
    return ratings


def rating_for(ratings: dict[str, dict[str, Any]], outlet: str, urls: Iterable[str] = ()) -> dict | None:
    """The rating of an outlet by its name, its name as a domain, or its documents' URL hosts."""
    keys = [outlet.casefold(), _domain(outlet)] + [_domain(u) for u in urls]
    return next((ratings[k] for k in keys if k and k in ratings), None)
