"""Actor coding: accuracy on the PLOVER gold actors and cost against the spaCy parse.

    PYTHONPATH=src .venv/bin/python bench/actors.py             # 200 PolNeAR texts for timing
    PYTHONPATH=src .venv/bin/python bench/actors.py --limit 100

1. Accuracy: every source/target actor of ``plover_gold_dev.json`` whose text is found in its
   sentence is coded with ``actors.code_span`` (on the record's date); a code is right when it
   starts with the gold code (gold codes are mostly countries: ISR for "Israeli army").
2. Cost: ``code_actors`` over the parsed PolNeAR texts against the parse itself, in one process,
   and ``code_span`` on every noun chunk (what the event coder may ask), as chunks per second.

Needs ../shared (or WIRESCOPE_SHARED); prints SKIP and exits 0 without it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WIRESCOPE_SHARED", ROOT.parent / "shared"))
PLOVER = SHARED / "data" / "events" / "plover" / "plover_gold_dev.json"
PETR_VALIDATION = SHARED / "data" / "events" / "petrarch2" / "PETR2_GSR_validation.xml"
POLNEAR = SHARED / "data" / "quotes" / "polnear"


def gold_actors(records: list[dict]) -> list[tuple[str, str, str, str]]:
    """(sentence, actor text, gold code, date) for each coded actor of the gold records."""
    out = []
    for rec in records:
        for side in ("source", "target"):
            value = rec.get(side)
            if not isinstance(value, list):
                continue
            for actor in value:
                text, code = (actor.get("actorText") or "").strip(), (actor.get("code") or "").strip()
                if text and code and text in rec["text"]:
                    out.append((rec["text"], text, code, rec.get("date") or ""))
    return out


def first_name_code(span, when: str | None) -> str | None:
    """Baseline: the code of the first gazetteer name in the phrase (no head, roles or titles)."""
    from wirescope.analysis.gazetteer import coding_day, load_gazetteer, resolve, scan_names

    gaz = load_gazetteer()
    for _, _, what, key in scan_names(list(span), gaz):
        if what == "actor":
            return resolve(gaz.actors[key], coding_day(when))[0]
    return None


def accuracy(nlp) -> dict[str, float]:
    from wirescope.analysis.actors import code_span

    records = json.loads(PLOVER.read_text(encoding="utf-8"))
    actors = gold_actors(records)
    docs = {t: d for t, d in zip(sorted({a[0] for a in actors}), nlp.pipe(sorted({a[0] for a in actors})))}
    right = coded = base_right = 0
    misses: list[str] = []
    for sentence, text, gold, day in actors:
        doc = docs[sentence]
        start = sentence.find(text)
        span = doc.char_span(start, start + len(text), alignment_mode="expand")
        code = code_span(span, when=day or None) if span is not None else None
        base = first_name_code(span, day or None) if span is not None else None
        base_right += base is not None and base.startswith(gold)
        coded += code is not None
        ok = code is not None and code.startswith(gold)
        right += ok
        if not ok and len(misses) < int(os.environ.get("ACTORS_MISSES", "15")):
            misses.append(f"{text!r}: gold {gold}, got {code}")
    n = len(actors)
    listed = sum(len(r[side]) for r in records for side in ("source", "target") if isinstance(r.get(side), list))
    print(f"PLOVER gold actors: {n} of {listed} listed (those whose text is found in their sentence)")
    print(f"  coded: {coded}/{n} = {coded / n:.3f}; right (code starts with gold): {right}/{n} = {right / n:.3f}; "
          f"precision of coded: {right / max(coded, 1):.3f}")
    print(f"  baseline, first gazetteer name in the phrase: right {base_right}/{n} = {base_right / n:.3f}")
    print("  some misses: " + "; ".join(misses))
    return {"n": n, "coverage": coded / n, "accuracy": right / n}


def petrarch_records() -> list[tuple[str, str, set[str]]]:
    """(text, ISO date, actor codes of its events) of the PETRARCH-2 validation records."""
    import re

    raw = PETR_VALIDATION.read_text(encoding="utf-8")
    out = []
    for block in raw.split("<Sentence ")[1:]:
        date = re.search(r'date="(\d{8})"', block)
        text = re.search(r"<Text>(.*?)</Text>", block, re.DOTALL)
        codes = {c for pair in re.findall(r'sourcecode="([^"]*)" targetcode="([^"]*)"', block) for c in pair}
        codes = {c for c in codes if c and c != "---"}
        if text and codes:
            day = date.group(1) if date else ""
            iso = f"{day[:4]}-{day[4:6]}-{day[6:]}" if day else ""
            out.append((" ".join(text.group(1).split()), iso, codes))
    return out


def petrarch_agreement(nlp) -> None:
    """Full actor codes (USAGOV, GEOOPP, ---LEG) of PETRARCH-2's own validation events: share of
    them that code_span gives some noun chunk or entity of the sentence (a recall: the events pick
    a few of the phrases), against the first-name baseline on the same phrases."""
    from wirescope.analysis.actors import code_span

    records = petrarch_records()
    found = base_found = total = predicted = 0
    for (_text, day, gold), doc in zip(records, nlp.pipe([r[0] for r in records])):
        phrases = list(doc.noun_chunks) + list(doc.ents)
        codes = {code_span(p, when=day or None) for p in phrases} - {None}
        base = {first_name_code(p, day or None) for p in phrases} - {None}
        total += len(gold)
        found += len(gold & codes)
        base_found += len(gold & base)
        predicted += len(codes)
    print(f"PETRARCH-2 validation records: {len(records)} sentences, {total} gold actor codes (full codes)")
    print(f"  found among the sentence's phrase codes: {found}/{total} = {found / total:.3f} "
          f"({predicted / len(records):.1f} distinct codes per sentence); "
          f"baseline first name: {base_found}/{total} = {base_found / total:.3f}")


def sample_cost(nlp, repeats: int = 20) -> None:
    """code_actors against the parse on the canonical sample page, parsed ``repeats`` times."""
    from wirescope.prepare import prepare_page
    from wirescope.records import RawPage
    from wirescope.settings import make_settings

    page = SHARED / "samples" / "wire-page-us-hamas-talks.txt"
    raw = RawPage(source=str(page), data=page.read_text(encoding="utf-8"))
    text = prepare_page(raw, make_settings()).analysed_text()
    started = time.perf_counter()
    docs = [nlp(text) for _ in range(repeats)]
    parse_s = time.perf_counter() - started
    actors_s = time_code_actors(docs)
    print(f"Sample page, {repeats} parses: parse {parse_s / repeats * 1000:.1f} ms, code_actors "
          f"{actors_s / repeats * 1000:.2f} ms = {actors_s / parse_s:.3f} x the parse")


def time_code_actors(docs) -> float:
    """Seconds `code_actors` takes over the parsed docs (entities extracted beforehand, untimed)."""
    from wirescope.analysis.actors import code_actors
    from wirescope.analysis.entities import extract_entities

    entities = [extract_entities(d) for d in docs]
    started = time.perf_counter()
    for doc, ents in zip(docs, entities):
        code_actors(doc, ents)
    return time.perf_counter() - started


def cost(nlp, limit: int) -> None:
    from wirescope.analysis.actors import code_span

    files = sorted((POLNEAR / "train" / "text").glob("*.txt"))[:limit]
    texts = [f.read_text(encoding="utf-8") for f in files]

    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    parse_s = time.perf_counter() - started
    actors_s = time_code_actors(docs)

    chunks = [c for d in docs for c in d.noun_chunks]
    started = time.perf_counter()
    for chunk in chunks:
        code_span(chunk)
    span_s = time.perf_counter() - started
    sentences = sum(1 for d in docs for _ in d.sents)
    print(f"Cost on {len(docs)} PolNeAR train texts ({sentences} sentences), one process:")
    print(f"  parse {parse_s:.2f} s; code_actors {actors_s:.3f} s = {actors_s / parse_s:.3f} x the parse "
          f"({sentences / actors_s:,.0f} sentences/s)")
    print(f"  code_span on {len(chunks)} noun chunks: {span_s:.3f} s ({len(chunks) / span_s:,.0f} chunks/s, "
          f"{span_s / parse_s:.3f} x the parse)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="actor coding benchmark")
    parser.add_argument("--limit", type=int, default=200, help="PolNeAR texts for the timing")
    args = parser.parse_args(argv)
    if not PLOVER.is_file() or not POLNEAR.is_dir():
        print(f"SKIP: shared data not found under {SHARED}")
        return 0
    from wirescope.analysis.actors import load_gazetteer
    from wirescope.analysis.nlp import load_nlp

    nlp = load_nlp()
    started = time.perf_counter()
    gaz = load_gazetteer()
    print(f"gazetteer: {len(gaz.actors):,} actor names, {len(gaz.agents):,} role words, "
          f"loaded in {time.perf_counter() - started:.2f} s (once per process)")
    accuracy(nlp)
    if PETR_VALIDATION.is_file():
        petrarch_agreement(nlp)
    sample_cost(nlp)
    cost(nlp, args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
