"""The shipped framing vocabularies, loaded once per process: the loaded-terms lexicon compiled into
spaCy matchers, the loaded attribution verbs, and the cues of commentary in the outlet's own voice."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import product
from pathlib import Path
from typing import Any

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token

from wirescope.analysis.nlp import load_nlp
from wirescope.resource_cache import cached_value, version_of

NOT_LOADED = "not_loaded"
FRAMING_CATEGORIES = frozenset({"partisan_label", "dehumanising", "emotive", "euphemism", "evaluative", NOT_LOADED})
WILDCARD = "*"
WILDCARD_TOKENS = "{,4}"  # '*' in a pattern: up to four words ("accuse * of genocide")
OPTIONAL = "?"  # 'the?' in a pattern: an optional word
# A characterising noun needs a relative clause of its own ("a stance that ...").
RELATIVE_DEPS = frozenset({"relcl", "acl"})


@dataclass(frozen=True)
class LexiconEntry:
    """One row of ``data/loaded_terms.tsv``."""

    key: str  # the first pattern; the Matcher label of the entry
    patterns: tuple[str, ...]
    category: str
    usage: str
    neutral: str  # "" means: delete the word in the neutral reading
    neutral_plural: str | None
    reason: str


@dataclass(frozen=True)
class AttributionVerb:
    lemma: str
    category: str
    neutral: str
    source: str
    reason: str


@dataclass(frozen=True)
class CommentaryCues:
    verbs: frozenset[str]
    nouns: dict[str, frozenset[str]]  # noun -> the dependents that make it a characterisation
    sources: frozenset[str]
    hedges: frozenset[str]
    evaluative: frozenset[str]
    speech: frozenset[str]  # verbs that report or perform speech: their participles are no commentary


def _data_rows(name: str) -> list[dict[str, str]]:
    """Rows of a shipped tab-separated file; '#' lines are its documentation."""
    text = resources.files("wirescope").joinpath(f"data/{name}").read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _data_words(name: str) -> list[str]:
    text = resources.files("wirescope").joinpath(f"data/{name}").read_text("utf-8")
    return [w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#")]


@lru_cache(maxsize=1)
def load_lexicon() -> tuple[LexiconEntry, ...]:
    entries = []
    for row in _data_rows("loaded_terms.tsv"):
        patterns = tuple(p.strip() for p in row["pattern"].split(" ; ") if p.strip())
        singular, _, plural = row["neutral"].partition("|")
        entries.append(LexiconEntry(patterns[0], patterns, row["category"], row["usage"], singular.strip(),
                                    plural.strip() or None, row["reason"]))
    return tuple(entries)


@lru_cache(maxsize=1)
def load_attribution_verbs() -> dict[str, AttributionVerb]:
    return {row["lemma"]: AttributionVerb(row["lemma"], row["category"], row["neutral"], row["source"],
                                          row["reason"])
            for row in _data_rows("loaded_attribution_verbs.tsv")}


@lru_cache(maxsize=1)
def load_commentary_cues() -> CommentaryCues:
    kinds: dict[str, set[str]] = {"verb": set(), "noun": set(), "noun_of": set(), "source": set(), "speech": set()}
    for line in _data_words("commentary_cues.txt"):
        kind, _, word = line.partition(":")
        kinds[kind].add(word)
    # "a stance that ..." needs its relative clause; "a reference to ..." is one with a preposition.
    nouns = {noun: RELATIVE_DEPS for noun in kinds["noun"]}
    nouns.update({noun: RELATIVE_DEPS | {"prep"} for noun in kinds["noun_of"]})
    speech = {w for w in _data_words("report_verbs.txt") if not w.startswith("noun:")} | set(load_attribution_verbs())
    speech |= set(kinds["speech"])
    return CommentaryCues(frozenset(kinds["verb"]), nouns, frozenset(kinds["source"]),
                          frozenset(_data_words("hedges.txt")), frozenset(_data_words("evaluative_words.txt")),
                          frozenset(speech))


def _lemma_forms(piece: str) -> list[str]:
    """The LEMMA values a written word can take in a parse: each of its lemmas lower-cased or
    capitalised (proper nouns keep their case), and its plural forms (the lemmatiser leaves plural
    proper nouns such as "Zionists" as they are)."""
    from lemminflect import getAllLemmas, getInflection

    lemmas = {piece.lower()}
    for found in getAllLemmas(piece).values():
        lemmas.update(lemma.lower() for lemma in found)
    forms = {piece}  # as written: acronyms ("IOF") keep their case as lemmas
    for lemma in lemmas:
        forms |= {lemma, lemma.capitalize()}
        for plural in getInflection(lemma, tag="NNS", inflect_oov=True):
            forms |= {plural, plural.capitalize()}
    return sorted(forms)


def _pattern_words(phrase: str) -> list[tuple[str, str | None, bool]]:
    """(token, required part of speech, optional) for each token of a lexicon phrase, tokenised as
    documents are ("so-called" is three tokens)."""
    words = []
    for piece in phrase.split():
        optional = piece.endswith(OPTIONAL) and len(piece) > 1
        word, _, pos = piece.removesuffix(OPTIONAL).partition("/")
        words += [(token.text, pos or None, optional) for token in load_nlp().tokenizer(word)]
    return words


def _wildcard_pattern(phrase: str, lemma_forms: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Matcher tokens for the few phrases with '*' (up to four words), e.g. 'accuse * of genocide'."""
    tokens: list[dict[str, Any]] = []
    for piece in phrase.split():
        if piece == WILDCARD:
            tokens.append({"OP": WILDCARD_TOKENS})
        else:
            tokens += [{"LEMMA": {"IN": lemma_forms[word]}} for word, _, _ in _pattern_words(piece)]
    return tokens


