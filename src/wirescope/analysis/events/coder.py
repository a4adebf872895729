"""Event coding: who did what to whom, as PLOVER events over the shared parse (issue 4).

A pure analyzer over the one spaCy parse of the page (text outside title and body is blanked, so
teasers never yield events):

1. triggers: verbs from the PETRARCH-2 CAMEO verb dictionary (verb, verb + object and verb +
   preposition + object patterns) and activity nouns ("negotiations with Hamas", "demonstrations"),
   mapped to PLOVER (``data/event_triggers.tsv``, built by ``scripts/build_event_lexicon.py``);
   a statement with a normative modal ("declared that Hamas should release ...") is a DEMAND;
2. actors from the trigger's subject and its conjuncts (a compound actor is one event), climbing
   xcomp/conj/advcl heads for subjectless verbs, passive agents ("by X"), a noun's possessor,
   nationality or light verb ("held talks"); recipients from objects, "with/on/against X", passive
   subjects and the subject of a demanded or threatened clause;
3. each side resolved to an entity mention of the document (pronouns already resolved by the entity
   layer) and coded (the entity's code, else ``actors.code_span`` on the phrase);
4. flags: ``negated`` (not, never, no, "failed to"), ``hypothetical`` (if, will/would and other
   modals, proposed; a warning whose content is conditional), ``quote`` (the quote whose content
   holds the trigger: a claim by a speaker, not a fact stated by the outlet);
5. one event, one record: reports of the same event (same type, negation and compatible sides; a
   bare "these protests" continues the last protest) become one Event with several mentions.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from wirescope.analysis import actors as actor_layer
from wirescope.records import Entity, Event, EventActor, Quote, TextSpan


def _code_span(span: Span) -> str | None:
    """The actor layer's code for a noun phrase ("protesters", "Israeli media"), when it has one."""
    coder: Callable[[Span], str | None] | None = getattr(actor_layer, "code_span", None)
    return coder(span) if coder is not None else None


SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "dative", "iobj", "attr"})
# Prepositions that introduce the recipient of an event ("talks with Hamas", "sanctions on Iran").
RECIPIENT_PREPS = frozenset({"with", "on", "against", "to", "toward", "towards", "into", "at", "upon"})
# Heads a subjectless verb borrows its subject from ("agreed to withdraw", "... , warning that").
CLIMB_DEPS = frozenset({"xcomp", "conj", "advcl", "ccomp", "pcomp", "acomp"})  # acomp: "is ready to"
# Verbs that carry an activity noun: their subject is the noun's actor ("held talks with").
LIGHT_VERBS = frozenset(
    ["hold", "stage", "launch", "conduct", "carry", "begin", "start", "continue", "resume", "join", "organize", "organise", "lead", "make", "issue", "engage", "take", "open", "enter", "mount", "intensify", "escalate", "step", "be", "have", "wage", "announce", "pursue", "organise", "undertake"]
)
COMPLEMENT_DEPS = frozenset({"dobj", "dative", "prep", "xcomp", "ccomp", "advcl", "attr"})
PROTEST_PLACE_PREPS = frozenset({"in", "inside", "across", "throughout", "outside"})
MODALS = frozenset({"will", "would", "could", "might", "may", "should", "shall", "can", "must", "'ll",
                    "’ll", "'d", "’d", "wo", "ca"})
FUTURE = frozenset({"will", "shall", "'ll", "’ll", "wo"})
NORMATIVE_MODALS = frozenset({"should", "must"})
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
ANAPHORIC_DETERMINERS = frozenset({"the", "these", "this", "those", "such", "that"})
PERSONAL_PRONOUNS = frozenset({"i", "we", "you", "he", "she", "it", "they", "me", "us", "him", "her",
                               "them", "who", "which", "that", "what"})
# Heads of a partitive phrase whose "of" object is the real side ("thousands of students").
QUANTITY_NOUNS = frozenset({"ten", "tens", "hundred", "hundreds", "thousand", "thousands", "dozen",
                            "dozens", "million", "millions", "group", "number", "crowd", "band",
                            "score", "scores", "handful", "some", "many", "most", "all", "one",
                            "two", "three", "several", "majority"})
NOT_ACTORS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
# Promised cooperation is AGREE in PLOVER ("agree to, offer, promise ... to cooperate").
# CAMEO 03 ("express intent to cooperate") holds intents to meet (036), support (032), cooperate
# (031), aid (033) and yield (035): the promise of any of them is AGREE.
PROMISABLE = frozenset({"AID", "COOPERATE", "RETREAT", "CONCEDE", "SUPPORT", "CONSULT"})
# CAMEO 13 ("threaten") is the intent to do a conflictual act (1312 boycott or sanction, 1324
# martial law, 138 force): a stated future or planned one of these is THREATEN.
THREATENABLE = frozenset({"PROTEST", "SANCTION", "COERCE", "ASSAULT", "FIGHT", "MOBILIZE", "REJECT"})
# Verbs that stop a cooperative activity ("ended mediation efforts", "suspended aid"): CAMEO 16
# (reduce relations: 162 stop aid, 164 halt negotiations, 165 halt mediation).
STOPPING_VERBS = frozenset({"end", "halt", "suspend", "stop", "cut", "freeze", "cancel", "abandon",
                            "terminate", "break"})
# A meeting held or a mission sent "to complain", "to investigate" is coded for that content:
# PLOVER's CONSULT ambiguities ("consultations with ambassadors ... should be coded for the
# content of the action"), and a mission is what it is sent to do.
CONTENT_TYPES = frozenset({"DISAPPROVE", "DEMAND", "REJECT", "THREATEN", "INVESTIGATE", "PROTEST"})
MISSION_VERBS = frozenset({"send", "dispatch", "summon"})
# Verbs that stop or forbid a protest, and what that is: CAMEO 1721 (impose restrictions on
# freedoms of speech and expression), PLOVER COERCE `restrict' (see _stopped_activity).
SUPPRESSING_VERBS = frozenset({"prevent", "ban", "forbid", "outlaw", "prohibit", "block", "bar",
                               "suppress", "disperse", "stop", "halt", "break", "crush", "quell"})
STOPPABLE = {"CONSULT": "164", "COOPERATE": "160", "AID": "162", "SUPPORT": "160", "AGREE": "160"}
# CAMEO 02 (appeals) counts as DEMAND only when addressed to a recipient (see the build script).
APPEAL_ROOT = "02"
# Types a clause reported after the trigger ("demanded that X ...") takes its recipient from.
CLAUSAL_TYPES = frozenset({"DEMAND", "THREATEN", "DISAPPROVE", "REJECT", "AGREE"})
# Heads that make a compound activity noun the event ("a mediation effort", "a protest march").
ACTIVITY_HEADS = frozenset({"effort", "campaign", "process", "mission", "operation", "bid", "drive",
                            "initiative", "move"})
