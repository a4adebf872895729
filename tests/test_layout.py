"""The layout gates of docs/architecture.md: modules fit in 600 lines, functions on a screen (60),
and each package imports only the packages its stage may use."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "wirescope"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60

# What each stage may import from the project (besides records, errors and settings, which
# everything may use). A page moves left to right; nothing reaches back to a later stage.
ALLOWED_IMPORTS: dict[str, set[str]] = {
    "io": {"io"},
    "segment": {"segment"},
    "analysis": {"analysis"},
    "storage": {"storage", "io"},
    "stories": {"stories", "storage", "io"},
    # The server runs the collector in a thread and analyses in the page runner's worker processes.
    "serve": {"serve", "storage", "stories", "pipeline", "runner", "collect", "io"},
    "cli": {"cli", "storage", "stories", "pipeline", "prepare", "runner", "ingest", "io", "analysis", "serve",
            "backfill", "collect"},
    # The collector fetches (io), analyses (pipeline) and stores (storage, stories) as ingest does.
    "collect": {"collect", "pipeline", "prepare", "runner", "io", "storage", "stories"},
    # Ray workers load the models once (analysis), run the pipeline, write through storage, and
    # the load groups stories.
    "backfill": {"backfill", "pipeline", "io", "analysis", "storage", "stories"},
}
SHARED_MODULES = {"records", "errors", "settings", "resource_cache"}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_module_fits_the_limit(path: Path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{_name(path)} has {lines} lines (limit {MAX_MODULE_LINES})"


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_functions_fit_on_a_screen(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines, line {node.lineno})"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{_name(path)}: {', '.join(long)}"


def _project_imports(tree: ast.AST) -> set[str]:
    """The first part below ``wirescope`` of every project import ("wirescope.storage.x" -> storage)."""
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names if node.module == "wirescope"]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        found |= {n.split(".")[1] for n in names if n.startswith("wirescope.")}
    return found


@pytest.mark.parametrize("stage", sorted(ALLOWED_IMPORTS))
def test_stages_import_only_what_they_may(stage: str):
    offenders = []
    for path in sorted((PACKAGE / stage).rglob("*.py")):
        used = _project_imports(ast.parse(path.read_text(encoding="utf-8")))
        extra = used - ALLOWED_IMPORTS[stage] - SHARED_MODULES - {"__version__"}
        if extra:
            offenders.append(f"{_name(path)} imports {sorted(extra)}")
    assert not offenders, "; ".join(offenders)
