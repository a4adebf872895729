"""Entities: spaCy's named-entity mentions grouped within one document under a canonical name.

"U.S. President Donald Trump", "Trump" (even when the tagger calls it an ORG) and a following "He"
become one PERSON entity named "Donald Trump". Grouping is per document and deterministic; the
actor codes of the event layer (CAMEO/PLOVER) are attached later, so ``code`` stays ``None`` here.

People who share a surname stay apart: a bare surname joins a full name only when exactly one
person of the document with that surname fits the gendered title before it ("Mr.", "Mrs.") or the
pronoun after it (``names.py``); a pronoun never joins a person of the other gender, nor a person
when a relative of its gender is named between them ("his wife ... she"). Where the document shows
a full-name person and a namesake titled "Mr."/"Mrs." ("Melania Trump", "Mr. Trump"), an untitled
surname names the one named last before it (``_bare_by_recency``). A mention never
crosses a line break (title and body are separate lines), and in a title-cased headline line a
span the tagger ran on ("Trump Lashes Out") is cut back to a name the rest of the document uses.
The mentions come from ``name_spans.py`` (the tagger's spans and the names it missed or mistyped);
``name_recovery.py`` adds, after grouping, the mentions only the document's own names reveal. A
span of another kind that starts with a person's name is split: "Velde's Supreme Court pick" (the
person, then the court), "Velde and Ilves" tagged as one organisation (two people).
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from wirescope.analysis.name_recovery import (
    headline_mentions,
    kin_named,
    recover_full_names,
    relatives,
    surname_mentions,
)
from wirescope.analysis.name_spans import (
    MISTAGGED_PERSON_LABELS,
    PERSON_TITLES,
    POSSESSIVES,
    Cluster,
    Found,
    collect_mentions,
    found_name,
    principal,
    pronoun_after,
)
from wirescope.analysis.names import (
    GENERATIONS,
    KIN_GENDERS,
    compatible,
    core_name,
    decide,
    formal_suffix,
    known_given,
    office_title,
    pronoun_gender,
    same_given,
    title_gender,
    word_before,
)
from wirescope.analysis.nlp import doc_text
from wirescope.analysis.syntax import GENDERED_PRONOUNS, NOMINAL_SUBJECT_DEPS
from wirescope.records import Entity, Mention

__all__ = ["PERSON_TITLES", "extract_entities"]  # PERSON_TITLES: bench/actor_identity.py reads it here

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


def _person_match(key: tuple[str, ...], cluster: Cluster) -> bool:
    """"Trump" or "Donald Trump" names the person "Donald John Trump": a shorter name matches when
    its tokens appear in order in the longer one and share its surname (the last token). The given
    name may be a short form of the other ("Mike Velde" for "Michael R. Velde"), and a bare surname
    matches a name ending in a suffix ("Biden" for "Joseph R. Biden Jr."); a full name without the
    suffix does not ("Donald Trump" is not "Donald Trump Jr.") unless the suffix comes in the formal
    style of a middle initial ("Roger Stone" is "Roger J. Stone Jr.")."""
    full = cluster.key_tokens
    if len(key) > 1 and formal_suffix(full):
        full = core_name(full)  # "Roger Stone" is "Roger J. Stone Jr." (names.formal_suffix)
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


def _person_for(item: Found, persons: list[Cluster], doc: Doc, kin: str | None = None) -> Cluster | None:
    """The person a name mention joins, or None for a new one.

    A full name joins the one person whose name contains it. A bare surname joins the full-name
    person with that surname when exactly one fits the gendered title written with it (a pronoun
    after it picks among several); else it joins a bare surname entity written with the same
    title, so "Mr. Velde" and "Mrs. Velde" are two people and neither is "Mara Velde" by guess.
    """
    fitting = [c for c in persons if _person_match(item.key, c) and compatible(item.gender, c.gender)]
    if len(item.key) > 1:
        fitting = _relative_fits(fitting, item.key, kin)
        exact = [c for c in fitting if c.key_tokens == item.key]
        return fitting[0] if len(fitting) == 1 else (exact[0] if exact else None)
    full = _full_namesakes(doc, item, fitting)
    if len(full) == 1:
        return full[0]
    bare = [c for c in fitting if c.key_tokens == item.key and decide(c.titles) == item.gender]
    if bare or fitting:
        return bare[0] if bare else None
    return _given_name_owner(item, persons)


def _full_namesakes(doc: Doc, item: Found, fitting: list[Cluster]) -> list[Cluster]:
    """The full names a bare surname may name: those a pronoun after it allows; among them the
    people named in their own right before a relative ("Jackson": not "his father, Rev. Jesse
    Jackson") and a father before his son ("Trump": "Donald Trump", not "Donald Trump Jr."); then
    the one its office title fits ("President X")."""
    found = _first_namesakes(_by_pronoun(doc, item, [c for c in fitting if len(c.key_tokens) > 1]))
    titled = [c for c in found if item.office in c.offices] if item.office and len(found) > 1 else []
    return titled if len(titled) == 1 else found


def _first_namesakes(full: list[Cluster]) -> list[Cluster]:
    """Of full-name namesakes, those a surname alone names first: the people named in their own
    right before a father or son named as a relative (``name_spans.principal``), and a father
    before his son of the same name."""
    own = principal(full)
    return [c for c in own if core_name(c.key_tokens) == c.key_tokens
            or not any(o is not c and _person_match(core_name(c.key_tokens), o) for o in own)] or own


def _given_name_owner(item: Found, persons: list[Cluster]) -> Cluster | None:
    """A lone given name ("Heidi", "Mike") joins the one full name of the document that starts with
    it (or a form of it) when it is nobody's surname; never with a title ("Mr. Seth" is a surname)."""
    if item.gender is not None or len(item.key) != 1:
        return None
    given = item.key[0]
    if any(core_name(c.key_tokens)[-1] == given for c in persons):
        return None
    owners = [c for c in persons if len(core_name(c.key_tokens)) > 1 and same_given(given, c.key_tokens[0])]
    return owners[0] if len(owners) == 1 else None


def _by_pronoun(doc: Doc, item: Found, candidates: list[Cluster]) -> list[Cluster]:
    """Namesakes a bare surname may name, narrowed by the subject pronoun after it."""
    if len(candidates) > 1 and item.gender is None and (hint := pronoun_after(doc, doc[item.token], item.subject)):
        return [c for c in candidates if compatible(hint, c.gender)]
    return candidates


def _group_persons(doc: Doc, mentions: list[Found]) -> list[Cluster]:
    """People first, longest names first, so that "Trump" finds "Donald Trump"."""
    persons: list[Cluster] = []
    parsed = doc.has_annotation("DEP")
    for item in sorted((m for m in mentions if m.label == "PERSON"), key=lambda m: (-len(m.key), m.mention.start)):
        # Only a father or son may bear the person's own name: other relatives are names like any.
        kin = kin_named(doc, item.token) if parsed and len(item.key) > 1 else None
        kin = kin if kin in GENERATIONS else None
        cluster = _person_for(item, persons, doc, kin)
        if cluster is None:
            cluster = Cluster(key_tokens=item.key, kin=kin)
            if kin and any(c.key_tokens == item.key for c in persons):
                cluster.implied = f"{item.mention.text} {GENERATIONS[kin]}"  # "Duncan Hunter Sr."
            persons.append(cluster)
        elif len(item.key) > 1 and kin is None:
            cluster.kin = None  # named in full in its own right too: not only a relative
        cluster.add(item.label, item.mention, item.gender, item.office)
    return persons


def _relative_fits(fitting: list[Cluster], key: tuple[str, ...], kin: str | None) -> list[Cluster]:
    """The people a full name may join: a father or son the text introduces as someone's relative
    ("his father, also named Duncan Hunter") is another man than the people it names in their own
    right, even by the same name; he joins only mentions of himself as that relative, or his name
    written again in full ("his son, Tomas L. Velde Jr." is not the "Tomas L. Velde" named before)."""
    if kin:
        return [c for c in fitting if c.kin == kin]
    return [c for c in fitting if c.kin is None or c.key_tokens == key]


def _group_names(doc: Doc) -> list[Cluster]:
    text = doc_text(doc)
    mentions = collect_mentions(doc)
    persons = _group_persons(doc, mentions)
    others: dict[str, Cluster] = {}
    for whole in mentions:
        if whole.label == "PERSON":
            continue
        for item in _person_parts(doc, whole, persons, text):
            # The tagger sometimes calls a surname an ORG or GPE ("Trump told reporters"): a name
            # that matches exactly one person of the document (of a fitting gender) is that person.
            person = _mistagged_person(doc, item, persons)
            if person is not None:
                person.forms[item.mention.text] += 1
                person.mentions.append(item.mention)
                continue
            # Organisations and places group on their normalised name or a known alias.
            joined = " ".join(item.key)
            alias = STATE_ALIASES.get(joined)
            group_key = f"alias:{alias}" if alias else f"{item.label}:{joined}"
            cluster = others.get(group_key)
            if cluster is None:
                cluster = others[group_key] = Cluster(key_tokens=item.key, alias=alias)
            cluster.add(item.label, item.mention, None)
    _join_acronyms(others)
    return persons + list(others.values())


def _mistagged_person(doc: Doc, item: Found, persons: list[Cluster]) -> Cluster | None:
    """The one person of the document a name of another kind names, if any."""
    if item.label not in MISTAGGED_PERSON_LABELS:
        return None
    key = _written_key(item)
    matches = [c for c in persons if _person_match(key, c) and compatible(item.gender, c.gender)]
    if len(key) == 1:  # a bare surname: full names first, as for tagged people
        matches = _full_namesakes(doc, item, matches) or matches
    if not matches and item.label == "ORG" and len(key) == 1 and known_given(key[0]):
        return _given_name_owner(item, persons)  # "vote for Bernie" beside "Bernie Sanders"; not places
    return matches[0] if len(matches) == 1 else None


def _person_parts(doc: Doc, item: Found, persons: list[Cluster], text: str) -> list[Found]:
    """A span of another kind that starts with a person's name: "Velde's Supreme Court pick" (the
    person, then "Supreme Court"), "Velde and Ilves" (two people). Split only when the name before
    the possessive, or each side of the "and", is one person of the document (two different people
    for "and"); else the span stays whole."""
    span = doc.char_span(item.mention.start, item.mention.end, alignment_mode="expand")
    if span is None or item.label not in MISTAGGED_PERSON_LABELS:
        return [item]
    cut = next((t.i for t in span if t.lower_ in POSSESSIVES or t.lower_ == "and"), None)
    if cut is None or cut == span.start:
        return [item]
    left = found_name(item.label, list(doc[span.start : cut]), item.gender, text)
    right = [t for t in doc[cut + 1 : span.end] if not t.is_punct]
    rest = [found_name(item.label, right, None, text)] if right else []
    person = _mistagged_person(doc, left, persons)
    if person is None:
        return [item]
    # "Velde and Ilves": two people; "Johnson and Johnson" names a company, not one person twice
    other = _mistagged_person(doc, rest[0], persons) if rest else None
    if doc[cut].lower_ == "and" and (other is None or other is person):
        return [item]
    return [left, *rest]


def _written_key(item: Found) -> tuple[str, ...]:
    """The name key as written: a NORP key drops a plural "s" ("Palestinians"), which a surname
    the tagger called a group keeps ("Mattis")."""
    if item.label != "NORP":
        return item.key
    last = item.mention.text.split()[-1].lower().replace(".", "")
    return item.key[:-1] + (last,) if last.removesuffix("s") == item.key[-1] else item.key


def _join_acronyms(others: dict[str, Cluster]) -> None:
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


def _join_bare_by_pronouns(persons: list[Cluster]) -> list[Cluster]:
    """A bare surname shared by namesakes ("Clinton" with Bill and Hillary Clinton in one article)
    joins the one namesake of the gender every pronoun resolved to it gives (two at least), when
    the gender of each namesake is known; else it stays apart, as before."""
    by_surname = _full_names_by_surname(persons)
    kept = []
    for cluster in persons:
        namesakes = by_surname.get(cluster.key_tokens[0], []) if len(cluster.key_tokens) == 1 else []
        genders = [pronoun_gender(m.text) for m in cluster.mentions]
        said = decide(genders) if sum(g is not None for g in genders) >= 2 and not cluster.titles else None
        target = [] if said is None or any(n.gender is None for n in namesakes) else [
            n for n in _first_namesakes(namesakes) if n.gender == said]
        if len(target) == 1:
            _absorb(target[0], cluster)
        else:
            kept.append(cluster)
    return kept


def _join_bare_by_introduction(persons: list[Cluster]) -> list[Cluster]:
    """A bare surname still apart (several namesakes fit it, no pronoun told them apart) joins the
    one namesake the text names in full before its first mention: "Mr. Jackson" all through an
    article about Jesse Jackson Jr. is not the Michael Jackson it names once at its end."""
    by_surname = _full_names_by_surname(persons)
    kept = []
    for cluster in persons:
        namesakes = [n for n in _first_namesakes(by_surname.get(cluster.key_tokens[0], []))
                     if compatible(decide(cluster.titles), n.gender)] if len(cluster.key_tokens) == 1 else []
        first = min((m.start for m in cluster.mentions), default=0)
        earlier = [n for n in namesakes if any(m.start < first for m in n.mentions)]
        if len(namesakes) > 1 and len(earlier) == 1:
            _absorb(earlier[0], cluster)
        else:
            kept.append(cluster)
    return kept


def _full_names_by_surname(persons: list[Cluster]) -> dict[str, list[Cluster]]:
    by_surname: dict[str, list[Cluster]] = {}
    for cluster in persons:
        if len(cluster.key_tokens) > 1:
            by_surname.setdefault(core_name(cluster.key_tokens)[-1], []).append(cluster)
    return by_surname


def _absorb(target: Cluster, cluster: Cluster) -> None:
    """``cluster``'s mentions become ``target``'s."""
    target.mentions.extend(cluster.mentions)
    target.forms.update(cluster.forms)
    target.labels.update(cluster.labels)


def _sentence_index(doc: Doc) -> list[int]:
    """Sentence number of each token (the parser sets sentence starts)."""
    index, current = [], -1
    for token in doc:
        if token.is_sent_start or current < 0:
            current += 1
        index.append(current)
    return index


def _resolve_pronouns(doc: Doc, persons: list[Cluster]) -> None:
    """Attach "he"/"she"/"his"/"her" to a person named just before.

    Rule: among the people mentioned in the pronoun's sentence (before it) and the
    PRONOUN_WINDOW_SENTENCES before, take the one most recently named as a grammatical subject, else
    the only one named. Several candidates and no subject among them: leave the pronoun alone.
    People of the other gender (``Cluster.gender``) are no candidates: "he" never joins Mara Velde.
    """
    if not persons:
        return
    owner: dict[int, Cluster] = {}
    for person in persons:
        for m in person.mentions:
            owner[m.start] = person
    sent_of = _sentence_index(doc)
    gender_of = {id(p): p.gender for p in persons}
    named: list[tuple[int, int, Cluster, bool]] = []  # (token index, sentence, cluster, is_subject)
    for token in doc:
        cluster = owner.get(token.idx)
        if cluster is not None:
            is_subject = any(t.dep_ in NOMINAL_SUBJECT_DEPS for t in _span_tokens(doc, token, cluster))
            named.append((token.i, sent_of[token.i], cluster, is_subject))
    pronoun_mentions: list[tuple[Cluster, Mention]] = []
    for token in doc:
        if token.lower_ not in GENDERED_PRONOUNS or token.tag_ not in {"PRP", "PRP$"}:
            continue
        sentence, gender = sent_of[token.i], pronoun_gender(token.text)
        window = [n for n in named if n[0] < token.i and sentence - n[1] <= PRONOUN_WINDOW_SENTENCES
                  and compatible(gender, gender_of[id(n[2])])]
        chosen = _antecedent(window)
        if chosen is None or _relative_between(doc, chosen[0], token):
            continue
        pronoun_mentions.append((chosen[2], Mention(token.idx, token.idx + len(token.text), token.text)))
    for cluster, mention in pronoun_mentions:
        cluster.mentions.append(mention)


def _antecedent(window: list[tuple[int, int, Cluster, bool]]) -> tuple[int, int, Cluster, bool] | None:
    """The last subject named in the window, else its one person; None for several and no subject."""
    subjects = [n for n in window if n[3]]
    if subjects:
        return subjects[-1]
    return window[-1] if window and len({id(n[2]) for n in window}) == 1 else None


def _relative_between(doc: Doc, named: int, pronoun: Token) -> bool:
    """A relative of the pronoun's gender named in its sentence after the person it would join:
    in "Velde blamed his wife, saying she controlled the card", "she" is the wife."""
    start = max(named + 1, pronoun.sent.start)
    gender = pronoun_gender(pronoun.text)
    return any(KIN_GENDERS.get(t.lower_) == gender and not t.ent_type_ for t in doc[start : pronoun.i])


def _span_tokens(doc: Doc, first: Token, cluster: Cluster) -> list[Token]:
    """The tokens of the mention of ``cluster`` that starts at ``first``."""
    mention = next(m for m in cluster.mentions if m.start == first.idx)
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return list(span) if span is not None else [first]


def _canonical_name(cluster: Cluster, label: str) -> str:
    if cluster.alias:
        return cluster.alias
    if label == "PERSON":
        if cluster.implied and (cluster.kin or all(len(f.split()) == 1 for f in cluster.forms)):
            # "Mara" of "Velde's wife Mara": "Mara Velde" (name_recovery.relatives); "his father,
            # also named Duncan Hunter": "Duncan Hunter Sr." (_group_persons)
            return cluster.implied
        # The fullest form of the name, without titles: "Donald Trump" over "Trump".
        return max(cluster.forms, key=lambda f: (len(f.split()), cluster.forms[f], -len(f)))
    # The most frequent form, the longer one on a tie ("the Oval Office" is trimmed already).
    return max(cluster.forms, key=lambda f: (cluster.forms[f], len(f)))


def _entity_type(cluster: Cluster) -> str:
    if cluster.labels["PERSON"]:
        return "PERSON"
    return cluster.labels.most_common(1)[0][0]


def _bare_by_recency(text: str, persons: list[Cluster]) -> None:
    """A surname written alone and untitled ("Trump Lashes Out", "a Trump adviser") in a document
    that shows two people of that surname, one named in full and one only with a gendered title of
    the other gender ("Melania Trump" and "Mr. Trump"), names the one named last before it (by full
    name or with "Mr."/"Mrs."), else the first named after it: a writer names the other namesake
    outright when the referent changes. Office titles ("President Trump") are left to the actor
    layer, which knows who held the office (``actors._split_namesakes``)."""
    for surname, group in _titled_namesakes(persons).items():
        anchors = sorted((m.start, n) for n, c in enumerate(group) for m in c.mentions if _explicit(text, m))
        for source in group:
            for mention in [m for m in source.mentions if _untitled_surname(text, m, surname)]:
                before = [n for start, n in anchors if start < mention.start]
                after = [n for start, n in anchors if start > mention.start]
                target = group[before[-1] if before else after[0]] if before or after else source
                if target is not source:
                    source.mentions.remove(mention)
                    source.forms[mention.text] -= 1
                    target.mentions.append(mention)
                    target.forms[mention.text] += 1


def _titled_namesakes(persons: list[Cluster]) -> dict[str, list[Cluster]]:
    """Surname -> its full-name people and its people named only with a gendered title that none of
    those full names fits; only surnames that have both."""
    groups: dict[str, list[Cluster]] = {}
    for full in (c for c in persons if len(core_name(c.key_tokens)) > 1):
        surname = core_name(full.key_tokens)[-1]
        titled = [c for c in persons if c.key_tokens == (surname,) and c.titles
                  and not compatible(decide(c.titles), full.gender)]
        if titled:
            group = groups.setdefault(surname, [])
            group.extend(c for c in [full, *titled] if all(c is not g for g in group))
    return groups


def _explicit(text: str, mention: Mention) -> bool:
    return len(mention.text.split()) > 1 or title_gender(word_before(text, mention.start)) is not None


def _untitled_surname(text: str, mention: Mention, surname: str) -> bool:
    before = word_before(text, mention.start)
    return (mention.text.lower().replace(".", "") == surname and title_gender(before) is None
            and office_title(before) is None)


def extract_entities(doc: Doc) -> tuple[Entity, ...]:
    """Entities of a parsed document, ids ``e1, e2, ...`` in order of first mention."""
    if not doc.has_annotation("ENT_IOB"):
        return ()
    clusters = _group_names(doc)
    recover_full_names(doc, [c for c in clusters if c.labels["PERSON"]])
    clusters = [c for c in clusters if c.mentions]  # a given name tagged alone joined its full name
    headline_mentions(doc, clusters)
    surname_mentions(doc, [c for c in clusters if c.labels["PERSON"]])
    _bare_by_recency(doc_text(doc), [c for c in clusters if c.labels["PERSON"]])
    if doc.has_annotation("DEP"):
        clusters += relatives(doc, clusters)
        _resolve_pronouns(doc, [c for c in clusters if c.labels["PERSON"]])
        persons = _join_bare_by_introduction(_join_bare_by_pronouns([c for c in clusters if c.labels["PERSON"]]))
        clusters = persons + [c for c in clusters if not c.labels["PERSON"]]
    # A person whose every mention went to a namesake (_bare_by_recency) is no entity.
    clusters = [c for c in clusters if c.mentions]
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
