"""The shipped sentence bias model (wirescope.bias) on project-written sentences."""

from __future__ import annotations

import math

from wirescope.bias import BIAS_THRESHOLD, MODEL_DIR, load_bias_model, score_sentences

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


def test_model_files_ship_with_the_package():
    names = {p.name for p in MODEL_DIR.iterdir()}
    assert {"model.safetensors", "tokenizer.json", "classifier.json", "bias_lexicons.json", "NOTICE.md"} <= names
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
    from wirescope import bias

    score_sentences(["One sentence."])
    first = bias._model()
    score_sentences(["Another sentence."])
    assert bias._model() is first
    # A fresh load from the same files scores the same.
    fresh = load_bias_model()
    assert math.isclose(float(fresh.score(["One sentence."])[0]), score_sentences(["One sentence."])[0],
                        abs_tol=1e-6)
