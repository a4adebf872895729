"""Train the segmenter's edge scorer (a logistic regression) and write its weights to
src/wirescope/data/segment_model.json.

Data: PolNeAR TRAIN composites only, built by bench/segmentation.py's own composite builder with
its train seed (the dev composites and the extraction pages are test sets and never seen here).
Each example is an edge paragraph of the article block the rule cascade finds (the block grown
to its separators, as the peeling step sees it), met walking in from either edge until the
article starts; the label is whether the paragraph is the article's.
Deterministic: fixed data, full-batch gradient descent from zero weights, fixed iterations.

    .venv/bin/python bench/train_segmenter.py
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import segmentation
from wirescope.segment import rules as segment

ROOT = Path(__file__).resolve().parents[1]
MODEL_PATH = ROOT / "src/wirescope/data/segment_model.json"
ITERATIONS = 3000
LEARNING_RATE = 0.5
L2 = 1e-3
# Decision threshold written to the model (probability that an edge paragraph is body).
THRESHOLD = 0.5


def block_examples(text: str, gold: list[tuple[int, int]]) -> list[tuple[list[float], int]]:
    """(features, is_article) for the edge paragraphs of the rule cascade's article block."""
    lines = segment.split_lines(text)
    if not lines:
        return []
    forced = segment.forced_teasers(lines)
    terms = [segment.content_terms(line.text) for line in lines]
    found = segment.best_body(lines, forced, terms)
    if found is None:
        return []
    first, last, _ = found
    # Grow the body to the separators around it: the block the peeling step starts from.
    while first > 0 and lines[first - 1].role not in segment.SEPARATORS and first - 1 not in forced:
        first -= 1
    while last + 1 < len(lines) and lines[last + 1].role not in segment.SEPARATORS and last + 1 not in forced:
        last += 1
    ref: Counter[str] = segment._reference(terms, range(first, last + 1))
    prose = [i for i in range(first, last + 1) if lines[i].role is segment.Role.PROSE]
    own = sorted(segment.cohesion(terms[i], segment._without(ref, terms[i])) for i in prose)
    typical = own[len(own) // 2] if own else 0.0
    starts = {s for s, _ in gold}
    # Walk each edge as the peeling step does, with the right answer: every teaser met before the
    # article's first (last) paragraph is a negative example, that paragraph the positive one.
    examples = []
    lo, hi = first, last
    for step in (1, -1):
        order = prose if step == 1 else prose[::-1]
        for i in order:
            is_article = int(lines[i].start in starts)
            examples.append((segment.edge_features(lines, terms, i, lo, hi, ref, typical, {}), is_article))
            if is_article:
                break
            if step == 1:
                lo = i + 1
            else:
                hi = i - 1
    return examples


def main() -> int:
    segment.USE_EDGE_MODEL = False  # examples come from the rule cascade alone
    shared = segmentation.shared_dir()
    folder = shared / "data/quotes/polnear/train/text"
    composites = segmentation.make_composites(folder, segmentation.SEED)
    rows = [example for text, gold in composites for example in block_examples(text, gold)]
    x = np.array([features for features, _ in rows], dtype=np.float64)
    y = np.array([label for _, label in rows], dtype=np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    mean[0], scale[0] = 0.0, 1.0  # the bias column stays 1
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    w = np.zeros(z.shape[1])
    for _ in range(ITERATIONS):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) / len(y) + L2 * np.r_[0.0, w[1:]]
        w -= LEARNING_RATE * grad
    p = 1.0 / (1.0 + np.exp(-(z @ w)))
    accuracy = float(((p >= THRESHOLD) == (y == 1)).mean())
    model = {
        "kind": "logistic regression, edge paragraph is article body",
        "data": "PolNeAR train composites (bench/segmentation.py make_composites, train split)",
        "seed": segmentation.SEED,
        "examples": len(y),
        "positives": int(y.sum()),
        "train_accuracy": round(accuracy, 4),
        "iterations": ITERATIONS,
        "l2": L2,
        "features": list(segment.FEATURE_NAMES),
        "weights": [round(float(v), 6) for v in w],
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "threshold": THRESHOLD,
    }
    MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"{len(y)} examples ({int(y.sum())} article), train accuracy {accuracy:.3f}")
    for name, value in zip(segment.FEATURE_NAMES, w):
        print(f"  {name:20s} {value:+.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
