"""Benchmark: one queued sweep's wall time with 1, 2, 3 ... `planvakt worker` processes on one PostgreSQL database.

A generated web (crawlers.testweb.build_large_web) is served by a separate process on 127.78.x.y; for each worker
count a fresh scratch database is migrated, the workers are started and registered, then `planvakt sweep enqueue`
queues the sweep and the clock runs until its crawl run is `finished`. Worker start-up is outside the figure. Each
worker checks `--concurrency` sites at a time, so the sweep is bound by the per-host delay (not CPU) as long as the
machine keeps up: adding a worker should shorten it.

    .venv/bin/python bench/bench_workers.py --sites 24 --pages 10 --delay 0.5 --concurrency 4 --workers 1 2 3
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import func, select, text

from tracker.store import database
from tracker.store.models import CrawlRun, SiteCheck

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: make `bench` importable

from bench.generated_web import served_web  # noqa: E402

ADMIN_URL = os.environ.get("PLANVAKT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def _scratch_database() -> Iterator[str]:
    name = f"planvakt_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _sweep(db: str, registry: Path, workers: int, args: argparse.Namespace, var: Path) -> dict[str, float]:
    engine = database.make_engine(db)
    database.upgrade(engine)
    env = {**os.environ, "PLANVAKT_VAR_DIR": str(var), "PLANVAKT_EXTRACT_WORKERS": "1"}
    planvakt = [sys.executable, "-m", "planvakt"]
    worker = [*planvakt, "worker", "--db", db, "--concurrency", str(args.concurrency), "--maintenance-every", "1"]
    processes = [
        subprocess.Popen(worker, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)
    ]
    try:
        while _count(engine, "SELECT count(*) FROM procrastinate_workers") < workers:
            assert all(p.poll() is None for p in processes), "a worker exited at start"
            time.sleep(0.2)
        enqueue = [*planvakt, "sweep", "enqueue", "--db", db, "--registry", str(registry), "--render", "never"]
        enqueue += ["--per-host-delay", str(args.delay), "--max-pages-per-site", "200", "--allow-private-networks"]
        started = time.monotonic()
        queued = subprocess.run(enqueue, env=env, capture_output=True, text=True, check=True).stdout
        run_id = int(re.search(r"crawl run (\d+)", queued).group(1))  # type: ignore[union-attr]
        factory = database.make_session_factory(engine)
        while True:
            with factory() as session:
                run = session.get(CrawlRun, run_id)
                assert run is not None
                if run.state == "finished":
                    break
            time.sleep(0.2)
        elapsed = time.monotonic() - started
        with factory() as session:
            checks = session.scalar(select(func.count()).where(SiteCheck.run_id == run_id)) or 0
            pages = run.pages_fetched
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(60)
        engine.dispose()
    return {"elapsed": elapsed, "checks": checks, "pages": pages}


def _count(engine: Any, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(sql)).scalar_one())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=24)
    parser.add_argument("--pages", type=int, default=10, help="ordinary pages per site")
    parser.add_argument("--delay", type=float, default=0.5, help="per-host delay in seconds")
    parser.add_argument("--concurrency", type=int, default=4, help="sites one worker checks at once")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory() as tmp_name,
        served_web(args.sites, args.pages, Path(tmp_name), ready_within=120) as (registry, _),
    ):
        tmp = Path(tmp_name)
        print(
            f"sites: {args.sites} x {args.pages} pages, per-host delay {args.delay}s, {args.concurrency} sites per "
            f"worker at once, render never (2 cores, shared)"
        )
        results = {}
        for count in args.workers:
            with _scratch_database() as db:
                results[count] = result = _sweep(db, registry, count, args, tmp / f"var-{count}")
            print(
                f"{count} worker(s): sweep {result['elapsed']:6.1f} s, {result['checks']:.0f} of {args.sites} "
                f"kommuner checked, {result['pages']:.0f} pages"
            )
    first = results[args.workers[0]]["elapsed"]
    print("speed-up: " + ", ".join(f"{n}: {first / r['elapsed']:.2f}x" for n, r in results.items()))


if __name__ == "__main__":
    main()
