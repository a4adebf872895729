"""Story grouping on BASIL (70 stories x 3 outlets) and grouping throughput at 1k/10k/100k documents.

Quality: the 210 BASIL articles are fed in date order (ties by file name) as title + body to

* ``wirescope`` text only: the online grouper on title and body words (no spaCy);
* ``wirescope`` + actors: the same after the full pipeline (one spaCy parse per article) added
  entity names and actor codes, i.e. exactly what ``wirescope ingest`` stores and groups;
* baseline: scikit-learn TF-IDF + agglomerative clustering (average linkage, cosine), all pairs,
  offline (it sees every article at once); its distance threshold is the best of a grid on BASIL
  itself, so it is an optimistic reference. The grouper's constants are the defaults.

Scores: pairwise P/R/F1 over document pairs, BCubed P/R/F1 (Bagga & Baldwin), stories found.

Scaling: synthetic documents (stories of 1-6 articles drawn from per-story vocabularies over a
shared background vocabulary, about 120 stories a day) grouped by the same function; documents/s
and microseconds per document at 1k, 10k and 100k documents in one process.

    PYTHONPATH=src .venv/bin/python bench/stories.py [--no-pipeline] [--scale 1000,10000,100000]

Reads ../shared/data/stories/basil; exits 0 with a message when it is missing.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

from wirescope.grouping import GroupingSettings, StoryGrouper, StoryText, group_stream

ROOT = Path(__file__).resolve().parents[1]
BASIL = ROOT.parent / "shared" / "data" / "stories" / "basil"


# -- metrics ---------------------------------------------------------------------------------
def prf(p: float, r: float) -> tuple[float, float, float]:
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairwise(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    """P/R/F1 over unordered document pairs put in one cluster."""
    def pairs(labels: dict[str, str]) -> set[tuple[str, str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for doc, label in labels.items():
            groups[label].append(doc)
        return {tuple(sorted(p)) for g in groups.values() for p in combinations(g, 2)}  # type: ignore[misc]

    g, p = pairs(gold), pairs(pred)
    tp = len(g & p)
    return prf(tp / len(p) if p else 1.0, tp / len(g) if g else 1.0)


def bcubed(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    """Per-document precision/recall of its predicted cluster against its gold one, averaged."""
    gold_sets: dict[str, set[str]] = defaultdict(set)
    pred_sets: dict[str, set[str]] = defaultdict(set)
    for doc in gold:
        gold_sets[gold[doc]].add(doc)
        pred_sets[pred[doc]].add(doc)
    precision = recall = 0.0
    for doc in gold:
        same = len(gold_sets[gold[doc]] & pred_sets[pred[doc]])
        precision += same / len(pred_sets[pred[doc]])
        recall += same / len(gold_sets[gold[doc]])
    return prf(precision / len(gold), recall / len(gold))


# -- BASIL -----------------------------------------------------------------------------------
def load_basil(root: Path) -> list[dict]:
    rows = []
    for path in sorted((root / "articles").glob("*/*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        body = "\n\n".join(" ".join(p) for p in article["body-paragraphs"])
        rows.append({"id": path.stem, "story": article["triplet-uuid"], "title": article["title"],
                     "body": body, "day": date.fromisoformat(article["date"][:10]),
                     "outlet": article["source"]})
    rows.sort(key=lambda r: (r["day"], r["id"]))
    return rows


def actors_from_pipeline(rows: Sequence[dict]) -> dict[str, tuple[str, ...]]:
    """Entity names and codes per mention, from the real pipeline (one parse per article)."""
    from wirescope.pipeline import analyze_pages
    from wirescope.records import RawPage
    from wirescope.settings import Settings
    from wirescope.stories import actor_terms

    pages = [RawPage(source=r["id"], data=f"{r['title']}\n\n{r['body']}", content_type="text",
                     title=r["title"]) for r in rows]
    out = {}
    for row, result in zip(rows, analyze_pages(pages, Settings(batch_size=16))):
        out[row["id"]] = actor_terms(getattr(result, "entities", ()))
    return out


def baseline(rows: Sequence[dict], gold: dict[str, str]) -> list[tuple[float, dict[str, str]]]:
    """TF-IDF + agglomerative clustering (average linkage, cosine) at a grid of thresholds."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{r['title']}\n{r['title']}\n{r['body']}" for r in rows]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1).fit_transform(texts)
    dense = matrix.toarray()
    results = []
    for threshold in (0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
        labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                         distance_threshold=threshold).fit_predict(dense)
        results.append((threshold, {r["id"]: str(label) for r, label in zip(rows, labels)}))
    return results


def score_line(name: str, gold: dict[str, str], pred: dict[str, str]) -> str:
    pp, pr, pf = pairwise(gold, pred)
    bp, br, bf = bcubed(gold, pred)
    return (f"| {name} | {pp:.3f} | {pr:.3f} | {pf:.3f} | {bp:.3f} | {br:.3f} | {bf:.3f} "
            f"| {len(set(pred.values()))} |")


