"""Sentence bias score: the probability that a sentence is worded with bias (issue 5, item 4).

The model is trained by ``bench/train_bias.py`` on BABE (expert sentence labels, Biased/Non-biased)
and shipped in ``wirescope/data/bias_model/``:

- a static embedding distilled from all-MiniLM-L6-v2 with model2vec (one vector per word piece,
  a sentence is the mean of its pieces): the contextual model embeds ~65-120 sentences/s on two CPU
  cores, the static one thousands, so scoring every body sentence stays cheap next to the parse;
- lexicon features (bias lexicon, subjectivity clues, hedges, factives, report verbs, opinion words;
  ``bias_lexicons.json`` with their licence notices in ``NOTICE.md``);
- a logistic regression over both, stored as plain numbers (``classifier.json``).

At run time only model2vec and numpy are needed (no torch, nothing downloaded). The model is loaded
once per process and sentences are scored in one batch.

Measured by ``bench/framing.py`` (bench/RESULTS.md): 5-fold cross-validated macro-F1 on BABE 0.719
(the contextual MiniLM it is distilled from: 0.753; lexicon rules 0.36-0.53), about 200 times the
contextual model's speed on the same CPU.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).parent / "data" / "bias_model"

#: A sentence whose score reaches this is reported as a ``biased_sentence`` framing record.
#: 0.5 is where the logistic regression's two classes meet (BABE is balanced: 1442 biased, 1494 not).
BIAS_THRESHOLD: float = 0.5

# Lower-cased words with inner apostrophes/hyphens, as the lexicons list them ("so-called", "don't").
_WORD = re.compile(r"[a-z][a-z'\-]*")


@dataclass(frozen=True)
class _Lexicons:
    """Single words per lexicon and multiword entries (matched on the spaced, lower-cased text)."""

    names: tuple[str, ...]
    words: tuple[frozenset[str], ...]
    phrases: tuple[tuple[str, ...], ...]


def _read_lexicons(path: Path) -> _Lexicons:
    data: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))
    names = tuple(sorted(data))
    words = tuple(frozenset(e for e in data[n] if " " not in e) for n in names)
    phrases = tuple(tuple(f" {e} " for e in data[n] if " " in e) for n in names)
    return _Lexicons(names, words, phrases)


def lexicon_features(texts: Sequence[str], lexicons: _Lexicons) -> np.ndarray:
    """Per sentence: for each lexicon its hit count and hit share, then log length and punctuation.

    Shared by training (bench/train_bias.py) and scoring, so both see the same features.
    """
    rows = []
    for text in texts:
        lowered = text.lower()
        tokens = _WORD.findall(lowered)
        spaced = f" {' '.join(tokens)} "
        n = max(len(tokens), 1)
        row: list[float] = []
        for words, phrases in zip(lexicons.words, lexicons.phrases):
            hits = sum(token in words for token in tokens) + sum(spaced.count(p) for p in phrases)
            row += [hits, hits / n]
        row += [np.log(n), lowered.count('"') + lowered.count("\u201c"), lowered.count("!"),
                lowered.count("?")]
        rows.append(row)
    return np.asarray(rows, dtype=np.float32).reshape(len(rows), 2 * len(lexicons.names) + 4)


@dataclass(frozen=True)
class BiasModel:
    """Static embedding + lexicon features -> standardised -> logistic regression."""

    embedder: object  # model2vec.StaticModel (imported lazily: keeps `import wirescope` light)
    lexicons: _Lexicons
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def features(self, texts: Sequence[str]) -> np.ndarray:
        embeddings = np.asarray(self.embedder.encode(list(texts)), dtype=np.float32)  # type: ignore[attr-defined]
        return np.hstack([embeddings, lexicon_features(texts, self.lexicons)])

    def score(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0, dtype=np.float64)
        z = (self.features(texts) - self.mean) / self.scale
        logits = z.astype(np.float64) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-logits))


def load_bias_model(model_dir: Path = MODEL_DIR) -> BiasModel:
    """Read the shipped model; raises FileNotFoundError when a file is missing."""
    from model2vec import StaticModel

    clf = json.loads((model_dir / "classifier.json").read_text(encoding="utf-8"))
    embedder = StaticModel.from_pretrained(str(model_dir))
    return BiasModel(
        embedder=embedder,
        lexicons=_read_lexicons(model_dir / "bias_lexicons.json"),
        mean=np.asarray(clf["mean"], dtype=np.float32),
        scale=np.asarray(clf["scale"], dtype=np.float32),
        coef=np.asarray(clf["coef"], dtype=np.float64),
        intercept=float(clf["intercept"]),
    )


@lru_cache(maxsize=1)
def _model() -> BiasModel:
    return load_bias_model()


def score_sentences(texts: Sequence[str]) -> list[float]:
    """Probability (0..1) that each sentence is biased, in input order; one batch, model loaded once."""
    return [float(s) for s in _model().score(list(texts))]
