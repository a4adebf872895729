"""Step 5 of segmentation: one kind per line (title, body, teaser, byline, caption, boilerplate),
then segments: neighbouring lines of a kind joined, a dateline ("LONDON, March 3 (Reuters) -") at
the start of the body and an agency tag ("(NWA)") at its end split off."""

from __future__ import annotations

from itertools import chain

from wirescope.records import Segment, SegmentKind
from wirescope.segment.body import Body, best_body, choose_body
from wirescope.segment.cohesion import content_terms, reference_of
from wirescope.segment.core import mark_comment_headers
from wirescope.segment.headlines import headline_shaped, headline_with_stop
from wirescope.segment.lines import PROSE_MIN_WORDS, Line, Role, split_lines
from wirescope.segment.patterns import AGENCY_TAG, DATELINE
from wirescope.segment.title import choose_title, headline_in_body, inner_title, lead_title, title_not_subheading

# Prose attached in the first pass above the line later found to be the article's title is
# another story's lead (the walk upward crossed the title before the title was known), unless it
# is at least 1 / TITLE_ABOVE_KEEP_RATIO of the body below the title (then the "title" is more
# likely a line inside the article). Measurements: bench/RESULTS.md, 'Measurement histories'.
TITLE_ABOVE_KEEP_RATIO = 4
# Bylines and captions are segments of their own wherever they are.
_OWN_KIND: dict[Role, SegmentKind] = {Role.BYLINE: "byline", Role.CAPTION: "caption"}


def forced_teasers(lines: list[Line]) -> set[int]:
    """Lines that a bare "Read more" marker makes teasers."""
    forced: set[int] = set()
    for i, line in enumerate(lines):
        if line.role is Role.MARKER and i + 1 < len(lines):
            forced.add(i + 1)
            # A marked teaser may be a headline followed by its lead.
            if lines[i + 1].role is Role.FRAGMENT and i + 2 < len(lines) and lines[i + 2].role is Role.PROSE:
                forced.add(i + 2)
    return forced


def _find_title(lines: list[Line], found: Body, terms: list[dict[str, float]]) -> tuple[int | None, int, bool]:
    """(title, the body's first line under it, whether the title closes the body at the top).

    The article's title closes the body at the top. A headline cut out of the body (inner_title)
    may be a sub-heading ("WHY NOW?", "The reaction"), and cohesive prose above it is attached
    back, unless it is a title-cased headline ending in a stop (decided in _regrow_under_title).
    Measurements: bench/RESULTS.md, 'Measurement histories'."""
    first, last, attached = found
    title = inner_title(lines, first, last, attached, terms)
    closes_top = title is None
    if title is None:
        title = headline_in_body(lines, first, last)
    if title is not None:
        return title, title + 1, closes_top
    title = choose_title(lines, first, reference_of(terms, list(range(first, last + 1)) + attached), terms)
    if title is not None:
        return title, first, closes_top
    # nothing headline-like above: the title may sit among the first paragraphs
    title = lead_title(lines, first, last, terms)
    return title, (first if title is None else title + 1), closes_top


def _regrow_under_title(lines: list[Line], body: Body, title: int, terms: list[dict[str, float]],
                        forced: set[int], closes_top: bool) -> Body:
    """The body grown again with the title's words. Prose attached in the first pass stays: the
    title sharpens the edges, it does not undo an article joined across an "Advertisement" line.
    Prose attached above the title does not, unless it outweighs the article
    (TITLE_ABOVE_KEEP_RATIO)."""
    first, last, attached = body
    closes_top = closes_top or headline_with_stop(lines[title]) or title_not_subheading(lines, title, terms)
    kept = [i for i in attached if i < first or i > last]
    kept_above = sum(lines[i].words for i in kept if i < title)
    below = sum(lines[i].words for i in chain(range(first, last + 1), kept)
                if i > title and lines[i].role is Role.PROSE)
    if kept_above * TITLE_ABOVE_KEEP_RATIO < below:
        kept = [i for i in kept if i > title]
    first, last, attached = choose_body(lines, (first, last), terms, terms[title], forced, closes_top)
    return Body(first, last, sorted(set(attached) | {i for i in kept if i < first or i > last}))


