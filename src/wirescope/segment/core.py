"""Step 2 of segmentation: the article core. Candidates are the runs of lines with the most prose
weight: prose lines add their word count, short fragments (menus, link lists) subtract,
boilerplate lines break the run. A readers' comment thread is marked first, so that no run
crosses from one comment into the next."""

from __future__ import annotations

import re
from dataclasses import replace

from wirescope.segment.headlines import headline_shaped
from wirescope.segment.lines import PROSE_MIN_WORDS, SEPARATORS, Line, Role

# Weight of a short line ending like a sentence ("A spokesperson declined to comment."), per word:
# such lines occur inside articles, but also in footers, so they count for less than prose.
SHORT_SENTENCE_WEIGHT = 0.5
# Cost of a short fragment (menu item, link, heading): a run of a few costs less than one
# paragraph, so a sub-heading never splits an article, while a menu of 20 items does.
FRAGMENT_PENALTY = 4.0
# Cost of a boilerplate line inside a run: in effect a wall; prose beyond an interruption is
# attached back by cohesion instead (body.choose_body). Measurements: bench/RESULTS.md,
# 'Measurement histories'.
BOILERPLATE_PENALTY = 1000.0
# How many lines from the top the page headline (a page's <title>, a text's first line) is sought.
HEADLINE_SEARCH_LINES = 5
# Core candidates tried (heaviest runs). Measurements: bench/RESULTS.md, 'Measurement histories'.
CORE_CANDIDATES = 5
# Comment headers needed to call a part of the page a comment thread, and the longest header.
# Measurements: bench/RESULTS.md, 'Measurement histories'.
COMMENT_META_MIN = 3
COMMENT_META_MAX_WORDS = 20

_LETTER = re.compile(r"[^\W\d_]")
# Headers of readers' comments: author and time ("Alex on September 17, 2018 at 6:34 am said:"),
# relative times with a clock time ("2 days ago at 07:52 am"), votes, "C. M. says:".
_COMMENT_META = re.compile(
    r"\b(?:on\s+\w+\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4})\s+(?:at\s+)?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?"
    r"\s*(?:said|says|wrote)\s*:?\s*$"
    r"|^\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago\s+at\s+\d{1,2}:\d{2}"
    r"|^rating:\s*-?\d+\s+votes?$"
    r"|^\S+(?:\s+\S+){0,3}\s+(?:says|wrote)\s*:\s*$",
    re.IGNORECASE)


def mark_comment_headers(lines: list[Line]) -> list[Line]:
    """The headers of a readers' comment thread ("Alex on September 17, 2018 at 6:34 am said:",
    "2 days ago at 07:52 am", "Rating: 36 Votes", "C. M. says:") get their own role when there
    are at least COMMENT_META_MIN of them below some prose: each is a wall between comments (a
    comment is weighed on its own, never the thread at once) and nothing is attached across it.
    One "Trump says:" line in an article is no thread and keeps its role."""
    # every header holds a colon: a cheap test before the regular expression
    found = [i for i, line in enumerate(lines)
             if line.words <= COMMENT_META_MAX_WORDS and ":" in line.text and _COMMENT_META.search(line.text)]
    if len(found) < COMMENT_META_MIN:
        return lines
    if sum(line.words for line in lines[: found[0]] if line.role is Role.PROSE) < PROSE_MIN_WORDS:
        return lines
    marked = list(lines)
    for i in found:
        marked[i] = replace(lines[i], role=Role.COMMENT_HEADER)
    return marked


def _weight(line: Line) -> float:
    """The line's prose weight for the core search: prose adds, everything else costs."""
    if line.role in SEPARATORS:
        return -BOILERPLATE_PENALTY
    if line.role is Role.PROSE:
        return float(line.words)
    if line.role is Role.SENTENCE:
        return SHORT_SENTENCE_WEIGHT * line.words
    if line.role in (Role.BYLINE, Role.CAPTION) or not _LETTER.search(line.text):
        # Neutral: captions sit inside articles, and letterless lines ("___", "***", "9:30")
        # separate the entries of live blogs as often as they separate page parts.
        return 0.0
    return -FRAGMENT_PENALTY


def find_runs(lines: list[Line], blocked: set[int]) -> list[tuple[float, int, int]]:
    """Every maximal run of positive prose weight as (weight, first, last), Kadane style."""
    runs: list[tuple[float, int, int]] = []
    best: tuple[float, int, int] | None = None
    total = 0.0
    for i, line in enumerate(lines):
        weight = -BOILERPLATE_PENALTY if i in blocked else _weight(line)
        if total + weight <= 0:
            if best is not None:
                runs.append(best)
            best, total = None, 0.0
            continue
        total += weight
        if best is None:
            best = (total, i, i)
        elif total > best[0]:
            best = (total, best[1], i)
    if best is not None:
        runs.append(best)
    return runs


def page_headline(lines: list[Line]) -> int | None:
    """The first headline-shaped line near the top: a page's <title> or a text's first line."""
    for i, line in enumerate(lines[:HEADLINE_SEARCH_LINES]):
        if line.role is not Role.BOILERPLATE and headline_shaped(line) and line.words >= 3:
            return i
    return None


def core_candidates(lines: list[Line], blocked: set[int]) -> list[tuple[int, int]]:
    """The CORE_CANDIDATES heaviest runs as [first, last], heaviest first."""
    runs = sorted(find_runs(lines, blocked), reverse=True)[:CORE_CANDIDATES]
    return [(first, last) for _, first, last in runs]


def main_block(lines: list[Line], core: tuple[int, int], forced: set[int]) -> tuple[int, int]:
    """The part of the core between separators (boilerplate, markers) with the most prose."""
    blocks: list[tuple[int, int, int]] = []  # (prose words, first, last)
    start = None
    for i in range(core[0], core[1] + 2):
        inside = i <= core[1] and lines[i].role not in SEPARATORS and i not in forced
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            words = sum(lines[j].words for j in range(start, i) if lines[j].role is Role.PROSE)
            blocks.append((words, -start, i - 1))
            start = None
    if not blocks:
        return core
    _, neg_first, last = max(blocks)
    return -neg_first, last
