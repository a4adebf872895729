"""Who acts and who is acted upon, as the parse says it: the tokens naming each side of a trigger.

Actors come from the trigger's subject and its conjuncts (a compound actor is one event), climbing
xcomp/conj/advcl heads for subjectless verbs, passive agents ("by X"), a noun's possessor,
nationality or light verb ("held talks"); recipients from objects, "with/on/against X", passive
subjects and the subject of a demanded or threatened clause. ``resolve`` turns the tokens into
the document's actors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from wirescope.analysis.events.context import DocContext
from wirescope.analysis.events.lexicon import LIGHT_VERBS, verb_lemma
from wirescope.analysis.events.tree import crosses_line, infinitive, prep_objects, with_conjuncts
from wirescope.analysis.events.triggers import Trigger, normative_clause
from wirescope.analysis.syntax import (
    ACTIVE_SUBJECT_DEPS,
    EVENT_CLIMB_DEPS,
    PASSIVE_SUBJECT_DEPS,
    RELATIVE_PRONOUNS,
)

# Prepositions that introduce the recipient of an event ("talks with Hamas", "sanctions on Iran").
RECIPIENT_PREPS = frozenset({"with", "on", "against", "to", "toward", "towards", "into", "at", "upon"})
# Where a protest is held: its people are the protesters ("demonstrations inside Israel").
PROTEST_PLACE_PREPS = frozenset({"in", "inside", "across", "throughout", "outside"})
# A verb's complements, where a side named anywhere is the recipient of last resort.
COMPLEMENT_DEPS = frozenset({"dobj", "dative", "prep", "xcomp", "ccomp", "advcl", "attr"})
# Types a clause reported after the trigger ("demanded that X ...") takes its recipient from.
CLAUSAL_TYPES = frozenset({"DEMAND", "THREATEN", "DISAPPROVE", "REJECT", "AGREE"})
# Types done together: with no subject, the objects of "between" are their actors.
MUTUAL_TYPES = frozenset({"AGREE", "CONSULT", "COOPERATE"})
# Verbs whose subject undergoes the act their object names ("faces mounting pressure", "encountered
# protests"): PETRARCH-2 codes the subject as the source, but in PLOVER the source is whoever
# presses or protests (the noun's author, "faces US pressure"), and the subject is the recipient.
UNDERGOING_VERBS = frozenset({"face", "encounter", "brave", "confront"})
# The objects whose rejection targets their author ("dismissed the idea").
PROPOSAL_NOUNS = frozenset({"plan", "proposal", "idea", "offer", "initiative", "suggestion", "deal"})
# Pronouns that stand for a proposal told before ("X announced a ceasefire initiative, but Y
# dismissed *it*"): its author is the recipient, as for "dismissed the idea".
PROPOSAL_PRONOUNS = frozenset({"it", "this", "that"})
# How many words back a noun trigger with no syntactic actor may look for one ("US in talks").
NEAR_ACTOR_WORDS = 4
# Nouns of an act done by the one "of" names ("the withdrawal *of Israeli forces*": the forces
# withdraw), unlike "the release of prisoners" (the prisoners are released).
SELF_ACT_NOUNS = frozenset({"withdrawal", "pullout", "pull-out", "retreat", "departure", "resignation",
                            "arrival", "deployment", "redeployment", "mobilization", "mobilisation",
                            "surrender", "exit", "visit", "protest", "strike", "demonstration", "march"})
# Nouns of control over a place or people: their "over/on/in/of" object is who is controlled, their
# nationality or possessor who controls ("imposing *Israeli* security control *over Gaza*").
CONTROL_NOUNS = frozenset({"control", "occupation", "siege", "blockade", "curfew", "rule", "sovereignty",
                           "authority", "restriction", "restrictions", "closure", "lockdown"})
# What someone says or files rather than who says it: a clause on one of these ("a statement
# *calling on* X", "a letter *urging* Y") is its author's act.
MESSAGE_NOUNS = frozenset({"statement", "letter", "report", "message", "resolution", "ad", "advertisement",
                           "post", "tweet", "video", "editorial", "petition", "appeal", "motion", "bill",
                           "lawsuit", "complaint", "memo", "speech", "communique", "declaration", "notice"})
# Verbs whose subject owns an act by claiming responsibility for it.
CLAIMING_VERBS = frozenset({"claim", "take", "accept", "admit", "assume", "bear"})
# Prepositions that make a meeting noun the occasion of a verb ("met at a summit").
MEETING_PREPS = frozenset({"at", "for", "during", "in"})
# Verbs that report speech. A meeting noun under one is what is said, not an occasion of the saying
# ("Trump says US in talks with Hamas", a headline without its copula: ``_meeting_verb``); and the
# tagger's demand on one needs an obligation in what is said (``coder._plain_report``).
REPORTING_LEMMAS = frozenset({"say", "state", "add", "write", "note", "declare", "tell"})
# Event types of armed attacks: their recipients are whoever the attack hit.
ATTACK_TYPES = frozenset({"ASSAULT", "FIGHT"})
# Verbs of a participial clause that say who an attack hit ("carried out air strikes, *killing* X").
HARM_VERBS = frozenset({"kill", "injure", "wound", "hit", "target", "maim", "hurt"})
# Verbs of a clause that says who attacked ("were killed *after gunmen opened fire*").
ATTACK_VERBS = frozenset({"attack", "open", "fire", "shoot", "shell", "bomb", "storm", "raid", "strike",
                          "ambush", "stab"})
CONTROL_PREPS = frozenset({"over", "on", "in", "of", "across", "around", "against"})


@dataclass
class SideTokens:
    """The tokens naming a trigger's actors and recipients (recipients in order of preference)."""

    actors: list[Token]
    recipients: list[Token] = field(default_factory=list)
    light: Token | None = None  # the light verb carrying a noun trigger ("*held* talks")
    consumed: Token | None = None  # the pattern's object ("opened *fire*"): its author is the recipient
    has_object: bool = False  # a verb trigger with a direct object
    actors_are_place: bool = False  # "demonstrations inside Israel": the actor is where it is held


