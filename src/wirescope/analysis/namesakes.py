"""Namesakes who share a full name in one document: a father and his son ("Rep. Cesar Velde Jr."
and "the Rev. Cesar Velde"), or two people written alike ("His father, former Rep. Cesar Velde").

The entity grouper (``entities.py``) keeps them apart with the rules of this module: a full name
in apposition to a kinship noun whose owner bears the same name is a person of its own
(``relative_of``: "His father, X," after "Rep. X"; "Velde's wife, Mara Velde"); a surname goes to
the namesake "the elder"/"the younger" picks, else not to such a relative, not to the relative it
owns ("Velde's wife"), and of "X" and "X Jr." to the full name written last before it when the text
tells them apart (``one_generation``). Then the actor ids, which never merge them across documents:

- A generational suffix written in the text ("X Jr.", "X Sr.", "X III") is kept in the actor id
  (person:cesar-velde-jr) when the same document names the other form (un-suffixed or
  other-suffixed) as someone else: a family tie stated near them ("his father", "X's son", "the
  elder X") or different office titles. A suffixed name alone stays "Cesar Velde" (``names.py``).
- Two people of one document written with the same full name (no suffix to tell them apart): the
  first named keeps the id, the others get none. Nothing in the text says which of the two
  "Cesar Velde" of the next article is; no id is better than a wrong merge.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from spacy.tokens import Doc

from wirescope.analysis.name_recovery import KINSHIP_NOUNS
from wirescope.analysis.name_spans import PERSON_TITLES, Cluster, Found
from wirescope.analysis.names import (
    compatible,
    core_name,
    identity_words,
    name_gender,
    office_title,
    pronoun_gender,
    same_given,
    word_before,
)
from wirescope.records import Entity, Mention, actor_id

# Words before a surname that say which generation of a family is meant ("the elder Velde").
ELDER_WORDS = frozenset({"elder", "older", "senior"})
YOUNGER_WORDS = frozenset({"younger", "junior"})
# Kinship nouns of the generation before the person they belong to, and after.
PARENT_NOUNS = frozenset({"father", "mother"})
CHILD_NOUNS = frozenset({"son", "daughter", "grandson", "granddaughter", "stepson", "stepdaughter"})
ELDER_SUFFIXES = frozenset({"sr"})


def generation_word(word: str) -> str | None:
    """"elder" / "older" -> "elder", "younger" -> "younger"; any other word -> None."""
    key = word.lower()
    return "elder" if key in ELDER_WORDS else "younger" if key in YOUNGER_WORDS else None


def suffix_of(words: Iterable[str]) -> tuple[str, ...]:
    """The generational suffix a name ends with (lower case, no dots): "Velde Jr." -> ("jr",)."""
    key = tuple(w.lower().replace(".", "") for w in words if w.replace(".", ""))
    return key[len(core_name(key)) :]


def age_rank(suffix: tuple[str, ...], kin: str | None) -> int:
    """Where a namesake stands among the generations of one name (0 the eldest): "his father, X"
    and "X Sr." before plain "X", before "X Jr." (or "II", "III") and "his son, X"."""
    if kin in PARENT_NOUNS or (suffix and suffix[0] in ELDER_SUFFIXES):
        return 0
    if kin in CHILD_NOUNS or suffix:
        return 2
    return 1


def kinship_stated(doc: Doc, mentions: Iterable[Mention]) -> bool:
    """Whether a sentence naming one of ``mentions`` states a family tie: a kinship noun ("his
    father", "Velde's son") or a generation word ("the elder Velde"). Needs the parse."""
    if not doc.has_annotation("SENT_START"):
        return False
    starts = {m.start for m in mentions}
    for sentence in doc.sents:
        if not any(sentence.start_char <= s < sentence.end_char for s in starts):
            continue
        if any(t.lemma_.lower() in KINSHIP_NOUNS or generation_word(t.text) for t in sentence):
            return True
    return False


# --- grouping mentions (entities.py) -------------------------------------------------------------


def _same_name(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two name keys may be written for one person: one surname (a suffix left out), and
    one given name where both write one ("Velde" and "Cesar Velde Sr." may; "Mara Velde" may not)."""
    a, b = core_name(a), core_name(b)
    return a[-1] == b[-1] and (len(a) == 1 or len(b) == 1 or same_given(a[0], b[0]))


def relative_of(doc: Doc, item: Found, people: list[Found]) -> str | None:
    """The kinship noun ("father") a full name stands in apposition to when the noun's owner bears
    the same name: in "Rep. Cesar Velde ... His father, former Rep. Cesar Velde," the second is
    another man. The owner is the name before "'s" ("Velde's son, ..."), or for "his"/"her" the
    person named last before it, of a fitting gender. Needs the parse."""
    last = doc[item.token]
    kin = last.head
    if last.dep_ != "appos" or kin.lemma_.lower() not in KINSHIP_NOUNS:
        return None
    poss = next((c for c in kin.children if c.dep_ == "poss"), None)
    if poss is None:
        return None
    if poss.pos_ == "PRON":
        gender = pronoun_gender(poss.text)
        before = [p for p in people if p.mention.start < poss.idx
                  and compatible(gender, p.gender or name_gender(p.key))]
        owner = max(before, key=lambda p: p.mention.start, default=None)
        key = owner.key if owner is not None else ()
    else:  # the name's own words, whatever the tagger called it ("Velde's" is often an ORG)
        key = tuple(t.lower_ for t in poss.subtree if t.pos_ == "PROPN" and t.lower_.rstrip(".") not in PERSON_TITLES)
    return kin.lemma_.lower() if key and _same_name(key, item.key) else None


def not_own_relative(doc: Doc, item: Found, found: list[Cluster]) -> list[Cluster]:
    """The names a surname that owns a kinship noun may be, less the relative in apposition to it:
    in "Velde's wife, Mara Velde," the "Velde" is not Mara Velde."""
    last = doc[item.token]
    if last.dep_ != "poss" or last.head.lemma_.lower() not in KINSHIP_NOUNS:
        return found
    relatives = {t.idx for t in last.head.children if t.dep_ == "appos"}
    return [c for c in found if not any(m.start <= i < m.end for m in c.mentions for i in relatives)]


def by_generation(doc: Doc, item: Found, full: list[Cluster]) -> Cluster | None:
    """The namesake "the elder Velde" / "the younger Velde" names: the eldest or youngest of the
    generations the document writes (``age_rank``), when only one stands there."""
    if len(full) < 2:
        return None
    first = doc.char_span(item.mention.start, item.mention.end, alignment_mode="expand")
    word = generation_word(doc[first.start - 1].text) if first is not None and first.start > 0 else None
    if word is None:
        return None
    ranks = {id(c): age_rank(suffix_of(c.key_tokens), c.kin) for c in full}
    target = min(ranks.values()) if word == "elder" else max(ranks.values())
    picked = [c for c in full if ranks[id(c)] == target]
    return picked[0] if len(picked) == 1 and len(set(ranks.values())) > 1 else None


def one_generation(doc: Doc, item: Found, found: list[Cluster]) -> list[Cluster]:
    """Of a father and a son written "X" and "X Jr." (or "X Sr." and "X"): the one whose full name
    was written last before the surname, when the text tells them apart (a family tie, different
    offices); else, as before, the un-suffixed name ("Trump" is "Donald Trump", not "Donald Trump
    Jr."). Candidates of other given names stay."""
    suffixed = [c for c in found if core_name(c.key_tokens) != c.key_tokens]
    variants = [c for c in found if any(_same_name(c.key_tokens, s.key_tokens) for s in suffixed)]
    plain = [c for c in variants if c not in suffixed]
    if not plain:
        return found
    rest = [c for c in found if c not in variants]
    offices = [c.offices for c in variants if c.offices]
    apart = kinship_stated(doc, [m for c in variants for m in c.mentions]) or (
        len(offices) > 1 and not set.intersection(*offices))
    before = [(m.start, i) for i, c in enumerate(variants) for m in c.mentions
              if len(m.text.split()) > 1 and m.start < item.mention.start]
    if not apart or not before:
        return plain + rest
    return [variants[max(before)[1]]] + rest


# --- actor ids (actors.py) ------------------------------------------------------------------------


def _offices(text: str, entity: Entity) -> set[str]:
    """Office titles written just before the entity's mentions ("Rep.", "Sen.")."""
    return {o for m in entity.mentions if (o := office_title(word_before(text, m.start)))}


def _told_apart(doc: Doc, text: str, one: Entity, other: Entity) -> bool:
    """The text shows two people: a family tie stated near them, or different office titles."""
    if kinship_stated(doc, one.mentions + other.mentions):
        return True
    offices, others = _offices(text, one), _offices(text, other)
    return bool(offices and others and not offices & others)


def _suffixed_id(entity: Entity) -> str | None:
    words = identity_words(entity.name, keep_suffix=True)
    return actor_id("PERSON", " ".join(words)) if words else None


def settle_namesakes(doc: Doc, entities: tuple[Entity, ...]) -> tuple[Entity, ...]:
    """The entities, the actor ids of namesakes who share a full name in the document settled
    (module docstring): a written suffix kept where the other form names someone else; the later
    of two people written alike left without an id."""
    names = {e.id: (tuple(identity_words(e.name) or ()), suffix_of(e.name.split()))
             for e in entities if e.type == "PERSON"}
    persons = [e for e in entities if names.get(e.id, ((),))[0]]
    if len({names[e.id][0] for e in persons}) == len(persons):
        return entities  # no two people of one name: the common case, nothing to read
    text = doc.text  # rebuilt on each access: read once
    actors = {e.id: e.actor for e in entities}
    seen: dict[tuple[tuple[str, ...], tuple[str, ...]], Entity] = {}
    for entity in persons:
        core, suffix = names[entity.id]
        if seen.setdefault((core, suffix), entity) is not entity:
            actors[entity.id] = None  # a second person written alike (``relative_of`` in entities.py)
            continue
        others = [e for e in persons if names[e.id][0] == core and names[e.id][1] != suffix]
        # Not a gazetteer id of the person's own: only the un-suffixed name's id gives way.
        shared = {None, actor_id("PERSON", " ".join(core))} | {e.actor for e in others}
        if suffix and entity.actor in shared and any(_told_apart(doc, text, entity, o) for o in others):
            actors[entity.id] = _suffixed_id(entity)
    return tuple(e if actors[e.id] == e.actor else replace(e, actor=actors[e.id]) for e in entities)
