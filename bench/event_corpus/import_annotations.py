"""Read the annotators' working files (spans as text) into annotations.jsonl (spans as offsets).

    python bench/event_corpus/import_annotations.py DIR [--annotator-of-batch MOD] [--assign B:NAME,...] [--out FILE]

DIR holds batch_NNN.jsonl files written by the annotators (one JSON line per sentence: id, events
with spans as exact text, optional skip/note). The batch's annotator is "A" + (NNN mod MOD), the
round-robin assignment of sample.py's batches. Units marked "skip" (not a sentence) are left out;
a span that is not in its sentence is reported and its unit left out, never guessed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import ANNOTATIONS, UNITS, SpanError, events_from_text_spans, read_jsonl  # noqa: E402
from sources import unit_text  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--annotator-of-batch", type=int, default=7)
    parser.add_argument("--prefix", default="A")
    parser.add_argument("--out", type=Path, default=ANNOTATIONS)
    parser.add_argument("--assign", default="", help="batch:annotator pairs that override the round robin, "
                        "e.g. 100:A7,101:A8 (the top-up rounds)")
    args = parser.parse_args()
    assigned = dict(pair.split(":") for pair in args.assign.split(",") if pair)
    units = {row["id"]: row for row in read_jsonl(UNITS)}
    rows, skipped, errors = {}, 0, 0
    for path in sorted(args.folder.glob("batch_*.jsonl")):
        number = int(path.stem.split("_")[1])
        annotator = assigned.get(str(number)) or f"{args.prefix}{number % args.annotator_of_batch}"
        for row in read_jsonl(path):
            unit = units.get(row.get("id", ""))
            if unit is None:
                print(f"{path.name}: unknown id {row.get('id')!r}")
                errors += 1
                continue
            if row.get("skip"):
                skipped += 1
                continue
            text = unit_text(unit["source"], unit["file"], unit["record"], unit["start"], unit["end"])
            try:
                events = events_from_text_spans(text, row.get("events") or [])
            except SpanError as error:
                print(f"{path.name} {row['id']}: {error}")
                errors += 1
                continue
            rows[row["id"]] = {"id": row["id"], "annotator": annotator, "events": [e.to_dict() for e in events]}
    ordered = [rows[k] for k in sorted(rows)]
    args.out.write_text("".join(json.dumps(r) + "\n" for r in ordered), encoding="utf-8")
    with_events = sum(1 for r in ordered if r["events"])
    print(f"{len(ordered)} sentences ({with_events} with events), {skipped} skipped as not sentences, "
          f"{errors} errors -> {args.out}")


if __name__ == "__main__":
    main()