# --- verbs ---------------------------------------------------------------------------------------


def verb_side_tokens(trigger: Trigger, content: bool, ctx: DocContext) -> SideTokens:
    """The sides of a verb trigger. ``content``: the verb is the content of a meeting or mission
    ("summoned the ambassador *to complain*"): the envoy summoned is its recipient."""
    verb, etype, consumed = trigger.token, trigger.code.type, trigger.consumed
    actors, recipients, climbed = verb_sides(verb)
    if not actors and etype in MUTUAL_TYPES:
        # "a deal was agreed *between X and Y*": both parties act
        actors = [t for c in verb.children if c.dep_ == "prep" and c.lower_ == "between" for t in prep_objects(c)]
    if consumed is not None and verb.lemma_.lower() in UNDERGOING_VERBS:
        actors, recipients = author(consumed), actors
        consumed = None
    normative = normative_clause(verb) if etype == "DEMAND" else None
    if normative is not None:
        recipients += [c for c in normative.children if c.dep_ in ACTIVE_SUBJECT_DEPS]
    recipients += _proposer(verb, ctx)
    if content:  # the envoy summoned, the place the mission went to
        recipients += [t for c in verb.head.children if c.dep_ in {"dobj", "prep"}
                       for t in ([c] if c.dep_ == "dobj" else [p for p in c.children if p.dep_ == "pobj"])]
    recipients += _recipient_candidates(verb)
    recipients += _clause_candidates(verb, etype, ctx)
    if climbed and not recipients:
        # "Netanyahu reiterated his goals of disarming Hamas — demands that ...": the
        # borrowed clause's object holds the recipient.
        recipients = [t for c in verb.head.children if c.dep_ == "dobj" for t in c.subtree
                      if t.i in ctx.token_entity]
    controlled = controlled_party(verb)
    if controlled:
        # "imposing Israeli security control over Gaza": Gaza is controlled; "Israeli" controls
        controllers = [t for noun in _control_objects(verb) for t in author(noun)]
        recipients = controlled + [t for t in recipients if t not in controllers and t not in _control_objects(verb)]
        actors = actors or controllers
        if consumed is not None and consumed.lemma_.lower() in CONTROL_NOUNS:
            consumed = None  # "imposed control": the noun's author controls, it is no recipient
    if etype in ATTACK_TYPES:
        recipients += harmed(verb)
        if not actors and recipients:
            actors = attackers(verb)
    has_object = any(c.dep_ == "dobj" for c in verb.children)
    return SideTokens(actors, recipients, consumed=consumed, has_object=has_object)


