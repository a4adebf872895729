"""What an outlet alone reports, labelled as what it is, and how much of a story each outlet covers.

A sentence only one outlet has is not always a fact that outlet states: it may be someone's quote,
or the narrator's own claim or opinion. ``sentence_label`` tells them apart from the records the
pipeline already made (quotes, and framing records outside quotes), so the story page never says
"fact" for a quote. The headline (segments of kind ``title``) is the outlet's wording, never a quote.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, Literal

from wirescope.records import Analysis, Quote

StatementKind = Literal["quote", "claim", "fact"]
# Framing records that make a sentence the narrator's claim or opinion rather than a reported fact:
# an unattributed claim ("Critics say ...", "it is clear that ...") and a whole sentence of opinion
# wording. Loaded single words alone do not: a fact can be told in loaded words.
CLAIM_KINDS = ("unattributed_claim", "biased_sentence")


def _overlaps(start: int, end: int, other_start: int, other_end: int) -> bool:
    return start < other_end and other_start < end


def headline_quote(analysis: Analysis, quote: Quote) -> bool:
    """A "quote" the quote finder saw in the headline (inside a title segment, or the title's own
    words): the headline is how the outlet titles the story, not something anyone said."""
    content = quote.content
    for segment in analysis.segments:
        if segment.kind == "title" and _overlaps(content.start, content.end, segment.start, segment.end):
            return True
    title = (analysis.document.title or "").strip().casefold()
    return bool(title) and content.text.strip().casefold() == title


def claim_spans(analysis: Analysis) -> list[tuple[int, int]]:
    """Spans of the outlet's own claims and opinion wording (never words inside a quote)."""
    return [(f.start, f.end) for f in analysis.framing if f.kind in CLAIM_KINDS and not f.in_quote]


def sentence_label(start: int, end: int, quotes: Sequence[tuple[int, int, str | None]],
                   claims: Sequence[tuple[int, int]]) -> dict[str, Any]:
    """``{kind, speaker}`` of the sentence at ``start``-``end``: a ``quote`` when it carries a quote's
    content (``speaker`` its speaker, or null when unattributed), else a ``claim`` when it holds a
    narrator's claim or opinion wording, else a ``fact`` stated by the outlet."""
    for quote_start, quote_end, speaker in quotes:
        if _overlaps(start, end, quote_start, quote_end):
            return {"kind": "quote", "speaker": speaker}
    if any(_overlaps(start, end, claim_start, claim_end) for claim_start, claim_end in claims):
        return {"kind": "claim", "speaker": None}
    return {"kind": "fact", "speaker": None}


def coverage_share(own_events: Collection[Any], other_events: Collection[Any], compared: bool,
                   own_sentences: int, sentences_only_here: int) -> dict[str, dict[str, int]]:
    """How much of the story one outlet covers: of the story's merged events (``story``), how many
    it reports (``covered``) and how many of those no other outlet reports (``only_here``); and its
    own body sentences (``outlet``) with those only it gives. Not ``compared`` (the story has no
    other outlet), nothing is "only here": there is nothing to compare against."""
    own, others = set(own_events), set(other_events)
    only = len(own - others) if compared else 0
    return {"events": {"story": len(own | others), "covered": len(own), "only_here": only},
            "sentences": {"outlet": own_sentences, "only_here": sentences_only_here}}
