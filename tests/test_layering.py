"""Data flows one way: registry → crawl → classify → store → export. Checked on the import graph itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PURE_TRACKER_MODULES = (
    "reading/__init__",
    "reading/classify",
    "reading/plan_years",
    "reading/language",
    "reading/criteria",
    "reading/document_kind",
    "reading/accessibility",
    "reading/themes",
    "findings",
    "domain",
    "watch/changes",
    "watch/change_detector",
    "watch/text_identity",
    "watch/plan_diff",
    "alerts/messages",
    "volunteers/letters",
    "volunteers/review",
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
    # the scheduler's root (schedule/__init__.py, schedule/scheduler_process.py) and the pipelines
    # (schedule/worker.py: one site's, as a queue job; finished_sites.py: the in-process pipeline's finished sites);
    # planvakt/ is above; ingest.py and site_check.py store what the crawlers fetched and read, for the pipelines and
    # tips (volunteers/tips.py); blobs.py (the evidence store) says what an archived copy is by the crawler's own
    # sniffing, for the dashboard. Paths relative to tracker/, its subpackages included.
    allowed = {
        *("pipeline.py", "finished_sites.py", "site_check.py", "schedule/__init__.py", "schedule/scheduler_process.py"),
        *("volunteers/tips.py", "schedule/worker.py", "ingest.py", "blobs.py"),
    }
    offenders = {
        rel: sorted(crawling)
        for p in _modules("tracker")
        if (rel := str(p.relative_to(ROOT / "tracker"))) not in allowed
        and (crawling := {n for n in _imports(p) if n.split(".")[0] == "crawlers"} - ADDRESS_GUARD_MODULES)
    }
    assert offenders == {}


@pytest.mark.parametrize("module", PURE_TRACKER_MODULES)
def test_pure_core_does_no_io(module: str) -> None:
    imported = _imports(ROOT / "tracker" / f"{module}.py")
    # the store package as a whole: its models (tracker/store/models/) as much as the modules that query
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


@pytest.mark.parametrize("path", _modules("dashboards"), ids=lambda p: str(p.relative_to(ROOT)))
def test_dashboards_never_import_crawlers(path: Path) -> None:
    """The dashboard reads what tracker stored; what an archived copy is, it asks the evidence store (tracker.blobs)."""
    bad = {name for name in _imports(path) if name.split(".")[0] == "crawlers"}
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


# -- only the store issues SQL (issue 11) -------------------------------------------------------------------------
#
# "Issues SQL", read from the AST (no types: names and receivers, as this codebase writes them):
# - a call of a statement builder imported from sqlalchemy: select, insert, update, delete, text, exists, union,
#   union_all, literal_column, tuple_, case, and any func.<f>(...) or postgresql./sqlite.<f>(...) (dialect inserts);
# - a query or unit-of-work method called on a session or a connection (a receiver named session, connection, conn
#   or cursor, or ending in _session/_connection): execute, scalars, scalar, get, add, add_all, merge, delete,
#   flush, refresh, query, exec_driver_sql, connection.
# Not counted: opening and ending transactions (`session_factory.begin()`, commit, rollback: the caller owns the
# transaction, the store's functions take its Session), `session.get_bind()` (which dialect), type imports
# (Session, sessionmaker), and attribute writes on rows a store function returned (flushed at commit: invisible
# without types). Scope: planvakt, tracker, crawlers, dashboards; tests, bench, scripts and migrations (schema
# scripts) talk to the database directly on purpose.

SQL_BUILDERS = {"select", "insert", "update", "delete", "text", "func", "exists", "union", "union_all",
                "literal_column", "tuple_", "case", "postgresql", "sqlite"}  # fmt: skip
SQL_METHODS = {"execute", "scalars", "scalar", "get", "add", "add_all", "merge", "delete", "flush", "refresh",
               "query", "exec_driver_sql", "connection"}  # fmt: skip
SQL_RECEIVERS = {"session", "connection", "conn", "cursor"}
STORE = "tracker/store/"


def _receiver(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def _sql_calls(source: str) -> list[str]:
    """Each SQL call in `source` as "line: call", by the definition above."""
    tree = ast.parse(source)
    builders = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "sqlalchemy"
        for alias in node.names
        if alias.name in SQL_BUILDERS
    }
    calls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id in builders:
            calls.append(f"{node.lineno}: {node.func.id}()")
        elif isinstance(node.func, ast.Attribute):
            root = node.func.value
            while isinstance(root, ast.Attribute):
                root = root.value
            receiver = _receiver(node.func.value)
            if isinstance(root, ast.Name) and root.id in builders:
                calls.append(f"{node.lineno}: {root.id}.{node.func.attr}()")
            elif (
                node.func.attr in SQL_METHODS
                and receiver is not None
                and (receiver in SQL_RECEIVERS or receiver.endswith(("_session", "_connection")))
            ):
                calls.append(f"{node.lineno}: {receiver}.{node.func.attr}()")
    return sorted(calls, key=lambda call: int(call.split(":")[0]))


def _sql_outside_the_store() -> dict[str, list[str]]:
    found = {}
    for path in _modules(*BELOW_THE_COMMAND, "planvakt"):
        rel = str(path.relative_to(ROOT))
        if not rel.startswith(STORE) and (calls := _sql_calls(path.read_text(encoding="utf-8"))):
            found[rel] = calls
    return found


def test_only_the_store_issues_sql() -> None:
    """Every SQL call outside tracker/store/ as module -> ["line: call"]: put each in a tracker/store/ function."""
    assert _sql_outside_the_store() == {}


def test_the_store_is_where_the_sql_is() -> None:
    """The definition finds the store's own queries: a detector that finds nothing there would pass everything."""
    store = {p.name for p in (ROOT / STORE).glob("*.py") if _sql_calls(p.read_text(encoding="utf-8"))}
    assert {"runs.py", "documents.py", "latest.py", "alerts.py", "watch.py", "statuses.py", "sweep_jobs.py"} <= store


