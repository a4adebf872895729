"""Rules and tagger together: which trigger a token is, when the learned tagger has a say.

The tagger (``learned``) reads types better than the lexicon (bench/RESULTS.md, section 16); the
lexicon knows CAMEO patterns and modes. So, per token:
* the tagger proposes a type the rules also give: the rules' trigger (its pattern and mode);
* the tagger proposes another type, or the rules have none: a trigger of the tagger's type;
* the rules alone, where the tagger proposes nothing: as ``KEEP_UNCONFIRMED`` says.
The thresholds were chosen on the TUNE part of the corpus (bench/events.py --tune), never on
its TEST part or the PLOVER gold.
"""

from __future__ import annotations

from typing import Literal

from spacy.tokens import Doc, Span, Token

from wirescope.analysis.events.lexicon import Code
from wirescope.analysis.events.triggers import Trigger

Coder = Literal["combined", "rules", "model"]
Proposals = dict[int, tuple[str, float]]

# A trigger the rules do not have needs this much of the tagger's trigger mass (1 - P(O)).
PROPOSAL_MIN = 0.8
# Where the rules give another type, the tagger's type wins from this probability on.
OVERRIDE_MIN = 0.7
# A rule trigger the tagger gives at least this much trigger mass (but another type, below
# OVERRIDE_MIN) keeps the rules' type; below it, the tagger's doubt drops it (see KEEP_UNCONFIRMED).
CONFIRM_MIN = 0.6
# Where a rule trigger the tagger did not propose still makes an event: "never", "alone" (in a
# sentence where the tagger proposes nothing) or "always".
KEEP_UNCONFIRMED = "never"
# Otherwise, a rule event the tagger did not confirm stands when the rules are this sure of it
# (coder._confidence: a verb, a pattern, named actor and recipient, a main clause); 1.0: never.
RULES_ALONE_MIN = 0.85
# Whether an event the tagger proposes needs a side (an actor or a recipient the parse finds).
NEEDS_A_SIDE = True
# The probability a trigger the rules alone stand behind is passed on as (none: the rules' own).
UNCONFIRMED = -1.0
# Sentences shorter than this (in tokens) are not tagged: datelines, bylines, captions.
MIN_SENTENCE_TOKENS = 4
# The CAMEO code that stands for a PLOVER type when no lexicon entry gives one: the base code of
# the type's CAMEO root in CAMEO2PLOVER-2021 (with wirescope's type names).
DEFAULT_CAMEO = {
    "AGREE": "030", "CONSULT": "040", "SUPPORT": "050", "COOPERATE": "060", "AID": "070",
    "CONCEDE": "080", "RETREAT": "084", "INVESTIGATE": "090", "DEMAND": "100", "DISAPPROVE": "110",
    "REJECT": "120", "THREATEN": "130", "PROTEST": "140", "MOBILIZE": "150", "SANCTION": "160",
    "COERCE": "170", "ASSAULT": "180", "FIGHT": "190",
}


def learned_proposals(doc: Doc, text: str, candidates: set[int] | None = None) -> Proposals:
    """Token index -> (type, probability) of the triggers the tagger proposes in the document.
    ``candidates``: token indices the lexicon reads as triggers; only their sentences are tagged
    (the tagger costs about as much as the parse per sentence, and half of a news article's
    sentences hold no lexicon trigger: bench/RESULTS.md, section 16)."""
    from wirescope.analysis.events.learned import load_tagger

    sentences = [s for s in doc.sents if _worth_tagging(s)
                 and (candidates is None or any(s.start <= i < s.end for i in candidates))]
    if not sentences:
        return {}
    tagged = load_tagger().tag([text[s.start_char:s.end_char] for s in sentences])
    proposals: Proposals = {}
    for sentence, found in zip(sentences, tagged, strict=True):
        for proposal in found:
            head = _span_head(doc, sentence.start_char + proposal.start, sentence.start_char + proposal.end)
            if head is not None and head.i not in proposals:
                proposals[head.i] = (proposal.type, proposal.probability)
    return proposals


def _worth_tagging(sentence: Span) -> bool:
    """Whether a sentence can state an event: enough words (teasers are blanked to spaces)."""
    words = [t for t in sentence if not t.is_space and not t.is_punct]
    return len(words) >= MIN_SENTENCE_TOKENS and any(t.pos_ in ("VERB", "NOUN") for t in words)


def _span_head(doc: Doc, start: int, end: int) -> Token | None:
    """The token heading a proposed trigger span: the one whose head lies outside the span."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    inside = {t.i for t in span}
    heads = [t for t in span if t.head.i not in inside or t.head.i == t.i]
    verbs = [t for t in heads if t.pos_ == "VERB"]
    return (verbs or heads or [span[-1]])[0]


def combined_trigger(token: Token, rule: Trigger | None, proposal: tuple[str, float] | None,
                     coder: Coder, sentence_proposed: bool = True) -> tuple[Trigger | None, float | None]:
    """The token's trigger and, when the tagger stands behind it, its probability.
    ``sentence_proposed``: whether the tagger proposed any trigger in the token's sentence."""
    if coder == "rules" or proposal is None:
        keep = coder == "rules" or (coder == "combined" and (
            KEEP_UNCONFIRMED == "always" or (KEEP_UNCONFIRMED == "alone" and not sentence_proposed)))
        if not keep and coder == "combined" and rule is not None and RULES_ALONE_MIN < 1.0:
            return rule, UNCONFIRMED  # kept if the rules are sure enough (coder._code_trigger)
        return (rule if keep else None), None
    etype, probability = proposal
    if rule is not None and rule.code.type == etype:
        return rule, probability
    if rule is not None and coder == "combined" and probability < OVERRIDE_MIN:
        if probability >= CONFIRM_MIN:
            return rule, None
        return (rule, UNCONFIRMED) if RULES_ALONE_MIN < 1.0 else (None, None)
    if rule is None and probability < PROPOSAL_MIN:
        return None, None
    code = Code(DEFAULT_CAMEO[etype], etype, None, ())
    return Trigger(token, code, by_pattern=True), probability
