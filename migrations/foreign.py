"""Tables in our database that are not ours, left out of autogenerate and `alembic check` (env.py, and the test
that the migrations and the models agree)."""

from __future__ import annotations

#: APScheduler's job store (tracker.schedule.scheduler_process.JOBS_TABLE)
FOREIGN_TABLES = frozenset({"apscheduler_jobs"})
#: procrastinate's job queue (migration 0007 applies its schema on PostgreSQL)
FOREIGN_TABLE_PREFIX = "procrastinate_"


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """False for other libraries' tables (their indexes and constraints go with them)."""
    foreign = name in FOREIGN_TABLES or (name or "").startswith(FOREIGN_TABLE_PREFIX)
    return not (type_ == "table" and foreign)
