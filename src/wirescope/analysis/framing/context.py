"""Whose words a span of the article is: inside quotation marks (and of which quote), or the
outlet's own; and the framing record built with that answer."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from spacy.tokens import Span, Token

from wirescope.analysis.quotes import find_quotations
from wirescope.records import Framing, FramingKind, Quote

# Single quotation marks as headlines use them ("Trump says US in 'very deep' talks"): an opening
# mark after a space, "(" or a line start, a closing one before a space, punctuation or a line end,
# at most a dozen words between, on one line. Apostrophes inside words ("don’t", "Hamas’s") never
# open or close, so they cannot pair. The quote layer reads only double marks (its choice: single
# marks are mostly apostrophes in body text); for framing a wrongly paired span costs little, a
# headline quote charged to the outlet costs more.
# Up to 12 words between single marks. Words hold no space or mark, so the pattern has one way to
# match any text: an earlier form with lazy runs inside a repeated group backtracked
# catastrophically (a propaganda-ptc article took over 15 s in this one regex).
SINGLE_QUOTED = re.compile(r"(?:^|(?<=[\s(]))['‘]([^\s'‘’]+(?:[ \t]+[^\s'‘’]+){0,11})['’](?=[\s.,;:!?)]|$)",
                           re.MULTILINE)


def single_quoted(text: str) -> list[tuple[int, int]]:
    """Spans between single quotation marks used as quotes (without the marks)."""
    return [(m.start(1), m.end(1)) for m in SINGLE_QUOTED.finditer(text)]


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with those nested inside another dropped (a single-quoted span inside a double one)."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not out or start >= out[-1][1]:
            out.append((start, end))
    return out


class QuoteContext:
    """Whose words a character span is: inside quotation marks (and of which quote), or the outlet's."""

    def __init__(self, text: str, quotes: tuple[Quote, ...]) -> None:
        self.marked = _outermost(find_quotations(text) + single_quoted(text))
        self.marked_starts = [s for s, _ in self.marked]
        self.quotes = quotes

    def marked_span(self, start: int, end: int) -> tuple[int, int] | None:
        i = bisect_right(self.marked_starts, start) - 1
        if i >= 0 and self.marked[i][0] <= start and end <= self.marked[i][1]:
            return self.marked[i]
        return None

    def quote_of(self, start: int, end: int) -> Quote | None:
        """The quote whose quoted words hold this span (a mixed quote's outlet words excluded)."""
        marked = self.marked_span(start, end)
        if marked is None:
            return None
        for quote in self.quotes:
            if quote.content.start < marked[1] and marked[0] < quote.content.end:
                return quote
        return None

    def in_content(self, start: int, end: int) -> bool:
        """Inside any quote's content, paraphrase included: the source's claim, not the outlet's."""
        return any(q.content.start <= start and end <= q.content.end for q in self.quotes)

    def is_cue(self, token: Token) -> bool:
        return any(q.cue is not None and q.cue.start <= token.idx < q.cue.end for q in self.quotes)


def framing_record(kind: FramingKind, span: Span | tuple[int, int], text: str, context: QuoteContext,
                   **fields: Any) -> Framing:
    start, end = (span.start_char, span.end_char) if isinstance(span, Span) else span
    quote = context.quote_of(start, end)
    in_quote = context.marked_span(start, end) is not None
    speaker = quote.speaker.name or quote.speaker.text if quote and quote.speaker else None
    return Framing(start=start, end=end, kind=kind, text=text[start:end], in_quote=in_quote,
                   speaker=speaker, quote=quote.id if quote else None, **fields)
