"""Entities: spaCy's named-entity mentions grouped within one document under a canonical name.

"U.S. President Donald Trump", "Trump" (even when the tagger calls it an ORG) and a following "He"
become one PERSON entity named "Donald Trump". Grouping is per document and deterministic; the
actor codes of the event layer (CAMEO/PLOVER) are attached later, so ``code`` stays ``None`` here.

People who share a surname stay apart: a bare surname joins a full name only when exactly one
person of the document with that surname fits the gendered title before it ("Mr.", "Mrs.") or the
pronoun after it (``names.py``); a pronoun never joins a person of the other gender. A mention never
crosses a line break (title and body are separate lines), and in a title-cased headline line a
span the tagger ran on ("Trump Lashes Out") is cut back to a name the rest of the document uses.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from wirescope.analysis.names import (
    Gender,
    compatible,
    core_name,
    decide,
    looks_given,
    name_gender,
    office_title,
    pronoun_gender,
    same_given,
    title_gender,
)
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
    "spokesman", "spokeswoman", "spokesperson", "leader", "chairman", "chairwoman", "ceo", "u.s.", "us"])

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
# Parts of speech that never begin or end a name (a name's own words are proper nouns, or
# nouns and adjectives the tagger misreads: "Grace", "Young").
EDGE_POS = frozenset({"CCONJ", "SCONJ", "ADP", "AUX", "VERB", "PART", "PRON", "DET", "INTJ", "PUNCT", "ADV"})
# Labels the tagger gives a surname it did not read as a person ("Mattis" as NORP, FAC or GPE).
MISTAGGED_PERSON_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC"})
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
    titles: list[Gender] = field(default_factory=list)  # genders of "Mr."/"Mrs." written with it
    offices: set[str] = field(default_factory=set)  # office titles written before it ("President")

    @property
    def gender(self) -> Gender | None:
        """The titles written with the name decide; else its given name (``names.py``)."""
        return decide(self.titles) or name_gender(self.key_tokens)

    def add(self, label: str, mention: Mention, gender: Gender | None, office: str | None = None) -> None:
        self.offices.update([office] if office else [])
        self.labels[label] += 1
        self.forms[mention.text] += 1
        self.mentions.append(mention)
        self.titles.extend([gender] if gender is not None else [])


class _Found(NamedTuple):
    """A name mention as the tagger found it, trimmed: its label, name key and title's gender."""

    label: str
    key: tuple[str, ...]
    mention: Mention
    gender: Gender | None  # of a gendered title before or in the span ("Mr. Velde")
    subject: bool  # the name is a noun subject (a pronoun after it may refer back to it)
    token: int  # index of its last token
    office: str | None = None  # an office title just before its first word ("President", "Sen.")


def _name_key(tokens: list[Token], label: str) -> tuple[str, ...]:
    key = tuple(t.lower_.replace(".", "") for t in tokens if t.lower_.replace(".", ""))
    if label == "NORP" and key:
        # "Palestinians" and "Palestinian" name one group.
        key = key[:-1] + (key[-1].removesuffix("s"),)
    return key


def _trim_span(tokens: list[Token], label: str) -> tuple[list[Token], Gender | None]:
    """Tokens of the mention without a leading "the", person titles and a trailing possessive, and
    the gender of a gendered title cut off ("Mrs. Mara Velde" -> f)."""
    gender = None
    while tokens and tokens[0].lower_ in LEADING_DETERMINERS:
        tokens = tokens[1:]
    if label == "PERSON":
        while len(tokens) > 1 and tokens[0].lower_.rstrip(".") in PERSON_TITLES:
            gender = gender or title_gender(tokens[0].text)
            tokens = tokens[1:]
    while tokens and (tokens[-1].tag_ == "POS" or tokens[-1].text in {"'", "’"}):
        tokens = tokens[:-1]
    # Words the tagger ran into the name at its edges, told by the parse: "Plus Obama" (CCONJ),
    # "Christie today" (lower case); a separate word only ("Ban Ki-moon" ends in "-moon"), and at
    # the start only for people ("al-Qaeda").
    while label == "PERSON" and len(tokens) > 1 and tokens[0].whitespace_ and _not_a_name_word(tokens[0]):
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-2].whitespace_ and _not_a_name_word(tokens[-1]):
        tokens = tokens[:-1]
    return tokens, gender


def _not_a_name_word(token: Token) -> bool:
    return token.is_lower or token.pos_ in EDGE_POS


