"""Steps 1 and 2 of framing: loaded labels (lexicon matches on lemmas, longest wins) and loaded
attribution verbs that report speech ("admitted", "claimed"), each with its neutral alternative
inflected to the context ("admitting" -> "saying", "terrorists" -> "militants")."""

from __future__ import annotations

from lemminflect import getAllInflections, getInflection
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from wirescope.analysis.framing.context import QuoteContext, framing_record
from wirescope.analysis.framing.lexicons import NOT_LOADED, LexiconEntry, load_attribution_verbs, match_terms
from wirescope.records import Framing

VERB_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ"})
PLURAL_TAGS = frozenset({"NNS", "NNPS"})
# A reported clause under a verb: "He conceded that ..."; "..., he claimed" is a parataxis.
REPORTED_DEPS = frozenset({"ccomp", "parataxis"})


# --- neutral alternatives, inflected to the context -----------------------------------------------


def _match_case(original: str, replacement: str) -> str:
    if replacement and original[:1].isupper() and replacement[:1].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


def _inflect_verb(lemma: str, tag: str) -> str:
    forms = getInflection(lemma, tag=tag) if tag in VERB_TAGS else ()
    return forms[0] if forms else lemma


def neutral_for(entry: LexiconEntry, span: Span) -> str:
    """The entry's neutral alternative in the span's number, tense and capitalisation."""
    if not entry.neutral:
        return ""
    words = entry.neutral.split(" ")
    first = span[0]
    verb = first if first.tag_ in VERB_TAGS and first.dep_ != "amod" else None  # "a crushing defeat" is no verb
    if verb is not None and getAllInflections(words[0], upos="VERB"):
        words[0] = _inflect_verb(words[0], verb.tag_)
        neutral = " ".join(words)
    elif span[-1].tag_ in PLURAL_TAGS and entry.neutral_plural:
        neutral = entry.neutral_plural
    else:
        neutral = entry.neutral
    return _match_case(span.text, neutral)


# --- 1. loaded labels -----------------------------------------------------------------------------


def find_loaded_terms(doc: Doc, text: str, context: QuoteContext) -> list[Framing]:
    entries: dict[tuple[int, int], LexiconEntry] = {}
    for entry, span in match_terms(doc):
        entries[(span.start, span.end)] = entry
    found = []
    # Longest first: "Zionist entity" beats "Zionist", "Zionist movement" (not loaded) beats both.
    for span in filter_spans([doc[start:end] for start, end in entries]):
        entry = entries[(span.start, span.end)]
        if entry.category == NOT_LOADED:
            continue
        span, neutral = _with_article(span, neutral_for(entry, span))
        found.append(framing_record("loaded_term", span, text, context, neutral=neutral,
                                    explanation=entry.reason, category=entry.category))
    return found


def _with_article(span: Span, neutral: str) -> tuple[Span, str]:
    """Take in a preceding "a"/"an" when the neutral wording needs the other one ("an extremist" ->
    "a hard-line", "a so-called expert" -> "an expert"); by first letter, which is enough here."""
    doc = span.doc
    if span.start == 0 or doc[span.start - 1].lower_ not in ("a", "an"):
        return span, neutral
    following = neutral or (doc[span.end].text if span.end < len(doc) else "")
    if not following[:1].isalpha():
        return span, neutral
    wanted = "an" if following[0].lower() in "aeiou" else "a"
    article = doc[span.start - 1]
    if article.lower_ == wanted:
        return span, neutral
    wanted = _match_case(article.text, wanted)
    return doc[span.start - 1 : span.end], f"{wanted} {neutral}" if neutral else wanted


# --- 2. loaded attribution verbs ------------------------------------------------------------------


def reports_speech(token: Token, context: QuoteContext) -> bool:
    """A verb that reports speech: a quote's cue, or the head of a reported clause."""
    if context.is_cue(token):
        return True
    return token.dep_ == "parataxis" or any(child.dep_ in REPORTED_DEPS for child in token.children)


def find_loaded_attribution(doc: Doc, text: str, context: QuoteContext) -> list[Framing]:
    verbs = load_attribution_verbs()
    found = []
    for token in doc:
        verb = verbs.get(token.lemma_.lower()) if token.pos_ == "VERB" else None
        if verb is None or not reports_speech(token, context):
            continue
        span = (token.idx, token.idx + len(token.text))
        neutral = _match_case(token.text, _inflect_verb(verb.neutral, token.tag_))
        found.append(framing_record("loaded_attribution", span, text, context, neutral=neutral,
                                    explanation=verb.reason, category=verb.category))
    return found
