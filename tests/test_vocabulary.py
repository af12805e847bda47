"""One vocabulary: every word list (categories, statuses, event kinds, document kinds, genres, how a document was
found, languages, countries) is declared once, in `tracker/domain.py`; a module that spells two or more of one list's
words out in a tuple, list or set of its own declares the list again, and fails here. Mappings (a word -> its colour,
its label) are not lists and pass. Also: no two classes of the packages share a name."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path
from typing import get_args

from crawlers.types import FoundVia as CrawledVia
from tracker import domain

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("tracker", "dashboards", "planvakt")

VOCABULARIES: dict[str, frozenset[str]] = {
    "categories": frozenset(domain.CATEGORIES),
    "statuses": frozenset(domain.STATUSES),
    "event kinds": frozenset(domain.EVENT_KINDS),
    "document kinds": frozenset(kind.value for kind in domain.DocumentKind),
    "genres": frozenset(genre.value for genre in domain.Genre),
    "found via": frozenset(via.value for via in domain.FoundVia),
    "languages": frozenset(domain.LANGUAGES),
    "countries": frozenset(domain.COUNTRIES),
}


def _redeclared(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Tuple | ast.List | ast.Set):
            continue
        words = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
        found += [f"line {node.lineno}: {name}" for name, vocabulary in VOCABULARIES.items()
                  if len(words & vocabulary) >= 2]  # fmt: skip
    return found


def _modules() -> list[Path]:
    return [p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))]


def test_no_word_list_is_declared_outside_the_domain() -> None:
    offenders = {
        rel: found
        for path in _modules()
        if (rel := str(path.relative_to(ROOT))) != "tracker/domain.py"
        and (found := _redeclared(path))
    }  # fmt: skip
    assert offenders == {}


def test_the_scan_finds_a_list_declared_again(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('KINDS = ("plan_appeared", "plan_vanished")\nSHAPES = {"no_plan_found": "square"}\n')
    assert _redeclared(module) == ["line 1: event kinds"]


def test_the_crawlers_ways_of_finding_are_the_domains() -> None:
    """`crawlers` cannot import the domain: its `FoundVia` literal must name the same words (a tip is ours only)."""
    assert set(get_args(CrawledVia)) == {via.value for via in domain.FoundVia} - {domain.FoundVia.TIP}


def test_no_two_classes_share_a_name() -> None:
    """Two `Classification`s (the domain value, the ORM row) were read as one; each class has its own name."""
    where: dict[str, list[str]] = defaultdict(list)
    for path in [*_modules(), *sorted((ROOT / "crawlers").rglob("*.py"))]:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                where[node.name].append(str(path.relative_to(ROOT)))
    shared = {name: paths for name, paths in where.items() if len(paths) > 1}
    assert shared == {}