def _person_match(key: tuple[str, ...], cluster: _Cluster) -> bool:
    """"Trump" or "Donald Trump" names the person "Donald John Trump": a shorter name matches when
    its tokens appear in order in the longer one and share its surname (the last token). The given
    name may be a short form of the other ("Mike Velde" for "Michael R. Velde"), and a bare surname
    matches a name ending in a suffix ("Biden" for "Joseph R. Biden Jr."); a full name without the
    suffix does not ("Donald Trump" is not "Donald Trump Jr.")."""
    full = cluster.key_tokens
    if not key or len(key) > len(full):
        return False
    if key[-1] != full[-1] and not (len(key) == 1 and core_name(full)[-1] == key[0]):
        return False
    remaining = iter(full)
    # in order: each ``any`` consumes the iterator up to the token it found
    return all(any(tok == f or (i == 0 and len(key) > 1 and same_given(tok, f)) for f in remaining)
               for i, tok in enumerate(key))


def _initials(key: tuple[str, ...]) -> str:
    return "".join(t[0] for t in key if t not in {"of", "the", "and", "for"})


def _pieces(span: Span) -> list[list[Token]]:
    """The span cut at whitespace tokens: a line break (title | body, or a blanked segment between
    them) ends a name, so "Joe\\n\\nJoe Biden" is two mentions, never one. A person's name also
    ends at a possessive ("Obama's Afghan"): what follows is not the person."""
    pieces: list[list[Token]] = [[]]
    for token in span:
        if token.is_space:
            pieces.append([])
        elif span.label_ == "PERSON" and token.tag_ == "POS":
            break
        else:
            pieces[-1].append(token)
    return [p for p in pieces if p]


def _headline_lines(doc: Doc) -> tuple[list[int], set[int]]:
    """The line number of every token, and the lines styled as headlines: every word of four
    letters or more title-cased or in capitals, two such words at least ("Trump Lashes Out")."""
    line_of: list[int] = []
    words: dict[int, list[Token]] = {}
    line = 0
    for token in doc:
        if token.is_space:
            line += 1
        line_of.append(line)
        if token.is_alpha and len(token) >= 4:
            words.setdefault(line, []).append(token)
    styled = {n for n, ws in words.items() if len(ws) >= 2 and all(w.is_title or w.is_upper for w in ws)}
    return line_of, styled


def _cut_to_known(tokens: list[Token], label: str, known: set[tuple[str, ...]]) -> list[Token]:
    """In a headline line the tagger runs names into the words around them ("Trump Lashes Out",
    "Rip Donald Trump"): the longest part of the span that the document names elsewhere."""
    if len(tokens) < 2 or _name_key(tokens, label) in known:
        return tokens
    for size in range(len(tokens) - 1, 0, -1):
        for start in range(len(tokens) - size + 1):
            part = tokens[start : start + size]
            if _name_key(part, label) in known:
                return part
    return tokens


def _found(label: str, tokens: list[Token], gender: Gender | None, text: str) -> _Found:
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    subject = any(t.dep_ in NOMINAL_SUBJECT_DEPS for t in tokens)
    office = office_title(tokens[0].nbor(-1).text) if tokens[0].i > 0 else None
    return _Found(label, _name_key(tokens, label), Mention(start, end, text[start:end]), gender, subject,
                  tokens[-1].i, office)


def _collect_mentions(doc: Doc) -> list[_Found]:
    """Every name mention of the tagger, cut at line breaks, trimmed of titles, with the gender of a
    gendered title written with it ("Mr. Velde": the title before the span or inside it)."""
    text = doc.text  # built from the tokens on every access: read it once
    line_of, headlines = _headline_lines(doc)
    raw: list[tuple[str, list[Token], Gender | None, bool]] = []
    for span in doc.ents:
        if span.label_ not in ENTITY_LABELS:
            continue
        for piece in _pieces(span):
            tokens, gender = _trim_span(piece, span.label_)
            if not tokens:
                continue
            before = doc[tokens[0].i - 1] if tokens[0].i > 0 else None
            gender = gender or (title_gender(before.text) if before is not None else None)
            raw.append((span.label_, tokens, gender, line_of[tokens[0].i] in headlines))
    known = {_name_key(tokens, label) for label, tokens, _, headline in raw if not headline}
    # and given names and surnames: "Donald", "Trump" of "Donald Trump"
    known |= {(t.lower_,) for label, tokens, _, headline in raw if label == "PERSON" and not headline
              for t in (tokens[0], tokens[-1])}
    out = []
    for label, tokens, gender, headline in raw:
        if headline:
            tokens, _ = _trim_span(_cut_to_known(tokens, label, known), label)
            # A person the tagger saw only in a headline ("Agrees", "Birth Bill") is a fragment:
            # the people a headline names are named in the body too.
            if label == "PERSON" and _name_key(tokens, label) not in known and known:
                continue
        if tokens:
            out.append(_found(label, tokens, gender, text))
    return out


