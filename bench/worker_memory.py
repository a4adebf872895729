"""Peak memory of one page worker (issue 19, item 6): a PageRunner(1) analyses the sample page and
its worker's VmHWM (peak resident set) is read from /proc. Linux only.

    .venv/bin/python bench/worker_memory.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from wirescope.records import RawPage
from wirescope.runner import PageRunner
from wirescope.settings import Settings

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "wire-page-harbor-talks.txt"


def main() -> int:
    if not Path("/proc/self/status").exists():
        print("SKIP: needs Linux's /proc")
        return 0
    with PageRunner(1) as runner:
        results = list(runner.run([RawPage(str(SAMPLE), SAMPLE.read_text(encoding="utf-8"), content_type="text")],
                                  Settings()))
        status = Path(f"/proc/{runner._workers[0].process.pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if line.startswith(("VmHWM", "VmRSS")))
    print(f"{type(results[0]).__name__} of the sample page; worker peak (VmHWM) {fields['VmHWM'].strip()}, "
          f"now {fields['VmRSS'].strip()} ({sys.executable})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
