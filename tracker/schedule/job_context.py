"""What one scheduler process lends its jobs: its settings and engine, the stop flag and the sweep counter
(`Runtime`), handed to each job with the fire time it was scheduled for (`JobContext`) by `ContextExecutor`. Never
persisted: the job store keeps only plain kwargs."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tracker.clock import utc_now
from tracker.config import Settings
from tracker.domain import Kommune
from tracker.store import database, sweeps


@dataclass
class Runtime:
    """One scheduler process: its settings and engine, the stop flag, and the sweep counter for `--exit-after-sweeps`.

    Never persisted. Built once by the CLI; the jobs reach it through `JobContext`.
    """

    settings: Settings
    instance: str
    stopping: threading.Event = field(default_factory=threading.Event)
    now: Callable[[], datetime] = utc_now
    exit_after_sweeps: int | None = None
    claim_alive_for: timedelta = sweeps.CLAIM_ALIVE_FOR
    #: time between two sweep slots (set by `run_scheduler` from the cron); an interrupted sweep is resumed
    #: only while its slot is at most this old. None: never resumed by the scheduler
    sweep_period: timedelta | None = None
    sweeps_done: int = 0
    #: set on PostgreSQL by `planvakt schedule --queue`: a claimed sweep or follow-up run is handed to the job queue
    #: (`enqueue(run_id, kommuner)`, for `planvakt worker` processes) instead of being crawled in this process
    enqueue: Callable[[int, list[Kommune]], None] | None = None
    _engine: Engine | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = database.make_engine(self.settings.resolved_database_url)
            return self._engine

    def session_factory(self) -> sessionmaker[Session]:
        return database.make_session_factory(self.engine)

    def sweep_finished(self) -> None:
        """Count a sweep this process ran; ask the process to stop once it has run `exit_after_sweeps`."""
        with self._lock:
            self.sweeps_done += 1
            if self.exit_after_sweeps is not None and self.sweeps_done >= self.exit_after_sweeps:
                self.stopping.set()

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None


@dataclass(frozen=True)
class JobContext:
    """What a job gets besides its persisted kwargs: the process runtime and the fire time it was scheduled for."""

    runtime: Runtime
    scheduled_fire_time: datetime


class ContextExecutor(ThreadPoolExecutor):  # type: ignore[misc]  # APScheduler 3 ships no types
    """A thread pool that hands each job a `JobContext`.

    APScheduler 3 does not tell a job which fire time it runs for, and the claim must be keyed on that, not on the
    clock (two processes firing one slot see slightly different clocks). `_do_submit_job` is APScheduler 3's
    documented hook for custom executors; the job is copied so the context never reaches the job store.
    """

    def __init__(self, runtime: Runtime, max_workers: int = 4) -> None:
        super().__init__(max_workers)
        self.runtime = runtime

    def _do_submit_job(self, job: Job, run_times: list[datetime]) -> None:
        bound = copy.copy(job)  # pickled state only: put back what the executor reads of a live job
        bound._scheduler = job._scheduler
        bound._jobstore_alias = job._jobstore_alias
        bound.kwargs = {**job.kwargs, "context": JobContext(self.runtime, run_times[-1].astimezone(UTC))}
        super()._do_submit_job(bound, run_times)