def _pronoun_after(doc: Doc, last: Token, subject: bool) -> Gender | None:
    """The gender of the first subject pronoun after a subject name (ending at ``last``) in its
    sentence, no other person named between ("Velde said she would ..." -> f); None otherwise."""
    if not subject or not doc.has_annotation("SENT_START"):
        return None
    for token in doc[last.i + 1 : last.sent.end]:
        if token.ent_type_ == "PERSON":
            return None
        # A subject pronoun only: in "the younger Velde echoed his words when she added", "his" is
        # someone else's.
        if token.dep_ in NOMINAL_SUBJECT_DEPS and (gender := pronoun_gender(token.text)) is not None:
            return gender
    return None


def _person_for(item: _Found, persons: list[_Cluster], doc: Doc) -> _Cluster | None:
    """The person a name mention joins, or None for a new one.

    A full name joins the one person whose name contains it. A bare surname joins the full-name
    person with that surname when exactly one fits the gendered title written with it (a pronoun
    after it picks among several); else it joins a bare surname entity written with the same
    title, so "Mr. Velde" and "Mrs. Velde" are two people and neither is "Mara Velde" by guess.
    """
    fitting = [c for c in persons if _person_match(item.key, c) and compatible(item.gender, c.gender)]
    if len(item.key) > 1:
        exact = [c for c in fitting if c.key_tokens == item.key]
        return fitting[0] if len(fitting) == 1 else (exact[0] if exact else None)
    full = _full_namesakes(doc, item, fitting)
    if len(full) == 1:
        return full[0]
    bare = [c for c in fitting if c.key_tokens == item.key and decide(c.titles) == item.gender]
    if bare or fitting:
        return bare[0] if bare else None
    return _given_name_owner(item, persons)


def _full_namesakes(doc: Doc, item: _Found, fitting: list[_Cluster]) -> list[_Cluster]:
    """The full names a bare surname may name: a father before his son ("Trump": "Donald Trump", not
    "Donald Trump Jr."), narrowed by a pronoun after it, then by its office title ("President X")."""
    full = [c for c in fitting if len(c.key_tokens) > 1]
    found = _by_pronoun(doc, item, [c for c in full if core_name(c.key_tokens) == c.key_tokens] or full)
    titled = [c for c in found if item.office in c.offices] if item.office and len(found) > 1 else []
    return titled if len(titled) == 1 else found


def _given_name_owner(item: _Found, persons: list[_Cluster]) -> _Cluster | None:
    """A lone given name ("Heidi", "Mike") joins the one full name of the document that starts with
    it (or a form of it) when it is nobody's surname; never with a title ("Mr. Seth" is a surname)."""
    if item.gender is not None or len(item.key) != 1:
        return None
    given = item.key[0]
    if any(core_name(c.key_tokens)[-1] == given for c in persons):
        return None
    owners = [c for c in persons if len(core_name(c.key_tokens)) > 1 and same_given(given, c.key_tokens[0])]
    return owners[0] if len(owners) == 1 else None


def _by_pronoun(doc: Doc, item: _Found, candidates: list[_Cluster]) -> list[_Cluster]:
    """Namesakes a bare surname may name, narrowed by the subject pronoun after it."""
    if len(candidates) > 1 and item.gender is None and (hint := _pronoun_after(doc, doc[item.token], item.subject)):
        return [c for c in candidates if compatible(hint, c.gender)]
    return candidates


def _group_persons(doc: Doc, mentions: list[_Found]) -> list[_Cluster]:
    """People first, longest names first, so that "Trump" finds "Donald Trump"."""
    persons: list[_Cluster] = []
    for item in sorted((m for m in mentions if m.label == "PERSON"), key=lambda m: (-len(m.key), m.mention.start)):
        cluster = _person_for(item, persons, doc)
        if cluster is None:
            cluster = _Cluster(key_tokens=item.key)
            persons.append(cluster)
        cluster.add(item.label, item.mention, item.gender, item.office)
    return persons


