"""Throughput: pages/s end to end (read, decode, segment, parse, entities, store) against the bare
spaCy parse of the same texts (the model as spaCy loads it), with 1 and 2 workers, in one run.

    .venv/bin/python bench/throughput.py            # all 924 PolNeAR train+dev texts
    .venv/bin/python bench/throughput.py --limit 100
    .venv/bin/python bench/throughput.py --fast-bias   # sentence bias by the static model alone
    .venv/bin/python bench/throughput.py --events-share --workers 1   # + the event coder's share

--events-share times the event coder (the learned tagger and the rules, as ingest runs them) over the
same texts, parsed once, and reports it as a share of the 1-worker end-to-end time (issue 15:
events at or under 10% of end-to-end time with the learned stage on).

Beside wall time, each row gives CPU seconds (this process, its finished children and the page workers,
read from /proc): on a shared, loaded machine the wall-time ratio swings from run to run, the CPU-time
ratio much less.

Needs ../shared (or WIRESCOPE_SHARED); prints SKIP and exits 0 without it.
Target (issue 2): end to end <= 1.3x the time of the bare parse.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

    from wirescope.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WIRESCOPE_SHARED", ROOT.parent / "shared"))
POLNEAR = SHARED / "data" / "quotes" / "polnear"


def polnear_files(limit: int | None) -> list[Path]:
    files = sorted((POLNEAR / "train" / "text").glob("*.txt")) + sorted((POLNEAR / "dev" / "text").glob("*.txt"))
    return files[:limit] if limit else files


def cpu_seconds(pids: Sequence[int] = ()) -> float:
    """CPU seconds of this process, of its children that have ended, and of the running processes ``pids``."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return total


@functools.cache
def stock_nlp() -> Language:
    """The model as spaCy loads it: the floor's pipeline."""
    import spacy

    from wirescope.analysis.nlp import MODEL_NAME

    return spacy.load(MODEL_NAME)


def bare_parse(texts: list[str], workers: int, batch_size: int, stock: bool = True) -> tuple[float, float]:
    """Wall and CPU seconds of nlp.pipe over the texts (its worker processes end with it): the model as
    spaCy loads it (the floor), or as the project runs it (``stock=False``: ``load_nlp``, whose
    attribute rules are applied by lookup, identical annotations; RESULTS 15f)."""
    from wirescope.analysis.nlp import load_nlp

    nlp = stock_nlp() if stock else load_nlp()
    started, cpu = time.perf_counter(), cpu_seconds()
    for _ in nlp.pipe(texts, batch_size=batch_size, n_process=workers):
        pass
    return time.perf_counter() - started, cpu_seconds() - cpu


def end_to_end(files: list[Path], workers: int, batch_size: int, contextual_bias: bool = True,
               page_timeout_s: float | None = None) -> tuple[float, float, dict[str, int]]:
    """Wall and CPU seconds of ingesting the files (this process and its page workers), and the counts stored."""
    from wirescope.ingest import ingest
    from wirescope.settings import make_settings
    from wirescope.storage.store import Store

    # Files are copied into one directory so that the run reads a directory, as a user would.
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages"
        pages.mkdir()
        for f in files:
            shutil.copy(f, pages / f.name)
        db = Path(tmp) / "bench.duckdb"
        settings = make_settings(workers=workers, batch_size=batch_size, contextual_bias=contextual_bias,
                                 page_timeout_s=page_timeout_s)
        if settings.page_timeout_s > 0:  # the worker processes' start (a model load each) is not timed
            from wirescope.pipeline import WARM_UP_PAGE, analyze_pages
            from wirescope.records import RawPage

            list(analyze_pages([RawPage("<warm-up>", WARM_UP_PAGE, content_type="text")], settings))
        pids = _page_worker_pids(settings)
        started, cpu = time.perf_counter(), cpu_seconds(pids)
        report = ingest([str(pages)], db, settings)
        elapsed, cpu = time.perf_counter() - started, cpu_seconds(pids) - cpu
        with Store(db, read_only=True) as store:
            counts = store.counts()
    counts["failed"] = len(report.failed)
    return elapsed, cpu, counts


def _page_worker_pids(settings: Settings) -> list[int]:
    """The process ids of the page runner's workers (none when pages are analysed in this process)."""
    from wirescope.runner import shared_runner

    if settings.page_timeout_s <= 0:
        return []
    return [worker.process.pid for worker in shared_runner(settings.workers)._workers]


