"""Temporal expressions (wirescope.analysis.when) on TempEval-3's TimeML news (TBAQ-cleaned).

    .venv/bin/python bench/dates.py [--part timebank|aquaint|both]

Parts: TimeBank (183 documents) is the tuning part, the rules were written and chosen on it;
AQUAINT (73 documents) is held out (TE3-platinum, the official test set, is not distributed in
../shared). Reports, per part:

(a) normalisation accuracy of gold DATE expressions with a day value (``YYYY-MM-DD``): the gold
    span text through ``normalise_time_text`` with the document creation time (DCT) as the
    article's date, text alone and with the tense cue of the parse; baseline dateparser alone
    (DCT as its base, past preferred); also every gold DATE whose value has one of our forms
    (day, ISO week, month, year);
(b) detection of gold DATE expressions: precision, recall and F1, strict (same span) and relaxed
    (overlap), for ``find_time_expressions`` and the baselines spaCy DATE entities alone and
    dateparser's ``search_dates`` alone; and value F1 (relaxed match with the gold value);
(c) cost: the parse per document and ``find_time_expressions`` per document.

SKIP (exit 0) without ../shared/data/dates/tempeval3.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wirescope.analysis.nlp import load_nlp
from wirescope.analysis.when import find_time_expressions, normalise_time_text, points_forward

PARTS = {"timebank": ("TimeBank", "tuning"), "aquaint": ("AQUAINT", "held out")}
OUR_VALUE_FORMS = re.compile(r"\d{4}-\d{2}-\d{2}|\d{4}-W\d{2}|\d{4}-\d{2}|\d{4}")
DAY_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}")

Span = tuple[int, int]


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    kind: str
    value: str


@dataclass
class TimeMLDocument:
    name: str
    text: str
    dct: date
    timexes: list[Timex]


def shared_dir() -> Path:
    return Path(os.environ.get("WIRESCOPE_SHARED") or ROOT.parent / "shared")


def read_timeml(path: Path) -> TimeMLDocument:
    """The plain text of <TEXT>, its TIMEX3 spans as character offsets, and the DCT."""
    root = ET.parse(path).getroot()
    dct_timex = root.find("DCT/TIMEX3")
    text_element = root.find("TEXT")
    assert dct_timex is not None and text_element is not None, path
    pieces: list[str] = []
    timexes: list[Timex] = []

    def walk(element: ET.Element) -> None:
        start = sum(map(len, pieces))
        pieces.append(element.text or "")
        for child in element:
            walk(child)
            pieces.append(child.tail or "")
        if element.tag == "TIMEX3":
            end = start + len("".join(element.itertext()))
            timexes.append(Timex(start, end, element.get("type", ""), element.get("value", "")))

    walk(text_element)
    return TimeMLDocument(path.stem, "".join(pieces), date.fromisoformat(dct_timex.get("value", "")[:10]), timexes)


def prf(predicted: list[list[Span]], gold: list[list[Span]], relaxed: bool) -> tuple[float, float, float]:
    """Precision, recall, F1 over documents; relaxed: any overlap counts (each gold span matched once)."""
    tp = fp = fn = 0
    for ours, theirs in zip(predicted, gold):
        unmatched = list(theirs)
        for span in ours:
            hit = next((g for g in unmatched if (g == span if not relaxed else g[0] < span[1] and span[0] < g[1])),
                       None)
            if hit is None:
                fp += 1
            else:
                tp += 1
                unmatched.remove(hit)
        fn += len(unmatched)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def dateparser_day(text: str, dct: date) -> str | None:
    """Baseline: dateparser alone on the text, the DCT as its base, past preferred."""
    from dateparser.date import DateDataParser

    base = datetime(dct.year, dct.month, dct.day)
    parsed = DateDataParser(languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}) \
        .get_date_data(text)
    return parsed.date_obj.date().isoformat() if parsed.date_obj is not None else None


def dateparser_spans(document: TimeMLDocument) -> list[Span]:
    """Baseline: dateparser's search_dates over the whole text, its substrings found left to right."""
    from dateparser.search import search_dates

    base = datetime(document.dct.year, document.dct.month, document.dct.day)
    found = search_dates(document.text, languages=["en"], settings={"RELATIVE_BASE": base}) or []
    spans, cursor = [], 0
    for substring, _ in found:
        start = document.text.find(substring, cursor)
        if start >= 0:
            spans.append((start, start + len(substring)))
            cursor = start + len(substring)
    return spans


