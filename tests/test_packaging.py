"""An installed Planvakt (a wheel, not the checkout) creates and upgrades its own database.

`pip install .` once gave a `planvakt` whose `db upgrade` failed with "Path doesn't exist: .../site-packages/
migrations": the migrations were not in the distribution. Here the wheel is built from a copy of the sources,
installed into a folder of its own, and run from elsewhere with the checkout out of reach (`python -S`: no .pth
files, so not the editable install either).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCES = ("planvakt", "tracker", "crawlers", "dashboards", "migrations", "pyproject.toml", "README.md")

pytestmark = pytest.mark.slow


def _build_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, source / name)
    out = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", str(source), "-w", out],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("planvakt-*.whl")
    return wheel


def test_the_wheel_carries_the_migrations_and_an_installed_planvakt_upgrades_a_database(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    versions = sorted(p.name for p in (REPO / "migrations" / "versions").glob("*.py"))
    assert {"migrations/env.py", "migrations/script.py.mako"} <= names
    assert {f"migrations/versions/{v}" for v in versions} <= names
    # the overview's map reads its vendored geodata through the package, never from the checkout
    assert {"dashboards/geodata/nordic.json", "dashboards/templates/_dot_map.html"} <= names

    installed = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", installed, wheel],
        check=True,
        capture_output=True,
    )
    database = tmp_path / "elsewhere" / "planvakt.sqlite3"
    database.parent.mkdir()
    program = (
        "import sys; sys.path[:0] = sys.argv[1:3]; del sys.argv[1:3]; sys.argv[0] = 'planvakt'; "
        "import planvakt, tracker; assert all(m.__file__.startswith(sys.path[0]) for m in (planvakt, tracker)); "
        "from planvakt.cli import app; app()"
    )
    libraries = sysconfig.get_paths()["purelib"]  # the dependencies, from this environment
    upgraded = subprocess.run(
        [sys.executable, "-S", "-c", program, str(installed), libraries, "db", "upgrade", "--db",
         f"sqlite:///{database}"],
        cwd=database.parent,
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    with sqlite3.connect(database) as connection:
        (revision,) = connection.execute("select version_num from alembic_version").fetchone()
        tables = {row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")}
    assert revision == versions[-1].split("_", 1)[0]
    assert {"kommune", "site_check", "document", "sighting"} <= tables
