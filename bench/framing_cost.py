"""Cost of the framing layer next to the parse, and what it flags on real wire copy.

    .venv/bin/python bench/framing_cost.py              # 200 PolNeAR train texts
    .venv/bin/python bench/framing_cost.py --limit 50

On the same parsed docs, in one process: the bare spaCy parse (nlp.pipe), then find_framing
without the sentence bias classifier and with it (one batch per document). Ratios are framing
time over parse time. Also counts what the lexicon and the claim rules flag on PolNeAR (US
political news from wire services and newspapers, 2016): most of it is straight news, so the
flags per article and the most frequent flags show where the rules are noisy.

Needs ../shared (or WIRESCOPE_SHARED); prints SKIP and exits 0 without it.
Target (issue 5): framing adds at most 25% to end-to-end time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WIRESCOPE_SHARED", ROOT.parent / "shared"))
POLNEAR = SHARED / "data" / "quotes" / "polnear"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=200, help="PolNeAR train texts to use")
    parser.add_argument("--top", type=int, default=15, help="most frequent flags to list per kind")
    args = parser.parse_args()
    files = sorted((POLNEAR / "train" / "text").glob("*.txt"))[: args.limit]
    if not files:
        print(f"SKIP: no PolNeAR texts under {POLNEAR}")
        return 0

    from wirescope.analysis.entities import extract_entities
    from wirescope.analysis.framing.spans import find_framing
    from wirescope.analysis.nlp import load_nlp
    from wirescope.analysis.quotes import extract_quotes

    texts = [f.read_text(encoding="utf-8") for f in files]
    nlp = load_nlp()
    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    parse = time.perf_counter() - started
    layers = [(doc, *_layers(doc, extract_entities, extract_quotes)) for doc in docs]

    # Resources load once per process, as in a run; that one-off cost is reported separately.
    started = time.perf_counter()
    find_framing(docs[0], layers[0][1], layers[0][2])
    load = time.perf_counter() - started

    timings = {}
    results = {}
    for score_bias in (False, True):
        started = time.perf_counter()
        results[score_bias] = [find_framing(doc, ents, quotes, score_bias=score_bias) for doc, ents, quotes in layers]
        timings[score_bias] = time.perf_counter() - started

    words = sum(len(doc) for doc in docs)
    print(f"{len(docs)} PolNeAR train texts, {words} tokens; parse {parse:.2f} s "
          f"({len(docs) / parse:.1f} texts/s); resources load once: {load:.2f} s")
    print(f"framing without sentence bias: {timings[False]:.2f} s = {timings[False] / parse:.1%} of the parse")
    print(f"framing with sentence bias:    {timings[True]:.2f} s = {timings[True] / parse:.1%} of the parse")

    found = [f for result in results[True] for f in result]
    kinds = Counter(f.kind for f in found)
    outlet = Counter(f.kind for f in found if not f.in_quote)
    print("\nper article (outlet voice / all):")
    for kind in ("loaded_term", "loaded_attribution", "unattributed_claim", "biased_sentence"):
        print(f"  {kind:<20} {outlet[kind] / len(docs):.2f} / {kinds[kind] / len(docs):.2f}")
    for kind in ("loaded_term", "loaded_attribution", "unattributed_claim"):
        label = (lambda f: f.category) if kind == "unattributed_claim" else (lambda f: f.text.lower())
        common = Counter(label(f) for f in found if f.kind == kind and not f.in_quote).most_common(args.top)
        print(f"\nmost frequent outlet-voice {kind}: " + ", ".join(f"{k} {n}" for k, n in common))
    return 0


def _layers(doc, extract_entities, extract_quotes):
    entities = extract_entities(doc)
    return entities, extract_quotes(doc, entities)


if __name__ == "__main__":
    sys.exit(main())
