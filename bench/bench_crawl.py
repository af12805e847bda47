"""Benchmark: the whole pipeline (crawl → extract → classify → store in SQLite) over a larger generated web.

The generated web runs in a separate process so its server threads do not count against the crawler's CPU and
memory. Prints wall time, pages/s, documents and PDF pages/s, the share of plans found, and peak memory.

    .venv/bin/python bench/bench_crawl.py --sites 100 --pages 30
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import logging
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from crawlers.extract import Extractor
from crawlers.types import CrawlOptions
from tracker.blobs import EvidenceStore
from tracker.pipeline import run_crawl
from tracker.registry import load_registry_csv
from tracker.site_check import CrawlDependencies
from tracker.store import database, latest
from tracker.store.models import CrawlRun, Document, Finding, Sighting

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: make `bench` importable

from bench.generated_web import served_web  # noqa: E402


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _crawl(
    registry: Path, db: str, evidence: Path, concurrency: int, delay: float, render: str
) -> dict[str, Any]:
    engine = database.make_engine(db)
    database.upgrade(engine)
    options = CrawlOptions(
        per_host_delay=delay,
        concurrency=concurrency,
        allow_private_networks=True,
        render=render,  # type: ignore[arg-type]
        timeout=10,
        retry_backoff=0.1,
    )
    kommuner = load_registry_csv(registry)
    started = time.monotonic()
    async with Extractor() as extractor:
        deps = CrawlDependencies(database.make_session_factory(engine), EvidenceStore(evidence), extractor)
        await run_crawl(kommuner, options, deps)
        worker_peak = max((_peak_rss_mb(pid) for pid in extractor.worker_pids()), default=0.0)
    elapsed = time.monotonic() - started
    with database.make_session_factory(engine)() as session:
        pages = session.scalar(select(func.sum(Document.page_count)).where(Document.format == "pdf")) or 0
        documents = session.scalar(select(func.count(Document.id))) or 0
        findings = session.scalar(select(func.count(Finding.id))) or 0
        sightings = session.scalar(select(func.count(Sighting.id))) or 0
        run = session.scalars(select(CrawlRun)).one()
    return {
        "elapsed": elapsed,
        "pages": run.pages_fetched,
        "documents": documents,
        "pdf_pages": pages,
        "findings": findings,
        "sightings": sightings,
        "worker_peak": worker_peak,
    }


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--pages", type=int, default=30, help="ordinary pages per site")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--delay", type=float, default=0.05, help="per-host delay in seconds")
    parser.add_argument("--render", default="auto", choices=["auto", "never"])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with served_web(args.sites, args.pages, tmp) as (registry, expected):
            result = asyncio.run(
                _crawl(
                    registry,
                    f"sqlite:///{tmp / 'bench.sqlite3'}",
                    tmp / "evidence",
                    args.concurrency,
                    args.delay,
                    args.render,
                )
            )
        wanted = dict(csv.reader(expected.open(encoding="utf-8")))
        matches = _matches(tmp / "bench.sqlite3", wanted)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"sites: {args.sites} x {args.pages} pages, concurrency {args.concurrency}, per-host delay {args.delay}s,"
        f" render {args.render} (2 cores)"
    )
    print(f"wall time:          {result['elapsed']:.1f} s")
    print(f"pages fetched:      {result['pages']} ({result['pages'] / result['elapsed']:.1f} pages/s)")
    print(
        f"documents:          {result['sightings']} downloaded, {result['documents']} distinct by SHA-256 "
        f"({result['pdf_pages']} PDF pages extracted; see bench_extract.py for extraction speed)"
    )
    print(f"findings:           {result['findings']} of {args.sites}; status as built: {matches} of {args.sites}")
    print(f"crawler CPU:        {usage.ru_utime + usage.ru_stime:.1f} s")
    print(
        f"peak memory:        crawler {usage.ru_maxrss / 1024:.0f} MB, largest extract worker "
        f"{result['worker_peak']:.0f} MB"
    )


def _matches(db_path: Path, wanted: dict[str, str]) -> int:
    engine = database.make_engine(f"sqlite:///{db_path}")
    with database.make_session_factory(engine)() as session:
        found = {row.kommunenummer: row.status for row in latest.iter_latest_findings(session)}
    return sum(1 for number, status in wanted.items() if found.get(number) == status)


if __name__ == "__main__":
    main()
