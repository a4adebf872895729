"""What a line looks like when it is a headline: the shape tests the body and title steps share
(a title-cased headline ending in a stop names a story of its own; a sentence-case one whose words
the paragraph below takes up is another story's headline and lead)."""

from __future__ import annotations

from collections import Counter

from wirescope.segment.cohesion import cohesion
from wirescope.segment.lines import TITLE_MAX_WORDS, Line, Role
from wirescope.segment.patterns import QUOTE_START, SIGNOFF, WORD

# Headlines are title-cased ("Senate Passes Budget Deal."), with or without a final stop: a line
# whose longer words are mostly capitalised reads as one.
HEADLINE_CAPITALISED_SHARE = 0.6
# A sentence-case headline ("Sanders faces test on appeal to minorities;") has at most
# SHORT_HEADLINE_WORDS words and shares at least LEAD_TAKES_UP of its words with the paragraph
# below (a lead takes up its headline). Measurements: bench/RESULTS.md, 'Measurement histories'.
SHORT_HEADLINE_WORDS = 12
LEAD_TAKES_UP = 0.2
# Below the body, a sentence-case headline that shares less than NEXT_HEADLINE_SHARE times as many
# of its words with the line above it (not a fragment) as with the paragraph below is the next
# story's. Measurements: bench/RESULTS.md, 'Measurement histories'.
NEXT_HEADLINE_SHARE = 0.5


def capitalised_share(text: str) -> float:
    words = [w for w in WORD.findall(text) if len(w) > 3]
    return sum(1 for w in words if w[0].isupper()) / len(words) if words else 0.0


def headline_shaped(line: Line) -> bool:
    return line.role in (Role.FRAGMENT, Role.SENTENCE, Role.PROSE) and 2 <= line.words <= TITLE_MAX_WORDS \
        and not line.text.endswith((",", ":"))


def headline_with_stop(line: Line) -> bool:
    """A title-cased headline ending in a full stop ("Senate Passes Budget Deal."): unlike a
    sub-heading ("WHY NOW?", "The reaction") it names a story of its own."""
    return line.role is not Role.FRAGMENT and line.text.rstrip("\"'”’").endswith(".") \
        and line.text != line.text.upper() and capitalised_share(line.text) >= HEADLINE_CAPITALISED_SHARE


def story_headline(lines: list[Line], j: int) -> bool:
    """A title-cased, headline-shaped line ending in a stop with prose below it: a story starts."""
    return headline_with_stop(lines[j]) and headline_shaped(lines[j]) and not SIGNOFF.match(lines[j].text) \
        and j + 1 < len(lines) and lines[j + 1].role is Role.PROSE


def short_sentence_headline(line: Line) -> bool:
    """A short line ending like a sentence, capitalised, shaped like a headline, no quotation and
    no sign-off: a sentence-case headline if the prose around it agrees."""
    if line.role not in (Role.SENTENCE, Role.PROSE) or line.words > SHORT_HEADLINE_WORDS or not headline_shaped(line):
        return False
    return line.text[0].isupper() and not QUOTE_START.match(line.text) and not SIGNOFF.match(line.text)


def sentence_case_headline(lines: list[Line], j: int, terms: list[dict[str, float]]) -> bool:
    """A short sentence-case line ("Sanders faces test on appeal to minorities;") whose words the
    paragraph below takes up: another story's headline and lead."""
    if not short_sentence_headline(lines[j]):
        return False
    return j + 1 < len(lines) and lines[j + 1].role is Role.PROSE \
        and cohesion(terms[j], Counter(terms[j + 1].keys())) >= LEAD_TAKES_UP


def next_story_headline(lines: list[Line], j: int, terms: list[dict[str, float]]) -> bool:
    """A sentence-case headline that the paragraph below takes up and the line above hardly
    shares: below the body, another story starts there. A list of short lines ("CB Jo Roe 63 85%
    1 tackle.") shares its words with the line above as much as with the one below."""
    if j == 0 or lines[j - 1].role is Role.FRAGMENT or not sentence_case_headline(lines, j, terms):
        return False
    return cohesion(terms[j], Counter(terms[j - 1].keys())) \
        < NEXT_HEADLINE_SHARE * cohesion(terms[j], Counter(terms[j + 1].keys()))
