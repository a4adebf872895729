"""Who did what to whom: PLOVER events coded from the parse."""

from wirescope.analysis.events.coder import code_events

__all__ = ["code_events"]
