"""Cost of the plain-text segmenter against an earlier commit, on the 181 flattened pages.

    .venv/bin/python bench/segmentation_cost.py [--against REV] [--passes N]

Flattens the article-extraction-benchmark pages once (as bench/segmentation.py part (a)), then
times ``segment_page`` of this checkout and of ``REV`` (its ``src`` taken with ``git archive``
into a temporary folder) over the same texts, alternating the order pass by pass, in one process:
a ratio that machine load moves little. SKIP (exit 0) without ../shared.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from quotes_cost import shared_dir


def load_segmenter(src: Path) -> Callable[[str], list]:
    """segment_page of the wirescope package under ``src``."""
    import importlib

    for name in [m for m in sys.modules if m == "wirescope" or m.startswith("wirescope.")]:
        del sys.modules[name]
    sys.path.insert(0, str(src))
    try:
        return importlib.import_module("wirescope.segment").segment_page
    finally:
        sys.path.remove(str(src))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", default="01867f3")
    parser.add_argument("--passes", type=int, default=4)
    args = parser.parse_args()
    shared = shared_dir()
    if not (shared / "data/extraction/article-extraction-benchmark").is_dir():
        print(f"SKIP: shared data folder not found at {shared} (set WIRESCOPE_SHARED)")
        return 0
    from segmentation import load_extraction_pages

    texts = [text for _, text, _ in load_extraction_pages(shared)]
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.against, "src"],
                             capture_output=True, check=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        segmenters = {args.against: load_segmenter(Path(tmp) / "src"), "this checkout": load_segmenter(ROOT / "src")}
        spent = dict.fromkeys(segmenters, 0.0)
        for n in range(args.passes):
            for name in list(segmenters)[:: 1 if n % 2 == 0 else -1]:
                started = time.perf_counter()
                for text in texts:
                    segmenters[name](text)
                spent[name] += time.perf_counter() - started
    for name, seconds in spent.items():
        print(f"{name}: {seconds / args.passes:.2f} s per pass over {len(texts)} pages")
    print(f"ratio this checkout / {args.against}: {spent['this checkout'] / spent[args.against]:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
