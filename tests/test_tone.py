"""Tone (wirescope.analysis.framing.tone) on project-written fictional sentences."""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

import pytest

from wirescope.analysis.framing.tone import (
    MODEL_DIR,
    ToneModelMissing,
    actor_tones,
    document_tone,
    document_tones,
    gdelt_tone,
    load_tone_model,
    sentence_tone,
    target_tones,
    tone_record,
    with_actor_tones,
)
from wirescope.records import Entity, Mention

# Fictional people, places and stories, written for these tests.
PRAISED = ("Residents praised Mara Telvik for her generous, tireless and brilliant work rebuilding the "
           "flooded library, calling her an inspiring and honest leader.")
CONDEMNED = ("Mara Telvik was accused of lying to voters and was condemned for the corrupt, reckless and "
             "disastrous mismanagement of the flood relief fund.")
FLAT = "The Brenmoor council meets on Tuesday at the town hall on Quarry Street."
NEGATIVE_ELSEWHERE = "The storm destroyed the harbour, killing three fishermen and ruining dozens of families."


def _entity(entity_id: str, name: str, text: str) -> Entity:
    """An entity with every occurrence of ``name`` in ``text`` as a mention."""
    mentions = tuple(Mention(m.start(), m.end(), name) for m in re.finditer(re.escape(name), text))
    return Entity(entity_id, name, "PERSON", mentions)


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.", text)]


def _tones(text: str, *names: str) -> dict[str, float]:
    entities = [_entity(f"e{n}", name, text) for n, name in enumerate(names, 1)]
    return actor_tones(text, _sentences(text), entities)


def test_model_ships_with_a_notice():
    names = {p.name for p in MODEL_DIR.iterdir()}
    assert {"classifier.json", "NOTICE.md"} <= names
    assert "NewsMTSC" in (MODEL_DIR / "NOTICE.md").read_text(encoding="utf-8")
    data = json.loads((MODEL_DIR / "classifier.json").read_text(encoding="utf-8"))
    assert len(data["target"]["coef"]) == 3 and len(data["sentence"]["coef"]) == 3


def test_clear_praise_and_blame_of_a_named_person():
    assert _tones(PRAISED, "Mara Telvik")["e1"] > 0.2
    assert _tones(CONDEMNED, "Mara Telvik")["e1"] < -0.2


def test_tone_is_toward_the_mention_not_the_sentence():
    text = ("Inspector Ilse Varro was praised for her courage and honesty, while the smuggler Bram Ostdal "
            "was convicted of fraud and cruelty.")
    tones = _tones(text, "Ilse Varro", "Bram Ostdal")
    assert tones["e1"] > 0 > tones["e2"]


def test_the_name_itself_brings_no_tone():
    # The mention's words are left out of the features: another name in the same place, same tone.
    other = PRAISED.replace("Mara Telvik", "Gorvan Quillet-Baptiste")
    assert _tones(other, "Gorvan Quillet-Baptiste")["e1"] == pytest.approx(_tones(PRAISED, "Mara Telvik")["e1"],
                                                                           abs=1e-9)


def test_tones_lie_in_minus_one_to_one():
    tones = target_tones([(PRAISED, 19, 30), (CONDEMNED, 0, 11), (FLAT, 4, 11)])
    assert all(-1.0 <= t <= 1.0 and not math.isnan(t) for t in tones)
    assert tones[0] > 0 > tones[1]


def test_document_tone_sign():
    good = " ".join([PRAISED, "The new library is a wonderful success and visitors love its bright, welcoming rooms."])
    bad = " ".join([CONDEMNED, NEGATIVE_ELSEWHERE])
    assert document_tone(good, _sentences(good)) > 0  # type: ignore[operator]
    assert document_tone(bad, _sentences(bad)) < 0  # type: ignore[operator]
    assert abs(sentence_tone([FLAT])[0]) < 0.5
    assert document_tone("", []) is None
    assert document_tone("... !", [(0, 5)]) is None


