"""Benchmark of the event layer (wirescope.events.code_events) on PLOVER gold and ConfliBERT CAMEO.

    .venv/bin/python bench/events.py [--only SECTION] [--coder rules|model|combined] [--speed-articles N]
    .venv/bin/python bench/events.py --only tune [--grid "PROPOSAL_MIN=0.6,0.7,0.8 NEEDS_A_SIDE=0,1"]

Reads ../shared/data/events (next to the repository; override the shared folder with
WIRESCOPE_SHARED) and prints SKIP when it is absent. Nothing here is trained.

Protocol
--------
PLOVER gold (``plover/plover_gold_dev.json``, 220 coded events in 216 sentences). Each sentence is
parsed once (``nlp.pipe``); entities, actor codes, quotes and events run on that Doc as in the
pipeline. ``--half a`` / ``--half b`` keep the sentences whose sha1(text) is even / odd: a fixed
split, so anything tuned on one half can be reported on the other.

* Event type, per sentence: the set of predicted types against the set of gold types. Micro P/R/F1
  over all (sentence, type) pairs; macro F1 = mean of the per-type F1 over the 18 types.
  Two operating points: **all** events the coder emits, and **top-1**: only the most confident
  event of each sentence (the gold codes one event per sentence, so a sentence-level reading).
* Actor / recipient match, over gold events whose type was predicted in the sentence: the
  predicted event of that type has a side whose text shares a word with the gold actorText, or
  whose code starts with the gold code's first three letters (gold codes are countries or IGO).
  Accuracy = matched / gold events with a gold source (target).
* Full dyad: a predicted event is correct when a gold event of its sentence has the same type,
  its actor matches (or the gold has no source) and its recipient matches (or the gold has no
  target). P over predicted events, R over gold events.

QuadClass (``conflibert_cameo/cameo_class_train.tsv``, 1,349 sentences, labels 0 statement,
1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict): the most
confident event of the sentence gives its CAMEO code's QuadClass (``wirescope.storage.gdelt``); no event
means 0. Nothing is trained, so every row is scored (no row is ever scored by a model fitted on it).
Baseline: the majority class.

Speed: the 216 gold sentences parsed once, then code_events timed alone over the Docs (sentences
per second, best of 5 runs); and on real articles (PolNeAR dev texts, if present) the share of
events in the whole analysis: parse + entities + actors + quotes + events, each timed in-process.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wirescope.analysis.actors import code_actors
from wirescope.analysis.entities import extract_entities
from wirescope.analysis.events import code_events
from wirescope.analysis.events.combine import Coder
from wirescope.analysis.nlp import load_nlp
from wirescope.analysis.quotes import extract_quotes
from wirescope.records import Event, EventActor
from wirescope.storage.gdelt import cameo_for

TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "DEMAND",
         "DISAPPROVE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
         "FIGHT", "INVESTIGATE")


def shared_dir() -> Path:
    return Path(os.environ.get("WIRESCOPE_SHARED") or ROOT.parent / "shared")


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def analyse_docs(texts: list[str], coder: Coder = "combined") -> tuple[list, list[tuple[Event, ...]]]:
    docs = parse(texts)
    return docs, code_docs(docs, coder)


def parse(texts: list[str]) -> list:
    return list(load_nlp().pipe(texts, batch_size=64))


def code_docs(docs: list, coder: Coder) -> list[tuple[Event, ...]]:
    events = []
    for doc in docs:
        entities = code_actors(doc, extract_entities(doc))
        events.append(code_events(doc, entities, extract_quotes(doc, entities), coder=coder))
    return events


def _words(text: str) -> set[str]:
    return {w.strip(".,'’\"()").casefold() for w in text.split() if len(w.strip(".,'’\"()")) > 1} - {
        "the", "of", "and", "in", "a"}


def side_matches(gold: list[dict], sides: tuple[EventActor, ...]) -> bool:
    for g in gold:
        words = _words(g.get("actorText") or "")
        code = (g.get("code") or "")[:3].upper()
        for side in sides:
            if words & (_words(side.text) | _words(side.name or "")):
                return True
            if code and side.code and side.code[:3].upper() == code:
                return True
    return False


def _gold_sides(value: object) -> list[dict]:
    return value if isinstance(value, list) else []


def _group_by_text(records: list[dict]) -> dict[str, list[dict]]:
    by_text: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        by_text[r["text"]].append(r)
    return by_text


def _predicted_for(events: tuple[Event, ...], top1: bool) -> list[Event]:
    predicted = list(events)
    if top1 and predicted:
        predicted = [max(predicted, key=lambda e: e.confidence)]
    return predicted


def _count_types(counts: dict[str, list[int]], golds: list[dict], predicted: list[Event]) -> None:
    """Add one sentence's (tp, fp, fn) per event type to ``counts``."""
    gold_types = {g["event"] for g in golds}
    pred_types = {e.type for e in predicted}
    for t in TYPES:
        counts[t][0] += int(t in gold_types and t in pred_types)
        counts[t][1] += int(t in pred_types and t not in gold_types)
        counts[t][2] += int(t in gold_types and t not in pred_types)


