"""From tokens to sides: each side resolved to an entity mention of the document (pronouns already
resolved by the entity layer) and coded (the entity's code, else ``actors.code_span`` on the
phrase, on the page's date); recipients chosen by preference, a named one before a mere phrase."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from wirescope.analysis.actors import code_span
from wirescope.analysis.events.context import DocContext
from wirescope.analysis.events.lexicon import load_lexicon, noun_code, of_objects
from wirescope.analysis.events.sides import SideTokens, author, near_actor, on_line, place, protested
from wirescope.analysis.events.tree import with_conjuncts
from wirescope.analysis.events.violence import is_weapon, weapons_of
from wirescope.records import Entity, EventActor

ANAPHORIC_DETERMINERS = frozenset({"the", "these", "this", "those", "such", "that"})
# Heads of a partitive phrase whose "of" object is the real side ("thousands of students").
QUANTITY_NOUNS = frozenset({"ten", "tens", "hundred", "hundreds", "thousand", "thousands", "dozen",
                            "dozens", "million", "millions", "group", "number", "crowd", "band",
                            "score", "scores", "handful", "some", "many", "most", "all", "one",
                            "two", "three", "several", "majority"})
NOT_ACTORS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
# Dependents that belong to a side's noun phrase, before its head ("the *Israeli* forces").
PHRASE_MODIFIER_DEPS = frozenset({"det", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "case"})
# Modifiers of a common noun that say whose it is ("his team", "Israeli forces", "Hamas officials").
OWNER_DEPS = frozenset({"poss", "compound", "amod", "nmod"})


@dataclass
class Sides:
    """A trigger's sides, resolved to the document's actors."""

    actors: tuple[EventActor, ...]
    recipients: tuple[EventActor, ...]
    anaphoric: bool  # a bare "these protests": continues the last event of its type
    armed: bool  # a weapon of ASSAULT was named ("killed by a roadside mine")


def resolve_sides(trigger: Token, etype: str, found: SideTokens, ctx: DocContext) -> Sides:
    """The trigger's actors and its recipients (one, with the sides conjoined to it)."""
    # An activity is no actor ("these protests are exposing ..."); a weapon says how (ASSAULT).
    lexicon = load_lexicon()
    actor_tokens = [t for t in found.actors if noun_code(t, lexicon) is None]
    weapons = weapons_of(trigger, actor_tokens)
    actor_tokens = [t for t in actor_tokens if not is_weapon(t)]
    actors = unique_sides([on_line(t, trigger) for t in actor_tokens], ctx)
    anaphoric = False
    if not actors and trigger.pos_ == "NOUN":
        anaphoric = _anaphoric(trigger)
        if not anaphoric:
            near = near_actor(trigger, ctx, {t.i for t in found.recipients})
            actors = unique_sides([near] if near is not None else [], ctx)
    recipients = _recipient_side(trigger, etype, found, ctx, actors)
    return Sides(actors, recipients, anaphoric, bool(weapons))


def _recipient_side(trigger: Token, etype: str, found: SideTokens, ctx: DocContext,
                    actors: tuple[EventActor, ...]) -> tuple[EventActor, ...]:
    """The recipients; failing a named one, a protest's target or the place the act happens in."""
    tokens = found.recipients
    if found.consumed is not None:  # "opened fire": the pattern's object is no recipient, its author is
        tokens = author(found.consumed) + [t for t in tokens if t.i != found.consumed.i]
    recipients = pick_recipients([on_line(t, trigger) for t in tokens], ctx, actors)
    if etype == "PROTEST" and (not recipients or name_rank(recipients[0]) == 2):
        recipients = pick_recipients(protested(trigger, found.light, ctx), ctx, actors) or recipients
    if not recipients or name_rank(recipients[0]) == 2:
        recipients = pick_recipients(place(trigger), ctx, actors) or recipients
    return recipients


def _anaphoric(noun: Token) -> bool:
    """"These protests", "the talks": a bare definite noun refers back to an event told before."""
    dets = [c.lower_ for c in noun.children if c.dep_ == "det"]
    if not dets or dets[0] not in ANAPHORIC_DETERMINERS:
        return False
    if dets[0] != "the":
        return True
    return all(c.dep_ in {"det", "punct"} for c in noun.children)


