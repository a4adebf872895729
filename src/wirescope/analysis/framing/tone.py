"""Tone: how positively or negatively a text speaks, as a whole and of each actor in it (issue 18, item 3).

Two measures, cheap at run time (numpy, the tokenizers library and model2vec's static model; no torch):

* **Learned tone**, a number in [-1, 1]: ``P(positive) - P(negative)`` of a three-class
  (negative / neutral / positive) logistic regression, i.e. the expected polarity. -1 is surely
  negative, +1 surely positive; 0 is neutral *or* undecided (two equally likely opposite readings).
  The classes are NewsMTSC's (Hamborg & Donnay 2021): the sentiment a news sentence expresses
  *concerning a named person* in it, as its annotators read it.

  - ``target_tones`` / ``actor_tones``: tone toward one mention in its sentence. Features: the
    static word-piece embedding (model2vec MiniLM, the one ``bias`` ships) of the words left and
    right of the mention within ``window`` words and of the whole sentence without the mention,
    plus opinion-word counts (Hu & Liu, negation flipped) in the same regions. The mention's own
    words are left out, so an actor's name brings no prior tone of its own.
  - ``sentence_tone``: a second classifier on the whole sentence (embedding + opinion words),
    trained on the same labels: the mean tone of a sentence toward the people it names.
  - ``document_tone``: the mean sentence tone over a document's sentences (sentences naming no one
    are scored by the same classifier, outside what it was trained on).

  Trained by ``bench/train_tone.py``; weights in ``wirescope/data/tone_model/classifier.json``
  (notices in its NOTICE.md). Measured by ``bench/tone.py`` on NewsMTSC's held-out test half
  (1,238 targets): macro-F1 0.624 toward the mention (accuracy 0.651), 0.598 for the sentence
  classifier, 0.48-0.49 for opinion-word counts. Cost: about 24 ms per 1,000 words for actor,
  document and GDELT-style tone together, a tenth of the spaCy parse (2026-12-05, 2 shared cores).

* **GDELT-style word counts** (``gdelt_tone``): GDELT 2.0's V2Tone fields that word counts give
  honestly: Tone (positive minus negative word percentage, -100..100; GDELT's AvgTone and
  MentionDocTone), Positive Score, Negative Score, Polarity, Self/Group Reference Density and the
  word count. The opinion words are Hu & Liu's lexicon, not GDELT's unpublished dictionary, so the
  scale matches GDELT's but the values are not GDELT's. Activity Reference Density is left out:
  GDELT's list of "active words" is not published.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

# The static embedding and the opinion lexicons are the bias model's: loaded once per process there.
from wirescope.analysis.framing.bias import BiasModel
from wirescope.analysis.framing.bias import _model as _bias_model
from wirescope.records import DocumentTone, Entity

MODEL_DIR = Path(__file__).parents[2] / "data" / "tone_model"

# Words as the opinion lexicon lists them (lower-cased, inner apostrophes and hyphens kept).
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019\-]*")
# A negator flips the opinion words up to NEGATION_REACH words after it ("not a good plan").
NEGATORS = frozenset({"not", "no", "never", "without", "nor", "neither", "hardly", "barely", "cannot",
                      "nobody", "nothing", "none", "lack", "lacks", "lacked"})
NEGATION_REACH = 3
# Personal, possessive and reflexive pronouns: GDELT's Self/Group Reference Density counts pronouns.
PRONOUNS = frozenset({
    "i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves",
    "you", "your", "yours", "yourself", "yourselves", "he", "him", "his", "himself",
    "she", "her", "hers", "herself", "it", "its", "itself", "they", "them", "their", "theirs", "themselves"})
#: A mention is scored only when its sentence has at least this many words besides the mention
#: ("Smith." alone says nothing about Smith).
MIN_CONTEXT_WORDS = 3


def sentence_width(dim: int) -> int:
    """Features of a sentence: its embedding, 3 opinion-word counts, its length."""
    return dim + 4


def target_width(dim: int) -> int:
    """Features of a mention: 3 embeddings (context, left, right), 3 x 3 opinion-word counts, 2 more."""
    return 3 * dim + 11


class ToneModelMissing(FileNotFoundError):
    """The tone classifier file is missing: tone cannot be scored, and says so."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"tone model file missing: {path}. It ships inside the wirescope package "
                         f"(wirescope/data/tone_model/): reinstall wirescope, or rebuild it with bench/train_tone.py.")
        self.path = path


