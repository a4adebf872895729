"""Step 3 of framing: unattributed claims, clauses outside quotation marks and quoted content that
conclude, explain or predict in the outlet's own voice: participial commentary ("..., underscoring
how ..."), characterising appositives ("— demands that amount to ..."), a commentary verb whose
subject is no person and no source ("his remarks revealed ..."), and hedged speculation."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from wirescope.analysis.framing.context import QuoteContext
from wirescope.analysis.framing.lexicons import CommentaryCues, load_commentary_cues
from wirescope.analysis.syntax import NOMINAL_SUBJECT_DEPS, SPEAKER_PRONOUNS
from wirescope.records import Entity, Framing

# Participial commentary hangs off a clause as one of these (spaCy's English labels).
PARTICIPLE_DEPS = frozenset({"advcl", "xcomp", "conj", "acl"})
# People and organisations speak: "Hamas revealed", "the ministry confirmed" report, they do not infer.
SPEAKER_TYPES = frozenset({"PERSON", "ORG"})
# What a commentary verb concludes: "revealed the strength", "underscoring how deeply ...".
OBJECT_DEPS = frozenset({"dobj", "ccomp", "xcomp", "attr", "oprd"})
CLAUSE_HEADS = frozenset({"ROOT", "conj", "ccomp"})
COMPARATIVES = frozenset({"more", "less", "most", "least", "as"})
# Hedged speculation needs a clause of its own: at least this many words.
MIN_CLAIM_WORDS = 4
CLAIM_EXPLANATIONS = {
    "participle": "Commentary in the outlet's own voice: a participial clause draws a conclusion no source is "
                  "cited for.",
    "appositive": "The outlet characterises what it just reported (an appositive or relative clause with no source).",
    "inference": "The outlet infers what something shows or proves, in its own voice, with no source.",
    "hedge": "Speculation in the outlet's own voice (hedged prediction with no source).",
    "evaluative": "A participial clause in the outlet's own voice that judges (evaluative wording, no source).",
}


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
        subject = next((c for c in token.children if c.dep_ in NOMINAL_SUBJECT_DEPS), None)
        if subject is not None or token.dep_ != "xcomp":
            return subject
        token = token.head
    return None


def _is_speaker(token: Token, speakers: frozenset[int]) -> bool:
    return token.lower_ in SPEAKER_PRONOUNS or token.i in speakers


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
    return any(t.pos_ in ("ADJ", "ADV") and t.lower_ in cues.evaluative
               and context.marked_span(t.idx, t.idx + 1) is None for t in token.subtree)


def _claim_candidates(doc: Doc, context: QuoteContext,
                      speakers: frozenset[int]) -> Iterator[tuple[str, Token, tuple[int, int]]]:
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
        hedged = _hedged_clause(token, cues)
        if hedged is not None:
            yield "hedge", token, _clause_span(hedged)


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
    tokens: set[int] = set()
    for entity in entities:
        if entity.type not in types:
            continue
        for mention in entity.mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None:
                tokens.update(t.i for t in span)
    return frozenset(tokens)
