"""Benchmark of the event layer (wirescope.events.code_events) on PLOVER gold and ConfliBERT CAMEO.

    .venv/bin/python bench/events.py [--half all|a|b] [--speed-articles N]

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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wirescope.analysis.actors import code_actors
from wirescope.analysis.entities import extract_entities
from wirescope.analysis.events import code_events
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


def analyse_docs(texts: list[str]) -> tuple[list, list[tuple[Event, ...]]]:
    nlp = load_nlp()
    docs = list(nlp.pipe(texts, batch_size=64))
    events = []
    for doc in docs:
        entities = code_actors(doc, extract_entities(doc))
        events.append(code_events(doc, entities, extract_quotes(doc, entities)))
    return docs, events


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=("all", "a", "b"), default="all")
    parser.add_argument("--speed-articles", type=int, default=84)
    args = parser.parse_args()
    data = shared_dir() / "data/events"
    if not data.is_dir():
        print(f"SKIP: {data} not found (set WIRESCOPE_SHARED)")
        return
    records = json.loads((data / "plover/plover_gold_dev.json").read_text(encoding="utf-8"))
    if args.half != "all":
        parity = 0 if args.half == "a" else 1
        records = [r for r in records
                   if hashlib.sha1(r["text"].encode()).digest()[0] % 2 == parity]
    texts = sorted({r["text"] for r in records})
    docs, coded = analyse_docs(texts)
    events = dict(zip(texts, coded))
    print(f"PLOVER gold ({args.half}): {len(texts)} sentences, {len(records)} gold events, "
          f"{sum(len(e) for e in coded)} predicted events")
    for label, top1 in (("all events", False), ("top-1 per sentence", True)):
        s = score_plover(records, top1, events)
        p, r, f = s["micro"]
        print(f"  [{label}] event type micro P {p:.3f} R {r:.3f} F1 {f:.3f}; macro F1 {s['macro_f1']:.3f}")
        ah, at = s["actor"]
        rh, rt = s["recipient"]
        print(f"  [{label}] actor match {ah}/{at} = {ah / max(at, 1):.3f}; recipient match "
              f"{rh}/{rt} = {rh / max(rt, 1):.3f}")
        p, r, f = s["dyad"]
        print(f"  [{label}] full dyad (type + actor + recipient) P {p:.3f} R {r:.3f} F1 {f:.3f}")
        if not top1:
            worst = sorted(s["per_type"].items(), key=lambda kv: kv[1][2])
            print("  per-type F1: " + ", ".join(f"{t} {v[2]:.2f}" for t, v in worst))

    quad_path = data / "conflibert_cameo/cameo_class_train.tsv"
    if quad_path.exists():
        rows = [line.rsplit("\t", 1) for line in quad_path.read_text(encoding="utf-8").splitlines() if "\t" in line]
        rows = [(text, int(label)) for text, label in rows if label.strip().isdigit()]
        _, quad_events = analyse_docs([text for text, _ in rows])
        predicted = [quad_class(e) for e in quad_events]
        gold = [label for _, label in rows]
        correct = sum(p == g for p, g in zip(predicted, gold))
        majority = Counter(gold).most_common(1)[0]
        print(f"QuadClass (ConfliBERT CAMEO train, {len(rows)} sentences, nothing trained): accuracy "
              f"{correct / len(rows):.3f}; majority class {majority[0]} baseline {majority[1] / len(rows):.3f}")
        confusion = Counter(zip(gold, predicted))
        print("  gold\\pred " + " ".join(f"{c:>5}" for c in range(5)))
        for g in range(5):
            print(f"  {g:>9} " + " ".join(f"{confusion[(g, c)]:>5}" for c in range(5)))

    print(f"Speed: code_events given the parse: {speed(texts, docs):,.0f} sentences/s (best of 5)")
    articles = sorted((shared_dir() / "data/quotes/polnear/dev/text").glob("*.txt"))[: args.speed_articles]
    if articles:
        t = article_share(articles)
        total = t["parse"] + t["entities"] + t["actors"] + t["quotes"] + t["events"]
        print(f"  {len(articles)} PolNeAR dev articles, {int(t['sentences'])} sentences: parse {t['parse']:.2f} s, "
              f"entities {t['entities']:.2f} s, actors {t['actors']:.2f} s, quotes {t['quotes']:.2f} s, "
              f"events {t['events']:.2f} s = {100 * t['events'] / total:.1f}% of the analysis "
              f"({100 * t['events'] / t['parse']:.1f}% of the parse); "
              f"{t['sentences'] / t['events']:,.0f} article sentences/s")


if __name__ == "__main__":
    main()