def events_time(texts: list[str]) -> dict[str, float]:
    """Seconds of the event coder over the texts (combined and rules alone), given their parse."""
    from wirescope.analysis.actors import code_actors
    from wirescope.analysis.entities import extract_entities
    from wirescope.analysis.events import code_events
    from wirescope.analysis.events.learned import load_tagger
    from wirescope.analysis.nlp import load_nlp
    from wirescope.analysis.quotes import extract_quotes

    load_tagger()  # loading the model is start-up, not per page
    prepared = []
    for doc in load_nlp().pipe(texts, batch_size=32):
        entities = code_actors(doc, extract_entities(doc))
        prepared.append((doc, entities, extract_quotes(doc, entities)))
    out = {}
    for coder in ("combined", "rules"):
        started = time.perf_counter()
        for doc, entities, quotes in prepared:
            code_events(doc, entities, quotes, coder=coder)
        out[coder] = time.perf_counter() - started
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="Use only the first N texts.")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--fast-bias", action="store_true", help="as `wirescope ingest --fast-bias`")
    parser.add_argument("--events-share", action="store_true", help="also time the event coder alone")
    parser.add_argument("--project-parse-too", action="store_true",
                        help="also time the parse as the project runs it (load_nlp) beside spaCy's (the floor)")
    parser.add_argument("--in-process-too", action="store_true",
                        help="also time end to end analysed in the calling process (--page-timeout 0: no worker "
                             "processes, no page budget)")
    args = parser.parse_args()
    if not POLNEAR.exists():
        print(f"SKIP: {POLNEAR} not found (set WIRESCOPE_SHARED)")
        return 0
    files = polnear_files(args.limit)
    texts = [f.read_text(encoding="utf-8") for f in files]
    words = sum(len(t.split()) for t in texts)
    from wirescope.analysis.nlp import load_nlp

    load_nlp()  # model load is not part of either timing
    stock_nlp()
    rows = []
    for workers in args.workers:
        bare, bare_cpu = bare_parse(texts, workers, args.batch_size)
        ours = None
        if args.project_parse_too:
            ours, _ = bare_parse(texts, workers, args.batch_size, stock=False)
            print(f"workers={workers}: the project's parse {ours:.1f}s ({len(files) / ours:.2f} pages/s) against "
                  f"spaCy's {bare:.1f}s ({len(files) / bare:.2f} pages/s)", file=sys.stderr)
        e2e, e2e_cpu, counts = end_to_end(files, workers, args.batch_size, contextual_bias=not args.fast_bias)
        if args.in_process_too:
            here, _, _ = end_to_end(files, workers, args.batch_size, contextual_bias=not args.fast_bias,
                                 page_timeout_s=0)
            print(f"workers={workers}: in process (no page budget) {here:.1f}s, ratio {here / bare:.2f}",
                  file=sys.stderr)
        rows.append({
            "workers": workers, "pages": len(files), "words": words,
            "bare_parse_s": round(bare, 2), "bare_pages_per_s": round(len(files) / bare, 2),
            "end_to_end_s": round(e2e, 2), "end_to_end_pages_per_s": round(len(files) / e2e, 2),
            "ratio": round(e2e / bare, 3), "stored": counts,
            "bare_cpu_s": round(bare_cpu, 2), "end_to_end_cpu_s": round(e2e_cpu, 2),
            "cpu_ratio": round(e2e_cpu / bare_cpu, 3),
            "project_parse_pages_per_s": round(len(files) / ours, 2) if ours else None,
        })
        print(f"workers={workers}: bare parse {bare:.1f}s, end to end {e2e:.1f}s, ratio {e2e / bare:.2f}; "
              f"CPU {bare_cpu:.1f}s against {e2e_cpu:.1f}s, ratio {e2e_cpu / bare_cpu:.2f}", file=sys.stderr)
    mode = "static sentence bias only (--fast-bias)" if args.fast_bias else "every layer on"
    print(f"\nThroughput on {len(files)} PolNeAR texts ({words} words), 2-core machine, {mode}\n")
    print("| workers | bare nlp.pipe pages/s | end to end pages/s | end-to-end / bare time "
          "| end-to-end / bare CPU time | documents stored | failed |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['workers']} | {r['bare_pages_per_s']} | {r['end_to_end_pages_per_s']} | {r['ratio']} "
              f"| {r['cpu_ratio']} | {r['stored']['documents']} | {r['stored']['failed']} |")
    one_worker = next((r for r in rows if r["workers"] == 1), None)
    if args.events_share and one_worker is not None:
        timed = events_time(texts)
        share = timed["combined"] / one_worker["end_to_end_s"]
        print(f"\nEvent coder over the same {len(files)} texts (given the parse): learned + rules "
              f"{timed['combined']:.2f} s = {100 * share:.1f}% of the 1-worker end-to-end time; rules alone "
              f"{timed['rules']:.2f} s = {100 * timed['rules'] / one_worker['end_to_end_s']:.1f}%")
        one_worker["events_s"] = {k: round(v, 2) for k, v in timed.items()}
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"throughput{'_fast_bias' if args.fast_bias else ''}.json").write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
