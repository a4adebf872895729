"""FIGHT or ASSAULT: CAMEO 19's armed clash between fighters, or PLOVER's one-sided violence
(against civilians, with mines or machetes, a targeted killing)."""

from __future__ import annotations

from spacy.tokens import Token

from wirescope.analysis.events.tree import with_conjuncts
from wirescope.records import EventActor

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


def is_weapon(token: Token) -> bool:
    """"killed by a roadside *mine*": a weapon is no actor, it says how."""
    return token.lemma_.lower() in ASSAULT_WEAPONS


def weapons_of(trigger: Token, actor_tokens: list[Token]) -> list[Token]:
    """The weapons among the actor tokens and in the trigger's "with"/"by" phrases."""
    weapons = [t for t in actor_tokens if is_weapon(t)]
    weapons += [p for c in trigger.children if c.dep_ == "prep" and c.lower_ in {"with", "by"}
                for p in c.children if p.dep_ == "pobj" and is_weapon(p)]
    return weapons


def violence_type(etype: str, trigger: Token, recipients: tuple[EventActor, ...], armed: bool) -> str:
    """ASSAULT for a FIGHT that is one-sided; ``armed``: a weapon of ASSAULT was named."""
    if etype != "FIGHT":
        return etype
    if recipients and all(_unarmed(r) for r in recipients):
        return "ASSAULT"  # fighters killing civilians: one-sided violence, no armed clash
    if armed:
        return "ASSAULT"  # ASSAULT modes `explosives' (mines, IEDs, car bombs), `primitive' (machetes)
    if trigger.pos_ == "VERB" and _targeted(trigger):
        return "ASSAULT"  # PLOVER ASSAULT `targeted': killings of one person, assassinations
    return etype


def _targeted(verb: Token) -> bool:
    """A killing whose object is one person: a named person or a singular office noun."""
    if verb.lemma_.lower() not in KILLING_VERBS:
        return False
    victims = [t for c in verb.children if c.dep_ in {"dobj", "nsubjpass"} for t in with_conjuncts(c)]
    return len(victims) == 1 and (victims[0].ent_type_ == "PERSON" or (
        victims[0].tag_ == "NN" and victims[0].lemma_.lower() in OFFICE_WORDS))


def _unarmed(side: EventActor) -> bool:
    if side.code:
        roles = {side.code[i : i + 3] for i in range(0, len(side.code), 3)}
        return bool(roles & UNARMED_ROLES) and not roles & ARMED_ROLES
    words = side.text.lower().split()
    return bool(words) and words[-1].rstrip("s") in VICTIM_WORDS | {"children", "women", "people"}