def _group_names(doc: Doc) -> list[_Cluster]:
    mentions = _collect_mentions(doc)
    persons = _group_persons(doc, mentions)
    others: dict[str, _Cluster] = {}
    for item in mentions:
        if item.label == "PERSON":
            continue
        # The tagger sometimes calls a surname an ORG or GPE ("Trump told reporters"): a name
        # that matches exactly one person of the document (of a fitting gender) is that person.
        if item.label in MISTAGGED_PERSON_LABELS:
            key = _written_key(item)
            matches = [c for c in persons if _person_match(key, c) and compatible(item.gender, c.gender)]
            if len(key) == 1:  # a bare surname: full names first, as for tagged people
                matches = _full_namesakes(doc, item, matches) or matches
            if len(matches) == 1:
                matches[0].forms[item.mention.text] += 1
                matches[0].mentions.append(item.mention)
                continue
        # Organisations and places group on their normalised name or a known alias.
        joined = " ".join(item.key)
        alias = STATE_ALIASES.get(joined)
        group_key = f"alias:{alias}" if alias else f"{item.label}:{joined}"
        cluster = others.get(group_key)
        if cluster is None:
            cluster = others[group_key] = _Cluster(key_tokens=item.key, alias=alias)
        cluster.add(item.label, item.mention, None)
    _join_acronyms(others)
    return persons + list(others.values())


def _written_key(item: _Found) -> tuple[str, ...]:
    """The name key as written: a NORP key drops a plural "s" ("Palestinians"), which a surname
    the tagger called a group keeps ("Mattis")."""
    if item.label != "NORP":
        return item.key
    last = item.mention.text.split()[-1].lower().replace(".", "")
    return item.key[:-1] + (last,) if last.removesuffix("s") == item.key[-1] else item.key


def _join_acronyms(others: dict[str, _Cluster]) -> None:
    """Acronyms join the organisation they abbreviate ("WHO" -> "World Health Organization")."""
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


def _surname_mentions(doc: Doc, persons: list[_Cluster]) -> None:
    """A surname the tagger missed ("“...,” Ilves said", tagged a plural noun) joins the one
    person of the document whose full name ends in it ("Marta Ilves"). Only title-cased tokens
    outside every entity span that are proper nouns or stand alone as a subject or object, so
    "Young voters said" never joins "Andrew Young"; an ambiguous surname, or one written with a
    title of the other gender ("Mr. Ilves"), joins no one. Of namesakes ("Mara and Jonas Velde"), the
    one a pronoun after it names ("Velde said she ...") is chosen, as for tagged surnames."""
    by_surname: dict[str, list[_Cluster]] = {}
    for cluster in persons:
        if len(cluster.key_tokens) > 1:
            by_surname.setdefault(core_name(cluster.key_tokens)[-1], []).append(cluster)
    # A surname the document names only alone ("President Velde", "Velde said") is that person too.
    bare: dict[str, list[_Cluster]] = {}
    for cluster in persons:
        if len(cluster.key_tokens) == 1 and cluster.key_tokens[0] not in by_surname:
            bare.setdefault(cluster.key_tokens[0], []).append(cluster)
    by_surname.update(bare)
    if not by_surname:
        return
    for token in doc:
        if token.ent_type_ or not token.text.istitle():
            continue
        found = by_surname.get(token.lower_)
        if found is None:
            continue
        if token.pos_ != "PROPN" and not (token.dep_ in BARE_NAME_DEPS and not any(token.children)):
            continue
        title = title_gender(doc[token.i - 1].text) if token.i > 0 else None
        hint = title or (_pronoun_after(doc, token, token.dep_ in NOMINAL_SUBJECT_DEPS) if len(found) > 1 else None)
        fitting = [c for c in found if compatible(title, c.gender) and (len(found) == 1 or compatible(hint, c.gender))]
        if len(fitting) != 1:
            continue
        fitting[0].forms[token.text] += 1
        fitting[0].mentions.append(Mention(token.idx, token.idx + len(token.text), token.text))


