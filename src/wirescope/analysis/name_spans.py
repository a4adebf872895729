"""Name spans in the parse: the mentions the entity grouper (``entities.py``) starts from.

The tagger's spans, cut at line breaks and possessives, trimmed of titles ("Senate President Pro Tem"
runs into a name: a title, not a person) and of words it ran into a headline name, plus what it
missed or typed as something else: a full name it left untagged or put inside a WORK_OF_ART ("Chief
of Staff Rahm Velde", a tweet "Meet Mara Velde"), a given name written just before its span
("Representative Debbie [Velde Ilves]"), and a person it typed an organisation throughout ("Aitan
Velde" and "Mr. Velde", both ORG) when the text shows a person: a gendered title, or a two-word
name that speaks ("Velde said") or stands in apposition to a role ("a spokesman, Brad Velde").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from wirescope.analysis.names import (
    KINSHIP_NOUNS,
    ROLE_NOUNS,
    Gender,
    decide,
    known_given,
    name_gender,
    office_title,
    pronoun_gender,
    title_gender,
)
from wirescope.analysis.nlp import doc_text
from wirescope.analysis.syntax import NOMINAL_SUBJECT_DEPS
from wirescope.records import Mention

# (label, tokens, gender of a title written with it, in a headline line): a span before trimming.
RawName = tuple[str, list[Token], Gender | None, bool]

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
PERCENT_WORDS = frozenset({"percent", "per", "%", "pct", "points"})
# Words spaCy sometimes keeps inside a PERSON span; a name is matched without them.
PERSON_TITLES = frozenset([
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "president", "vice",
    "prime", "minister", "premier", "chancellor", "secretary", "senator", "sen", "rep",
    "representative", "gov", "governor", "mayor", "king", "queen", "prince", "princess", "sheikh",
    "general", "gen", "lt", "col", "colonel", "major", "sgt", "admiral", "judge", "justice", "chief",
    "pope", "cardinal", "rabbi", "imam", "ayatollah", "former", "late", "ambassador", "envoy",
    "spokesman", "spokeswoman", "spokesperson", "leader", "chairman", "chairwoman", "chair", "ceo", "u.s.", "us",
    "ag", "sec", "amb"])  # "AG Mukasey": the attorney general, not a given name
LEADING_DETERMINERS = frozenset({"the"})
# Parts of speech that never begin or end a name (a name's own words are proper nouns, or
# nouns and adjectives the tagger misreads: "Grace", "Young").
EDGE_POS = frozenset({"CCONJ", "SCONJ", "ADP", "AUX", "VERB", "PART", "PRON", "DET", "INTJ", "PUNCT", "ADV"})
# Labels the tagger gives a surname it did not read as a person ("Mattis" as NORP, FAC or GPE).
MISTAGGED_PERSON_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC"})
# Verbs of saying: a name that is their subject is a person's ("Velde said"), not an organisation's.
SPEECH_LEMMAS = frozenset({"say", "tell", "add", "write", "tweet", "testify", "explain"})
POSSESSIVES = frozenset({"'s", "’s", "'", "’"})


@dataclass
class Cluster:
    """Mentions believed to name one entity, while grouping is under way."""

    key_tokens: tuple[str, ...]
    labels: Counter[str] = field(default_factory=Counter)
    forms: Counter[str] = field(default_factory=Counter)
    mentions: list[Mention] = field(default_factory=list)
    alias: str | None = None
    titles: list[Gender] = field(default_factory=list)  # genders of "Mr."/"Mrs." written with it
    offices: set[str] = field(default_factory=set)  # office titles written before it ("President")
    implied: str | None = None  # a full name the text implies for a lone given name ("his wife Mara")
    # "father" or "son" for a person the text names only as someone's father or son ("his father,
    # Rev. Jesse Jackson"): a surname alone is more likely the person the article is about.
    kin: str | None = None

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


def principal(namesakes: list[Cluster]) -> list[Cluster]:
    """The namesakes a surname alone may name: a father or son the text names only as someone's
    relative ("his father, Rev. Jesse Jackson") is not the one "Jackson" goes on to mean when the
    article names another Jackson in its own right. (A wife or husband so named stays a candidate:
    a surname alone often means either.)"""
    own = [c for c in namesakes if c.kin is None]
    return own or namesakes


class Found(NamedTuple):
    """A name mention as the tagger found it, trimmed: its label, name key and title's gender."""

    label: str
    key: tuple[str, ...]
    mention: Mention
    gender: Gender | None  # of a gendered title before or in the span ("Mr. Velde")
    subject: bool  # the name is a noun subject (a pronoun after it may refer back to it)
    token: int  # index of its last token
    office: str | None = None  # an office title just before its first word ("President", "Sen.")


