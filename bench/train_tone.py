"""Build the tone classifiers shipped in src/wirescope/data/tone_model/ (issue 18, item 3).

    PYTHONPATH=src HF_HUB_OFFLINE=1 nice python bench/train_tone.py

Data: NewsMTSC (Hamborg & Donnay 2021, MIT; ../shared/data/framing/entity-sentiment-newsmtsc): news
sentences with one or more target mentions, each labelled negative / neutral / positive "concerning
the target". NewsMTSC ships train.jsonl and two evaluation sets without a dev/test division
(devtest_rw, "real-world" sentences, and devtest_mt, sentences with several targets). Here:

* train: all of train.jsonl (the only data the classifiers are fitted on);
* dev / test: devtest_rw and devtest_mt each cut by *document* (the article part of the sentence id,
  e.g. ``allsides_1000_401``) into two halves by a hash of the document key, so that no article has
  sentences in both; ``dev`` chooses the settings, ``test`` is scored by bench/tone.py only.

Steps: features from wirescope.analysis.framing.tone (the same code that scores at run time); for the
target classifier a grid over the context window (words each side of the mention), C and class
weighting, for the sentence classifier over C and class weighting; each setting fitted on train and
scored by macro-F1 on dev; the best refitted on train and written to classifier.json with NOTICE.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from itertools import product
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WIRESCOPE_SHARED") or REPO.parent / "shared")
NEWSMTSC = SHARED / "data/framing/entity-sentiment-newsmtsc"
OUT = REPO / "src/wirescope/data/tone_model"
# NewsMTSC polarity -> class index (the classifier's row order: negative, neutral, positive).
CLASSES = {2.0: 0, 4.0: 1, 6.0: 2}
WINDOWS = (3, 5, 8)
C_GRID = (0.0001, 0.0003, 0.001, 0.003, 0.01)
WEIGHTS = (None, "balanced")


@dataclass(frozen=True)
class Target:
    """One labelled mention: the sentence, the mention's [start, end) in it, its class, its document."""

    sentence: str
    start: int
    end: int
    label: int
    document: str
    sentence_id: str


def document_key(gid: str) -> str:
    """The article part of a NewsMTSC id: "allsides_1000_401_25_..." -> "allsides_1000_401",
    "polusa_v1_115843600_-1_3_..." -> "polusa_v1_115843600"."""
    return "_".join(gid.split("_")[:3])


def half(document: str) -> str:
    """'dev' or 'test' for an evaluation document: a fixed hash, the same in both evaluation sets."""
    return "dev" if hashlib.sha1(document.encode()).digest()[0] % 2 == 0 else "test"


def read_targets(name: str) -> list[Target]:
    targets = []
    with (NEWSMTSC / f"{name}.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            for target in row["targets"]:
                targets.append(Target(row["sentence_normalized"], int(target["from"]), int(target["to"]),
                                      CLASSES[float(target["polarity"])], document_key(row["primary_gid"]),
                                      row["primary_gid"]))
    return targets


def splits() -> dict[str, list[Target]]:
    """train, dev and test (dev_rw + dev_mt, test_rw + test_mt; the parts are also kept by name)."""
    parts: dict[str, list[Target]] = {"train": read_targets("train")}
    for name in ("rw", "mt"):
        rows = read_targets(f"devtest_{name}")
        for which in ("dev", "test"):
            parts[f"{which}_{name}"] = [t for t in rows if half(t.document) == which]
    parts["dev"] = parts["dev_rw"] + parts["dev_mt"]
    parts["test"] = parts["test_rw"] + parts["test_mt"]
    return parts


def labels(targets: list[Target]) -> np.ndarray:
    return np.asarray([t.label for t in targets])


def target_items(targets: list[Target]) -> list[tuple[str, int, int]]:
    return [(t.sentence, t.start, t.end) for t in targets]


def macro_f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(gold, predicted, average="macro", labels=[0, 1, 2]))


def fit(features: np.ndarray, gold: np.ndarray, c: float, weight: str | None):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(features)
    clf = LogisticRegression(C=c, class_weight=weight, max_iter=5000).fit(scaler.transform(features), gold)
    return scaler, clf


def classifier_dict(scaler, clf) -> dict[str, list]:
    """The fitted numbers, 7 significant digits (a feature that never varies in train has scale 1,
    as StandardScaler sets it)."""
    def digits(values: np.ndarray) -> list:
        return np.vectorize(lambda x: float(f"{x:.7g}"))(values).tolist()

    return {"mean": digits(scaler.mean_), "scale": digits(scaler.scale_), "coef": digits(clf.coef_),
            "intercept": digits(clf.intercept_)}


