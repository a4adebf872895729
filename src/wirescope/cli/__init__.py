"""The ``wirescope`` command line: thin Typer commands over the library."""

from wirescope.cli.commands import app

__all__ = ["app"]
