"""Shared pytest fixtures."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from feed_site import Site

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared data folder (or $WIRESCOPE_SHARED); skips the test when it is absent."""
    path = Path(os.environ.get("WIRESCOPE_SHARED") or REPO_ROOT.parent / "shared")
    if not path.is_dir():
        pytest.skip(f"shared data folder not found at {path} (set WIRESCOPE_SHARED)")
    return path


@pytest.fixture(scope="session")
def sample_analysis(shared_dir: Path):
    """The analysis of the shared sample page (parsed once per test session)."""
    from wirescope import analyze

    path = shared_dir / "samples" / "wire-page-us-hamas-talks.txt"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    return analyze(path)


@pytest.fixture
def make_site() -> Iterator[Callable[..., Site]]:
    """Local fictional web sites (tests/feed_site.py), closed after the test."""
    sites: list[Site] = []

    def make(delay_s: float = 0.0) -> Site:
        sites.append(Site(delay_s))
        return sites[-1]

    yield make
    for site in sites:
        site.close()


# Debian's Chromium, never a downloaded browser; one launch per test module.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent (install Debian's chromium: make setup does)")
    playwright_api = pytest.importorskip("playwright.sync_api",
                                         reason="playwright is not installed (pip install '.[test]')")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
