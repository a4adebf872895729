"""Framing: loaded labels, loaded attribution verbs, the narrator's own claims, sentence bias (issue 5).

A pure analyzer over the shared parse (never re-parses). One standard for every side: the same
lexicon judges every party's labels, and words inside a quotation are the speaker's, reported with
``in_quote`` and the speaker, never charged to the outlet.

1. ``loaded_term``: spans matched on lemmas by a spaCy Matcher compiled from the shipped lexicon
   ``data/loaded_terms.tsv`` (pattern, category, usage, neutral alternative, reason). Longest match
   wins; ``not_loaded`` entries ("Zionist movement", "sanctions regime") make the words descriptive.
2. ``loaded_attribution``: a verb from ``data/loaded_attribution_verbs.tsv`` ("admitted",
   "claimed") that reports speech: it is a quote's cue, or it governs a reported clause.
3. ``unattributed_claim``: clauses outside quotation marks and quoted content that conclude,
   explain or predict in the outlet's own voice: participial commentary ("..., underscoring how
   ..."), characterising appositives ("— demands that amount to ..."), a commentary verb whose
   subject is no person and no source ("his remarks revealed ..."), and hedged speculation.
4. ``biased_sentence``: every sentence scored by ``wirescope.bias.score_sentences`` (one batch per
   document) at or above ``wirescope.bias.BIAS_THRESHOLD``; skipped when that layer is absent.

Substitutions for the neutral reading are decided here, where the parse is at hand, and stored
in ``Framing.neutral`` already inflected ("admitting" -> "saying", "terrorists" -> "militants"),
so ``neutral_reading`` works on stored analyses without a parse.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from itertools import product
from typing import Any

from lemminflect import getAllInflections, getAllLemmas, getInflection
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from wirescope.analysis.nlp import load_nlp
from wirescope.analysis.quotes import find_quotations
from wirescope.records import Analysis, Entity, Framing, Quote

NOT_LOADED = "not_loaded"
FRAMING_CATEGORIES = frozenset({"partisan_label", "dehumanising", "emotive", "euphemism", "evaluative", NOT_LOADED})
LOADED_KINDS = frozenset({"loaded_term", "loaded_attribution"})
WILDCARD = "*"
WILDCARD_TOKENS = "{,4}"  # '*' in a pattern: up to four words ("accuse * of genocide")
OPTIONAL = "?"  # 'the?' in a pattern: an optional word
VERB_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ"})
PLURAL_TAGS = frozenset({"NNS", "NNPS"})
# A reported clause under a verb: "He conceded that ..."; "..., he claimed" is a parataxis.
REPORTED_DEPS = frozenset({"ccomp", "parataxis"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# Participial commentary hangs off a clause as one of these (spaCy's English labels).
PARTICIPLE_DEPS = frozenset({"advcl", "xcomp", "conj", "acl"})
# A commentary verb's subject that is a speaker makes it a speech act, not the outlet's inference.
PERSON_PRONOUNS = frozenset({"i", "we", "you", "he", "she", "they", "who"})
# People and organisations speak: "Hamas revealed", "the ministry confirmed" report, they do not infer.
SPEAKER_TYPES = frozenset({"PERSON", "ORG"})
# What a commentary verb concludes: "revealed the strength", "underscoring how deeply ...".
OBJECT_DEPS = frozenset({"dobj", "ccomp", "xcomp", "attr", "oprd"})
CLAUSE_HEADS = frozenset({"ROOT", "conj", "ccomp"})
COMPARATIVES = frozenset({"more", "less", "most", "least", "as"})
RELATIVE_DEPS = frozenset({"relcl", "acl"})
# Hedged speculation needs a clause of its own: at least this many words.
MIN_CLAIM_WORDS = 4
# Sentences shorter than this many words are not sent to the bias scorer (headings, datelines).
MIN_SCORED_WORDS = 4
CLAIM_EXPLANATIONS = {
    "participle": "Commentary in the outlet's own voice: a participial clause draws a conclusion no source is cited for.",
    "appositive": "The outlet characterises what it just reported (an appositive or relative clause with no source).",
    "inference": "The outlet infers what something shows or proves, in its own voice, with no source.",
    "hedge": "Speculation in the outlet's own voice (hedged prediction with no source).",
    "evaluative": "A participial clause in the outlet's own voice that judges (evaluative wording, no source).",
}


# --- resources, loaded once per process -----------------------------------------------------------


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


def _wildcard_pattern(phrase: str) -> list[dict[str, Any]]:
    """Matcher tokens for the few phrases with '*' (up to four words), e.g. 'accuse * of genocide'."""
    tokens: list[dict[str, Any]] = []
    for piece in phrase.split():
        if piece == WILDCARD:
            tokens.append({"OP": WILDCARD_TOKENS})
        else:
            tokens += [{"LEMMA": {"IN": _lemma_forms(word)}} for word, _, _ in _pattern_words(piece)]
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
    phrases, wildcards = PhraseMatcher(vocab, attr="LEMMA"), Matcher(vocab)
    labels: dict[str, tuple[LexiconEntry, tuple[str | None, ...]]] = {}
    for entry in load_lexicon():
        for n, phrase in enumerate(entry.patterns):
            if WILDCARD in phrase.split():
                label = f"{entry.key}#{n}"
                labels[label] = (entry, ())
                wildcards.add(label, [_wildcard_pattern(phrase)])
                continue
            for words in _variants(_pattern_words(phrase)):
                label = f"{entry.key}#{n}#{len(words)}"
                labels[label] = (entry, tuple(pos for _, pos, _ in words))
                texts = [w for w, _, _ in words]
                phrases.add(label, [Doc(vocab, words=texts, lemmas=list(forms))
                                    for forms in product(*(_lemma_forms(w) for w in texts))])
    return TermMatchers(phrases, wildcards, labels)


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


# --- quotation context ----------------------------------------------------------------------------


# Single quotation marks as headlines use them ("Trump says US in 'very deep' talks"): an opening
# mark after a space, "(" or a line start, a closing one before a space, punctuation or a line end,
# at most a dozen words between, on one line. Apostrophes inside words ("don’t", "Hamas’s") never
# open or close, so they cannot pair. The quote layer reads only double marks (its choice: single
# marks are mostly apostrophes in body text); for framing a wrongly paired span costs little, a
# headline quote charged to the outlet costs more.
# Up to 12 words between single marks. Words hold no space or mark, so the pattern has one way to
# match any text: an earlier form with lazy runs inside a repeated group backtracked
# catastrophically (a propaganda-ptc article took over 15 s in this one regex).
SINGLE_QUOTED = re.compile(r"(?:^|(?<=[\s(]))['‘]([^\s'‘’]+(?:[ \t]+[^\s'‘’]+){0,11})['’](?=[\s.,;:!?)]|$)",
                           re.MULTILINE)


def single_quoted(text: str) -> list[tuple[int, int]]:
    """Spans between single quotation marks used as quotes (without the marks)."""
    return [(m.start(1), m.end(1)) for m in SINGLE_QUOTED.finditer(text)]


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with those nested inside another dropped (a single-quoted span inside a double one)."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not out or start >= out[-1][1]:
            out.append((start, end))
    return out


class QuoteContext:
    """Whose words a character span is: inside quotation marks (and of which quote), or the outlet's."""

    def __init__(self, text: str, quotes: tuple[Quote, ...]) -> None:
        self.marked = _outermost(find_quotations(text) + single_quoted(text))
        self.marked_starts = [s for s, _ in self.marked]
        self.quotes = quotes

    def marked_span(self, start: int, end: int) -> tuple[int, int] | None:
        i = bisect_right(self.marked_starts, start) - 1
        if i >= 0 and self.marked[i][0] <= start and end <= self.marked[i][1]:
            return self.marked[i]
        return None

    def quote_of(self, start: int, end: int) -> Quote | None:
        """The quote whose quoted words hold this span (a mixed quote's outlet words excluded)."""
        marked = self.marked_span(start, end)
        if marked is None:
            return None
        for quote in self.quotes:
            if quote.content.start < marked[1] and marked[0] < quote.content.end:
                return quote
        return None

    def in_content(self, start: int, end: int) -> bool:
        """Inside any quote's content, paraphrase included: the source's claim, not the outlet's."""
        return any(q.content.start <= start and end <= q.content.end for q in self.quotes)

    def is_cue(self, token: Token) -> bool:
        return any(q.cue is not None and q.cue.start <= token.idx < q.cue.end for q in self.quotes)


