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

Reads ../shared/data/stories/basil; exits 0 with a message when it is missing. The report is
printed and written to bench/out/stories.md.
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
from itertools import accumulate, combinations, pairwise
from pathlib import Path

from wirescope.stories.grouping import GroupingSettings, StoryGrouper, StoryText, group_stream

ROOT = Path(__file__).resolve().parents[1]
BASIL = ROOT.parent / "shared" / "data" / "stories" / "basil"


LINES: list[str] = []
OUT = ROOT / "bench" / "out" / "stories.md"


def emit(*parts: object, flush: bool = False) -> None:
    """Print a line of the report and keep it for bench/out/stories.md."""
    line = " ".join(str(p) for p in parts)
    LINES.append(line)
    print(line, flush=flush)


# -- metrics ---------------------------------------------------------------------------------
def prf(p: float, r: float) -> tuple[float, float, float]:
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pair_prf(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
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
def basil_body(article: dict) -> str:
    """An article's body as every benchmark reads it: its paragraphs' sentences joined."""
    return "\n\n".join(" ".join(p) for p in article["body-paragraphs"])


def load_basil(root: Path) -> list[dict]:
    rows = []
    for path in sorted((root / "articles").glob("*/*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        body = basil_body(article)
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
    from wirescope.stories.assign import actor_terms

    pages = [RawPage(source=r["id"], data=f"{r['title']}\n\n{r['body']}", content_type="text",
                     title=r["title"]) for r in rows]
    out = {}
    for row, result in zip(rows, analyze_pages(pages, Settings(batch_size=16))):
        out[row["id"]] = actor_terms(getattr(result, "entities", ()))
    return out


RUN_SIZE = 30


def store_backed(rows: Sequence[dict]) -> dict[str, str]:
    """The ingest path without the parse: documents stored in a DuckDB file, each run of
    RUN_SIZE articles grouped by a new StoryAssigner that loads the state back from the store."""
    import tempfile

    from wirescope.records import Analysis, Document, Segment
    from wirescope.storage.store import Store
    from wirescope.stories.assign import StoryAssigner

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "basil.duckdb") as store:
        for start in range(0, len(rows), RUN_SIZE):
            batch = []
            for r in rows[start : start + RUN_SIZE]:
                text = f"{r['title']}\n\n{r['body']}"
                batch.append(Analysis(
                    Document(r["id"], text, title=r["title"], published=r["day"].isoformat(),
                             outlet=r["outlet"]),
                    segments=(Segment(0, len(r["title"]), "title"),
                              Segment(len(r["title"]) + 2, len(text), "body"))))
            store.write_batch(batch)
            StoryAssigner(store).assign([a.document.id for a in batch])
        return dict(store.con.execute("SELECT doc_id, story_id FROM story_documents").fetchall())


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
    pp, pr, pf = pair_prf(gold, pred)
    bp, br, bf = bcubed(gold, pred)
    return (f"| {name} | {pp:.3f} | {pr:.3f} | {pf:.3f} | {bp:.3f} | {br:.3f} | {bf:.3f} "
            f"| {len(set(pred.values()))} |")


def run_basil(root: Path, with_pipeline: bool) -> None:
    rows = load_basil(root)
    gold = {r["id"]: r["story"] for r in rows}
    emit(f"BASIL: {len(rows)} articles, {len(set(gold.values()))} stories, fed in date order\n")
    emit("| system | pair P | pair R | pair F1 | B3 P | B3 R | B3 F1 | stories |")
    emit("|---|---|---|---|---|---|---|---|")

    def items(actors: dict[str, tuple[str, ...]]) -> list[StoryText]:
        return [StoryText(r["id"], r["day"], r["title"], r["body"], actors.get(r["id"], ())) for r in rows]

    start = time.perf_counter()
    text_only = {a.doc_id: a.story_id for a in group_stream(items({}))}
    seconds = time.perf_counter() - start
    emit(score_line(f"wirescope, text only ({seconds:.2f} s)", gold, text_only))
    start = time.perf_counter()
    stored = store_backed(rows)
    seconds = time.perf_counter() - start
    emit(score_line(f"wirescope, text only, store-backed, a new run every {RUN_SIZE} articles "
                     f"({seconds:.2f} s)", gold, stored))
    if with_pipeline:
        start = time.perf_counter()
        actors = actors_from_pipeline(rows)
        parse_s = time.perf_counter() - start
        start = time.perf_counter()
        with_actors = {a.doc_id: a.story_id for a in group_stream(items(actors))}
        seconds = time.perf_counter() - start
        emit(score_line(f"wirescope + actors ({seconds:.2f} s; parse {parse_s:.0f} s)", gold, with_actors))
    start = time.perf_counter()
    grid = baseline(rows, gold)
    seconds = time.perf_counter() - start
    for threshold, pred in grid:
        emit(score_line(f"TF-IDF + agglomerative, distance {threshold} ({seconds:.2f} s for the grid)",
                         gold, pred))
    emit("\nSensitivity of the join threshold (text only; the default is "
          f"{GroupingSettings().join_threshold}):")
    emit("| join threshold | pair F1 | B3 F1 | stories |\n|---|---|---|---|")
    for threshold in THRESHOLDS:
        pred = run_threshold(items({}), threshold)
        emit(f"| {threshold} | {pair_prf(gold, pred)[2]:.3f} | {bcubed(gold, pred)[2]:.3f} "
              f"| {len(set(pred.values()))} |")
    cross_validate(rows)
    near_duplicates(rows)
    informational_bias(root, rows)


def near_duplicates(rows: Sequence[dict]) -> None:
    """Every BASIL article republished twice (as outlets run a wire story): one copy with another
    headline and a closing line of its own, one without its last paragraph. Copies must be linked
    to their original; no original (other outlets' articles on the same story included) may be."""
    stream = []
    for r in rows:
        paragraphs = r["body"].split("\n\n")
        stream.append(StoryText(r["id"], r["day"], r["title"], r["body"]))
        stream.append(StoryText(r["id"] + "#copy-a", r["day"], "Republished: " + r["title"].lower(),
                                r["body"] + "\n\nThis story was distributed by a news agency."))
        if len(paragraphs) > 3:
            stream.append(StoryText(r["id"] + "#copy-b", r["day"] + timedelta(days=1), r["title"],
                                    "\n\n".join(paragraphs[:-1])))
    assignments = group_stream(stream)
    copies = [a for a in assignments if "#" in a.doc_id]
    story = {a.doc_id: a.story_id for a in assignments}
    false = sum(a.duplicate_of is not None for a in assignments if "#" not in a.doc_id)
    emit(f"\nNear-duplicates: {len(rows)} BASIL articles and {len(copies)} republished copies; "
         f"{false} originals wrongly linked as copies")
    emit("| copy | copies | linked to their original | in the original's story |\n|---|---|---|---|")
    for kind, label in (("#copy-a", "new headline + a closing line"), ("#copy-b", "last paragraph cut")):
        some = [a for a in copies if a.doc_id.endswith(kind)]
        original = [a.doc_id.split("#")[0] for a in some]
        linked = sum(a.duplicate_of == o for a, o in zip(some, original))
        joined = sum(a.story_id == story[o] for a, o in zip(some, original))
        emit(f"| {label} | {len(some)} | {linked} | {joined} |")


def informational_bias(root: Path, rows: Sequence[dict]) -> None:
    """How BASIL's informational-bias spans (facts an outlet chose to include) fall in the
    sentences ``compare_coverage`` reports as only in that outlet, against lexical-bias spans and
    the share of sentences it flags at all. Gold stories, title + body text only (no parse)."""
    from wirescope.records import Analysis, Document, Segment
    from wirescope.stories.assign import StoryMember, body_sentences, compare_coverage

    stories: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        stories[r["story"]].append(r)
    inside = {"inf": [0, 0], "lex": [0, 0]}  # kind -> [spans inside an only-here sentence, spans found]
    flagged = total = 0
    for members in stories.values():
        built = []
        for r in members:
            text = f"{r['title']}\n\n{r['body']}"
            analysis = Analysis(Document(r["id"], text, outlet=r["outlet"], title=r["title"]),
                                segments=(Segment(0, len(r["title"]), "title"),
                                          Segment(len(r["title"]) + 2, len(text), "body")))
            built.append(StoryMember(r["id"], r["outlet"], r["day"].isoformat(), None, analysis))
        for entry in compare_coverage(built):
            member = next(m for m in built if m.doc_id == entry["documents"][0])
            text = member.analysis.document.text
            only = [(s["start"], s["end"]) for s in entry["only_here"]["sentences"]]
            flagged += len(only)
            total += len(body_sentences(member.analysis))
            path = root / "annotations" / member.day[:4] / f"{member.doc_id}_ann.json"
            if not path.exists():
                continue
            for span in json.loads(path.read_text(encoding="utf-8"))["phrase-level-annotations"]:
                start = text.find(span["txt"].strip())
                if span["bias"] not in inside or start < 0:
                    continue
                end = start + len(span["txt"].strip())
                inside[span["bias"]][1] += 1
                inside[span["bias"]][0] += any(a <= start and end <= b for a, b in only)
    emit("\nInformational bias (BASIL annotations; gold stories; sentences only one outlet has):")
    emit("| | spans found in the text | inside a sentence only its outlet has | share |\n|---|---|---|---|")
    for kind, label in (("inf", "informational-bias spans"), ("lex", "lexical-bias spans")):
        hit, found = inside[kind]
        emit(f"| {label} | {found} | {hit} | {hit / found if found else 0:.3f} |")
    emit(f"| all body sentences (base rate) | {total} | {flagged} | {flagged / total if total else 0:.3f} |")


THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)


def run_threshold(items: Sequence[StoryText], threshold: float) -> dict[str, str]:
    settings = GroupingSettings(join_threshold=threshold)
    return {a.doc_id: a.story_id for a in group_stream(items, settings)}


def cross_validate(rows: Sequence[dict]) -> None:
    """The threshold picked on the stories of even years scored on odd years, and the reverse:
    an estimate that does not choose the threshold on the articles it scores."""
    emit("\nTwo-fold check of the threshold (text only; each half fed as its own stream):")
    emit("| picked on | threshold | scored on | pair F1 | B3 F1 |\n|---|---|---|---|---|")
    halves = {parity: [r for r in rows if r["day"].year % 2 == parity] for parity in (0, 1)}
    for train, test in ((0, 1), (1, 0)):
        def stream(half: list[dict]) -> list[StoryText]:
            return [StoryText(r["id"], r["day"], r["title"], r["body"]) for r in half]

        train_gold = {r["id"]: r["story"] for r in halves[train]}
        best = max(THRESHOLDS, key=lambda t: bcubed(train_gold, run_threshold(stream(halves[train]), t))[2])
        test_gold = {r["id"]: r["story"] for r in halves[test]}
        pred = run_threshold(stream(halves[test]), best)
        names = ("even years", "odd years")
        emit(f"| {names[train]} | {best} | {names[test]} ({len(test_gold)} articles) "
              f"| {pair_prf(test_gold, pred)[2]:.3f} | {bcubed(test_gold, pred)[2]:.3f} |")


# -- scaling ---------------------------------------------------------------------------------
def synthetic_stream(n_docs: int, seed: int = 7, stories_per_day: int = 120,
                     topics: int = 40) -> tuple[list[StoryText], dict[str, str]]:
    """Stories of 1-6 documents, about ``stories_per_day`` new stories a day, in date order.

    A document has 12 of its story's 20 own words, 10 of its topic's 60 words (stories of one
    topic overlap, as news on one subject does) and 150 background words drawn from a Zipf
    distribution over 20,000 words (a few common words, a long tail, like news text); its title
    has 4 own words, 2 topic words and 3 background words; two actors per story (its own and
    its topic's).
    """
    rng = random.Random(seed)
    background = [f"w{i}" for i in range(20000)]
    weights = list(accumulate(1.0 / (rank + 1) for rank in range(len(background))))
    items, gold = [], {}
    start_day = date(2024, 1, 1)
    story = 0
    while len(items) < n_docs:
        story += 1
        topic = rng.randrange(topics)
        own = [f"s{story}x{k}" for k in range(20)]
        topic_words = [f"t{topic}x{k}" for k in range(60)]
        actors = (f"Actor {story}", f"Actor {topic}")
        day = start_day + timedelta(days=story // stories_per_day)
        for _ in range(rng.randint(1, 6)):
            if len(items) >= n_docs:
                break
            words = rng.sample(own, 12) + rng.sample(topic_words, 10)
            words += rng.choices(background, cum_weights=weights, k=150)
            rng.shuffle(words)
            title = rng.sample(own, 4) + rng.sample(topic_words, 2)
            title += rng.choices(background, cum_weights=weights, k=3)
            doc_id = f"d{len(items)}"
            items.append(StoryText(doc_id, day + timedelta(days=rng.randint(0, 2)), " ".join(title),
                                   " ".join(words), actors * 2))
            gold[doc_id] = str(story)
    items.sort(key=lambda i: i.day)
    return items, gold


def run_scaling(sizes: Sequence[int]) -> None:
    emit("\nScaling (synthetic stream, one process, grouping only; the machine was shared with other jobs):")
    emit("| documents | seconds | documents/s | us/document, all | us/document, last 10% "
          "| stories live at end | B3 F1 |")
    emit("|---|---|---|---|---|---|---|")
    deciles: list[float] = []
    for n in sizes:
        items, gold = synthetic_stream(n)
        grouper = StoryGrouper()
        pred = {}
        step = max(1, n // 10)
        marks = [time.perf_counter()]
        for i, item in enumerate(items, 1):
            pred[item.doc_id] = grouper.assign(item)[0].story_id
            if i % step == 0:
                marks.append(time.perf_counter())
        seconds = marks[-1] - marks[0]
        deciles = [(b - a) / step * 1e6 for a, b in pairwise(marks)]
        emit(f"| {n:,} | {seconds:.1f} | {n / seconds:,.0f} | {seconds / n * 1e6:,.0f} "
              f"| {deciles[-1]:,.0f} | {len(grouper.stories):,} | {bcubed(gold, pred)[2]:.3f} |", flush=True)
    emit(f"\nus/document by tenth of the last stream ({sizes[-1]:,} documents): "
          + ", ".join(f"{d:,.0f}" for d in deciles))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pipeline", action="store_true", help="skip the spaCy run (actors)")
    parser.add_argument("--scale", default="1000,10000,100000", help="document counts, or '' to skip")
    parser.add_argument("--no-basil", action="store_true")
    args = parser.parse_args()
    if not args.no_basil:
        if not BASIL.is_dir():
            emit(f"skipped: BASIL not found at {BASIL}")
        else:
            run_basil(BASIL, not args.no_pipeline)
    sizes = [int(s) for s in args.scale.split(",") if s.strip()]
    if sizes:
        run_scaling(sizes)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

