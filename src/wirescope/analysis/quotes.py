"""Who said what: direct, indirect and mixed quotes with their cue and a resolved speaker.

A pure analyzer over the shared parse (never re-parses):

1. pair quotation marks in the text (double marks only: single marks are nested quotes or
   apostrophes, so ignoring them keeps ’em, I’ve and Hamas’s from breaking the pairing);
2. a quotation embedded in a sentence ("would become “nasty.”") is a partial quote;
3. a reporting verb or noun with a reported clause is an indirect quote; a partial quote inside
   that clause makes it ``mixed``;
4. a remaining partial quote is ``mixed``, attributed to the subject of its governing reporting
   (or framing) verb; a full quotation is ``direct``, its cue the nearest reporting verb or
   "according to" in its sentences, else it continues the previous speaker;
5. speakers resolve to an entity of the entity layer (``speakers``) when the speaker token is
   inside one of its mentions, or when a description ("the president") matches exactly one title
   seen before.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from wirescope.analysis.nlp import doc_text
from wirescope.analysis.speakers import SpeakerResolver
from wirescope.analysis.syntax import NOMINAL_SUBJECT_DEPS, QUOTE_CLIMB_DEPS
from wirescope.records import Entity, Quote, QuoteKind, TextSpan

OPENING_DOUBLE = "“„«"
CLOSING_DOUBLE = "”»"
STRAIGHT_DOUBLE = '"'
# A straight mark opens after these characters (or at the start of a line), otherwise it closes.
OPENS_AFTER = " \t\n([{—–-"
CLAUSE_DEPS = frozenset({"ccomp"})
# How far up the tree a partial quote looks for its governing verb.
MAX_ANCESTORS = 8
# A partial quote that no reporting verb governs takes the nearest one in its sentence only when
# it is at least this many tokens long (see _governing_cue); measurements: bench/RESULTS.md,
# 'Measurement histories'.
NEAR_CUE_MIN_TOKENS = 8
# Characters before the opening mark that make a quotation a full one, not a partial quote.
FULL_QUOTE_LEADS = ":,"
# Parts of speech of a word right before a subjectless cue that may be its speaker.
NEIGHBOUR_POS = frozenset({"PROPN", "PRON", "NOUN"})


@dataclass(frozen=True)
class _Lexicon:
    verbs: frozenset[str]
    nouns: frozenset[str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    verbs, nouns = set(), set()
    text = resources.files("wirescope").joinpath("data/report_verbs.txt").read_text("utf-8")
    for line in text.splitlines():
        word = line.strip().lower()
        if not word or word.startswith("#"):
            continue
        if word.startswith("noun:"):
            nouns.add(word.removeprefix("noun:"))
        else:
            verbs.add(word)
    return _Lexicon(frozenset(verbs), frozenset(nouns))


# --- 1. quotation marks -------------------------------------------------------------------------


_DOUBLE_MARK = re.compile(f"[{re.escape(OPENING_DOUBLE + CLOSING_DOUBLE + STRAIGHT_DOUBLE)}]")


def _is_opening(text: str, i: int) -> bool | None:
    """True for an opening double mark, False for a closing one, None for no double mark."""
    char = text[i]
    if char in OPENING_DOUBLE:
        return True
    if char in CLOSING_DOUBLE:
        return False
    if char == STRAIGHT_DOUBLE:
        return i == 0 or text[i - 1] in OPENS_AFTER
    return None


def _normalize_doubled(text: str) -> str:
    """Two-apostrophe marks (NYT style: ''...'' or ``...'') as one straight double mark, keeping
    offsets: an opening pair becomes ' "' (the mark on its second character, so the content starts
    after it), a closing pair '"\'' (the mark on its first; the lone apostrophe is ignored)."""
    if "''" not in text and "``" not in text:
        return text
    chars = list(text)
    i = 0
    while i + 1 < len(chars):
        pair = text[i : i + 2]
        if pair == "``" or (pair == "''" and (i == 0 or text[i - 1] in OPENS_AFTER)):
            chars[i], chars[i + 1] = " ", STRAIGHT_DOUBLE
            i += 2
        elif pair == "''":
            chars[i], chars[i + 1] = STRAIGHT_DOUBLE, "'"
            i += 2
        else:
            i += 1
    return "".join(chars)


def find_quotations(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside each pair of double quotation marks, in text order.

    A quotation left open at the end of a paragraph continues when the next paragraph opens with
    a mark (the convention for quotes running over paragraphs); otherwise the open mark is dropped,
    so an unbalanced mark never pairs with a mark of another quotation.
    """
    text = _normalize_doubled(text)
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    offset = 0
    for paragraph in text.split("\n"):
        begin = 0
        stripped = paragraph.lstrip()
        if open_at is not None and stripped:
            lead = len(paragraph) - len(stripped)
            if _is_opening(paragraph, lead):
                begin = lead + 1  # the repeated opening mark: the same quotation goes on
            else:
                open_at = None  # unbalanced: no close and no continuation
        open_at, found = _scan(paragraph, offset, begin, open_at)
        spans.extend(found)
        offset += len(paragraph) + 1
    return spans


