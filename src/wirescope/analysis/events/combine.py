"""Rules and tagger together: which trigger a token is, when the learned tagger has a say.

The tagger (``learned``) reads types better than the lexicon (bench/RESULTS.md, section 16); the
lexicon knows CAMEO patterns and modes. So, per token:
* the tagger proposes a type the rules also give: the rules' trigger (its pattern and mode);
* the tagger proposes another type, or the rules have none: a trigger of the tagger's type;
* the rules alone, where the tagger does not confirm them: only when the rules are sure of the
  event (``RULES_ALONE_MIN``).
The thresholds were chosen on the TUNE part of the corpus (bench/events.py --only tune), never on
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
OVERRIDE_MIN = 0.65
# A rule trigger the tagger gives at least this much trigger mass (but another type, below
# OVERRIDE_MIN) keeps the rules' reading; below it, the tagger does not confirm it.
CONFIRM_MIN = 0.65
# OVERRIDE_MIN and CONFIRM_MIN re-tuned on TUNE for the unpadded tagger (bench/RESULTS.md 19b;
# bench/events.py --only tune --grid, 1,380 points): 0.7 / 0.6 -> 0.65 / 0.65, all-events type F1
# + dyad F1 0.892 -> 0.901 (equal: a tagger reading another type never confirms a rule trigger;
# it overrides it or leaves it to RULES_ALONE_MIN); the others kept (the grid's best, 0.904, also
# sets PROPOSAL_MIN 0.75 and RULES_ALONE_MIN 1.0: 0.003 more, within noise).
# A rule event the tagger does not confirm stands when the rules are this sure of it
# (coder._confidence: a verb, a pattern, named actor and recipient, a main clause); 1.0: never.
RULES_ALONE_MIN = 0.85
# The least confidence (coder._confidence) any event of the combined or model coder needs: chosen on
# TUNE (bench/events.py --only tune --grid "EVENT_MIN=0,0.2,...,0.48": all-events type F1 + dyad F1
# 0.901 at 0 -> 0.965 at 0.4, the best; events per sentence 0.79 -> 0.63; bench/RESULTS.md 16c).
EVENT_MIN = 0.4
# Whether an event the tagger proposes needs a side (an actor or a recipient the parse finds). Kept:
# the TUNE grid with EVENT_MIN preferred False (criterion 0.965 -> 0.986), but what it adds are events
# of no side ("? -> CONSULT -> ?"), which say nothing of who did what to whom, and dyad F1 fell with
# them on the gold and the corpus TEST (bench/RESULTS.md 16c).
NEEDS_A_SIDE = True
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
                     coder: Coder) -> tuple[Trigger | None, float | None, float]:
    """The token's trigger, the tagger's probability when the tagger stands behind it, and the
    least confidence its event needs (``RULES_ALONE_MIN`` for a rule the tagger does not confirm)."""
    if coder == "rules":
        return rule, None, 0.0
    if proposal is None:
        if coder == "combined" and rule is not None:
            return rule, None, RULES_ALONE_MIN
        return None, None, 0.0
    etype, probability = proposal
    if rule is not None and rule.code.type == etype:
        return rule, probability, 0.0
    if rule is not None and coder == "combined" and probability < OVERRIDE_MIN:
        return rule, None, (0.0 if probability >= CONFIRM_MIN else RULES_ALONE_MIN)
    if rule is None and probability < PROPOSAL_MIN:
        return None, None, 0.0
    code = Code(DEFAULT_CAMEO[etype], etype, None, ())
    return Trigger(token, code, by_pattern=True), probability, 0.0