# Dependencies that open a subordinate clause: an event reported there is background, less likely
# the one the sentence is about ("a report *submitted* to X", "people *killed* in the raid").
SUBORDINATE_DEPS = frozenset({"acl", "relcl", "advcl", "ccomp", "pcomp", "csubj", "xcomp"})
# Subtracted per subordinate clause above the trigger (at most 2): a sentence's main event is its main
# clause's, so one level of embedding (condition, relative clause, reported content) weighs as much
# as a named actor (0.1 before; 0.2 chosen on half a of the PLOVER benchmark, see bench/RESULTS.md).
CONFIDENCE_SUBORDINATE = 0.2
# Verbs whose subject undergoes the act their object names ("faces mounting pressure", "encountered
# protests"): PETRARCH-2 codes the subject as the source, but in PLOVER the source is whoever
# presses or protests (the noun's author, "faces US pressure"), and the subject is the recipient.
UNDERGOING_VERBS = frozenset({"face", "encounter", "brave", "confront"})
# Nouns whose complement is an intended act, not a fact ("goals of disarming Hamas", "a plan to
# end the war"), and the objects whose rejection targets their author ("dismissed the idea").
INTENT_NOUNS = frozenset({"goal", "plan", "aim", "bid", "effort", "attempt", "proposal", "offer",
                          "idea", "demand", "call", "threat", "readiness", "willingness",
                          "intention", "deal", "way", "right", "decision"})
PROPOSAL_NOUNS = frozenset({"plan", "proposal", "idea", "offer", "initiative", "suggestion", "deal"})
# How far up the tree an act looks for an intent noun or verb governing it.
MAX_INTENT_LEVELS = 4
# How many words back a noun trigger with no syntactic actor may look for one ("US in talks").
NEAR_ACTOR_WORDS = 4

CONFIDENCE_BASE = 0.4
CONFIDENCE_VERB = 0.15  # verbs are parsed as predicates; nouns are more often mere topics
CONFIDENCE_PATTERN = 0.1  # a verb + object pattern is more specific than a verb default
CONFIDENCE_ACTOR = 0.2  # an actor resolved to an entity or a code
CONFIDENCE_RECIPIENT = 0.1


# --- 1. lexicon ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Code:
    """What a trigger means: a CAMEO code and its PLOVER type, mode and context (type '' = none)."""

    cameo: str
    type: str
    mode: str | None
    context: tuple[str, ...]


@dataclass(frozen=True)
class _Pattern:
    prep: str
    objects: frozenset[str]
    code: Code


@dataclass
class Lexicon:
    verbs: dict[str, list[tuple[str, str, Code | None]]] = field(default_factory=dict)
    patterns: dict[str, list[_Pattern]] = field(default_factory=dict)
    verb_objects: dict[str, list[_Pattern]] = field(default_factory=dict)
    nouns: dict[str, list[tuple[str, Code]]] = field(default_factory=dict)
    # group -> word or preposition -> positions of the patterns that mention it, so a verb is
    # checked against the few patterns its own objects and prepositions can match (in order)
    pattern_index: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    statement_verbs: frozenset[str] = frozenset()  # CAMEO 01: say, declare, announce ...


def _code(cameo: str, plover: str, mode: str, context: str) -> Code | None:
    if not cameo:
        return None
    return Code(cameo, plover, mode or None, tuple(c.strip() for c in context.split(",") if c.strip()))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The trigger lexicon shipped with the package, loaded once per process."""
    text = resources.files("wirescope").joinpath("data/event_triggers.tsv").read_text("utf-8")
    lexicon = Lexicon()
    synsets: dict[str, set[str]] = {}
    pattern_rows: list[tuple[str, str, str, Code | None]] = []
    for line in text.splitlines():
        if not line or line.startswith(("#", "kind\t")):
            continue
        kind, lemma, group, prep, obj, cameo, plover, mode, context, _source = line.split("\t")
        code = _code(cameo, plover, mode, context)
        if kind == "verb":
            lexicon.verbs.setdefault(lemma, []).append((group, prep, code))
        elif kind == "pattern":
            pattern_rows.append((group, prep, obj, code))
        elif kind == "synset":
            synsets.setdefault(lemma, set()).add(obj)
        elif kind == "verb_object" and code is not None:
            lexicon.verb_objects.setdefault(lemma, []).append(_Pattern(prep, frozenset({obj} - {""}), code))
        elif kind == "noun" and code is not None:
            lexicon.nouns.setdefault(lemma, []).append((obj, code))
    no_event = Code("", "", None, ())
    for group, prep, obj, code in pattern_rows:
        objects = frozenset(synsets.get(obj, ())) if obj.startswith("&") else frozenset({obj} - {""})
        lexicon.patterns.setdefault(group, []).append(_Pattern(prep, objects, code or no_event))
    for group, patterns in lexicon.patterns.items():
        index: dict[str, list[int]] = {}
        for position, pattern in enumerate(patterns):
            keys = {f"prep:{pattern.prep}"} if pattern.prep else set(pattern.objects)
            for key in keys:
                index.setdefault(key, []).append(position)
        lexicon.pattern_index[group] = index
    lexicon.statement_verbs = frozenset(
        lemma for lemma, entries in lexicon.verbs.items()
        if any(code is not None and code.cameo.startswith("01") for _, _, code in entries))
    return lexicon


# --- 2. triggers ---------------------------------------------------------------------------------


def _verb_lemma(verb: Token) -> str:
    """The verb's lemma, corrected where the tagger's lemma is no verb of the lexicon but
    lemminflect's is ("staged" -> "stag" in spaCy's small model, "stage" here)."""
    return _lemma_of(verb.lemma_.lower(), verb.lower_)


@lru_cache(maxsize=4096)
def _lemma_of(lemma: str, form: str) -> str:
    lexicon = load_lexicon()
    if lemma in lexicon.verbs or lemma in lexicon.verb_objects or lemma in LIGHT_VERBS:
        return lemma
    # imported here: keeps `import wirescope.analysis.events.coder` light
    from lemminflect import getLemma

    candidates = getLemma(form, upos="VERB")
    other = candidates[0] if candidates else lemma
    return other if other in lexicon.verbs or other in lexicon.verb_objects or other in LIGHT_VERBS else lemma


def _word_forms(token: Token) -> tuple[str, str]:
    return token.lemma_.lower(), token.lower_


def _objects(verb: Token) -> list[Token]:
    out = []
    for child in verb.children:
        if child.dep_ in OBJECT_DEPS or child.dep_ == "nsubjpass":
            out.append(child)
            out.extend(c for c in child.children if c.dep_ == "conj")
    return out


def _match(pattern: _Pattern, verb: Token, objects: list[Token]) -> tuple[bool, Token | None]:
    """Whether the pattern matches the verb, and the object word it consumed ("opened *fire*"):
    that word is part of the predicate, never a recipient."""
    if pattern.prep:
        for child in verb.children:
            if child.lower_ != pattern.prep or child.dep_ not in {"prep", "prt", "agent", "dative"}:
                continue
            if not pattern.objects:
                return True, None
            for pobj in child.children:
                if pobj.dep_ == "pobj" and _head_words(pobj) & pattern.objects:
                    return True, pobj
        return False, None
    for obj in objects:
        if _head_words(obj) & pattern.objects:
            return True, obj
    return False, None


def _matches(pattern: _Pattern, verb: Token, objects: list[Token]) -> bool:
    return _match(pattern, verb, objects)[0]


def _of_objects(token: Token) -> list[Token]:
    """The objects of the token's "of" phrases ("state *of emergency*", "thousands *of students*")."""
    return [p for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
            for p in c.children if p.dep_ == "pobj"]


