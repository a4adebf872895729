"""Step 4 of segmentation: the article's title. Usually the headline-shaped line just above the
body that best matches it; on pages that paste other stories' leads above the article, a headline
among the body's first lines, which then starts the article."""

from __future__ import annotations

from collections import Counter

from wirescope.segment.cohesion import cohesion, reference_of
from wirescope.segment.headlines import (
    HEADLINE_CAPITALISED_SHARE,
    capitalised_share,
    headline_shaped,
    short_sentence_headline,
    story_headline,
)
from wirescope.segment.lines import Line, Role

# How far above the body the title may sit (lines), skipping bylines, dates and captions.
TITLE_WINDOW = 8
# A headline among the body's first TITLE_CUT_WINDOW lines that the prose below it takes up with
# at least this cohesion starts the article; the prose above it is another story's lead
# (inner_title). Measurements: bench/RESULTS.md, 'Measurement histories'.
TITLE_CUT_WINDOW = 4
TITLE_CUT_COHESION = 0.6
# A title-cased headline ending in a stop with prose below it, at the body's first line or with at
# most TITLE_LEAD_MAX_PROSE prose lines above it in the body's first half, is the article's title;
# the prose above it is another story's lead. Measurements: bench/RESULTS.md, 'Measurement
# histories'.
TITLE_LEAD_MAX_PROSE = 2
# When no title is found above the body (the page opens with prose), the article's title may be
# inside the body's first half: a short line (a sentence-case headline) with prose below it, whose
# words the next LEAD_TITLE_BELOW paragraphs take up (at least LEAD_TITLE_TAKES_UP, and more than
# the prose above it does); the body's first line competes too. Measurements: bench/RESULTS.md,
# 'Measurement histories'.
LEAD_TITLE_BELOW = 3
LEAD_TITLE_TAKES_UP = 0.2
# A headline cut out of the body (inner_title) ending in "." or ";" that shares less than
# SUBHEADING_SHARES_ABOVE of its words with the prose of the SUBHEADING_WINDOW lines above it is a
# story's title, not a sub-heading: it closes the body at the top like a title-cased one.
# Measurements: bench/RESULTS.md, 'Measurement histories'.
SUBHEADING_WINDOW = 3
SUBHEADING_SHARES_ABOVE = 0.5


def choose_title(lines: list[Line], body_first: int, body_ref: Counter[str],
                 terms: list[dict[str, float]]) -> int | None:
    """The headline-shaped line above the body sharing most words with it (nearest wins ties);
    the page's first line when nothing above the body matches."""
    best: tuple[float, int] | None = None
    for i in range(body_first - 1, max(-1, body_first - 1 - TITLE_WINDOW), -1):
        if not headline_shaped(lines[i]):
            continue
        overlap = sum(w for stem, w in terms[i].items() if body_ref[stem] > 0)
        if overlap > 0 and (best is None or overlap > best[0]):
            best = (overlap, i)
    if best is not None:
        return best[1]
    if body_first > 0 and headline_shaped(lines[0]):
        return 0
    return None


def headline_in_body(lines: list[Line], first: int, last: int) -> int | None:
    """A story headline (headlines.story_headline) among the body's first lines with at most
    TITLE_LEAD_MAX_PROSE prose lines above it, else at its first line: the article's title."""
    for j in range(first + 1, last):
        if j - first > last - j or sum(lines[k].role is Role.PROSE for k in range(first, j)) > TITLE_LEAD_MAX_PROSE:
            break
        if story_headline(lines, j):
            return j
    return first if first < last and story_headline(lines, first) else None


def lead_title(lines: list[Line], first: int, last: int, terms: list[dict[str, float]]) -> int | None:
    """A short headline in the body's first half that the next paragraphs take up more than the
    prose above it does: the article's title on a page that opens with other stories' leads.
    The body's first line competes too (then no lead is above the article)."""
    best: tuple[float, int] | None = None
    for j in range(first, last):
        if j - first > last - j:
            break
        if not short_sentence_headline(lines[j]) or lines[j + 1].role is not Role.PROSE:
            continue
        above = [i for i in range(first, j) if lines[i].role is Role.PROSE]
        below = [i for i in range(j + 1, last + 1) if lines[i].role is Role.PROSE][:LEAD_TITLE_BELOW]
        score = cohesion(terms[j], reference_of(terms, below))
        if (above or j == first) and score >= LEAD_TITLE_TAKES_UP \
                and cohesion(terms[j], reference_of(terms, above)) < score \
                and (best is None or score > best[0]):
            best = (score, j)
    return None if best is None else best[1]


def title_not_subheading(lines: list[Line], j: int, terms: list[dict[str, float]]) -> bool:
    """A headline ending in "." or ";" whose words the prose just above it hardly uses: another
    story's lead sits above, so it is the article's title rather than one of its sub-headings."""
    if lines[j].role is Role.FRAGMENT or not lines[j].text.rstrip("\"'”’").endswith((".", ";")):
        return False
    above = [i for i in range(max(0, j - SUBHEADING_WINDOW), j) if lines[i].role is Role.PROSE]
    return cohesion(terms[j], reference_of(terms, above)) < SUBHEADING_SHARES_ABOVE


def inner_title(lines: list[Line], first: int, last: int, attached: list[int],
                terms: list[dict[str, float]]) -> int | None:
    """A headline among the body's first lines that the prose below it takes up: the article
    starts there, and the prose above it is another story's lead."""
    best: tuple[float, int] | None = None
    for j in range(first + 1, min(last, first + TITLE_CUT_WINDOW) + 1):
        if not headline_shaped(lines[j]) or lines[j].words < 3:
            continue
        if lines[j].role is Role.PROSE and capitalised_share(lines[j].text) < HEADLINE_CAPITALISED_SHARE:
            continue
        if not any(lines[i].role is Role.PROSE for i in range(first, j)):
            continue
        below = reference_of(terms, list(range(j + 1, last + 1)) + [a for a in attached if a > j])
        score = cohesion(terms[j], below)
        if score >= TITLE_CUT_COHESION and (best is None or score >= best[0]):
            best = (score, j)
    return None if best is None else best[1]
