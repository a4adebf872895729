"""Step 3 of segmentation: the body grown from a core, and the best body of the page.

Cohesion with the core decides the rest: prose at the core's edges that shares few content words
with the title and the rest of the core is peeled off as a teaser (an unrelated story pasted next
to the article), and prose beyond a boilerplate interruption ("Advertisement") is attached back
when it is cohesive enough (judged as a block; never across two different notices). A dateline
paragraph opens a story: the article's first, or the next story's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import chain
from typing import NamedTuple

from wirescope.segment.cohesion import cohesion, reference_of, without
from wirescope.segment.core import core_candidates, main_block, page_headline
from wirescope.segment.headlines import (
    headline_with_stop,
    next_story_headline,
    sentence_case_headline,
    story_headline,
)
from wirescope.segment.lines import SEPARATORS, Line, Role
from wirescope.segment.patterns import AGENCY_TAG, DATELINE, SIGNOFF

# Prose at an edge of the core is peeled off as a teaser when its cohesion is below this share
# of the core's median cohesion (short reviews share few words between paragraphs: an absolute
# threshold peeled whole articles) and below PEEL_COHESION. Measurements: bench/RESULTS.md,
# 'Measurement histories'.
PEEL_RELATIVE = 0.4
PEEL_COHESION = 0.25
# Prose beyond a boilerplate interruption is attached back to the body when its cohesion reaches
# ATTACH_RELATIVE times the core's median cohesion (capped at ATTACH_COHESION). Measurements:
# bench/RESULTS.md, 'Measurement histories'.
ATTACH_RELATIVE = 0.6
ATTACH_COHESION = 0.45
# How many non-prose lines an attached paragraph may sit beyond the body ("Advertisement",
# "Read more" blocks and share buttons are short).
ATTACH_MAX_GAP = 4
# At most this many separator lines (boilerplate, markers) between the body and prose attached to
# it: an article is interrupted by an "Advertisement" or "Share" line, while another story sits
# beyond a block of notices; repeated identical separators count once. Measurements:
# bench/RESULTS.md, 'Measurement histories'.
ATTACH_MAX_SEPARATORS = 1
# Prose beyond a separator is judged as a block (up to the next separator) when it has at least
# this many prose lines: its median cohesion counts, so one paragraph with few shared words does
# not cut off the article's second half. Measurements: bench/RESULTS.md, 'Measurement histories'.
BLOCK_MIN_LINES = 4
# A title-cased headline ending in a stop ("Senate Passes Budget Deal.", headline-shaped, not a
# sign-off, prose below it) in the body's second half with at most TEASER_MAX_PROSE prose lines
# below it is another story's headline and lead pasted under the article: the body ends above it.
# Measurements: bench/RESULTS.md, 'Measurement histories'.
TEASER_MAX_PROSE = 2
# The same cut with up to TEASER_MAX_PROSE_STATED prose lines below when the headline does not end
# in "?": a question is as often an explainer's sub-heading as another story's headline, a
# statement ("Port strike ends.") names a story of its own, whose lead may run to two paragraphs
# with a second teaser below. Measurements: bench/RESULTS.md, 'Measurement histories'.
TEASER_MAX_PROSE_STATED = 3
# Weight of attached prose in a core candidate's score, relative to its own prose: an article cut
# into short runs by "Advertisement" lines is scored as a whole. Measurements: bench/RESULTS.md,
# 'Measurement histories'.
ATTACHED_WEIGHT = 1.0
# A body's score is multiplied by HEADLINE_PRIOR + the share of the page headline's words it
# contains, so a body that never mentions the headline needs (1 + prior) / prior times the
# weight. Measurements: bench/RESULTS.md, 'Measurement histories'.
HEADLINE_PRIOR = 0.5
# The floor of the coherence factor of a body's score. Measurements: bench/RESULTS.md,
# 'Measurement histories'.
COHERENCE_PRIOR = 0.1
# Factor on the score of a body found inside a readers' comment thread. Measurements:
# bench/RESULTS.md, 'Measurement histories'.
COMMENTS_FACTOR = 0.5
# Lines left at the body's edges that belong to whatever lies beyond, not to the body.
_EDGE_NOISE = (Role.FRAGMENT, Role.CAPTION, Role.BYLINE)


class Body(NamedTuple):
    """The article body: the block [first, last] and the attached lines outside it, sorted."""

    first: int
    last: int
    attached: list[int]


@dataclass
class _Growth:
    """A body being grown from a core: the current block [first, last], the lines attached to it,
    and the words the cohesion of a line is measured against."""

    lines: list[Line]
    terms: list[dict[str, float]]
    forced: set[int]  # lines a "Read more" marker makes teasers
    first: int
    last: int
    ref: Counter[str]  # words of the block and of the title
    outside: set[int]  # prose lines outside the core's main block
    elsewhere: Counter[str]  # their words: the page's topic words (PAGE_WORD_WEIGHT)
    attached: list[int] = field(default_factory=list)
    ended: bool = False  # a dateline or another story's headline ends the article: nothing below
    closed: bool = False  # an agency tag or a sign-off closes it: its last paragraph stays too
    peel: float = 0.0  # an edge paragraph below this cohesion is peeled off
    attach: float = 0.0  # prose beyond a separator needs this cohesion to be attached

    def score(self, i: int, discount: bool = True) -> float:
        """Cohesion of line i with the body; ``discount``: the page's topic words count less."""
        inside = self.first <= i <= self.last or i in self.attached
        reference = without(self.ref, self.terms[i]) if inside else self.ref
        if not discount:
            return cohesion(self.terms[i], reference)
        # a line outside the core does not count as "elsewhere" for its own words
        return cohesion(self.terms[i], reference, self.elsewhere, 1 if i in self.outside else 0)

    def block_score(self, i: int, step: int) -> float:
        """Cohesion of the prose beyond a separator, taken as a block up to the next one: the
        article's second half after an "Advertisement" line is judged as a whole, so one
        paragraph with few shared words does not cut it off."""
        scores, own = [], self.score(i)
        while 0 <= i < len(self.lines) and self.lines[i].role not in SEPARATORS and i not in self.forced:
            if self.lines[i].role is Role.PROSE:
                scores.append(self.score(i))
            i += step
        scores.sort()
        return max(own, scores[len(scores) // 2]) if len(scores) >= BLOCK_MIN_LINES else own

    def is_prose(self, i: int) -> bool:
        return self.lines[i].role is Role.PROSE


def _start(lines: list[Line], core: tuple[int, int], terms: list[dict[str, float]],
           title_terms: dict[str, float], forced: set[int]) -> _Growth:
    """The core's main block, its words with the title's, and the page's topic words."""
    first, last = main_block(lines, core, forced)
    ref = reference_of(terms, range(first, last + 1))
    ref.update(title_terms.keys())
    outside = {j for j in range(len(lines)) if lines[j].role is Role.PROSE and not first <= j <= last}
    # one Counter over all the words at once: this runs for every core candidate
    elsewhere = Counter(chain.from_iterable(terms[j] for j in outside))
    return _Growth(lines, terms, forced, first, last, ref, outside, elsewhere)


def _cut_at_datelines(body: _Growth) -> None:
    """A dateline ("CONCORD, N.H. -") opens a story: one inside the block's first half starts the
    article (what is above it is another story's lead), one in its second half starts the next
    and nothing from it on is attached."""
    datelines = [i for i in range(body.first + 1, body.last + 1)
                 if body.is_prose(i) and DATELINE.match(body.lines[i].text)]
    for d in datelines:
        if d - body.first <= body.last - d:
            body.first = d
        else:
            body.last, body.ended = d - 1, True
            break


def _cut_at_teaser_headlines(body: _Growth) -> None:
    """A story headline in the block's second half with at most TEASER_MAX_PROSE prose lines below
    it (TEASER_MAX_PROSE_STATED when it is no question) is another story's headline and lead."""
    heads = [j for j in range(body.first + 1, body.last)
             if story_headline(body.lines, j) or sentence_case_headline(body.lines, j, body.terms)]
    for j in reversed(heads):
        below = sum(body.is_prose(k) for k in range(j + 1, body.last + 1))
        question = body.lines[j].text.rstrip("\"'”’").endswith("?")
        if j - body.first > body.last - j and below <= (TEASER_MAX_PROSE if question else TEASER_MAX_PROSE_STATED):
            body.last, body.ended = j - 1, True


def _close_at_agency_tag(body: _Growth) -> None:
    """An agency tag ("... terms. (NWA)"), or an author's sign-off ("Follow Jane Roe on Twitter
    @jroe.") in the block's second half, closes the article: nothing after it is body and the
    tagged paragraph itself is never peeled, however little it shares with the rest."""
    tagged = [i for i in range(body.first, body.last + 1) if AGENCY_TAG.search(body.lines[i].text)
              or (SIGNOFF.match(body.lines[i].text) and i - body.first > body.last - i)]
    if tagged:
        body.closed = True
        body.last = tagged[-1]


def _set_thresholds(body: _Growth) -> None:
    """Thresholds relative to the article's own cohesion: short reviews share few words between
    paragraphs, long wire stories many; an absolute threshold peeled whole short articles."""
    prose = [body.score(i) for i in range(body.first, body.last + 1) if body.is_prose(i)]
    typical = sorted(prose)[len(prose) // 2] if prose else 0.0
    body.peel = min(PEEL_COHESION, PEEL_RELATIVE * typical)
    body.attach = min(ATTACH_COHESION, ATTACH_RELATIVE * typical)


def _peel_edges(body: _Growth) -> None:
    """Peel teasers at the edges: an unrelated prose line next to the article, no marker between.
    Headlines between teasers are skipped over: a teaser often comes with its own headline."""
    while not body.closed and body.last > body.first:
        edge = next((i for i in range(body.last, body.first, -1) if body.is_prose(i)), None)
        if edge is None or body.score(edge) >= body.peel:
            break
        body.last = edge - 1
    while body.first < body.last:
        edge = next((i for i in range(body.first, body.last) if body.is_prose(i)), None)
        if edge is None or body.score(edge) >= body.peel:
            break
        body.first = edge + 1
    # Non-prose lines left at the edges belong to whatever lies beyond, not to the body.
    while body.last > body.first and body.lines[body.last].role in _EDGE_NOISE:
        body.last -= 1
    while body.first < body.last and body.lines[body.first].role in _EDGE_NOISE:
        body.first += 1


def _starts_next_story(body: _Growth, i: int) -> bool:
    """Below the body: a title-cased headline ending in a stop, or a sentence-case one that the
    paragraph below takes up, is the next story's."""
    return headline_with_stop(body.lines[i]) or next_story_headline(body.lines, i, body.terms)


def _attach_beyond(body: _Growth, step: int) -> None:
    """Attach cohesive prose beyond the block, walking away from it (``step`` 1 down, -1 up).
    Past a separator the bar is higher: what follows a legal notice or an "Advertisement" line is
    as often the next story as the rest of this one."""
    i = body.last + 1 if step == 1 else body.first - 1
    # Separators met since the last attached line, by text: a repeated "Advertisement" line is
    # one interruption.
    gap = 0
    seen: set[str] = set()
    while 0 <= i < len(body.lines) and gap <= ATTACH_MAX_GAP and len(seen) <= ATTACH_MAX_SEPARATORS:
        line = body.lines[i]
        if step == 1 and _starts_next_story(body, i):
            break
        if i in body.forced or line.role is not Role.PROSE:
            gap += 1
            if line.role in SEPARATORS or i in body.forced:
                seen.add(line.text.lower())
        # A dateline paragraph opens a story: below the body it is the next one, above the body
        # it is the article's first paragraph and nothing above it belongs.
        elif step == 1 and DATELINE.match(line.text):
            break
        elif (body.block_score(i, step) if seen else body.score(i, False)) >= (body.attach if seen else body.peel):
            body.attached.append(i)
            body.ref.update(body.terms[i].keys())
            gap, seen = 0, set()
            if DATELINE.match(line.text):
                break
        else:
            break
        i += step


def choose_body(lines: list[Line], core: tuple[int, int], terms: list[dict[str, float]],
                title_terms: dict[str, float], forced: set[int], title_above: bool = False) -> Body:
    """The body: the core's main block with unrelated edges peeled off, plus cohesive prose
    beyond it (the article continuing after an "Advertisement" or a "Read more" line).
    ``title_above``: the article's own title sits just above, so nothing above it is attached."""
    body = _start(lines, core, terms, title_terms, forced)
    _cut_at_datelines(body)
    _cut_at_teaser_headlines(body)
    _close_at_agency_tag(body)
    _set_thresholds(body)
    _peel_edges(body)
    body.ref = reference_of(terms, range(body.first, body.last + 1))
    body.ref.update(title_terms.keys())
    # A dateline opens the article, and so does its own title: nothing above either is attached.
    opened = title_above or (body.is_prose(body.first) and DATELINE.match(lines[body.first].text) is not None)
    if not (body.closed or body.ended):
        _attach_beyond(body, 1)
    if not opened:
        _attach_beyond(body, -1)
    return Body(body.first, body.last, sorted(body.attached))


def _body_score(lines: list[Line], terms: list[dict[str, float]], body: Body, headline: int | None,
                comments: int | None) -> float:
    """Prose words x how well the paragraphs hang together x share of the page headline."""
    members = [i for i in range(body.first, body.last + 1) if lines[i].role is Role.PROSE]
    ref = reference_of(terms, members)
    # Attached lines do not add weight: that would favour bodies that swallow teasers.
    words = sum(lines[i].words for i in members) + ATTACHED_WEIGHT * sum(lines[i].words for i in body.attached)
    together = sorted(cohesion(terms[i], without(ref, terms[i])) for i in members)
    score = words * (COHERENCE_PRIOR + (together[len(together) // 2] if together else 0.0))
    if headline is not None:
        outside = reference_of(terms, [i for i in members if i != headline])
        score *= HEADLINE_PRIOR + cohesion(terms[headline], outside)
    if comments is not None and body.first >= comments:
        # readers' comments: as long as the article and on its topic, but never the article
        score *= COMMENTS_FACTOR
    return score


def best_body(lines: list[Line], forced: set[int], terms: list[dict[str, float]]) -> Body | None:
    """The body grown from the best core candidate. A candidate's body scores its prose words,
    times how much of the page headline it mentions (comment threads and teaser lists can outweigh
    the article but rarely repeat its headline), times how well its paragraphs hang together (a
    cluster of unrelated teasers does not; an article split by an "Advertisement" line does once
    its halves are joined)."""
    headline = page_headline(lines)
    comments = next((i for i, line in enumerate(lines) if line.role is Role.COMMENT_HEADER), None)
    best: tuple[float, Body] | None = None
    for core in core_candidates(lines, forced):
        body = choose_body(lines, core, terms, {}, forced)
        score = _body_score(lines, terms, body, headline, comments)
        if best is None or score > best[0]:
            best = (score, body)
    return None if best is None else best[1]
