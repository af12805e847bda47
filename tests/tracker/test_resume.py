"""A crawl killed halfway (SIGKILL) keeps every site it stored, and `planvakt crawl --resume` finishes the run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from crawlers.testweb import build_demo_web
from planvakt.cli import app
from tracker.store import database
from tracker.store.models import CrawlRun, Finding

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _finding_ids(db: str) -> list[int]:
    engine = database.make_engine(db)
    try:
        with database.make_session_factory(engine)() as session:
            return list(session.scalars(select(Finding.id).order_by(Finding.id)))
    finally:
        engine.dispose()


def test_killed_crawl_loses_nothing_and_resumes(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'planvakt.sqlite3'}"
    env = {**os.environ, "PLANVAKT_VAR_DIR": str(tmp_path / "var")}
    runner = CliRunner(env={"PLANVAKT_VAR_DIR": str(tmp_path / "var")})
    assert runner.invoke(app, ["db", "upgrade", "--db", db]).exit_code == 0
    with build_demo_web() as web:
        registry = web.write_registry(tmp_path / "registry.csv")
        crawl = ["crawl", "--registry", str(registry), "--allow-private-networks", "--render", "never", "--db", db]
        slowly = ["--per-host-delay", "0.15", "--concurrency", "2"]
        process = subprocess.Popen(
            [sys.executable, "-m", "planvakt", *crawl, *slowly],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while len(_finding_ids(db)) < 3:
                assert process.poll() is None, "the crawl ended before it could be killed"
                assert time.monotonic() < deadline, "no findings were stored within a minute"
                time.sleep(0.1)
            process.send_signal(signal.SIGKILL)
        finally:
            process.wait(timeout=10)
        before = _finding_ids(db)
        assert 3 <= len(before) < len(web.kommuner)

        result = runner.invoke(app, [*crawl, "--per-host-delay", "0.02", "--concurrency", "16", "--resume"])
        assert result.exit_code == 0, result.output

    after = _finding_ids(db)
    assert after[: len(before)] == before, "findings stored before the kill are kept as they were"
    engine = database.make_engine(db)
    with database.make_session_factory(engine)() as session:
        run = session.scalars(select(CrawlRun)).one()
        assert run.state == "finished"
        assert run.kommuner_checked == len(web.kommuner)
        per_kommune = session.execute(select(Finding.kommune_id, func.count()).group_by(Finding.kommune_id)).all()
    assert len(per_kommune) == len(web.kommuner)
    assert all(count == 1 for _, count in per_kommune)