def _count_sides(sides: Counter, golds: list[dict], predicted: list[Event]) -> None:
    """Add one sentence's actor / recipient hits and totals to ``sides``."""
    for g in golds:
        same = [e for e in predicted if e.type == g["event"]]
        if not same:
            continue
        if _gold_sides(g.get("source")):
            sides["actor_total"] += 1
            sides["actor_hits"] += any(side_matches(g["source"], e.actors) for e in same)
        if _gold_sides(g.get("target")):
            sides["rec_total"] += 1
            sides["rec_hits"] += any(side_matches(g["target"], e.recipients) for e in same)


def _dyad_matches(gold: dict, event: Event) -> bool:
    source, target = _gold_sides(gold.get("source")), _gold_sides(gold.get("target"))
    return bool((not source or side_matches(source, event.actors)) and (
        not target or side_matches(target, event.recipients)))


def _count_dyad_tp(golds: list[dict], predicted: list[Event]) -> int:
    """Predicted events matching a still-unmatched gold event on type, actor and recipient."""
    matched: set[int] = set()
    tp = 0
    for e in predicted:
        for i, g in enumerate(golds):
            if i in matched or g["event"] != e.type:
                continue
            if _dyad_matches(g, e):
                matched.add(i)
                tp += 1
                break
    return tp


def score_plover(records: list[dict], top1: bool, events: dict[str, tuple[Event, ...]]) -> dict:
    by_text = _group_by_text(records)
    counts = {t: [0, 0, 0] for t in TYPES}
    sides: Counter = Counter(actor_hits=0, actor_total=0, rec_hits=0, rec_total=0)
    dyad_tp = dyad_pred = dyad_gold = 0
    for text, golds in by_text.items():
        predicted = _predicted_for(events[text], top1)
        _count_types(counts, golds, predicted)
        _count_sides(sides, golds, predicted)
        dyad_gold += len(golds)
        dyad_pred += len(predicted)
        dyad_tp += _count_dyad_tp(golds, predicted)
    tp = sum(c[0] for c in counts.values())
    fp = sum(c[1] for c in counts.values())
    fn = sum(c[2] for c in counts.values())
    per_type = {t: prf(*c) for t, c in counts.items()}
    return {
        "sentences": len(by_text), "gold_events": len(records),
        "micro": prf(tp, fp, fn), "macro_f1": sum(v[2] for v in per_type.values()) / len(TYPES),
        "per_type": per_type, "actor": (sides["actor_hits"], sides["actor_total"]),
        "recipient": (sides["rec_hits"], sides["rec_total"]),
        "dyad": prf(dyad_tp, dyad_pred - dyad_tp, dyad_gold - dyad_tp),
    }


def quad_class(events: tuple[Event, ...]) -> int:
    if not events:
        return 0
    cameo = cameo_for(max(events, key=lambda e: e.confidence))
    return cameo.quad_class if cameo is not None else 0