def _control_objects(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in CONTROL_NOUNS]


def controlled_party(verb: Token) -> list[Token]:
    """Who a verb of control ("imposed a curfew on X", "tightened the siege of X") controls: the
    object of the control noun's "over/on/in/of" (PLOVER's recipient of COERCE is the one
    coerced, not the controller's nationality)."""
    nouns = _control_objects(verb)
    # the parse hangs "over Gaza" on the noun or on the verb ("imposing control | over Gaza")
    heads = [*nouns, verb] if nouns else []
    return [p for head in heads for c in head.children
            if c.dep_ == "prep" and c.lower_ in CONTROL_PREPS - {"of" if head is verb else ""} for p in prep_objects(c)]


def verb_sides(verb: Token) -> tuple[list[Token], list[Token], bool]:
    """Actor and recipient tokens of a verb from its own dependents; ``climbed`` when the
    subject was borrowed from a governing verb or noun."""
    actors: list[Token] = []
    recipients: list[Token] = []
    for child in verb.children:
        if child.dep_ in ACTIVE_SUBJECT_DEPS or (child.dep_ in PASSIVE_SUBJECT_DEPS
                                                 and verb_lemma(verb) in LIGHT_VERBS):
            # "his team is engaged in negotiations": a light verb's passive form is active in sense
            actors.extend(with_conjuncts(_relative_head(child)))
        elif child.dep_ in PASSIVE_SUBJECT_DEPS:
            recipients.extend(with_conjuncts(_relative_head(child)))
        elif child.dep_ == "agent":
            actors.extend(prep_objects(child))
    actors = [_reported_speaker(t) for t in actors]
    climbed = False
    head = verb
    steps = 0
    passive = bool(recipients) or verb.tag_ == "VBN" and verb.dep_ in {"acl", "relcl"}
    while not actors and not passive and _can_climb(head) and steps < 3:
        head, steps, climbed = head.head, steps + 1, True
        if head.pos_ in {"NOUN", "PROPN"}:
            actors.append(head)  # "forces fighting the rebels" (acl reached through conj)
            break
        actors.extend(_reported_speaker(t) for c in head.children if c.dep_ in ACTIVE_SUBJECT_DEPS
                      for t in with_conjuncts(_relative_head(c)))
        actors.extend(t for c in head.children if c.dep_ == "agent" for t in prep_objects(c))
    if not actors and verb.dep_ in {"acl", "relcl"} and verb.head.pos_ in {"NOUN", "PROPN"}:
        if not passive and verb.head.lemma_.lower() in MESSAGE_NOUNS:
            actors.extend(message_author(verb.head))  # "X issued a statement *calling on* Y"
        else:
            # "forces fighting the rebels"; "captives held in Gaza" (a participle) are recipients
            (recipients if passive else actors).append(verb.head)
    return actors, recipients, climbed


def _relative_head(token: Token) -> Token:
    """"who"/"which" as a subject stands for the noun its relative clause modifies; a participle
    parsed as the subject ("the Red Cross *operating* in Iraq said") stands for its own subject."""
    if token.lower_ in RELATIVE_PRONOUNS and token.head.dep_ == "relcl":
        return token.head.head
    if token.pos_ == "VERB" and token.tag_ in {"VBG", "VBN"}:
        return next((c for c in token.children if c.dep_ in ACTIVE_SUBJECT_DEPS and c.pos_ in {"NOUN", "PROPN"}),
                    token)
    return token


