"""Who did what to whom: PLOVER events coded from the parse.

``coder.code_events`` runs the steps, one module each: ``triggers`` (with ``lexicon``) finds the
words that report an event, ``sides`` the tokens naming its actors and recipients, ``resolve``
the document's actors they are, ``violence`` and ``modality`` refine the type and flags, and
``merge`` keeps one record per event. ``context`` holds the per-document lookups, ``tree`` the
small questions asked of the dependency tree.
"""

from wirescope.analysis.events.coder import code_events

__all__ = ["code_events"]
