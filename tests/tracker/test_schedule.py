"""The scheduler for real: cron semantics, slot claims on SQLite and PostgreSQL, jobs crawling a loopback test web,
alerts reaching a real webhook receiver, and `planvakt schedule` processes (two at once on PostgreSQL) stopped by
signals."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine, func, inspect, select

from crawlers.testweb.changing import ChangingSite, gone, slow
from crawlers.testweb.documents import pdf_bytes
from crawlers.testweb.plantexts import abuse_plan
from crawlers.testweb.server import MultiHostServer
from crawlers.types import CrawlOptions
from tests.receivers import running_receiver
from tracker.alerts.notify import verify_signature
from tracker.alerts.subscriptions import SubscriptionRequest, subscribe
from tracker.config import Settings
from tracker.domain import Country, Kommune
from tracker.schedule import SWEEP_BLOCKED_BY, followup_job, sweep_job
from tracker.schedule.cron import sweep_trigger
from tracker.schedule.job_context import JobContext, Runtime
from tracker.schedule.scheduler_process import (
    JOBS_TABLE,
    SWEEP_JOB,
    ScheduleOptions,
    build_scheduler,
    install_jobs,
    job_specs,
    stop_scheduler,
)
from tracker.store import database, runs, sweeps
from tracker.store.models import CrawlRun, Event, Finding, SiteCheck, SweepClaim, WatchedPlan

PLAN_PATH = "/planer/handlingsplan-mot-seksuelle-overgrep.pdf"
FAST_CRAWL = {"per_host_delay": 0.0, "allow_private_networks": True, "render": "never", "max_pages_per_site": 30}
EVERY_2S = "*/2 * * * * *"
T0 = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


# -- cron -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "after", "expected"),
    [
        # 2026-11-22 is a Sunday. Crontab weekdays: 0 and 7 are Sunday, 1 is Monday (APScheduler 3 would say Tuesday).
        ("0 3 * * 1", datetime(2026, 11, 22, 12, tzinfo=UTC), datetime(2026, 11, 23, 3, tzinfo=UTC)),
        ("0 3 * * 0", datetime(2026, 11, 23, 12, tzinfo=UTC), datetime(2026, 11, 29, 3, tzinfo=UTC)),
        ("0 3 * * 7", datetime(2026, 11, 23, 12, tzinfo=UTC), datetime(2026, 11, 29, 3, tzinfo=UTC)),
        ("30 2 * * 1-5", datetime(2026, 11, 21, 12, tzinfo=UTC), datetime(2026, 11, 23, 2, 30, tzinfo=UTC)),
        ("0 0 * * */2", datetime(2026, 11, 22, 12, tzinfo=UTC), datetime(2026, 11, 24, 0, tzinfo=UTC)),
        ("0 3 * * mon", datetime(2026, 11, 22, 12, tzinfo=UTC), datetime(2026, 11, 23, 3, tzinfo=UTC)),
        ("*/5 * * * * *", datetime(2026, 11, 22, 12, 0, 1, tzinfo=UTC), datetime(2026, 11, 22, 12, 0, 5, tzinfo=UTC)),
    ],
)
def test_cron_expressions_mean_what_crontab_says(expression: str, after: datetime, expected: datetime) -> None:
    assert sweep_trigger(expression).get_next_fire_time(None, after) == expected


@pytest.mark.parametrize("expression", ["0 3 * *", "0 3 * * 9", "61 * * * *", "* * * * * * *"])
def test_malformed_cron_expressions_are_refused(expression: str) -> None:
    with pytest.raises(ValueError):
        sweep_trigger(expression)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--sweep-cron", "0 3 * *"], "needs 5 fields"),
        (["--kommune", "9999"], "unknown kommunenummer: 9999"),
        (["--render", "sometimes"], "--render must be"),
    ],
)
def test_schedule_refuses_bad_options_before_it_starts(tmp_path: Path, arguments: list[str], message: str) -> None:
    from typer.testing import CliRunner

    from planvakt.cli import app

    db = f"sqlite:///{tmp_path / 'planvakt.sqlite3'}"
    runner = CliRunner(env={"PLANVAKT_VAR_DIR": str(tmp_path / "var")})
    assert runner.invoke(app, ["db", "upgrade", "--db", db]).exit_code == 0
    result = runner.invoke(app, ["schedule", "--db", db, "--run-for", "0.1", *arguments])
    assert result.exit_code == 2
    assert message in result.output
    assert JOBS_TABLE not in inspect(database.make_engine(db)).get_table_names(), "nothing was scheduled"


# -- claims -----------------------------------------------------------------------------------------------------


def _claim(engine: Engine, slot: str, now: datetime, alive_for: timedelta = timedelta(hours=2)) -> sweeps.Claim:
    return sweeps.claim_slot(
        database.make_session_factory(engine),
        slot,
        claimed_by="test",
        now=now,
        alive_since=now - alive_for,
        blocked_by=("sweep:",),
        run_options={},
        planned=1,
    )


def _count(engine: Engine, model: type[CrawlRun] | type[SweepClaim]) -> int:
    with database.make_session_factory(engine)() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_slot_is_claimed_once_with_its_own_crawl_run(engine: Engine) -> None:
    first = _claim(engine, "sweep:2026-11-23T03:00:00+00:00", T0)
    second = _claim(engine, "sweep:2026-11-23T03:00:00+00:00", T0 + timedelta(seconds=1))
    assert first.outcome == "claimed" and first.run_id is not None
    assert second.outcome == "taken" and second.run_id is None
    assert _count(engine, CrawlRun) == 1, "the loser's crawl run is rolled back with its claim"
    with database.make_session_factory(engine)() as session:
        (claim,) = sweeps.claims(session, "sweep:")
        assert (claim.run_id, claim.finished_at) == (first.run_id, None)


def test_a_running_sweep_blocks_the_next_until_released_or_dead(engine: Engine) -> None:
    factory = database.make_session_factory(engine)
    first = _claim(engine, "sweep:a", T0)
    busy = _claim(engine, "sweep:b", T0 + timedelta(minutes=30))
    assert (busy.outcome, busy.blocker) == ("busy", "sweep:a")
    assert _count(engine, SweepClaim) == 1 and _count(engine, CrawlRun) == 1

    # A finished site check is the claim's heartbeat: still alive three hours on.
    with factory.begin() as session:
        ids = runs.sync_kommuner(session, [Kommune("0301", "Oslo", Country.NO, "https://www.oslo.kommune.no/")])
        at = T0 + timedelta(hours=2, minutes=50)
        session.add(
            SiteCheck(
                run_id=first.run_id,
                kommune_id=ids[("NO", "0301")],
                start_url="https://www.oslo.kommune.no/",
                reachable=True,
                started_at=at,
                finished_at=at,
            )
        )
    assert _claim(engine, "sweep:c", T0 + timedelta(hours=3)).outcome == "busy"
    # No heartbeat for longer than the claim may be silent: its process is dead, the sweep goes ahead.
    dead_later = _claim(engine, "sweep:d", T0 + timedelta(hours=5))
    assert dead_later.outcome == "claimed"
    with factory.begin() as session:
        assert dead_later.claim_id is not None
        sweeps.release_claim(session, dead_later.claim_id, T0 + timedelta(hours=5, minutes=10))
    assert _claim(engine, "sweep:e", T0 + timedelta(hours=5, minutes=20)).outcome == "claimed"


def test_racing_claims_of_different_slots_let_exactly_one_sweep_run(database_url: str) -> None:
    """Eight schedulers (own engines, own threads) claim eight slots at the same instant: one crawl, seven busy."""
    setup = database.make_engine(database_url)
    database.upgrade(setup)
    engines = [database.make_engine(database_url) for _ in range(8)]
    barrier = threading.Barrier(len(engines))
    outcomes: list[str] = []

    def claim(index: int) -> None:
        barrier.wait()
        outcomes.append(_claim(engines[index], f"sweep:{index}", T0).outcome)

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(len(engines))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert sorted(outcomes) == ["busy"] * 7 + ["claimed"]
        assert _count(setup, SweepClaim) == 1 and _count(setup, CrawlRun) == 1
    finally:
        for engine in [setup, *engines]:
            engine.dispose()


def test_resume_picks_only_runs_no_live_process_is_running(engine: Engine) -> None:
    """`crawl --resume` must never pick up a sweep another scheduler is still running."""
    factory = database.make_session_factory(engine)
    alive_for = timedelta(hours=2)

    def resumable(at: datetime) -> int | None:
        with factory() as session:
            run = sweeps.resumable_run(session, at - alive_for)
            return run.id if run else None

    with factory.begin() as session:
        killed = runs.start_run(session, {}, 1, T0 - timedelta(days=1)).id  # a `crawl` killed outright: no claim
    live = _claim(engine, "sweep:a", T0)
    assert live.run_id is not None and live.claim_id is not None
    assert resumable(T0 + timedelta(minutes=30)) == killed, "the newer run is a sweep still running elsewhere"
    assert resumable(T0 + timedelta(hours=3)) == live.run_id, "a claim silent longer than the timeout is dead"

    with factory.begin() as session:
        sweeps.release_claim(session, live.claim_id, T0 + timedelta(minutes=40))
    assert resumable(T0 + timedelta(minutes=45)) == live.run_id, "a released claim no longer runs its crawl"

    # A scheduler resuming that run claims it again: running, live, not resumable a second time.
    again = sweeps.claim_slot(
        factory,
        "resume:sweep:a",
        claimed_by="test",
        now=T0 + timedelta(hours=1),
        alive_since=T0 - timedelta(hours=1),
        blocked_by=("sweep:", "resume:"),
        run_options={},
        planned=1,
        resume_run_id=live.run_id,
    )
    assert (again.outcome, again.run_id) == ("claimed", live.run_id)
    assert _count(engine, CrawlRun) == 2, "a resume claim starts no new run"
    assert resumable(T0 + timedelta(hours=1, minutes=5)) == killed
    blocked = sweeps.claim_slot(
        factory,
        "sweep:b",
        claimed_by="test",
        now=T0 + timedelta(hours=1, minutes=5),
        alive_since=T0 - timedelta(hours=1),
        blocked_by=SWEEP_BLOCKED_BY,
        run_options={},
        planned=1,
    )
    assert (blocked.outcome, blocked.blocker) == ("busy", "resume:sweep:a"), "a resume blocks the next sweep"

    with factory.begin() as session:
        for run in session.scalars(select(CrawlRun)):
            run.state = "finished"
    with factory.begin() as session:
        interrupted = runs.start_run(session, {}, 1, T0)
        interrupted.state = "interrupted"
        interrupted_id = interrupted.id
    assert resumable(T0 + timedelta(hours=1)) == interrupted_id


def test_followups_are_due_for_suspected_vanishes_checked_long_enough_ago(engine: Engine) -> None:
    factory = database.make_session_factory(engine)
    kommuner = [
        Kommune("0301", "Oslo", Country.NO, "https://a.example/"),
        Kommune("4601", "Bergen", Country.NO, "https://b.example/"),
        Kommune("0101", "København", Country.DK, "https://c.example/"),
    ]
    with factory.begin() as session:
        ids = runs.sync_kommuner(session, kommuner)
        run = runs.start_run(session, {}, 3, T0)
        for key, state, hours_ago in (
            (("NO", "0301"), "suspected_missing", 5),
            (("NO", "4601"), "suspected_missing", 1),
            (("DK", "0101"), "active", 5),
        ):
            checked = T0 - timedelta(hours=hours_ago)
            check = SiteCheck(
                run_id=run.id,
                kommune_id=ids[key],
                start_url="https://x/",
                reachable=True,
                started_at=checked,
                finished_at=checked,
            )
            session.add(check)
            session.flush()
            # a crawl's check always has its finding: the latest finding's check is the kommune's latest check
            session.add(
                Finding(
                    run_id=run.id,
                    kommune_id=ids[key],
                    check_id=check.id,
                    status="no_plan_found",
                    checked_at=checked,
                    reason="seeded",
                )
            )
            session.add(
                WatchedPlan(
                    kommune_id=ids[key],
                    key=f"k{key[1]}",
                    fingerprint="f",
                    category="abuse_specific",
                    state=state,
                    first_seen_at=checked,
                    updated_at=checked,
                )
            )
    with factory() as session:
        assert sweeps.followup_due(session, T0 - timedelta(hours=4)) == [("NO", "0301")]
        assert sweeps.followup_due(session, T0) == [("NO", "0301"), ("NO", "4601")]


# -- the job store ----------------------------------------------------------------------------------------------


def _runtime(database_url: str, tmp_path: Path, now: list[datetime] | None = None) -> Runtime:
    settings = Settings(database_url=database_url, var_dir=tmp_path / "var", extract_workers=1)
    if now is None:
        return Runtime(settings, instance="test")
    return Runtime(settings, instance="test", now=lambda: now[0])


def test_exit_after_sweeps_asks_the_process_to_stop_after_the_nth_sweep() -> None:
    runtime = Runtime(Settings(), instance="test", exit_after_sweeps=2)
    runtime.sweep_finished()
    assert not runtime.stopping.is_set()
    runtime.sweep_finished()
    assert runtime.stopping.is_set() and runtime.sweeps_done == 2


def test_job_table_is_left_out_of_alembic_check(engine: Engine) -> None:
    store = SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)
    scheduler = BackgroundScheduler(jobstores={"default": store}, timezone=UTC)
    scheduler.start(paused=True)
    stop_scheduler(scheduler, wait=False)
    assert JOBS_TABLE in inspect(engine).get_table_names()
    config = Config()
    config.set_main_option("script_location", str(database.MIGRATIONS_DIR))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.check(config)  # raises AutogenerateDiffsDetected if env.py compared APScheduler's table too


def test_a_restart_keeps_an_unchanged_sweep_and_its_missed_run(database_url: str, tmp_path: Path) -> None:
    engine = database.make_engine(database_url)
    database.upgrade(engine)
    options = ScheduleOptions(sweep_cron="0 3 * * 1", crawl=sweep_crawl_options())
    missed = datetime.now(UTC) - timedelta(hours=1)

    def start(opts: ScheduleOptions) -> datetime:
        runtime = _runtime(database_url, tmp_path)
        scheduler = build_scheduler(runtime)
        scheduler.start(paused=True)
        try:
            install_jobs(scheduler, job_specs(opts))
            job = scheduler.get_job(SWEEP_JOB)
            assert job is not None
            next_run: datetime = job.next_run_time
            if next_run > datetime.now(UTC):  # first start: pretend the scheduler was down at this week's 03:00
                # Straight into the job store: a paused scheduler woken by modify_job may process jobs on shutdown.
                store = SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)
                store.start(scheduler, "default")
                stored = store.lookup_job(SWEEP_JOB)
                stored._modify(next_run_time=missed)
                store.update_job(stored)
            return next_run
        finally:
            stop_scheduler(scheduler, wait=False)
            runtime.close()

    first = start(options)
    assert first.weekday() == 0 and (first.hour, first.minute) == (3, 0)
    assert start(options) == missed, "a restart with the same schedule keeps the missed run (it runs as a misfire)"
    changed = start(ScheduleOptions(sweep_cron="0 4 * * 1", crawl=sweep_crawl_options()))
    assert changed > datetime.now(UTC) and changed.hour == 4, "a new schedule replaces the stored job"
    engine.dispose()


def sweep_crawl_options() -> CrawlOptions:
    return replace(CrawlOptions(), **FAST_CRAWL)  # type: ignore[arg-type]


# -- the jobs, called directly over a loopback test web -----------------------------------------------------------


@contextmanager
def _web(host: str, *, plan_delay: float = 0.0) -> Iterator[tuple[ChangingSite, MultiHostServer]]:
    site = ChangingSite(host, "Testby")
    body = pdf_bytes(abuse_plan("nb", "Testby", 2025, 2028))
    site.publish(PLAN_PATH, body, "Handlingsplan mot seksuelle overgrep mot barn 2025–2028")
    if plan_delay:
        site.answer(PLAN_PATH, slow(plan_delay, body=body))
    with MultiHostServer([site.site]) as server:
        yield site, server


def _registry(path: Path, server: MultiHostServer, host: str) -> Path:
    path.write_text(f"kommunenummer,name,country,website\n0301,Testby,NO,{server.base_url(host)}/\n", encoding="utf-8")
    return path


def test_followup_job_confirms_a_suspected_vanish_hours_later_not_a_week_later(engine: Engine, tmp_path: Path) -> None:
    url = engine.url.render_as_string(hide_password=False)
    clock = [datetime.now(UTC)]
    runtime = _runtime(url, tmp_path, clock)
    factory = database.make_session_factory(engine)
    with _web("127.0.61.1") as (site, server):
        target = {
            "registry": str(_registry(tmp_path / "r.csv", server, site.host)),
            "kommuner": [],
            "crawl": FAST_CRAWL,
        }

        def at(hours: float) -> JobContext:
            clock[0] = clock[0] + timedelta(hours=hours)
            return JobContext(runtime, clock[0].replace(microsecond=0))

        sweep_job(**target, context=at(0))
        site.unlink(PLAN_PATH)
        site.answer(PLAN_PATH, gone(404))
        sweep_job(**target, context=at(0.01))
        with factory() as session:
            assert session.scalars(select(WatchedPlan.state)).all() == ["suspected_missing"]

        followup_job(**target, context=at(1))  # too early: PLANVAKT_FOLLOWUP_HOURS is 4
        with factory() as session:
            assert sweeps.claims(session, "followup:") == []
        followup_job(**target, context=at(4))
    with factory() as session:
        (claim,) = sweeps.claims(session, "followup:")
        assert claim.finished_at is not None
        run = session.get(CrawlRun, claim.run_id)
        assert run is not None and run.state == "finished" and run.kommuner_planned == 1
        kinds = session.scalars(select(Event.kind).order_by(Event.id)).all()
        assert kinds == ["plan_appeared", "plan_vanished"]
        assert session.scalars(select(WatchedPlan.state)).all() == ["vanished"]
    runtime.close()


# -- `planvakt schedule` processes ------------------------------------------------------------------------------


def _schedule_command(db: str, registry: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "planvakt", "schedule", "--db", db, "--registry", str(registry),
        "--allow-private-networks", "--per-host-delay", "0", "--render", "never", "--max-pages-per-site", "30",
        *extra,
    ]  # fmt: skip


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PLANVAKT_VAR_DIR": str(tmp_path / "var"), "PLANVAKT_EXTRACT_WORKERS": "1"}


def _wait_for(condition: object, process: subprocess.Popen[str], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert process.poll() is None, f"the scheduler exited before {what}: {process.communicate()[1][-3000:]}"
        assert time.monotonic() < deadline, f"no {what} within {seconds} s"
        time.sleep(0.1)


@pytest.mark.slow
def test_schedule_sweeps_delivers_the_alert_and_stops_on_sigterm(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'planvakt.sqlite3'}"
    engine = database.make_engine(db)
    database.upgrade(engine)
    factory = database.make_session_factory(engine)
    with running_receiver() as receiver, _web("127.0.61.2") as (site, server):
        registry = _registry(tmp_path / "registry.csv", server, site.host)
        with factory.begin() as session:
            runs.sync_kommuner(session, [Kommune("0301", "Testby", Country.NO, server.base_url(site.host) + "/")])
        subscribe(
            factory,
            SubscriptionRequest("webhook", receiver.url, secret="hemmelig"),
            now=datetime.now(UTC),
            allow_private_networks=True,  # the receiver is on loopback; the scheduler runs --allow-private-networks
        )
        process = subprocess.Popen(
            _schedule_command(db, registry, "--sweep-cron", EVERY_2S, "--alerts-every", "1"),
            env=_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _wait_for(lambda: receiver.accepted(), process, 40, "alert at the webhook")
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert process.returncode == 0, err[-3000:]
    assert "scheduler stopped after" in out
    assert re.search(r"sweep:\S+: Crawl run \d+ \(finished\): 1 of 1 sites checked \(1 abuse_specific_plan\)", err), err
    (request, *_) = receiver.accepted()
    payload = json.loads(request.body)
    assert (payload["kind"], payload["kommunenummer"]) == ("plan_appeared", "0301")
    assert payload["url"].endswith(PLAN_PATH)
    assert verify_signature(request.body, request.headers["X-Planvakt-Signature"], "hemmelig")
    with factory() as session:
        claims = sweeps.claims(session, "sweep:")
        crawl_runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
    assert claims and all(c.finished_at is not None for c in claims)
    assert sorted(c.run_id for c in claims) == [r.id for r in crawl_runs], "one crawl run per claimed slot, no other"
    engine.dispose()


@pytest.mark.slow
def test_sigterm_interrupts_a_running_sweep_which_crawl_resume_finishes(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from planvakt.cli import app

    db = f"sqlite:///{tmp_path / 'planvakt.sqlite3'}"
    engine = database.make_engine(db)
    database.upgrade(engine)
    factory = database.make_session_factory(engine)

    def running() -> bool:
        with factory() as session:
            return any(c.finished_at is None for c in sweeps.claims(session, "sweep:"))

    with _web("127.0.61.3", plan_delay=15) as (site, server):
        registry = _registry(tmp_path / "registry.csv", server, site.host)
        process = subprocess.Popen(
            _schedule_command(db, registry, "--sweep-cron", EVERY_2S),
            env=_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _wait_for(running, process, 40, "sweep under way")
            time.sleep(0.5)  # well into the crawl: the plan PDF takes 15 s to answer
            stopped_at = time.monotonic()
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=30)
            took = time.monotonic() - stopped_at
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        assert process.returncode == 0, err[-3000:]
        assert took < 10, f"stopping took {took:.1f} s: the crawl was waited for, not interrupted"
        with factory() as session:
            (claim,) = sweeps.claims(session, "sweep:")
            run = session.get(CrawlRun, claim.run_id)
            assert claim.finished_at is not None and run is not None and run.state == "interrupted"

        site.publish(PLAN_PATH, pdf_bytes(abuse_plan("nb", "Testby", 2025, 2028)), "Handlingsplan")
        crawl = ["crawl", "--registry", str(registry), "--allow-private-networks", "--render", "never"]
        result = CliRunner(env={"PLANVAKT_VAR_DIR": str(tmp_path / "var")}).invoke(
            app, [*crawl, "--per-host-delay", "0", "--resume", "--db", db]
        )
        assert result.exit_code == 0, result.output
    with factory() as session:
        run = session.get(CrawlRun, claim.run_id)
        assert run is not None and run.state == "finished" and run.kommuner_checked == 1
        assert _count(engine, CrawlRun) == 1, "--resume finished the interrupted sweep run instead of a new one"
    engine.dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_two_schedulers_on_one_postgres_database_run_each_sweep_once(postgres_url: str, tmp_path: Path) -> None:
    engine = database.make_engine(postgres_url)
    database.upgrade(engine)
    factory = database.make_session_factory(engine)

    def released() -> int:
        with factory() as session:
            return sum(c.finished_at is not None for c in sweeps.claims(session, "sweep:"))

    with _web("127.0.61.4") as (site, server):
        registry = _registry(tmp_path / "registry.csv", server, site.host)
        command_line = _schedule_command(postgres_url, registry, "--sweep-cron", EVERY_2S)
        processes = [
            subprocess.Popen(
                command_line, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        try:
            for process in processes:
                _wait_for(lambda: released() >= 3, process, 60, "three sweeps")
            for process in processes:
                process.send_signal(signal.SIGTERM)
            outputs = [p.communicate(timeout=30) for p in processes]
        finally:
            for process in processes:
                if process.poll() is None:
                    process.kill()
                    process.wait()
    assert [p.returncode for p in processes] == [0, 0], [err[-2000:] for _, err in outputs]
    with factory() as session:
        claims = sweeps.claims(session, "sweep:")
        crawl_runs = {r.id: r for r in session.scalars(select(CrawlRun))}
        counted = session.execute(select(SiteCheck.run_id, func.count()).group_by(SiteCheck.run_id))
        per_run = {run_id: count for run_id, count in counted}
    assert sorted(c.run_id for c in claims) == sorted(crawl_runs), "exactly one crawl run per claimed slot, no other"
    assert all(c.finished_at is not None for c in claims)
    # The last sweep may have been interrupted by SIGTERM; every other one crawled the site once.
    assert [crawl_runs[c.run_id].state for c in claims[:-1]] == ["finished"] * (len(claims) - 1)
    assert all(per_run.get(run.id) == 1 for run in crawl_runs.values() if run.state == "finished")
    logs = [err for _, err in outputs]
    for claim in claims:
        assert sum(log.count(f"{claim.slot}: claimed, crawl run") for log in logs) == 1, claim.slot
    # Both processes fired the same slot at least once (one claimed it, the other was refused or saw it running),
    # so the single runs above are the claims' doing, not luck of timing.
    fired = [
        {
            line.split(" tracker.schedule: ", 1)[1].split(": ", 1)[0]
            for line in log.splitlines()
            if " tracker.schedule: sweep:" in line
        }
        for log in logs
    ]
    assert fired[0] & fired[1], "the two schedulers never fired the same slot"
    engine.dispose()


@pytest.mark.slow
def test_a_restarted_scheduler_resumes_the_sweep_sigterm_interrupted(tmp_path: Path) -> None:
    """SIGTERM mid-sweep, start the scheduler again: it resumes that sweep's run by itself, once, and every kommune
    ends up checked exactly once in it."""
    db = f"sqlite:///{tmp_path / 'planvakt.sqlite3'}"
    engine = database.make_engine(db)
    database.upgrade(engine)
    factory = database.make_session_factory(engine)
    body = pdf_bytes(abuse_plan("nb", "Testby", 2025, 2028))
    sites = [ChangingSite(f"127.0.62.{i + 1}", f"Testby {i}") for i in range(3)]
    for site in sites:
        site.publish(PLAN_PATH, body, "Handlingsplan mot seksuelle overgrep mot barn 2025–2028")
    sites[2].answer(PLAN_PATH, slow(30, body=body))  # holds the sweep open until it is stopped

    def checks() -> dict[int, int]:
        with factory() as session:
            rows = session.execute(select(SiteCheck.run_id, func.count()).group_by(SiteCheck.run_id))
            return {run_id: count for run_id, count in rows}

    with MultiHostServer([s.site for s in sites]) as server:
        registry = tmp_path / "registry.csv"
        registry.write_text(
            "kommunenummer,name,country,website\n"
            + "".join(f"030{i + 1},Testby {i},NO,{server.base_url(s.host)}/\n" for i, s in enumerate(sites)),
            encoding="utf-8",
        )
        # a 30 s period leaves room on a loaded machine for the restart to fall within one sweep period
        command_line = _schedule_command(db, registry, "--sweep-cron", "*/30 * * * * *")
        first = subprocess.Popen(
            command_line, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            _wait_for(lambda: sum(checks().values()) >= 2, first, 90, "two kommuner checked")
            first.send_signal(signal.SIGTERM)
            first.communicate(timeout=30)
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
        with factory() as session:
            (claim,) = sweeps.claims(session, "sweep:")
            run = session.get(CrawlRun, claim.run_id)
            assert run is not None and run.state == "interrupted"
        assert checks() == {claim.run_id: 2}

        sites[2].publish(PLAN_PATH, body, "Handlingsplan mot seksuelle overgrep mot barn 2025–2028")
        second = subprocess.Popen(
            [*command_line, "--exit-after-sweeps", "1"],
            env=_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            out, err = second.communicate(timeout=60)
        finally:
            if second.poll() is None:
                second.kill()
                second.wait()
    assert second.returncode == 0, err[-3000:]
    assert "scheduler stopped after 1 sweep(s)" in out
    assert f"resume:{claim.slot}: resuming interrupted crawl run {claim.run_id}" in err
    with factory() as session:
        run = session.get(CrawlRun, claim.run_id)
        assert run is not None and run.state == "finished" and run.kommuner_checked == 3
        (resume,) = sweeps.claims(session, "resume:")
        assert (resume.slot, resume.run_id) == (f"resume:{claim.slot}", claim.run_id)
        assert resume.finished_at is not None
        per_kommune = session.execute(
            select(SiteCheck.kommune_id, func.count())
            .where(SiteCheck.run_id == claim.run_id)
            .group_by(SiteCheck.kommune_id)
        ).all()
    assert sorted(count for _, count in per_kommune) == [1, 1, 1], "every kommune checked once in the resumed run"
    assert _count(engine, CrawlRun) == 1, "the sweep was resumed, not started afresh"
    engine.dispose()