def name_key(tokens: list[Token], label: str) -> tuple[str, ...]:
    key = tuple(t.lower_.replace(".", "") for t in tokens if t.lower_.replace(".", ""))
    if label == "NORP" and key:
        # "Palestinians" and "Palestinian" name one group.
        key = key[:-1] + (key[-1].removesuffix("s"),)
    return key


def trim_span(tokens: list[Token], label: str) -> tuple[list[Token], Gender | None]:
    """Tokens of the mention without a leading "the", person titles and a trailing possessive, and
    the gender of a gendered title cut off ("Mrs. Mara Velde" -> f)."""
    gender = None
    while tokens and tokens[0].lower_ in LEADING_DETERMINERS:
        tokens = tokens[1:]
    if label == "PERSON":
        while len(tokens) > 1 and _title_first(tokens):
            gender = gender or title_gender(tokens[0].text)
            tokens = tokens[1:]
    while tokens and _possessive(tokens[-1]):
        tokens = tokens[:-1]
    # Words the tagger ran into the name at its edges, told by the parse: "Plus Obama" (CCONJ),
    # "Christie today" (lower case); a separate word only ("Ban Ki-moon" ends in "-moon"), and at
    # the start only for people ("al-Qaeda").
    while label == "PERSON" and len(tokens) > 1 and tokens[0].whitespace_ and _not_a_name_word(tokens[0]):
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-2].whitespace_ and _not_a_name_word(tokens[-1]):
        tokens = tokens[:-1]
    # A poll figure the tagger ran into the name ("Trump 34 percent" as one organisation): no name
    # ends in a number that a percentage word follows, and no person's name ends in a number at all.
    while len(tokens) > 1 and tokens[-1].is_digit and (label == "PERSON" or _percent_follows(tokens[-1])):
        tokens = tokens[:-1]
    return tokens, gender


def _possessive(token: Token) -> bool:
    """"'s", "’s", "'" as the tagger marks them, or written alone."""
    return token.tag_ == "POS" or token.lower_ in POSSESSIVES


def _percent_follows(token: Token) -> bool:
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return following is not None and following.lower_ in PERCENT_WORDS


def _title_first(tokens: list[Token]) -> bool:
    """A title opens the name, or an organisation's acronym before one ("RNC Chair X"), or a role
    noun before a full name ("Founder Mara Velde", "Coach Jonas Velde")."""
    return is_title(tokens[0]) or (len(tokens) > 2 and (
        (tokens[0].is_upper and is_title(tokens[1])) or tokens[0].lower_ in ROLE_NOUNS))


def is_title(token: Token) -> bool:
    """A person title, singular or plural ("Presidents Velde and Ilves")."""
    word = token.lower_.rstrip(".")
    return word in PERSON_TITLES or (word.endswith("s") and word[:-1] in PERSON_TITLES)


def _not_a_name_word(token: Token) -> bool:
    return token.is_lower or token.pos_ in EDGE_POS


def pieces(span: Span) -> list[list[Token]]:
    """The span cut at whitespace tokens: a line break (title | body, or a blanked segment between
    them) ends a name, so "Joe\\n\\nJoe Biden" is two mentions, never one. A person's name also
    ends at a possessive ("Obama's Afghan"): what follows is not the person."""
    parts: list[list[Token]] = [[]]
    for token in span:
        if token.is_space:
            parts.append([])
        elif span.label_ == "PERSON" and _possessive(token):
            break
        else:
            parts[-1].append(token)
    return [p for p in parts if p]


def headline_lines(doc: Doc) -> tuple[list[int], set[int]]:
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


def cut_to_known(tokens: list[Token], label: str, known: set[tuple[str, ...]]) -> list[Token]:
    """In a headline line the tagger runs names into the words around them ("Trump Lashes Out",
    "Rip Donald Trump"): the longest part of the span that the document names elsewhere."""
    if len(tokens) < 2 or name_key(tokens, label) in known:
        return tokens
    for size in range(len(tokens) - 1, 0, -1):
        for start in range(len(tokens) - size + 1):
            part = tokens[start : start + size]
            if name_key(part, label) in known:
                return part
    return tokens


def found_name(label: str, tokens: list[Token], gender: Gender | None, text: str) -> Found:
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    subject = any(t.dep_ in NOMINAL_SUBJECT_DEPS for t in tokens)
    office = office_title(tokens[0].nbor(-1).text) if tokens[0].i > 0 else None
    return Found(label, name_key(tokens, label), Mention(start, end, text[start:end]), gender, subject,
                  tokens[-1].i, office)


