"""What every trigger of a document looks up: its entities by token, its quotes, its sentences and
its publication date."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from wirescope.analysis.nlp import doc_text
from wirescope.records import Entity, Quote


@dataclass(frozen=True)
class DocContext:
    """Per-document lookups shared by every trigger."""

    text: str
    token_entity: dict[int, tuple[Entity, int, int]]  # token index -> (entity, mention start, end)
    quotes: tuple[Quote, ...]  # in order of their content's start
    quote_starts: list[int]
    sentence_of: list[Span]  # token index -> its sentence (Token.sent scans the doc on each call)
    published: str | None  # the page's date: actor codes of phrases depend on who held office

    def quote_of(self, position: int) -> str | None:
        """The id of the quote whose content holds the character ``position``, if any."""
        i = bisect_right(self.quote_starts, position) - 1
        while i >= 0:
            quote = self.quotes[i]
            if quote.content.start <= position < quote.content.end:
                return quote.id
            i -= 1
        return None


def doc_context(doc: Doc, entities: tuple[Entity, ...], quotes: tuple[Quote, ...],
                published: str | None) -> DocContext:
    """The lookups of one parsed document."""
    ordered_quotes = tuple(sorted(quotes, key=lambda q: q.content.start))
    sentence_of: list[Span] = []
    for sentence in doc.sents:
        sentence_of.extend([sentence] * len(sentence))
    return DocContext(doc_text(doc), _token_entities(doc, entities), ordered_quotes,
                      [q.content.start for q in ordered_quotes], sentence_of, published)


def _token_entities(doc: Doc, entities: Iterable[Entity]) -> dict[int, tuple[Entity, int, int]]:
    """Token index -> the entity mention covering it (mentions are char spans of the same text)."""
    starts = [t.idx for t in doc]
    out: dict[int, tuple[Entity, int, int]] = {}
    for entity in entities:
        for m in entity.mentions:
            first = bisect_right(starts, m.start) - 1
            i = max(first, 0)
            while i < len(doc) and doc[i].idx < m.end:
                if doc[i].idx + len(doc[i].text) > m.start:
                    out.setdefault(i, (entity, m.start, m.end))
                i += 1
    return out
