"""Step 3's measure: how much a line shares the content words of a reference text (the core, the
title, the paragraphs around it)."""

from __future__ import annotations

from collections import Counter

from wirescope.segment.patterns import WORD

# Stems are word prefixes: cheap, language-light, and "negotiations"/"negotiators" still meet.
STEM_LENGTH = 6
# Content words in a capitalised form (names, places) weigh more: they carry the story's topic.
NAME_WEIGHT = 2.0
# Words shared with the core that prose elsewhere on the page (outside the core) also uses are
# the page's topic words: same-topic teasers share them. When peeling edges (and in the core's
# typical cohesion it is measured against) and when judging prose beyond a separator they count
# this much; a paragraph directly next to the body still counts them fully. Measurements:
# bench/RESULTS.md, 'Measurement histories'.
PAGE_WORD_WEIGHT = 0.3

_STOPWORDS = frozenset([
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did",
    "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have",
    "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is",
    "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off",
    "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some",
    "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they",
    "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when",
    "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "said",
    "says", "say", "told", "tells", "one", "two", "three", "new", "last", "first", "year", "years", "week", "weeks",
    "day", "days", "time", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mr",
    "mrs", "ms", "dr", "according", "may", "might", "must", "can't", "don't", "it's", "he's", "she's", "that's",
    "there's"
])


def content_terms(text: str) -> dict[str, float]:
    """Stemmed content words of a text with their weight (names weigh more)."""
    terms: dict[str, float] = {}
    for word in WORD.findall(text):
        lower = word.lower().strip("'’-")
        if len(lower) < 3 or lower in _STOPWORDS:
            continue
        stem = lower[:STEM_LENGTH]
        weight = NAME_WEIGHT if word[0].isupper() else 1.0
        terms[stem] = max(terms.get(stem, 0.0), weight)
    return terms


def cohesion(terms: dict[str, float], reference: Counter[str], elsewhere: Counter[str] | None = None,
             own: int = 0) -> float:
    """Weighted share of a line's content words that also occur in the reference text; shared
    words found more than ``own`` times ``elsewhere`` (the page's topic words) count
    PAGE_WORD_WEIGHT."""
    total = sum(terms.values())
    if total == 0:
        return 0.0
    if elsewhere is None:
        return sum(w for stem, w in terms.items() if reference[stem] > 0) / total
    shared = sum(w * (PAGE_WORD_WEIGHT if elsewhere[stem] > own else 1.0)
                 for stem, w in terms.items() if reference[stem] > 0)
    return shared / total


def reference_of(terms: list[dict[str, float]], indices: range | list[int]) -> Counter[str]:
    """The content words of the given lines, each counted once per line."""
    ref: Counter[str] = Counter()
    for i in indices:
        ref.update(terms[i].keys())
    return ref


def without(ref: Counter[str], terms: dict[str, float]) -> Counter[str]:
    """The reference minus one line's own words, so a line cannot vouch for itself."""
    out = ref.copy()
    out.subtract(terms.keys())
    return out