def _record(kind: str, span: Span | tuple[int, int], text: str, context: QuoteContext, **fields: Any) -> Framing:
    start, end = (span.start_char, span.end_char) if isinstance(span, Span) else span
    quote = context.quote_of(start, end)
    in_quote = context.marked_span(start, end) is not None
    speaker = quote.speaker.name or quote.speaker.text if quote and quote.speaker else None
    return Framing(start=start, end=end, kind=kind, text=text[start:end], in_quote=in_quote,
                   speaker=speaker, quote=quote.id if quote else None, **fields)


# --- neutral alternatives, inflected to the context -----------------------------------------------


def _match_case(original: str, replacement: str) -> str:
    if replacement and original[:1].isupper() and replacement[:1].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


def _inflect_verb(lemma: str, tag: str) -> str:
    forms = getInflection(lemma, tag=tag) if tag in VERB_TAGS else ()
    return forms[0] if forms else lemma


def neutral_for(entry: LexiconEntry, span: Span) -> str:
    """The entry's neutral alternative in the span's number, tense and capitalisation."""
    if not entry.neutral:
        return ""
    words = entry.neutral.split(" ")
    first = span[0]
    verb = first if first.tag_ in VERB_TAGS and first.dep_ != "amod" else None  # "a crushing defeat" is no verb
    if verb is not None and getAllInflections(words[0], upos="VERB"):
        words[0] = _inflect_verb(words[0], verb.tag_)
        neutral = " ".join(words)
    elif span[-1].tag_ in PLURAL_TAGS and entry.neutral_plural:
        neutral = entry.neutral_plural
    else:
        neutral = entry.neutral
    return _match_case(span.text, neutral)