def _head_words(token: Token) -> set[str]:
    """A noun's lemma and form, and each with a modifier before it ("hunger strike" as well as
    "strike") or its "of" complement after it ("state of emergency"): a two-word pattern object
    needs its modifier, a one-word one does not."""
    forms = set(_word_forms(token))
    modifiers = [c.lemma_.lower() for c in token.children if c.dep_ in {"compound", "amod"}]
    # "state *of emergency*": a head that needs its "of" complement to say what it is
    complements = [p.lemma_.lower() for p in _of_objects(token)]
    return forms | {f"{m} {f}" for m in modifiers for f in forms} | {
        f"{f} of {c}" for c in complements for f in forms}


def verb_code(verb: Token, lexicon: Lexicon) -> tuple[Code | None, bool]:
    """The code of a verb in its context, and whether a pattern (not a default) gave it."""
    code, by_pattern, _ = verb_match(verb, lexicon)
    return code, by_pattern


def verb_match(verb: Token, lexicon: Lexicon) -> tuple[Code | None, bool, Token | None]:
    """The code of a verb, whether a pattern gave it and the object word the pattern consumed.

    Order, as PETRARCH's: the project's verb + object entries, then the dictionary's patterns of
    each group the verb belongs to (first match wins), then the project's or the group's default.
    """
    lemma = _verb_lemma(verb)
    objects = _objects(verb)
    # The words a pattern could match here: the objects' head words, the prepositions' names.
    keys = {w for obj in objects for w in _head_words(obj)}
    keys.update(f"prep:{c.lower_}" for c in verb.children if c.dep_ in {"prep", "prt", "agent", "dative"})
    default: Code | None = None
    for pattern in lexicon.verb_objects.get(lemma, ()):
        if pattern.objects or pattern.prep:
            matched, consumed = _match(pattern, verb, objects)
            if matched:
                return pattern.code, True, consumed
        elif default is None:
            default = pattern.code
    group_default: Code | None = None
    for group, particle, own in lexicon.verbs.get(lemma, ()):
        if particle and not any(c.lower_ == particle for c in verb.children):
            continue
        patterns = lexicon.patterns.get(group, [])
        index = lexicon.pattern_index.get(group, {})
        positions = sorted({p for key in keys for p in index.get(key, ())})
        for pattern in (patterns[p] for p in positions):
            if default is not None and not pattern.objects:
                continue  # the project's sense of the verb beats a bare "(WITH)" pattern
            matched, consumed = _match(pattern, verb, objects)
            if matched:
                return (pattern.code if pattern.code.type else None), True, consumed
        if group_default is None and own is not None:
            group_default = own
    chosen = default or group_default
    return (chosen if chosen is not None and chosen.type else None), False, None


def noun_code(noun: Token, lexicon: Lexicon) -> Code | None:
    entries = lexicon.nouns.get(noun.lemma_.lower()) or lexicon.nouns.get(noun.lower_)
    if not entries:
        return None
    modifiers = {c.lemma_.lower() for c in noun.children if c.dep_ in {"compound", "amod"}}
    plain: Code | None = None
    for modifier, code in entries:
        if modifier and modifier in modifiers:
            return code
        if not modifier and plain is None:
            plain = code
    return plain


def _normative_clause(verb: Token) -> Token | None:
    """The clause of "X said that Y should/must ...": a statement that is a demand on Y."""
    for child in verb.children:
        if child.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ in NORMATIVE_MODALS
                                         for a in child.children):
            return child
    return None


# --- 3. sides of the event -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    """Per-document lookups shared by every trigger."""

    text: str
    token_entity: dict[int, tuple[Entity, int, int]]  # token index -> (entity, mention start, end)
    quotes: tuple[Quote, ...]
    quote_starts: list[int]
    sentence_of: list[Span]  # token index -> its sentence (Token.sent scans the doc on each call)


def _token_entities(doc: Doc, entities: Iterable[Entity]) -> dict[int, tuple[Entity, int, int]]:
    """Token index -> the entity mention covering it (mentions are char spans of the same text)."""
    starts = [t.idx for t in doc]
    out: dict[int, tuple[Entity, int, int]] = {}
    for entity in entities:
        for m in entity.mentions:
            first = bisect_right(starts, m.start) - 1
            i = max(first, 0)
            while i < len(doc) and doc[i].idx < m.end:
                if doc[i].idx + len(doc[i].text) > m.start:
                    out.setdefault(i, (entity, m.start, m.end))
                i += 1
    return out


def _phrase(token: Token) -> Span:
    """The noun phrase headed by ``token``: its left modifiers and the token (no clauses)."""
    doc = token.doc
    start = token.i
    for child in token.lefts:
        if child.dep_ in {"det", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "case"}:
            start = min(start, child.left_edge.i)
    end = token.i + 1
    for child in token.rights:
        if child.dep_ == "compound":
            end = max(end, child.i + 1)
    for i in range(token.i - 1, start - 1, -1):  # never across a line (a headline, a blanked dateline)
        if doc[i].is_space and "\n" in doc[i].text:
            start = i + 1
            break
    while start < token.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return doc[start:end]


