"""Whether an event happened: negated ("not", "never", "failed to"), hypothetical (if, will/would
and other modals, proposed, an intended aim), and the type a promise or a threat makes of it."""

from __future__ import annotations

from spacy.tokens import Token

from wirescope.analysis.events.tree import infinitive

MODALS = frozenset({"will", "would", "could", "might", "may", "should", "shall", "can", "must", "'ll",
                    "’ll", "'d", "’d", "wo", "ca"})
FUTURE = frozenset({"will", "shall", "'ll", "’ll", "wo"})
HYPOTHETICAL_MODIFIERS = frozenset({"proposed", "planned", "possible", "potential", "future",
                                    "expected", "prospective"})
CONDITIONAL_MARKS = frozenset({"if", "unless"})
# Heads that say the act did not happen ("failed to reach a deal") or is only intended.
NEGATING_HEADS = frozenset({"fail", "refuse", "decline", "deny"})
INTENDING_HEADS = frozenset({"plan", "intend", "want", "seek", "propose", "hope", "expect", "aim",
                             "consider", "threaten", "vow", "prepare", "demand", "insist", "urge",
                             "ask", "warn",
                             # "is prepared / ready / willing to impose ...": intent adjectives
                             "prepared", "ready", "willing", "determined"})
NEGATIVE_WORDS = frozenset({"not", "n't", "n’t", "never", "no"})
# Nouns whose complement is an intended act, not a fact ("goals of disarming Hamas", "a plan to
# end the war").
INTENT_NOUNS = frozenset({"goal", "plan", "aim", "bid", "effort", "attempt", "proposal", "offer",
                          "idea", "demand", "call", "threat", "readiness", "willingness",
                          "intention", "deal", "way", "right", "decision"})
# How far up the tree an act looks for an intent noun or verb governing it.
MAX_INTENT_LEVELS = 4
# Promised cooperation is AGREE in PLOVER ("agree to, offer, promise ... to cooperate").
# CAMEO 03 ("express intent to cooperate") holds intents to meet (036), support (032), cooperate
# (031), aid (033) and yield (035): the promise of any of them is AGREE.
PROMISABLE = frozenset({"AID", "COOPERATE", "RETREAT", "CONCEDE", "SUPPORT", "CONSULT"})
# CAMEO 13 ("threaten") is the intent to do a conflictual act (1312 boycott or sanction, 1324
# martial law, 138 force): a stated future or planned one of these is THREATEN.
THREATENABLE = frozenset({"PROTEST", "SANCTION", "COERCE", "ASSAULT", "FIGHT", "MOBILIZE", "REJECT"})


def aux_words(verb: Token) -> set[str]:
    return {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}


def negated(trigger: Token, light: Token | None) -> bool:
    """"did not meet", "held no talks with Chile", "failed to reach a deal"."""
    for token in (trigger, light) if light is not None else (trigger,):
        if any(c.dep_ == "neg" or (c.lower_ in NEGATIVE_WORDS and c.dep_ in {"advmod", "det"})
               for c in token.children):
            return True
    if trigger.pos_ == "VERB" and any(  # "held no talks with Chile"
            d.dep_ == "det" and d.lower_ == "no" for c in trigger.children if c.dep_ == "dobj"
            for d in c.children):
        return True
    head = (light or trigger)
    return head.dep_ == "xcomp" and head.head.lemma_.lower() in NEGATING_HEADS


def modal_reading(etype: str, trigger: Token, light: Token | None, phrase_head: Token,
                  content: bool) -> tuple[str, bool]:
    """The event's type and whether it is hypothetical: a promise of cooperation is itself an
    AGREE, a stated future or intended conflictual act a THREATEN. ``content``: the trigger is
    the content of a meeting or mission ("summoned the ambassador *to complain*"), no mere aim."""
    hypothetical = _hypothetical(trigger, light, etype) or (_intended(phrase_head) and not content)
    if aux_words(light or trigger) & FUTURE or (
            trigger.dep_ == "xcomp" and trigger.head.lemma_.lower() in INTENDING_HEADS):
        if etype in PROMISABLE:
            return "AGREE", False  # a promise of cooperation is itself the event
        if etype in THREATENABLE:
            return "THREATEN", True  # "will boycott the elections unless ..."
    return etype, hypothetical


def _hypothetical(trigger: Token, light: Token | None, etype: str) -> bool:
    verb = light or trigger
    if trigger.pos_ == "NOUN" and any(c.lower_ in HYPOTHETICAL_MODIFIERS for c in trigger.children):
        return True
    if aux_words(verb) & MODALS:
        return True
    if any(c.dep_ == "advcl" and any(m.lower_ in CONDITIONAL_MARKS for m in c.children)
           for c in verb.children):
        return True
    if verb.dep_ == "advcl" and any(m.lower_ in CONDITIONAL_MARKS for m in verb.children):
        return True
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in INTENDING_HEADS:
        return True
    if etype == "THREATEN":  # "warned that if ..., the situation would become nasty"
        for clause in (c for c in trigger.children if c.dep_ in {"ccomp", "xcomp"}):
            if any(t.lower_ in MODALS | CONDITIONAL_MARKS for t in clause.subtree):
                return True
    return False


def _intended(token: Token) -> bool:
    """An act that is only aimed at: an infinitive of purpose ("to free the captives") or the
    complement of an intent noun ("goals of disarming Hamas", "a plan to end the war")."""
    if token.pos_ == "VERB" and token.dep_ in {"advcl", "acl", "xcomp"} \
            and infinitive(token):
        return True
    node = token
    for _ in range(MAX_INTENT_LEVELS):
        if node.head.i == node.i:
            return False
        node = node.head
        if node.pos_ == "NOUN" and node.lemma_.lower() in INTENT_NOUNS:
            return True
        if node.pos_ == "VERB" and node.lemma_.lower() in INTENDING_HEADS:
            return True
    return False


# "declined to comment": not saying is no act against anyone (no REJECT).
UNSAID = frozenset({"comment", "discuss", "elaborate", "say", "answer", "respond", "speculate", "confirm",
                    "specify", "disclose", "identify", "name", "address"})
NOT_SAYING_HEADS = frozenset({"decline", "refuse"})
QUESTION_WORDS = frozenset({"whether", "if", "what", "why", "how", "when", "where", "who", "which"})


def no_act(verb: Token) -> bool:
    """Words that name an act but report none: a no comment ("declined to comment") and a
    question ("asked about his health", "asked whether ..."), which demands nothing."""
    lemma = verb.lemma_.lower()
    if lemma in NOT_SAYING_HEADS:
        return any(c.dep_ == "xcomp" and c.lemma_.lower() in UNSAID for c in verb.children)
    if lemma == "ask":
        # "asked X to ...", "asked for ...": a request; X, the object, is only who is asked
        asks_for = any(c.dep_ == "xcomp" or (c.dep_ == "prep" and c.lower_ == "for") for c in verb.children)
        about = any(c.dep_ == "prep" and c.lower_ == "about" for c in verb.children) or any(
            c.dep_ == "ccomp" and any(w.lower_ in QUESTION_WORDS for w in c.children if w.dep_ in {"mark", "advmod"})
            for c in verb.children)
        return about and not asks_for
    return False
