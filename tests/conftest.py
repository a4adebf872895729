"""Shared pytest fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared data folder (or $WIRESCOPE_SHARED); skips the test when it is absent."""
    path = Path(os.environ.get("WIRESCOPE_SHARED") or REPO_ROOT.parent / "shared")
    if not path.is_dir():
        pytest.skip(f"shared data folder not found at {path} (set WIRESCOPE_SHARED)")
    return path