def _reported_speaker(token: Token) -> Token:
    """"Hungary said it will support ...": an "it"/"they" subject of a reported clause is the
    speaker (the reporting verb's subject), the usual reading in news and PETRARCH's as well."""
    if token.lower_ not in {"it", "they"}:
        return token
    clause = token.head
    if clause.dep_ != "ccomp":
        return token
    subjects = [c for c in clause.head.children if c.dep_ in ACTIVE_SUBJECT_DEPS and c.pos_ != "PRON"]
    return subjects[0] if subjects else token


def _can_climb(verb: Token) -> bool:
    """A subjectless verb shares its head's subject when it continues the head's clause
    ("agreed to withdraw", "told reporters, warning that"), not across "if"/"when" clauses."""
    if verb.dep_ not in EVENT_CLIMB_DEPS or verb.head.i == verb.i:
        return False
    return not (verb.dep_ == "advcl" and any(c.dep_ == "mark" for c in verb.children))


def _recipient_candidates(trigger: Token) -> list[Token]:
    """Recipient tokens in order of preference: those of the trigger, then of its xcomp chain
    ("agreed to give aid to X") and of a purpose clause ("opened fire to disperse demonstrators")."""
    chain = [trigger]
    chain.extend(c for c in trigger.children if c.dep_ == "xcomp" or (
        c.dep_ == "advcl" and infinitive(c)))
    return [t for verb in chain for t in _verb_recipients(verb)]


def _verb_recipients(verb: Token) -> list[Token]:
    """Who receives: "gave X *to Y*", "sanctions *on Y*", then the object "attacked *Y*", then
    "with Y" (a partner, or only an instrument: "attacked Chad with artillery"), then a side
    inside the object ("the release *of prisoners*")."""
    children = list(verb.children)
    # "gave *to* Armenia": the parse makes the preposition the dative, its object is who receives
    out = [t for c in children if c.dep_ in {"dative", "iobj"}
           for t in (prep_objects(c) if c.pos_ == "ADP" else with_conjuncts(c))]
    out += [t for c in children if c.dep_ == "prep" and c.lower_ in RECIPIENT_PREPS - {"with"}
            for t in prep_objects(c)]
    for child in children:
        if child.dep_ == "dobj":
            out.extend(with_conjuncts(child))
            out.extend(author(child))  # "investigating war crimes *by Croatian extremists*"
    for child in children:
        if child.dep_ == "prep" and child.lower_ == "with":
            out.extend(prep_objects(child))
        elif child.dep_ == "prep" and child.lower_ not in RECIPIENT_PREPS:
            # "engaged in negotiations with Hamas"
            out.extend(t for p in child.children if p.dep_ == "pobj" for q in p.children
                       if q.dep_ == "prep" and q.lower_ in RECIPIENT_PREPS
                       for t in q.children if t.dep_ == "pobj")
    # "the release of prisoners", "attacks against Palestinians"
    out += [p for c in children if c.dep_ in {"dobj", "attr"} for prep in c.children
            if prep.dep_ == "prep" and prep.lower_ in RECIPIENT_PREPS | {"of"}
            for p in prep.children if p.dep_ == "pobj"]
    return out


def _clause_candidates(trigger: Token, etype: str, ctx: DocContext) -> list[Token]:
    """Named sides in a demanded, threatened or criticised clause ("insists that any exchange
    must include the withdrawal of Israeli forces"): its subject first, then in text order."""
    out: list[Token] = []
    for clause in (c for c in trigger.children if c.dep_ in {"ccomp", "xcomp"}):
        if etype in CLAUSAL_TYPES:
            out.extend(c for c in clause.children if c.dep_ in ACTIVE_SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS)
            out.extend(t for t in clause.subtree if t.pos_ in {"PROPN", "NOUN", "ADJ"} and t.dep_ != "compound")
        elif infinitive(clause):  # "allowed X to run": X is acted upon
            out.extend(c for c in clause.children if c.dep_ in ACTIVE_SUBJECT_DEPS)
    return [t for t in out if t.i in ctx.token_entity or _has_modifier_entity(t, ctx)]