def _line_kinds(lines: list[Line], forced: set[int], body: Body) -> list[SegmentKind]:
    """The kind of each line once the body is known; prose outside it is a teaser."""
    members = set(range(body.first, body.last + 1)) | set(body.attached)
    kinds: list[SegmentKind] = ["boilerplate"] * len(lines)
    for i, line in enumerate(lines):
        if i in forced or line.role is Role.MARKED_TEASER:
            kinds[i] = "teaser"
        elif line.role in _OWN_KIND:
            kinds[i] = _OWN_KIND[line.role]
        elif line.role in (Role.BOILERPLATE, Role.MARKER, Role.COMMENT_HEADER):
            kinds[i] = "boilerplate"
        elif i in members:
            kinds[i] = "body"
        elif line.role in (Role.PROSE, Role.SENTENCE) and line.words >= PROSE_MIN_WORDS:
            kinds[i] = "teaser"
    return kinds


def _mark_teaser_headlines(lines: list[Line], kinds: list[SegmentKind], forced: set[int]) -> None:
    """A headline directly above a teaser paragraph is the teaser's own headline."""
    for i in range(len(lines) - 1):
        if kinds[i] == "boilerplate" and lines[i].role is Role.FRAGMENT and kinds[i + 1] == "teaser" \
                and headline_shaped(lines[i]) and i + 1 not in forced:
            kinds[i] = "teaser"


def _label_without_body(lines: list[Line]) -> list[SegmentKind]:
    kinds: list[SegmentKind] = ["boilerplate"] * len(lines)
    for i, line in enumerate(lines):
        if line.role in _OWN_KIND:
            kinds[i] = _OWN_KIND[line.role]
        elif line.role is Role.MARKED_TEASER:
            kinds[i] = "teaser"
    return kinds


def label_lines(lines: list[Line]) -> list[SegmentKind]:
    """One segment kind per line. A first pass without the title finds the body; the title then
    sharpens cohesion in a second."""
    lines = mark_comment_headers(lines)
    forced = forced_teasers(lines)
    terms = [content_terms(line.text) for line in lines]
    found = best_body(lines, forced, terms)
    if found is None:
        return _label_without_body(lines)
    title, first, closes_top = _find_title(lines, found, terms)
    body = found
    if title is not None:
        body = _regrow_under_title(lines, found._replace(first=first), title, terms, forced, closes_top)
    kinds = _line_kinds(lines, forced, body)
    if title is not None:
        kinds[title] = "title"
    _mark_teaser_headlines(lines, kinds, forced)
    return kinds


def _merge(segments: list[Segment], text: str) -> list[Segment]:
    """Join neighbouring body, boilerplate and caption segments; teasers stay one per story."""
    merged: list[Segment] = []
    for seg in segments:
        if merged and merged[-1].kind == seg.kind and seg.kind in ("body", "boilerplate") \
                and not text[merged[-1].end : seg.start].strip():
            merged[-1] = Segment(merged[-1].start, seg.end, seg.kind)
        else:
            merged.append(seg)
    return merged


def _split_body_edges(segments: list[Segment], text: str) -> list[Segment]:
    """Split a leading dateline off the first body segment and an agency tag off the last."""
    body = [i for i, s in enumerate(segments) if s.kind == "body"]
    if not body:
        return segments
    out = list(segments)
    last = out[body[-1]]
    tag = AGENCY_TAG.search(text, last.start, last.end)
    if tag and tag.end() == last.end and tag.start(1) > last.start:
        keep_end = len(text[: tag.start(1)].rstrip())
        out[body[-1] : body[-1] + 1] = [Segment(last.start, keep_end, "body"),
                                        Segment(tag.start(1), tag.end(1), "byline")]
    first = out[body[0]]
    dateline = DATELINE.match(text[first.start : first.end])
    if dateline:
        cut = first.start + len(dateline.group().rstrip())
        rest = first.start + dateline.end()
        if rest < first.end:
            out[body[0] : body[0] + 1] = [Segment(first.start, cut, "dateline"), Segment(rest, first.end, "body")]
    return out


def segment_page(text: str) -> list[Segment]:
    """Segments of a flattened page, sorted by start, non-overlapping, exactly indexing ``text``."""
    lines = split_lines(text)
    if not lines:
        return []
    kinds = label_lines(lines)
    segments = [Segment(line.start, line.end, kind) for line, kind in zip(lines, kinds)]
    return _split_body_edges(_merge(segments, text), text)
