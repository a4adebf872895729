"""Which words report an event: verbs and activity nouns of the lexicon, unless the act is another
trigger's ("agreed *to withdraw*": the agreement; "demanded *an investigation*": the demand) or no
act at all ("according to", an infinitive of purpose).

A statement with a normative modal ("declared that Hamas should release ...") is a DEMAND; a verb
that stops an activity ("ended mediation efforts", "banned the rally") is a SANCTION or a COERCE.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from wirescope.analysis.events.lexicon import LIGHT_VERBS, Code, Lexicon, noun_code, verb_code, verb_lemma, verb_match
from wirescope.analysis.events.modality import MAX_INTENT_LEVELS, THREATENABLE
from wirescope.analysis.events.tree import infinitive

NORMATIVE_MODALS = frozenset({"should", "must"})
# Verbs that stop a cooperative activity ("ended mediation efforts", "suspended aid"): CAMEO 16
# (reduce relations: 162 stop aid, 164 halt negotiations, 165 halt mediation).
STOPPING_VERBS = frozenset({"end", "halt", "suspend", "stop", "cut", "freeze", "cancel", "abandon",
                            "terminate", "break"})
STOPPABLE = {"CONSULT": "164", "COOPERATE": "160", "AID": "162", "SUPPORT": "160", "AGREE": "160"}
# Verbs that stop or forbid a protest, and what that is: CAMEO 1721 (impose restrictions on
# freedoms of speech and expression), PLOVER COERCE `restrict' (see _stopped_activity).
SUPPRESSING_VERBS = frozenset({"prevent", "ban", "forbid", "outlaw", "prohibit", "block", "bar",
                               "suppress", "disperse", "stop", "halt", "break", "crush", "quell"})
# A meeting held or a mission sent "to complain", "to investigate" is coded for that content:
# PLOVER's CONSULT ambiguities ("consultations with ambassadors ... should be coded for the
# content of the action"), and a mission is what it is sent to do.
CONTENT_TYPES = frozenset({"DISAPPROVE", "DEMAND", "REJECT", "THREATEN", "INVESTIGATE", "PROTEST"})
MISSION_VERBS = frozenset({"send", "dispatch", "summon"})
# Heads that make a compound activity noun the event ("a mediation effort", "a protest march").
ACTIVITY_HEADS = frozenset({"effort", "campaign", "process", "mission", "operation", "bid", "drive",
                            "initiative", "move"})
# What a statement verb with a normative clause is ("declared that Hamas should release ...").
STATEMENT_DEMAND = Code("100", "DEMAND", None, ())


@dataclass(frozen=True)
class Trigger:
    """A word that reports an event, and what it means."""

    token: Token
    code: Code
    by_pattern: bool  # a pattern of the verb gave the code, not the verb's default sense
    consumed: Token | None = None  # the object word the pattern consumed ("opened *fire*")


def find_trigger(token: Token, lexicon: Lexicon) -> Trigger | None:
    """The token as a trigger, or None when it reports no event of its own."""
    if token.pos_ == "VERB":
        code, by_pattern, consumed = _verb_trigger(token, lexicon)
    elif token.pos_ == "NOUN":
        code, by_pattern, consumed = _noun_trigger(token, lexicon), False, None
    else:
        return None
    return Trigger(token, code, by_pattern, consumed) if code is not None else None


def _verb_trigger(verb: Token, lexicon: Lexicon) -> tuple[Code | None, bool, Token | None]:
    """The code of a verb as a trigger, whether a pattern gave it, and the object it consumed."""
    if _act_of_another_word(verb, lexicon):
        return None, False, None
    stopped = _stopped_activity(verb, lexicon)
    if stopped is not None:
        return stopped
    code, by_pattern, consumed = verb_match(verb, lexicon)
    if code is not None and any(c.dep_ == "ccomp" and c.i < verb.i for c in verb.children):
        return None, False, None  # "..., a rights group charged": the clause before is reported
    if code is not None and _carries_activity(verb, lexicon):
        return None, False, None  # "organised protests": the noun says what happened
    if code is None and verb.lemma_.lower() in lexicon.statement_verbs \
            and normative_clause(verb) is not None:
        return STATEMENT_DEMAND, True, None
    return code, by_pattern, consumed


def _act_of_another_word(verb: Token, lexicon: Lexicon) -> bool:
    """Whether the verb is no act of its own: an attribution, an aim, or an act another word of
    the sentence reports (its governing verb, its purpose clause, its subject noun)."""
    if verb.lower_ == "according" and any(c.lower_ == "to" for c in verb.children):
        return True  # "according to X": attribution, not an act
    if _in_attribution(verb) or _purpose_of_event(verb, lexicon):
        return True
    head = verb.head
    if verb.dep_ == "xcomp" and head.pos_ == "VERB" and verb_code(head, lexicon)[0] \
            and not _threat_behind_intent(head, verb, lexicon) \
            and content_purpose(head, lexicon) != verb:
        return True  # "agreed to withdraw": the governing verb is the event
    if content_purpose(verb, lexicon) is not None:
        return True  # "summoned the ambassador to complain": the complaint is
    if any(_threat_behind_intent(verb, c, lexicon) for c in verb.children if c.dep_ == "xcomp"):
        return True  # "plans to impose restrictions": the threatened act is coded
    if verb.dep_ == "ccomp" and normative_clause(head) == verb \
            and head.lemma_.lower() in lexicon.statement_verbs:
        return True  # "declared that Hamas should release": the demand is the event
    # "air strikes hit Gaza": the activity noun is the event
    return any(c.dep_ == "nsubj" and c.pos_ == "NOUN" and noun_code(c, lexicon) is not None
               for c in verb.children)


def _noun_trigger(noun: Token, lexicon: Lexicon) -> Code | None:
    """The code of an activity noun as a trigger; a modifier is one only of an activity head."""
    if noun.dep_ in {"compound", "amod"} and noun.head.lemma_.lower() not in ACTIVITY_HEADS:
        return None
    code = noun_code(noun, lexicon)
    if code is None:
        return None
    if noun.dep_ == "compound":  # "mediation efforts": the phrase stands where its head does
        noun = noun.head
    return None if _verb_reports_it(noun, lexicon) else code


def _verb_reports_it(noun: Token, lexicon: Lexicon) -> bool:
    """"demanded an investigation": the demand is the event; but a verb's default sense yields
    to the activity it goes to ("converging for a rally"), unless a pattern of the verb reads the
    preposition ("met for talks")."""
    head = noun.head.head if noun.dep_ == "pobj" else noun.head
    return (noun.dep_ in {"dobj", "pobj", "nsubjpass"} and head.pos_ == "VERB"
            and (verb_code(head, lexicon)[0] is not None or _stopped_activity(head, lexicon) is not None)
            and not _carries_activity(head, lexicon)
            and (noun.dep_ != "pobj" or verb_code(head, lexicon)[1]))


def normative_clause(verb: Token) -> Token | None:
    """The clause of "X said that Y should/must ...": a statement that is a demand on Y."""
    for child in verb.children:
        if child.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ in NORMATIVE_MODALS
                                         for a in child.children):
            return child
    return None


def _threat_behind_intent(outer: Token, inner: Token, lexicon: Lexicon) -> bool:
    """An intent verb (CAMEO 03, "plans to", "is ready to") over a conflictual act: the act,
    coded as THREATEN, is the event (CAMEO 13 is the intent to do harm)."""
    outer_code = verb_code(outer, lexicon)[0]
    inner_code = verb_code(inner, lexicon)[0]
    return (outer_code is not None and outer_code.type == "AGREE" and inner_code is not None
            and inner_code.type in THREATENABLE)


def _stopped_activity(verb: Token, lexicon: Lexicon) -> tuple[Code, bool, Token] | None:
    """"ended mediation efforts", "suspended aid deliveries": stopping a cooperative activity
    reduces relations (SANCTION); "prevented the demonstration", "banned the rally": stopping a
    protest restricts political freedoms (COERCE, CAMEO 1721). The activity noun is consumed by
    the verb (its author, "staged by students", becomes the recipient)."""
    lemma = verb_lemma(verb)
    if lemma not in STOPPING_VERBS and lemma not in SUPPRESSING_VERBS:
        return None
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        code = noun_code(obj, lexicon) or _compound_code(obj, lexicon)  # "aid deliveries"
        if code is None:
            continue
        if lemma in STOPPING_VERBS and code.type in STOPPABLE:
            return Code(STOPPABLE[code.type], "SANCTION", None, ()), True, obj
        if lemma in SUPPRESSING_VERBS and code.type == "PROTEST":
            return Code("1721", "COERCE", "restrict", ("rights_freedoms",)), True, obj
    return None


def _in_attribution(token: Token) -> bool:
    """Inside "according to ..." ("according to a report submitted to X"): the source, not an act."""
    node = token
    for _ in range(MAX_INTENT_LEVELS + 2):
        if node.head.i == node.i:
            return False
        node = node.head
        if node.lower_ == "according":
            return True
    return False


def _purpose_of_event(verb: Token, lexicon: Lexicon) -> bool:
    """"will visit Senegal *to mediate*", "demanded a meeting *to discuss* ...": an infinitive
    of purpose under another trigger describes that event's aim, it is not an event of its own."""
    if verb.dep_ not in {"advcl", "acl"} or not infinitive(verb):
        return False
    if content_purpose(verb.head, lexicon) == verb:
        return False  # "summoned the ambassador to complain": the complaint is the event
    node = verb
    for _ in range(3):
        node = node.head
        if node.pos_ == "VERB" and (verb_code(node, lexicon)[0] is not None
                                    or _carries_activity(node, lexicon)):
            return True
        if node.pos_ == "NOUN" and noun_code(node, lexicon) is not None:
            return True
        if node.head.i == node.i:
            return False
        if node.pos_ == "NOUN" and node.dep_ in {"dobj", "pobj"}:
            continue
        if node.pos_ != "ADP":
            return False
    return False


