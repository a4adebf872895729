"""Experiment: a sentence-level PLOVER type classifier, cross-validated on the gold, over the rules.

    PYTHONPATH=src:bench .venv/bin/python bench/events_learned.py [--seeds 3]

Reads ../shared/data/events/plover/plover_gold_dev.json like bench/events.py (override the shared
folder with WIRESCOPE_SHARED) and prints SKIP when it is absent. Nothing is shipped.

Protocol
--------
The 216 gold sentences are parsed and coded once by the rule coder, as in bench/events.py. A
logistic regression predicts one PLOVER type per sentence from cheap run-time features:

* ``E``: the shipped static embedding of the sentence (``wirescope.analysis.framing.bias``'s model2vec, L2-normed);
* ``L``: binary bag of the lowercased lemmas of its verbs and nouns (vocabulary fitted in-fold);
* ``R``: the rule coder's own output: max confidence per candidate type, top-1 type one-hot,
  top-1 confidence, a no-event flag.

Outer 5-fold CV (shuffled KFold, one seed per repeat): every sentence is scored only by a model
fitted on the other four folds. Inside each training part, an inner 4-fold CV gives out-of-fold
probabilities from which C and the two combination thresholds are chosen (criterion: top-1 type
micro-F1 + full-dyad F1 on the training sentences); the held-out fold is never used for a choice.

Combination (one event per sentence, so "top-1" scoring): the classifier's type ``c`` with
probability ``p``
* replaces nothing where the rules agree or ``p`` is below the override threshold;
* where the rules emit no event: an event of type ``c`` with no sides, if ``p`` >= the fallback
  threshold;
* where it overrides: the rules' own event of type ``c`` if they have one (its sides), else the
  rules' top event with its type changed to ``c`` (its actor / recipient kept): dyad is scored on
  those real sides, never on gold ones.
"Classifier alone" always takes ``c``, with sides chosen the same way.

Scores: ``score_plover`` of bench/events.py (top-1 type micro-F1, full-dyad F1), on all 216 and
on half b (sha1 first byte odd: the half the rules were never tuned on).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from dataclasses import dataclass, replace
from itertools import product

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from events import TYPES, analyse_docs, score_plover, shared_dir
from wirescope.records import Event, TextSpan

C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)  # the embedding block needs large C (small values)
NEVER = 1.01  # a threshold no probability reaches: that branch is off
FALLBACK_GRID = (NEVER, 0.6, 0.5, 0.4, 0.3, 0.2, 0.0)  # high first: ties keep the rules
OVERRIDE_GRID = (NEVER, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4)
VARIANTS = ("E", "L", "R", "ELR")


@dataclass(frozen=True)
class Data:
    texts: list[str]
    labels: np.ndarray  # first gold type of each sentence: the gold codes one event per sentence
    rule_events: list[tuple[Event, ...]]
    embeddings: np.ndarray
    lemmas: list[list[str]]
    rule_features: np.ndarray
    half_b: np.ndarray  # bool mask


def half_b_mask(texts: list[str]) -> np.ndarray:
    return np.array([hashlib.sha1(t.encode()).digest()[0] % 2 == 1 for t in texts])


def rule_features(events: tuple[Event, ...]) -> np.ndarray:
    """What the rules say, as numbers: lets the classifier learn when to trust them."""
    per_type = np.zeros(len(TYPES))
    top = np.zeros(len(TYPES))
    for e in events:
        i = TYPES.index(e.type)
        per_type[i] = max(per_type[i], e.confidence)
    if events:
        best = max(events, key=lambda e: e.confidence)
        top[TYPES.index(best.type)] = 1.0
        extra = [best.confidence, 0.0]
    else:
        extra = [0.0, 1.0]
    return np.concatenate([per_type, top, extra])


def verb_noun_lemmas(doc) -> list[str]:
    return [t.lemma_.lower() for t in doc if t.pos_ in ("VERB", "NOUN") and not t.is_stop]


def load(records: list[dict]) -> Data:
    from wirescope.analysis.framing.bias import load_bias_model

    texts = sorted({r["text"] for r in records})
    first_type: dict[str, str] = {}
    for r in records:
        first_type.setdefault(r["text"], r["event"])
    docs, coded = analyse_docs(texts)
    emb = np.asarray(load_bias_model().embedder.encode(texts), dtype=np.float64)  # type: ignore[attr-defined]
    emb /= np.linalg.norm(emb, axis=1, keepdims=True) + 1e-9
    return Data(texts=texts, labels=np.array([first_type[t] for t in texts]), rule_events=coded,
                embeddings=emb, lemmas=[verb_noun_lemmas(d) for d in docs],
                rule_features=np.vstack([rule_features(e) for e in coded]), half_b=half_b_mask(texts))


def fit_predict(data: Data, variant: str, train: np.ndarray, test: np.ndarray, c: float,
                ) -> tuple[np.ndarray, np.ndarray]:
    """Fit on ``train`` rows only (the lemma vocabulary too); return (probabilities of test, classes)."""
    blocks_train, blocks_test = [], []
    if "E" in variant:
        blocks_train.append(data.embeddings[train])
        blocks_test.append(data.embeddings[test])
    if "L" in variant:
        vec = CountVectorizer(analyzer=lambda x: x, binary=True, min_df=2)
        blocks_train.append(vec.fit_transform([data.lemmas[i] for i in train]).toarray())
        blocks_test.append(vec.transform([data.lemmas[i] for i in test]).toarray())
    if "R" in variant:
        blocks_train.append(data.rule_features[train])
        blocks_test.append(data.rule_features[test])
    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit(np.hstack(blocks_train), data.labels[train])
    return clf.predict_proba(np.hstack(blocks_test)), clf.classes_


def _sided(events: tuple[Event, ...], text: str, kind: str) -> Event:
    """An event of type ``kind``: the rules' own if any (its sides), else their top one retyped."""
    same = [e for e in events if e.type == kind]
    if same:
        return max(same, key=lambda e: e.confidence)
    if events:
        return replace(max(events, key=lambda e: e.confidence), type=kind)
    span = TextSpan(0, len(text), text)
    return Event(id="learned", type=kind, trigger=span, sentence=span)


