"""Events by confidence (issue 15): a store ingested with every event the coder reads
(``--min-event-confidence 0``) filtered at query time, through the real CLI, the real HTTP app and
the real database. The pages are the project's samples (fictional)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from wirescope.cli import app
from wirescope.serve.api import create_app

SAMPLES = Path(__file__).parents[1] / "samples"
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("confidence") / "news.duckdb"
    result = runner.invoke(app, ["ingest", str(SAMPLES / "wire-page-harbor-talks.txt"), str(SAMPLES / "pages.jsonl"),
                                 "--db", str(path), "--quiet", "--page-timeout", "0", "--min-event-confidence", "0"])
    assert result.exit_code == 0, result.output
    return path


def cli_events(db: Path, *options: str) -> list[dict]:
    result = runner.invoke(app, ["events", "--db", str(db), "--json", *options])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]


def test_the_command_line_filters_events_by_confidence(db: Path):
    every = cli_events(db)
    sure = cli_events(db, "--min-confidence", "0.5")
    assert any(e["confidence"] < 0.5 for e in every), "the store should hold events under 0.5 (floor 0)"
    assert sure and all(e["confidence"] >= 0.5 for e in sure)
    assert len(sure) == sum(e["confidence"] >= 0.5 for e in every)


def test_the_api_filters_events_places_and_timeline_by_confidence(db: Path):
    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    every = client.get("/events", params={"limit": 500}).json()
    sure = client.get("/events", params={"limit": 500, "min_confidence": 0.5}).json()
    assert sure["total"] == sum(e["confidence"] >= 0.5 for e in every["items"]) < every["total"]
    assert all(e["confidence"] >= 0.5 for e in sure["items"])
    assert client.get("/events/timeline", params={"min_confidence": 0.99}).json()["types"] == []
    assert client.get("/events/places", params={"min_confidence": 0.99}).json()["places"] == []
    assert client.get("/events", params={"min_confidence": 2}).status_code == 422
