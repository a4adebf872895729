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
   sentences): MiniLM cut to its first 3 layers and fine-tuned on BABE (``contextual.onnx``, run by
   ONNX Runtime; the word-piece embeddings come from wirescope.analysis.word_pieces), whose score
   replaces stage 1's.

Nothing is downloaded; both models are loaded once per process and score a document's sentences in
one batch. Measured (bench/RESULTS.md section 10): 5-fold cross-validated macro-F1 on BABE 0.719 for
stage 1 alone, 0.775 for stage 2 alone, about 0.756 for the cascade, which adds about a fifth of the
parse's time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # imported lazily at run time: keeps `import wirescope` light
    from model2vec import StaticModel
    from tokenizers import Tokenizer

MODEL_DIR = Path(__file__).parents[2] / "data" / "bias_model"
# The files each stage reads from MODEL_DIR (model2vec reads the first three of the static one).
STATIC_FILES = ("model.safetensors", "tokenizer.json", "config.json", "classifier.json", "bias_lexicons.json")
CONTEXTUAL_FILES = ("contextual.json", "contextual.onnx")

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
    from model2vec.model import StaticModel

    model_dir = MODEL_DIR if model_dir is None else model_dir
    _require(model_dir, STATIC_FILES)
    clf = json.loads((model_dir / "classifier.json").read_text(encoding="utf-8"))
    embedder = _static_model(model_dir, StaticModel)
    return BiasModel(
        embedder=embedder,
        lexicons=_read_lexicons(model_dir / "bias_lexicons.json"),
        mean=np.asarray(clf["mean"], dtype=np.float32),
        scale=np.asarray(clf["scale"], dtype=np.float32),
        coef=np.asarray(clf["coef"], dtype=np.float64),
        intercept=float(clf["intercept"]),
    )


def _static_model(model_dir: Path, static_model: type[StaticModel]) -> StaticModel:
    """model2vec's static model built from the shipped files as its own loader reads them
    (``model2vec.persistence.load_pretrained``), without that loader: it imports huggingface_hub's
    model-card code, about a quarter of a cold start, and would fetch from the Hub what is missing."""
    import safetensors
    from tokenizers import Tokenizer

    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    with safetensors.safe_open(str(model_dir / "model.safetensors"), framework="numpy") as tensors:
        stored = {name: tensors.get_tensor(name) for name in tensors.keys()}  # noqa: SIM118 (not a dict)
    return static_model(vectors=stored["embeddings"], tokenizer=Tokenizer.from_file(str(model_dir / "tokenizer.json")),
                        config=config, normalize=config["normalize"], weights=stored.get("weights"),
                        token_mapping=stored.get("mapping"), max_length=config["max_length"])


class ContextualBiasModel:
    """all-MiniLM-L6-v2 cut to its first layers, fine-tuned on BABE with a logistic head on the
    mean-pooled output (bench/train_bias.py), run in float32 by ONNX Runtime on one CPU thread.

    ``contextual.onnx`` is exported by bench/export_bias_onnx.py from the trained weights; it takes
    word-piece vectors, which come from MiniLM's table (frozen in training; wirescope.analysis.word_pieces),
    shared with the event tagger. No torch at run time.

    Not quantised: dynamic int8 scales activations per batch, so a sentence's score moved with the
    other sentences of its batch (mean 0.03, 42 of 1,150 news sentences crossing 0.5; bench/RESULTS.md
    section 10); a record must not depend on its neighbours.
    """

    def __init__(self, model_dir: Path) -> None:
        import onnxruntime

        from wirescope.analysis.word_pieces import load_word_pieces

        _require(model_dir, CONTEXTUAL_FILES)
        settings = json.loads((model_dir / "contextual.json").read_text(encoding="utf-8"))
        self.max_length = int(settings["max_length"])
        self.tokenizer = minilm_tokenizer(self.max_length)
        self.word_pieces = load_word_pieces()
        options = onnxruntime.SessionOptions()
        # One thread: pages run in parallel across processes (the page runner, Ray), not inside one.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        try:
            self.session = onnxruntime.InferenceSession(str(model_dir / "contextual.onnx"), options,
                                                        providers=["CPUExecutionProvider"])
        except Exception as error:  # ONNX Runtime's own errors do not say which file
            raise ValueError(f"{model_dir / 'contextual.onnx'} is not a model ONNX Runtime can load ({error}): "
                             "re-export it with bench/export_bias_onnx.py") from error
        width = self.session.get_inputs()[0].shape[-1]
        if width != self.word_pieces.width:
            raise ValueError(f"{model_dir / 'contextual.onnx'} does not fit the shipped MiniLM word pieces: it "
                             f"reads vectors of {width}, they have {self.word_pieces.width}")

    def score(self, texts: Sequence[str], batch: int = 8) -> np.ndarray:
        scores = np.zeros(len(texts), dtype=np.float64)
        encodings = self.tokenizer.encode_batch(list(texts))
        # Sorted by length and cut into small batches so that padding stays small: a document's
        # unsure sentences padded to its longest one were 36,456 word pieces for 20,141 real ones
        # (100 PolNeAR texts); batches of 8 ran 1.26x faster than one batch per document.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch):
            rows = order[start : start + batch]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for row, i in enumerate(rows):
                ids[row, : len(encodings[i].ids)] = encodings[i].ids
                mask[row, : len(encodings[i].ids)] = 1
            embeds = self.word_pieces.embed(ids)
            out = self.session.run(["scores"], {"inputs_embeds": embeds, "attention_mask": mask})[0]
            scores[rows] = out.astype(np.float64)
        return scores


def minilm_tokenizer(max_length: int) -> Tokenizer:
    """MiniLM's word-piece tokenizer (wirescope.analysis.word_pieces), cutting at ``max_length`` pieces."""
    from wirescope.analysis.word_pieces import load_word_pieces

    tokenizer = load_word_pieces().tokenizer()
    tokenizer.enable_truncation(max_length=max_length)
    return tokenizer


def load_contextual_model(model_dir: Path | None = None) -> ContextualBiasModel:
    """The exported contextual model (``MODEL_DIR`` by default) on the installed base model's word
    pieces; nothing is downloaded. Raises BiasModelMissing when a file is missing."""
    return ContextualBiasModel(MODEL_DIR if model_dir is None else model_dir)


@lru_cache(maxsize=1)
def _model() -> BiasModel:
    return load_bias_model()


@lru_cache(maxsize=1)
def _contextual_model() -> ContextualBiasModel:
    return load_contextual_model()


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
