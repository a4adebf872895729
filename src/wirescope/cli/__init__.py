"""The ``wirescope`` command line: thin Typer commands over the library."""

from wirescope.cli.actors import register_commands as register_actors
from wirescope.cli.alerts import register as register_alerts
from wirescope.cli.backfill import register as register_backfill
from wirescope.cli.commands import app
from wirescope.cli.extract import register as register_extract
from wirescope.cli.feeds import register as register_feeds
from wirescope.cli.serve import register as register_serve

register_serve(app)  # serve: the API, web UI and collector
register_backfill(app)  # backfill, load: commands of their own module
register_actors(app)  # actors, actor, actor-merge|split|rename|recode|corrections
register_alerts(app)  # alerts add|list|show|remove
register_feeds(app)  # feeds add|list|remove, collect
register_extract(app)  # extract: clean text, no parse

__all__ = ["app"]
