"""Data flows one way: registry → crawl → classify → store → export. Checked on the import graph itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PURE_TRACKER_MODULES = (
    "classify",
    "findings",
    "plan_years",
    "language",
    "domain",
    "changes",
    "criteria",
    "document_kind",
    "accessibility",
    "reading",
    "messages",
    "letters",
    "review",
)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "crawlers").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_crawlers_never_import_tracker_or_dashboards(path: Path) -> None:
    bad = {name for name in _imports(path) if name.split(".")[0] in ("tracker", "dashboards")}
    assert not bad, f"{path.name} imports {bad}"


#: the address guard is the one piece of `crawlers` that is not crawling: alert targets go through it too
ADDRESS_GUARD_MODULES = {"crawlers.netguard", "crawlers.errors"}


def test_only_the_pipeline_and_composition_roots_import_crawlers() -> None:
    allowed = {"pipeline.py", "cli.py", "schedule.py", "tips.py"}  # composition roots and pipelines
    offenders = {
        p.name: sorted(crawling)
        for p in (ROOT / "tracker").glob("*.py")
        if p.name not in allowed
        and (crawling := {n for n in _imports(p) if n.split(".")[0] == "crawlers"} - ADDRESS_GUARD_MODULES)
    }
    assert offenders == {}


@pytest.mark.parametrize("module", PURE_TRACKER_MODULES)
def test_pure_core_does_no_io(module: str) -> None:
    imported = _imports(ROOT / "tracker" / f"{module}.py")
    io_modules = {"sqlalchemy", "httpx", "crawlers", "tracker.storage", "tracker.models", "os", "socket", "requests"}
    assert not {name for name in imported if name in io_modules or name.split(".")[0] in io_modules}