@dataclass(frozen=True)
class OpinionWord:
    start: int
    end: int
    text: str  # lower-cased, curly apostrophe straightened
    polarity: int  # +1 positive word, -1 negative word, 0 neither; flipped after a negator


def opinion_words(text: str, positive: frozenset[str], negative: frozenset[str]) -> list[OpinionWord]:
    """The words of a text with their opinion polarity (+1, -1, 0), flipped after a negator."""
    words: list[OpinionWord] = []
    last_negator = -NEGATION_REACH - 1  # index of the latest negator
    for index, match in enumerate(_WORD.finditer(text)):
        word = match.group().lower().replace("\u2019", "'")
        polarity = (word in positive) - (word in negative)
        if index - last_negator <= NEGATION_REACH:
            polarity = -polarity
        if word in NEGATORS or word.endswith("n't"):
            last_negator = index
        words.append(OpinionWord(match.start(), match.end(), word, polarity))
    return words


def _opinion_counts(words: Sequence[OpinionWord]) -> list[float]:
    """Positive and negative words of a region, their counts and their log-damped difference."""
    pos = sum(w.polarity > 0 for w in words)
    neg = sum(w.polarity < 0 for w in words)
    return [pos, neg, np.sign(pos - neg) * np.log1p(abs(pos - neg))]


@dataclass(frozen=True)
class Reading:
    """What the features read from one text: its word-piece vectors and their character offsets
    (``Featuriser.pieces``) and its opinion words."""

    vectors: np.ndarray
    offsets: np.ndarray
    words: list[OpinionWord]


