"""Helpers of the tests that drive the real CLI: run a command, write pages, read a GDELT file."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from wirescope.cli.commands import app


def cli(*args: object) -> str:
    """Run ``wirescope ARGS`` in process; fail the test unless it exits 0; its standard output."""
    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def write_pages(path: Path, pages: Iterable[dict[str, Any]]) -> Path:
    """The pages as JSON Lines, the input ``ingest`` and ``analyze`` read."""
    path.write_text("".join(json.dumps(page) + "\n" for page in pages), encoding="utf-8")
    return path


def read_tsv(path: Path) -> list[list[str]]:
    """As GDELT's documentation reads its files: a csv reader, tab delimiter, no header."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t"))
