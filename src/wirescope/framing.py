"""Framing: loaded labels, loaded attribution verbs, the narrator's own claims, sentence bias (issue 5)."""

from __future__ import annotations

from spacy.tokens import Doc

from wirescope.records import Entity, Framing, Quote


def find_framing(doc: Doc, entities: tuple[Entity, ...], quotes: tuple[Quote, ...]) -> tuple[Framing, ...]:
    """Every framing record of the article, in text order."""
    return ()
