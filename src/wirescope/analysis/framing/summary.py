"""Framing read back from a stored analysis, without a parse: counts by kind and category, and the
article's neutral reading (outlet-voice loaded words replaced by their neutral alternatives)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from wirescope.records import Analysis, Framing

LOADED_KINDS = frozenset({"loaded_term", "loaded_attribution"})


def framing_summary(analysis: Analysis) -> dict[str, Any]:
    """Counts by kind and category, and the outlet-voice share of loaded wording.

    ``outlet_voice_share``: loaded terms and attribution verbs outside quotation marks over all of
    them (None when there are none): 1.0 means every loaded word is the outlet's own.
    """
    framing = analysis.framing
    loaded = [f for f in framing if f.kind in LOADED_KINDS]
    outlet = [f for f in loaded if not f.in_quote]
    by_speaker = Counter(f.speaker or "(unattributed quote)" for f in loaded if f.in_quote)
    return {
        "counts": {kind: sum(1 for f in framing if f.kind == kind) for kind in
                   ("loaded_term", "loaded_attribution", "unattributed_claim", "biased_sentence")},
        "categories": dict(Counter(f.category for f in loaded if f.category)),
        "loaded_total": len(loaded),
        "loaded_outlet_voice": len(outlet),
        "loaded_in_quotes": len(loaded) - len(outlet),
        "outlet_voice_share": round(len(outlet) / len(loaded), 3) if loaded else None,
        "in_quotes_by_speaker": dict(by_speaker),
    }


def _analysed_segments(analysis: Analysis) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in analysis.segments if s.kind in ("title", "body")]


def substitutions(analysis: Analysis) -> list[Framing]:
    """The outlet-voice loaded words the neutral reading replaces, in text order, non-overlapping."""
    out: list[Framing] = []
    for f in sorted(analysis.framing):
        replaceable = f.kind in LOADED_KINDS and not f.in_quote and f.neutral is not None
        if replaceable and (not out or f.start >= out[-1].end):
            out.append(f)
    return out


def _rewrite(text: str, start: int, end: int, changes: Iterable[Framing]) -> str:
    pieces, cursor = [], start
    for change in changes:
        if change.start < start or change.end > end:
            continue
        pieces.append(text[cursor : change.start])
        cursor = change.end
        if change.neutral:
            pieces.append(change.neutral)
            continue
        # A deleted word takes its following space with it; a deleted sentence opener passes its
        # capital to the next word ("So-called experts" -> "Experts").
        if text[cursor : cursor + 1] == " ":
            cursor += 1
        if change.text[:1].isupper() and cursor < end and text[cursor].islower():
            pieces.append(text[cursor].upper())
            cursor += 1
    pieces.append(text[cursor:end])
    return "".join(pieces)


def original_reading(analysis: Analysis) -> str:
    """The article as analysed: title and body, one paragraph block each."""
    text = analysis.document.text
    return "\n\n".join(text[s:e].strip() for s, e in _analysed_segments(analysis))


def neutral_reading(analysis: Analysis) -> str:
    """The article with every outlet-voice loaded label and attribution verb replaced by its neutral
    alternative (already inflected when it was found); quoted words are left as spoken."""
    text = analysis.document.text
    changes = substitutions(analysis)
    return "\n\n".join(_rewrite(text, s, e, changes).strip() for s, e in _analysed_segments(analysis))
