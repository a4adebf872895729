"""Event coding: who did what to whom, as PLOVER events over the shared parse (issue 4).

A pure analyzer over the one spaCy parse of the page (text outside title and body is blanked, so
teasers never yield events). Each token goes through these steps, one module each:

1. ``triggers``: is it a trigger, and of what (``lexicon``: verbs, patterns, activity nouns)?
2. ``sides``: which tokens name its actors and recipients;
3. ``resolve``: which of the document's actors they are, and their codes;
4. ``violence`` and ``modality``: FIGHT or ASSAULT; negated, hypothetical, a promise or a threat;
   ``quote``: the quote whose content holds the trigger (a claim by a speaker, not a fact stated
   by the outlet);
5. ``merge``: one event, one record.

The learned tagger (``learned``, on by default) proposes triggers and their types; ``combine``
decides, token by token, what the rules and the tagger say together: the tagger's type where it
is sure, the rules' pattern and mode where they agree, the parse's sides always.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from wirescope.analysis.events import combine
from wirescope.analysis.events.combine import Coder, Proposals, combined_trigger, learned_proposals
from wirescope.analysis.events.context import DocContext, doc_context
from wirescope.analysis.events.lexicon import load_lexicon
from wirescope.analysis.events.merge import Found, merge_events
from wirescope.analysis.events.modality import modal_reading, negated, no_act
from wirescope.analysis.events.resolve import Sides, has_name, pick_recipients, resolve_sides
from wirescope.analysis.events.roles import domestic_protest, implied_recipients
from wirescope.analysis.events.sides import (
    CLAUSAL_TYPES,
    REPORTING_LEMMAS,
    complement_sides,
    noun_side_tokens,
    verb_side_tokens,
)
from wirescope.analysis.events.tree import infinitive
from wirescope.analysis.events.triggers import ACTIVITY_HEADS, Trigger, content_purpose, find_trigger, normative_clause
from wirescope.analysis.events.violence import violence_type
from wirescope.records import Entity, Event, Quote, TextSpan

# CAMEO 02 (appeals) counts as DEMAND only when addressed to a recipient (see the build script).
APPEAL_ROOT = "02"
# Dependencies that open a subordinate clause: an event reported there is background, less likely
# the one the sentence is about ("a report *submitted* to X", "people *killed* in the raid").
SUBORDINATE_DEPS = frozenset({"acl", "relcl", "advcl", "ccomp", "pcomp", "csubj", "xcomp"})
# Subtracted per subordinate clause above the trigger (at most 2): a sentence's main event is its
# main clause's; measurements: bench/RESULTS.md, 'Measurement histories'.
CONFIDENCE_SUBORDINATE = 0.2
# A predicative adjective or phrase the tagger proposes as a trigger ("is *willing* to", "remained
# *on* alert"): its sides are its verb's.
PREDICATE_POS = frozenset({"ADJ", "ADP"})
PREDICATE_DEPS = frozenset({"acomp", "oprd", "prep"})
# Threats and demands are made on someone: with none named in their clause, the text implies one.
IMPLIED_RECIPIENT_TYPES = frozenset({"THREATEN", "DEMAND"})
CONFIDENCE_BASE = 0.4
CONFIDENCE_VERB = 0.15  # verbs are parsed as predicates; nouns are more often mere topics
CONFIDENCE_PATTERN = 0.1  # a verb + object pattern is more specific than a verb default
CONFIDENCE_ACTOR = 0.2  # an actor resolved to an entity or a code
CONFIDENCE_RECIPIENT = 0.1


def code_events(doc: Doc, entities: tuple[Entity, ...], quotes: tuple[Quote, ...],
                published: str | None = None, coder: Coder = "combined", floor: float | None = None
                ) -> tuple[Event, ...]:
    """The political events of the article, one record per event. ``published``: the page's
    date (ISO), on which phrases that name no entity are coded ("the president"). ``coder``:
    "combined" (the default), or "rules" / "model" alone (for benchmarks). ``floor``: the least
    confidence an event needs; None: ``combine.EVENT_MIN``, none for the rules alone."""
    if not doc.has_annotation("DEP"):
        return ()
    lexicon = load_lexicon()
    ctx = doc_context(doc, entities, quotes, published)
    rules = {t.i: trigger for t in doc if (trigger := find_trigger(t, lexicon)) is not None}
    proposals: Proposals = {}
    if coder != "rules":
        # "model" alone tags every sentence; combined, the sentences where the lexicon sees a trigger
        proposals = learned_proposals(doc, ctx.text, None if coder == "model" else set(rules))
    found: list[Found] = []
    for token in doc:
        rule = rules.get(token.i) if coder != "model" or token.i in proposals else None
        trigger, probability, least = combined_trigger(token, rule, proposals.get(token.i), coder)
        if trigger is None:
            continue
        item = _code_trigger(trigger, ctx, probability)
        if item is not None and item.event.confidence >= least:
            found.append(item)
    # The floor applies to an event as read: its reports merged (a repeated event is surer).
    if floor is None:
        floor = 0.0 if coder == "rules" else combine.EVENT_MIN
    return tuple(merge_events(found, floor=floor))


def _code_trigger(trigger: Trigger, ctx: DocContext, probability: float | None = None) -> Found | None:
    """The event a trigger reports, or None when its sides do not make one. ``probability``:
    the tagger's, when the tagger proposed the trigger (its type then stands)."""
    token = trigger.token
    # "summoned the ambassador to complain": the purpose is the content of the act, no mere aim
    content = token.pos_ == "VERB" and content_purpose(token.head, load_lexicon()) == token
    # "a mediation effort between X and Y": the phrase's head carries the sides and the flags
    phrase_head = token.head if token.dep_ == "compound" and token.head.lemma_.lower() in ACTIVITY_HEADS else token
    carrier = predicate_verb(token) if probability is not None else None
    if token.pos_ == "VERB":
        if (probability is None and _reports_statement(trigger)) or no_act(token):
            return None
        if probability is not None and _plain_report(trigger):
            return None
        side_tokens = verb_side_tokens(trigger, content, ctx)
    elif carrier is not None:
        # "Sudan is *willing* to withdraw", "troops remained *on alert*": the verb the predicate
        # hangs on carries the sides; the tagger's word stays the trigger
        side_tokens = verb_side_tokens(Trigger(carrier, trigger.code, trigger.by_pattern), False, ctx)
    else:
        side_tokens = noun_side_tokens(phrase_head, trigger.code.type)
    sides = resolve_sides(token, trigger.code.type, side_tokens, ctx)
    if probability is None and not _makes_event(trigger, side_tokens.has_object, sides):
        return None
    if probability is not None and combine.NEEDS_A_SIDE and not (sides.actors or sides.recipients or sides.anaphoric):
        return None  # a sideless act ("the occupation", "the siege") says nothing of who did what to whom
    confidence = _confidence(trigger, sides, probability)
    if not sides.recipients and token.pos_ == "VERB":
        # Last resort, once the event stands; no effect on confidence.
        sides.recipients = pick_recipients(complement_sides(token, ctx), ctx, sides.actors)
    etype = trigger.code.type
    if etype in IMPLIED_RECIPIENT_TYPES and not sides.recipients:
        sides.recipients = implied_recipients(token, ctx, sides.actors)
    if etype == "PROTEST":
        sides.actors, sides.recipients = domestic_protest(sides.actors, sides.recipients,
                                                          side_tokens.actors_are_place)
    if probability is None:
        etype = violence_type(etype, token, sides.recipients, sides.armed)
    modal_type, hypothetical = modal_reading(etype, token, side_tokens.light, phrase_head, content)
    etype = etype if probability is not None else modal_type
    event = _event(trigger, etype, sides, ctx, confidence=confidence,
                   negated=negated(token, side_tokens.light), hypothetical=hypothetical)
    return Found(event, sides.anaphoric)


