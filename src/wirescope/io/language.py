"""Language identification with py3langid (its model ships inside the package: offline)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# langid is unreliable on a line or two; below this many letters a page is taken to be in the
# expected language rather than rejected on a coin flip.
MIN_LETTERS_TO_JUDGE = 60
# A page is only called "another language" when langid is this sure (normalised probability).
MIN_CONFIDENCE = 0.90
# Enough text to decide; classifying more only costs time.
SAMPLE_CHARS = 3000


@dataclass(frozen=True)
class LanguageGuess:
    code: str
    confidence: float
    judged: bool  # False when the text was too short to judge


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """py3langid's model, read from an uncompressed copy in the resource cache: the shipped file is
    LZMA-compressed and decompressing it took 0.5-0.7 s of every process's first page. Any trouble
    with the copy (a py3langid that lays its model out otherwise) falls back to the shipped file."""
    try:
        return _identifier_from_cache()
    except (OSError, KeyError, ValueError, AttributeError, ImportError):
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _identifier_from_cache() -> LanguageIdentifier:
    import lzma
    import shutil
    from importlib.metadata import version
    from pathlib import Path

    import numpy as np
    from py3langid import langid, modelio

    from wirescope.resource_cache import cached_file, version_of

    source = Path(langid.__file__).parent / MODEL_FILE

    def decompress(target: Path) -> None:
        with lzma.open(source) as packed, target.open("wb") as out:
            shutil.copyfileobj(packed, out, length=1 << 20)

    # Keyed by what the model is (py3langid's version, the file's size), not where or when it was
    # installed: two virtualenvs share the cache without rebuilding it for each other.
    path = cached_file("langid-model", version_of(version("py3langid"), str(source.stat().st_size)), decompress)
    with np.load(path, allow_pickle=False) as data:
        return LanguageIdentifier(
            np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(),
            modelio._to_array(data["nextmove"]), data["out_feat"].tolist(), norm_probs=True,
            tk_row=modelio._to_array(data["nextmove_row"]))


def detect_language(text: str, default: str = "en") -> LanguageGuess:
    sample = text[:SAMPLE_CHARS]
    # Enough letters to judge: stop counting at the threshold (a page has it in its first line).
    letters = sum(1 for _ in islice((ch for ch in sample if ch.isalpha()), MIN_LETTERS_TO_JUDGE))
    if letters < MIN_LETTERS_TO_JUDGE:
        return LanguageGuess(default, 0.0, judged=False)
    code, prob = _identifier().classify(sample)
    if code != default and prob < MIN_CONFIDENCE:
        return LanguageGuess(default, float(prob), judged=False)
    return LanguageGuess(code, float(prob), judged=True)