def _has_modifier_entity(token: Token, ctx: DocContext) -> bool:
    return any(c.i in ctx.token_entity for c in token.children if c.dep_ in {"poss", "amod", "compound"})


def _proposer(token: Token, ctx: DocContext) -> list[Token]:
    """Who made the plan or proposal a trigger rejects ("Halevi put forward a plan ..., but
    Netanyahu dismissed the idea", "... dismissed it"): the named subject of a verb of which a proposal noun is the
    object, in this sentence or the one before."""
    if not any(c.dep_ == "dobj" and c.i not in ctx.token_entity
               and (c.lemma_.lower() in PROPOSAL_NOUNS or c.lower_ in PROPOSAL_PRONOUNS) for c in token.children):
        return []
    start = ctx.sentence_of[token.i].start
    if start > 0:
        start = ctx.sentence_of[start - 1].start
    for candidate in reversed(token.doc[start : token.i]):
        if candidate.dep_ == "dobj" and candidate.lemma_.lower() in PROPOSAL_NOUNS:
            subjects = [c for c in candidate.head.children
                        if c.dep_ in ACTIVE_SUBJECT_DEPS and c.i in ctx.token_entity]
            if subjects:
                return subjects
    return []


def complement_sides(verb: Token, ctx: DocContext) -> list[Token]:
    """Named sides anywhere in the verb's complements ("declined to resign despite pressure *by
    the commission*"): the recipients of last resort."""
    return [t for c in verb.children if c.dep_ in COMPLEMENT_DEPS
            for t in c.subtree if t.i in ctx.token_entity and t.pos_ != "PRON"]


# --- nouns ---------------------------------------------------------------------------------------


def noun_side_tokens(noun: Token, etype: str) -> SideTokens:
    """The sides of an activity noun, and the light verb carrying it, if any."""
    actors, recipients = _noun_dependents(noun, etype)
    light = _light_verb(noun)
    if light is not None:
        # "launched an assault | on X", "held talks | with Y": the parse hangs the noun's
        # complement on its light verb
        recipients.extend(t for c in light.children if c.dep_ == "prep" and c.lower_ in RECIPIENT_PREPS
                          and c.i > noun.i for t in prep_objects(c))
        # "continued their hunger strike *to demand the resignation of X*": the aim's object
        recipients.extend(t for c in light.children if c.dep_ == "advcl"
                          and infinitive(c)
                          for d in c.children if d.dep_ == "dobj" for t in [d, *author(d)])
        if all(t.pos_ == "PRON" for t in actors):  # "continued *their* hunger strike": the subject
            actors.extend(verb_sides(light)[0] or [t for c in light.children if c.dep_ in PASSIVE_SUBJECT_DEPS
                                                    for t in with_conjuncts(c)])
        if etype in ATTACK_TYPES:
            recipients.extend(harmed(light))
    if etype == "CONSULT" and light is None and not actors and (verb := _meeting_verb(noun)) is not None:
        # "X met Y *at a summit*", "X hosted Y *for talks*": the meeting is the verb's, X with Y
        actors.extend(verb_sides(verb)[0])
        # before the noun's own "at the Kremlin", which is where they met
        recipients[:0] = [t for c in verb.children if c.dep_ == "dobj" for t in with_conjuncts(c)]
    if not actors:
        actors.extend(claimant(noun))
    actors_are_place = False
    if not actors and etype == "PROTEST":  # "demonstrations inside Israel": the country's people
        actors.extend(p for c in noun.children if c.dep_ == "prep" and c.lower_ in PROTEST_PLACE_PREPS
                      for p in c.children if p.dep_ == "pobj")
        actors_are_place = bool(actors)
    if etype in ATTACK_TYPES:  # "the bombings *that killed* 300 people"
        recipients.extend(t for c in noun.children if c.dep_ == "relcl" and c.lemma_.lower() in HARM_VERBS
                          for d in c.children if d.dep_ == "dobj" for t in with_conjuncts(d))
    if noun.dep_ == "nsubj" and not recipients and etype in ATTACK_TYPES:
        # "the attack killed five soldiers"
        recipients.extend(t for c in noun.head.children if c.dep_ == "dobj" for t in with_conjuncts(c))
    return SideTokens(actors, recipients, light=light, actors_are_place=actors_are_place)


