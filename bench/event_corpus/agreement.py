"""Agreement of the corpus annotators: with the PLOVER dev gold (blind round) and with each other.

    python bench/event_corpus/agreement.py dev [--import DIR]
    python bench/event_corpus/agreement.py pair

``dev``: the blind annotation of the 216 PLOVER dev gold sentences (``blind_dev.jsonl``: gold
record id, offsets, labels) against the gold. ``--import DIR`` first reads the annotators' working
files (``DIR/devbatch_*.jsonl``, spans as text) into ``blind_dev.jsonl``. Scores, as
bench/events.py scores the coder: top-1 type micro-F1 (the annotator's first event per sentence),
all-types micro-F1, and full-dyad F1 of the first event (bench/events.py's side matching).

``pair``: the double-annotated samples of the corpus, each a second annotator's events for units of
``annotations.jsonl``: ``double.jsonl`` (199 units, guidelines v2) and ``double_topup4.jsonl`` (96
units already in the corpus, mixed unannounced into the fifth draw's batches as controls, guidelines
v4): Cohen's kappa on each sentence's main type (no event is a class), micro-F1 of the two type sets,
and trigger/actor/recipient overlap on the events both coded.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import ANNOTATIONS, CodedEvent, events_from_text_spans, load_corpus, read_jsonl  # noqa: E402
from sources import PLOVER_GOLD, shared_dir  # noqa: E402

BLIND_DEV = HERE / "blind_dev.jsonl"
DOUBLE = HERE / "double.jsonl"
DOUBLE_TOPUP4 = HERE / "double_topup4.jsonl"


def _gold() -> dict[str, list[dict]]:
    by_text: dict[str, list[dict]] = {}
    for record in json.loads((shared_dir() / PLOVER_GOLD).read_text(encoding="utf-8")):
        by_text.setdefault(record["text"], []).append(record)
    return by_text


def import_dev(folder: Path) -> None:
    """Annotators' text-span files -> blind_dev.jsonl (gold record id + offsets)."""
    gold = _gold()
    texts = list(gold)
    rows = []
    for path in sorted(folder.glob("devbatch_*.jsonl")):
        for row in read_jsonl(path):
            text = texts[int(row["id"][1:])]
            events = events_from_text_spans(text, row["events"])
            rows.append({"gold": gold[text][0]["id"], "events": [e.to_dict() for e in events]})
    BLIND_DEV.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} blind annotations -> {BLIND_DEV}")


def _sides(text: str, spans: tuple[tuple[int, int], ...]) -> list:
    from wirescope.records import EventActor
    return [EventActor(s, e, text[s:e]) for s, e in spans]


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def score_dev() -> None:
    from events import side_matches  # bench/events.py: the benchmark's own side matching
    gold = _gold()
    by_id = {records[0]["id"]: (text, records) for text, records in gold.items()}
    top1, alltypes, dyad = Counter(), Counter(), Counter()
    confusion: Counter = Counter()
    for row in read_jsonl(BLIND_DEV):
        text, records = by_id[row["gold"]]
        gold_types = {r["event"] for r in records}
        events = _events(row)
        first = events[:1]
        for name, chosen in (("top1", first), ("all", events)):
            counter = top1 if name == "top1" else alltypes
            types = {e.type for e in chosen}
            counter["tp"] += len(types & gold_types)
            counter["fp"] += len(types - gold_types)
            counter["fn"] += len(gold_types - types)
        confusion[(sorted(gold_types)[0], first[0].type if first else "-")] += 1
        dyad["gold"] += len(records)
        dyad["pred"] += len(first)
        for event in first:
            for record in records:
                src = record.get("source") if isinstance(record.get("source"), list) else []
                tgt = record.get("target") if isinstance(record.get("target"), list) else []
                if record["event"] == event.type and (not src or side_matches(src, _sides(text, event.actors))) and (
                        not tgt or side_matches(tgt, _sides(text, event.recipients))):
                    dyad["tp"] += 1
                    break
    print(f"blind dev round: {sum(1 for _ in read_jsonl(BLIND_DEV))} sentences")
    for name, (p, r, f) in (("top-1 type micro", _prf(top1["tp"], top1["fp"], top1["fn"])),
                            ("all-types micro", _prf(alltypes["tp"], alltypes["fp"], alltypes["fn"])),
                            ("full-dyad (first event)", _prf(dyad["tp"], dyad["pred"] - dyad["tp"],
                                                             dyad["gold"] - dyad["tp"]))):
        print(f"{name} P/R/F1: {p:.3f} {r:.3f} {f:.3f}")
    print("disagreements (gold -> annotator: count):")
    for (g, a), n in sorted(confusion.items(), key=lambda kv: -kv[1]):
        if g != a:
            print(f"  {g} -> {a}: {n}")


def _events(row: dict) -> list[CodedEvent]:
    return [CodedEvent(type=e["type"], trigger=tuple(e["trigger"]), actors=tuple(map(tuple, e["actor"])),
                       recipients=tuple(map(tuple, e["recipient"])), mode=e.get("mode"),
                       negated=e["negated"], hypothetical=e["hypothetical"], reported=e["reported"])
            for e in row["events"]]


def _kappa(pairs: list[tuple[str, str]]) -> float:
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_pair(double: Path = DOUBLE) -> None:
    first = {s.id: s for s in load_corpus(annotations=ANNOTATIONS)}
    second = {s.id: s for s in load_corpus(annotations=double)}
    shared = sorted(set(first) & set(second))
    main_pairs, types, sides = [], Counter(), Counter()
    for uid in shared:
        a, b = first[uid], second[uid]
        main_pairs.append((a.events[0].type if a.events else "-", b.events[0].type if b.events else "-"))
        ta, tb = {e.type for e in a.events}, {e.type for e in b.events}
        types["tp"] += len(ta & tb)
        types["fp"] += len(tb - ta)
        types["fn"] += len(ta - tb)
        for event in a.events:
            match = next((e for e in b.events if e.type == event.type), None)
            if match is None:
                continue
            sides["events"] += 1
            sides["trigger"] += _overlap(event.trigger, match.trigger)
            for name in ("actors", "recipients"):
                mine, theirs = getattr(event, name), getattr(match, name)
                sides[name + "_both_empty"] += not mine and not theirs
                sides[name] += (not mine and not theirs) or any(_overlap(x, y) for x in mine for y in theirs)
    print(f"{double.name}: double-annotated sentences: {len(shared)}")
    print(f"main type (incl. no event) Cohen's kappa: {_kappa(main_pairs):.3f}; "
          f"raw agreement {sum(a == b for a, b in main_pairs) / len(main_pairs):.3f}")
    print(f"type sets micro F1: {_prf(types['tp'], types['fp'], types['fn'])[2]:.3f}")
    if sides["events"]:
        for name in ("trigger", "actors", "recipients"):
            print(f"{name} agreement on events of the same type: {sides[name] / sides['events']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("dev", "pair"))
    parser.add_argument("--import", dest="folder", type=Path)
    args = parser.parse_args()
    if not (shared_dir() / PLOVER_GOLD).exists():
        print("SKIP: ../shared/data/events not found")
        return
    if args.what == "dev":
        if args.folder:
            import_dev(args.folder)
        score_dev()
    else:
        score_pair(DOUBLE)
        score_pair(DOUBLE_TOPUP4)


if __name__ == "__main__":
    main()