def run_basil(root: Path, with_pipeline: bool) -> None:
    rows = load_basil(root)
    gold = {r["id"]: r["story"] for r in rows}
    print(f"BASIL: {len(rows)} articles, {len(set(gold.values()))} stories, fed in date order\n")
    print("| system | pair P | pair R | pair F1 | B3 P | B3 R | B3 F1 | stories |")
    print("|---|---|---|---|---|---|---|---|")

    def items(actors: dict[str, tuple[str, ...]]) -> list[StoryText]:
        return [StoryText(r["id"], r["day"], r["title"], r["body"], actors.get(r["id"], ())) for r in rows]

    start = time.perf_counter()
    text_only = {a.doc_id: a.story_id for a in group_stream(items({}))}
    seconds = time.perf_counter() - start
    print(score_line(f"wirescope, text only ({seconds:.2f} s)", gold, text_only))
    if with_pipeline:
        start = time.perf_counter()
        actors = actors_from_pipeline(rows)
        parse_s = time.perf_counter() - start
        start = time.perf_counter()
        with_actors = {a.doc_id: a.story_id for a in group_stream(items(actors))}
        seconds = time.perf_counter() - start
        print(score_line(f"wirescope + actors ({seconds:.2f} s; parse {parse_s:.0f} s)", gold, with_actors))
    start = time.perf_counter()
    grid = baseline(rows, gold)
    seconds = time.perf_counter() - start
    for threshold, pred in grid:
        print(score_line(f"TF-IDF + agglomerative, distance {threshold} ({seconds:.2f} s for the grid)",
                         gold, pred))
    print("\nSensitivity of the join threshold (text only):")
    print("| join threshold | pair F1 | B3 F1 | stories |\n|---|---|---|---|")
    for threshold in (0.15, 0.2, 0.25, 0.3, 0.35, 0.4):
        settings = GroupingSettings(join_threshold=threshold)
        pred = {a.doc_id: a.story_id for a in group_stream(items({}), settings)}
        print(f"| {threshold} | {pairwise(gold, pred)[2]:.3f} | {bcubed(gold, pred)[2]:.3f} "
              f"| {len(set(pred.values()))} |")


# -- scaling ---------------------------------------------------------------------------------
def synthetic_stream(n_docs: int, seed: int = 7, stories_per_day: int = 120) -> tuple[list[StoryText], dict[str, str]]:
    """Stories of 1-6 documents; each story has 25 own words among 2,000 shared background words."""
    rng = random.Random(seed)
    background = [f"w{i}" for i in range(2000)]
    items, gold = [], {}
    start_day = date(2024, 1, 1)
    story = 0
    while len(items) < n_docs:
        story += 1
        own = [f"s{story}x{k}" for k in range(25)]
        actors = tuple(f"Actor {story} {k}" for k in range(2))
        day = start_day + timedelta(days=story // stories_per_day)
        for copy in range(rng.randint(1, 6)):
            if len(items) >= n_docs:
                break
            body_words = rng.sample(own, 15) + rng.choices(background, k=220)
            rng.shuffle(body_words)
            title = " ".join(rng.sample(own, 5) + rng.choices(background, k=4))
            doc_id = f"d{len(items)}"
            items.append(StoryText(doc_id, day + timedelta(days=rng.randint(0, 2)), title,
                                   " ".join(body_words), actors * 2))
            gold[doc_id] = str(story)
    items.sort(key=lambda i: i.day)
    return items, gold


def run_scaling(sizes: Sequence[int]) -> None:
    print("\nScaling (synthetic stream, same process; machine shared with other jobs):")
    print("| documents | seconds | documents/s | us/document | stories live at end | B3 F1 |")
    print("|---|---|---|---|---|---|")
    for n in sizes:
        items, gold = synthetic_stream(n)
        grouper = StoryGrouper()
        start = time.perf_counter()
        pred = {}
        for item in items:
            pred[item.doc_id] = grouper.assign(item)[0].story_id
        seconds = time.perf_counter() - start
        print(f"| {n:,} | {seconds:.1f} | {n / seconds:,.0f} | {seconds / n * 1e6:,.0f} "
              f"| {len(grouper.stories):,} | {bcubed(gold, pred)[2]:.3f} |", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pipeline", action="store_true", help="skip the spaCy run (actors)")
    parser.add_argument("--scale", default="1000,10000,100000", help="document counts, or '' to skip")
    parser.add_argument("--no-basil", action="store_true")
    args = parser.parse_args()
    if not args.no_basil:
        if not BASIL.is_dir():
            print(f"skipped: BASIL not found at {BASIL}")
        else:
            run_basil(BASIL, not args.no_pipeline)
    sizes = [int(s) for s in args.scale.split(",") if s.strip()]
    if sizes:
        run_scaling(sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())

