"""Typed failures. Each names the input and the reason; the CLI maps them to exit codes."""

from __future__ import annotations


class WirescopeError(Exception):
    """Base class of every error wirescope raises on purpose."""


class PageError(WirescopeError):
    """A page that cannot be read or analysed. ``source`` names the input, ``reason`` says why.

    ``kind`` is a short stable tag stored with the error (e.g. ``empty``, ``binary``, ``too_large``,
    ``encoding``, ``bad_json``, ``bad_warc``, ``http``, ``timeout``, ``no_article``, ``not_found``).
    """

    def __init__(self, source: str, reason: str, kind: str = "error") -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
        self.kind = kind

    def __reduce__(self) -> tuple[type[PageError], tuple[str, str, str]]:
        # Pickled by its fields: it crosses from the worker processes (wirescope.runner) to the caller.
        return (PageError, (self.source, self.reason, self.kind))


class StoreError(WirescopeError):
    """The database cannot be opened or migrated."""


def internal_error(source: str, error: Exception) -> PageError:
    """The PageError for a bug met on one page (kind ``internal``): reported with the page, so that one
    page never ends a batch."""
    return PageError(source, f"analysis failed: {type(error).__name__}: {error}", kind="internal")
