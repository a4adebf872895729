"""Online story grouping: each new document joins the most similar live story or starts one.

Pure and store-free (the store glue is ``wirescope.stories.assign``), so the same code groups a stream in
tests, in ``wirescope ingest`` and in the benchmark. The method follows streaming news clusterers
(e.g. Miranda et al. 2018): a document is a TF-IDF vector over its title, body and actor names
(entity names and actor codes); a story is the sum of its documents' unit vectors; a document
joins the story whose centroid is closest when the cosine, less a penalty for the days between
them, reaches ``join_threshold``.

Cost per document stays flat as the stream grows because

* candidates come from an inverted index over each document's top terms, not from all stories;
* stories not updated for ``window_days`` (behind the newest day seen) leave the index;
* near-duplicates (wire copies) are found with MinHash LSH (datasketch), not pairwise.

A near-duplicate is linked to the first copy seen (``duplicate_of``), joins its story and is not
counted again: it adds nothing to the story's centroid nor to the document frequencies.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from datasketch import MinHash, MinHashLSH

# The grouping settings (window_days, join_threshold, ...) are a field of the pipeline's Settings.
from wirescope.settings import StorySettings as GroupingSettings

# -- tuning constants (effects measured on BASIL, bench/stories.py; see bench/RESULTS.md) ---------
TITLE_WEIGHT = 3.0  # a title word counts as this many body words
ACTOR_WEIGHT = 1.0  # an actor mention (entity name or code) counts as this many body words
TOP_TERMS = 15  # terms of a document that index its story and look up candidate stories
MAX_CANDIDATES = 40  # candidate stories scored in full, those sharing most top terms first
SHINGLE_WORDS = 5
NUM_PERM = 64  # MinHash permutations: 0.4 ms per 400-word text; error of the estimate ~0.06
MIN_WORD_CHARS = 3
MINHASH_SCHEME = "affine32"  # datasketch 2 hashing; persisted signatures are only comparable within one scheme

_WORD = re.compile(r"[^\W\d_](?:[^\W_]|['’-](?=[^\W_]))+")
_SHINGLE_WORD = re.compile(r"\w+")


def _stop_words() -> frozenset[str]:
    # spaCy's English list is already a runtime dependency; no need to ship our own.
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | {"said", "says", "told", "would", "could", "also", "year", "new"}


STOP_WORDS = _stop_words()


@dataclass(frozen=True)
class StoryText:
    """What the grouper reads of one document: title and body only (never teasers), and actors."""

    doc_id: str
    day: date
    title: str
    body: str
    actors: tuple[str, ...] = ()  # one entry per mention: entity names and actor codes


@dataclass(frozen=True)
class Assignment:
    doc_id: str
    story_id: str
    similarity: float | None  # score against the story it joined; None when it started one
    duplicate_of: str | None = None  # the first copy, when this document is a near-duplicate
    day: date | None = None


@dataclass(frozen=True)
class Features:
    """The persisted part of a document: weighted term counts and its MinHash signature."""

    terms: dict[str, float]
    minhash: tuple[int, ...]


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.casefold())
            if len(w) >= MIN_WORD_CHARS and w not in STOP_WORDS]


def term_counts(item: StoryText) -> dict[str, float]:
    """Raw weighted counts: body words, title words (weighted), actors as ``@name`` terms."""
    counts: dict[str, float] = dict(Counter(words(item.body)))
    for word in words(item.title):
        counts[word] = counts.get(word, 0) + TITLE_WEIGHT
    for actor in item.actors:
        term = "@" + actor.casefold()
        counts[term] = counts.get(term, 0) + ACTOR_WEIGHT
    return counts


_PERMUTATIONS = MinHash(num_perm=NUM_PERM, scheme=MINHASH_SCHEME).permutations


def make_minhash(hashvalues: Sequence[int] | None = None) -> MinHash:
    # Passing the permutations avoids re-drawing them for every signature (40% of the cost).
    if hashvalues is None:
        return MinHash(num_perm=NUM_PERM, permutations=_PERMUTATIONS, scheme=MINHASH_SCHEME)
    return MinHash(hashvalues=list(hashvalues), permutations=_PERMUTATIONS, scheme=MINHASH_SCHEME)


def minhash_signature(text: str) -> tuple[int, ...]:
    tokens = _SHINGLE_WORD.findall(text.casefold())
    shingles = {" ".join(tokens[i : i + SHINGLE_WORDS]).encode("utf-8")
                for i in range(max(1, len(tokens) - SHINGLE_WORDS + 1))}
    signature = make_minhash()
    signature.update_batch(list(shingles))
    return tuple(int(v) for v in signature.hashvalues)


def features(item: StoryText) -> Features:
    return Features(term_counts(item), minhash_signature(f"{item.title}\n{item.body}"))


@dataclass
class _Story:
    id: str
    first_day: date
    last_day: date
    centroid: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0
    indexed: set[str] = field(default_factory=set)  # its terms in the inverted index
    doc_ids: list[str] = field(default_factory=list)


class StoryGrouper:
    """Assigns documents, one at a time, to stories; holds only the stories inside the window.

    ``df``/``n_docs`` are the document frequencies so far (persisted by the store between runs).
    """

    def __init__(self, settings: GroupingSettings | None = None, df: dict[str, int] | None = None,
                 n_docs: int = 0) -> None:
        self.settings = settings or GroupingSettings()
        self.df: Counter[str] = Counter(df or {})
        self.n_docs = n_docs
        self.stories: dict[str, _Story] = {}
        self.index: dict[str, set[str]] = defaultdict(set)
        self.lsh = MinHashLSH(threshold=self.settings.duplicate_jaccard, num_perm=NUM_PERM)
        self.signatures: dict[str, MinHash] = {}
        self.doc_story: dict[str, str] = {}
        self.newest: date | None = None
        self._expiry: list[tuple[date, str]] = []  # (last day, story id), lazily out of date

    # -- vectors -----------------------------------------------------------------------------
    def idf(self, term: str) -> float:
        return math.log((self.n_docs + 1) / (self.df.get(term, 0) + 1)) + 1.0

    def vector(self, terms: dict[str, float]) -> dict[str, float]:
        weights = {t: math.log1p(c) * self.idf(t) for t, c in terms.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}

    # -- the stream --------------------------------------------------------------------------
    def assign(self, item: StoryText, feats: Features | None = None) -> tuple[Assignment, Features]:
        """Put one document into a story; returns the assignment and the features to persist."""
        feats = feats or features(item)
        self._advance(item.day)
        signature = make_minhash(feats.minhash)
        original = self._first_copy(signature)
        if original is not None:
            story_id = self.doc_story[original]
            story = self.stories[story_id]
            story.doc_ids.append(item.doc_id)
            self.doc_story[item.doc_id] = story_id
            self._touch(story, item.day)
            return Assignment(item.doc_id, story_id, round(signature.jaccard(self.signatures[original]), 4),
                              original, item.day), feats
        self.df.update(feats.terms.keys())
        self.n_docs += 1
        vec = self.vector(feats.terms)
        best, score = self._best_story(vec, item.day)
        joined = best if best is not None else self._new_story(item.doc_id, item.day)
        self._add(joined, item.doc_id, item.day, vec, signature)
        return Assignment(item.doc_id, joined.id, None if score is None else round(score, 4), None,
                          item.day), feats

    def restore(self, story_id: str, doc_id: str, day: date, feats: Features,
                duplicate_of: str | None) -> None:
        """Replay a stored assignment (no df update: the stored frequencies already count it)."""
        story = self.stories.get(story_id)
        if story is None:
            story = self.stories[story_id] = _Story(story_id, day, day)
        story.first_day = min(story.first_day, day)
        self.newest = max(self.newest or day, day)
        if duplicate_of is not None:
            story.doc_ids.append(doc_id)
            self.doc_story[doc_id] = story_id
            self._touch(story, day)
            return
        signature = make_minhash(feats.minhash)
        self._add(story, doc_id, day, self.vector(feats.terms), signature)

    # -- internals ---------------------------------------------------------------------------
    def _first_copy(self, signature: MinHash) -> str | None:
        found = [d for d in self.lsh.query(signature)
                 if signature.jaccard(self.signatures[d]) >= self.settings.duplicate_jaccard]
        # The first copy seen is the original; stories keep their documents in arrival order.
        return min(found, key=lambda d: self.stories[self.doc_story[d]].doc_ids.index(d), default=None)

    def _best_story(self, vec: dict[str, float], day: date) -> tuple[_Story | None, float | None]:
        top = heapq.nlargest(TOP_TERMS, vec, key=vec.__getitem__)
        hits: Counter[str] = Counter(sid for term in top for sid in self.index.get(term, ()))
        best, best_score = None, None
        window = self.settings.window_days
        for sid, _ in hits.most_common(MAX_CANDIDATES):
            story = self.stories[sid]
            if (day - story.last_day).days > window or (story.first_day - day).days > window:
                continue
            gap = max((day - story.last_day).days, (story.first_day - day).days, 0)
            dot = sum(w * story.centroid.get(t, 0.0) for t, w in vec.items())
            score = dot / story.norm - self.settings.day_penalty * gap
            if best_score is None or score > best_score:
                best, best_score = story, score
        if best is None or best_score is None or best_score < self.settings.join_threshold:
            return None, best_score if best is not None else None
        return best, best_score

    def _new_story(self, doc_id: str, day: date) -> _Story:
        story = _Story(story_id_for(doc_id), day, day)
        self.stories[story.id] = story
        return story

    def _add(self, story: _Story, doc_id: str, day: date, vec: dict[str, float],
             signature: MinHash) -> None:
        for term, weight in vec.items():
            story.centroid[term] = story.centroid.get(term, 0.0) + weight
        story.norm = math.sqrt(sum(w * w for w in story.centroid.values())) or 1.0
        for term in heapq.nlargest(TOP_TERMS, vec, key=vec.__getitem__):
            if term not in story.indexed:
                story.indexed.add(term)
                self.index[term].add(story.id)
        story.doc_ids.append(doc_id)
        self.doc_story[doc_id] = story.id
        if doc_id not in self.signatures:
            self.signatures[doc_id] = signature
            self.lsh.insert(doc_id, signature)
        self._touch(story, day)

    def _touch(self, story: _Story, day: date) -> None:
        story.last_day = max(story.last_day, day)
        heapq.heappush(self._expiry, (story.last_day, story.id))

    def _advance(self, day: date) -> None:
        """Move the newest day on and drop stories that can no longer take a document.

        A late document (older than the newest day) drops nothing: the stories of its own days,
        which the store may just have loaded for it, must stay until it is placed.
        """
        if self.newest is not None and day < self.newest:
            return
        self.newest = day
        window = self.settings.window_days
        while self._expiry and (self.newest - self._expiry[0][0]).days > window:
            last_day, sid = heapq.heappop(self._expiry)
            story = self.stories.get(sid)
            if story is None or story.last_day != last_day:
                continue  # an older entry of a story touched since
            self._drop(story)

    def _drop(self, story: _Story) -> None:
        for term in story.indexed:
            postings = self.index.get(term)
            if postings is not None:
                postings.discard(story.id)
                if not postings:
                    del self.index[term]
        for doc_id in story.doc_ids:
            if self.signatures.pop(doc_id, None) is not None:
                self.lsh.remove(doc_id)
            self.doc_story.pop(doc_id, None)
        del self.stories[story.id]


def story_id_for(doc_id: str) -> str:
    """A story is named after the document that started it: stable across a regroup."""
    return f"s{doc_id}"


def group_stream(items: Iterable[StoryText], settings: GroupingSettings | None = None) -> list[Assignment]:
    """Group a whole stream from scratch (benchmarks, tests): items in arrival order."""
    grouper = StoryGrouper(settings)
    return [grouper.assign(item)[0] for item in items]


def by_day(items: Sequence[StoryText]) -> list[StoryText]:
    """Arrival order for a batch: by day, ties kept in the given order."""
    return sorted(items, key=lambda item: item.day)
