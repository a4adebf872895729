"""The trigger lexicon (``data/event_triggers.tsv``, built by ``scripts/build_event_lexicon.py``)
and the code a verb or an activity noun takes in its context.

Verbs come from the PETRARCH-2 CAMEO verb dictionary (verb, verb + object and verb + preposition +
object patterns), nouns are the project's activity nouns ("negotiations", "demonstrations"); each
maps to a PLOVER type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from spacy.tokens import Token

from wirescope.resource_cache import cached_value, version_of

# Verbs that carry an activity noun: their subject is the noun's actor ("held talks with").
LIGHT_VERBS = frozenset([
    "hold", "stage", "launch", "conduct", "carry", "begin", "start", "continue", "resume", "join",
    "organize", "organise", "lead", "make", "issue", "engage", "take", "open", "enter", "mount",
    "intensify", "escalate", "step", "be", "have", "wage", "announce", "pursue", "organise", "undertake",
])
# Dependents of a verb that a verb + object pattern reads as its object.
OBJECT_DEPS = frozenset({"dobj", "dative", "iobj", "attr"})


@dataclass(frozen=True)
class Code:
    """What a trigger means: a CAMEO code and its PLOVER type, mode and context (type '' = none)."""

    cameo: str
    type: str
    mode: str | None
    context: tuple[str, ...]


@dataclass(frozen=True)
class Pattern:
    """A verb pattern: a preposition or objects the verb takes, and what the verb then means."""

    prep: str
    objects: frozenset[str]
    code: Code


@dataclass
class Lexicon:
    """The trigger lexicon: verbs by group, their patterns, verb + object entries and nouns."""

    verbs: dict[str, list[tuple[str, str, Code | None]]] = field(default_factory=dict)
    patterns: dict[str, list[Pattern]] = field(default_factory=dict)
    verb_objects: dict[str, list[Pattern]] = field(default_factory=dict)
    nouns: dict[str, list[tuple[str, Code]]] = field(default_factory=dict)
    # group -> word or preposition -> positions of the patterns that mention it, so a verb is
    # checked against the few patterns its own objects and prepositions can match (in order)
    pattern_index: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    statement_verbs: frozenset[str] = frozenset()  # CAMEO 01: say, declare, announce ...


def _code(cameo: str, plover: str, mode: str, context: str) -> Code | None:
    if not cameo:
        return None
    return Code(cameo, plover, mode or None, tuple(c.strip() for c in context.split(",") if c.strip()))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The trigger lexicon shipped with the package, loaded once per process."""
    text = resources.files("wirescope").joinpath("data/event_triggers.tsv").read_text("utf-8")
    lexicon = Lexicon()
    synsets: dict[str, set[str]] = {}
    pattern_rows: list[tuple[str, str, str, Code | None]] = []
    for line in text.splitlines():
        if not line or line.startswith(("#", "kind\t")):
            continue
        kind, lemma, group, prep, obj, cameo, plover, mode, context, _source = line.split("\t")
        code = _code(cameo, plover, mode, context)
        if kind == "verb":
            lexicon.verbs.setdefault(lemma, []).append((group, prep, code))
        elif kind == "pattern":
            pattern_rows.append((group, prep, obj, code))
        elif kind == "synset":
            synsets.setdefault(lemma, set()).add(obj)
        elif kind == "verb_object" and code is not None:
            lexicon.verb_objects.setdefault(lemma, []).append(Pattern(prep, frozenset({obj} - {""}), code))
        elif kind == "noun" and code is not None:
            lexicon.nouns.setdefault(lemma, []).append((obj, code))
    no_event = Code("", "", None, ())
    for group, prep, obj, code in pattern_rows:
        objects = frozenset(synsets.get(obj, ())) if obj.startswith("&") else frozenset({obj} - {""})
        lexicon.patterns.setdefault(group, []).append(Pattern(prep, objects, code or no_event))
    for group, patterns in lexicon.patterns.items():
        index: dict[str, list[int]] = {}
        for position, pattern in enumerate(patterns):
            keys = {f"prep:{pattern.prep}"} if pattern.prep else set(pattern.objects)
            for key in keys:
                index.setdefault(key, []).append(position)
        lexicon.pattern_index[group] = index
    lexicon.statement_verbs = frozenset(
        lemma for lemma, entries in lexicon.verbs.items()
        if any(code is not None and code.cameo.startswith("01") for _, _, code in entries))
    return lexicon


def verb_lemma(verb: Token) -> str:
    """The verb's lemma, corrected where the tagger's lemma is no verb of the lexicon but
    lemminflect's is ("staged" -> "stag" in spaCy's small model, "stage" here)."""
    return _lemma_of(verb.lemma_.lower(), verb.lower_)


@lru_cache(maxsize=4096)
def _lemma_of(lemma: str, form: str) -> str:
    lexicon = load_lexicon()
    if lemma in lexicon.verbs or lemma in lexicon.verb_objects or lemma in LIGHT_VERBS:
        return lemma
    return _lexicon_verb_forms().get(form, lemma)


