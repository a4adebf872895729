"""The shipped sentence bias model (wirescope.analysis.framing.bias) on project-written sentences."""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from wirescope.analysis.framing.bias import (
    BIAS_THRESHOLD,
    CASCADE_MARGIN,
    MODEL_DIR,
    load_bias_model,
    load_contextual_model,
    score_sentences,
)

# Fictional sentences written for these tests.
FLAT = [
    "The Riverside city council voted 9-2 on Wednesday to approve a new pedestrian bridge.",
    "The ministry said 340 households had applied for the heating grant by the end of March.",
    "Construction of the bridge is due to begin next spring, the council said.",
]
LOADED = [
    "The reckless mayor shamelessly rammed through his disastrous bridge scheme, ignoring outraged residents.",
    "The ministry's pathetic grant is yet another insult from a corrupt and arrogant government.",
    "Radical activists spewed hateful lies as the cowardly council caved to their absurd demands.",
]
# Sentences in between: opinions attributed to someone, hedged criticism.
MIDDLING = [
    "The council's bridge plan has drawn criticism from some residents who say it is too expensive.",
    "Critics say the ministry's grant scheme is poorly designed and comes far too late.",
    "Supporters hailed the bridge as a long overdue investment in the neglected east side.",
    "The opposition accused the government of mishandling the grant programme.",
    "The council finally approved the bridge after years of delays.",
]


def test_model_files_ship_with_the_package():
    names = {p.name for p in MODEL_DIR.iterdir()}
    assert {"model.safetensors", "tokenizer.json", "classifier.json", "bias_lexicons.json", "NOTICE.md",
            "contextual.onnx", "contextual.json"} <= names
    size = sum(p.stat().st_size for p in MODEL_DIR.iterdir())
    assert size < 30_000_000  # small enough for a git repository


def test_scores_are_probabilities_and_threshold_is_one():
    scores = score_sentences(FLAT + LOADED)
    assert len(scores) == len(FLAT + LOADED)
    assert all(0.0 <= s <= 1.0 and not math.isnan(s) for s in scores)
    assert 0.0 < BIAS_THRESHOLD < 1.0


def test_batch_equals_one_by_one():
    batch = score_sentences(FLAT + LOADED)
    single = [score_sentences([s])[0] for s in FLAT + LOADED]
    assert all(math.isclose(a, b, abs_tol=1e-6) for a, b in zip(batch, single))


def test_empty_input():
    assert score_sentences([]) == []
    (score,) = score_sentences([""])
    assert 0.0 <= score <= 1.0


def test_loaded_sentences_score_above_flat_ones():
    flat = score_sentences(FLAT)
    loaded = score_sentences(LOADED)
    assert max(flat) < min(loaded)
    assert all(s < BIAS_THRESHOLD for s in flat)
    assert all(s >= BIAS_THRESHOLD for s in loaded)


def test_model_is_loaded_once_per_process():
    from wirescope.analysis.framing import bias

    score_sentences(["One sentence."])
    first = bias._model()
    score_sentences(["Another sentence."])
    assert bias._model() is first
    # A fresh load from the same files scores the same.
    fresh = load_bias_model()
    assert math.isclose(float(fresh.score(["One sentence."])[0]), score_sentences(["One sentence."])[0],
                        abs_tol=1e-6)


def test_unsure_sentences_get_the_contextual_score_and_the_rest_keep_the_static_one():
    texts = FLAT + LOADED + MIDDLING
    static = load_bias_model().score(texts)
    contextual = load_contextual_model().score(texts)
    unsure = np.abs(static - 0.5) < CASCADE_MARGIN
    assert 0 < unsure.sum() < len(texts)  # both paths are taken by these sentences
    expected = np.where(unsure, contextual, static)
    assert np.allclose(score_sentences(texts), expected, atol=1e-6)


def test_contextual_stage_separates_loaded_from_flat_wording():
    scores = load_contextual_model().score(FLAT + LOADED)
    assert max(scores[: len(FLAT)]) < BIAS_THRESHOLD <= min(scores[len(FLAT) :])


def test_contextual_score_does_not_depend_on_the_other_sentences_of_the_batch():
    texts = FLAT + LOADED + MIDDLING
    model = load_contextual_model()
    together = model.score(texts)
    alone = [model.score([t])[0] for t in texts]
    assert np.allclose(together, alone, atol=1e-5)