def normalisation_table(documents: list[TimeMLDocument], docs: list, title: str) -> None:
    """(a): accuracy on gold DATE spans, day values and all values of our forms."""
    rows: dict[str, list[int]] = {}

    def score(method: str, predicted: str | None, gold: str) -> None:
        rows.setdefault(method, [0, 0])
        rows[method][0] += predicted == gold
        rows[method][1] += 1

    for document, doc in zip(documents, docs):
        for timex in document.timexes:
            if timex.kind != "DATE" or not OUR_VALUE_FORMS.fullmatch(timex.value):
                continue
            text = document.text[timex.start:timex.end]
            level = "day" if DAY_VALUE.fullmatch(timex.value) else "all forms"
            plain = normalise_time_text(text, document.dct)
            span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
            direction = "future" if span is not None and points_forward(span) else "past"
            cued = normalise_time_text(text, document.dct, direction)
            for suffix in {level, "all forms"}:
                score(f"ours, text alone [{suffix}]", plain.value if plain else None, timex.value)
                score(f"ours, text + tense cue [{suffix}]", cued.value if cued else None, timex.value)
                if suffix == "day":
                    score(f"dateparser alone [{suffix}]", dateparser_day(text, document.dct), timex.value)
    print(f"\n(a) normalisation on gold DATE spans, {title}")
    print(f"{'method':44} {'correct':>8} {'of':>6} {'accuracy':>9}")
    for method, (correct, total) in sorted(rows.items(), key=lambda r: ("all forms" in r[0], r[0])):
        print(f"{method:44} {correct:8d} {total:6d} {correct / total:9.3f}")


def detection_table(documents: list[TimeMLDocument], docs: list, title: str) -> float:
    """(b): detection P/R/F1 of gold DATE spans; returns the seconds spent in find_time_expressions."""
    gold = [[(t.start, t.end) for t in d.timexes if t.kind == "DATE"] for d in documents]
    spent = 0.0
    ours = []
    for document, doc in zip(documents, docs):
        t0 = time.perf_counter()
        ours.append(find_time_expressions(doc, document.dct))
        spent += time.perf_counter() - t0
    methods: dict[str, list[list[Span]]] = {
        "find_time_expressions": [[(e.start, e.end) for e in found] for found in ours],
        "spaCy DATE entities alone": [[(e.start_char, e.end_char) for e in doc.ents if e.label_ == "DATE"]
                                      for doc in docs],
        "dateparser search_dates alone": [dateparser_spans(d) for d in documents],
    }
    print(f"\n(b) detection of gold DATE expressions ({sum(map(len, gold))}), {title}")
    print(f"{'method':32} {'strict P':>9} {'R':>6} {'F1':>6} {'relaxed P':>10} {'R':>6} {'F1':>6}")
    for method, predicted in methods.items():
        strict, relaxed = prf(predicted, gold, relaxed=False), prf(predicted, gold, relaxed=True)
        print(f"{method:32} {strict[0]:9.3f} {strict[1]:6.3f} {strict[2]:6.3f} "
              f"{relaxed[0]:10.3f} {relaxed[1]:6.3f} {relaxed[2]:6.3f}")
    value_f1(documents, ours)
    return spent


def value_f1(documents: list[TimeMLDocument], ours: list[list]) -> None:
    """TempEval-style value F1: a found expression overlapping a gold DATE with the same value."""
    gold_values = [[(t.start, t.end, t.value) for t in d.timexes if t.kind == "DATE"] for d in documents]
    tp = sum(any(g[0] < e.end and e.start < g[1] and g[2] == e.value for g in golds)
             for found, golds in zip(ours, gold_values) for e in found)
    predicted = sum(1 for found in ours for e in found if e.value is not None)
    total = sum(map(len, gold_values))
    precision, recall = tp / max(predicted, 1), tp / max(total, 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"value F1 (relaxed span, same value; expressions with a value): P {precision:.3f} R {recall:.3f} "
          f"F1 {f1:.3f}")


def run_part(folder: Path, title: str) -> None:
    documents = [read_timeml(path) for path in sorted(folder.glob("*.tml"))]
    nlp = load_nlp()
    t0 = time.perf_counter()
    docs = list(nlp.pipe((d.text for d in documents), batch_size=32))
    parse_s = time.perf_counter() - t0
    title = f"{title}: {len(documents)} documents"
    normalisation_table(documents, docs, title)
    find_s = detection_table(documents, docs, title)
    words = sum(len(doc) for doc in docs)
    print(f"\n(c) cost, {title}, {words} tokens: parse {1000 * parse_s / len(docs):.1f} ms/document, "
          f"find_time_expressions {1000 * find_s / len(docs):.2f} ms/document "
          f"({100 * find_s / parse_s:.1f}% of the parse)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("timebank", "aquaint", "both"), default="both")
    args = parser.parse_args(argv)
    base = shared_dir() / "data/dates/tempeval3/TBAQ-cleaned"
    if not base.is_dir():
        print(f"SKIP: {base} not found")
        return 0
    started = datetime.now().isoformat(timespec="seconds")
    print(f"bench/dates.py, {started}; TimeBank = tuning part, AQUAINT = held out")
    for key in PARTS if args.part == "both" else [args.part]:
        folder_name, role = PARTS[key]
        run_part(base / folder_name, f"{folder_name} ({role})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
