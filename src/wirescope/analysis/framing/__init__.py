"""How a page frames its story: loaded terms, attributions, unattributed claims, biased sentences.

``spans.find_framing`` runs the steps over the parse (``loaded_terms``, ``claims``, the sentence
bias model in ``bias``), with ``context`` telling the outlet's words from quoted ones and
``lexicons`` holding the shipped vocabularies; ``summary`` reads stored framing back (counts and
the neutral reading) without a parse.
"""

from wirescope.analysis.framing.spans import find_framing
from wirescope.analysis.framing.summary import framing_summary, neutral_reading, original_reading, substitutions

__all__ = ["find_framing", "framing_summary", "neutral_reading", "original_reading", "substitutions"]
