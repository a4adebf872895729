"""Actor coding: give each entity of the document a CAMEO/PLOVER actor code (ISRGOV, PSEREBHMS...).

Being built (issue 4): gazetteer from the PETRARCH-2 dictionaries plus the project's updates,
partisan aliases, and coding from title and nationality for people missing from the gazetteer.
"""

from __future__ import annotations

from spacy.tokens import Doc

from wirescope.records import Entity


def code_actors(doc: Doc, entities: tuple[Entity, ...]) -> tuple[Entity, ...]:
    """The entities with their ``code`` filled where the actor can be coded."""
    return entities