def collect_mentions(doc: Doc) -> list[Found]:
    """Every name mention of the tagger, cut at line breaks, trimmed of titles, with the gender of a
    gendered title written with it ("Mr. Velde": the title before the span or inside it); and the
    full names it missed (``_untagged_full_names``, ``_given_before``), its people typed as
    organisations relabelled (``_person_evidence``), title words it tagged as a person dropped."""
    text = doc_text(doc)
    line_of, headlines = headline_lines(doc)
    raw: list[RawName] = []
    spans = doc.ents  # built on every access: read once
    starts = {span.start: span for span in spans}
    for span in spans:
        if span.label_ not in ENTITY_LABELS or _title_before_name(span, starts.get(span.end)):
            continue
        for label, piece in (part for whole in pieces(span) for part in _person_at_end(span.label_, whole)):
            tokens, gender = trim_span(piece, label)
            if not tokens:
                continue
            before = doc[tokens[0].i - 1] if tokens[0].i > 0 else None
            gender = gender or (title_gender(before.text) if before is not None else None)
            if label == "PERSON" and before is not None and _given_before(before, tokens[0]):
                tokens = [before, *tokens]  # "Representative Debbie [Wasserman Schultz]"
            raw.append((label, tokens, gender, line_of[tokens[0].i] in headlines))
    for tokens in _untagged_full_names(doc, line_of, headlines):
        before = doc[tokens[0].i - 1] if tokens[0].i > 0 else None
        raw.append(("PERSON", tokens, title_gender(before.text) if before is not None else None, False))
    raw = _compound_surnames(doc, raw)
    known = {name_key(tokens, label) for label, tokens, _, headline in raw if not headline}
    # and given names and surnames: "Donald", "Trump" of "Donald Trump"
    known |= {(t.lower_,) for label, tokens, _, headline in raw if label == "PERSON" and not headline
              for t in (tokens[0], tokens[-1])}
    out = []
    people = _person_evidence(doc, raw)
    for label, tokens, gender, headline in raw:
        if label in MISTAGGED_PERSON_LABELS and len(tokens) == 2 and tokens[-1].lower_ in people:
            label = "PERSON"  # "Aitan Velde" tagged ORG, "Mr. Velde" in the text: a person
        if headline:
            tokens, _ = trim_span(cut_to_known(tokens, label, known), label)
            # A person the tagger saw only in a headline ("Agrees", "Birth Bill") is a fragment:
            # the people a headline names are named in the body too.
            if label == "PERSON" and name_key(tokens, label) not in known and known:
                continue
        if tokens:
            out.append(found_name(label, tokens, gender, text))
    return out


def _title_before_name(span: Span, after: Span | None) -> bool:
    """A PERSON span of title words run up against the full name after it ("Senate President [Pro
    Tem] [Mara Velde]"): the tagger cut a title, not a name, when the next span (``after``) starts
    right after it, on the same line, with a person's full name."""
    if span.label_ != "PERSON" or span[-1].whitespace_ != " " or after is None:
        return False
    return after.label_ == "PERSON" and len(after) > 1 and not any(known_given(t.lower_) for t in span)


def _given_before(before: Token, first: Token) -> bool:
    """A listed given name just before a person span that starts with no given name of its own."""
    return free_proper(before) and known_given(before.lower_) and not known_given(first.lower_) and (
        before.whitespace_ == " ")


def _compound_surnames(doc: Doc, raw: list[RawName]) -> list[RawName]:
    """A person's span the tagger ended one word early, before the second half of a compound surname
    the document names elsewhere ("Enrique Peña" + "Nieto", where "Peña Nieto" is tagged alone):
    the span takes the word, so that one person is one name."""
    pairs = {(tokens[-2].lower_, tokens[-1].lower_) for label, tokens, _, _ in raw
             if label == "PERSON" and len(tokens) == 2}
    out: list[RawName] = []
    for label, tokens, gender, headline in raw:
        after = doc[tokens[-1].i + 1] if tokens[-1].i + 1 < len(doc) else None
        if label == "PERSON" and len(tokens) > 1 and after is not None and tokens[-1].whitespace_ == " " \
                and after.is_title and (tokens[-1].lower_, after.lower_) in pairs:
            tokens = [*tokens, after]
        out.append((label, tokens, gender, headline))
    return out


def _person_at_end(label: str, tokens: list[Token]) -> list[tuple[str, list[Token]]]:
    """A span of another kind that ends in a person's name after a title or an organisation's
    possessive ("Spokesperson Marie Velde", "Fusion's Jorge Arno" tagged as one organisation): the
    person, and the organisation before the possessive. The name is a listed given name and a
    surname, so "Morgan Stanley" stays whole: it has neither before it."""
    if label not in MISTAGGED_PERSON_LABELS or len(tokens) < 3:
        return [(label, tokens)]
    given, surname = tokens[-2], tokens[-1]
    if not (given.is_alpha and given.is_title and surname.is_alpha and surname.is_title and known_given(given.lower_)):
        return [(label, tokens)]
    before = tokens[:-2]
    if _possessive(before[-1]):
        organisation = [(label, before[:-1])] if len(before) > 1 else []
        return [*organisation, ("PERSON", [given, surname])]
    if all(is_title(t) or t.lower_ in ROLE_NOUNS for t in before):
        return [("PERSON", tokens)]  # the title is trimmed as a person's (trim_span)
    return [(label, tokens)]