def speed(texts: list[str], docs: list) -> float:
    prepared = []
    for doc in docs:
        entities = code_actors(doc, extract_entities(doc))
        prepared.append((doc, entities, extract_quotes(doc, entities)))
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for doc, entities, quotes in prepared:
            code_events(doc, entities, quotes)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def article_share(paths: list[Path]) -> dict[str, float]:
    nlp = load_nlp()
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    timings = Counter()
    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    timings["parse"] = time.perf_counter() - start
    for doc in docs:
        t0 = time.perf_counter()
        entities = extract_entities(doc)
        t1 = time.perf_counter()
        entities = code_actors(doc, entities)
        t2 = time.perf_counter()
        quotes = extract_quotes(doc, entities)
        t3 = time.perf_counter()
        code_events(doc, entities, quotes)
        t4 = time.perf_counter()
        timings["entities"] += t1 - t0
        timings["actors"] += t2 - t1
        timings["quotes"] += t3 - t2
        timings["events"] += t4 - t3
    timings["sentences"] = sum(1 for doc in docs for _ in doc.sents)
    return dict(timings)


CODERS: tuple[Coder, ...] = ("rules", "model", "combined")


def plover_section(records: list[dict], coders: tuple[Coder, ...]) -> None:
    texts = sorted({r["text"] for r in records})
    docs = parse(texts)
    halves = {"all": records}
    for name, parity in (("a", 0), ("b", 1)):
        halves[name] = [r for r in records if hashlib.sha1(r["text"].encode()).digest()[0] % 2 == parity]
    print(f"PLOVER dev gold: {len(texts)} sentences, {len(records)} gold events "
          "(half b: the half no rule was read from; the model never saw any of it)")
    print("  coder     part  sentences  top-1 type P/R/F1     dyad F1 (top-1)  all-events type F1  dyad F1 (all)")
    for coder in coders:
        events = dict(zip(texts, code_docs(docs, coder)))
        for part, chosen in halves.items():
            top1, every = score_plover(chosen, True, events), score_plover(chosen, False, events)
            p, r, f = top1["micro"]
            print(f"  {coder:9} {part:5} {top1['sentences']:9}  {p:.3f} {r:.3f} {f:.3f}   {top1['dyad'][2]:.3f}"
                  f"            {every['micro'][2]:.3f}               {every['dyad'][2]:.3f}")
        if coder == coders[-1]:
            worst = sorted(score_plover(records, True, events)["per_type"].items(), key=lambda kv: kv[1][2])
            print(f"  per-type top-1 F1 ({coder}): " + ", ".join(f"{t} {v[2]:.2f}" for t, v in worst))


def _corpus_side_match(text: str, spans: tuple, sides: tuple[EventActor, ...]) -> bool:
    if not spans:
        return True
    return any(_words(text[a:b]) & (_words(side.text) | _words(side.name or "")) for a, b in spans for side in sides)


def score_corpus(sentences: list, coded: list[tuple[Event, ...]], top1: bool) -> dict:
    """Type micro P/R/F1 over (sentence, type) pairs and full-dyad P/R/F1, against the annotation
    (top-1: the predicted most confident event against the annotated main event)."""
    types, dyad = Counter(), Counter()
    for sentence, events in zip(sentences, coded):
        gold = list(sentence.events[:1] if top1 else sentence.events)
        predicted = _predicted_for(events, top1)
        gold_types, pred_types = {g.type for g in gold}, {e.type for e in predicted}
        types["tp"] += len(gold_types & pred_types)
        types["fp"] += len(pred_types - gold_types)
        types["fn"] += len(gold_types - pred_types)
        dyad["gold"] += len(gold)
        dyad["pred"] += len(predicted)
        unmatched = list(gold)
        for event in predicted:
            hit = next((g for g in unmatched if g.type == event.type
                        and _corpus_side_match(sentence.text, g.actors, event.actors)
                        and _corpus_side_match(sentence.text, g.recipients, event.recipients)), None)
            if hit is not None:
                unmatched.remove(hit)
                dyad["tp"] += 1
    return {"type": prf(types["tp"], types["fp"], types["fn"]),
            "dyad": prf(dyad["tp"], dyad["pred"] - dyad["tp"], dyad["gold"] - dyad["tp"])}


