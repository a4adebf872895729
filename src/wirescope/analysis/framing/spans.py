"""Framing: loaded labels, loaded attribution verbs, the narrator's own claims, sentence bias (issue 5).

A pure analyzer over the shared parse (never re-parses). One standard for every side: the same
lexicon judges every party's labels, and words inside a quotation are the speaker's, reported with
``in_quote`` and the speaker, never charged to the outlet.

1. ``loaded_term`` (``loaded_terms``): spans matched on lemmas by a spaCy Matcher compiled from the shipped lexicon
   ``data/loaded_terms.tsv`` (pattern, category, usage, neutral alternative, reason). Longest match
   wins; ``not_loaded`` entries ("Zionist movement", "sanctions regime") make the words descriptive.
2. ``loaded_attribution`` (``loaded_terms``): a verb from ``data/loaded_attribution_verbs.tsv`` ("admitted",
   "claimed") that reports speech: it is a quote's cue, or it governs a reported clause.
3. ``unattributed_claim`` (``claims``): clauses outside quotation marks and quoted content that conclude,
   explain or predict in the outlet's own voice: participial commentary ("..., underscoring how
   ..."), characterising appositives ("— demands that amount to ..."), a commentary verb whose
   subject is no person and no source ("his remarks revealed ..."), and hedged speculation.
4. ``biased_sentence`` (here): every sentence scored by ``bias.score_sentences`` (one batch per
   document) at or above ``bias.BIAS_THRESHOLD``; a missing model file is an error
   (``bias.BiasModelMissing``), never a silently empty layer. ``score_bias=False`` skips it.

Substitutions for the neutral reading are decided here, where the parse is at hand, and stored
in ``Framing.neutral`` already inflected ("admitting" -> "saying", "terrorists" -> "militants"),
so ``neutral_reading`` works on stored analyses without a parse.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from wirescope.analysis.framing.bias import BIAS_THRESHOLD, score_sentences
from wirescope.analysis.framing.claims import find_unattributed_claims
from wirescope.analysis.framing.context import QuoteContext, framing_record
from wirescope.analysis.framing.loaded_terms import find_loaded_attribution, find_loaded_terms
from wirescope.analysis.nlp import doc_text
from wirescope.records import Entity, Framing, Quote

# Sentences shorter than this many words are not sent to the bias scorer (headings, datelines).
MIN_SCORED_WORDS = 4


# --- 4. sentence bias -----------------------------------------------------------------------------


def find_biased_sentences(doc: Doc, text: str, context: QuoteContext, contextual: bool = True) -> list[Framing]:
    """Sentences the bias classifier scores at or above its threshold, scored in one batch."""
    sentences = [s for s in doc.sents if sum(1 for t in s if t.is_alpha) >= MIN_SCORED_WORDS]
    if not sentences:
        return []
    scores = score_sentences([text[s.start_char : s.end_char] for s in sentences], contextual=contextual)
    found = []
    for sent, score in zip(sentences, scores):
        if score >= BIAS_THRESHOLD:
            span = (sent.start_char, sent.start_char + len(text[sent.start_char : sent.end_char].rstrip()))
            record = framing_record("biased_sentence", span, text, context, score=round(float(score), 4),
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
    text = doc_text(doc)
    context = QuoteContext(text, quotes)
    found = find_loaded_terms(doc, text, context)
    found += find_loaded_attribution(doc, text, context)
    found += find_unattributed_claims(doc, text, context, entities)
    if score_bias:
        found += find_biased_sentences(doc, text, context, contextual=contextual_bias)
    return tuple(sorted(set(found)))