def combine(events: tuple[Event, ...], text: str, kind: str, p: float, fallback: float,
            override: float) -> tuple[Event, ...]:
    if not events:
        return (_sided(events, text, kind),) if p >= fallback else ()
    top = max(events, key=lambda e: e.confidence)
    if kind != top.type and p >= override:
        return (_sided(events, text, kind),)
    return (top,)


def scores(records: list[dict], events: dict[str, tuple[Event, ...]]) -> tuple[float, float]:
    s = score_plover(records, True, events)
    return s["micro"][2], s["dyad"][2]


def combined_events(data: Data, rows: np.ndarray, probs: np.ndarray, classes: np.ndarray,
                    fallback: float, override: float) -> dict[str, tuple[Event, ...]]:
    out = {}
    for i, p in zip(rows, probs):
        j = int(np.argmax(p))
        out[data.texts[i]] = combine(data.rule_events[i], data.texts[i], str(classes[j]),
                                     float(p[j]), fallback, override)
    return out


def choose(data: Data, records_by_text: dict[str, list[dict]], variant: str, train: np.ndarray,
           seed: int) -> tuple[float, float, float]:
    """C, fallback and override thresholds from inner out-of-fold probabilities of ``train`` only."""
    recs = [r for i in train for r in records_by_text[data.texts[i]]]
    best, best_key = (C_GRID[0], NEVER, NEVER), -1.0
    for c in C_GRID:
        probs = np.zeros((len(train), len(TYPES)))
        for inner_train, inner_test in KFold(4, shuffle=True, random_state=seed).split(train):
            p, classes = fit_predict(data, variant, train[inner_train], train[inner_test], c)
            probs[np.ix_(inner_test, [TYPES.index(k) for k in classes])] = p
        for fb, ov in product(FALLBACK_GRID, OVERRIDE_GRID):
            f_type, f_dyad = scores(recs, combined_events(data, train, probs, np.array(TYPES), fb, ov))
            if f_type + f_dyad > best_key + 1e-9:
                best, best_key = (c, fb, ov), f_type + f_dyad
    return best


def cross_validate(data: Data, records_by_text: dict[str, list[dict]], variant: str, seed: int,
                   ) -> tuple[dict[str, tuple[Event, ...]], dict[str, tuple[Event, ...]], list]:
    """Outer 5-fold: (combined events, classifier-alone events, chosen settings per fold)."""
    combined: dict[str, tuple[Event, ...]] = {}
    alone: dict[str, tuple[Event, ...]] = {}
    chosen = []
    rows = np.arange(len(data.texts))
    for train, test in KFold(5, shuffle=True, random_state=seed).split(rows):
        c, fb, ov = choose(data, records_by_text, variant, train, seed)
        chosen.append((c, fb, ov))
        probs, classes = fit_predict(data, variant, train, test, c)
        combined.update(combined_events(data, test, probs, classes, fb, ov))
        alone.update(combined_events(data, test, probs, classes, 0.0, 0.0))
    return combined, alone, chosen


