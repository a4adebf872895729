"""The documented contract matches what the code emits."""

from __future__ import annotations

import re
from pathlib import Path

from wirescope.errors import PageError
from wirescope.records import (
    Analysis,
    Document,
    Entity,
    Mention,
    Quote,
    Segment,
    Speaker,
    TextSpan,
)

ROOT = Path(__file__).resolve().parents[1]


def documented_fields() -> set[str]:
    schema = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    # The first cell of each table row names a field ("| `start`, `end` |" names two).
    rows = re.findall(r"^\| (`[a-z_]+`(?:, `[a-z_]+`)*) \|", schema, flags=re.MULTILINE)
    return {name for row in rows for name in re.findall(r"`([a-z_]+)`", row)}


def test_every_emitted_field_is_documented():
    analysis = Analysis(
        document=Document(id="x", text="Ana spoke."),
        segments=(Segment(0, 10, "body"),),
        entities=(Entity(id="e1", name="Ana", type="PERSON", mentions=(Mention(0, 3, "Ana"),)),),
        quotes=(Quote("q1", "indirect", TextSpan(4, 9, "spoke"), TextSpan(4, 9, "spoke"),
                      Speaker(0, 3, "Ana", "e1", "Ana")),),
    )
    payload = analysis.to_dict()
    emitted = set(payload) | set(payload["document"]) | set(payload["segments"][0]) | set(payload["entities"][0])
    emitted |= set(payload["quotes"][0]) | set(payload["quotes"][0]["speaker"])
    missing = emitted - documented_fields()
    assert not missing, f"fields missing from docs/schema.md: {sorted(missing)}"


def test_every_error_kind_used_in_the_code_is_documented():
    schema = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "wirescope").glob("*.py"))
    kinds = set(re.findall(r'kind="([a-z_]+)"', source)) - {"error"}
    assert kinds, "no error kinds found in the code"
    undocumented = {k for k in kinds if f"`{k}`" not in schema}
    assert not undocumented, f"error kinds missing from docs/schema.md: {sorted(undocumented)}"
    assert PageError("a", "b", "empty").kind == "empty"