def content_purpose(verb: Token, lexicon: Lexicon) -> Token | None:
    """The purpose clause that gives a meeting or mission its content ("summoned the ambassador
    *to complain*", "sent experts to X *to investigate*"), if any."""
    if verb.pos_ != "VERB":
        return None
    clauses = [c for c in verb.children if c.dep_ in {"advcl", "xcomp"} and infinitive(c)]
    if not clauses:  # the cheap test first: most verbs have no purpose clause
        return None
    code = verb_code(verb, lexicon)[0]
    if verb_lemma(verb) not in MISSION_VERBS and (code is None or code.type != "CONSULT"):
        return None
    for clause in clauses:
        inner = verb_code(clause, lexicon)[0]
        if inner is not None and inner.type in CONTENT_TYPES:
            return clause
    return None


def _carries_activity(verb: Token, lexicon: Lexicon) -> bool:
    """A light verb whose object is an activity noun ("organised protests", "launched a
    mediation effort"): the verb's sense yields to the noun. A pattern of the verb that reads
    its object itself keeps the verb's sense ("launched an appeal", "launched an attack"), except
    over a generic activity head whose compound names the act ("a *mediation* effort")."""
    if verb_lemma(verb) not in LIGHT_VERBS:
        return False
    _, by_pattern, consumed = verb_match(verb, lexicon)
    if by_pattern and (consumed is None or noun_code(consumed, lexicon) is not None
                       or _activity_code(consumed, lexicon) is None):
        return False
    return any(c.dep_ == "dobj" and _activity_code(c, lexicon) is not None for c in verb.children)


def _activity_code(noun: Token, lexicon: Lexicon) -> Code | None:
    """An activity noun's code, or that of the activity named by the compound of a generic
    activity head ("a *mediation* effort", "a *protest* campaign")."""
    code = noun_code(noun, lexicon)
    if code is None and noun.lemma_.lower() in ACTIVITY_HEADS:
        code = _compound_code(noun, lexicon)
    return code


def _compound_code(noun: Token, lexicon: Lexicon) -> Code | None:
    """The code of an activity named by the noun's compound ("*aid* deliveries")."""
    return next((noun_code(c, lexicon) for c in noun.children if c.dep_ == "compound"
                 and noun_code(c, lexicon) is not None), None)