def pick_recipients(tokens: list[Token], ctx: DocContext,
                    actors: tuple[EventActor, ...]) -> tuple[EventActor, ...]:
    """The best recipient (a named one before a mere phrase, then in order of preference) with
    the recipients conjoined to it ("Israel and Egypt")."""
    keys = {side_key(a) for a in actors}
    resolved = [(t, resolve_side(t, ctx)) for t in tokens]
    candidates = [(t, side) for t, side in resolved if side is not None and side_key(side) not in keys]
    if not candidates:
        return ()
    best, _ = min(candidates, key=lambda pair: name_rank(pair[1]))
    return unique_sides(with_conjuncts(best), ctx, exclude=actors)


def unique_sides(tokens: Iterable[Token], ctx: DocContext,
                 exclude: Iterable[EventActor] = ()) -> tuple[EventActor, ...]:
    """The sides the tokens name, each once, none of ``exclude``."""
    out: list[EventActor] = []
    keys = {side_key(a) for a in exclude}
    for token in tokens:
        side = resolve_side(token, ctx)
        if side is None or side_key(side) in keys:
            continue
        keys.add(side_key(side))
        out.append(side)
    return tuple(out)


def name_rank(side: EventActor) -> int:
    """0: an entity or a country-coded side; 1: only a generic agent code ("---MIL" for "military
    aid"); 2: a mere phrase."""
    if side.entity is not None or (side.code and not side.code.startswith("---")):
        return 0
    return 1 if side.code else 2


def side_key(side: EventActor) -> str:
    return side.entity or side.code or side.text.casefold()


def has_name(side: EventActor) -> bool:
    return side.entity is not None or side.code is not None


def resolve_side(token: Token, ctx: DocContext) -> EventActor | None:
    """The side of an event named by the noun ``token``: its entity and code where known."""
    if token.pos_ == "PRON" and token.i not in ctx.token_entity:
        return None  # an unresolved pronoun names nobody the reader can check
    if token.lemma_.lower() in QUANTITY_NOUNS:  # "thousands of Chilean students": the students
        objects = of_objects(token)
        if objects:
            return resolve_side(objects[0], ctx)
    if token.ent_type_ in NOT_ACTORS:
        return None  # "on Wednesday", "by 20 percent"
    hit = ctx.token_entity.get(token.i)
    if hit is not None:
        entity, start, end = hit
        return EventActor(start, end, ctx.text[start:end], entity.id, entity.name, entity.code)
    return _phrase_side(token, ctx)


def _phrase_side(token: Token, ctx: DocContext) -> EventActor | None:
    """A side no entity mention covers: its phrase, coded by the actor layer or by its owner."""
    phrase = _phrase(token)
    start, end = phrase.start_char, phrase.end_char
    code = code_span(phrase, when=ctx.published)
    owner = _owner(token, ctx, code is not None)
    if owner is not None:
        return EventActor(start, end, ctx.text[start:end], owner.id, owner.name, code or owner.code)
    if token.pos_ != "PROPN" and code is None:
        return None  # a common noun with no code and no owner ("its ability") names no actor
    return EventActor(start, end, ctx.text[start:end], None, None, code)


def _owner(token: Token, ctx: DocContext, coded: bool) -> Entity | None:
    """The entity a phrase belongs to: its modifier's ("his team", "Israeli forces", "Hamas
    officials"), else, for an uncoded phrase, its "of" object's ("leaders of Hamas")."""
    for child in token.children:
        if child.dep_ in OWNER_DEPS and child.i in ctx.token_entity:
            return ctx.token_entity[child.i][0]
    if coded:
        return None
    for pobj in of_objects(token):  # "inhabitants of the Golan Heights", "leaders of Hamas"
        hit = ctx.token_entity.get(pobj.i) or next(
            (ctx.token_entity[c.i] for c in pobj.children if c.i in ctx.token_entity), None)
        if hit is not None:
            return hit[0]
    return None


def _phrase(token: Token) -> Span:
    """The noun phrase headed by ``token``: its left modifiers and the token (no clauses)."""
    doc = token.doc
    start = token.i
    for child in token.lefts:
        if child.dep_ in PHRASE_MODIFIER_DEPS:
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
