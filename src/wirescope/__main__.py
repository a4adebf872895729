"""``python -m wirescope`` runs the CLI."""

from wirescope.cli import app

app()