@dataclass(frozen=True)
class TermMatchers:
    """The lexicon compiled once per process.

    Fixed phrases go to a PhraseMatcher on LEMMA (hash lookups: a token Matcher with a set of forms
    per word evaluated every set on every token and cost a third of the parse); the few wildcard
    phrases go to a Matcher. ``labels`` maps each label to its entry and the part of speech each
    matched token must have (checked after matching).
    """

    phrases: PhraseMatcher
    wildcards: Matcher
    labels: dict[str, tuple[LexiconEntry, tuple[str | None, ...]]]


def _variants(words: list[tuple[str, str | None, bool]]) -> list[list[tuple[str, str | None, bool]]]:
    """The phrase with and without its optional words."""
    required = [w for w in words if not w[2]]
    return [words, required] if len(required) < len(words) else [words]


@lru_cache(maxsize=1)
def term_matchers() -> TermMatchers:
    vocab = load_nlp().vocab
    lemma_forms = _lexicon_lemma_forms()
    phrases, wildcards = PhraseMatcher(vocab, attr="LEMMA"), Matcher(vocab)
    labels: dict[str, tuple[LexiconEntry, tuple[str | None, ...]]] = {}
    for entry in load_lexicon():
        for n, phrase in enumerate(entry.patterns):
            if WILDCARD in phrase.split():
                label = f"{entry.key}#{n}"
                labels[label] = (entry, ())
                wildcards.add(label, [_wildcard_pattern(phrase, lemma_forms)])
                continue
            for words in _variants(_pattern_words(phrase)):
                label = f"{entry.key}#{n}#{len(words)}"
                labels[label] = (entry, tuple(pos for _, pos, _ in words))
                texts = [w for w, _, _ in words]
                phrases.add(label, [Doc(vocab, words=texts, lemmas=list(forms))
                                    for forms in product(*(lemma_forms[w] for w in texts))])
    return TermMatchers(phrases, wildcards, labels)


def _lexicon_lemma_forms() -> dict[str, list[str]]:
    """``_lemma_forms`` of every word of the lexicon's phrases, from the resource cache: lemminflect's
    tables take most of a second to load and are not needed once the forms are known. The key holds
    the lexicon, this module's code and lemminflect's version."""
    from importlib.metadata import version

    def build() -> dict[str, list[str]]:
        phrases = [phrase for entry in load_lexicon() for phrase in entry.patterns]
        words = {w for phrase in phrases if WILDCARD not in phrase.split()
                 for variant in _variants(_pattern_words(phrase)) for w, _, _ in variant}
        words |= {w for phrase in phrases if WILDCARD in phrase.split()
                  for piece in phrase.split() if piece != WILDCARD for w, _, _ in _pattern_words(piece)}
        return {word: _lemma_forms(word) for word in sorted(words)}

    key = version_of(resources.files("wirescope").joinpath("data/loaded_terms.tsv").read_bytes(),
                     Path(__file__).read_bytes(), version("lemminflect"))
    return cached_value("lexicon-forms", key, build)


def match_terms(doc: Doc) -> list[tuple[LexiconEntry, Span]]:
    """Every lexicon match in the doc, overlapping ones included, parts of speech checked."""
    matchers = term_matchers()
    strings = doc.vocab.strings
    found = []
    for match_id, start, end in [*matchers.phrases(doc), *matchers.wildcards(doc)]:
        entry, pos = matchers.labels[strings[match_id]]
        span = doc[start:end]
        if all(_has_pos(token, p) for token, p in zip(span, pos)):
            found.append((entry, span))
    return found


def _has_pos(token: Token, pos: str | None) -> bool:
    # The tagger often reads a participle adjective as a verb ("a sickening video", "a crushing defeat").
    return pos is None or token.pos_ == pos or (pos == "ADJ" and token.dep_ == "amod")
