"""Cost of the entity and quote layers against an earlier commit, on the same parsed Docs.

    .venv/bin/python bench/quotes_cost.py [--against REV] [--split dev|train] [--passes N]

Parses the PolNeAR split once, then times ``extract_entities`` + ``extract_quotes`` of this
checkout and of ``REV`` (its ``src`` taken with ``git archive`` into a temporary folder) over the
same Docs, alternating the order pass by pass, in one process: a ratio that machine load moves
little. Prints the parse time next to them. SKIP (exit 0) without ../shared.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

Layer = tuple[Callable[[Any], Any], Callable[[Any, Any], Any]]


def shared_dir() -> Path:
    return Path(os.environ.get("WIRESCOPE_SHARED") or ROOT.parent / "shared")


def load_layers(src: Path) -> Layer:
    """extract_entities and extract_quotes of the wirescope package under ``src``."""
    for name in [m for m in sys.modules if m == "wirescope" or m.startswith("wirescope.")]:
        del sys.modules[name]
    sys.path.insert(0, str(src))
    try:
        entities = importlib.import_module("wirescope.analysis.entities").extract_entities
        quotes = importlib.import_module("wirescope.analysis.quotes").extract_quotes
    finally:
        sys.path.remove(str(src))
    return entities, quotes


def time_layers(layers: Layer, docs: list[Any]) -> tuple[float, float]:
    extract_entities, extract_quotes = layers
    spent_entities = spent_quotes = 0.0
    for doc in docs:
        t0 = time.perf_counter()
        entities = extract_entities(doc)
        t1 = time.perf_counter()
        extract_quotes(doc, entities)
        spent_entities += t1 - t0
        spent_quotes += time.perf_counter() - t1
    return spent_entities, spent_quotes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", default="233a652")
    parser.add_argument("--split", choices=("dev", "train"), default="dev")
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    folder = shared_dir() / "data/quotes/polnear" / args.split
    if not folder.is_dir():
        print(f"SKIP: {folder} not found")
        return 0
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.against, "src"],
                             capture_output=True, check=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        old = load_layers(Path(tmp) / "src")
        new = load_layers(ROOT / "src")
        from wirescope.analysis.nlp import load_nlp

        sys.path.insert(0, str(ROOT / "bench"))
        from polnear import load_split

        texts = [a.text for a in load_split(folder, None)]
        started = time.perf_counter()
        docs = list(load_nlp().pipe(texts, batch_size=32))
        parse = time.perf_counter() - started
        totals = {"old": [0.0, 0.0], "new": [0.0, 0.0]}
        for n in range(args.passes):
            for name in (("old", "new") if n % 2 == 0 else ("new", "old")):
                spent = time_layers(old if name == "old" else new, docs)
                totals[name][0] += spent[0]
                totals[name][1] += spent[1]
    old_e, old_q = (x / args.passes for x in totals["old"])
    new_e, new_q = (x / args.passes for x in totals["new"])
    print(f"PolNeAR {args.split}: {len(docs)} Docs, parse {parse:.1f} s")
    print(f"entities: {args.against} {old_e:.3f} s, this checkout {new_e:.3f} s ({new_e / old_e:.2f}x)")
    print(f"quotes:   {args.against} {old_q:.3f} s ({old_q / parse:.1%} of the parse), "
          f"this checkout {new_q:.3f} s ({new_q / parse:.1%} of the parse, {new_q / old_q:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
