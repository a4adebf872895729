"""docs/architecture.md's worked example, run: a hashtag analyzer added in five places.

The five edits of "Add an analyzer" are applied to a copy of the package; a fresh Python process
then analyses a fictional page, stores it, reads it back and exports it. Nothing else in the
package is touched: if adding an analyzer ever needs a sixth place, this test fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "wirescope"
pytestmark = pytest.mark.slow  # a fresh process loads spaCy

# 1. records.py: the record, and the Analysis field that holds a document's records.
RECORD = '''
@dataclass(frozen=True, order=True)
class Hashtag:
    """A #word of the analysed text."""

    start: int
    end: int
    text: str


'''
ANALYSIS_FIELD = "    hashtags: tuple[Hashtag, ...] = ()\n"

# 2. analysis/hashtags.py: the analyzer, a pure function of the one parse.
ANALYZER = '''"""Hashtags: the #words of the analysed text, read from the one parse."""

from spacy.tokens import Doc

from wirescope.records import Hashtag


def find_hashtags(doc: Doc) -> tuple[Hashtag, ...]:
    """Every "#" directly followed by a word (spaCy splits "#harbour" into two tokens)."""
    found = []
    for token in doc[:-1]:
        if token.text == "#" and not token.whitespace_ and doc[token.i + 1].is_alpha:
            end = doc[token.i + 1].idx + len(doc[token.i + 1])
            found.append(Hashtag(token.idx, end, doc.text[token.idx : end]))
    return tuple(found)
'''

# 3. pipeline.py: one call in analyze_parsed (and its import).
PIPELINE_IMPORT = "from wirescope.analysis.hashtags import find_hashtags\n"
PIPELINE_CALL = "        hashtags=find_hashtags(doc),\n"

# 4. storage/rows.py: the table, one line in RECORD_TABLES.
TABLE = 'HASHTAGS = Table("hashtags", Hashtag, keys=("doc_id", "seq"))\n'

# (5. docs/schema.md documents the new fields: prose, not needed to run.)

CHECK = textwrap.dedent('''
    import json, sys
    from pathlib import Path
    import wirescope
    from wirescope.storage.store import Store

    page = ("Dock crews return to work\\n\\n"
            "Dock crews in Riverside returned to the quay on Monday after a week-long strike, "
            "the port authority said, as #harbour workers celebrated the deal online.\\n\\n"
            "Union leader Mara Velde said the #RiversideStrike had won better shifts.")
    analysis = wirescope.analyze(page, published="2026-03-02")
    tags = [h.text for h in analysis.hashtags]
    assert tags == ["#harbour", "#RiversideStrike"], tags
    contract = analysis.to_dict()
    assert [h["text"] for h in contract["hashtags"]] == tags
    assert all(page[h["start"]:h["end"]] == h["text"] for h in contract["hashtags"])

    db = Path(sys.argv[1])
    with Store(db) as store:
        store.write_batch([analysis])
        store.write_batch([analysis], reanalyse=True)  # replaced, not duplicated
        assert store.get_analysis(analysis.document.id) == analysis
        assert store.con.execute("SELECT count(*) FROM hashtags").fetchone()[0] == 2
        written = store.export(db.parent / "export", "jsonl")
    assert any(p.name == "hashtags.jsonl" for p in written)
    line = (db.parent / "export" / "analyses.jsonl").read_text().splitlines()[0]
    assert [h["text"] for h in json.loads(line)["hashtags"]] == tags
    print("hashtags analysed, stored, read back and exported")
''')


def _insert_before(path: Path, anchor: str, text: str) -> None:
    source = path.read_text(encoding="utf-8")
    assert source.count(anchor) == 1, f"{path.name}: anchor {anchor!r} not found once"
    path.write_text(source.replace(anchor, text + anchor), encoding="utf-8")


def _insert_after(path: Path, anchor: str, text: str) -> None:
    source = path.read_text(encoding="utf-8")
    assert source.count(anchor) == 1, f"{path.name}: anchor {anchor!r} not found once"
    path.write_text(source.replace(anchor, anchor + text), encoding="utf-8")


def test_an_analyzer_is_added_in_five_places(tmp_path):
    copy = tmp_path / "src" / "wirescope"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    # 1. records.py
    _insert_before(copy / "records.py", "def record_dict(", RECORD.lstrip("\n"))
    _insert_after(copy / "records.py", "    framing: tuple[Framing, ...] = ()\n", ANALYSIS_FIELD)
    # 2. the analyzer
    (copy / "analysis" / "hashtags.py").write_text(ANALYZER, encoding="utf-8")
    # 3. pipeline.py
    _insert_before(copy / "pipeline.py", "from wirescope.analysis.nlp import", PIPELINE_IMPORT)
    _insert_after(copy / "pipeline.py", "        quotes=quotes,\n", PIPELINE_CALL)
    # 4. storage/rows.py
    rows = copy / "storage" / "rows.py"
    _insert_after(rows, "from wirescope.records import (\n", "    Hashtag,\n")
    _insert_before(rows, "\n# The tables of an analysis's flat record lists", TABLE)
    _insert_after(rows, '"framing": FRAMING', ', "hashtags": HASHTAGS')

    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}
    result = subprocess.run([sys.executable, "-c", CHECK, str(tmp_path / "db" / "news.duckdb")],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "exported" in result.stdout