def test_a_sentence_not_mentioning_the_entity_does_not_count():
    alone = _tones(PRAISED, "Mara Telvik")
    text = f"{PRAISED} {NEGATIVE_ELSEWHERE}"
    assert _tones(text, "Mara Telvik") == pytest.approx(alone, abs=1e-9)


def test_an_entity_without_a_scorable_sentence_is_absent():
    text = f"Mara Telvik. {PRAISED}"
    tones = _tones(text, "Mara Telvik", "Oskar Brand")
    assert set(tones) == {"e1"}  # Oskar Brand is never mentioned
    # "Mara Telvik." has no words besides the name: only the praising sentence counts.
    assert tones["e1"] == pytest.approx(_tones(PRAISED, "Mara Telvik")["e1"], abs=1e-9)


def test_mean_over_sentences():
    text = f"{PRAISED} {CONDEMNED}"
    both = _tones(text, "Mara Telvik")["e1"]
    each = [_tones(s, "Mara Telvik")["e1"] for s in (PRAISED, CONDEMNED)]
    assert both == pytest.approx(sum(each) / 2, abs=1e-9)


def test_scores_do_not_depend_on_the_batch():
    items = [(PRAISED, 19, 30), (CONDEMNED, 0, 11), (FLAT, 4, 11)]
    batch = target_tones(items)
    assert batch == pytest.approx([target_tones([item])[0] for item in items], abs=1e-9)
    assert target_tones(items[::-1])[::-1] == pytest.approx(batch, abs=1e-9)
    sentences = [PRAISED, CONDEMNED, FLAT, NEGATIVE_ELSEWHERE]
    assert sentence_tone(sentences) == pytest.approx([sentence_tone([s])[0] for s in sentences], abs=1e-9)
    # An actor's tone does not move when other actors are scored with it.
    text = f"{PRAISED} {CONDEMNED} Oskar Brand said the fund was badly run."
    assert _tones(text, "Mara Telvik", "Oskar Brand")["e1"] == pytest.approx(
        _tones(text, "Mara Telvik")["e1"], abs=1e-9)


def test_empty_inputs():
    assert sentence_tone([]) == []
    assert target_tones([]) == []
    assert actor_tones("", [], []) == {}


def test_gdelt_tone_counts_words():
    # 12 words: "good" and "excellent" positive, "terrible" negative, "we", "they" and "it" pronouns.
    tone = gdelt_tone("We think the plan is good and excellent; they call it terrible.")
    assert tone.word_count == 12
    assert tone.positive == pytest.approx(100 * 2 / 12)
    assert tone.negative == pytest.approx(100 * 1 / 12)
    assert tone.tone == pytest.approx(100 * 1 / 12)
    assert tone.polarity == pytest.approx(100 * 3 / 12)
    assert tone.self_group_reference_density == pytest.approx(100 * 3 / 12)
    assert gdelt_tone("").word_count == 0


def test_missing_model_says_which_file(tmp_path: Path):
    with pytest.raises(ToneModelMissing, match="classifier.json"):
        load_tone_model(tmp_path)
    shutil.copy(MODEL_DIR / "classifier.json", tmp_path / "classifier.json")
    assert load_tone_model(tmp_path).window >= 1


def test_document_tones_reads_each_sentence_once_and_gives_the_same_records():
    # The pipeline's one call must equal the two separate calls: the sentences read once for the
    # document's tone are reused for the actors', never scored differently.
    text = " ".join([PRAISED, FLAT, CONDEMNED, NEGATIVE_ELSEWHERE, PRAISED])
    sentences = _sentences(text)
    entities = [_entity("e1", "Mara Telvik", text), _entity("e2", "Brenmoor", text)]
    together = document_tones(text, sentences, entities)
    assert together == (with_actor_tones(text, sentences, entities), tone_record(text, sentences))
    assert together[0][0].tone is not None and together[1].tone is not None
