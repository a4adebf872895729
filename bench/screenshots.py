"""Regenerate docs/screenshots/*.png: runs the browser tests with WIRESCOPE_SCREENSHOTS set.

    python bench/screenshots.py            # needs /usr/bin/chromium (make chromium) and playwright

Exits 0 with a message when Chromium is absent, like the benchmarks without their data.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "screenshots"


def main() -> int:
    if not Path("/usr/bin/chromium").exists():
        print("SKIP: /usr/bin/chromium is absent (make chromium installs Debian's package)")
        return 0
    env = {**os.environ, "WIRESCOPE_SCREENSHOTS": str(TARGET)}
    src = str(ROOT / "src")
    env["PYTHONPATH"] = src + os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else src
    # test_web_live.py: the collector, alerts and live lists, against a server that collects from a local site;
    # test_web_a11y.py: views at a phone's width (390 px) and the document page used by keyboard.
    tests = [str(ROOT / "tests" / name) for name in ("test_web.py", "test_web_live.py", "test_web_a11y.py")]
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", *tests], cwd=ROOT, env=env, check=False)
    print(f"screenshots in {TARGET}: {', '.join(sorted(p.name for p in TARGET.glob('*.png')))}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
