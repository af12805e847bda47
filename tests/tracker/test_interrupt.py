"""Ctrl-C during `planvakt crawl`: one line on how far it got, exit 130, the run stored `interrupted`, and
`planvakt crawl --resume` finishes it. Driven as a person at a terminal would: SIGINT to the whole process group
(Playwright's driver and Chromium get it too), against a real SQLite database and loopback sites.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawlers.testweb.server import MultiHostServer, Reply, Site
from tests.crawlers.conftest import html_page
from tracker.store import database
from tracker.store.models import CrawlRun, Finding

pytestmark = [pytest.mark.slow, pytest.mark.browser]

HOSTS = [f"127.79.13.{n}" for n in range(1, 6)]

#: `python -m planvakt` with Ctrl-C's default action, as in a terminal's foreground job. A suite started as a
#: background job of a non-interactive shell (`make test &`) inherits SIGINT *ignored*, and so would the crawl:
#: it then rightly ignores Ctrl-C and runs to its end (seen in three full runs; first blamed on coverage).
AS_FOREGROUND_JOB = (
    "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.argv[0] = 'planvakt'; runpy.run_module('planvakt', run_name='__main__', alter_sys=True)"
)


def _site(host: str, delay: float) -> Site:
    links = "".join(f'<a href="/side-{n}">Side {n}</a>' for n in range(3))
    routes: dict[str, Reply] = {"/": Reply(body=html_page("Forside", links), delay=delay)}
    for n in range(3):
        routes[f"/side-{n}"] = Reply(body=html_page(f"Side {n}", "<p>Tekst.</p>"), delay=delay)
    return Site(host, dict(routes))


def _planvakt(*args: str, env: dict[str, str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planvakt", *args], env=env, capture_output=True, text=True, timeout=180, **kwargs
    )  # type: ignore[call-overload]


def _runs(db: str) -> list[tuple[str, int, int]]:
    engine = database.make_engine(db)
    try:
        with database.make_session_factory(engine)() as session:
            rows = session.scalars(select(CrawlRun).order_by(CrawlRun.id))
            return [(run.state, run.kommuner_checked, run.kommuner_planned) for run in rows]
    finally:
        engine.dispose()


def _findings(db: str) -> int:
    engine = database.make_engine(db)
    try:
        with database.make_session_factory(engine)() as session:
            return session.scalar(select(func.count()).select_from(Finding)) or 0
    finally:
        engine.dispose()


def test_ctrl_c_marks_the_run_interrupted_and_resume_finishes_it(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'planvakt.sqlite3'}"
    env = {**os.environ, "PLANVAKT_VAR_DIR": str(tmp_path / "var")}
    assert _planvakt("db", "upgrade", "--db", db, env=env).returncode == 0
    sites = [_site(HOSTS[0], 0.0), *(_site(host, 0.4) for host in HOSTS[1:])]  # the first is stored quickly
    with MultiHostServer(sites) as server:
        registry = tmp_path / "registry.csv"
        registry.write_text(
            "kommunenummer,name,country,website\n"
            + "".join(f"99{n:02d},Avbrotvik {n},NO,{server.base_url(h)}/\n" for n, h in enumerate(HOSTS, 1)),
            encoding="utf-8",
        )
        crawl = ["crawl", "--registry", str(registry), "--allow-private-networks", "--db", db]
        # Chromium renders every page, so the browser and its driver are alive when Ctrl-C arrives
        process = subprocess.Popen(
            [sys.executable, "-c", AS_FOREGROUND_JOB, *crawl, "--render", "always", "--concurrency", "1"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, as a terminal's foreground job
        )
        try:
            deadline = time.monotonic() + 90
            while _findings(db) < 1:
                assert process.poll() is None, process.communicate()
                assert time.monotonic() < deadline, "no site was stored within 90 s"
                time.sleep(0.05)
            os.killpg(process.pid, signal.SIGINT)
            stdout, stderr = process.communicate(timeout=120)  # a render in progress may be seconds from its cut
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

        assert process.returncode == 130, stderr
        assert "Traceback" not in stderr, stderr
        assert "Connection closed" not in stderr, stderr
        [(state, checked, planned)] = _runs(db)
        assert state == "interrupted"
        assert 1 <= checked < planned == len(HOSTS)
        assert f"interrupted after {checked} of {planned} sites; resume with --resume" in stderr

        resumed = _planvakt(*crawl, "--render", "never", "--resume", env=env)
        assert resumed.returncode == 0, resumed.stderr
    assert _runs(db) == [("finished", len(HOSTS), len(HOSTS))]
    assert _findings(db) == len(HOSTS)
