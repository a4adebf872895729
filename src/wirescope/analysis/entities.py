"""Entities: spaCy's named-entity mentions grouped within one document under a canonical name.

"U.S. President Donald Trump", "Trump" (even when the tagger calls it an ORG) and a following "He"
become one PERSON entity named "Donald Trump". Grouping is per document and deterministic; the
actor codes of the event layer (CAMEO/PLOVER) are attached later, so ``code`` stays ``None`` here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from wirescope.analysis.syntax import GENDERED_PRONOUNS, NOMINAL_SUBJECT_DEPS
from wirescope.records import Entity, Mention

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})

# Words spaCy sometimes keeps inside a PERSON span; a name is matched without them.
PERSON_TITLES = frozenset([
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "president", "vice",
    "prime", "minister", "premier", "chancellor", "secretary", "senator", "sen", "rep",
    "representative", "gov", "governor", "mayor", "king", "queen", "prince", "princess", "sheikh",
    "general", "gen", "lt", "col", "colonel", "major", "sgt", "admiral", "judge", "justice", "chief",
    "pope", "cardinal", "rabbi", "imam", "ayatollah", "former", "late", "ambassador", "envoy",
    "spokesman", "spokeswoman", "spokesperson", "leader", "chairman", "chairwoman", "ceo", "u.s.", "us"
])

# Different names of one state. Only the common short forms: the full actor gazetteer (with
# partisan names and codes) belongs to the actor layer, not to mention grouping.
STATE_ALIASES: dict[str, str] = {
    "us": "United States",
    "usa": "United States",
    "united states": "United States",
    "united states of america": "United States",
    "america": "United States",
    "uk": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "united kingdom": "United Kingdom",
    "uae": "United Arab Emirates",
    "united arab emirates": "United Arab Emirates",
    "eu": "European Union",
    "european union": "European Union",
    "un": "United Nations",
    "united nations": "United Nations",
}

# How many sentences back a pronoun may look for its person: beyond that a guess is a guess.
PRONOUN_WINDOW_SENTENCES = 2
LEADING_DETERMINERS = frozenset({"the"})
# Syntactic roles in which a lone title-cased word the tagger missed may be a surname.
BARE_NAME_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "poss"})


@dataclass
class _Cluster:
    """Mentions believed to name one entity, while grouping is under way."""

    key_tokens: tuple[str, ...]
    labels: Counter[str] = field(default_factory=Counter)
    forms: Counter[str] = field(default_factory=Counter)
    mentions: list[Mention] = field(default_factory=list)
    alias: str | None = None


def _name_key(tokens: list[Token], label: str) -> tuple[str, ...]:
    key = tuple(t.lower_.replace(".", "") for t in tokens if t.lower_.replace(".", ""))
    if label == "NORP" and key:
        # "Palestinians" and "Palestinian" name one group.
        key = key[:-1] + (key[-1].removesuffix("s"),)
    return key


def _trim_span(span: Span) -> list[Token]:
    """Tokens of the mention without a leading "the", person titles and a trailing possessive."""
    tokens = list(span)
    while tokens and tokens[0].lower_ in LEADING_DETERMINERS:
        tokens = tokens[1:]
    if span.label_ == "PERSON":
        while len(tokens) > 1 and tokens[0].lower_.rstrip(".") in PERSON_TITLES:
            tokens = tokens[1:]
    while tokens and (tokens[-1].tag_ == "POS" or tokens[-1].text in {"'", "’"}):
        tokens = tokens[:-1]
    return tokens


def _person_match(key: tuple[str, ...], cluster: _Cluster) -> bool:
    """"Trump" or "Donald Trump" names the person "Donald John Trump": a shorter name matches when
    its tokens appear in order in the longer one and share its surname (the last token)."""
    full = cluster.key_tokens
    if not key or len(key) > len(full) or key[-1] != full[-1]:
        return False
    remaining = iter(full)
    return all(tok in remaining for tok in key)  # in order: consumes the iterator


def _initials(key: tuple[str, ...]) -> str:
    return "".join(t[0] for t in key if t not in {"of", "the", "and", "for"})


def _collect_mentions(doc: Doc) -> list[tuple[str, tuple[str, ...], Mention, Span]]:
    out = []
    text = doc.text  # built from the tokens on every access: read it once
    for span in doc.ents:
        if span.label_ not in ENTITY_LABELS:
            continue
        tokens = _trim_span(span)
        if not tokens:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        out.append((span.label_, _name_key(tokens, span.label_), Mention(start, end, text[start:end]), span))
    return out


def _group_names(doc: Doc) -> list[_Cluster]:
    mentions = _collect_mentions(doc)
    persons: list[_Cluster] = []
    # 1. People first, longest names first, so that "Trump" finds "Donald Trump".
    for label, key, mention, _ in sorted(
        (m for m in mentions if m[0] == "PERSON"), key=lambda m: (-len(m[1]), m[2].start)
    ):
        matches = [c for c in persons if _person_match(key, c)]
        cluster = matches[0] if len(matches) == 1 else None
        if cluster is None:
            cluster = _Cluster(key_tokens=key)
            persons.append(cluster)
        cluster.labels[label] += 1
        cluster.forms[mention.text] += 1
        cluster.mentions.append(mention)

    others: dict[str, _Cluster] = {}
    for label, key, mention, _ in mentions:
        if label == "PERSON":
            continue
        # 2. The tagger sometimes calls a surname an ORG or GPE ("Trump told reporters"): a name
        #    that matches exactly one person of the document is that person.
        if label in {"ORG", "GPE", "NORP"}:
            matches = [c for c in persons if _person_match(key, c)]
            if len(matches) == 1:
                matches[0].forms[mention.text] += 1
                matches[0].mentions.append(mention)
                continue
        # 3. Organisations and places group on their normalised name or a known alias.
        joined = " ".join(key)
        alias = STATE_ALIASES.get(joined)
        group_key = f"alias:{alias}" if alias else f"{label}:{joined}"
        cluster = others.get(group_key)
        if cluster is None:
            cluster = others[group_key] = _Cluster(key_tokens=key, alias=alias)
        cluster.labels[label] += 1
        cluster.forms[mention.text] += 1
        cluster.mentions.append(mention)

    # 4. Acronyms join the organisation they abbreviate ("WHO" -> "World Health Organization").
    for group_key, cluster in list(others.items()):
        if len(cluster.key_tokens) != 1 or cluster.alias:
            continue
        acronym = cluster.key_tokens[0]
        targets = [
            c for k, c in others.items()
            if c is not cluster and len(c.key_tokens) > 1 and _initials(c.key_tokens) == acronym
        ]
        if len(targets) == 1 and len(acronym) > 1:
            targets[0].forms.update(cluster.forms)
            targets[0].labels.update(cluster.labels)
            targets[0].mentions.extend(cluster.mentions)
            del others[group_key]
    return persons + list(others.values())


def _surname_mentions(doc: Doc, persons: list[_Cluster]) -> None:
    """A surname the tagger missed ("“...,” Ilves said", tagged a plural noun) joins the one
    person of the document whose full name ends in it ("Marta Ilves"). Only title-cased tokens
    outside every entity span that are proper nouns or stand alone as a subject or object, so
    "Young voters said" never joins "Andrew Young"; an ambiguous surname joins no one."""
    by_surname: dict[str, list[_Cluster]] = {}
    for cluster in persons:
        if len(cluster.key_tokens) > 1:
            by_surname.setdefault(cluster.key_tokens[-1], []).append(cluster)
    if not by_surname:
        return
    for token in doc:
        if token.ent_type_ or not token.text.istitle():
            continue
        found = by_surname.get(token.lower_)
        if found is None or len(found) != 1:
            continue
        if token.pos_ != "PROPN" and not (token.dep_ in BARE_NAME_DEPS and not any(token.children)):
            continue
        found[0].forms[token.text] += 1
        found[0].mentions.append(Mention(token.idx, token.idx + len(token.text), token.text))


def _sentence_index(doc: Doc) -> list[int]:
    """Sentence number of each token (the parser sets sentence starts)."""
    index, current = [], -1
    for token in doc:
        if token.is_sent_start or current < 0:
            current += 1
        index.append(current)
    return index


def _resolve_pronouns(doc: Doc, persons: list[_Cluster]) -> None:
    """Attach "he"/"she"/"his"/"her" to a person named just before.

    Rule: among the people mentioned in the pronoun's sentence (before it) and the
    PRONOUN_WINDOW_SENTENCES before, take the one most recently named as a grammatical subject, else
    the only one named. Several candidates and no subject among them: leave the pronoun alone.
    """
    if not persons:
        return
    owner: dict[int, _Cluster] = {}
    for person in persons:
        for m in person.mentions:
            owner[m.start] = person
    sent_of = _sentence_index(doc)
    named: list[tuple[int, int, _Cluster, bool]] = []  # (token index, sentence, cluster, is_subject)
    for token in doc:
        cluster = owner.get(token.idx)
        if cluster is not None:
            is_subject = any(t.dep_ in NOMINAL_SUBJECT_DEPS for t in _span_tokens(doc, token, cluster))
            named.append((token.i, sent_of[token.i], cluster, is_subject))
    pronoun_mentions: list[tuple[_Cluster, Mention]] = []
    for token in doc:
        if token.lower_ not in GENDERED_PRONOUNS or token.tag_ not in {"PRP", "PRP$"}:
            continue
        sentence = sent_of[token.i]
        window = [n for n in named if n[0] < token.i and sentence - n[1] <= PRONOUN_WINDOW_SENTENCES]
        if not window:
            continue
        candidates = {id(n[2]): n[2] for n in window}
        subjects = [n for n in window if n[3]]
        if subjects:
            chosen = subjects[-1][2]
        elif len(candidates) == 1:
            chosen = window[-1][2]
        else:
            continue
        pronoun_mentions.append((chosen, Mention(token.idx, token.idx + len(token.text), token.text)))
    for cluster, mention in pronoun_mentions:
        cluster.mentions.append(mention)


def _span_tokens(doc: Doc, first: Token, cluster: _Cluster) -> list[Token]:
    """The tokens of the mention of ``cluster`` that starts at ``first``."""
    mention = next(m for m in cluster.mentions if m.start == first.idx)
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return list(span) if span is not None else [first]


def _canonical_name(cluster: _Cluster, label: str) -> str:
    if cluster.alias:
        return cluster.alias
    if label == "PERSON":
        # The fullest form of the name, without titles: "Donald Trump" over "Trump".
        return max(cluster.forms, key=lambda f: (len(f.split()), cluster.forms[f], -len(f)))
    # The most frequent form, the longer one on a tie ("the Oval Office" is trimmed already).
    return max(cluster.forms, key=lambda f: (cluster.forms[f], len(f)))


def _entity_type(cluster: _Cluster) -> str:
    if cluster.labels["PERSON"]:
        return "PERSON"
    return cluster.labels.most_common(1)[0][0]


def extract_entities(doc: Doc) -> tuple[Entity, ...]:
    """Entities of a parsed document, ids ``e1, e2, ...`` in order of first mention."""
    if not doc.has_annotation("ENT_IOB"):
        return ()
    clusters = _group_names(doc)
    _surname_mentions(doc, [c for c in clusters if c.labels["PERSON"]])
    if doc.has_annotation("DEP"):
        _resolve_pronouns(doc, [c for c in clusters if c.labels["PERSON"]])
    ordered = sorted(clusters, key=lambda c: min(m.start for m in c.mentions))
    entities = []
    for number, cluster in enumerate(ordered, start=1):
        label = _entity_type(cluster)
        entities.append(
            Entity(
                id=f"e{number}",
                name=_canonical_name(cluster, label),
                type=label,
                mentions=tuple(sorted(set(cluster.mentions))),
            )
        )
    return tuple(entities)
