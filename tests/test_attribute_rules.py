"""The model's attribute rules applied by lookup (``analysis.attribute_rules``) give spaCy's
``AttributeRuler`` annotations exactly: on the project's sample pages with the model's own rules, and
on made-up rules that exercise the ruler's order (a later rule wins, every rule reads the tokens as
tagged), two-token patterns, sets, regexes and negative indices."""

from __future__ import annotations

import json
from pathlib import Path

import spacy
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from fictional import corpus
from wirescope.analysis.attribute_rules import IndexedRuler, index_attribute_rules
from wirescope.analysis.nlp import MODEL_NAME, load_nlp

ROOT = Path(__file__).resolve().parents[1]


def annotations(doc: Doc) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.dep_, str(t.head.i), t.lemma_, t.ent_iob_, t.ent_type_)
            for t in doc]


def sample_texts() -> list[str]:
    texts = [(ROOT / "samples" / "wire-page-harbor-talks.txt").read_text(encoding="utf-8")]
    with (ROOT / "samples" / "pages.jsonl").open(encoding="utf-8") as lines:
        texts += [page["text"] for page in map(json.loads, filter(str.strip, lines)) if "text" in page]
    return texts + [analysis.document.text for analysis in corpus()]


def test_the_pipeline_applies_the_models_rules_by_lookup_with_the_same_annotations():
    ours, stock = load_nlp(), spacy.load(MODEL_NAME)
    assert isinstance(ours.get_pipe("attribute_ruler"), IndexedRuler)
    assert isinstance(stock.get_pipe("attribute_ruler"), AttributeRuler)
    texts = sample_texts()
    assert len(texts) > 3
    for mine, theirs in zip(ours.pipe(texts), stock.pipe(texts), strict=True):
        assert annotations(mine) == annotations(theirs)


MADE_UP_RULES = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}},
    {"patterns": [[{"LOWER": "harbor", "TAG": "NN"}]], "attrs": {"POS": "PROPN", "TAG": "NNP"}},  # later: wins
    {"patterns": [[{"TAG": "NNP"}]], "attrs": {"POS": "X"}},  # reads the tag as tagged, not "NNP" above
    {"patterns": [[{"LOWER": {"IN": ["talks", "accord"]}}]], "attrs": {"MORPH": "Number=Plur"}},
    {"patterns": [[{"LOWER": "peace"}, {"LOWER": "talks"}]], "attrs": {"POS": "PROPN"}, "index": -1},
    {"patterns": [[{"LOWER": {"REGEX": "^re"}, "TAG": {"NOT_IN": ["NN"]}}]], "attrs": {"POS": "VERB"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE", "TAG": "_SP"}},
    {"patterns": [[{"TAG": "DT"}], [{"LOWER": "the"}]], "attrs": {"POS": "DET"}},  # two patterns of one entry
]


def made_up_doc(nlp: spacy.language.Language) -> Doc:
    words = ["The", "harbor", "peace", "talks", "resumed", "\n", "after", "the", "accord", "retold", "."]
    tags = ["DT", "NN", "NN", "NNS", "VBD", "", "IN", "DT", "NN", "VBD", "."]
    return Doc(nlp.vocab, words=words, spaces=[True] * 4 + [False] * 7, tags=tags)


def test_made_up_rules_give_what_spacys_ruler_gives():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(MADE_UP_RULES)
    expected = ruler(made_up_doc(nlp))
    got = IndexedRuler(nlp.vocab, ruler.patterns)(made_up_doc(nlp))  # type: ignore[arg-type]
    assert annotations(got) == annotations(expected)
    assert [t.pos_ for t in got][:4] == ["DET", "PROPN", "NOUN", "PROPN"]  # the later rule; the index -1


def test_rules_the_lookup_cannot_read_keep_spacys_ruler():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns([*MADE_UP_RULES, {"patterns": [[{"TAG": "NN", "OP": "+"}]], "attrs": {"POS": "NOUN"}}])
    index_attribute_rules(nlp)
    assert nlp.get_pipe("attribute_ruler") is ruler