def _scan(paragraph: str, offset: int, begin: int, open_at: int | None) -> tuple[int | None, list[tuple[int, int]]]:
    found = []
    for mark in _DOUBLE_MARK.finditer(paragraph, begin):  # only the marks: a Python loop per character cost more
        i = mark.start()
        kind = _is_opening(paragraph, i)
        if kind is None:
            continue
        if open_at is None:
            if kind:
                open_at = offset + i + 1
        elif not kind or paragraph[i] == STRAIGHT_DOUBLE:
            # A straight mark inside an open quotation closes it whatever precedes it.
            if offset + i > open_at:
                found.append((open_at, offset + i))
            open_at = None
        else:
            open_at = offset + i + 1  # a second opening mark: the first one was unbalanced
    return open_at, found


# --- helpers over the parse -----------------------------------------------------------------------


def _tokens(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _subject(verb: Token, skip: Span | None = None) -> Token | None:
    """The subject of ``verb``, climbing to a governing verb when it has none of its own.

    Tokens inside ``skip`` (the quotation itself) are never the subject; for an xcomp ("forcing
    leaders to admit") the governing verb's object is the one who speaks.
    """
    token = verb
    for _ in range(MAX_ANCESTORS):
        if token is not verb and token.dep_ == "ccomp" and _is_report_verb(token.head):
            # climbed into a reported clause: its subject is reported on, the reporter speaks
            token = token.head
            continue
        for child in token.children:
            if child.dep_ in NOMINAL_SUBJECT_DEPS and not (skip is not None and skip.start <= child.i < skip.end) \
                    and not _across_paragraphs(child, verb):
                return child
        if token.dep_ not in QUOTE_CLIMB_DEPS or token.head is token:
            return None
        if token.dep_ == "xcomp":
            for child in token.head.children:
                if child.dep_ == "dobj":
                    return child
        token = token.head
    return None


def _across_paragraphs(a: Token, b: Token) -> bool:
    """A title parsed into the first sentence must not lend its subject to the body.

    Scans the tokens between the two (Doc.text is rebuilt on every access: too slow here).
    """
    low, high = sorted((a.i, b.i))
    return any("\n" in a.doc[i].text_with_ws for i in range(low, high))


def _according_to(token: Token) -> Token | None:
    """The object of "according to" when ``token`` is "according"."""
    if token.lower_ != "according":
        return None
    for child in token.children:
        if child.lower_ == "to":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if nxt is not None and nxt.lower_ == "to":
        for obj in nxt.children:
            if obj.dep_ == "pobj":
                return obj
    return None


def _is_report_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in _lexicon().verbs


# --- 2-4. quotes --------------------------------------------------------------------------------


@dataclass
class _Draft:
    """A quote found, before the quotes are put in text order and their speakers resolved."""

    kind: QuoteKind
    content: tuple[int, int]
    cue: Token | None
    speaker: Token | None
    paragraph: int


def _is_partial(text: str, start: int, sent: Span) -> bool:
    """A quotation is partial when it continues a sentence begun before its opening mark."""
    mark = start - 2 if text[start - 2 : start] in ("''", "``") else start - 1  # ''...'' marks
    before = text[sent.start_char : mark].rstrip()
    if not before:
        return False
    return before[-1] not in FULL_QUOTE_LEADS and before[-1].isalnum()


def _governing_cue(span: Span) -> Token | None:
    """The reporting or framing verb (lexicon) governing a partial quote: its nearest such
    ancestor, else (for a long one) the nearest one in its sentence. None for scare quotes and titles
    ("“Saturday Night Live”"): quoted words nobody is reported to have said are no quote."""
    # a parenthetical cue on the quoted clause: "These protests, Trump noted, are “putting ...”"
    for child in span.root.children:
        if child.dep_ == "parataxis" and _is_report_verb(child) and not span.start <= child.i < span.end:
            return child
    for steps, ancestor in enumerate(span.root.ancestors):
        if steps >= MAX_ANCESTORS:
            break
        if not span.start <= ancestor.i < span.end and _is_report_verb(ancestor):
            return ancestor
    # A few quoted words merely near a reporting verb are a name or a scare quote as often as
    # someone's words; a longer partial quote is somebody's (NEAR_CUE_MIN_TOKENS).
    return _nearest_cue(span) if len(span) >= NEAR_CUE_MIN_TOKENS else None


def _governing_verb(span: Span) -> Token | None:
    """Any verb outside the quotation that its words hang off ("“...,” he fumed"; "chiding him,
    “...”"): a quotation's own governing verb introduces it even when the lexicon lacks it."""
    for steps, ancestor in enumerate(span.root.ancestors):
        if steps >= MAX_ANCESTORS:
            break
        if not (span.start <= ancestor.i < span.end) and ancestor.pos_ == "VERB":
            return ancestor
    return None


def _nearest_cue(span: Span, quoted: frozenset[int] = frozenset()) -> Token | None:
    """The reporting verb or "according" closest to ``span`` in its sentences, outside it and
    outside every other quotation (``quoted`` token indices): "I said" inside the next quotation
    is the quoted person's words, not this quote's cue."""
    doc = span.doc
    own = doc[span[0].sent.start : span[-1].sent.end]
    best = _closest_cue(span, own, quoted)
    if best is None and span.end + 1 < len(doc):
        # the sentence after the closing mark: "“...,” Trump told reporters" may split off
        best = _closest_cue(span, doc[own.end : doc[span.end + 1].sent.end], quoted)
    return best


def _closest_cue(span: Span, window: Span, quoted: frozenset[int]) -> Token | None:
    best, best_distance = None, None
    for token in window:
        if span.start <= token.i < span.end or token.i in quoted:
            continue
        if not (_is_report_verb(token) or _according_to(token) is not None):
            continue
        distance = span.start - token.i if token.i < span.start else token.i - span.end
        if best_distance is None or distance < best_distance:
            best, best_distance = token, distance
    return best


# Dependents of a cue that are no part of what it reports.
NOT_CONTENT_DEPS = frozenset({"punct", "cc", "conj", "nsubj", "nsubjpass", "aux", "auxpass", "neg",
                              "advmod", "npadvmod", "mark", "prt"})


def _governed_content(span: Span, cue: Token, speaker: Token | None, start: int, end: int) -> tuple[int, int]:
    """A partial quote's content: the cue's object or complement that holds the quotation, from
    the cue's first object after it ("blasted the media for being “dishonest”"), within the
    sentence, never the cue or the speaker; the quoted words alone when the parse gives none."""
    holder = next((c for c in cue.children if c.left_edge.i <= span.start and span.end - 1 <= c.right_edge.i),
                  None)
    if holder is None or holder.dep_ in NOT_CONTENT_DEPS:
        return start, end
    first = holder
    if holder.i > cue.i:
        for child in cue.rights:
            if child.dep_ not in NOT_CONTENT_DEPS:
                first = child
                break
    sent = span[0].sent
    left = max(first.left_edge.i, sent.start)
    right = min(holder.right_edge.i, sent.end - 1)
    if left <= cue.i <= right:
        return start, end
    if speaker is not None and left <= speaker.i <= right:
        return start, end
    doc = cue.doc
    while right > left and doc[right].is_punct and not doc[right].is_quote:
        right -= 1
    while left < right and doc[left].is_punct and not doc[left].is_quote:
        left += 1
    content_start = min(doc[left].idx, start)
    content_end = max(doc[right].idx + len(doc[right]), end)
    if "\n" in doc_text(doc)[content_start:content_end]:
        return start, end
    return content_start, content_end


def _cue_speaker(cue: Token, quote: Span | None = None) -> Token | None:
    return _according_to(cue) or _subject(cue, quote) or _left_neighbour(cue, quote)


def _left_neighbour(cue: Token, quote: Span | None = None) -> Token | None:
    """The noun right before the cue ("... Donald Trump acknowledged that") when the parse gave
    the cue no subject (a title run into the first sentence misparses it)."""
    if cue.i == 0:
        return None
    left = cue.doc[cue.i - 1]
    if left.pos_ not in NEIGHBOUR_POS or _across_paragraphs(left, cue):
        return None
    if quote is not None and quote.start <= left.i < quote.end:
        return None
    return left


def _cue_span(cue: Token) -> tuple[int, int]:
    if cue.lower_ == "according" and cue.i + 1 < len(cue.doc):
        return cue.idx, cue.nbor(1).idx + len(cue.nbor(1))
    return cue.idx, cue.idx + len(cue)


def _paragraph_starts(text: str) -> list[int]:
    """Start offsets of the non-blank lines: paragraphs, however many blank lines part them."""
    starts, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            starts.append(offset)
        offset += len(line) + 1
    return starts


def _clip_to_paragraph(doc: Doc, start: int, end: int, cue: Token) -> Span:
    """The clause's tokens within the cue's paragraph: a title parsed with the first sentence
    must not give a clause running into the body."""
    first = cue.i
    while first > start and "\n" not in doc[first - 1].text_with_ws:
        first -= 1
    last = cue.i
    while last + 1 < end and "\n" not in doc[last].text_with_ws:
        last += 1
    span = doc[max(start, first) : min(end, last + 1)]
    while len(span) and span[-1].is_space:
        span = span[:-1]
    return span


def _indirect(doc: Doc, taken: list[tuple[int, int]]) -> list[tuple[Token, Span]]:
    """(cue, reported clause) for reporting verbs and nouns with a clause complement."""
    lexicon = _lexicon()
    found = []
    for token in doc:
        lemma = token.lemma_.lower()
        is_verb = token.pos_ == "VERB" and lemma in lexicon.verbs
        is_noun = token.pos_ == "NOUN" and lemma in lexicon.nouns
        if _according_to(token) is not None:
            clause = _according_clause(token)
            if len(clause) and not any(s < clause.end_char and clause.start_char < e for s, e in taken):
                found.append((token, clause))
            continue
        if not (is_verb or is_noun):
            continue
        for child in token.children:
            if child.dep_ in CLAUSE_DEPS or (is_noun and child.dep_ == "acl"):
                clause = _trim_trailing_clause(
                    _clip_to_paragraph(doc, child.left_edge.i, child.right_edge.i + 1, token))
                if len(clause) == 0 or any(s < clause.end_char and clause.start_char < e for s, e in taken):
                    continue  # a full quotation already reports this
                found.append((token, clause))
    return found


# Clauses that, set off by a comma at the end of a reported clause, are the writer's addition
# ("he was being “sarcastic” in his comments, which raised concerns ..."); measurements:
# bench/RESULTS.md, 'Measurement histories'.
TRAILING_DEPS = frozenset({"relcl"})


def _trim_trailing_clause(clause: Span) -> Span:
    """The reported clause without a comma-separated relative or adverbial clause closing it."""
    doc = clause.doc
    for token in clause:
        comma = token.left_edge.i - 1
        if token.dep_ in TRAILING_DEPS and comma > clause.start and doc[comma].text == "," \
                and token.right_edge.i >= clause.end - 2:
            return doc[clause.start : comma]
    return clause


def _according_clause(according: Token) -> Span:
    """What "according to X" reports: the longer side of its sentence around the phrase."""
    sent = according.sent
    phrase = according.doc[according.left_edge.i : according.right_edge.i + 1]
    before = according.doc[sent.start : phrase.start]
    after = according.doc[phrase.end : sent.end]
    side = before if len(before) >= len(after) else after
    while len(side) and side[-1].is_punct:
        side = side[:-1]
    while len(side) and side[0].is_punct:
        side = side[1:]
    return side


# A quotation found in the text: (start, end) of its content and its tokens.
_Quotation = tuple[int, int, Span]


@dataclass(frozen=True)
class _Quotations:
    """The quotation marks of a document, paired: full quotations and partial quotes."""

    full: list[_Quotation]
    partial: list[_Quotation]  # quoted words inside a sentence begun before the mark
    paragraph_starts: list[int]

    def paragraph_of(self, char: int) -> int:
        return bisect_right(self.paragraph_starts, char)


def extract_quotes(doc: Doc, entities: tuple[Entity, ...]) -> tuple[Quote, ...]:
    """Quotes of a parsed document, ids ``q1, q2, ...`` in text order."""
    if len(doc) == 0 or not doc.has_annotation("DEP"):
        return ()
    marks = _quotations(doc)
    drafts, absorbed = _indirect_drafts(doc, marks)
    drafts += _mixed_drafts(marks, absorbed)
    drafts += _direct_drafts(marks)
    drafts.sort(key=lambda d: d.content)
    return _quotes(doc, drafts, SpeakerResolver(doc, entities))


def _quotations(doc: Doc) -> _Quotations:
    """The document's quotations with text in them, split into full and partial ones."""
    text = doc_text(doc)
    full: list[_Quotation] = []
    partial: list[_Quotation] = []
    for start, end in find_quotations(text):
        span = _tokens(doc, start, end)
        if span is None or len(span) == 0 or not text[start:end].strip():
            continue
        target = partial if _is_partial(text, start, span[0].sent) else full
        target.append((start, end, span))
    return _Quotations(full, partial, _paragraph_starts(text))


def _indirect_drafts(doc: Doc, marks: _Quotations) -> tuple[list[_Draft], set[int]]:
    """Indirect quotes (a reporting verb or noun with a reported clause no full quotation holds),
    ``mixed`` when partial quotes lie inside the clause, and the positions of those partial quotes."""
    taken = [(s - 1, e + 1) for s, e, _ in marks.full]
    drafts: list[_Draft] = []
    absorbed: set[int] = set()
    for cue, clause in _indirect(doc, taken):
        inside = [k for k, (s, e, _) in enumerate(marks.partial) if s < clause.end_char and clause.start_char < e]
        absorbed.update(inside)
        # a partial quote at the clause's edge widens it to its closing mark
        content_end = max([clause.end_char] + [marks.partial[k][1] for k in inside])
        speaker = _cue_speaker(cue) if cue.pos_ == "VERB" or cue.lower_ == "according" else _subject(cue.head)
        drafts.append(_Draft("mixed" if inside else "indirect", (clause.start_char, content_end),
                             cue, speaker, marks.paragraph_of(clause.start_char)))
    return drafts, absorbed


def _mixed_drafts(marks: _Quotations, absorbed: set[int]) -> list[_Draft]:
    """The partial quotes no indirect quote holds, attributed to the cue that governs them."""
    drafts: list[_Draft] = []
    by_cue: dict[int, _Draft] = {}
    for k, (start, end, span) in enumerate(marks.partial):
        if k in absorbed:
            continue
        cue = _governing_cue(span)
        if cue is None:
            continue  # a scare quote or a title: no one is reported to say it
        speaker = _cue_speaker(cue)
        content = _governed_content(span, cue, speaker, start, end)
        earlier = by_cue.get(cue.i)
        if earlier is not None:
            # several quoted phrases under one cue are one quote: called him “kind” with a
            # “great heart”; chanted “Send them home” and “Build the wall”
            earlier.content = (min(earlier.content[0], content[0]), max(earlier.content[1], content[1]))
            continue
        by_cue[cue.i] = _Draft("mixed", content, cue, speaker, marks.paragraph_of(start))
        drafts.append(by_cue[cue.i])
    return drafts


def _direct_drafts(marks: _Quotations) -> list[_Draft]:
    """Full quotations, with the nearest cue outside every quotation."""
    quoted = frozenset(i for _, _, span in marks.full for i in range(span.start, span.end))
    drafts: list[_Draft] = []
    for start, end, span in marks.full:
        cue = _nearest_cue(span, quoted)
        # Without a known cue, the verb the quotation hangs off still tells who speaks; it is
        # not reported as the cue (an unknown verb is as often no speech verb at all).
        teller = cue or _governing_verb(span)
        drafts.append(_Draft("direct", (start, end), cue, _cue_speaker(teller, span) if teller else None,
                             marks.paragraph_of(start)))
    return drafts


def _quotes(doc: Doc, drafts: list[_Draft], resolver: SpeakerResolver) -> tuple[Quote, ...]:
    """The records, in text order; a floating quotation continues the speaker of the quote just
    before it (in the same or the previous paragraph)."""
    text = doc_text(doc)
    quotes: list[Quote] = []
    previous: Quote | None = None
    previous_paragraph = -2
    for draft in drafts:
        start, end = draft.content
        speaker = resolver.resolve(draft.speaker) if draft.speaker is not None else None
        if (speaker is None and draft.kind == "direct" and previous is not None
                and previous.speaker is not None and draft.paragraph - previous_paragraph <= 1):
            speaker = previous.speaker
        quote = Quote(f"q{len(quotes) + 1}", draft.kind, TextSpan(start, end, text[start:end]),
                      _cue_text_span(draft.cue, text), speaker)
        quotes.append(quote)
        previous, previous_paragraph = quote, draft.paragraph
    return tuple(quotes)


def _cue_text_span(cue: Token | None, text: str) -> TextSpan | None:
    if cue is None:
        return None
    start, end = _cue_span(cue)
    return TextSpan(start, end, text[start:end])
