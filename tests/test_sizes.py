"""Size: no module over 400 lines and no function over 60 lines outside the tests (issue 11). A module or function
past the limit is split by concept, as crawlers/site.py, tracker/genre.py and tracker/store/models.py were."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("planvakt", "tracker", "crawlers", "dashboards")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _sizes() -> tuple[dict[str, int], dict[str, int]]:
    modules: dict[str, int] = {}
    functions: dict[str, int] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = str(path.relative_to(ROOT))
            text = path.read_text(encoding="utf-8")
            modules[rel] = len(text.splitlines())
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
                    functions[f"{rel}::{node.name}"] = max(
                        functions.get(f"{rel}::{node.name}", 0), node.end_lineno - node.lineno + 1
                    )
    return modules, functions


def _over(sizes: dict[str, int], limit: int) -> dict[str, str]:
    return {name: f"{size} lines (limit {limit}): split it by concept" for name, size in sizes.items() if size > limit}


def test_no_module_is_over_400_lines() -> None:
    modules, _ = _sizes()
    assert len(modules) > 100  # the scan found the packages
    assert _over(modules, MAX_MODULE_LINES) == {}


def test_no_function_is_over_60_lines() -> None:
    _, functions = _sizes()
    assert _over(functions, MAX_FUNCTION_LINES) == {}


def test_the_check_names_what_is_too_long() -> None:
    assert _over({"big.py": 401, "small.py": 400}, 400) == {"big.py": "401 lines (limit 400): split it by concept"}
