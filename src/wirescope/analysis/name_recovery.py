"""Name mentions the tagger missed, found after grouping (``entities.py``) by the names the
document itself uses.

- A surname the tagger left out, put in a span of another kind ("Pelosi" as an EVENT) or read as a
  verb ("Trump fired ..."), joins the one person of the document whose name ends in it.
- A given name the tagger missed just before a surname it tagged alone ("Chicago Mayor Rahm
  Velde") makes that person's full name.
- In a title-cased headline, a person's full name or unique surname joins that person.
- A lone given name in apposition to a kinship noun ("Velde's wife Mara") is named with the
  owner's surname ("Mara Velde").
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from wirescope.analysis.name_spans import (
    ENTITY_LABELS,
    PERSON_TITLES,
    Cluster,
    headline_lines,
    is_title,
    principal,
    pronoun_after,
)
from wirescope.analysis.names import (
    KINSHIP_NOUNS,
    compatible,
    core_name,
    known_given,
    looks_given,
    same_given,
    title_gender,
)
from wirescope.analysis.nlp import doc_text
from wirescope.analysis.syntax import NOMINAL_SUBJECT_DEPS
from wirescope.records import Mention

# Syntactic roles in which a lone title-cased word the tagger missed may be a surname.
BARE_NAME_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "poss"})


def surname_mentions(doc: Doc, persons: list[Cluster]) -> None:
    """A surname the tagger missed ("“...,” Ilves said", tagged a plural noun, an EVENT or a verb)
    joins the one person of the document whose full name ends in it ("Marta Ilves"). Only
    capitalised tokens outside every name span that may be a surname there (``_may_be_surname``), so
    "Young voters said" never joins "Andrew Young"; an ambiguous surname, or one written with a
    title of the other gender ("Mr. Ilves"), joins no one. Of namesakes ("Mara and Jonas Velde"), the
    one a pronoun after it names ("Velde said she ...") is chosen, as for tagged surnames."""
    by_surname: dict[str, list[Cluster]] = {}
    for cluster in persons:
        if len(cluster.key_tokens) > 1:
            by_surname.setdefault(core_name(cluster.key_tokens)[-1], []).append(cluster)
    # A surname the document names only alone ("President Velde", "Velde said") is that person too.
    bare: dict[str, list[Cluster]] = {}
    for cluster in persons:
        if len(cluster.key_tokens) == 1 and cluster.key_tokens[0] not in by_surname:
            bare.setdefault(cluster.key_tokens[0], []).append(cluster)
    by_surname.update(bare)
    if not by_surname:
        return
    lowered = {t.lower_ for t in doc if t.is_lower}
    covered = {i for c in persons for m in c.mentions for i in range(m.start, m.end)}
    for token in doc:
        found = principal(by_surname.get(token.lower_, []))
        if not found or token.idx in covered or not _may_be_surname(doc, token, lowered):
            continue
        title = title_gender(doc[token.i - 1].text) if token.i > 0 else None
        hint = title or (pronoun_after(doc, token, token.dep_ in NOMINAL_SUBJECT_DEPS) if len(found) > 1 else None)
        fitting = [c for c in found if compatible(title, c.gender) and (len(found) == 1 or compatible(hint, c.gender))]
        if len(fitting) != 1:
            continue
        fitting[0].forms[token.text] += 1
        fitting[0].mentions.append(Mention(token.idx, token.idx + len(token.text), token.text))


def _may_be_surname(doc: Doc, token: Token, lowered: set[str]) -> bool:
    """Whether a capitalised token outside every name span may be a person's surname: a proper
    noun, a bare subject or object, or a name the tagger put in a span of another kind ("Pelosi"
    as an EVENT, a tweet quoted as a WORK_OF_ART). A word the parser read as a verb or a noun
    ("Trump fired ...") counts when it stands alone (no capitalised neighbour but a title), is no
    adjective ("Young voters") and, at a sentence start, when the document never writes it in lower
    case ("Long on Monday" where "long" is a word too)."""
    written = token.text.replace("'", "").replace("’", "")  # "O'Neill"
    if token.ent_type_ in ENTITY_LABELS or not token.text[:1].isupper() or token.is_upper or not written.isalpha():
        return False
    before = doc[token.i - 1] if token.i > 0 else None
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if (before is not None and before.text == "-" and not before.whitespace_) or (
            after is not None and after.text == "-" and not token.whitespace_):
        return False  # a compound: "anti-Velde", "Velde-Ilves ticket"
    if token.ent_type_ or token.pos_ == "PROPN" or (token.dep_ in BARE_NAME_DEPS and not any(token.children)):
        return True
    if token.pos_ == "ADJ" or token.dep_ == "amod" or (after is not None and after.text[:1].isupper()) or (
            before is not None and before.text[:1].isupper() and not token.is_sent_start
            and before.lower_.rstrip(".") not in PERSON_TITLES):
        return False  # "Young voters", or a word of a longer name
    return not token.is_sent_start or token.lower_ not in lowered


def recover_full_names(doc: Doc, persons: list[Cluster]) -> None:
    """A person named by surname only, whose full name the tagger missed ("Chicago Mayor Rahm
    Emanuel" untagged, "Emanuel" tagged later), gets it back: a title-cased proper noun or known
    given name just before the surname, on the same line and in no other entity, is the given name;
    the mention becomes the full name. Only when no full name of the document has that surname."""
    surnames = {core_name(c.key_tokens)[-1] for c in persons if len(c.key_tokens) > 1}
    bare = {c.key_tokens[0]: c for c in persons if len(c.key_tokens) == 1 and c.key_tokens[0] not in surnames}
    line_of, headlines = headline_lines(doc)
    for token in doc:
        cluster = bare.get(token.lower_)
        if cluster is None or token.i == 0 or not token.text[:1].isupper():
            continue
        given = doc[token.i - 1]
        if is_title(given) or not looks_given(given):
            continue
        if line_of[given.i] in headlines and not known_given(given.lower_):
            continue  # every word of a title-cased headline is capitalised: "Clinton Urges Obama"
        end = token.idx + len(token.text)
        mention = Mention(given.idx, end, doc_text(doc)[given.idx : end])
        cluster.mentions = [m for m in cluster.mentions if m.start != token.idx] + [mention]
        _absorb_given(persons, cluster, given)
        cluster.forms[mention.text] += 1
        cluster.key_tokens = (given.lower_, token.lower_)
        del bare[token.lower_]  # one given name per person: the first found


def _absorb_given(persons: list[Cluster], owner: Cluster, given: Token) -> None:
    """The given name the tagger tagged alone ("Mayor Tomas" of "Mayor Tomas Reyka") is part of the
    full name now made: its mention leaves the person it made on its own (left empty, to be dropped)."""
    for cluster in persons:
        if cluster is owner:
            continue
        alone = [m for m in cluster.mentions if m.start == given.idx and m.end == given.idx + len(given.text)]
        for mention in alone:
            cluster.mentions.remove(mention)
            cluster.forms[mention.text] -= 1


def headline_mentions(doc: Doc, clusters: list[Cluster]) -> None:
    """In a title-cased headline the tagger often sees no name at all ("Chris Velde Announces He's
    Running"): a person's full name, or the surname of the one person of the document who bears it,
    written there outside every other mention joins that person."""
    line_of, headlines = headline_lines(doc)
    covered = {i for c in clusters for m in c.mentions for i in range(m.start, m.end)}
    persons = [c for c in clusters if c.labels["PERSON"]]
    keys: dict[tuple[str, ...], list[Cluster]] = {}
    for cluster in persons:
        for key in {cluster.key_tokens, core_name(cluster.key_tokens)[-1:]}:
            keys.setdefault(key, []).append(cluster)
    keys = {key: principal(named) for key, named in keys.items()}  # not a father named as a relative
    i = 0
    while i < len(doc):
        found = None
        if line_of[i] in headlines and doc[i].idx not in covered and doc[i].text[:1].isupper():
            found = next(((n, keys[k][0]) for n in (3, 2, 1)
                          if len(keys.get(k := tuple(t.lower_ for t in doc[i : i + n]), ())) == 1), None)
        if found is None:
            i += 1
            continue
        n, cluster = found
        start, end = doc[i].idx, doc[i + n - 1].idx + len(doc[i + n - 1].text)
        form = doc_text(doc)[start:end]
        cluster.mentions.append(Mention(start, end, form))
        cluster.forms[form] += 1
        i += n


def relatives(doc: Doc, clusters: list[Cluster]) -> list[Cluster]:
    """A lone given name in apposition to a kinship noun whose owner is a named person ("Velde's
    wife Mara", "Jonas Velde, whose son, Tomas,") bears the owner's surname: its person is named
    "Mara Velde" (``Cluster.implied``), a new person when the tagger saw no name there. Not when
    the given name is the owner's own (a son named after his father is "Jr.")."""
    owner_of = {i: c for c in clusters for m in c.mentions for i in range(m.start, m.end)}
    new: list[Cluster] = []
    for token in doc:
        kin = token.head
        if token.dep_ != "appos" or kin.lemma_ not in KINSHIP_NOUNS or not _free_given(token, owner_of):
            continue
        owner = _kin_owner(kin)
        person = owner_of.get(owner.idx) if owner is not None else None
        if person is None or not person.labels["PERSON"]:
            continue
        written = core_name(tuple(max(person.forms, key=lambda f: len(f.split())).split()))
        if len(written) > 1 and same_given(written[0], token.text):
            continue
        surname = written[-1]
        cluster = owner_of.get(token.idx)
        if cluster is None:
            cluster = Cluster(key_tokens=(token.lower_,))
            cluster.add("PERSON", Mention(token.idx, token.idx + len(token), token.text), None)
            new.append(cluster)
        cluster.implied = f"{token.text} {surname}"
    return new


def kin_named(doc: Doc, last: int) -> str | None:
    """The kinship noun a full name (its last token) stands for when the text introduces the person
    as someone's relative: in apposition ("his father, Rev. Jesse Jackson") or named after it ("his
    father, also named Duncan Hunter"); else None."""
    token = doc[last]
    if token.dep_ == "appos" and token.head.lemma_.lower() in KINSHIP_NOUNS:
        return token.head.lemma_.lower()
    verb = token.head
    if token.dep_ not in {"oprd", "dobj", "attr"} or verb.lemma_ not in {"name", "call"}:
        return None
    subjects = [c for c in verb.children if c.dep_ in NOMINAL_SUBJECT_DEPS]
    kin = verb.head if verb.dep_ in {"acl", "appos"} else (subjects[0] if subjects else None)
    return kin.lemma_.lower() if kin is not None and kin.lemma_.lower() in KINSHIP_NOUNS else None


def _free_given(token: Token, owner_of: dict[int, Cluster]) -> bool:
    """A capitalised proper noun standing alone: no name words beside it, in no other kind's entity."""
    cluster = owner_of.get(token.idx)
    alone = cluster is None or (cluster.labels["PERSON"] > 0 and len(cluster.key_tokens) == 1)
    return alone and token.pos_ == "PROPN" and token.is_title and not any(
        t.pos_ == "PROPN" and t.i in {token.i - 1, token.i + 1} for t in token.children)


def _kin_owner(kin: Token) -> Token | None:
    """Whose relative: the name that owns the kinship noun ("Velde's wife"), or the name it stands
    in apposition to ("Jonas Velde, whose son, ...")."""
    poss = next((c for c in kin.children if c.dep_ == "poss"), None)
    if poss is not None and poss.pos_ == "PROPN":
        return poss
    return kin.head if kin.dep_ == "appos" and kin.head.pos_ == "PROPN" else None