@lru_cache(maxsize=1)
def _lexicon_verb_forms() -> dict[str, str]:
    """Every inflected form of the lexicon's verbs -> the lexicon verb lemminflect gives as the form's
    first verb lemma ("staged" -> "stage"). Built once into the resource cache: loading lemminflect's
    lemma table took 0.4-0.9 s of every process's first page, for a handful of look-ups."""
    from importlib.metadata import version
    from pathlib import Path

    def build() -> dict[str, str]:
        from lemminflect import getAllInflections, getLemma

        lexicon = load_lexicon()
        known = set(lexicon.verbs) | set(lexicon.verb_objects) | LIGHT_VERBS
        forms: dict[str, str] = {}
        # The clitics spaCy splits off ("he's", "they're") are no listed inflection of any verb.
        clitics = ("'s", "'re", "'m", "'ve", "'d", "'ll", "\u2019s", "\u2019re", "\u2019m", "\u2019ve", "\u2019d",
                   "\u2019ll")
        for verb in ("", *sorted(known)):
            inflections = [clitics] if not verb else getAllInflections(verb, upos="VERB").values()
            for inflected in inflections:
                for form in (f.lower() for f in inflected):
                    candidates = getLemma(form, upos="VERB")
                    if form not in forms and candidates and candidates[0] in known:
                        forms[form] = candidates[0]
        return forms

    key = version_of(resources.files("wirescope").joinpath("data/event_triggers.tsv").read_bytes(),
                     Path(__file__).read_bytes(), version("lemminflect"))
    return cached_value("event-verb-forms", key, build)


def _word_forms(token: Token) -> tuple[str, str]:
    return token.lemma_.lower(), token.lower_


def _objects(verb: Token) -> list[Token]:
    out = []
    for child in verb.children:
        if child.dep_ in OBJECT_DEPS or child.dep_ == "nsubjpass":
            out.append(child)
            out.extend(c for c in child.children if c.dep_ == "conj")
    return out


def _match(pattern: Pattern, verb: Token, objects: list[Token]) -> tuple[bool, Token | None]:
    """Whether the pattern matches the verb, and the object word it consumed ("opened *fire*"):
    that word is part of the predicate, never a recipient."""
    if pattern.prep:
        for child in verb.children:
            if child.lower_ != pattern.prep or child.dep_ not in {"prep", "prt", "agent", "dative"}:
                continue
            if not pattern.objects:
                return True, None
            for pobj in child.children:
                if pobj.dep_ == "pobj" and _head_words(pobj) & pattern.objects:
                    return True, pobj
        return False, None
    for obj in objects:
        if _head_words(obj) & pattern.objects:
            return True, obj
    return False, None


def of_objects(token: Token) -> list[Token]:
    """The objects of the token's "of" phrases ("state *of emergency*", "thousands *of students*")."""
    return [p for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
            for p in c.children if p.dep_ == "pobj"]


def _head_words(token: Token) -> set[str]:
    """A noun's lemma and form, and each with a modifier before it ("hunger strike" as well as
    "strike") or its "of" complement after it ("state of emergency"): a two-word pattern object
    needs its modifier, a one-word one does not."""
    forms = set(_word_forms(token))
    modifiers = [c.lemma_.lower() for c in token.children if c.dep_ in {"compound", "amod"}]
    # "state *of emergency*": a head that needs its "of" complement to say what it is
    complements = [p.lemma_.lower() for p in of_objects(token)]
    return forms | {f"{m} {f}" for m in modifiers for f in forms} | {
        f"{f} of {c}" for c in complements for f in forms}


def verb_code(verb: Token, lexicon: Lexicon) -> tuple[Code | None, bool]:
    """The code of a verb in its context, and whether a pattern (not a default) gave it."""
    code, by_pattern, _ = verb_match(verb, lexicon)
    return code, by_pattern


def verb_match(verb: Token, lexicon: Lexicon) -> tuple[Code | None, bool, Token | None]:
    """The code of a verb, whether a pattern gave it and the object word the pattern consumed.

    Order, as PETRARCH's: the project's verb + object entries, then the dictionary's patterns of
    each group the verb belongs to (first match wins), then the project's or the group's default.
    """
    lemma = verb_lemma(verb)
    objects = _objects(verb)
    # The words a pattern could match here: the objects' head words, the prepositions' names.
    keys = {w for obj in objects for w in _head_words(obj)}
    keys.update(f"prep:{c.lower_}" for c in verb.children if c.dep_ in {"prep", "prt", "agent", "dative"})
    default: Code | None = None
    for pattern in lexicon.verb_objects.get(lemma, ()):
        if pattern.objects or pattern.prep:
            matched, consumed = _match(pattern, verb, objects)
            if matched:
                return pattern.code, True, consumed
        elif default is None:
            default = pattern.code
    group_default: Code | None = None
    for group, particle, own in lexicon.verbs.get(lemma, ()):
        if particle and not any(c.lower_ == particle for c in verb.children):
            continue
        patterns = lexicon.patterns.get(group, [])
        index = lexicon.pattern_index.get(group, {})
        positions = sorted({p for key in keys for p in index.get(key, ())})
        for pattern in (patterns[p] for p in positions):
            if default is not None and not pattern.objects:
                continue  # the project's sense of the verb beats a bare "(WITH)" pattern
            matched, consumed = _match(pattern, verb, objects)
            if matched:
                return (pattern.code if pattern.code.type else None), True, consumed
        if group_default is None and own is not None:
            group_default = own
    chosen = default or group_default
    return (chosen if chosen is not None and chosen.type else None), False, None


def noun_code(noun: Token, lexicon: Lexicon) -> Code | None:
    entries = lexicon.nouns.get(noun.lemma_.lower()) or lexicon.nouns.get(noun.lower_)
    if not entries:
        return None
    modifiers = {c.lemma_.lower() for c in noun.children if c.dep_ in {"compound", "amod"}}
    plain: Code | None = None
    for modifier, code in entries:
        if modifier and modifier in modifiers:
            return code
        if not modifier and plain is None:
            plain = code
    return plain


