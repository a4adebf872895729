"""Stable actor ids (issue 14): the id an entity's actor has in every document that names it.

A known actor's id is the gazetteer's canonical name ("person:donald-trump"); a person the
gazetteer does not know is named by the words of his full name (``names.identity_words``: no middle
initials, the formal given name), a surname alone by nothing; any other entity by its own name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from wirescope.analysis.names import formal_suffix, identity_words, names_a_son
from wirescope.records import Entity, actor_id


def entity_actor(entity: Entity, named: Sequence[tuple[str, str]]) -> str | None:
    """The stable id: the canonical name most of the entity's gazetteer names give (``named``:
    (canonical name, row kind) pairs); else a person's full name as written, a surname alone
    None; another entity's own name."""
    if named:
        # A person's name the tagger called an organisation ("forced Trump to"): the gazetteer's
        # person row says whose it is.
        kind = "PERSON" if any(k == "person" for _, k in named) else entity.type
        return actor_id(kind, Counter(name for name, _ in named).most_common(1)[0][0])
    if entity.type == "PERSON":
        # A son's suffix stays ("Jesse Jackson Jr." is not his father), though it splits a son the
        # next article names without it; the formal style ("Roger J. Stone Jr.") names the man the
        # news calls "Roger Stone" (names.formal_suffix), unless his namesake is apart (sons_apart).
        words = identity_words(entity.name, keep_suffix=names_a_son(entity.name))
        return actor_id(entity.type, " ".join(words)) if words else None
    name = entity.name
    if entity.type == "NORP" and name.endswith("s") and not name.endswith("ss"):
        name = name[:-1]  # "Israelis" and "Israeli" name one group
    return actor_id(entity.type, name)


def sons_apart(entities: Sequence[Entity]) -> tuple[Entity, ...]:
    """A son named in the formal style ("Jesse L. Jackson Jr.") keeps his suffix in his id where
    his document names his namesake father as another person ("his father, the Rev. Jesse L.
    Jackson"): the two would otherwise share one id."""
    ids = Counter(e.actor for e in entities if e.actor and e.type == "PERSON")
    out = []
    for entity in entities:
        suffixed = entity.type == "PERSON" and formal_suffix(tuple(entity.name.lower().split()))
        if suffixed and entity.actor and ids[entity.actor] > 1 and (words := identity_words(entity.name)):
            entity = replace(entity, actor=actor_id("PERSON", " ".join(words)))
        out.append(entity)
    return tuple(out)


def namesake_actor(actor: str, roles: Iterable[str]) -> str:
    """The id of a person the text tells from the gazetteer's actor of the same name by the roles it
    states ("person:ronald-johnson~cop-mil": a patrol captain, not the senator): "~" is in no
    name's slug, so the id is never a known actor's."""
    return f"{actor}~{'-'.join(sorted(roles)).lower()}"