def test_the_sql_scan_sees_builders_and_session_calls_not_lookalikes() -> None:
    source = """
from sqlalchemy import func, select as pick, text
from sqlalchemy.dialects import postgresql
def f(session, db_session, rows, cache, connection):
    session.execute(pick(Row))
    db_session.scalars(text("SELECT 1"))
    session.get(Row, 1)
    session.add(Row())
    connection.execute(postgresql.insert(Row))
    func.count()
    rows.add(1)
    cache.get("key")
    session.get_bind()
    session.commit()
"""
    calls = [call.split(": ")[1] for call in _sql_calls(source)]
    assert calls == [
        "session.execute()", "pick()", "db_session.scalars()", "text()", "session.get()", "session.add()",
        "connection.execute()", "postgresql.insert()", "func.count()",
    ]  # fmt: skip


# -- no import cycles between modules (issue 11) ------------------------------------------------------------------
#
# Two graphs over the modules of planvakt, tracker, crawlers and dashboards. Module level: the imports Python runs
# when a module is first imported (also under a module-level if/try), not those under `if TYPE_CHECKING:` (never
# run). All imports: also those inside functions and classes and under TYPE_CHECKING; a deferred import can hide a
# cycle from the interpreter, not from the design, and none is needed today. Both must be acyclic.

CYCLE_PACKAGES = ("planvakt", "tracker", "crawlers", "dashboards")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_nodes(statements: list[ast.stmt], *, everything: bool) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []
    for node in statements:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test) and not everything:
            continue
        elif isinstance(node, ast.If | ast.Try | ast.With | ast.For | ast.While):
            blocks = [node.body, getattr(node, "orelse", []), getattr(node, "finalbody", [])]
            blocks += [handler.body for handler in getattr(node, "handlers", [])]
            found += [n for block in blocks for n in _import_nodes(block, everything=everything)]
        elif everything and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found += _import_nodes(node.body, everything=everything)
    return found


def _imported_modules(path: Path, modules: set[str], *, everything: bool) -> set[str]:
    """Our modules that `path` imports (a name taken from a package counts as that module when it is one)."""
    this = _module_name(path)
    package = this.split(".") if path.name == "__init__.py" else this.split(".")[:-1]
    targets: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8")).body, everything=everything):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
        targets.update(f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names)
    resolved = set()
    for target in targets:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != this:
            resolved.add(target)
    return resolved


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph.get(module, ())):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while (top := stack.pop()) != module:
                component.append(top)
            if component:
                cycles.append(sorted([module, *component]))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return cycles


def _import_graph(*, everything: bool) -> dict[str, set[str]]:
    paths = _modules(*CYCLE_PACKAGES)
    modules = {_module_name(p) for p in paths}
    return {_module_name(p): _imported_modules(p, modules, everything=everything) for p in paths}


def test_no_import_cycles_at_module_level() -> None:
    assert _cycles(_import_graph(everything=False)) == []


def test_no_import_cycles_even_through_imports_inside_functions() -> None:
    assert _cycles(_import_graph(everything=True)) == []


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": set()}
    assert _cycles(graph) == [["a", "b", "c"]]
    imports = _import_graph(everything=False)
    assert {"tracker.store.models", "tracker.store.latest"} <= imports["tracker.store.runs"]  # not a graph of nothing
    deferred = _import_graph(everything=True)
    assert sum(map(len, deferred.values())) > sum(map(len, imports.values()))  # imports inside functions are seen