# --- 1. loaded labels -----------------------------------------------------------------------------


def find_loaded_terms(doc: Doc, text: str, context: QuoteContext) -> list[Framing]:
    entries: dict[tuple[int, int], LexiconEntry] = {}
    for entry, span in match_terms(doc):
        entries[(span.start, span.end)] = entry
    found = []
    # Longest first: "Zionist entity" beats "Zionist", "Zionist movement" (not loaded) beats both.
    for span in filter_spans([doc[start:end] for start, end in entries]):
        entry = entries[(span.start, span.end)]
        if entry.category == NOT_LOADED:
            continue
        span, neutral = _with_article(span, neutral_for(entry, span))
        found.append(_record("loaded_term", span, text, context, neutral=neutral,
                             explanation=entry.reason, category=entry.category))
    return found


def _with_article(span: Span, neutral: str) -> tuple[Span, str]:
    """Take in a preceding "a"/"an" when the neutral wording needs the other one ("an extremist" ->
    "a hard-line", "a so-called expert" -> "an expert"); by first letter, which is enough here."""
    doc = span.doc
    if span.start == 0 or doc[span.start - 1].lower_ not in ("a", "an"):
        return span, neutral
    following = neutral or (doc[span.end].text if span.end < len(doc) else "")
    if not following[:1].isalpha():
        return span, neutral
    wanted = "an" if following[0].lower() in "aeiou" else "a"
    article = doc[span.start - 1]
    if article.lower_ == wanted:
        return span, neutral
    wanted = _match_case(article.text, wanted)
    return doc[span.start - 1 : span.end], f"{wanted} {neutral}" if neutral else wanted


# --- 2. loaded attribution verbs ------------------------------------------------------------------


def reports_speech(token: Token, context: QuoteContext) -> bool:
    """A verb that reports speech: a quote's cue, or the head of a reported clause."""
    if context.is_cue(token):
        return True
    return token.dep_ == "parataxis" or any(child.dep_ in REPORTED_DEPS for child in token.children)


def find_loaded_attribution(doc: Doc, text: str, context: QuoteContext) -> list[Framing]:
    verbs = load_attribution_verbs()
    found = []
    for token in doc:
        verb = verbs.get(token.lemma_.lower()) if token.pos_ == "VERB" else None
        if verb is None or not reports_speech(token, context):
            continue
        span = (token.idx, token.idx + len(token.text))
        neutral = _match_case(token.text, _inflect_verb(verb.neutral, token.tag_))
        found.append(_record("loaded_attribution", span, text, context, neutral=neutral,
                             explanation=verb.reason, category=verb.category))
    return found


# --- 3. the narrator's own claims -----------------------------------------------------------------


