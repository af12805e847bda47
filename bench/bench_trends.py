"""Trend and map costs over a full-size history: 455 kommuner, two years of weekly sweeps (47,320 findings).

Fills a fresh database with bench_dashboard's synthetic history, then times, in this process: the trend read
(`tracker.store.trends.status_trend`, nationally and for one fylke), one kommune's history, the map layout over the
vendored geodata, and the `/trends`, `/trends?region=Vestland` and `/` pages served by uvicorn on 127.0.0.1 (one
request at a time, so these are service times, not queueing). Prints the median and the slowest of `--repeat` runs.

    .venv/bin/python bench/bench_trends.py [--weeks 104] [--repeat 10] [--db URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_dashboard import fill  # noqa: E402
from dashboards.app import create_app  # noqa: E402
from dashboards.dot_map import layout, load_geodata  # noqa: E402
from tests.dashboards.serving import serve_in_thread  # noqa: E402
from tracker.config import Settings  # noqa: E402
from tracker.store import database  # noqa: E402
from tracker.store.statuses import kommune_statuses  # noqa: E402
from tracker.store.trends import kommune_history, status_trend  # noqa: E402


def timed(label: str, repeat: int, work: Callable[[], Any]) -> None:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    print(f"{label:<42} median {statistics.median(times):7.1f} ms   max {max(times):7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        started = time.perf_counter()
        counts = fill(url, args.weeks)
        print(f"filled {counts} in {time.perf_counter() - started:.1f} s")
        engine = database.make_engine(url)
        factory = database.make_session_factory(engine)
        with factory() as session:
            sweeps = status_trend(session)
            print(f"{len(sweeps)} sweeps, {sweeps[-1].total} kommuner in the last")
            timed("status_trend (everything)", args.repeat, lambda: status_trend(session))
            timed("status_trend (region=Vestland)", args.repeat, lambda: status_trend(session, region="Vestland"))
            timed("kommune_history (one kommune)", args.repeat, lambda: kommune_history(session, 1))
            rows = kommune_statuses(session)
        timed("load_geodata + layout (455 dots)", args.repeat, lambda: layout(rows, load_geodata()))
        app = create_app(Settings(var_dir=Path(tmp) / "var", database_url=url), session_factory=factory)
        with serve_in_thread(app) as base, httpx.Client(base_url=base, timeout=60) as client:
            for path in ("/trends", "/trends?region=Vestland", "/", "/kommune/0301"):
                assert client.get(path).status_code == 200
                timed(f"GET {path}", args.repeat, lambda path=path: client.get(path).raise_for_status())
        engine.dispose()


if __name__ == "__main__":
    main()
