"""Language identification with py3langid (its model ships inside the package: offline)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

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
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, default: str = "en") -> LanguageGuess:
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS_TO_JUDGE:
        return LanguageGuess(default, 0.0, judged=False)
    code, prob = _identifier().classify(sample)
    if code != default and prob < MIN_CONFIDENCE:
        return LanguageGuess(default, float(prob), judged=False)
    return LanguageGuess(code, float(prob), judged=True)
