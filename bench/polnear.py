"""Loader for PolNeAR attribution annotations (brat standoff), pure Python.

Layout: ``<split>/text/NAME.txt`` and ``<split>/attributions/NAME_<annotator>.ann``. A few
articles were annotated by several annotators (agreement checks) and have several .ann files; we
keep the one whose annotator id sorts first so the gold is deterministic and counted once.

An .ann file holds T lines (``T1\\tSource 201 220\\tO'Malley's campaign``; discontinuous spans
are written ``start end;start end``) and E lines tying one attribution together
(``E1\\tAttribution:T4 Content:T3 Cue:T2 Source:T1``). Roles may carry a number suffix
(``Source2``) when a role has several parts; the digits are dropped and the parts merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

Fragments = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Attribution:
    id: str
    content: Fragments
    cue: Fragments
    source: Fragments

    def text(self, doc_text: str, role: str) -> str:
        return " … ".join(doc_text[s:e] for s, e in getattr(self, role))


@dataclass(frozen=True)
class Article:
    name: str
    text: str
    attributions: tuple[Attribution, ...]
    annotator: str


_ANN_NAME = re.compile(r"^(?P<name>.+)_(?P<annotator>[0-9a-f]{4})\.ann$")


def _parse_spans(spec: str) -> Fragments:
    spans = []
    for part in spec.split(";"):
        start, end = part.split()
        spans.append((int(start), int(end)))
    return tuple(sorted(spans))


def parse_ann(ann: str) -> tuple[Attribution, ...]:
    spans: dict[str, Fragments] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for line in ann.splitlines():
        # a span's text may contain a newline, which continues the T line: skip those tails
        if re.match(r"T\d+\t", line):
            tid, header, _text = line.split("\t", 2)
            _label, spec = header.split(" ", 1)
            spans[tid] = _parse_spans(spec)
        elif re.match(r"E\d+\t", line):
            eid, args = line.split("\t", 1)[:2]
            roles = [tuple(arg.split(":", 1)) for arg in args.split()]
            events.append((eid, roles))  # type: ignore[arg-type]
    out = []
    for eid, roles in events:
        parts: dict[str, list[tuple[int, int]]] = {"Content": [], "Cue": [], "Source": []}
        for role, tid in roles:
            base = role.rstrip("0123456789")
            if base in parts and tid in spans:
                parts[base].extend(spans[tid])
        out.append(Attribution(eid, tuple(sorted(parts["Content"])), tuple(sorted(parts["Cue"])),
                               tuple(sorted(parts["Source"]))))
    return tuple(out)


def load_split(split_dir: Path, limit: int | None = None) -> list[Article]:
    """Articles of one split in file-name order, each with the attributions of one annotator."""
    anns: dict[str, list[tuple[str, Path]]] = {}
    for path in (split_dir / "attributions").glob("*.ann"):
        match = _ANN_NAME.match(path.name)
        if match:
            anns.setdefault(match["name"], []).append((match["annotator"], path))
    articles = []
    for text_path in sorted((split_dir / "text").glob("*.txt")):
        candidates = sorted(anns.get(text_path.stem, []))
        if not candidates:
            continue
        annotator, ann_path = candidates[0]
        # newline="" keeps \r\n as two characters: brat offsets count the file's characters
        with open(text_path, encoding="utf-8", newline="") as handle:
            text = handle.read()
        attributions = parse_ann(ann_path.read_text(encoding="utf-8"))
        articles.append(Article(text_path.stem, text, attributions, annotator))
        if limit is not None and len(articles) >= limit:
            break
    return articles
