"""``python -m wirescope`` runs the CLI."""

from wirescope.cli.commands import app

app()
