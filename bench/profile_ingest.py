"""Where ingest spends its time: cProfile of `wirescope.ingest` over PolNeAR dev texts, one worker.

    .venv/bin/python bench/profile_ingest.py            # the first 80 dev texts, top 40 functions
    .venv/bin/python bench/profile_ingest.py --limit 20 --top 20

A warm-up analysis (model and resources loaded) is excluded. Needs ../shared (or WIRESCOPE_SHARED);
prints SKIP and exits 0 without it.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WIRESCOPE_SHARED", ROOT.parent / "shared"))
DEV_TEXTS = SHARED / "data" / "quotes" / "polnear" / "dev" / "text"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=80)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    if not DEV_TEXTS.is_dir():
        print(f"SKIP: {DEV_TEXTS} not found")
        return 0
    import wirescope
    from wirescope.ingest import ingest

    files = [str(p) for p in sorted(DEV_TEXTS.glob("*.txt"))[: args.limit]]
    wirescope.analyze(Path(files[0]))  # warm-up: spaCy, lexicons, models
    with tempfile.TemporaryDirectory() as tmp:
        profile = cProfile.Profile()
        profile.enable()
        ingest(files, Path(tmp) / "profile.duckdb", wirescope.Settings(workers=1))
        profile.disable()
    pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
