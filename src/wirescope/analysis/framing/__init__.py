"""How a page frames its story: loaded terms, attributions, unattributed claims, biased sentences.

``spans.find_framing`` runs the steps over the parse (``loaded_terms``, ``claims``, the sentence
bias model in ``bias``), with ``context`` telling the outlet's words from quoted ones and
``lexicons`` holding the shipped vocabularies; ``summary`` reads stored framing back (counts and
the neutral reading) without a parse.
"""

from typing import Any

from wirescope.analysis.framing.summary import framing_summary, neutral_reading, original_reading, substitutions

__all__ = ["find_framing", "framing_summary", "neutral_reading", "original_reading", "substitutions"]


def __getattr__(name: str) -> Any:
    # find_framing is imported when first used: it loads spaCy, which reading stored framing back
    # (the CLI's summary, the server) does not need.
    if name == "find_framing":
        from wirescope.analysis.framing.spans import find_framing

        return find_framing
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
