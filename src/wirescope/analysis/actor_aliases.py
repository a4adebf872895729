"""Other names of an actor (issue 14): the project's aliases and partisan names ("the Zionist
entity", "the occupation entity") found in the text and merged into the entity of the actor they
name, for ``actors.code_actors``."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from wirescope.analysis.gazetteer import ALIAS_KINDS, Coded, load_gazetteer, resolve
from wirescope.analysis.gazetteer import scan_names as _scan
from wirescope.analysis.nlp import doc_text
from wirescope.records import Entity, Mention

# Dependencies of a word that modifies a noun rather than heading its own phrase.
MODIFIER_DEPS = frozenset({"compound", "amod"})


def alias_mentions(doc: Doc, day: str) -> list[tuple[Mention, str]]:
    """Multi-word aliases and partisan names in the analysed text ("the occupation entity").

    spaCy does not tag them as entities, so they are found here and joined to their actor.
    """
    gaz = load_gazetteer()
    text = doc_text(doc)
    tokens = list(doc)
    out = []
    for s, e, what, key in _scan(tokens, gaz):
        if what != "actor" or e - s < 2:
            continue
        rows = gaz.actors[key]
        if not any(r.kind in ALIAS_KINDS for r in rows):
            continue
        if tokens[s:e][-1].dep_ in MODIFIER_DEPS:
            continue  # part of a longer name: "Zionist army chief X" is X, not the army
        first = tokens[s + 1] if tokens[s].lower_ == "the" else tokens[s]
        start, end = first.idx, tokens[e - 1].idx + len(tokens[e - 1].text)
        out.append((Mention(start, end, text[start:end]), resolve(rows, day)[0]))
    return out


def id_number(entity_id: str) -> int:
    digits = entity_id.lstrip("e")
    return int(digits) if digits.isdigit() else 0


def _strip_covered(by_id: dict[str, Entity], aliases: list[tuple[Mention, str]]) -> None:
    """A longer alias mention replaces the mentions inside it ("Zionist" in "Zionist entity")."""
    for mention, _ in aliases:
        for eid, entity in list(by_id.items()):
            kept = tuple(m for m in entity.mentions if not (mention.start <= m.start and m.end <= mention.end))
            if len(kept) != len(entity.mentions):
                by_id[eid] = replace(entity, mentions=kept)


def merge_aliases(
    entities: list[Entity], coded: dict[str, Coded | None], aliases: list[tuple[Mention, str]]
) -> list[Entity]:
    """Entities that the gazetteer says are one actor become one: the lowest id, mentions sorted.

    Only names the project lists as aliases (or partisan names) of an actor cause a merge: cities
    coded as their state (Jerusalem -> ISR) stay apart. Demonyms (NORP) merge with demonyms, states
    and organisations with each other, people never.
    """
    by_id = {e.id: e for e in entities}
    _strip_covered(by_id, aliases)
    loose: dict[str, list[Mention]] = {}
    for mention, code in aliases:
        loose.setdefault(code, []).append(mention)
    next_number = max((id_number(e.id) for e in entities), default=0) + 1
    codes = sorted({c.code for c in coded.values() if c} | set(loose))
    for code, norp in ((c, n) for c in codes for n in (True, False)):
        group = [
            e for e in by_id.values()
            if e.mentions and e.type != "PERSON" and (e.type == "NORP") == norp
            and coded.get(e.id) is not None and coded[e.id].code == code  # type: ignore[union-attr]
        ]
        extra = [] if norp else loose.get(code, [])
        if not (extra or any(coded[e.id].kind in ALIAS_KINDS for e in group)):  # type: ignore[union-attr]
            continue
        if not group:
            if extra:
                eid = f"e{next_number}"
                next_number += 1
                by_id[eid] = _alias_entity(eid, code, extra)
                coded[eid] = Coded(code, "alias")
            continue
        # The aliases join one entity: a non-alias one, the dictionary's canonical name first
        # ("Israel", not "Zionist entity"); other names of the same code (Jerusalem) stay apart.
        aliased = [e for e in group if coded[e.id].kind in ALIAS_KINDS]  # type: ignore[union-attr]
        plain = [e for e in group if e not in aliased]
        target = min(plain or aliased, key=lambda e: (not coded[e.id].root, id_number(e.id)))  # type: ignore[union-attr]
        members = [target] + [e for e in aliased if e is not target]
        if len(members) == 1 and not extra:
            continue
        lowest = min(members, key=lambda e: id_number(e.id)).id
        mentions = {m for e in members for m in e.mentions} | set(extra)
        for e in members:
            del by_id[e.id]
        by_id[lowest] = replace(target, id=lowest, mentions=tuple(sorted(mentions)))
        coded[lowest] = coded[target.id]
    return sorted((e for e in by_id.values() if e.mentions), key=lambda e: id_number(e.id))


def _alias_entity(eid: str, code: str, mentions: list[Mention]) -> Entity:
    """A new entity for aliases naming an actor no entity stands for ("occupation media")."""
    name = load_gazetteer().names.get(code)
    return Entity(
        id=eid,
        name=name or mentions[0].text,
        type="GPE" if len(code) == 3 else "ORG",
        mentions=tuple(sorted(set(mentions))),
    )