def corpus_section(part: str, coders: tuple[Coder, ...]) -> dict[Coder, dict]:
    """Scores on one part of the annotated corpus: TEST (held out) or TUNE (where thresholds are set)."""
    sys.path.insert(0, str(ROOT / "bench/event_corpus"))
    from corpus import load_corpus

    from train_events import train_parts
    sentences = list(load_corpus("test")) if part == "test" else train_parts()[1]
    docs = parse([s.text for s in sentences])
    with_events = sum(1 for s in sentences if s.events)
    print(f"Corpus {part.upper()}: {len(sentences)} sentences, {with_events} with events, "
          f"{sum(len(s.events) for s in sentences)} events")
    print("  coder     top-1 type P/R/F1     top-1 dyad F1  all-events type P/R/F1  all dyad F1")
    results = {}
    for coder in coders:
        coded = code_docs(docs, coder)
        top1, every = score_corpus(sentences, coded, True), score_corpus(sentences, coded, False)
        results[coder] = {"top1": top1, "all": every}
        print(f"  {coder:9} {top1['type'][0]:.3f} {top1['type'][1]:.3f} {top1['type'][2]:.3f}   {top1['dyad'][2]:.3f}"
              f"          {every['type'][0]:.3f} {every['type'][1]:.3f} {every['type'][2]:.3f}"
              f"     {every['dyad'][2]:.3f}")
    return results


def _memoise_tagger() -> None:
    from wirescope.analysis.events.learned import load_tagger
    tagger = load_tagger()
    tag, memo = tagger.tag, {}

    def memoised(sentences):
        missing = [s for s in sentences if s not in memo]
        if missing:
            memo.update(zip(missing, tag(missing)))
        return [memo[s] for s in sentences]
    tagger.tag = memoised  # type: ignore[method-assign]


# The constants ``--grid`` varies (analysis/events/combine.py's, and coder.py's confidence weights),
# and how a value is read.
GRID_CONSTANTS: dict[str, Callable[[str], object]] = {
    "PROPOSAL_MIN": float, "OVERRIDE_MIN": float, "CONFIRM_MIN": float, "RULES_ALONE_MIN": float, "EVENT_MIN": float,
    "NEEDS_A_SIDE": lambda v: v.lower() in ("1", "true", "yes"),
    "CONFIDENCE_ACTOR": float, "CONFIDENCE_RECIPIENT": float, "CONFIDENCE_SUBORDINATE": float}


def _owner(name: str) -> ModuleType:
    """The module that holds the constant ``name``."""
    from wirescope.analysis.events import coder, combine
    return coder if name.startswith("CONFIDENCE_") else combine


def grid_points(spec: str) -> list[dict]:
    """The points of ``--grid "PROPOSAL_MIN=0.6,0.7,0.8 NEEDS_A_SIDE=0,1"``: every combination of
    the values named; a constant not named keeps its shipped value. CONFIRM_MIN above OVERRIDE_MIN
    acts as OVERRIDE_MIN (combine.combined_trigger), so such points are left out."""
    from itertools import product

    axes = {name: [getattr(_owner(name), name)] for name in GRID_CONSTANTS}
    for item in spec.split():
        name, _, values = item.partition("=")
        if name not in GRID_CONSTANTS or not values:
            raise SystemExit(f"--grid: {item!r} is not NAME=v1,v2 with NAME one of {', '.join(GRID_CONSTANTS)}")
        axes[name] = [GRID_CONSTANTS[name](v) for v in values.split(",")]
    points = [dict(zip(axes, values)) for values in product(*axes.values())]
    return [p for p in points if p["CONFIRM_MIN"] <= p["OVERRIDE_MIN"]]


def _point_name(point: dict) -> str:
    return " ".join(f"{name}={value}" for name, value in point.items())


