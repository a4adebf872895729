"""Who speaks: a quote's speaker token resolved to an entity of the entity layer.

The token resolves when it lies inside one of the entity's mentions, when a description ("the
president") matches exactly one title seen before ("President X"), or when it is the relative
pronoun of a noun that is a mention ("a senator who said").
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from wirescope.analysis.nlp import doc_text
from wirescope.records import Entity, Speaker

# Description heads that may name a person by a title used earlier ("President X" -> "the president").
DESCRIPTION_DETERMINERS = frozenset({"the"})


class SpeakerResolver:
    """Maps a speaker token to an entity, or keeps its text with no entity."""

    def __init__(self, doc: Doc, entities: tuple[Entity, ...]) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.by_char: dict[int, tuple[Entity, int, int]] = {}
        for entity in entities:
            for mention in entity.mentions:
                for char in range(mention.start, mention.end):
                    self.by_char[char] = (entity, mention.start, mention.end)
        # title word -> [(char offset of the mention after it, entity)]
        self.titles: dict[str, list[tuple[int, Entity]]] = {}
        for entity in entities:
            if entity.type != "PERSON":
                continue
            for mention in entity.mentions:
                before = self.text[: mention.start].rstrip().rsplit(None, 1)
                if before:
                    word = before[-1].lower().strip(".,")
                    if word.isalpha():
                        self.titles.setdefault(word, []).append((mention.start, entity))

    def resolve(self, token: Token) -> Speaker:
        found = self.by_char.get(token.idx)
        if found is not None:
            entity, start, end = found
            return Speaker(start, end, self.text[start:end], entity.id, entity.name)
        span = self._phrase(token)
        named = self._description(token, span) or self._antecedent(token)
        if named is not None:
            return Speaker(span.start_char, span.end_char, span.text, named.id, named.name)
        return Speaker(span.start_char, span.end_char, span.text)

    def _phrase(self, token: Token) -> Span:
        """The noun phrase headed by ``token``, without clauses hanging off it."""
        left = token.left_edge.i
        right = token.i
        for child in token.rights:
            if child.dep_ in ("compound", "amod", "poss", "nummod", "flat"):
                right = max(right, child.right_edge.i)
        return self.doc[left : right + 1]

    def _antecedent(self, token: Token) -> Entity | None:
        """"a senator who said": the relative pronoun speaks for the noun it hangs off."""
        if token.tag_ in ("WDT", "WP") and token.head.dep_ == "relcl" and token.head.head is not token:
            found = self.by_char.get(token.head.head.idx)
            return found[0] if found is not None else None
        return None

    def _description(self, token: Token, span: Span) -> Entity | None:
        """"the president" -> the one person introduced earlier as "President X"; else None."""
        first = span[0].lower_
        if first not in DESCRIPTION_DETERMINERS or len(span) != 2:
            return None
        seen = {e.id: e for at, e in self.titles.get(token.lower_, []) if at < token.idx}
        if len(seen) == 1:
            return next(iter(seen.values()))
        return None  # unseen or ambiguous title: never a guess