def _clause_span(head: Token, first: Token | None = None) -> tuple[int, int]:
    """Characters of a clause: from ``first`` (default its left edge) to its right edge, no end punctuation."""
    doc = head.doc
    start = (first or head.left_edge).i
    end = head.right_edge.i
    while end > start and (doc[end].is_punct or doc[end].is_space):
        end -= 1
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return doc[start].idx, doc[end].idx + len(doc[end].text)


def _after_break(token: Token) -> bool:
    """The phrase of ``token`` follows a comma, dash or closing quotation mark."""
    i = token.left_edge.i
    return i > 0 and token.doc[i - 1].is_punct


def _subject(token: Token) -> Token | None:
    """The subject of a verb, climbing through xcomp ("continues to prove") when it has none."""
    while token is not None:
        subject = next((c for c in token.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is not None or token.dep_ != "xcomp":
            return subject
        token = token.head
    return None


def _is_speaker(token: Token, speakers: frozenset[int]) -> bool:
    return token.lower_ in PERSON_PRONOUNS or token.i in speakers


def _is_participle_commentary(token: Token) -> bool:
    """"..., underscoring how deeply X has been shaken": a commentary verb's -ing clause after a break."""
    return token.tag_ == "VBG" and token.dep_ in PARTICIPLE_DEPS and _after_break(token)


def _inference_subject(token: Token, cues: CommentaryCues, speakers: frozenset[int]) -> Token | None:
    """The subject of "his remarks revealed X": an active commentary verb with an object, whose subject
    is no speaker (person, organisation, human noun) and no source (data, a report)."""
    if token.pos_ != "VERB" or token.tag_ == "VBG" or any(c.dep_ == "prt" for c in token.children):
        return None  # "showed up" is no inference
    if not any(c.dep_ in OBJECT_DEPS for c in token.children):
        return None
    subject = _subject(token)
    if subject is None or subject.dep_ != "nsubj" or _is_speaker(subject, speakers):
        return None
    return None if subject.lemma_.lower() in cues.sources else subject


def _is_characterising_appositive(token: Token, cues: CommentaryCues) -> bool:
    """"— demands that amount to ...", ", a stance that aligns with ...", "— a reference to ..."."""
    word = token.lower_ if token.lower_ in cues.nouns else token.lemma_.lower()
    needs = cues.nouns.get(word)
    # A plural noun after a dash is sometimes tagged as a verb ("— demands that amount to").
    if needs is None or token.dep_ == "ROOT" or not (token.pos_ == "NOUN" or token.tag_ == "VBZ"):
        return False
    if not _after_break(token):
        return False
    return any(c.dep_ in needs for c in token.children)


def _hedged_clause(token: Token, cues: CommentaryCues) -> Token | None:
    """The clause a hedge makes speculative: "X will likely win", not "voters were more likely to say"."""
    if token.lower_ not in cues.hedges or token.pos_ not in ("ADV", "ADJ") or token.dep_ == "amod":
        return None
    if token.i > 0 and token.doc[token.i - 1].lower_ in COMPARATIVES:
        return None  # a comparison of shares (polls), not a prediction
    clause = next((t for t in token.ancestors if t.pos_ in ("VERB", "AUX") and t.dep_ in CLAUSE_HEADS), None)
    if clause is None or sum(1 for t in clause.subtree if t.is_alpha) < MIN_CLAIM_WORDS:
        return None
    return clause


def _is_evaluative_participle(token: Token, cues: CommentaryCues, context: QuoteContext) -> bool:
    """"..., leaving a deeply humiliated government": any -ing clause after a break that judges with an
    evaluative adjective or adverb (Riloff strong subjective clues in the opinion lexicon); wire
    copy's factual participles ("..., killing 12 people") carry none."""
    if not _is_participle_commentary(token) or context.is_cue(token) or token.lemma_.lower() in cues.speech:
        return False  # "..., joking that it was boring" reports what someone said
    return any(t.pos_ in ("ADJ", "ADV") and t.lower_ in cues.evaluative and context.marked_span(t.idx, t.idx + 1) is None
               for t in token.subtree)


def _claim_candidates(doc: Doc, context: QuoteContext, speakers: frozenset[int]) -> Iterator[tuple[str, Token, tuple[int, int]]]:
    """(rule, the cue token, clause span) for each candidate claim."""
    cues = load_commentary_cues()
    for token in doc:
        if token.lemma_.lower() in cues.verbs and not context.is_cue(token) and \
                any(c.dep_ in OBJECT_DEPS for c in token.children):
            if _is_participle_commentary(token):
                yield "participle", token, _clause_span(token)
                continue
            subject = _inference_subject(token, cues, speakers)
            if subject is not None:
                clause = token.head if token.dep_ == "xcomp" else token
                yield "inference", token, _clause_span(clause, first=subject.left_edge)
                continue
        if _is_characterising_appositive(token, cues):
            yield "appositive", token, _clause_span(token)
            continue
        if _is_evaluative_participle(token, cues, context):
            yield "evaluative", token, _clause_span(token)
            continue
        clause = _hedged_clause(token, cues)
        if clause is not None:
            yield "hedge", token, _clause_span(clause)


def find_unattributed_claims(doc: Doc, text: str, context: QuoteContext, entities: tuple[Entity, ...]) -> list[Framing]:
    speakers = _entity_tokens(doc, entities, SPEAKER_TYPES)
    found: list[Framing] = []
    taken: set[tuple[int, int]] = set()
    candidates = sorted(_claim_candidates(doc, context, speakers), key=lambda c: (c[2][0], -c[2][1]))
    for how, cue, (start, end) in candidates:
        if context.marked_span(cue.idx, cue.idx + len(cue)) is not None:
            continue  # inside quotation marks: the speaker's words
        if how != "appositive" and context.in_content(start, end):
            continue  # part of what a source is reported to have said
        if (start, end) in taken:
            continue
        found.append(Framing(start=start, end=end, kind="unattributed_claim", text=text[start:end],
                             explanation=CLAIM_EXPLANATIONS[how], category=how))
        taken.add((start, end))
    return _cut_nested(found, text)


def _cut_nested(claims: list[Framing], text: str) -> list[Framing]:
    """A claim that holds a later claim ends where that one starts: spans stay disjoint."""
    out = []
    claims = sorted(claims)
    for i, claim in enumerate(claims):
        end = claim.end
        for later in claims[i + 1 :]:
            if claim.start < later.start < end:
                end = later.start
        piece = text[claim.start : end].rstrip(" ,;—–-\n")
        if len(piece.split()) >= MIN_CLAIM_WORDS or end == claim.end:
            out.append(Framing(start=claim.start, end=claim.start + len(piece), kind=claim.kind, text=piece,
                               explanation=claim.explanation, category=claim.category))
    return out


def _entity_tokens(doc: Doc, entities: tuple[Entity, ...], types: frozenset[str]) -> frozenset[int]:
    tokens = set()
    for entity in entities:
        if entity.type not in types:
            continue
        for mention in entity.mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None:
                tokens.update(t.i for t in span)
    return frozenset(tokens)


# --- 4. sentence bias -----------------------------------------------------------------------------


def find_biased_sentences(doc: Doc, text: str, context: QuoteContext, contextual: bool = True) -> list[Framing]:
    """Sentences the bias classifier scores at or above its threshold, scored in one batch."""
    sentences = [s for s in doc.sents if sum(1 for t in s if t.is_alpha) >= MIN_SCORED_WORDS]
    if not sentences:
        return []
    try:
        from wirescope.analysis.framing.bias import BIAS_THRESHOLD, score_sentences

        scores = score_sentences([text[s.start_char : s.end_char] for s in sentences], contextual=contextual)
    except (ImportError, FileNotFoundError):
        # The sentence bias layer or its model file is not installed: the other kinds still work.
        return []
    found = []
    for sent, score in zip(sentences, scores):
        if score >= BIAS_THRESHOLD:
            span = (sent.start_char, sent.start_char + len(text[sent.start_char : sent.end_char].rstrip()))
            record = _record("biased_sentence", span, text, context, score=round(float(score), 4),
                             explanation="The sentence bias classifier scores this sentence as biased.",
                             category="sentence")
            found.append(_speaker_sentence(record, context))
    return found


def _speaker_sentence(record: Framing, context: QuoteContext) -> Framing:
    """A sentence mostly inside quotation marks is the speaker's words, not the outlet's.

    Sentence spans rarely sit wholly inside a quotation (they take its opening or closing mark,
    or a trailing cue), so the sentence goes to the quotation covering most of its characters.
    """
    if record.in_quote:
        return record
    best, best_overlap = None, 0
    for start, end in context.marked:
        overlap = min(end, record.end) - max(start, record.start)
        if overlap > best_overlap:
            best, best_overlap = (start, end), overlap
    if best is None or best_overlap * 2 <= record.end - record.start:
        return record
    quote = context.quote_of(*best)
    speaker = quote.speaker.name or quote.speaker.text if quote and quote.speaker else None
    return replace(record, in_quote=True, speaker=speaker, quote=quote.id if quote else None)


# --- the analyzer ---------------------------------------------------------------------------------


def find_framing(doc: Doc, entities: tuple[Entity, ...], quotes: tuple[Quote, ...], *,
                 score_bias: bool = True, contextual_bias: bool = True) -> tuple[Framing, ...]:
    """Every framing record of the article, in text order.

    ``score_bias=False`` leaves out the sentence bias classifier (the other kinds need only the parse);
    ``contextual_bias=False`` scores sentence bias with the static first stage alone (faster).
    """
    if not doc.has_annotation("DEP") or not doc.has_annotation("LEMMA"):
        return ()  # declare what we need: the lemma matcher and the claim rules read the parse
    text = doc.text  # read once: Doc.text is rebuilt on every access
    context = QuoteContext(text, quotes)
    found = find_loaded_terms(doc, text, context)
    found += find_loaded_attribution(doc, text, context)
    found += find_unattributed_claims(doc, text, context, entities)
    if score_bias:
        found += find_biased_sentences(doc, text, context, contextual=contextual_bias)
    return tuple(sorted(set(found)))


# --- summary and neutral reading ------------------------------------------------------------------


def framing_summary(analysis: Analysis) -> dict[str, Any]:
    """Counts by kind and category, and the outlet-voice share of loaded wording.

    ``outlet_voice_share``: loaded terms and attribution verbs outside quotation marks over all of
    them (None when there are none): 1.0 means every loaded word is the outlet's own.
    """
    framing = analysis.framing
    loaded = [f for f in framing if f.kind in LOADED_KINDS]
    outlet = [f for f in loaded if not f.in_quote]
    by_speaker = Counter(f.speaker or "(unattributed quote)" for f in loaded if f.in_quote)
    return {
        "counts": {kind: sum(1 for f in framing if f.kind == kind) for kind in
                   ("loaded_term", "loaded_attribution", "unattributed_claim", "biased_sentence")},
        "categories": dict(Counter(f.category for f in loaded if f.category)),
        "loaded_total": len(loaded),
        "loaded_outlet_voice": len(outlet),
        "loaded_in_quotes": len(loaded) - len(outlet),
        "outlet_voice_share": round(len(outlet) / len(loaded), 3) if loaded else None,
        "in_quotes_by_speaker": dict(by_speaker),
    }


def _analysed_segments(analysis: Analysis) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in analysis.segments if s.kind in ("title", "body")]


def substitutions(analysis: Analysis) -> list[Framing]:
    """The outlet-voice loaded words the neutral reading replaces, in text order, non-overlapping."""
    out: list[Framing] = []
    for f in sorted(analysis.framing):
        replaceable = f.kind in LOADED_KINDS and not f.in_quote and f.neutral is not None
        if replaceable and (not out or f.start >= out[-1].end):
            out.append(f)
    return out


def _rewrite(text: str, start: int, end: int, changes: Iterable[Framing]) -> str:
    pieces, cursor = [], start
    for change in changes:
        if change.start < start or change.end > end:
            continue
        pieces.append(text[cursor : change.start])
        cursor = change.end
        if change.neutral:
            pieces.append(change.neutral)
            continue
        # A deleted word takes its following space with it; a deleted sentence opener passes its
        # capital to the next word ("So-called experts" -> "Experts").
        if text[cursor : cursor + 1] == " ":
            cursor += 1
        if change.text[:1].isupper() and cursor < end and text[cursor].islower():
            pieces.append(text[cursor].upper())
            cursor += 1
    pieces.append(text[cursor:end])
    return "".join(pieces)


def original_reading(analysis: Analysis) -> str:
    """The article as analysed: title and body, one paragraph block each."""
    text = analysis.document.text
    return "\n\n".join(text[s:e].strip() for s, e in _analysed_segments(analysis))


def neutral_reading(analysis: Analysis) -> str:
    """The article with every outlet-voice loaded label and attribution verb replaced by its neutral
    alternative (already inflected when it was found); quoted words are left as spoken."""
    text = analysis.document.text
    changes = substitutions(analysis)
    return "\n\n".join(_rewrite(text, s, e, changes).strip() for s, e in _analysed_segments(analysis))