def runtime_cost(data: Data) -> float:
    """Seconds per sentence for the features and a prediction (embedding + lemmas + LR), best of 3."""
    from wirescope.analysis.framing.bias import load_bias_model

    embedder = load_bias_model().embedder
    rows = np.arange(len(data.texts))
    vec = CountVectorizer(analyzer=lambda x: x, binary=True, min_df=2).fit(data.lemmas)
    clf = LogisticRegression(max_iter=3000).fit(
        np.hstack([data.embeddings, vec.transform(data.lemmas).toarray(), data.rule_features]), data.labels)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for i in rows:  # one sentence at a time, as the pipeline would call it
            e = np.asarray(embedder.encode([data.texts[i]]))  # type: ignore[attr-defined]
            x = np.hstack([e, vec.transform([data.lemmas[i]]).toarray(), data.rule_features[i:i + 1]])
            clf.predict_proba(x)
        best = min(best, time.perf_counter() - start)
    return best / len(rows)


def complementarity(records: list[dict], rules: dict[str, tuple[Event, ...]],
                    alone: dict[str, tuple[Event, ...]]) -> tuple[int, int, int, int]:
    """Top-1 right (rules, classifier), classifier right where the rules are wrong, and the reverse.

    The third number bounds what any gate between the two could gain (in sentences).
    """
    gold: dict[str, set[str]] = {}
    for r in records:
        gold.setdefault(r["text"], set()).add(r["event"])

    def right(events: tuple[Event, ...], text: str) -> bool:
        return bool(events) and max(events, key=lambda e: e.confidence).type in gold[text]

    rr = [right(rules[t], t) for t in gold]
    cr = [right(alone[t], t) for t in gold]
    return (sum(rr), sum(cr), sum(c and not r for r, c in zip(rr, cr)),
            sum(r and not c for r, c in zip(rr, cr)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=3, help="outer CV repeats (seeds 0..N-1)")
    args = parser.parse_args()
    path = shared_dir() / "data/events/plover/plover_gold_dev.json"
    if not path.exists():
        print(f"SKIP: {path} not found (set WIRESCOPE_SHARED)")
        return
    records = json.loads(path.read_text(encoding="utf-8"))
    by_text: dict[str, list[dict]] = {}
    for r in records:
        by_text.setdefault(r["text"], []).append(r)
    data = load(records)
    records_b = [r for r in records if hashlib.sha1(r["text"].encode()).digest()[0] % 2 == 1]
    rules = dict(zip(data.texts, data.rule_events))

    def row(name: str, runs: list[dict[str, tuple[Event, ...]]]) -> str:
        cells = []
        for recs in (records, records_b):
            figs = np.array([scores(recs, ev) for ev in runs])
            for k in (0, 1):
                m, lo, hi = figs[:, k].mean(), figs[:, k].min(), figs[:, k].max()
                cells.append(f"{m:.3f}" if hi - lo < 5e-4 else f"{m:.3f} ({lo:.3f}-{hi:.3f})")
        return f"| {name} | " + " | ".join(cells) + " |"

    print(f"PLOVER gold: {len(data.texts)} sentences ({int(data.half_b.sum())} in half b); "
          f"outer 5-fold CV x {args.seeds} seeds, mean (min-max)\n")
    print("| top-1 | all: type micro-F1 | all: dyad F1 | half b: type micro-F1 | half b: dyad F1 |")
    print("|---|---|---|---|---|")
    print(row("rules alone", [rules]))
    notes = []
    for variant in VARIANTS:
        combined, alone, chosen = [], [], []
        for seed in range(args.seeds):
            c, a, ch = cross_validate(data, by_text, variant, seed)
            combined.append(c)
            alone.append(a)
            chosen.extend(ch)
        print(row(f"classifier {variant} alone", alone))
        print(row(f"rules + classifier {variant}", combined))
        settings = ", ".join(f"C={c} fb={fb} ov={ov}" for c, fb, ov in chosen[:5])
        notes.append(f"{variant}, chosen per fold (seed 0): {settings}")
        r_ok, c_ok, gain, loss = complementarity(records, rules, alone[0])
        notes.append(f"{variant} alone (seed 0), all 216: top-1 right rules {r_ok}, classifier {c_ok}; "
                     f"classifier right where rules wrong {gain} (ceiling of any gate), the reverse {loss}")
    print("\n" + "\n".join(notes))
    print(f"Run-time cost of the ELR classifier, one sentence at a time: "
          f"{1e6 * runtime_cost(data):.0f} us/sentence")


if __name__ == "__main__":
    main()