def predicate_verb(token: Token) -> Token | None:
    """The verb (or copula) a predicative adjective or prepositional phrase hangs on ("is *willing*",
    "remained *on* alert"), None for any other word. Only the tagger proposes such triggers."""
    if token.pos_ in PREDICATE_POS and token.dep_ in PREDICATE_DEPS and token.head.pos_ in ("VERB", "AUX"):
        return token.head
    return None


def _reports_statement(trigger: Trigger) -> bool:
    """"admitted that ...", "revealed that ...": a statement, not the act ("allowed X to run" is
    no statement: its clause is an infinitive)."""
    verb = trigger.token
    return (any(c.dep_ == "ccomp" and not infinitive(c) for c in verb.children) and not trigger.by_pattern
            and trigger.code.type not in CLAUSAL_TYPES)


def _plain_report(trigger: Trigger) -> bool:
    """"Trump says US in talks": a reporting verb the tagger reads as a demand demands nothing
    unless what is said is an obligation ("said that Y must ...", ``normative_clause``)."""
    verb, lemma = trigger.token, trigger.token.lemma_.lower()
    # "told Y to ...": who is told is asked; "says US in talks": what is said is no addressee
    told = lemma == "tell" and any(c.dep_ in {"dobj", "dative"} for c in verb.children)
    return trigger.code.type == "DEMAND" and lemma in REPORTING_LEMMAS and normative_clause(verb) is None and not told