def _resolve(token: Token, ctx: _Context) -> EventActor | None:
    """The side of an event named by the noun ``token``: its entity and code where known."""
    if token.pos_ == "PRON" and token.i not in ctx.token_entity:
        return None  # an unresolved pronoun names nobody the reader can check
    if token.lemma_.lower() in QUANTITY_NOUNS:  # "thousands of Chilean students": the students
        objects = _of_objects(token)
        if objects:
            return _resolve(objects[0], ctx)
    if token.ent_type_ in NOT_ACTORS:
        return None  # "on Wednesday", "by 20 percent"
    hit = ctx.token_entity.get(token.i)
    if hit is not None:
        entity, start, end = hit
        return EventActor(start, end, ctx.text[start:end], entity.id, entity.name, entity.code)
    phrase = _phrase(token)
    start, end = phrase.start_char, phrase.end_char
    code = _code_span(phrase)
    owner = None
    for child in token.children:  # "his team", "Israeli forces", "Hamas officials"
        if child.dep_ in {"poss", "compound", "amod", "nmod"} and child.i in ctx.token_entity:
            owner = ctx.token_entity[child.i][0]
            break
    if owner is None and code is None:  # "inhabitants of the Golan Heights", "leaders of Hamas"
        for pobj in _of_objects(token):
            hit = ctx.token_entity.get(pobj.i) or next(
                (ctx.token_entity[c.i] for c in pobj.children if c.i in ctx.token_entity), None)
            if hit is not None:
                owner = hit[0]
                break
    if owner is not None:
        return EventActor(start, end, ctx.text[start:end], owner.id, owner.name, code or owner.code)
    if token.pos_ != "PROPN" and code is None:
        return None  # a common noun with no code and no owner ("its ability") names no actor
    return EventActor(start, end, ctx.text[start:end], None, None, code)


def _with_conjuncts(token: Token) -> list[Token]:
    out = [token]
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ in {"NOUN", "PROPN", "PRON"}:
            out.extend(_with_conjuncts(child))
    return out


def _relative_head(token: Token) -> Token:
    """"who"/"which" as a subject stands for the noun its relative clause modifies; a participle
    parsed as the subject ("the Red Cross *operating* in Iraq said") stands for its own subject."""
    if token.lower_ in RELATIVE_PRONOUNS and token.head.dep_ == "relcl":
        return token.head.head
    if token.pos_ == "VERB" and token.tag_ in {"VBG", "VBN"}:
        return next((c for c in token.children if c.dep_ in SUBJECT_DEPS and c.pos_ in {"NOUN", "PROPN"}), token)
    return token


def _verb_sides(verb: Token) -> tuple[list[Token], list[Token], bool]:
    """Actor and recipient tokens of a verb from its own dependents; ``climbed`` when the
    subject was borrowed from a governing verb or noun."""
    actors: list[Token] = []
    recipients: list[Token] = []
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS or (child.dep_ in PASSIVE_SUBJECT_DEPS
                                          and _verb_lemma(verb) in LIGHT_VERBS):
            # "his team is engaged in negotiations": a light verb's passive form is active in sense
            actors.extend(_with_conjuncts(_relative_head(child)))
        elif child.dep_ in PASSIVE_SUBJECT_DEPS:
            recipients.extend(_with_conjuncts(_relative_head(child)))
        elif child.dep_ == "agent":
            actors.extend(t for p in child.children if p.dep_ == "pobj" for t in _with_conjuncts(p))
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
        actors.extend(_reported_speaker(t) for c in head.children if c.dep_ in SUBJECT_DEPS
                      for t in _with_conjuncts(_relative_head(c)))
        actors.extend(t for c in head.children if c.dep_ == "agent" for p in c.children
                      if p.dep_ == "pobj" for t in _with_conjuncts(p))
    if not actors and verb.dep_ in {"acl", "relcl"} and verb.head.pos_ in {"NOUN", "PROPN"}:
        # "forces fighting the rebels"; "captives held in Gaza" (a participle) are recipients
        (recipients if passive else actors).append(verb.head)
    return actors, recipients, climbed


def _reported_speaker(token: Token) -> Token:
    """"Hungary said it will support ...": an "it"/"they" subject of a reported clause is the
    speaker (the reporting verb's subject), the usual reading in news and PETRARCH's as well."""
    if token.lower_ not in {"it", "they"}:
        return token
    clause = token.head
    if clause.dep_ != "ccomp":
        return token
    subjects = [c for c in clause.head.children if c.dep_ in SUBJECT_DEPS and c.pos_ != "PRON"]
    return subjects[0] if subjects else token


def _can_climb(verb: Token) -> bool:
    """A subjectless verb shares its head's subject when it continues the head's clause
    ("agreed to withdraw", "told reporters, warning that"), not across "if"/"when" clauses."""
    if verb.dep_ not in CLIMB_DEPS or verb.head.i == verb.i:
        return False
    return not (verb.dep_ == "advcl" and any(c.dep_ == "mark" for c in verb.children))


def _recipient_candidates(trigger: Token, etype: str) -> list[Token]:
    """Recipient tokens in order of preference: prepositional objects, objects, then those of an
    xcomp chain ("agreed to give aid to X") and of a demanded or threatened clause."""
    out: list[Token] = []
    chain = [trigger]
    # "agreed to give aid to X"; "opened fire to disperse demonstrators" (a purpose clause)
    chain.extend(c for c in trigger.children if c.dep_ == "xcomp" or (
        c.dep_ == "advcl" and _infinitive(c)))
    for verb in chain:
        # Who receives: "gave X *to Y*", "sanctions *on Y*", then the object "attacked *Y*",
        # then "with Y" (a partner, or only an instrument: "attacked Chad with artillery").
        for child in verb.children:
            if child.dep_ in {"dative", "iobj"}:
                out.extend(_with_conjuncts(child))
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in RECIPIENT_PREPS - {"with"}:
                out.extend(t for p in child.children if p.dep_ == "pobj" for t in _with_conjuncts(p))
        for child in verb.children:
            if child.dep_ == "dobj":
                out.extend(_with_conjuncts(child))
                out.extend(_author(child))  # "investigating war crimes *by Croatian extremists*"
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ == "with":
                out.extend(t for p in child.children if p.dep_ == "pobj" for t in _with_conjuncts(p))
            elif child.dep_ == "prep" and child.lower_ not in RECIPIENT_PREPS:
                # "engaged in negotiations with Hamas"
                out.extend(t for p in child.children if p.dep_ == "pobj" for q in p.children
                           if q.dep_ == "prep" and q.lower_ in RECIPIENT_PREPS
                           for t in q.children if t.dep_ == "pobj")
        for child in verb.children:
            if child.dep_ in {"dobj", "attr"}:
                # "the release of prisoners", "attacks against Palestinians"
                for prep in child.children:
                    if prep.dep_ == "prep" and prep.lower_ in RECIPIENT_PREPS | {"of"}:
                        out.extend(p for p in prep.children if p.dep_ == "pobj")
    return out