def tune_section(spec: str = "", top: int = 10) -> None:
    """Grid of the combination's thresholds on the TUNE part (never TEST, never the PLOVER gold):
    criterion all-events type F1 + all-events dyad F1 of the combined coder (every event it emits
    counts, as a reader of the page sees them; top-1 alone would not charge the extra events).
    The parse, entities, quotes and the tagger's output do not depend on the thresholds: each is
    computed once, so a point costs the combination and the rules only."""
    sys.path.insert(0, str(ROOT / "bench/event_corpus"))
    from train_events import train_parts
    sentences = train_parts()[1]
    prepared = []
    for doc in parse([s.text for s in sentences]):
        entities = code_actors(doc, extract_entities(doc))
        prepared.append((doc, entities, extract_quotes(doc, entities)))
    _memoise_tagger()  # the grid changes thresholds only: tag each sentence once
    shipped = {name: getattr(_owner(name), name) for name in GRID_CONSTANTS}
    points = grid_points(spec)
    print(f"TUNE part: {len(sentences)} sentences; combined coder, {len(points)} points; top-1 type F1 / "
          "top-1 dyad F1 / all-events type F1 / all-events dyad F1 / events per sentence / criterion "
          "(all-events type F1 + all-events dyad F1)")
    rows = []
    start = time.perf_counter()
    for point in points:
        for name, value in point.items():
            setattr(_owner(name), name, value)
        coded = [code_events(doc, entities, quotes) for doc, entities, quotes in prepared]
        top1, every = score_corpus(sentences, coded, True), score_corpus(sentences, coded, False)
        figures = (top1["type"][2], top1["dyad"][2], every["type"][2], every["dyad"][2],
                   sum(len(c) for c in coded) / len(coded))
        rows.append((figures[2] + figures[3], figures, point))
        print(f"  {_point_name(point)}: " + " ".join(f"{f:.3f}" for f in figures)
              + f" {figures[2] + figures[3]:.3f}", flush=True)
    for name, value in shipped.items():
        setattr(_owner(name), name, value)
    ranked = sorted(rows, key=lambda row: -row[0])
    print(f"{len(points)} points in {time.perf_counter() - start:.0f} s; the best {top}:")
    for score, figures, point in ranked[:top]:
        mark = "  (shipped)" if point == shipped else ""
        print(f"  {score:.3f} = {figures[2]:.3f} + {figures[3]:.3f}  {_point_name(point)}{mark}")
    rank = next((i for i, row in enumerate(ranked, 1) if row[2] == shipped), None)
    if rank is not None:
        print(f"shipped point: rank {rank}, criterion {ranked[rank - 1][0]:.3f}")


def _training_units() -> set[tuple[str, str | None]]:
    """(file, record) of every corpus unit in the TRAIN split: never scored below."""
    units = ROOT / "bench/event_corpus/units.jsonl"
    rows = [json.loads(line) for line in units.open(encoding="utf-8")]
    return {(r["file"], r["record"]) for r in rows if r["split"] == "train"}


def case_section(data: Path, coders: tuple[Coder, ...]) -> None:
    path = data / "extra/case2021-task2/case2021_task2_dev.tsv"
    if not path.exists():
        return
    sys.path.insert(0, str(ROOT / "bench/event_corpus"))
    from crosscheck import CASE_TO_PLOVER  # the one mapping of CASE classes to PLOVER types
    from sources import CASE, sentence_spans
    trained = _training_units()
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:]]
    rows = [r for r in rows if len(r) == 3 and r[2] in CASE_TO_PLOVER and (CASE, r[0]) not in trained]
    firsts = [next(iter(sentence_spans(r[1])), (0, len(r[1]))) for r in rows]
    texts = [r[1][a:b] for r, (a, b) in zip(rows, firsts)]
    docs = parse(texts)
    print(f"CASE 2021 task-2 dev, mapped to PLOVER ({len(rows)} snippets not in the corpus' TRAIN, first "
          "sentence): share whose class's type is the top-1 event / among the events")
    for coder in coders:
        coded = code_docs(docs, coder)
        top = sum(bool(e) and max(e, key=lambda x: x.confidence).type == CASE_TO_PLOVER[r[2]]
                  for r, e in zip(rows, coded))
        anywhere = sum(CASE_TO_PLOVER[r[2]] in {x.type for x in e} for r, e in zip(rows, coded))
        print(f"  {coder:9} top-1 {top / len(rows):.3f}   any {anywhere / len(rows):.3f}")


