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
    # the scheduler's root and the pipelines (worker.py: one site's, as a queue job); planvakt/ is above;
    # ingest.py and site_check.py store what the crawlers fetched and read, for the pipelines and tips
    allowed = {"pipeline.py", "site_check.py", "schedule.py", "tips.py", "worker.py", "ingest.py"}
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
    # the store package as a whole: its models (tracker/store/models.py) as much as the modules that query
    io_modules = {"sqlalchemy", "httpx", "crawlers", "tracker.store", "os", "socket", "requests"}
    assert not {name for name in imported if any(name == m or name.startswith(f"{m}.") for m in io_modules)}


BELOW_THE_COMMAND = ("tracker", "crawlers", "dashboards")


def _modules(*packages: str) -> list[Path]:
    return sorted(p for package in packages for p in (ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", _modules(*BELOW_THE_COMMAND), ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_below_the_command_imports_it(path: Path) -> None:
    """`planvakt/` is the composition root: it imports tracker, crawlers and dashboards, never the other way."""
    bad = {name for name in _imports(path) if name.split(".")[0] == "planvakt"}
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("path", _modules("tracker"), ids=lambda p: str(p.relative_to(ROOT)))
def test_tracker_never_imports_dashboards(path: Path) -> None:
    """dashboards imports tracker; the way back would be a package-level cycle (serving lives in planvakt/)."""
    bad = {name for name in _imports(path) if name.split(".")[0] == "dashboards"}
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def _imported_names(path: Path) -> set[str]:
    """Modules and the names taken from them: `from planvakt import cli` gives "planvakt" and "planvakt.cli"."""
    names = _imports(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_subcommands_never_import_the_app_back() -> None:
    """`planvakt.cli` registers the sub-apps; they share `planvakt.options` and `planvakt.wiring`, not its privates."""
    offenders = {
        p.name: sorted(back)
        for p in _modules("planvakt")
        if p.name not in ("cli.py", "__main__.py")
        and (back := {n for n in _imported_names(p) if n == "planvakt.cli" or n.startswith("planvakt.cli.")})
    }
    assert offenders == {}


def test_the_layering_tests_see_modules() -> None:
    """A moved or renamed package must not leave the tests above parametrized over nothing."""
    assert all(_modules(package) for package in (*BELOW_THE_COMMAND, "planvakt"))
