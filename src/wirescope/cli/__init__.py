"""The ``wirescope`` command line: thin Typer commands over the library."""

from wirescope.cli.actors import register_commands as register_actors
from wirescope.cli.backfill import register as register_backfill
from wirescope.cli.commands import app

register_backfill(app)  # backfill, load: commands of their own module
register_actors(app)  # actors, actor, actor-merge|split|rename|recode|corrections

__all__ = ["app"]
