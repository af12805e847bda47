"""A sweep as procrastinate jobs worked by real `planvakt worker` processes on a real PostgreSQL database, over a
loopback test web that logs every request on the server side: each kommune checked exactly once whatever the number
of workers, never two requests in flight on one host (nor a gap under the delay), a worker SIGKILLed mid-site whose
kommune another worker finishes, and the run ending `finished`."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from typer.testing import CliRunner

from crawlers.testweb.changing import ChangingSite
from crawlers.testweb.documents import pdf_bytes
from crawlers.testweb.plantexts import abuse_plan
from crawlers.testweb.server import MultiHostServer, Reply, Request, Site
from planvakt.cli import app
from tracker.store import database, runs, sweeps
from tracker.store.models import CrawlRun, Finding, SiteCheck

DELAY = 0.25
PLAN_PATH = "/planer/handlingsplan-overgrep.pdf"
#: heartbeats and the stall timeout short enough for a test, long enough for a loaded 2-core machine
WORKER_FLAGS = ("--heartbeat", "0.5", "--stalled-after", "4", "--maintenance-every", "0.5", "--shutdown-grace", "5")


@dataclass
class LoopbackWeb:
    server: MultiHostServer
    registry: Path
    sites: dict[str, ChangingSite]  # by kommunenummer
    #: kommunenummer -> host; two kommuner share the first host (different start pages)
    hosts: dict[str, str] = field(default_factory=dict)


@contextmanager
def _test_web(tmp_path: Path, count: int, prefix: str) -> Iterator[LoopbackWeb]:
    """`count` kommune sites on their own hosts, each with a plan PDF, plus one kommune sharing the first host."""
    sites: dict[str, ChangingSite] = {}
    for i in range(count):
        number, name = f"{9100 + i}", f"Kø{i}by"
        site = ChangingSite(f"{prefix}.{i + 1}", name)
        site.publish(PLAN_PATH, pdf_bytes(abuse_plan("nb", name, 2025, 2028)), "Handlingsplan mot seksuelle overgrep")
        sites[number] = site
    with MultiHostServer([s.site for s in sites.values()]) as server:
        rows = ["kommunenummer,name,country,website"]
        hosts = {}
        for number, site in sites.items():
            rows.append(f"{number},{site.name},NO,{server.base_url(site.host)}/")
            hosts[number] = site.host
        # Second in the queue, on the first kommune's host: without the host lock the two would start together.
        first = next(iter(sites.values()))
        rows.insert(2, f"9199,Delby,NO,{server.base_url(first.host)}/om")
        hosts["9199"] = first.host
        registry = tmp_path / "registry.csv"
        registry.write_text("\n".join(rows) + "\n", encoding="utf-8")
        yield LoopbackWeb(server, registry, sites, hosts)


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PLANVAKT_VAR_DIR": str(tmp_path / "var"), "PLANVAKT_EXTRACT_WORKERS": "1"}


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def checked(self) -> list[str]:
        """Kommunenumre this worker started a check of."""
        return re.findall(r"tracker\.schedule\.worker: (\d{4}) .*: checking \(run", self.text())


def _start_workers(db: str, tmp_path: Path, count: int, concurrency: int) -> list[Worker]:
    workers = []
    for i in range(count):
        log = tmp_path / f"worker-{i}.log"
        command = [sys.executable, "-m", "planvakt", "worker", "--db", db, "--concurrency", str(concurrency)]
        with log.open("wb") as handle:
            process = subprocess.Popen([*command, *WORKER_FLAGS], env=_env(tmp_path), stdout=handle, stderr=handle)
        workers.append(Worker(process, log))
    return workers


def _stop(workers: list[Worker]) -> None:
    for worker in workers:
        if worker.process.poll() is None:
            worker.process.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait()


def _wait_for(condition: Callable[[], bool], workers: list[Worker], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        for worker in workers:
            code = worker.process.poll()
            assert code is None or code == -signal.SIGKILL, f"a worker exited ({code}) before {what}:\n{worker.text()}"
        assert time.monotonic() < deadline, f"no {what} within {seconds} s:\n" + "\n---\n".join(
            w.text()[-3000:] for w in workers
        )
        time.sleep(0.2)


def _registered_workers(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM procrastinate_workers")).scalar_one())


def _enqueue(db: str, web: LoopbackWeb, tmp_path: Path) -> int:
    args = ["sweep", "enqueue", "--db", db, "--registry", str(web.registry), "--allow-private-networks"]
    args += ["--render", "never", "--per-host-delay", str(DELAY), "--max-pages-per-site", "30"]
    result = CliRunner(env={"PLANVAKT_VAR_DIR": str(tmp_path / "var")}).invoke(app, args)
    assert result.exit_code == 0, result.output
    match = re.search(r"crawl run (\d+): (\d+) kommuner queued", result.output)
    assert match, result.output
    return int(match.group(1))


def _run_state(engine: Engine, run_id: int) -> str:
    with database.make_session_factory(engine)() as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        return run.state


def _assert_polite(server: MultiHostServer, hosts: set[str]) -> None:
    """Server side: per host, each request starts after the previous one ended, and at least the delay later."""
    for host in hosts:
        requests = sorted(server.requests_to(host), key=lambda r: r.started)
        assert requests, host
        for before, after in zip(requests, requests[1:], strict=False):
            gap, paths = after.started - before.finished, f"{before.path_with_query} and {after.path_with_query}"
            assert gap >= 0, f"{host}: two requests in flight ({paths})"
            assert gap >= DELAY * 0.9, f"{host}: {gap:.3f} s between {paths}"


def _assert_checked_once(engine: Engine, run_id: int, numbers: set[str]) -> None:
    with database.make_session_factory(engine)() as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None and run.state == "finished" and run.finished_at is not None
        assert run.kommuner_planned == run.kommuner_checked == len(numbers)
        counted = session.execute(
            select(SiteCheck.kommune_id, func.count()).where(SiteCheck.run_id == run_id).group_by(SiteCheck.kommune_id)
        )
        assert sorted(count for _, count in counted) == [1] * len(numbers)
        statuses = session.scalars(select(Finding.status).where(Finding.run_id == run_id)).all()
        assert len(statuses) == len(numbers) and "unreachable" not in statuses, statuses


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.parametrize("count", [2, 3])
def test_workers_check_each_kommune_once_and_keep_one_request_per_host(
    count: int, postgres_url: str, tmp_path: Path
) -> None:
    engine = database.make_engine(postgres_url)
    database.upgrade(engine)
    with _test_web(tmp_path, 7, f"127.0.{72 + count}") as web:
        workers = _start_workers(postgres_url, tmp_path, count, concurrency=2)
        try:
            _wait_for(lambda: _registered_workers(engine) == count, workers, 60, "workers registered")
            run_id = _enqueue(postgres_url, web, tmp_path)
            _wait_for(lambda: _run_state(engine, run_id) == "finished", workers, 180, "finished run")
        finally:
            _stop(workers)
        assert [w.process.returncode for w in workers] == [0] * count, [w.text()[-2000:] for w in workers]
        _assert_polite(web.server, set(web.hosts.values()))
    checked = [number for worker in workers for number in worker.checked()]
    assert sorted(checked) == sorted(web.hosts), "each kommune's check started exactly once, by one worker"
    assert all(worker.checked() for worker in workers), "every worker took a share of the sweep"
    _assert_checked_once(engine, run_id, set(web.hosts))
    engine.dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_a_worker_killed_mid_site_has_its_kommune_finished_by_another(postgres_url: str, tmp_path: Path) -> None:
    engine = database.make_engine(postgres_url)
    database.upgrade(engine)
    with _test_web(tmp_path, 4, "127.0.76") as web:
        victim_number = "9102"
        victim_site = web.sites[victim_number]
        body = pdf_bytes(abuse_plan("nb", victim_site.name, 2025, 2028))
        hit = threading.Event()

        def slow_the_first_time(request: Request) -> Reply:
            first = not hit.is_set()
            hit.set()  # the crawl is mid-site: front page and plans page fetched, the plan under way
            return Reply(body=body, content_type="application/pdf", delay=1.5 if first else 0.0)

        victim_site.answer(PLAN_PATH, slow_the_first_time)
        workers = _start_workers(postgres_url, tmp_path, 2, concurrency=1)
        try:
            _wait_for(lambda: _registered_workers(engine) == 2, workers, 60, "workers registered")
            run_id = _enqueue(postgres_url, web, tmp_path)
            _wait_for(hit.is_set, workers, 120, "the victim's plan requested")
            (holder,) = [w for w in workers if victim_number in w.checked()]
            holder.process.send_signal(signal.SIGKILL)
            holder.process.wait(timeout=10)
            (survivor,) = [w for w in workers if w is not holder]
            _wait_for(lambda: _run_state(engine, run_id) == "finished", workers, 180, "finished run")
        finally:
            _stop(workers)
        assert holder.process.returncode == -signal.SIGKILL
        assert survivor.process.returncode == 0, survivor.text()[-3000:]
        assert victim_number in survivor.checked(), "the survivor took over the killed worker's kommune"
        assert "goes back to the queue" in survivor.text()
        _assert_polite(web.server, set(web.hosts.values()))
    _assert_checked_once(engine, run_id, set(web.hosts))
    with engine.connect() as connection:
        jobs = connection.execute(
            text("SELECT status, attempts FROM procrastinate_jobs WHERE args ->> 'run_id' = :run"),
            {"run": str(run_id)},
        ).all()
    assert {status for status, _ in jobs} == {"succeeded"}
    assert sorted(attempts for _, attempts in jobs)[-1] >= 2, "the killed job ran again"
    engine.dispose()


@pytest.mark.postgres
def test_the_scheduler_queues_its_sweep_for_the_workers_with_a_lock_per_host_and_per_kommune(
    postgres_url: str, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    from planvakt.cli_schedule import _enqueuer
    from planvakt.wiring import queue_app
    from tracker.config import Settings
    from tracker.schedule import sweep_job
    from tracker.schedule.job_context import JobContext, Runtime

    engine = database.make_engine(postgres_url)
    database.upgrade(engine)
    runtime = Runtime(Settings(database_url=postgres_url, var_dir=tmp_path / "var"), instance="test")
    runtime.enqueue = _enqueuer(queue_app(engine), runtime)
    with _test_web(tmp_path, 2, "127.0.77") as web:
        crawl = {"per_host_delay": DELAY, "allow_private_networks": True, "render": "never"}
        target = {"registry": str(web.registry), "kommuner": [], "crawl": crawl}
        sweep_job(**target, context=JobContext(runtime, datetime.now(UTC).replace(microsecond=0)))
        hosts = web.hosts
    with engine.connect() as connection:
        jobs = connection.execute(
            text("SELECT lock, queueing_lock, status, args FROM procrastinate_jobs ORDER BY id")
        ).all()
    with database.make_session_factory(engine)() as session:
        (claim,) = sweeps.claims(session, "sweep:")
        run = session.get(CrawlRun, claim.run_id)
        assert run is not None and run.state == "running" and run.kommuner_planned == 3
        assert claim.finished_at is not None, "the claim is released once the sweep is queued"
        # released and still running, yet never for `crawl --resume` while its jobs wait: the workers have it
        assert sweeps.resumable_run(session, datetime.now(UTC)) is None
    assert [status for *_, status, _ in jobs] == ["todo"] * 3
    assert sorted(lock for lock, *_ in jobs) == sorted(f"host:{host}" for host in hosts.values())
    assert len({queueing_lock for _, queueing_lock, *_ in jobs}) == 3
    assert {args["run_id"] for *_, args in jobs} == {run.id}
    runtime.close()
    engine.dispose()


def test_the_job_queue_refuses_sqlite_with_one_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'planvakt.sqlite3'}"
    runner = CliRunner(env={"PLANVAKT_VAR_DIR": str(tmp_path / "var")})
    assert runner.invoke(app, ["db", "upgrade", "--db", db]).exit_code == 0
    for command in (["sweep", "enqueue"], ["worker"], ["schedule", "--queue"]):
        result = runner.invoke(app, [*command, "--db", db])
        assert result.exit_code == 2, (command, result.output)
        assert "the job queue needs PostgreSQL" in result.output and "planvakt crawl" in result.output


@pytest.mark.slow
@pytest.mark.postgres
async def test_a_check_failed_on_our_side_is_retried_by_the_queue_then_counted_never_stored(
    postgres_url: str, tmp_path: Path
) -> None:
    """A parser that always times out (ours): procrastinate runs the job again on its retry strategy; after the last
    attempt the run counts one error, finishes, and holds no check, finding or event about the kommune."""
    import asyncio
    from datetime import UTC, datetime

    from crawlers.extract import Extractor
    from planvakt.wiring import queue_app
    from tracker.blobs import EvidenceStore
    from tracker.registry import load_registry_csv
    from tracker.schedule.sweep_queue import QUEUE, enqueue_sweep
    from tracker.schedule.worker import CHECK_RETRIES, SiteChecker, register_check_task
    from tracker.site_check import CrawlDependencies
    from tracker.store.models import Event

    engine = database.make_engine(postgres_url)
    database.upgrade(engine)
    factory = database.make_session_factory(engine)
    queue = queue_app(engine)
    with _test_web(tmp_path, 1, "127.0.78") as web:
        (kommune, _) = load_registry_csv(web.registry)  # the site's own kommune (the second shares its host)
        record = {"per_host_delay": 0.0, "allow_private_networks": True, "render": "never"}
        run_id = enqueue_sweep(queue, factory, [kommune], record, datetime.now(UTC))
        async with queue.open_async(), Extractor(workers=1, timeout_s=0.0001) as extractor:
            deps = CrawlDependencies(factory, EvidenceStore.open(tmp_path / "evidence"), extractor)
            async with SiteChecker(deps) as checker:
                register_check_task(queue, checker)
                deadline = time.monotonic() + 90
                while _run_state(engine, run_id) != "finished":
                    assert time.monotonic() < deadline, "the run never finished"
                    await queue.run_worker_async(queues=[QUEUE], wait=False, install_signal_handlers=False)
                    await asyncio.sleep(0.5)
    with engine.connect() as connection:
        ((status, attempts),) = connection.execute(text("SELECT status, attempts FROM procrastinate_jobs")).all()
    assert (status, attempts) == ("succeeded", CHECK_RETRIES + 1), "tried three times, then given up and counted"
    with factory() as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None and (run.kommuner_checked, run.errors) == (0, 1)
        assert session.scalar(select(func.count()).select_from(SiteCheck)) == 0
        assert session.scalar(select(func.count()).select_from(Finding)) == 0
        assert session.scalar(select(func.count()).select_from(Event)) == 0
        assert runs.run_summary(session, run_id).failed_on_our_side == 1
    engine.dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_a_document_host_shared_by_two_kommuner_gets_one_request_at_a_time_from_all_workers(
    postgres_url: str, tmp_path: Path
) -> None:
    """Two kommuner on their own hosts file their plans on one shared document host (a CDN, a shared e-plan host):
    their jobs hold different host locks, so two workers crawl them at once, and only the shared host lease keeps
    one request in flight on the document host, with the delay between the end of one (by either worker) and the
    start of the next."""
    sites = {f"{9300 + i}": ChangingSite(f"127.0.79.{i + 1}", f"Fe{i}by") for i in range(2)}
    shared = Site("127.0.79.9", name="dokumenter")
    for number, site in sites.items():
        for n in range(4):
            path = f"/dok/{number}-{n}.pdf"
            body = pdf_bytes(abuse_plan("nb", site.name, 2025 + n, 2028 + n))
            shared.set(path, Reply(body=body, content_type="application/pdf", delay=0.15))
            site.publish(f"/planer/plan-{n}.pdf", body, f"Handlingsplan mot vold {n + 1}")
    engine = database.make_engine(postgres_url)
    database.upgrade(engine)
    with MultiHostServer([shared, *(s.site for s in sites.values())]) as server:
        for number, site in sites.items():
            for n in range(4):
                site.redirect(f"/planer/plan-{n}.pdf", f"{server.base_url(shared.host)}/dok/{number}-{n}.pdf", 302)
        rows = ["kommunenummer,name,country,website"]
        rows += [f"{number},{site.name},NO,{server.base_url(site.host)}/" for number, site in sites.items()]
        registry = tmp_path / "registry.csv"
        registry.write_text("\n".join(rows) + "\n", encoding="utf-8")
        web = LoopbackWeb(server, registry, sites, {number: site.host for number, site in sites.items()})
        workers = _start_workers(postgres_url, tmp_path, 2, concurrency=1)
        try:
            _wait_for(lambda: _registered_workers(engine) == 2, workers, 60, "workers registered")
            run_id = _enqueue(postgres_url, web, tmp_path)
            _wait_for(lambda: _run_state(engine, run_id) == "finished", workers, 180, "finished run")
        finally:
            _stop(workers)
        assert [w.process.returncode for w in workers] == [0, 0], [w.text()[-2000:] for w in workers]
        assert all(worker.checked() for worker in workers), "both workers crawled at the same time"
        documents = [r for r in server.requests_to(shared.host) if r.path_with_query.startswith("/dok/")]
        assert len({r.path_with_query for r in documents}) == 8, "every plan fetched from the shared host"
        _assert_polite(server, {shared.host, *web.hosts.values()})
    _assert_checked_once(engine, run_id, set(web.hosts))
    with engine.connect() as connection:
        leases = dict(connection.execute(text("SELECT host, holder FROM host_lease")).all())
    assert shared.host in leases and set(leases.values()) == {None}, "every lease given back"
    engine.dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_finished_jobs_older_than_the_kept_days_are_deleted_by_the_periodic_prune(
    postgres_url: str, tmp_path: Path
) -> None:
    """A worker with `--keep-jobs-days 30` and a prune every second: of the jobs finished 40 days ago the succeeded
    and the failed one go (with their events); a job finished an hour ago and an old one still waiting stay."""
    from planvakt.wiring import queue_app

    engine = database.make_engine(postgres_url)
    database.upgrade(engine)
    queue = queue_app(engine)
    factory = database.make_session_factory(engine)
    with factory.begin() as session:  # jobs of another queue, which the worker does not take
        jobs = [queue.configure_task("planvakt.archived", queue="archive").make_new_job(n=n) for n in range(4)]
        queue.job_manager.batch_defer_jobs(jobs, connection=session.connection().connection.driver_connection)
    with engine.begin() as connection:
        ids = connection.execute(text("SELECT id FROM procrastinate_jobs ORDER BY id")).scalars().all()
        old_succeeded, old_failed, recent, old_waiting = ids
        for job_id, status in ((old_succeeded, "succeeded"), (old_failed, "failed"), (recent, "succeeded")):
            connection.execute(
                text("SELECT procrastinate_finish_job_v1(:id, :status, false)"), {"id": job_id, "status": status}
            )
        connection.execute(
            text("UPDATE procrastinate_events SET at = at - interval '40 days' WHERE job_id = ANY(:ids)"),
            {"ids": [old_succeeded, old_failed, old_waiting]},
        )
        connection.execute(
            text("UPDATE procrastinate_events SET at = at - interval '1 hour' WHERE job_id = :id"), {"id": recent}
        )
    log = tmp_path / "worker.log"
    command = [sys.executable, "-m", "planvakt", "worker", "--db", postgres_url, *WORKER_FLAGS]
    command += ["--keep-jobs-days", "30", "--prune-cron", "* * * * * *"]
    with log.open("wb") as handle:
        worker = Worker(subprocess.Popen(command, env=_env(tmp_path), stdout=handle, stderr=handle), log)

    def remaining() -> set[int]:
        with engine.connect() as connection:
            return set(
                connection.execute(text("SELECT id FROM procrastinate_jobs WHERE queue_name = 'archive'")).scalars()
            )

    try:
        _wait_for(lambda: remaining() == {recent, old_waiting}, [worker], 90, "old finished jobs deleted")
    finally:
        _stop([worker])
    assert worker.process.returncode == 0, worker.text()[-3000:]
    assert "finished jobs older than 30 days deleted" in worker.text()
    with engine.connect() as connection:
        events = connection.execute(
            text("SELECT count(*) FROM procrastinate_events WHERE job_id = ANY(:ids)"),
            {"ids": [old_succeeded, old_failed]},
        ).scalar_one()
        prunes = (
            connection.execute(text("SELECT status FROM procrastinate_jobs WHERE task_name = 'planvakt.prune_jobs'"))
            .scalars()
            .all()
        )
    assert events == 0, "their events went with them"
    assert prunes and set(prunes) <= {"succeeded", "todo", "doing"}, prunes
    engine.dispose()