def _noun_dependents(noun: Token, etype: str) -> tuple[list[Token], list[Token]]:
    """Actors and recipients among the noun's own dependents: "*Greek* unions' protests *against
    Germany*", "negotiations *by X* *with Y*", "mediation *between X and Y*"."""
    actors: list[Token] = []
    recipients: list[Token] = []
    for child in noun.children:
        if child.dep_ == "poss" or (child.dep_ in {"compound", "amod", "nmod"}
                                    and child.ent_type_ in {"NORP", "GPE", "ORG", "PERSON"}):
            actors.append(child)
        elif child.dep_ == "prep":
            pobjs = prep_objects(child)
            if child.lower_ == "by":
                actors.extend(pobjs)
            elif child.lower_ == "of":
                self_act = etype == "PROTEST" or noun.lemma_.lower() in SELF_ACT_NOUNS
                (actors if self_act else recipients).extend(pobjs)
            elif child.lower_ in CONTROL_PREPS and noun.lemma_.lower() in CONTROL_NOUNS:
                recipients.extend(pobjs)  # "control over Gaza": the controlled party
            elif child.lower_ in RECIPIENT_PREPS or (child.lower_ == "between" and etype == "CONSULT"):
                recipients.extend(pobjs)  # "mediation between X and Y": both sides are met
    return actors, recipients


def _light_verb(noun: Token) -> Token | None:
    """The light verb whose object the noun is ("*held* talks", "*took* part in protests")."""
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    if noun.dep_ in {"dobj", "pobj", "attr"} and head.pos_ in {"VERB", "AUX"} \
            and verb_lemma(head) in LIGHT_VERBS:
        return head
    return None


def claimant(act: Token) -> list[Token]:
    """Who claims an act ("the Front *claimed responsibility for* the attack", "took responsibility
    for the bombings"): its actor, when the act's own phrase names none."""
    owner = act.head
    if act.dep_ == "pobj" and owner.lower_ == "for" and owner.head.lemma_.lower() == "responsibility" \
            and owner.head.dep_ == "dobj" and owner.head.head.lemma_.lower() in CLAIMING_VERBS:
        return _subjects(owner.head.head)
    return []


def _meeting_verb(noun: Token) -> Token | None:
    """The verb a meeting noun is the occasion of ("met Y *at a summit*", "hosted Y *for talks*",
    "spoke *during their meeting*")."""
    prep = noun.head
    if noun.dep_ == "pobj" and prep.dep_ == "prep" and prep.lower_ in MEETING_PREPS and prep.head.pos_ == "VERB" \
            and prep.head.lemma_.lower() not in REPORTING_LEMMAS:
        return prep.head
    return None


def near_actor(noun: Token, ctx: DocContext, taken: set[int]) -> Token | None:
    """A named actor just before a noun trigger that the parse left unattached ("US in talks")."""
    words = 0
    for token in reversed(noun.doc[ctx.sentence_of[noun.i].start : noun.i]):
        if token.is_punct or token.is_space:
            continue
        words += 1
        if words > NEAR_ACTOR_WORDS:
            return None
        if token.i in ctx.token_entity and token.i not in taken and token.pos_ != "PRON":
            return token
    return None


# --- any trigger ---------------------------------------------------------------------------------


def author(thing: Token) -> list[Token]:
    """Who a plan, proposal or demand comes from: "an Indian proposal", "North Korea's demand",
    "an appeal from President X" (rejecting a request targets the one who made it)."""
    out = [c for c in thing.children if c.dep_ == "poss"]
    out += [c for c in thing.children if c.dep_ in {"amod", "compound"} and c.ent_type_ in {"NORP", "GPE", "ORG"}]
    out += [p for c in thing.children if c.dep_ == "prep" and c.lower_ in {"from", "by", "of"}
            for p in c.children if p.dep_ == "pobj"]
    return out


