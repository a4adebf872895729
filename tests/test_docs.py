"""The documentation matches the code: every field the analysis@1 contract emits is described in
docs/schema.md, in the section of its record, and every command has help and is in the README."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from fictional import corpus
from wirescope.cli.commands import app
from wirescope.errors import PageError

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "docs" / "schema.md"
# The part of an analysis@1 object -> the heading of its section in docs/schema.md.
SECTIONS = {"document": "`document`", "segments": "`segments[]`", "entities": "`entities[]`",
            "quotes": "`quotes[]`", "events": "`events[]`", "framing": "`framing[]`", "times": "`times[]`"}
TOP_LEVEL = "Top level"


def schema_sections() -> dict[str, str]:
    """docs/schema.md cut at its ``## `` headings: heading -> the text under it."""
    parts = re.split(r"^## (.+)$", SCHEMA.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return {heading.strip(): body for heading, body in zip(parts[1::2], parts[2::2])}


def field_rows(section: str) -> dict[str, str]:
    """Field name -> its table row; the first cell names the field ("| `start`, `end` |" names two)."""
    rows: dict[str, str] = {}
    for cell, row in re.findall(r"^\| ((?:`[a-z_]+`(?:, )?)+) \|(.*)$", section, flags=re.MULTILINE):
        for name in re.findall(r"`([a-z_]+)`", cell):
            rows[name] = row
    return rows


def shape_names(row: str) -> set[str]:
    """The names of the object shapes a row describes: ``{start, end, text}`` names three."""
    return {name for shape in re.findall(r"\{([a-z0-9_, ]+)\}", row) for name in re.split(r",\s*", shape)}


def undocumented(record: dict[str, Any], rows: dict[str, str], path: str) -> list[str]:
    """Fields of ``record`` (and of the objects inside it) with no row in ``rows``; a nested
    object's fields may instead be named in its parent's row, as ``{start, end, text}``."""
    missing = [f"{path}.{name}" for name in record if name not in rows]
    for name, value in record.items():
        nested = value if isinstance(value, list) else [value]
        described = {**rows, **dict.fromkeys(shape_names(rows.get(name, "")), "")}
        for item in nested:
            if isinstance(item, dict):
                missing += undocumented(item, described, f"{path}.{name}")
    return missing


def test_every_emitted_field_is_documented_in_its_section():
    sections = schema_sections()
    missing: set[str] = set()
    emitted: set[str] = set()
    for analysis in corpus():  # fictional pages with entities, quotes, events, framing and times
        payload = analysis.to_dict()
        missing |= {name for name in payload if name not in field_rows(sections[TOP_LEVEL])}
        for part, heading in SECTIONS.items():
            records = payload[part] if isinstance(payload[part], list) else [payload[part]]
            emitted |= {part} if records else set()
            for record in records:
                missing |= set(undocumented(record, field_rows(sections[heading]), part))
    assert emitted == set(SECTIONS), f"the fictional corpus emits no {sorted(set(SECTIONS) - emitted)}"
    assert not missing, f"fields missing from docs/schema.md: {sorted(missing)}"


def test_every_error_kind_used_in_the_code_is_documented():
    schema = SCHEMA.read_text(encoding="utf-8")
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "wirescope").rglob("*.py"))
    kinds = set(re.findall(r'kind="([a-z_]+)"', source)) - {"error"}
    assert kinds, "no error kinds found in the code"
    undocumented_kinds = {k for k in kinds if f"`{k}`" not in schema}
    assert not undocumented_kinds, f"error kinds missing from docs/schema.md: {sorted(undocumented_kinds)}"
    assert PageError("a", "b", "empty").kind == "empty"


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    runner = CliRunner()
    names = [command.name or command.callback.__name__ for command in app.registered_commands]
    assert len(names) >= 13
    overview = runner.invoke(app, ["--help"])
    assert overview.exit_code == 0
    for name in names:
        assert name in overview.output, f"`wirescope --help` does not list {name}"
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, f"`wirescope {name} --help` failed: {result.output}"
        help_text = result.output.split("Usage", 1)[-1]
        assert "Usage" in result.output and len(help_text.split()) > 5, f"`wirescope {name} --help` says nothing"
        assert f"wirescope {name}" in readme, f"README does not document `wirescope {name}`"