def _makes_event(trigger: Trigger, has_object: bool, sides: Sides) -> bool:
    """Whether the trigger's sides make it an event: a named side (or an anaphoric noun), and
    the sides its type needs."""
    code, by_pattern = trigger.code, trigger.by_pattern
    named_actor = any(has_name(a) for a in sides.actors)
    named_recipient = any(has_name(r) for r in sides.recipients)
    if code.cameo.startswith(APPEAL_ROOT) and not named_recipient:
        return False
    if has_object and not by_pattern and not named_recipient:
        return False  # "revealed the heavy losses": a verb's default sense needs a named object
    if code.type == "DEMAND" and trigger.token.pos_ == "VERB" and not by_pattern and not named_recipient:
        return False  # "she needs ...": a demand is made on someone
    if code.type == "CONSULT" and not sides.recipients and len(sides.actors) < 2 and not sides.anaphoric:
        return False  # a consultation takes two sides: "a woman went" is no visit
    return named_actor or named_recipient or sides.anaphoric


def _confidence(trigger: Trigger, sides: Sides, probability: float | None = None) -> float:
    """How sure the coding is: a verb, a pattern, named sides and a main clause make it surer;
    with the tagger, its probability stands for the lexicon's part (base, verb, pattern)."""
    token = trigger.token
    if probability is not None:
        confidence = probability * (CONFIDENCE_BASE + CONFIDENCE_VERB + CONFIDENCE_PATTERN)
    else:
        confidence = CONFIDENCE_BASE + (CONFIDENCE_VERB if token.pos_ == "VERB" else 0.0)
        confidence += CONFIDENCE_PATTERN if trigger.by_pattern else 0.0
    confidence += CONFIDENCE_ACTOR if any(has_name(a) for a in sides.actors) else 0.0
    confidence += CONFIDENCE_RECIPIENT if any(has_name(r) for r in sides.recipients) else 0.0
    confidence -= CONFIDENCE_SUBORDINATE * min(_clause_depth(token), 2)
    return round(min(max(confidence, 0.05), 0.95), 2)


def _clause_depth(token: Token) -> int:
    """How many subordinate clauses lie between the trigger and the sentence root."""
    depth, node = 0, token
    for _ in range(12):  # a parse tree's depth in a sentence; bounded in case of a cycle
        if node.head.i == node.i:
            break
        depth += node.dep_ in SUBORDINATE_DEPS
        node = node.head
    return depth


def _event(trigger: Trigger, etype: str, sides: Sides, ctx: DocContext, *, confidence: float,
           negated: bool, hypothetical: bool) -> Event:
    """The record of one report of the event (its id is given when reports are merged)."""
    token, code = trigger.token, trigger.code
    s_start, s_end = _line_bounds(ctx.text, token, ctx.sentence_of[token.i])
    span = TextSpan(token.idx, token.idx + len(token.text), token.text)
    return Event(
        id="", type=etype, trigger=span, sentence=TextSpan(s_start, s_end, ctx.text[s_start:s_end]),
        actors=sides.actors, recipients=sides.recipients, mode=code.mode, context=code.context,
        negated=negated, hypothetical=hypothetical, quote=ctx.quote_of(token.idx),
        confidence=confidence, mentions=(span,),
    )


def _line_bounds(text: str, token: Token, sentence: Span) -> tuple[int, int]:
    """The trigger's sentence, cut at line breaks (a headline is parsed into the next line)."""
    start, end = sentence.start_char, sentence.end_char
    line_start = text.rfind("\n", start, token.idx) + 1
    line_end = text.find("\n", token.idx, end)
    return _strip(text, max(start, line_start), end if line_end < 0 else line_end)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