def protested(trigger: Token, light: Token | None, ctx: DocContext) -> list[Token]:
    """Who a protest is aimed at when no object says it: the named sides of what the protesters
    demand or oppose ("staged demonstrations *to demand reforms by the provincial government*",
    "rioted ... *calling for the removal of the governor*", "a hunger strike *in protest of the
    council's refusal*"), in text order. PLOVER's recipient of a PROTEST is its target."""
    out: list[Token] = []
    heads = [trigger, *([light] if light is not None else [])]
    heads += [c for c in trigger.children if c.dep_ == "dobj"]  # "staged protests *demanding* ..."
    for head in heads:
        for child in head.children:
            if child.dep_ in {"advcl", "xcomp", "acl", "relcl"} or (
                    child.dep_ == "prep" and child.lower_ in {"against", "over", "in"}):
                out.extend(t for t in child.subtree if t.i in ctx.token_entity and t.pos_ != "PRON")
    return out


def message_author(message: Token) -> list[Token]:
    """Who a statement, letter or lawsuit is from: its own author ("the UN's statement", "a letter
    from X"), else the subject of the verb that issued it ("X *issued* a statement")."""
    found = author(message)
    if not found and message.dep_ == "dobj":
        found = _subjects(message.head)
    return found


def _subjects(verb: Token) -> list[Token]:
    """The verb's active subjects, a relative "who" read as the noun it stands for."""
    return [_relative_head(c) for c in verb.children if c.dep_ in ACTIVE_SUBJECT_DEPS]


def harmed(verb: Token) -> list[Token]:
    """Who an attack hit, told in a participial clause of the attack's verb ("shelled the town,
    *killing* two soldiers", "carried out air strikes in Gaza, *wounding* a militant"): after the
    verb's own recipients, before the place of last resort."""
    clauses = [c for c in verb.children if c.dep_ == "advcl" and c.tag_ == "VBG"]
    clauses += [c for clause in clauses for c in clause.children if c.dep_ == "conj" and c.tag_ == "VBG"]
    return [t for clause in clauses if clause.lemma_.lower() in HARM_VERBS
            for c in clause.children if c.dep_ == "dobj" for t in with_conjuncts(c)]


def attackers(verb: Token) -> list[Token]:
    """Who did the harm a passive verb tells ("six people were killed *after security forces opened
    fire*"): the subject of its "after/when/as" clause of attack."""
    return [t for c in verb.children if c.dep_ == "advcl" and c.lemma_.lower() in ATTACK_VERBS
            and any(m.dep_ == "mark" and m.lower_ in {"after", "when", "as"} for m in c.children)
            for s in c.children if s.dep_ in ACTIVE_SUBJECT_DEPS for t in with_conjuncts(s)]


def place(trigger: Token) -> list[Token]:
    """Named places the act happens in ("ban voting *in East Jerusalem*"): the recipient of last
    resort, as in PETRARCH, when no other side is named."""
    heads = [trigger, *(c for c in trigger.children if c.dep_ in {"xcomp", "dobj"})]
    return [p for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ in {"in", "inside"}
            for p in c.children if p.dep_ == "pobj" and p.ent_type_ in {"GPE", "LOC"}]


def on_line(token: Token, trigger: Token) -> Token:
    """``token`` or, when its phrase runs over a line break away from the trigger (a headline
    parsed into the next line), its modifier on the trigger's line ("Hamas" of "Hamas\n\nTrump")."""
    if not crosses_line(token.doc, token.i, trigger.i):
        return token
    same = [t for t in token.subtree if t.i < token.i and t.pos_ in {"PROPN", "NOUN"}
            and not crosses_line(token.doc, t.i, trigger.i)]
    return same[-1] if same else token
