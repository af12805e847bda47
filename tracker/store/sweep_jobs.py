"""The SQL of a queued sweep (`tracker.schedule.sweep_queue`): procrastinate's job table read beside our `crawl_run`,
the advisory lock that lets one worker at a time hand stalled jobs back, and the session's own psycopg connection that
check jobs are deferred on (so they commit with the run). PostgreSQL only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

#: the task name procrastinate's check jobs carry (the SQL below selects a run's jobs by it)
CHECK_TASK = "planvakt.check_kommune"

_UNFINISHED_JOBS = """
SELECT count(*) FROM procrastinate_jobs
 WHERE task_name = :task AND status IN ('todo', 'doing')
   AND (args ->> 'run_id')::bigint = :run_id AND id <> :job_id
"""
#: a WHERE condition on `crawl_run`: no check job of the run waits or runs (constants only: safe as text)
NO_OPEN_JOBS_OF_CRAWL_RUN = f"""NOT EXISTS (SELECT 1 FROM procrastinate_jobs j WHERE j.task_name = '{CHECK_TASK}'
   AND j.status IN ('todo', 'doing') AND (j.args ->> 'run_id')::bigint = crawl_run.id)"""
_DRAINED_RUNS = f"""
SELECT crawl_run.id FROM crawl_run
 WHERE crawl_run.state = 'running'
   AND EXISTS (SELECT 1 FROM procrastinate_jobs j
                WHERE j.task_name = '{CHECK_TASK}' AND (j.args ->> 'run_id')::bigint = crawl_run.id)
   AND {NO_OPEN_JOBS_OF_CRAWL_RUN}
"""


def other_open_jobs(session: Session, run_id: int, job_id: int) -> int:
    """How many check jobs of the run but `job_id` wait or run."""
    count = session.execute(text(_UNFINISHED_JOBS), {"task": CHECK_TASK, "run_id": run_id, "job_id": job_id})
    return int(count.scalar_one())


def drained_run_ids(session: Session) -> list[int]:
    """Running crawl runs that had check jobs and have none left waiting or running."""
    return list(session.scalars(text(_DRAINED_RUNS)).all())


@contextmanager
def advisory_lock(engine: Engine, key: int) -> Iterator[bool]:
    """Try PostgreSQL's session advisory lock `key` on a connection of its own; yield whether it was taken (and
    release it on exit when it was)."""
    with engine.connect() as connection:
        if not connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar():
            yield False
            return
        try:
            yield True
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            connection.commit()


def driver_connection(session: Session) -> Any:
    """The psycopg connection of the session's transaction: jobs deferred on it commit (or not) with the session."""
    return session.connection().connection.driver_connection