def predict(scaler, clf, features: np.ndarray) -> np.ndarray:
    return np.asarray(clf.predict(scaler.transform(features)))


def grid(name: str, train_x: np.ndarray, train_y: np.ndarray, dev_x: np.ndarray, dev_y: np.ndarray,
         ) -> tuple[float, float, str | None]:
    """(dev macro-F1, C, class weight) of the best setting, printing each."""
    best = (-1.0, 0.0, None)
    for c, weight in product(C_GRID, WEIGHTS):
        scaler, clf = fit(train_x, train_y, c, weight)
        score = macro_f1(dev_y, predict(scaler, clf, dev_x))
        print(f"  {name:<22} C={c:<6} weight={weight!s:<9} dev macro-F1 {score:.3f}", flush=True)
        best = max(best, (score, c, weight), key=lambda b: b[0])
    return best


def choose_and_fit(parts: dict[str, list[Target]]) -> dict:
    from wirescope.analysis.framing.tone import featuriser

    feats = featuriser()
    train, dev = parts["train"], parts["dev"]
    train_y, dev_y = labels(train), labels(dev)
    chosen: dict = {"target": (-1.0,)}
    for window in WINDOWS:
        train_x = feats.target_features(target_items(train), window)
        dev_x = feats.target_features(target_items(dev), window)
        score, c, weight = grid(f"target window={window}", train_x, train_y, dev_x, dev_y)
        if score > chosen["target"][0]:
            chosen["target"] = (score, c, weight, window, train_x)
    sentence_train_x = feats.sentence_features([t.sentence for t in train])
    sentence_dev_x = feats.sentence_features([t.sentence for t in dev])
    chosen["sentence"] = (*grid("sentence", sentence_train_x, train_y, sentence_dev_x, dev_y), sentence_train_x)
    score, c, weight, window, train_x = chosen["target"]
    target = fit(train_x, train_y, c, weight)
    s_score, s_c, s_weight, s_train_x = chosen["sentence"]
    sentence = fit(s_train_x, train_y, s_c, s_weight)
    return {
        "trained_on": f"NewsMTSC train.jsonl, all {len(train)} labelled targets; settings chosen on the dev "
                      f"half of devtest_rw + devtest_mt ({len(dev)} targets, split by document)",
        "classes": ["negative", "neutral", "positive"],
        "model": "StandardScaler + multinomial LogisticRegression on tone.Featuriser features",
        "window": window,
        "target": {"C": c, "class_weight": weight, "dev_macro_f1": round(score, 4), **classifier_dict(*target)},
        "sentence": {"C": s_c, "class_weight": s_weight, "dev_macro_f1": round(s_score, 4),
                     **classifier_dict(*sentence)},
    }


NOTICE = """# Notices for the tone model

## classifier.json

Logistic-regression weights (two classifiers: tone toward a mention, tone of a sentence) fitted by
bench/train_tone.py on NewsMTSC (Hamborg & Donnay 2021, "NewsMTSC: (Multi-)Target-dependent
Sentiment Classification in News Articles", EACL 2021; https://github.com/fhamborg/NewsMTSC),
train.jsonl; settings chosen on half of its devtest sets. No NewsMTSC text is stored here.
NewsMTSC's licence:

```
{licence}
```

## Features

The static word-piece embedding and the opinion lexicon (Hu & Liu 2004 / Liu 2005) are read from
../bias_model/ at run time (model.safetensors, tokenizer.json, bias_lexicons.json); their notices
are in ../bias_model/NOTICE.md.
"""


def write(model: dict, out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "classifier.json").write_text(json.dumps(model) + "\n", encoding="utf-8")
    licence = (NEWSMTSC / "LICENSE").read_text(encoding="utf-8").strip()
    (out / "NOTICE.md").write_text(NOTICE.format(licence=licence), encoding="utf-8")


def main() -> int:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    if not NEWSMTSC.is_dir():
        print(f"SKIP: {NEWSMTSC} not found (set WIRESCOPE_SHARED)")
        return 0
    started = time.perf_counter()
    parts = splits()
    print({name: len(rows) for name, rows in parts.items()})
    model = choose_and_fit(parts)
    write(model)
    print(f"window={model['window']} target C={model['target']['C']} weight={model['target']['class_weight']} "
          f"dev {model['target']['dev_macro_f1']}; sentence C={model['sentence']['C']} "
          f"weight={model['sentence']['class_weight']} dev {model['sentence']['dev_macro_f1']}; "
          f"{time.perf_counter() - started:.0f} s -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