def _clause_candidates(trigger: Token, etype: str, ctx: _Context) -> list[Token]:
    """Named sides in a demanded, threatened or criticised clause ("insists that any exchange
    must include the withdrawal of Israeli forces"): its subject first, then in text order."""
    out: list[Token] = []
    for clause in (c for c in trigger.children if c.dep_ in {"ccomp", "xcomp"}):
        if etype in CLAUSAL_TYPES:
            out.extend(c for c in clause.children if c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS)
            out.extend(t for t in clause.subtree if t.pos_ in {"PROPN", "NOUN", "ADJ"} and t.dep_ != "compound")
        elif _infinitive(clause):  # "allowed X to run": X is acted upon
            out.extend(c for c in clause.children if c.dep_ in SUBJECT_DEPS)
    return [t for t in out if t.i in ctx.token_entity or _has_modifier_entity(t, ctx)]


def _protested(trigger: Token, light: Token | None, ctx: _Context) -> list[Token]:
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


def _has_modifier_entity(token: Token, ctx: _Context) -> bool:
    return any(c.i in ctx.token_entity for c in token.children if c.dep_ in {"poss", "amod", "compound"})


def _noun_sides(noun: Token, etype: str) -> tuple[list[Token], list[Token], Token | None]:
    """Actor and recipient tokens of an activity noun, and the light verb carrying it, if any."""
    actors: list[Token] = []
    recipients: list[Token] = []
    for child in noun.children:
        if child.dep_ == "poss" or (child.dep_ in {"compound", "amod", "nmod"}
                                    and child.ent_type_ in {"NORP", "GPE", "ORG", "PERSON"}):
            actors.append(child)
        elif child.dep_ == "prep":
            pobjs = [t for p in child.children if p.dep_ == "pobj" for t in _with_conjuncts(p)]
            if child.lower_ == "by":
                actors.extend(pobjs)
            elif child.lower_ == "of":
                (actors if etype == "PROTEST" else recipients).extend(pobjs)
            elif child.lower_ in RECIPIENT_PREPS or (child.lower_ == "between" and etype == "CONSULT"):
                recipients.extend(pobjs)  # "mediation between X and Y": both sides are met
    light = None
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    if noun.dep_ in {"dobj", "pobj", "attr"} and head.pos_ in {"VERB", "AUX"} \
            and _verb_lemma(head) in LIGHT_VERBS:
        light = head
        # "continued their hunger strike *to demand the resignation of X*": the aim's object
        recipients.extend(t for c in head.children if c.dep_ == "advcl"
                          and _infinitive(c)
                          for d in c.children if d.dep_ == "dobj" for t in [d, *_author(d)])
        if all(t.pos_ == "PRON" for t in actors):  # "continued *their* hunger strike": the subject
            actors.extend(_verb_sides(head)[0] or [t for c in head.children if c.dep_ in PASSIVE_SUBJECT_DEPS
                                                    for t in _with_conjuncts(c)])
    if not actors and etype == "PROTEST":  # "demonstrations inside Israel": the country's people
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ in PROTEST_PLACE_PREPS:
                actors.extend(p for p in child.children if p.dep_ == "pobj")
    if noun.dep_ == "nsubj" and not recipients and etype in {"ASSAULT", "FIGHT"}:
        # "the attack killed five soldiers"
        recipients.extend(t for c in noun.head.children if c.dep_ == "dobj" for t in _with_conjuncts(c))
    return actors, recipients, light


def _near_actor(noun: Token, ctx: _Context, taken: set[int]) -> Token | None:
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


def _unique_sides(tokens: Iterable[Token], ctx: _Context, exclude: Iterable[EventActor] = (),
                  limit: int | None = None) -> tuple[EventActor, ...]:
    out: list[EventActor] = []
    keys = {_side_key(a) for a in exclude}
    for token in tokens:
        side = _resolve(token, ctx)
        if side is None or _side_key(side) in keys:
            continue
        keys.add(_side_key(side))
        out.append(side)
        if limit is not None and len(out) >= limit:
            break
    return tuple(out)


def _side_key(side: EventActor) -> str:
    return side.entity or side.code or side.text.casefold()


def _has_name(side: EventActor) -> bool:
    return side.entity is not None or side.code is not None


# Sector codes (CAMEO actor roles) of people who are not fighters, and the same people unnamed:
# PLOVER's one-sided violence (perpetrator -> victim) against them is ASSAULT, CAMEO 19's
# conventional military force (FIGHT) is between armed actors.
UNARMED_ROLES = frozenset({"CVL", "OPP", "EDU", "MED", "HLH", "JRN", "REF", "LAB", "REL", "HRI", "AGR",
                           "BUS", "NGO"})
ARMED_ROLES = frozenset({"MIL", "REB", "INS", "COP", "SPY", "UAF", "IMG", "SEP"})
VICTIM_WORDS = frozenset({"civilian", "people", "person", "child", "woman", "resident", "villager",
                          "protester", "demonstrator", "journalist", "worker", "student", "worshipper",
                          "refugee", "patient", "passenger", "family", "farmer", "pilgrim"})


# Weapons of PLOVER's ASSAULT modes `explosives' ("any explosive not incorporated in a heavy
# weapon: mines, IEDs, car bombs") and `primitive' ("fire, edged weapons, rocks, farm implements").
ASSAULT_WEAPONS = frozenset({"bomb", "device", "explosive", "ied", "mine", "landmine", "grenade",
                             "machete", "knife", "axe", "ax", "rock", "stone", "club", "spear"})
# Verbs of killing one victim and the nouns of one person's office: PLOVER's ASSAULT mode
# `targeted' ("targeted killings, including assassinations and executions").
KILLING_VERBS = frozenset({"kill", "murder", "shoot", "assassinate", "execute", "slay", "stab"})
OFFICE_WORDS = frozenset({"chief", "leader", "commander", "official", "minister", "governor", "mayor",
                          "president", "judge", "journalist", "head", "deputy", "general", "colonel",
                          "officer", "politician", "lawmaker", "activist", "spokesman", "envoy",
                          "ambassador", "diplomat", "cleric", "imam", "priest"})


def _targeted(verb: Token) -> bool:
    """A killing whose object is one person: a named person or a singular office noun."""
    if verb.lemma_.lower() not in KILLING_VERBS:
        return False
    victims = [t for c in verb.children if c.dep_ in {"dobj", "nsubjpass"} for t in _with_conjuncts(c)]
    return len(victims) == 1 and (victims[0].ent_type_ == "PERSON" or (
        victims[0].tag_ == "NN" and victims[0].lemma_.lower() in OFFICE_WORDS))


def _unarmed(side: EventActor) -> bool:
    if side.code:
        roles = {side.code[i : i + 3] for i in range(0, len(side.code), 3)}
        return bool(roles & UNARMED_ROLES) and not roles & ARMED_ROLES
    words = side.text.lower().split()
    return bool(words) and words[-1].rstrip("s") in VICTIM_WORDS | {"children", "women", "people"}


