"""An installed Planvakt (a wheel in a fresh venv, not the checkout) creates its own database and runs the demo.

`pip install .` once gave a `planvakt` whose `db upgrade` failed with "Path doesn't exist: .../site-packages/
migrations": the migrations were not in the distribution. Here the wheel is built from a copy of the sources and
installed into a fresh venv, whose `planvakt` is run from elsewhere with the checkout out of reach: the venv sees
this environment's site-packages only as a path for the dependencies (a `.pth` line, so the editable install's own
`.pth` there is never processed). Issue 11's done-when: then `planvakt db upgrade` and `planvakt demo` work.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawlers.testweb import build_demo_web
from tracker.export import finding_records
from tracker.store import database, latest

REPO = Path(__file__).resolve().parents[1]
SOURCES = ("planvakt", "tracker", "crawlers", "dashboards", "migrations", "pyproject.toml", "README.md")

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path

    def planvakt(self, *args: str, home: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """The venv's `planvakt` entry point, run in `home` with its var dir there and no PLANVAKT_ settings of ours."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PLANVAKT_")}
        env["PLANVAKT_VAR_DIR"] = str(home / "var")
        return subprocess.run(
            [str(self.venv / "bin" / "planvakt"), *args],
            cwd=home,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


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


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    tmp = tmp_path_factory.mktemp("packaging")
    wheel = _build_wheel(tmp)
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, capture_output=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", wheel],
        check=True,
        capture_output=True,
    )
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    imported = subprocess.run(
        [python, "-c", "import planvakt, tracker, crawlers, dashboards as d; print(planvakt.__file__, d.__file__)"],
        cwd=tmp,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert all(path.startswith(site) for path in imported), imported  # the wheel's, not the checkout's
    return Installed(wheel, venv)


def test_the_wheel_carries_the_migrations_and_an_installed_planvakt_upgrades_a_database(
    installed: Installed, tmp_path: Path
) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    versions = sorted(p.name for p in (REPO / "migrations" / "versions").glob("*.py"))
    assert {"migrations/env.py", "migrations/script.py.mako"} <= names
    assert {f"migrations/versions/{v}" for v in versions} <= names
    # the overview's map reads its vendored geodata through the package, never from the checkout
    assert {"dashboards/geodata/nordic.json", "dashboards/templates/_dot_map.html"} <= names

    database_file = tmp_path / "planvakt.sqlite3"
    upgraded = installed.planvakt("db", "upgrade", "--db", f"sqlite:///{database_file}", home=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    with sqlite3.connect(database_file) as connection:
        (revision,) = connection.execute("select version_num from alembic_version").fetchone()
        tables = {row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")}
    assert revision == versions[-1].split("_", 1)[0]
    assert {"kommune", "site_check", "document", "sighting"} <= tables


@pytest.mark.browser  # the demo crawl renders its JavaScript site with Chromium
def test_an_installed_planvakt_runs_the_demo(installed: Installed, tmp_path: Path) -> None:
    """`make demo`'s first two steps with the installed command; each demo kommune's finding as it was built."""
    db = f"sqlite:///{tmp_path / 'planvakt.sqlite3'}"
    upgraded = installed.planvakt("db", "upgrade", "--db", db, home=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    demo = installed.planvakt("demo", "--web-port", "0", "--db", db, home=tmp_path, timeout=600)
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert "next: planvakt serve --demo" in demo.stdout
    with database.make_session_factory(database.make_engine(db))() as session:
        statuses = {r["kommunenummer"]: r["status"] for r in finding_records(latest.iter_latest_findings(session))}
    assert statuses == {k.kommunenummer: k.expected.status for k in build_demo_web().kommuner}