def test_a_contextual_model_onnx_runtime_cannot_load_is_an_error_naming_it(tmp_path: Path):
    broken = tmp_path / "bias_model"
    shutil.copytree(MODEL_DIR, broken)
    (broken / "contextual.onnx").write_bytes(b"not a model")
    with pytest.raises(ValueError, match=re.escape(str(broken / "contextual.onnx"))):
        load_contextual_model(broken)


def test_onnx_scores_equal_the_torch_scores_the_export_recorded():
    """contextual_reference.json holds torch's scores of project-written sentences, written by
    bench/export_bias_onnx.py from the trained weights when it exported the ONNX file."""
    reference = json.loads((MODEL_DIR / "contextual_reference.json").read_text(encoding="utf-8"))
    scores = load_contextual_model().score(reference["sentences"])
    assert len(scores) == len(reference["scores"]) >= 10
    assert np.allclose(scores, reference["scores"], atol=1e-4, rtol=0)


def test_onnx_scores_equal_torch_run_now():
    """Where torch is installed (the train extra), the trained weights are rebuilt on it and compared."""
    pytest.importorskip("torch", reason="torch is only in the train extra")
    pytest.importorskip("transformers", reason="transformers is only in the train extra")
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
    from export_bias_onnx import load_torch_model, torch_scores

    texts = FLAT + LOADED + MIDDLING
    scorer, max_length = load_torch_model(MODEL_DIR)
    expected = torch_scores(scorer, texts, max_length)
    assert np.allclose(load_contextual_model().score(texts), expected, atol=1e-4, rtol=0)


@pytest.fixture
def model_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """MODEL_DIR pointed at an empty folder, with the once-per-process models forgotten."""
    from wirescope.analysis.framing import bias

    monkeypatch.setattr(bias, "MODEL_DIR", tmp_path)
    bias._model.cache_clear()
    bias._contextual_model.cache_clear()
    yield tmp_path
    bias._model.cache_clear()
    bias._contextual_model.cache_clear()


def test_a_missing_model_file_is_an_error_naming_it(model_dir: Path):
    from wirescope.analysis.framing.bias import BiasModelMissing

    with pytest.raises(BiasModelMissing, match=re.escape(str(model_dir / "model.safetensors"))) as raised:
        score_sentences(FLAT)
    assert "bench/train_bias.py" in str(raised.value)  # and how to get it back


def test_a_missing_contextual_file_is_an_error_naming_it(model_dir: Path):
    from wirescope.analysis.framing.bias import STATIC_FILES, BiasModelMissing

    for name in STATIC_FILES:
        shutil.copy(MODEL_DIR / name, model_dir / name)
    score_sentences(FLAT + LOADED, contextual=False)  # the static stage has all it needs
    with pytest.raises(BiasModelMissing, match=re.escape(str(model_dir / "contextual.json"))):
        score_sentences(MIDDLING)  # some of these go to the contextual stage


@pytest.mark.slow
def test_the_framing_layer_fails_loudly_without_the_model(model_dir: Path):
    """Not a framing layer silently without biased sentences: the missing file is named."""
    from wirescope.analysis.framing import find_framing
    from wirescope.analysis.nlp import load_nlp

    doc = load_nlp()(" ".join(LOADED))
    assert find_framing(doc, (), (), score_bias=False)  # the other kinds need no model
    with pytest.raises(FileNotFoundError, match=re.escape(str(model_dir / "model.safetensors"))):
        find_framing(doc, (), ())


def test_the_static_model_equals_model2vecs_own_loader_without_importing_the_hub():
    # The project reads the shipped files itself (cold start); model2vec's loader is the reference.
    import subprocess
    import sys

    from model2vec import StaticModel

    from wirescope.analysis.framing.bias import MODEL_DIR, _static_model

    texts = ["The harbour board voted on Tuesday.", "A reckless, shameful betrayal of Calderon's dockworkers!", "",
             "Ünïcödé “quotes” — and a very long line " * 40]
    reference = StaticModel.from_pretrained(str(MODEL_DIR)).encode(texts)
    assert np.array_equal(_static_model(MODEL_DIR, StaticModel).encode(texts), reference)
    code = ("import sys; from wirescope.analysis.framing.bias import load_bias_model; load_bias_model(); "
            "sys.exit('huggingface_hub' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
