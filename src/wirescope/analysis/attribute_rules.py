"""The model's attribute rules (POS and morphology from the tagger's tags, and their exceptions),
applied by looking each token up instead of running spaCy's Matcher.

spaCy's ``AttributeRuler`` runs every one of its 179 patterns at every token through the Matcher:
16% of the parse of a news article, more than the parser itself (PolNeAR texts, per component,
RESULTS 15f). The patterns are one or two tokens of exact values and a few sets and regexes, so a
table keyed by a token's tag, lowercase form or dependency finds the few that can match it. The
result is spaCy's: every pattern is tested on the tokens as they were before any rule was applied,
the matches are applied in the order the ruler applies them (by rule, then position), and the
attributes are set by spaCy's own ``set_token_attrs``. A rule this does not know how to index
(another attribute, an operator) leaves the model's ruler in place (``index_attribute_rules``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import normalize_token_attrs, set_token_attrs
from spacy.vocab import Vocab

# The token attributes the rules test, in the order ``_values`` reads them (as the Matcher reads them).
ATTRS = ("TAG", "LOWER", "DEP", "ORTH", "IS_SPACE")
# A pattern is keyed by its first token's first exact value among these (the most selective first).
INDEXED = ("LOWER", "ORTH", "TAG", "DEP", "IS_SPACE")

Test = tuple[int, str, Any]  # (position in ATTRS, "eq" / "in" / "not_in" / "regex", value)
Values = tuple[str, str, str, str, bool]


def _values(token: Token) -> Values:
    return token.tag_, token.lower_, token.dep_, token.orth_, token.is_space


class _Rule:
    """One pattern of one ruler entry: its tests per token, and which token takes the attributes."""

    def __init__(self, entry: int, tests: list[list[Test]], target: int) -> None:
        self.entry = entry
        self.tests = tests
        self.target = target

    def matches_at(self, values: list[Values], start: int) -> bool:
        tests = self.tests
        if len(tests) == 1:  # nearly every rule: no loop to set up
            return _passes(values[start], tests[0])
        if start + len(tests) > len(values):
            return False
        return all(_passes(values[start + i], token_tests) for i, token_tests in enumerate(tests))


def _passes(values: Values, tests: list[Test]) -> bool:
    for attr, kind, want in tests:
        seen = values[attr]
        if kind == "eq":
            if seen != want:
                return False
        elif kind == "in":
            if seen not in want:
                return False
        elif kind == "not_in":
            if seen in want:
                return False
        elif not want.search(seen):  # "regex": searched, as the Matcher does
            return False
    return True


def _token_tests(spec: dict[str, Any]) -> list[Test] | None:
    """The tests of one pattern token; None for what the Matcher does that this does not."""
    tests: list[Test] = []
    for attr, want in spec.items():
        if attr not in ATTRS:
            return None
        at = ATTRS.index(attr)
        if not isinstance(want, dict):
            tests.append((at, "eq", want))
            continue
        for op, choices in want.items():
            if op == "IN":
                tests.append((at, "in", frozenset(choices)))
            elif op == "NOT_IN":
                tests.append((at, "not_in", frozenset(choices)))
            elif op == "REGEX":
                tests.append((at, "regex", re.compile(choices)))
            else:
                return None
    return tests


class IndexedRuler:
    """The rules of an ``AttributeRuler``, keyed by an exact value of their first token: a pipeline
    component in its place (``nlp.replace_pipe``, ``analysis.nlp.load_nlp``)."""

    def __init__(self, vocab: Vocab, patterns: Sequence[dict[str, Any]]) -> None:
        rules = indexed_rules(patterns)
        if rules is None:
            raise ValueError("attribute rules beyond what IndexedRuler reads: keep spaCy's AttributeRuler")
        # As the ruler keeps them: entry ``n`` of ``patterns`` sets ``attrs[n]``.
        self.attrs = [normalize_token_attrs(vocab, entry["attrs"]) for entry in patterns]
        self.by_value: dict[tuple[int, Any], list[_Rule]] = defaultdict(list)
        self.anywhere: list[_Rule] = []
        for rule, key in rules:
            (self.by_value[key] if key else self.anywhere).append(rule)

    def __call__(self, doc: Doc) -> Doc:
        values = [_values(token) for token in doc]
        found: set[tuple[int, int, int]] = set()  # (entry, start, target token): the ruler's order
        by_value = self.by_value
        for i, token_values in enumerate(values):
            for at, value in enumerate(token_values):
                for rule in by_value.get((at, value), ()):
                    if rule.matches_at(values, i):
                        found.add((rule.entry, i, i + rule.target))
            for rule in self.anywhere:
                if rule.matches_at(values, i):
                    found.add((rule.entry, i, i + rule.target))
        # Matched first on the tokens as tagged, then applied rule by rule: a later rule's value wins.
        for entry, _, target in sorted(found):
            set_token_attrs(doc[target], self.attrs[entry])
        return doc


def indexed_rules(patterns: Sequence[dict[str, Any]]) -> list[tuple[_Rule, tuple[int, Any] | None]] | None:
    """Each pattern of the ruler's entries (``AttributeRuler.patterns``) as a rule and the exact value
    it is found by (None: tried at every token); None when one is beyond what ``IndexedRuler`` reads."""
    rules: list[tuple[_Rule, tuple[int, Any] | None]] = []
    for number, entry in enumerate(patterns):
        index = int(entry.get("index", 0))
        for pattern in entry["patterns"]:
            tests = [_token_tests(spec) for spec in pattern]
            checked = [t for t in tests if t is not None]
            if not pattern or len(checked) < len(tests) or not -len(pattern) <= index < len(pattern):
                return None
            first = pattern[0]
            key = next(((ATTRS.index(attr), first[attr]) for attr in INDEXED
                        if attr in first and not isinstance(first[attr], dict)), None)
            rules.append((_Rule(number, checked, index % len(pattern)), key))
    return rules


@Language.factory("wirescope_attribute_rules", default_config={"patterns": []})
def make_attribute_rules(nlp: Language, name: str, patterns: list[dict[str, Any]]) -> IndexedRuler:
    return IndexedRuler(nlp.vocab, patterns)


def index_attribute_rules(nlp: Language) -> None:
    """Put the indexed rules in the place of the pipeline's ``attribute_ruler``, when they can read
    all of its patterns."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    if not isinstance(ruler, AttributeRuler):
        return
    patterns: list[dict[str, Any]] = list(ruler.patterns)
    if indexed_rules(patterns) is not None:
        nlp.replace_pipe("attribute_ruler", "wirescope_attribute_rules", config={"patterns": patterns})
