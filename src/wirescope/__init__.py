"""wirescope: turn raw news pages into structured, verifiable records.

The public Python API::

    import wirescope
    analysis = wirescope.analyze(Path("page.html"))          # or page text / HTML / bytes
    print(analysis.to_dict())                                # the wirescope/analysis@1 contract
    report = wirescope.ingest(["pages/"], "news.duckdb", wirescope.Settings())
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Document",
    "Entity",
    "Mention",
    "PageError",
    "RawPage",
    "Segment",
    "Settings",
    "Store",
    "analyze",
    "analyze_pages",
    "assign_stories",
    "framing_summary",
    "get_story",
    "ingest",
    "list_stories",
    "load_ratings",
    "make_settings",
    "neutral_reading",
    "regroup",
]

from wirescope.errors import PageError
from wirescope.records import Analysis, Document, Entity, Mention, RawPage, Segment
from wirescope.settings import Settings, make_settings

if TYPE_CHECKING:
    from wirescope.analysis.framing.summary import framing_summary, neutral_reading
    from wirescope.ingest import ingest
    from wirescope.pipeline import analyze, analyze_pages
    from wirescope.storage.store import Store
    from wirescope.stories.assign import (
        assign_stories,
        get_story,
        list_stories,
        load_ratings,
        regroup,
    )


def __getattr__(name: str) -> Any:
    # The pipeline imports spaCy (about a second); load it on first use, not on `import wirescope`.
    if name in {"analyze", "analyze_pages"}:
        from wirescope import pipeline

        return getattr(pipeline, name)
    if name == "ingest":
        from wirescope.ingest import ingest

        return ingest
    if name in {"framing_summary", "neutral_reading"}:
        from wirescope.analysis.framing import summary as framing

        return getattr(framing, name)
    if name == "Store":
        from wirescope.storage.store import Store

        return Store
    if name in {"assign_stories", "get_story", "list_stories", "load_ratings", "regroup"}:
        from wirescope.stories import assign as stories

        return getattr(stories, name)
    raise AttributeError(f"module 'wirescope' has no attribute {name!r}")