def _recover_full_names(doc: Doc, persons: list[_Cluster]) -> None:
    """A person named by surname only, whose full name the tagger missed ("Chicago Mayor Rahm
    Emanuel" untagged, "Emanuel" tagged later), gets it back: a title-cased proper noun or known
    given name just before the surname, on the same line and in no other entity, is the given name;
    the mention becomes the full name. Only when no full name of the document has that surname."""
    surnames = {core_name(c.key_tokens)[-1] for c in persons if len(c.key_tokens) > 1}
    bare = {c.key_tokens[0]: c for c in persons if len(c.key_tokens) == 1 and c.key_tokens[0] not in surnames}
    for token in doc:
        cluster = bare.get(token.lower_)
        if cluster is None or token.i == 0 or not token.text[:1].isupper():
            continue
        given = doc[token.i - 1]
        if given.lower_ in PERSON_TITLES or not looks_given(given):
            continue
        mention = Mention(given.idx, token.idx + len(token.text), doc.text[given.idx : token.idx + len(token.text)])
        cluster.mentions = [m for m in cluster.mentions if m.start != token.idx] + [mention]
        cluster.forms[mention.text] += 1
        cluster.key_tokens = (given.lower_, token.lower_)
        del bare[token.lower_]  # one given name per person: the first found


def _headline_mentions(doc: Doc, clusters: list[_Cluster]) -> None:
    """In a title-cased headline the tagger often sees no name at all ("Chris Velde Announces He's
    Running"): a person's full name, or the surname of the one person of the document who bears it,
    written there outside every other mention joins that person."""
    line_of, headlines = _headline_lines(doc)
    covered = {i for c in clusters for m in c.mentions for i in range(m.start, m.end)}
    persons = [c for c in clusters if c.labels["PERSON"]]
    keys: dict[tuple[str, ...], list[_Cluster]] = {}
    for cluster in persons:
        for key in {cluster.key_tokens, core_name(cluster.key_tokens)[-1:]}:
            keys.setdefault(key, []).append(cluster)
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
        cluster.mentions.append(Mention(start, end, doc.text[start:end]))
        cluster.forms[doc.text[start:end]] += 1
        i += n


def _join_bare_by_pronouns(persons: list[_Cluster]) -> list[_Cluster]:
    """A bare surname shared by namesakes ("Clinton" with Bill and Hillary Clinton in one article)
    joins the one namesake of the gender every pronoun resolved to it gives (two at least), when
    the gender of each namesake is known; else it stays apart, as before."""
    by_surname: dict[str, list[_Cluster]] = {}
    for cluster in persons:
        if len(cluster.key_tokens) > 1:
            by_surname.setdefault(core_name(cluster.key_tokens)[-1], []).append(cluster)
    kept = []
    for cluster in persons:
        namesakes = by_surname.get(cluster.key_tokens[0], []) if len(cluster.key_tokens) == 1 else []
        genders = [pronoun_gender(m.text) for m in cluster.mentions]
        said = decide(genders) if sum(g is not None for g in genders) >= 2 and not cluster.titles else None
        if said is None or any(n.gender is None for n in namesakes):
            kept.append(cluster)
            continue
        target = [n for n in namesakes if n.gender == said]
        if len(target) != 1:
            kept.append(cluster)
            continue
        target[0].mentions.extend(cluster.mentions)
        target[0].forms.update(cluster.forms)
        target[0].labels.update(cluster.labels)
    return kept


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
    People of the other gender (``_Cluster.gender``) are no candidates: "he" never joins Mara Velde.
    """
    if not persons:
        return
    owner: dict[int, _Cluster] = {}
    for person in persons:
        for m in person.mentions:
            owner[m.start] = person
    sent_of = _sentence_index(doc)
    gender_of = {id(p): p.gender for p in persons}
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
        sentence, gender = sent_of[token.i], pronoun_gender(token.text)
        window = [n for n in named if n[0] < token.i and sentence - n[1] <= PRONOUN_WINDOW_SENTENCES
                  and compatible(gender, gender_of[id(n[2])])]
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
    _recover_full_names(doc, [c for c in clusters if c.labels["PERSON"]])
    _headline_mentions(doc, clusters)
    _surname_mentions(doc, [c for c in clusters if c.labels["PERSON"]])
    if doc.has_annotation("DEP"):
        _resolve_pronouns(doc, [c for c in clusters if c.labels["PERSON"]])
        persons = _join_bare_by_pronouns([c for c in clusters if c.labels["PERSON"]])
        clusters = persons + [c for c in clusters if not c.labels["PERSON"]]
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