@dataclass(frozen=True)
class Featuriser:
    """Features of sentences and of mentions in sentences; shared by training and scoring."""

    bias: BiasModel  # its static embedder and its ``positive``/``negative`` lexicons
    positive: frozenset[str]
    negative: frozenset[str]

    def pieces(self, texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per text: word-piece vectors (float32) and their character offsets, unknown pieces dropped
        as model2vec drops them. Hand-written because model2vec's encode gives no offsets."""
        embedder = self.bias.embedder
        out = []
        for encoding in embedder.tokenizer.encode_batch(list(texts), add_special_tokens=False):
            ids = np.asarray(encoding.ids, dtype=np.int64)
            offsets = np.asarray(encoding.offsets, dtype=np.int64).reshape(-1, 2)
            keep = ids != embedder.unk_token_id
            out.append((embedder.embedding[ids[keep]].astype(np.float32), offsets[keep]))
        return out

    def read(self, texts: Sequence[str], readings: dict[str, Reading] | None = None) -> dict[str, Reading]:
        """``readings`` with each distinct text of ``texts`` it lacks read once (a text's reading does
        not depend on the other texts read with it)."""
        known = dict(readings or {})
        new = [text for text in dict.fromkeys(texts) if text not in known]
        for text, (vectors, offsets) in zip(new, self.pieces(new)):
            known[text] = Reading(vectors, offsets, opinion_words(text, self.positive, self.negative))
        return known

    def sentence_features(self, texts: Sequence[str], readings: dict[str, Reading] | None = None) -> np.ndarray:
        """Features of each text; ``readings``: texts read already (``read``), not read again."""
        read = self.read(texts, readings)
        rows = [np.concatenate([_mean(read[text].vectors), _opinion_counts(read[text].words),
                                [np.log1p(len(read[text].words))]]) for text in texts]
        return np.asarray(rows, dtype=np.float32).reshape(len(rows), sentence_width(self.bias.embedder.dim))

    def target_features(self, items: Sequence[tuple[str, int, int]], window: int,
                        readings: dict[str, Reading] | None = None) -> np.ndarray:
        """Features of each (sentence, start, end): the mention at [start, end) of the sentence; a
        sentence with several mentions is read once."""
        read = self.read([text for text, _, _ in items], readings)
        rows = [_target_row(read[text].words, read[text].vectors, read[text].offsets, start, end, window)
                for text, start, end in items]
        return np.asarray(rows, dtype=np.float32).reshape(len(rows), target_width(self.bias.embedder.dim))


def _target_row(words: list[OpinionWord], vectors: np.ndarray, offsets: np.ndarray, start: int, end: int,
                window: int) -> np.ndarray:
    """Embeddings of the context, the left and the right window; opinion words in the windows and
    beyond them; how many words the sentence has besides the mention and the share before it."""
    before = [w for w in words if w.end <= start]
    after = [w for w in words if w.start >= end]
    left, right = before[-window:], after[:window]
    rest = before[:-window] + after[window:]
    in_context = (offsets[:, 1] <= start) | (offsets[:, 0] >= end)
    in_left = _within(offsets, left[0].start, start) if left else np.zeros(len(offsets), bool)
    in_right = _within(offsets, end, right[-1].end) if right else np.zeros(len(offsets), bool)
    # The three region means in one product; each scaled to unit length as model2vec's encode does.
    sums = np.stack([in_context, in_left, in_right]).astype(np.float32) @ vectors
    norms = np.sqrt((sums * sums).sum(axis=1, keepdims=True))
    return np.concatenate([
        (sums / np.maximum(norms, 1e-12)).reshape(-1),
        _opinion_counts(left), _opinion_counts(right), _opinion_counts(rest),
        [np.log1p(len(before) + len(after)), len(before) / max(len(before) + len(after), 1)],
    ])


def _within(offsets: np.ndarray, start: int, end: int) -> np.ndarray:
    return np.asarray((offsets[:, 0] >= start) & (offsets[:, 1] <= end), dtype=bool)


def _mean(vectors: np.ndarray) -> np.ndarray:
    """Mean of the vectors scaled to unit length (as model2vec's encode does); zeros when none."""
    if not len(vectors):
        return np.zeros(vectors.shape[1], dtype=np.float32)
    mean = vectors.mean(axis=0)
    return np.asarray(mean / (np.linalg.norm(mean) + 1e-12), dtype=np.float32)


def featuriser() -> Featuriser:
    bias = _bias_model()
    named = dict(zip(bias.lexicons.names, bias.lexicons.words))
    return Featuriser(bias, named["positive"], named["negative"])


@dataclass(frozen=True)
class Classifier:
    """Standardised features -> multinomial logistic regression over (negative, neutral, positive)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # (3, features)
    intercept: np.ndarray  # (3,)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        if not len(features):
            return np.zeros((0, 3))
        logits = ((features - self.mean) / self.scale).astype(np.float64) @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        odds = np.exp(logits)
        return np.asarray(odds / odds.sum(axis=1, keepdims=True))

    def tones(self, features: np.ndarray) -> np.ndarray:
        """P(positive) - P(negative) per row."""
        probs = self.probabilities(features)
        return np.asarray(probs[:, 2] - probs[:, 0])

    @classmethod
    def from_dict(cls, data: dict[str, list[float] | list[list[float]]]) -> Classifier:
        return cls(*(np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "coef", "intercept")))


@dataclass(frozen=True)
class ToneModel:
    features: Featuriser
    target: Classifier
    sentence: Classifier
    window: int  # words each side of a mention (chosen on NewsMTSC dev by bench/train_tone.py)


def load_tone_model(model_dir: Path | None = None) -> ToneModel:
    """Read the shipped classifiers (``MODEL_DIR`` by default); raises ToneModelMissing without them."""
    path = (MODEL_DIR if model_dir is None else model_dir) / "classifier.json"
    if not path.is_file():
        raise ToneModelMissing(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    features = featuriser()
    target, sentence = Classifier.from_dict(data["target"]), Classifier.from_dict(data["sentence"])
    dim = features.bias.embedder.dim
    if target.coef.shape != (3, target_width(dim)) or sentence.coef.shape != (3, sentence_width(dim)):
        raise ValueError(f"{path} was trained on other features than tone.Featuriser computes with the "
                         f"installed static model ({dim} dimensions): retrain it with bench/train_tone.py")
    return ToneModel(features, target, sentence, int(data["window"]))


@lru_cache(maxsize=1)
def tone_model() -> ToneModel:
    """The shipped model, loaded once per process (call it to load before the first document)."""
    return load_tone_model()


def sentence_tone(texts: Sequence[str], readings: dict[str, Reading] | None = None) -> list[float]:
    """Tone of each sentence in [-1, 1] (module docstring), in input order; each scored on its own.
    ``readings``: sentences read already (``Featuriser.read``)."""
    model = tone_model()
    return [float(t) for t in model.sentence.tones(model.features.sentence_features(list(texts), readings))]


def target_tones(items: Sequence[tuple[str, int, int]], readings: dict[str, Reading] | None = None) -> list[float]:
    """Tone in [-1, 1] toward the span [start, end) of each (sentence, start, end), in input order."""
    model = tone_model()
    features = model.features.target_features(list(items), model.window, readings)
    return [float(t) for t in model.target.tones(features)]


def _worded(text: str, sentences: Sequence[tuple[int, int]]) -> list[str]:
    """The texts of the sentences (``(start, end)`` offsets into ``text``) that hold a word."""
    return [text[start:end] for start, end in sentences if _WORD.search(text, start, end)]


def document_tone(text: str, sentences: Sequence[tuple[int, int]],
                  readings: dict[str, Reading] | None = None) -> float | None:
    """Mean sentence tone over the document's sentences (``(start, end)`` offsets into ``text``) that
    hold a word; None when none does."""
    texts = _worded(text, sentences)
    return float(np.mean(sentence_tone(texts, readings))) if texts else None


def actor_tones(text: str, sentences: Sequence[tuple[int, int]], entities: Sequence[Entity],
                readings: dict[str, Reading] | None = None) -> dict[str, float]:
    """Entity id -> mean tone toward it over the sentences that mention it.

    ``sentences`` are ``(start, end)`` offsets into ``text`` that do not overlap (the parse's).
    A mention counts in the sentence where it starts; several mentions of one entity in a sentence are
    averaged first, so each sentence counts once. A sentence with fewer than ``MIN_CONTEXT_WORDS``
    words besides the mention is not scored. An entity with no scored sentence is absent.
    """
    spans = sorted(sentences)
    starts = [start for start, _ in spans]
    items: list[tuple[str, int, int]] = []
    keys: list[tuple[str, int]] = []  # (entity id, sentence number) of each item
    word_spans: dict[int, _WordSpans] = {}  # sentence number -> its words, found once
    for entity in entities:
        for mention in entity.mentions:
            number = bisect.bisect_right(starts, mention.start) - 1
            if number < 0 or mention.start >= spans[number][1]:
                continue  # not inside a sentence given
            s_start, s_end = spans[number]
            sentence = text[s_start:s_end]
            start, end = mention.start - s_start, min(mention.end, s_end) - s_start
            words = word_spans.get(number) or word_spans.setdefault(number, _word_spans(sentence))
            if _context_words(words, start, end) >= MIN_CONTEXT_WORDS:
                items.append((sentence, start, end))
                keys.append((entity.id, number))
    per_sentence: dict[tuple[str, int], list[float]] = {}
    for key, tone in zip(keys, target_tones(items, readings) if items else []):
        per_sentence.setdefault(key, []).append(tone)
    per_entity: dict[str, list[float]] = {}
    for (entity_id, _), tones in per_sentence.items():
        per_entity.setdefault(entity_id, []).append(float(np.mean(tones)))
    return {entity_id: float(np.mean(tones)) for entity_id, tones in per_entity.items()}


# A sentence's words as two sorted lists: their ends and their starts.
_WordSpans = tuple[list[int], list[int]]


def _word_spans(sentence: str) -> _WordSpans:
    matches = list(_WORD.finditer(sentence))
    return [m.end() for m in matches], [m.start() for m in matches]


def _context_words(words: _WordSpans, start: int, end: int) -> int:
    """How many words of the sentence end before ``start`` or begin at or after ``end``."""
    ends, starts = words
    return bisect.bisect_right(ends, start) + len(starts) - bisect.bisect_left(starts, end)


@dataclass(frozen=True)
class GdeltTone:
    """GDELT 2.0 V2Tone fields from word counts (module docstring); percentages of ``word_count``."""

    tone: float  # positive - negative, -100..100 (GDELT's AvgTone / MentionDocTone scale)
    positive: float  # Positive Score: % of words with positive connotation
    negative: float  # Negative Score: % of words with negative connotation
    polarity: float  # Polarity: positive + negative
    self_group_reference_density: float  # % of words that are pronouns
    word_count: int


def gdelt_tone(text: str) -> GdeltTone:
    """V2Tone-style numbers of a text from Hu & Liu's opinion lexicon (no negation handling, as GDELT
    counts words); all zero for a text without words. Needs only the lexicons, not the classifier."""
    bias = _bias_model()
    named = dict(zip(bias.lexicons.names, bias.lexicons.words))
    words = [m.group().lower().replace("\u2019", "'") for m in _WORD.finditer(text)]
    n = len(words)
    if not n:
        return GdeltTone(0.0, 0.0, 0.0, 0.0, 0.0, 0)
    positive = 100.0 * sum(w in named["positive"] for w in words) / n
    negative = 100.0 * sum(w in named["negative"] for w in words) / n
    pronouns = 100.0 * sum(w in PRONOUNS for w in words) / n
    return GdeltTone(positive - negative, positive, negative, positive + negative, pronouns, n)


def tone_record(text: str, sentences: Sequence[tuple[int, int]],
                readings: dict[str, Reading] | None = None) -> DocumentTone:
    """The document's tone record: the learned mean sentence tone and the word-count figures."""
    counts = gdelt_tone(text)
    learned = document_tone(text, sentences, readings)
    return DocumentTone(tone=None if learned is None else round(learned, 4), gdelt_tone=round(counts.tone, 4),
                        positive=round(counts.positive, 4), negative=round(counts.negative, 4),
                        polarity=round(counts.polarity, 4),
                        self_group_reference_density=round(counts.self_group_reference_density, 4),
                        word_count=counts.word_count)


def with_actor_tones(text: str, sentences: Sequence[tuple[int, int]], entities: Sequence[Entity],
                     readings: dict[str, Reading] | None = None) -> tuple[Entity, ...]:
    """The entities with ``tone`` set where a sentence naming them can be scored."""
    tones = actor_tones(text, sentences, entities, readings)
    return tuple(replace(e, tone=round(tones[e.id], 4)) if e.id in tones else e for e in entities)


def document_tones(text: str, sentences: Sequence[tuple[int, int]],
                   entities: Sequence[Entity]) -> tuple[tuple[Entity, ...], DocumentTone]:
    """``with_actor_tones`` and ``tone_record`` of one document, each sentence read (word pieces,
    opinion words) once for both: the sentences naming an actor are among the document's."""
    readings = tone_model().features.read(_worded(text, sentences))
    return with_actor_tones(text, sentences, entities, readings), tone_record(text, sentences, readings)