def _person_evidence(doc: Doc, raw: list[RawName]) -> set[str]:
    """Surnames (lower case) the document shows to be people's even where the tagger typed the
    name an organisation or a place: written with a gendered title ("Mr. Goelman"), or ending a
    two-word name that speaks or stands in apposition to a role ("a spokesman, Brad Velde, said")
    when its first word is a listed given name or its surname alone speaks too ("Velde said")."""
    if all(label == "PERSON" for label, _, _, _ in raw):
        return set()
    lowered = {t.lower_ for t in doc if t.is_lower}  # "Alexandria Police said": "police" is a word
    titled: set[str] = set()
    speaking: set[str] = set()
    full: list[tuple[str, str, bool]] = []
    for label, tokens, gender, _ in raw:
        if label == "NORP" or not all(t.text[:1].isupper() for t in tokens) or tokens[-1].lower_ in lowered:
            continue
        root = tokens[-1]
        if gender is not None and len(tokens) <= 2:
            titled.add(root.lower_)
        if label == "PERSON" or len(tokens) > 2:
            continue
        speaks = root.dep_ in NOMINAL_SUBJECT_DEPS and root.head.lemma_ in SPEECH_LEMMAS
        role = root.dep_ == "appos" and root.head.lower_.rstrip("s") in PERSON_TITLES | ROLE_NOUNS
        if len(tokens) == 1 and speaks:
            speaking.add(root.lower_)
        elif len(tokens) == 2:
            full.append((tokens[0].lower_, root.lower_, speaks or role))
    return titled | {last for first, last, said in full if last in speaking or (said and known_given(first))}


def _untagged_full_names(doc: Doc, line_of: list[int], headlines: set[int]) -> list[list[Token]]:
    """Full names the tagger left out or put in a span of another kind ("Chief of Staff Rahm Velde",
    a tweet "Meet Mara Velde" read as a WORK_OF_ART): a given name the project lists (``names.py``)
    and a capitalised proper noun after it (a middle initial between allowed), both proper nouns
    outside every name span, no capitalised proper noun after the surname ("George Velde
    University"). Not in headline lines, where every word is capitalised."""
    found = []
    for token in doc:
        if not known_given(token.lower_) or line_of[token.i] in headlines or not free_proper(token):
            continue
        end = token.i + 1
        if end + 1 < len(doc) and len(doc[end].text) == 2 and doc[end].text[1] == "." and doc[end].is_title:
            end += 1  # a middle initial
        if end >= len(doc) or not free_proper(doc[end]) or doc[end].lower_.rstrip(".") in PERSON_TITLES:
            continue
        after = doc[end + 1] if end + 1 < len(doc) else None
        if after is not None and after.pos_ == "PROPN" and after.text[:1].isupper():
            continue
        if doc[end].lower_ in ROLE_NOUNS:
            continue
        found.append(list(doc[token.i : end + 1]))
    return found


def free_proper(token: Token) -> bool:
    """A capitalised proper noun (not in capitals) in no span of a name kind."""
    return (token.pos_ == "PROPN" and token.text[:1].isupper() and not token.is_upper and len(token) > 1
            and token.ent_type_ not in ENTITY_LABELS and token.text.replace("'", "").replace("’", "").isalpha())


def pronoun_after(doc: Doc, last: Token, subject: bool) -> Gender | None:
    """The gender of the first subject pronoun after a subject name (ending at ``last``) in its
    sentence, no other person named between ("Velde said she would ..." -> f); None otherwise."""
    if not subject or not doc.has_annotation("SENT_START"):
        return None
    for token in doc[last.i + 1 : last.sent.end]:
        # Past a quotation mark the pronoun may be the speaker of a quote that names the person:
        # "'Velde has smeared women,' she wrote" says nothing of Velde.
        if token.ent_type_ == "PERSON" or token.is_quote:
            return None
        # A subject pronoun only: in "the younger Velde echoed his words when she added", "his" is
        # someone else's. But the owner of a relative is the name's own: in "Velde blamed his wife,
        # saying she ...", "his" is Velde and "she" the wife.
        if token.dep_ == "poss" and token.head.lower_ in KINSHIP_NOUNS and (gender := pronoun_gender(token.text)):
            return gender
        if token.dep_ in NOMINAL_SUBJECT_DEPS and (gender := pronoun_gender(token.text)) is not None:
            return gender
    return None
