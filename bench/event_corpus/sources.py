"""The sentences of the PLOVER event corpus, read from ../shared by locator (issue 15).

The repository never stores a sentence's text: a unit is a locator (source, file, record, start,
end) whose text this module reads back from the shared data. ``record`` is the row of a TSV (its
0-based data line), a "doc_id:sent_id" of a JSONL, or None for a plain-text article; ``start`` and
``end`` are character offsets into that record's text field (or the whole article).
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    return Path(os.environ.get("WIRESCOPE_SHARED") or REPO.parent / "shared")


CONFLIBERT = "data/events/conflibert_cameo/cameo_class_train.tsv"
CASE = "data/events/extra/case2021-task2/case2021_task2_dev.tsv"
INDIA = "data/events/extra/indiapoliceevents/sents.jsonl"
ARTICLE_GLOBS = {
    "polnear": "data/quotes/polnear/*/text/*.txt",
    "ptc": "data/framing/propaganda-ptc/datasets/*-articles/*.txt",
    "basil": "data/stories/basil/articles/*/*.json",  # text: title, blank line, body (bench/stories.py)
}
PLOVER_GOLD = "data/events/plover/plover_gold_dev.json"

# A sentence ends at . ! or ? (and a closing quote) before white space and an upper-case letter or
# an opening quote. Hand-written: it only picks candidate sentences for annotation (annotators drop
# broken ones), and it must give the same offsets on every machine, with no model involved.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
# Titles and initials that end in a period inside a sentence ("Mr. Trump", "U.S. forces").
ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|St|Jr|Sr|Prof|Rev|No|Vol"
                          r"|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)|\b[A-Z](?:\.[A-Z])*)\.$")
# An article sentence ends like one; a line without it is a heading, a caption or a fragment.
SENTENCE_CLOSE = re.compile(r"[.!?][\"'”’)]?$")


@dataclass(frozen=True)
class Unit:
    """One sentence to annotate: where it is, and its text (never written to the repository)."""

    source: str
    file: str
    record: str | None
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        return f"{self.file}|{self.record}|{self.start}|{self.end}"

    @property
    def document(self) -> str:
        """The document the unit belongs to: splits keep a document's sentences together."""
        if self.source == "india" and self.record:
            return f"{self.file}|{self.record.split(':')[0]}"
        return f"{self.file}|{self.record}" if self.record is not None else self.file


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, stripped of surrounding white space."""
    for block in re.finditer(r"[^\n]+", text):
        start = block.start()
        line = block.group()
        cuts = [c for c in SENTENCE_END.finditer(line) if not ABBREVIATION.search(line[:c.start()])]
        for cut in [*cuts, None]:
            end = block.start() + (cut.start() if cut else len(block.group()))
            piece = text[start:end]
            lead = len(piece) - len(piece.lstrip())
            if piece.strip():
                yield start + lead, start + lead + len(piece.strip())
            if cut:
                start = block.start() + cut.end()


@cache
def _tsv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@cache
def _india_rows(path: Path) -> dict[str, dict]:
    rows = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            rows[f"{row['doc_id']}:{row['sent_id']}"] = row
    return rows


def record_text(source: str, file: str, record: str | None) -> str:
    """The text field of one record (or a whole article) of the shared data."""
    path = shared_dir() / file
    if source == "conflibert":
        return _tsv_rows(path)[int(record or 0)][0]
    if source == "case":
        rows = {row[0]: row for row in _tsv_rows(path)[1:]}
        return rows[str(record)][1]
    if source == "india":
        return str(_india_rows(path)[str(record)]["sent_text"])
    if source == "basil":
        return _basil_text(path)
    return path.read_text(encoding="utf-8")


def _basil_text(path: Path) -> str:
    if str(REPO / "bench") not in sys.path:  # called once per article: add the folder once
        sys.path.insert(0, str(REPO / "bench"))
    from stories import basil_body  # the one definition of a BASIL article's text

    article = json.loads(path.read_text(encoding="utf-8"))
    return f"{article['title']}\n\n{basil_body(article)}"


def unit_text(source: str, file: str, record: str | None, start: int, end: int) -> str:
    return record_text(source, file, record)[start:end]


def source_labels(unit: Unit) -> list[str]:
    """The labels the source itself gives the unit's record (for cross-checks), or []."""
    path = shared_dir() / unit.file
    if unit.source == "conflibert":
        return [_tsv_rows(path)[int(unit.record or 0)][1]]
    if unit.source == "case":
        rows = {row[0]: row for row in _tsv_rows(path)[1:]}
        return [rows[str(unit.record)][2]]
    if unit.source == "india":
        return list(_india_rows(path)[str(unit.record)]["sent_labels"])
    return []


def conflibert_units() -> Iterator[Unit]:
    for i, row in enumerate(_tsv_rows(shared_dir() / CONFLIBERT)):
        if row and row[0].strip():
            yield Unit("conflibert", CONFLIBERT, str(i), 0, len(row[0].rstrip()), row[0].rstrip())


def case_units() -> Iterator[Unit]:
    """The first sentence of each CASE snippet: the one its event class usually describes."""
    for row in _tsv_rows(shared_dir() / CASE)[1:]:
        spans = list(sentence_spans(row[1]))
        if spans:
            start, end = spans[0]
            yield Unit("case", CASE, row[0], start, end, row[1][start:end])


def india_units() -> Iterator[Unit]:
    for key, row in _india_rows(shared_dir() / INDIA).items():
        text = str(row["sent_text"])
        stripped = text.strip()
        if stripped:
            start = text.index(stripped)
            yield Unit("india", INDIA, key, start, start + len(stripped), stripped)


def article_units(name: str) -> Iterator[Unit]:
    root = shared_dir()
    for path in sorted(root.glob(ARTICLE_GLOBS[name])):
        text = _basil_text(path) if name == "basil" else path.read_text(encoding="utf-8")
        relative = str(path.relative_to(root))
        for start, end in sentence_spans(text):
            if not SENTENCE_CLOSE.search(text[start:end]):
                continue
            yield Unit(name, relative, None, start, end, text[start:end])


def gold_texts() -> set[str]:
    """The PLOVER dev gold sentences: never part of the corpus (they are the benchmark)."""
    path = shared_dir() / PLOVER_GOLD
    if not path.exists():
        return set()
    return {record["text"].strip() for record in json.loads(path.read_text(encoding="utf-8"))}
