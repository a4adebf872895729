"""The article-extraction-benchmark metric, written from its description.

Texts are split into ``\\w+`` tokens (case kept), each page's tokens into 4-token shingles
(a text shorter than four tokens is one shorter shingle), and shingles are matched as multisets:
TP = shared, FP = predicted only, FN = gold only. Each page's TP/FP/FN are normalised to sum to 1
so long pages do not outweigh short ones. Precision and recall are averaged over pages (a page
with nothing predicted and nothing expected is skipped for the score it cannot define), and F1 is
computed from the two averages, not averaged per page.

Shared by the segmentation and HTML-extraction benchmarks so both report the same number.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

SHINGLE_SIZE = 4
_TOKEN = re.compile(r"\w+")

PageCounts = tuple[float, float, float]  # normalised (tp, fp, fn) of one page


def _shingles(text: str, n: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def shingle_prf(pred: str, gold: str) -> PageCounts:
    """One page's (tp, fp, fn) over 4-token shingles, normalised to sum to 1 (all 0 if both empty)."""
    p, g = _shingles(pred), _shingles(gold)
    tp = float(sum((p & g).values()))
    fp = float(sum((p - g).values()))
    fn = float(sum((g - p).values()))
    total = tp + fp + fn
    if total == 0:
        return (0.0, 0.0, 0.0)
    return (tp / total, fp / total, fn / total)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def aggregate(pages: Iterable[PageCounts]) -> tuple[float, float, float]:
    """Mean precision and mean recall over pages, and F1 of those two means."""
    pages = list(pages)
    precisions = [_precision(*c) for c in pages if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in pages if c[0] + c[2] > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