# --- 4. flags ------------------------------------------------------------------------------------


def _aux_words(verb: Token) -> set[str]:
    return {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}


def _negated(trigger: Token, light: Token | None) -> bool:
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


def _hypothetical(trigger: Token, light: Token | None, etype: str) -> bool:
    verb = light or trigger
    if trigger.pos_ == "NOUN" and any(c.lower_ in HYPOTHETICAL_MODIFIERS for c in trigger.children):
        return True
    if _aux_words(verb) & MODALS:
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


def _quote_of(position: int, ctx: _Context) -> str | None:
    i = bisect_right(ctx.quote_starts, position) - 1
    while i >= 0:
        quote = ctx.quotes[i]
        if quote.content.start <= position < quote.content.end:
            return quote.id
        i -= 1
    return None


# --- 5. coding and merging -----------------------------------------------------------------------


@dataclass
class _Found:
    event: Event
    anaphoric: bool  # a bare "these protests": continues the last event of its type


def _trigger(token: Token, lexicon: Lexicon) -> tuple[Code | None, bool, Token | None]:
    """The code of a token as a trigger, whether a pattern gave it, and the object it consumed."""
    if token.pos_ == "VERB":
        if token.lower_ == "according" and any(c.lower_ == "to" for c in token.children):
            return None, False, None  # "according to X": attribution, not an act
        if _in_attribution(token) or _purpose_of_event(token, lexicon):
            return None, False, None
        head = token.head
        if token.dep_ == "xcomp" and head.pos_ == "VERB" and verb_code(head, lexicon)[0] \
                and not _threat_behind_intent(head, token, lexicon) \
                and _content_purpose(head, lexicon) != token:
            return None, False, None  # "agreed to withdraw": the governing verb is the event
        if _content_purpose(token, lexicon) is not None:
            return None, False, None  # "summoned the ambassador to complain": the complaint is
        if any(_threat_behind_intent(token, c, lexicon) for c in token.children if c.dep_ == "xcomp"):
            return None, False, None  # "plans to impose restrictions": the threatened act is coded
        if token.dep_ == "ccomp" and _normative_clause(head) == token \
                and head.lemma_.lower() in lexicon.statement_verbs:
            return None, False, None  # "declared that Hamas should release": the demand is the event
        if any(c.dep_ == "nsubj" and c.pos_ == "NOUN" and noun_code(c, lexicon) is not None
               for c in token.children):
            return None, False, None  # "air strikes hit Gaza": the activity noun is the event
        stopped = _stopped_activity(token, lexicon)
        if stopped is not None:
            return stopped
        code, by_pattern, consumed = verb_match(token, lexicon)
        if code is not None and any(c.dep_ == "ccomp" and c.i < token.i for c in token.children):
            return None, False, None  # "..., a rights group charged": the clause before is reported
        if code is not None and _carries_activity(token, lexicon):
            return None, False, None  # "organised protests": the noun says what happened
        if code is None and token.lemma_.lower() in lexicon.statement_verbs \
                and _normative_clause(token) is not None:
            return Code("100", "DEMAND", None, ()), True, None
        return code, by_pattern, consumed
    if token.pos_ == "NOUN" and (token.dep_ not in {"compound", "amod"}
                                 or token.head.lemma_.lower() in ACTIVITY_HEADS):
        code = noun_code(token, lexicon)
        if code is None:
            return None, False, None
        if token.dep_ == "compound":  # "mediation efforts": the phrase stands where its head does
            token = token.head
        head = token.head.head if token.dep_ == "pobj" else token.head
        if token.dep_ in {"dobj", "pobj", "nsubjpass"} and head.pos_ == "VERB" \
                and (verb_code(head, lexicon)[0] is not None or _stopped_activity(head, lexicon)) \
                and not _carries_activity(head, lexicon) \
                and (token.dep_ != "pobj" or verb_code(head, lexicon)[1]):
            # "demanded an investigation": the demand is the event; but a verb's default sense
            # yields to the activity it goes to ("converging for a rally"), unless a pattern of
            # the verb reads the preposition ("met for talks")
            return None, False, None
        return code, False, None
    return None, False, None


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
    lemma = _verb_lemma(verb)
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
    if verb.dep_ not in {"advcl", "acl"} or not _infinitive(verb):
        return False
    if _content_purpose(verb.head, lexicon) == verb:
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


def _content_purpose(verb: Token, lexicon: Lexicon) -> Token | None:
    """The purpose clause that gives a meeting or mission its content ("summoned the ambassador
    *to complain*", "sent experts to X *to investigate*"), if any."""
    if verb.pos_ != "VERB":
        return None
    clauses = [c for c in verb.children if c.dep_ in {"advcl", "xcomp"} and _infinitive(c)]
    if not clauses:  # the cheap test first: most verbs have no purpose clause
        return None
    code = verb_code(verb, lexicon)[0]
    if _verb_lemma(verb) not in MISSION_VERBS and (code is None or code.type != "CONSULT"):
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
    if _verb_lemma(verb) not in LIGHT_VERBS:
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


def _intended(token: Token) -> bool:
    """An act that is only aimed at: an infinitive of purpose ("to free the captives") or the
    complement of an intent noun ("goals of disarming Hamas", "a plan to end the war")."""
    if token.pos_ == "VERB" and token.dep_ in {"advcl", "acl", "xcomp"} \
            and _infinitive(token):
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


def _crosses_line(doc: Doc, a: int, b: int) -> bool:
    lo, hi = sorted((a, b))
    return any(t.is_space and "\n" in t.text for t in doc[lo:hi])


def _on_line(token: Token, trigger: Token) -> Token:
    """``token`` or, when its phrase runs over a line break away from the trigger (a headline
    parsed into the next line), its modifier on the trigger's line ("Hamas" of "Hamas\n\nTrump")."""
    if not _crosses_line(token.doc, token.i, trigger.i):
        return token
    same = [t for t in token.subtree if t.i < token.i and t.pos_ in {"PROPN", "NOUN"}
            and not _crosses_line(token.doc, t.i, trigger.i)]
    return same[-1] if same else token


def _proposer(token: Token, ctx: _Context) -> list[Token]:
    """Who made the plan or proposal a trigger rejects ("Halevi put forward a plan ..., but
    Netanyahu dismissed the idea"): the named subject of a verb of which a proposal noun is the
    object, in this sentence or the one before."""
    if not any(c.dep_ == "dobj" and c.lemma_.lower() in PROPOSAL_NOUNS and c.i not in ctx.token_entity
               for c in token.children):
        return []
    start = ctx.sentence_of[token.i].start
    if start > 0:
        start = ctx.sentence_of[start - 1].start
    for candidate in reversed(token.doc[start : token.i]):
        if candidate.dep_ == "dobj" and candidate.lemma_.lower() in PROPOSAL_NOUNS:
            subjects = [c for c in candidate.head.children
                        if c.dep_ in SUBJECT_DEPS and c.i in ctx.token_entity]
            if subjects:
                return subjects
    return []


