"""The learned trigger tagger: which words of a sentence report a PLOVER event, and of what type.

A cut all-MiniLM-L6-v2 fine-tuned on the project's annotated PLOVER corpus (bench/train_events.py,
bench/event_corpus/) tags each word piece O, B-TYPE or I-TYPE. It runs on ONNX Runtime: the word
pieces and their embeddings come from MiniLM's shipped table (wirescope.analysis.word_pieces; frozen
in training, so the shipped events.onnx holds only the layers after the lookup). No torch here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from tokenizers import Tokenizer

MODEL_FILES = ("events.onnx", "labels.json")
# One sentence a run: the int8 model quantises its activations with scales measured on the whole
# batch, so a sentence's scores moved with its neighbours in a batch (0.836 alone, 0.785 beside a
# shorter sentence); alone, a sentence always gets the same scores, and nothing is padded.
BATCH = 1
# The least trigger mass (1 - P(O)) a word piece needs to be proposed at all; combine.PROPOSAL_MIN
# is the operating threshold, chosen on the corpus' TUNE part.
FLOOR = 0.05


@dataclass(frozen=True)
class Proposal:
    """A trigger the tagger proposes: character offsets in its sentence, type and probability."""

    start: int
    end: int
    type: str
    probability: float


def model_dir() -> Path:
    return Path(str(resources.files("wirescope").joinpath("data/event_model")))


class EventTagger:
    """The shipped tagger, loaded once per process (``load_tagger``)."""

    def __init__(self, directory: Path) -> None:
        import onnxruntime

        from wirescope.analysis.word_pieces import load_word_pieces

        missing = [name for name in MODEL_FILES if not (directory / name).exists()]
        if missing:
            raise FileNotFoundError(f"event model in {directory} lacks {', '.join(missing)}: "
                                    "run bench/train_events.py")
        meta = json.loads((directory / "labels.json").read_text(encoding="utf-8"))
        self.labels: list[str] = meta["labels"]
        self.types, self.piece_reading = _label_sums(self.labels)
        self.max_pieces: int = int(meta["max_pieces"])
        self.word_pieces = load_word_pieces()
        self.tokenizer: Tokenizer = self.word_pieces.tokenizer()
        options = onnxruntime.SessionOptions()
        # One thread: pages are parallel across processes (Ray, the server's workers), not inside.
        options.intra_op_num_threads = int(os.environ.get("WIRESCOPE_EVENT_THREADS", "1"))
        options.inter_op_num_threads = 1
        # ONNX Runtime fuses each residual Add + LayerNormalization of this int8 graph into one
        # SkipLayerNormalization node, which ran eight times slower than the two nodes it replaces
        # (ORT 1.31, one thread: 260 us against 30 us for 100 word pieces); unfused, a tagged sentence
        # costs about 21% less ONNX time, and its logits move by at most 3e-6 (bench/RESULTS.md, section 15e).
        self.session = onnxruntime.InferenceSession(str(directory / "events.onnx"), options,
                                                    providers=["CPUExecutionProvider"],
                                                    disabled_optimizers=["SkipLayerNormFusion"])

    def tag(self, sentences: Sequence[str]) -> list[list[Proposal]]:
        """The triggers proposed in each sentence."""
        encodings = [self.tokenizer.encode(text) for text in sentences]
        results: list[list[Proposal]] = [[] for _ in sentences]
        order = sorted(range(len(sentences)), key=lambda i: len(encodings[i].ids))
        for b in range(0, len(order), BATCH):
            chunk = order[b:b + BATCH]
            probabilities = self._probabilities([encodings[i].ids[:self.max_pieces] for i in chunk])
            for row, i in enumerate(chunk):
                offsets = encodings[i].offsets[:self.max_pieces]
                results[i] = self._decode(probabilities[row, :len(offsets)], offsets)
        return results

    def piece_probabilities(self, piece_ids: list[int]) -> np.ndarray:
        """The label probabilities of each word piece of one sentence (a teacher's reading, for
        bench/train_events.py --teacher)."""
        return self._probabilities([piece_ids[:self.max_pieces]])[0]

    def _probabilities(self, pieces: list[list[int]]) -> np.ndarray:
        width = max(len(p) for p in pieces)
        ids = np.zeros((len(pieces), width), dtype=np.int64)
        mask = np.zeros((len(pieces), width), dtype=np.int64)
        for row, piece_ids in enumerate(pieces):
            ids[row, :len(piece_ids)] = piece_ids
            mask[row, :len(piece_ids)] = 1
        embeds = self.word_pieces.embed(ids)
        logits = self.session.run(["logits"], {"inputs_embeds": embeds, "attention_mask": mask})[0]
        exp = np.exp(logits - logits.max(axis=-1, keepdims=True))
        return exp / exp.sum(axis=-1, keepdims=True)

    def _decode(self, probabilities: np.ndarray, offsets: Sequence[tuple[int, int]]) -> list[Proposal]:
        """Trigger spans: runs of word pieces whose trigger mass (1 - P(O)) reaches FLOOR, cut where a
        new word's piece is most likely a B; each span's type is the one its first piece weighs most
        (B and I together), its probability the largest trigger mass of its pieces ("went on *strike*":
        the distilled tagger is surest of the noun; taking the first piece's mass lost such triggers, and
        the largest one scored better on TUNE, bench/RESULTS.md 16g)."""
        # Every piece's sums in one product (``_label_sums``) instead of Python loops over 37 labels.
        sums = probabilities.astype(np.float64) @ self.piece_reading
        masses = (1.0 - probabilities[:, 0].astype(np.float64)).tolist()
        begins = (sums[:, 0] >= sums[:, 1]).tolist()
        types = np.argmax(sums[:, 2:], axis=1).tolist()
        proposals: list[Proposal] = []
        current: dict[str, Any] | None = None
        for i, (start, end) in enumerate(offsets):
            if start == end:  # [CLS], [SEP]
                continue
            mass = masses[i]
            inside_word = i > 0 and offsets[i - 1][1] == start
            if current is not None and (inside_word or (mass >= FLOOR and not begins[i])):
                current["end"] = end
                current["probability"] = max(current["probability"], mass)
                continue
            if current is not None:
                proposals.append(_proposal(current))
                current = None
            if mass >= FLOOR:
                current = {"start": start, "end": end, "type": self.types[types[i]], "probability": mass}
        if current is not None:
            proposals.append(_proposal(current))
        return proposals


def _label_sums(labels: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The event types in the order the labels first name them, and the matrix that turns a piece's
    label probabilities into [P(any B), P(any I), then P(B-type) + P(I-type) for each type]: whether
    the piece more likely begins a trigger than continues one, and which type it weighs most (the
    first of equal weights, as the types are ordered)."""
    types = list(dict.fromkeys(label[2:] for label in labels[1:]))
    matrix = np.zeros((len(labels), 2 + len(types)))
    for k, label in enumerate(labels):
        if k == 0:
            continue  # O
        matrix[k, 0 if label.startswith("B-") else 1] = 1.0
        matrix[k, 2 + types.index(label[2:])] = 1.0
    return types, matrix


def _proposal(span: dict[str, Any]) -> Proposal:
    return Proposal(span["start"], span["end"], span["type"], round(span["probability"], 3))


@lru_cache(maxsize=1)
def load_tagger(directory: str | None = None) -> EventTagger:
    return EventTagger(Path(directory) if directory else model_dir())
