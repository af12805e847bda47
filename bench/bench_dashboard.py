"""Dashboard latency over a full-size history: 455 kommuner, two years of weekly checks.

Fills a fresh database (a SQLite file by default; `--db postgres` a scratch PostgreSQL database on 127.0.0.1:5432,
dropped afterwards; or any database URL) with synthetic rows through the models' tables (bulk inserts: 104 runs x
455 checks, findings and plan sightings, a document and a reading per plan, a few hundred events), starts
`planvakt`'s app under uvicorn in a subprocess, and fires requests with an httpx async client at a fixed
concurrency: the overview, kommune pages and the findings CSV. Prints p50 and p95 latency, throughput and the
server process's CPU time per request (from /proc: the figure other work on a shared machine does not inflate)
per endpoint, twice:

- warm: every path was asked for once since the data last changed (served from the response cache);
- cold: the first requests after a new check is stored. Each round stores a check (a new run with one kommune's
  check and finding, as the pipeline writes them), then sends `concurrency` requests at once (the overview: 8
  identical requests, of which one renders and seven wait for it; kommune pages: 8 different ones).

    .venv/bin/python bench/bench_dashboard.py [--requests 200] [--concurrency 8] [--weeks 104]
        [--db sqlite|postgres|URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import Engine, func, insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.reading.criteria import criteria_for  # noqa: E402
from tracker.registry import builtin_registry  # noqa: E402
from tracker.store import database  # noqa: E402
from tracker.store.models import (  # noqa: E402
    ClassificationRow,
    CrawlRun,
    Document,
    Event,
    Finding,
    KommuneRow,
    Sighting,
    SiteCheck,
)
from tracker.store.runs import sync_kommuner  # noqa: E402

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"

STATUSES = (
    ("abuse_specific_plan", 0.35),
    ("general_violence_plan_only", 0.35),
    ("no_plan_found", 0.25),
    ("site_unreachable", 0.05),
)
ACCESS = [{"check": c, "ok": True, "detail": "ok"} for c in ("text_layer", "tagged_pdf", "declared_language")]


def _status(rng: random.Random) -> str:
    roll, acc = rng.random(), 0.0
    for status, share in STATUSES:
        acc += share
        if roll < acc:
            return status
    return STATUSES[-1][0]


def fill(url: str, weeks: int, seed: int = 1) -> dict[str, int]:
    """Bulk-insert `weeks` weekly checks of every kommune; return row counts."""
    engine = database.make_engine(url)
    database.upgrade(engine)
    factory = database.make_session_factory(engine)
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, 3, tzinfo=UTC)
    with factory.begin() as session:
        sync_kommuner(session, builtin_registry())
        kommuner = [(row.id, row.country, row.website) for row in session.scalars(select(KommuneRow))]
        base = {name: (session.scalar(select(func.max(model.id))) or 0) for name, model in _MODELS.items()}
    plan: dict[int, tuple[str, int, int, int]] = {}  # kommune id -> (status, document id, classification id, year)
    documents, readings = [], []
    doc_id, cls_id = base["document"], base["classification"]
    for kommune_id, country, _ in kommuner:
        status = _status(rng)
        if status in ("abuse_specific_plan", "general_violence_plan_only"):
            doc_id += 1
            cls_id += 1
            year = rng.randint(2018, 2025)
            language = "da" if country == "DK" else "nb"
            documents.append(
                {
                    "id": doc_id,
                    "sha256": uuid.uuid4().hex + uuid.uuid4().hex,
                    "format": "pdf",
                    "content_type": "application/pdf",
                    "size_bytes": rng.randint(50_000, 3_000_000),
                    "first_seen_at": start,
                    "title": f"Handlingsplan {kommune_id} {year}-{year + 3}",
                    "page_count": rng.randint(4, 40),
                    "text_source": "text_layer",
                    "pages": [],
                    "headings": [],
                    "metadata": {},
                    "facts": {},
                }
            )
            category = "abuse_specific" if status == "abuse_specific_plan" else "general_violence"
            readings.append(
                {
                    "id": cls_id,
                    "document_id": doc_id,
                    "classifier_version": "bench",
                    "category": category,
                    "confidence": 0.9,
                    "reason": "bench",
                    "evidence": [],
                    "year_start": year,
                    "year_end": year + 3,
                    "language": language,
                    "document_kind": "adopted_plan",
                    "kind_evidence": [],
                    "criteria": [
                        {"criterion": c, "met": rng.random() < 0.6, "sentences": [[1, "Alle ansatte skal kurses."]]}
                        for c in criteria_for(language)
                    ],
                    "created_at": start,
                }
            )
            plan[kommune_id] = (status, doc_id, cls_id, year)
        else:
            plan[kommune_id] = (status, 0, 0, 0)
    counts = {"kommuner": len(kommuner), "documents": len(documents)}
    with engine.begin() as conn:
        conn.execute(insert(Document), documents)
        conn.execute(insert(ClassificationRow), readings)
    run_id, check_id, sighting_id, finding_id = base["run"], base["check"], base["sighting"], base["finding"]
    totals = {"checks": 0, "sightings": 0, "findings": 0, "events": 0}
    for week in range(weeks):
        at = start + timedelta(weeks=week)
        run_id += 1
        runs = [
            {
                "id": run_id,
                "started_at": at,
                "finished_at": at + timedelta(hours=2),
                "state": "finished",
                "options": {},
                "kommuner_planned": len(kommuner),
                "kommuner_checked": len(kommuner),
                "pages_fetched": len(kommuner) * 80,
                "documents_fetched": len(documents),
                "errors": 3,
            }
        ]
        checks, sightings, findings, events = [], [], [], []
        for kommune_id, _, website in kommuner:
            status, document_id, classification_id, year = plan[kommune_id]
            if rng.random() < 0.01:
                status = "site_unreachable"
            check_id += 1
            finding_id += 1
            reachable = status != "site_unreachable"
            checks.append(
                {
                    "id": check_id,
                    "run_id": run_id,
                    "kommune_id": kommune_id,
                    "start_url": website,
                    "final_url": website,
                    "reachable": reachable,
                    "blocked": False,
                    "error": None if reachable else "connection refused",
                    "pages_fetched": rng.randint(40, 120) if reachable else 0,
                    "robots_disallowed": 0,
                    "rendered_pages": 0,
                    "issues": [],
                    "started_at": at,
                    "finished_at": at + timedelta(minutes=5),
                }
            )
            has_plan = reachable and document_id
            if has_plan:
                sighting_id += 1
                sightings.append(
                    {
                        "id": sighting_id,
                        "check_id": check_id,
                        "document_id": document_id,
                        "url": f"{website}/planer/plan-{document_id}.pdf",
                        "final_url": f"{website}/planer/plan-{document_id}.pdf",
                        "http_status": 200,
                        "redirects": [],
                        "anchor_text": "Handlingsplan",
                        "found_via": "link",
                        "click_depth": 2,
                        "click_path": [
                            {"url": website, "anchor_text": ""},
                            {"url": f"{website}/planer", "anchor_text": "Planer"},
                            {"url": f"{website}/planer/plan-{document_id}.pdf", "anchor_text": "Handlingsplan"},
                        ],
                        "in_sitemap": True,
                        "search_rank": None,
                        "accessibility": ACCESS,
                        "seen_at": at + timedelta(minutes=5),
                    }
                )
            findings.append(
                {
                    "id": finding_id,
                    "run_id": run_id,
                    "kommune_id": kommune_id,
                    "check_id": check_id,
                    "status": status,
                    "plan_sighting_id": sighting_id if has_plan else None,
                    "plan_classification_id": classification_id if has_plan else None,
                    "plan_category": "abuse_specific" if status == "abuse_specific_plan" else None,
                    "plan_current": ("true" if year + 3 >= at.year else "false") if has_plan else None,
                    "found_via": "link" if has_plan else None,
                    "click_depth": 2 if has_plan else None,
                    "checked_at": at + timedelta(minutes=5),
                    "reason": "bench",
                }
            )
            if rng.random() < 0.005:
                events.append(
                    {
                        "uuid": str(uuid.uuid4()),
                        "kind": rng.choice(["plan_changed", "plan_moved", "check_failed"]),
                        "kommune_id": kommune_id,
                        "check_id": check_id,
                        "url": f"{website}/plan.pdf",
                        "detected_at": at + timedelta(minutes=6),
                        "evidence": {},
                    }
                )
        with engine.begin() as conn:
            conn.execute(insert(CrawlRun), runs)
            conn.execute(insert(SiteCheck), checks)
            if sightings:
                conn.execute(insert(Sighting), sightings)
            conn.execute(insert(Finding), findings)
            if events:
                conn.execute(insert(Event), events)
        totals["checks"] += len(checks)
        totals["sightings"] += len(sightings)
        totals["findings"] += len(findings)
        totals["events"] += len(events)
    engine.dispose()
    return counts | totals


_MODELS: dict[str, Any] = {
    "document": Document,
    "classification": ClassificationRow,
    "run": CrawlRun,
    "check": SiteCheck,
    "sighting": Sighting,
    "finding": Finding,
}


def serve(url: str, port: int) -> None:
    """The subprocess: the real app under uvicorn (one worker, as `planvakt serve` runs it)."""
    import uvicorn

    from dashboards.app import create_app
    from tracker.config import Settings

    settings = Settings(database_url=url, var_dir=Path(tempfile.gettempdir()) / "planvakt-bench")
    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def _load(base: str, paths: list[str], concurrency: int) -> tuple[list[float], float]:
    latencies: list[float] = []
    queue: asyncio.Queue[str] = asyncio.Queue()
    for path in paths:
        queue.put_nowait(path)

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            path = queue.get_nowait()
            started = time.perf_counter()
            response = await client.get(path)
            await response.aread()
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"{path}: HTTP {response.status_code}")

    started = time.perf_counter()
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return latencies, time.perf_counter() - started


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000


def _screenshot(url: str, target: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": 1280, "height": 1000})
        browser.close()


def store_check(engine: Engine, rng: random.Random) -> None:
    """A new check of one kommune in a new run, written as the pipeline writes it (the data version moves on).

    Ids are given explicitly, as `fill` gives them (PostgreSQL's sequences never saw those rows).
    """
    with engine.begin() as conn:
        kommune_id, website = rng.choice(list(conn.execute(select(KommuneRow.id, KommuneRow.website))))
        run_id, check_id, finding_id = (
            (conn.scalar(select(func.max(model.id))) or 0) + 1 for model in (CrawlRun, SiteCheck, Finding)
        )
        at = datetime.now(UTC)
        conn.execute(
            insert(CrawlRun),
            {"id": run_id, "started_at": at, "finished_at": at, "state": "finished", "options": {}},
        )
        check = {"id": check_id, "run_id": run_id, "kommune_id": kommune_id, "start_url": website}
        conn.execute(
            insert(SiteCheck),
            check | {"reachable": True, "blocked": False, "issues": [], "started_at": at, "finished_at": at},
        )
        finding = {"id": finding_id, "run_id": run_id, "kommune_id": kommune_id, "check_id": check_id}
        conn.execute(insert(Finding), finding | {"status": "no_plan_found", "checked_at": at, "reason": "bench"})


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc): the server's cost, whatever else runs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _row(name: str, latencies: list[float], elapsed: float, cpu: float) -> str:
    return (
        f"{name:40} {len(latencies):>5} {_pct(latencies, 0.5):>8.1f} {_pct(latencies, 0.95):>8.1f} "
        f"{len(latencies) / elapsed:>7.1f} {cpu * 1000 / len(latencies):>9.1f}"
    )


def measure(base: str, engine: Engine, endpoints: dict[str, list[str]], concurrency: int, server: int) -> None:
    """Warm figures (every path cached), then cold ones (a check stored before each round of requests)."""
    print(f"{'endpoint':40} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'CPU ms/req':>9}")
    for name, paths in endpoints.items():
        asyncio.run(_load(base, sorted(set(paths)), concurrency))  # each path once: now all cached
        cpu = cpu_seconds(server)
        latencies, elapsed = asyncio.run(_load(base, paths, concurrency))
        print(_row(f"warm {name}", latencies, elapsed, cpu_seconds(server) - cpu))
    rng = random.Random(3)
    for name, paths in endpoints.items():
        cold: list[float] = []
        spent = cpu = 0.0
        for start in range(0, len(paths) - concurrency + 1, concurrency):
            store_check(engine, rng)
            before = cpu_seconds(server)
            latencies, elapsed = asyncio.run(_load(base, paths[start : start + concurrency], concurrency))
            cpu += cpu_seconds(server) - before
            cold += latencies
            spent += elapsed
        print(_row(f"cold {name}", cold, spent, cpu))


def scratch_postgres() -> tuple[str, Callable[[], None]]:
    """A new, empty database on the local PostgreSQL server, and how to drop it."""
    name = f"planvakt_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite", help="sqlite (a fresh file), postgres (a scratch database), or a URL")
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--requests", type=int, default=200, help="requests per endpoint")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--screenshot", type=Path, help="also save a screenshot of the overview here (PNG)")
    parser.add_argument("--serve", nargs=2, metavar=("URL", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]))
        return
    tmp = Path(tempfile.mkdtemp(prefix="planvakt-bench-"))
    drop: Callable[[], None] = lambda: None  # noqa: E731
    if args.db == "sqlite":
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    elif args.db == "postgres":
        url, drop = scratch_postgres()
    else:
        url = args.db
    try:
        run(url, args)
    finally:
        drop()


def run(url: str, args: argparse.Namespace) -> None:
    started = time.perf_counter()
    counts = fill(url, args.weeks)
    print(f"filled in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    port = _free_port()
    server = subprocess.Popen([sys.executable, __file__, "--serve", url, str(port)], cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    engine = database.make_engine(url)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/api/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        with engine.connect() as conn:
            numbers = list(conn.scalars(select(KommuneRow.kommunenummer)))
        rng = random.Random(2)
        endpoints = {
            "overview /": ["/"] * args.requests,
            "kommune /kommune/{nr}": [f"/kommune/{rng.choice(numbers)}" for _ in range(args.requests)],
            "findings CSV /data/findings.csv": ["/data/findings.csv"] * max(args.requests // 4, 10),
        }
        print(f"backend {url.split(':', 1)[0]}, concurrency {args.concurrency}, uvicorn (1 process) on {base}")
        measure(base, engine, endpoints, args.concurrency, server.pid)
        if args.screenshot:
            _screenshot(base + "/", args.screenshot)
            print(f"screenshot of the overview: {args.screenshot}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        engine.dispose()


if __name__ == "__main__":
    main()