def _code_trigger(token: Token, code: Code, by_pattern: bool, ctx: _Context,
                  consumed: Token | None = None) -> _Found | None:
    etype = code.type
    light = None
    has_object = False
    # "summoned the ambassador to complain": the purpose is the content of the act, no mere aim
    content = token.pos_ == "VERB" and _content_purpose(token.head, load_lexicon()) == token
    # "a mediation effort between X and Y": the phrase's head carries the sides and the flags
    phrase_head = token.head if token.dep_ == "compound" and token.head.lemma_.lower() in ACTIVITY_HEADS else token
    if token.pos_ == "VERB":
        if any(c.dep_ == "ccomp" and not _infinitive(c) for c in token.children) and not by_pattern \
                and etype not in CLAUSAL_TYPES:
            return None  # "admitted that ...", "revealed that ...": a statement, not the act
            # ("allowed X to run" is no statement: its clause is an infinitive)
        actor_tokens, recipient_tokens, climbed = _verb_sides(token)
        if consumed is not None and token.lemma_.lower() in UNDERGOING_VERBS:
            actor_tokens, recipient_tokens = _author(consumed), actor_tokens
            consumed = None
        has_object = any(c.dep_ == "dobj" for c in token.children)
        normative = _normative_clause(token) if etype == "DEMAND" else None
        if normative is not None:
            recipient_tokens += [c for c in normative.children if c.dep_ in SUBJECT_DEPS]
        recipient_tokens += _proposer(token, ctx)
        if content:  # the envoy summoned, the place the mission went to
            recipient_tokens += [t for c in token.head.children if c.dep_ in {"dobj", "prep"}
                                 for t in ([c] if c.dep_ == "dobj" else [p for p in c.children if p.dep_ == "pobj"])]
        recipient_tokens += _recipient_candidates(token, etype)
        recipient_tokens += _clause_candidates(token, etype, ctx)
        if climbed and not recipient_tokens:
            # "Netanyahu reiterated his goals of disarming Hamas — demands that ...": the
            # borrowed clause's object holds the recipient.
            recipient_tokens = [t for c in token.head.children if c.dep_ == "dobj" for t in c.subtree
                                if t.i in ctx.token_entity]
    else:
        actor_tokens, recipient_tokens, light = _noun_sides(phrase_head, etype)
    # An activity is no actor ("these protests are exposing ...").
    actor_tokens = [t for t in actor_tokens if noun_code(t, load_lexicon()) is None]
    # A weapon is no actor ("killed by a roadside mine"), it says how (below).
    weapons = [t for t in actor_tokens if t.lemma_.lower() in ASSAULT_WEAPONS]
    weapons += [p for c in token.children if c.dep_ == "prep" and c.lower_ in {"with", "by"}
                for p in c.children if p.dep_ == "pobj" and p.lemma_.lower() in ASSAULT_WEAPONS]
    actor_tokens = [t for t in actor_tokens if t.lemma_.lower() not in ASSAULT_WEAPONS]
    actors = _unique_sides([_on_line(t, token) for t in actor_tokens], ctx)
    anaphoric = False
    if not actors and token.pos_ == "NOUN":
        anaphoric = _anaphoric(token)
        if not anaphoric:
            near = _near_actor(token, ctx, {t.i for t in recipient_tokens})
            actors = _unique_sides([near] if near is not None else [], ctx)
    if consumed is not None:  # "opened fire": the pattern's object is no recipient, its author is
        recipient_tokens = _author(consumed) + [t for t in recipient_tokens if t.i != consumed.i]
    recipients = _pick_recipients([_on_line(t, token) for t in recipient_tokens], ctx, actors)
    if etype == "PROTEST" and (not recipients or _name_rank(recipients[0]) == 2):
        recipients = _pick_recipients(_protested(token, light, ctx), ctx, actors) or recipients
    if not recipients or _name_rank(recipients[0]) == 2:
        recipients = _pick_recipients(_place(token), ctx, actors) or recipients
    named_actor = any(_has_name(a) for a in actors)
    named_recipient = any(_has_name(r) for r in recipients)
    if code.cameo.startswith(APPEAL_ROOT) and not named_recipient:
        return None
    if has_object and not by_pattern and not named_recipient:
        return None  # "revealed the heavy losses": a verb's default sense needs a named object
    if etype == "DEMAND" and token.pos_ == "VERB" and not by_pattern and not named_recipient:
        return None  # "she needs ...": a demand is made on someone
    if etype == "CONSULT" and not recipients and len(actors) < 2 and not anaphoric:
        return None  # a consultation takes two sides: "a woman went" is no visit
    if not (named_actor or named_recipient or anaphoric):
        return None
    if not recipients and token.pos_ == "VERB":
        # Last resort, once the event stands: a side named anywhere in the verb's complements
        # ("declined to resign despite pressure *by the commission*"); no effect on confidence.
        recipients = _pick_recipients([t for c in token.children if c.dep_ in COMPLEMENT_DEPS
                                       for t in c.subtree if t.i in ctx.token_entity and t.pos_ != "PRON"],
                                      ctx, actors)
    if etype == "FIGHT" and recipients and all(_unarmed(r) for r in recipients):
        etype = "ASSAULT"  # fighters killing civilians: one-sided violence, no armed clash
    elif etype == "FIGHT" and weapons:
        etype = "ASSAULT"  # ASSAULT modes `explosives' (mines, IEDs, car bombs), `primitive' (machetes)
    elif etype == "FIGHT" and token.pos_ == "VERB" and _targeted(token):
        etype = "ASSAULT"  # PLOVER ASSAULT `targeted': killings of one person, assassinations
    hypothetical = _hypothetical(token, light, etype) or (_intended(phrase_head) and not content)
    if _aux_words(light or token) & FUTURE or (token.dep_ == "xcomp" and token.head.lemma_.lower() in INTENDING_HEADS):
        if etype in PROMISABLE:
            etype, hypothetical = "AGREE", False  # a promise of cooperation is itself the event
        elif etype in THREATENABLE:
            etype, hypothetical = "THREATEN", True  # "will boycott the elections unless ..."
    s_start, s_end = _line_bounds(ctx.text, token, ctx.sentence_of[token.i])
    trigger = TextSpan(token.idx, token.idx + len(token.text), token.text)
    confidence = CONFIDENCE_BASE + (CONFIDENCE_VERB if token.pos_ == "VERB" else 0.0)
    confidence += CONFIDENCE_PATTERN if by_pattern else 0.0
    confidence += CONFIDENCE_ACTOR if named_actor else 0.0
    confidence += CONFIDENCE_RECIPIENT if named_recipient else 0.0
    confidence -= CONFIDENCE_SUBORDINATE * min(_clause_depth(token), 2)
    event = Event(
        id="", type=etype, trigger=trigger, sentence=TextSpan(s_start, s_end, ctx.text[s_start:s_end]),
        actors=actors, recipients=recipients, mode=code.mode, context=code.context,
        negated=_negated(token, light), hypothetical=hypothetical, quote=_quote_of(token.idx, ctx),
        confidence=round(min(confidence, 0.95), 2), mentions=(trigger,),
    )
    return _Found(event, anaphoric)


