"""Role fixes the parse can decide once an event stands (issue 15, item 2).

* A conditional threat or a demand with no recipient in its own clause is aimed at whoever its
  condition names ("warned that if Hamas does not free them ..."), else at a named party of the
  sentence before, other than its actor: the first object there, else the first subject ("Kenya
  held talks with the Front. The president warned that if ...": the Front, whom the story is
  about; the subject is most often the threatener's own side).
* A protest located in a country with no named protesters is by that country's citizens (CAMEO
  sector CVL), and, with no target named, aimed at its government (GOV): the domestic protest's
  reading in CAMEO and PLOVER.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from wirescope.analysis.events.context import DocContext
from wirescope.analysis.events.resolve import has_name, pick_recipients
from wirescope.analysis.syntax import ACTIVE_SUBJECT_DEPS
from wirescope.records import EventActor

CONDITION_MARKS = frozenset({"if", "unless"})
# Heads that make a named place the location of a phrase, not a party to it ("captives in Gaza").
LOCATIVE_PREPS = frozenset({"in", "inside", "at", "across", "throughout", "near"})
CIVILIANS, GOVERNMENT = "CVL", "GOV"


def implied_recipients(trigger: Token, ctx: DocContext, actors: tuple[EventActor, ...]) -> tuple[EventActor, ...]:
    """The recipient a threat or demand implies: its condition's party, else the sentence before's."""
    condition = [t for clause in _conditions(trigger) for t in clause.subtree
                 if t.i in ctx.token_entity and t.pos_ != "PRON"]
    found = pick_recipients(condition, ctx, actors)
    if found:
        return found
    sentence = ctx.sentence_of[trigger.i]
    if sentence.start == 0:
        return ()
    previous = ctx.sentence_of[sentence.start - 1]
    named = [t for t in previous if t.i in ctx.token_entity and t.pos_ != "PRON" and not _located(t)]
    named.sort(key=_is_subject)  # objects first, each group in text order (the sort is stable)
    for token in named:
        side = pick_recipients([token], ctx, actors)
        if side:
            return side
    return ()


def _is_subject(token: Token) -> bool:
    head = token
    while head.dep_ in {"compound", "amod", "poss", "appos"} and head.head.i != head.i:
        head = head.head
    return head.dep_ in ACTIVE_SUBJECT_DEPS


def _conditions(trigger: Token) -> list[Token]:
    """"if"/"unless" clauses under the trigger or under the clause it reports."""
    heads = [trigger, *(c for c in trigger.children if c.dep_ in {"ccomp", "xcomp"})]
    return [c for h in heads for c in h.children
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in c.children)]


def _located(token: Token) -> bool:
    """A place named as where something is ("captives *in Gaza*"), not as a party."""
    head = token
    while head.dep_ == "compound" and head.head.i != head.i:
        head = head.head
    return head.dep_ == "pobj" and head.head.lower_ in LOCATIVE_PREPS


def _country(place: EventActor) -> str | None:
    """The country code a place's actor code starts with ("ISR" of ISR, ISRGOV), if any."""
    code = place.code or ""
    return code[:3] if len(code) >= 3 and code[:3].isalpha() else None


def people_of_place(place: EventActor) -> EventActor:
    """A country named where a protest is held, read as its citizens."""
    country = _country(place)
    return replace(place, entity=None, name=f"citizens of {place.name or place.text}",
                   code=country + CIVILIANS if country else None)


def government_of(place: EventActor) -> EventActor | None:
    """The government of a country-coded place (a domestic protest's default target)."""
    country = _country(place)
    if country is None:
        return None
    return replace(place, entity=None, name=f"government of {place.name or place.text}", code=country + GOVERNMENT)


def domestic_protest(actors: tuple[EventActor, ...], recipients: tuple[EventActor, ...],
                     located: bool) -> tuple[tuple[EventActor, ...], tuple[EventActor, ...]]:
    """A protest whose only actor is the place it is held in: its citizens against its government."""
    if not located or len(actors) != 1:
        return actors, recipients
    citizens = people_of_place(actors[0])
    if not recipients or not any(has_name(r) for r in recipients):
        government = government_of(actors[0])
        recipients = (government,) if government is not None else recipients
    return (citizens,), recipients