def quad_section(data: Path, coders: tuple[Coder, ...]) -> None:
    quad_path = data / "conflibert_cameo/cameo_class_train.tsv"
    if not quad_path.exists():
        return
    sys.path.insert(0, str(ROOT / "bench/event_corpus"))
    from sources import CONFLIBERT
    trained = _training_units()
    lines = quad_path.read_text(encoding="utf-8").splitlines()
    rows = [(line.rsplit("\t", 1)[0], int(line.rsplit("\t", 1)[1])) for i, line in enumerate(lines)
            if "\t" in line and line.rsplit("\t", 1)[1].strip().isdigit() and (CONFLIBERT, str(i)) not in trained]
    docs = parse([text for text, _ in rows])
    gold = [label for _, label in rows]
    majority = Counter(gold).most_common(1)[0]
    print(f"QuadClass (ConfliBERT CAMEO train sentences not in the corpus' TRAIN: {len(rows)}); majority class "
          f"{majority[0]} baseline {majority[1] / len(rows):.3f}")
    for coder in coders:
        predicted = [quad_class(e) for e in code_docs(docs, coder)]
        correct = sum(p == g for p, g in zip(predicted, gold))
        print(f"  {coder:9} accuracy {correct / len(rows):.3f}")


def speed_section(records: list[dict], articles: list[Path]) -> None:
    texts = sorted({r["text"] for r in records})
    docs = parse(texts)
    print(f"Speed: code_events given the parse: {speed(texts, docs):,.0f} sentences/s (best of 5)")
    if articles:
        t = article_share(articles)
        total = t["parse"] + t["entities"] + t["actors"] + t["quotes"] + t["events"]
        print(f"  {len(articles)} PolNeAR dev articles, {int(t['sentences'])} sentences: parse {t['parse']:.2f} s, "
              f"entities {t['entities']:.2f} s, actors {t['actors']:.2f} s, quotes {t['quotes']:.2f} s, "
              f"events {t['events']:.2f} s = {100 * t['events'] / total:.1f}% of the analysis "
              f"({100 * t['events'] / t['parse']:.1f}% of the parse); "
              f"{t['sentences'] / t['events']:,.0f} article sentences/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--coder", choices=(*CODERS, "all"), default="all")
    parser.add_argument("--only", choices=("plover", "corpus", "case", "quad", "speed", "tune"))
    parser.add_argument("--speed-articles", type=int, default=84)
    parser.add_argument("--grid", default="", help='with --only tune: "PROPOSAL_MIN=0.6,0.7 NEEDS_A_SIDE=0,1" '
                        "(constants of analysis/events/combine.py; unnamed ones keep their value)")
    args = parser.parse_args()
    data = shared_dir() / "data/events"
    if not data.is_dir():
        print(f"SKIP: {data} not found (set WIRESCOPE_SHARED)")
        return
    coders = CODERS if args.coder == "all" else (args.coder,)
    records = json.loads((data / "plover/plover_gold_dev.json").read_text(encoding="utf-8"))
    if args.only == "tune":
        tune_section(args.grid)
        return
    if args.only in (None, "plover"):
        plover_section(records, coders)
    if args.only in (None, "corpus"):
        corpus_section("test", coders)
    if args.only in (None, "case"):
        case_section(data, coders)
    if args.only in (None, "quad"):
        quad_section(data, coders)
    if args.only in (None, "speed"):
        articles = sorted((shared_dir() / "data/quotes/polnear/dev/text").glob("*.txt"))[: args.speed_articles]
        speed_section(records, articles)


if __name__ == "__main__":
    main()