def _infinitive(clause: Token) -> bool:
    """A "to" clause: "to withdraw", "allowed X *to run*"."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)


def _clause_depth(token: Token) -> int:
    """How many subordinate clauses lie between the trigger and the sentence root."""
    depth, node = 0, token
    for _ in range(12):  # a parse tree's depth in a sentence; bounded in case of a cycle
        if node.head.i == node.i:
            break
        depth += node.dep_ in SUBORDINATE_DEPS
        node = node.head
    return depth


def _anaphoric(noun: Token) -> bool:
    """"These protests", "the talks": a bare definite noun refers back to an event told before."""
    dets = [c.lower_ for c in noun.children if c.dep_ == "det"]
    if not dets or dets[0] not in ANAPHORIC_DETERMINERS:
        return False
    if dets[0] != "the":
        return True
    return all(c.dep_ in {"det", "punct"} for c in noun.children)


def _pick_recipients(tokens: list[Token], ctx: _Context,
                     actors: tuple[EventActor, ...]) -> tuple[EventActor, ...]:
    """The best recipient (a named one before a mere phrase, then in order of preference) with
    the recipients conjoined to it ("Israel and Egypt")."""
    keys = {_side_key(a) for a in actors}
    resolved = [(t, _resolve(t, ctx)) for t in tokens]
    candidates = [(t, side) for t, side in resolved if side is not None and _side_key(side) not in keys]
    if not candidates:
        return ()
    best, _ = min(candidates, key=lambda pair: _name_rank(pair[1]))
    return _unique_sides(_with_conjuncts(best), ctx, exclude=actors)


def _name_rank(side: EventActor) -> int:
    """0: an entity or a country-coded side; 1: only a generic agent code ("---MIL" for "military
    aid"); 2: a mere phrase."""
    if side.entity is not None or (side.code and not side.code.startswith("---")):
        return 0
    return 1 if side.code else 2


def _author(thing: Token) -> list[Token]:
    """Who a plan, proposal or demand comes from: "an Indian proposal", "North Korea's demand",
    "an appeal from President X" (rejecting a request targets the one who made it)."""
    out = [c for c in thing.children if c.dep_ == "poss"]
    out += [c for c in thing.children if c.dep_ in {"amod", "compound"} and c.ent_type_ in {"NORP", "GPE", "ORG"}]
    out += [p for c in thing.children if c.dep_ == "prep" and c.lower_ in {"from", "by", "of"}
            for p in c.children if p.dep_ == "pobj"]
    return out


def _place(trigger: Token) -> list[Token]:
    """Named places the act happens in ("ban voting *in East Jerusalem*"): the recipient of last
    resort, as in PETRARCH, when no other side is named."""
    heads = [trigger, *(c for c in trigger.children if c.dep_ in {"xcomp", "dobj"})]
    return [p for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ in {"in", "inside"}
            for p in c.children if p.dep_ == "pobj" and p.ent_type_ in {"GPE", "LOC"}]


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


def _sides_match(a: tuple[EventActor, ...], b: tuple[EventActor, ...]) -> bool:
    """Two reports name the same side: both empty, a shared entity, code or text, or codes of
    the same country ("US" USA and "Trump" USAGOV in a headline and its body)."""
    if not a or not b:
        return not a and not b
    if {_side_key(x) for x in a} & {_side_key(y) for y in b}:
        return True
    roots_a = {x.code[:3] for x in a if x.code}
    roots_b = {y.code[:3] for y in b if y.code}
    return bool(roots_a) and roots_a == roots_b


def _shared(a: tuple[EventActor, ...], b: tuple[EventActor, ...]) -> bool:
    return bool({_side_key(x) for x in a} & {_side_key(y) for y in b})


def _same_event(a: Event, b: Event) -> bool:
    """Same type, negation and mode, one side shared exactly and the other compatible."""
    if a.type != b.type or a.negated != b.negated or (a.mode and b.mode and a.mode != b.mode):
        return False
    if _shared(a.actors, b.actors):
        return _sides_match(a.recipients, b.recipients)
    return _shared(a.recipients, b.recipients) and _sides_match(a.actors, b.actors)


def merge_events(found: list[_Found]) -> list[Event]:
    """One event, one record: each report joins the first earlier event it repeats."""
    merged: list[Event] = []
    for item in found:
        event = item.event
        target = None
        if item.anaphoric:
            target = next((i for i in range(len(merged) - 1, -1, -1) if merged[i].type == event.type), None)
        else:
            target = next((i for i, e in enumerate(merged) if _same_event(e, event)), None)
        if target is None:
            if item.anaphoric and not any(_has_name(r) for r in event.recipients):
                continue  # "the talks" with nothing before them to refer to
            merged.append(event)
            continue
        first = merged[target]
        merged[target] = replace(first, mentions=first.mentions + event.mentions,
                                 confidence=max(first.confidence, event.confidence))
    return [replace(e, id=f"v{n}") for n, e in enumerate(merged, start=1)]


def code_events(doc: Doc, entities: tuple[Entity, ...], quotes: tuple[Quote, ...]) -> tuple[Event, ...]:
    """The political events of the article, one record per event."""
    if not doc.has_annotation("DEP"):
        return ()
    lexicon = load_lexicon()
    ordered_quotes = tuple(sorted(quotes, key=lambda q: q.content.start))
    sentence_of: list[Span] = []
    for sentence in doc.sents:
        sentence_of.extend([sentence] * len(sentence))
    ctx = _Context(doc.text, _token_entities(doc, entities), ordered_quotes,
                   [q.content.start for q in ordered_quotes], sentence_of)
    found: list[_Found] = []
    for token in doc:
        if token.pos_ not in {"VERB", "NOUN"}:
            continue
        code, by_pattern, consumed = _trigger(token, lexicon)
        if code is None:
            continue
        item = _code_trigger(token, code, by_pattern, ctx, consumed)
        if item is not None:
            found.append(item)
    return tuple(merge_events(found))
