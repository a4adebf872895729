"""Tone benchmarks (issue 18, item 3): NewsMTSC entity sentiment and the cost per document.

    PYTHONPATH=src HF_HUB_OFFLINE=1 nice python bench/tone.py
    PYTHONPATH=src HF_HUB_OFFLINE=1 nice python bench/tone.py --cost-texts 0    # accuracy only

1. NewsMTSC (Hamborg & Donnay 2021): the sentiment of a news sentence concerning a target mention,
   negative / neutral / positive; macro-F1 and accuracy over targets. Splits as bench/train_tone.py
   makes them: the shipped classifiers were fitted on train.jsonl with settings chosen on the *dev*
   halves of devtest_rw and devtest_mt (cut by document); the *test* halves were not looked at
   while choosing and are the figures to quote. Systems, all in this run:
   - lexicon, sentence (GDELT-style): sign of positive minus negative opinion words (Hu & Liu) in
     the whole sentence, no negation handling; equal counts are neutral;
   - lexicon, window: the same with negation flipped, over the words within the shipped window of
     the mention;
   - sentence tone: the shipped sentence classifier (ignores where the target is);
   - target tone: the shipped target classifier (what ``actor_tones`` uses).
   A classifier's class is its most probable one.
2. Cost: ``actor_tones`` + ``document_tone`` + ``gdelt_tone`` per document on PolNeAR texts (parsed
   by spaCy first, entities by wirescope; the parse is not counted), in ms per 1,000 words.

Needs ../shared (or WIRESCOPE_SHARED); prints SKIP and exits 0 without it.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_tone import NEWSMTSC, SHARED, Target, labels, splits, target_items

POLNEAR = SHARED / "data/quotes/polnear"
PARTS = ("dev_rw", "dev_mt", "dev", "test_rw", "test_mt", "test")


def lexicon_sentence(targets: list[Target]) -> np.ndarray:
    from wirescope.analysis.framing.tone import featuriser, gdelt_tone

    featuriser()  # the lexicons load with the static model; not part of any score
    return np.asarray([int(np.sign(gdelt_tone(t.sentence).tone)) + 1 for t in targets])


def lexicon_window(targets: list[Target]) -> np.ndarray:
    from wirescope.analysis.framing.tone import opinion_words, tone_model

    model = tone_model()
    classes = []
    for t in targets:
        words = opinion_words(t.sentence, model.features.positive, model.features.negative)
        near = [w for w in words if w.end <= t.start][-model.window:] + [w for w in words if w.start >= t.end][
            : model.window]
        classes.append(int(np.sign(sum(w.polarity for w in near))) + 1)
    return np.asarray(classes)


def sentence_classifier(targets: list[Target]) -> np.ndarray:
    from wirescope.analysis.framing.tone import tone_model

    model = tone_model()
    return model.sentence.probabilities(model.features.sentence_features([t.sentence for t in targets])).argmax(1)


def target_classifier(targets: list[Target]) -> np.ndarray:
    from wirescope.analysis.framing.tone import tone_model

    model = tone_model()
    return model.target.probabilities(model.features.target_features(target_items(targets), model.window)).argmax(1)


SYSTEMS: dict[str, Callable[[list[Target]], np.ndarray]] = {
    "lexicon, sentence (GDELT-style)": lexicon_sentence,
    "lexicon, window + negation": lexicon_window,
    "sentence tone (classifier)": sentence_classifier,
    "target tone (classifier, shipped)": target_classifier,
}


def scores(gold: np.ndarray, predicted: np.ndarray) -> list[float]:
    """macro-F1, accuracy, then F1 of negative, neutral, positive."""
    from sklearn.metrics import accuracy_score, f1_score

    per_class = f1_score(gold, predicted, average=None, labels=[0, 1, 2])
    return [float(f1_score(gold, predicted, average="macro", labels=[0, 1, 2])),
            float(accuracy_score(gold, predicted)), *map(float, per_class)]


def newsmtsc_table() -> None:
    parts = splits()
    print(f"NewsMTSC targets: train {len(parts['train'])} (fitting only); " +
          ", ".join(f"{p} {len(parts[p])}" for p in PARTS) + ". dev = tuned on; test = held out.\n")
    print(f"| {'system':<34} | part    | macro-F1 | accuracy | F1 neg | F1 neu | F1 pos |")
    print(f"|{'-' * 36}|---------|----------|----------|--------|--------|--------|")
    for name, system in SYSTEMS.items():
        for part in PARTS:
            macro, accuracy, neg, neu, pos = scores(labels(parts[part]), system(parts[part]))
            print(f"| {name:<34} | {part:<7} | {macro:8.3f} | {accuracy:8.3f} | {neg:6.3f} | {neu:6.3f} | "
                  f"{pos:6.3f} |", flush=True)


def cost_table(limit: int) -> None:
    files = sorted((POLNEAR / "train" / "text").glob("*.txt"))[:limit]
    if not files:
        print(f"cost: SKIP, no PolNeAR texts under {POLNEAR}")
        return
    from wirescope.analysis.entities import extract_entities
    from wirescope.analysis.framing.tone import actor_tones, document_tone, gdelt_tone
    from wirescope.analysis.nlp import load_nlp

    texts = [f.read_text(encoding="utf-8") for f in files]
    nlp = load_nlp()
    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    parse = time.perf_counter() - started
    inputs = [(doc.text, [(s.start_char, s.end_char) for s in doc.sents], extract_entities(doc)) for doc in docs]
    timings = {"actor_tones": 0.0, "document_tone": 0.0, "gdelt_tone": 0.0}
    scored = 0
    for text, sentences, entities in inputs:
        started = time.perf_counter()
        scored += len(actor_tones(text, sentences, entities))
        timings["actor_tones"] += time.perf_counter() - started
        started = time.perf_counter()
        document_tone(text, sentences)
        timings["document_tone"] += time.perf_counter() - started
        started = time.perf_counter()
        gdelt_tone(text)
        timings["gdelt_tone"] += time.perf_counter() - started
    words = sum(sum(not t.is_punct and not t.is_space for t in doc) for doc in docs)
    entities = sum(len(e) for _, _, e in inputs)
    print(f"\nCost on {len(docs)} PolNeAR train texts, {words} words, {entities} entities ({scored} with a tone); "
          f"for scale, the spaCy parse alone: {parse:.2f} s = {1e6 * parse / words:.1f} ms per 1,000 words")
    print("| step          | total s | ms per document | ms per 1,000 words |")
    print("|---------------|---------|-----------------|--------------------|")
    for name, seconds in [*timings.items(), ("all three", sum(timings.values()))]:
        print(f"| {name:<13} | {seconds:7.2f} | {1000 * seconds / len(docs):15.1f} | "
              f"{1000 * seconds / words * 1000:18.1f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cost-texts", type=int, default=100, help="PolNeAR texts for the cost part (0: skip)")
    args = parser.parse_args()
    if not NEWSMTSC.is_dir():
        print(f"SKIP: {NEWSMTSC} not found (set WIRESCOPE_SHARED)")
        return 0
    print(f"$ python bench/tone.py {' '.join(sys.argv[1:])}".rstrip() + f"   # {datetime.now():%Y-%m-%d %H:%M}")
    from wirescope.analysis.framing.tone import tone_model

    started = time.perf_counter()
    tone_model()
    print(f"tone model (static embedding, lexicons, classifiers) loads in {time.perf_counter() - started:.2f} s\n")
    newsmtsc_table()
    if args.cost_texts:
        cost_table(args.cost_texts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
