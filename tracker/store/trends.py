"""Reads for trends: each sweep's status counts (nationally or per fylke/region) and one kommune's history.

A sweep is a crawl run other than a volunteer's tip (`options.source == "tip"`, one kommune re-checked). Its counts
are of every kommune's latest status as of that sweep: a kommune the sweep did not reach (an interrupted run, a run of
some kommuner only) keeps its previous status, and a kommune never checked by then is not counted. So a partial run
does not look like kommuner vanishing, and shares stay comparable from sweep to sweep.

Statuses are counted per (status, plan_current) pair, so the dashboard can keep an expired plan apart from a current
one. Three queries: findings per run, the runs, and only the findings that changed a kommune's status (a window
function over `finding`); with two years of weekly sweeps over 455 kommuner (47,320 findings) see
bench/bench_trends.py for the figures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from tracker.store.latest import NEWEST_FIRST
from tracker.store.models import CrawlRun, Finding, KommuneRow

#: a status with the finding's plan_current ("true" | "false" | "unknown" | None without a plan)
StatusKey = tuple[str, str | None]


@dataclass(frozen=True)
class SweepCounts:
    """How many kommuner stood where after one sweep."""

    run_id: int
    started_at: datetime
    state: str  # finished | running | interrupted | ...
    checked: int  # kommuner this run checked itself
    total: int  # kommuner with any status by then (checked by this run or an earlier one)
    counts: dict[StatusKey, int]


@dataclass(frozen=True)
class HistoryPoint:
    """One finding of one kommune: its status in one check."""

    run_id: int
    checked_at: datetime
    status: str
    plan_current: str | None
    tip: bool  # the check came from a volunteer's tip, not a sweep


def _is_tip(options: dict[str, object] | None) -> bool:
    return (options or {}).get("source") == "tip"


def _chosen_kommuner(country: str | None, region: str | None) -> list[ColumnElement[bool]]:
    """The conditions on `KommuneRow` that pick the kommuner by `country` and `region` (none: every kommune)."""
    chosen: list[ColumnElement[bool]] = []
    if country:
        chosen.append(KommuneRow.country == country)
    if region:
        chosen.append(or_(KommuneRow.region == region, KommuneRow.region_code == region))
    return chosen


def _status_changes(session: Session, chosen: list[ColumnElement[bool]]) -> dict[int, list[tuple[int, StatusKey]]]:
    """Per run id, in finding order: (kommune id, status key) of each finding that changed its kommune's status key
    (a kommune's first finding included), by a window function over the kommune's findings."""
    partition, order = Finding.kommune_id, (Finding.run_id, Finding.id)
    ordered = (
        select(
            Finding.id,
            Finding.run_id,
            Finding.kommune_id,
            Finding.status,
            Finding.plan_current,
            func.lag(Finding.id).over(partition_by=partition, order_by=order).label("previous_id"),
            func.lag(Finding.status).over(partition_by=partition, order_by=order).label("previous_status"),
            func.lag(Finding.plan_current).over(partition_by=partition, order_by=order).label("previous_current"),
        )
        .join(KommuneRow, KommuneRow.id == Finding.kommune_id)
        .where(*chosen)
        .subquery()
    )
    changes = (
        select(ordered.c.run_id, ordered.c.kommune_id, ordered.c.status, ordered.c.plan_current)
        .where(
            or_(
                ordered.c.previous_id.is_(None),
                ordered.c.previous_status != ordered.c.status,
                ordered.c.previous_current.is_distinct_from(ordered.c.plan_current),
            )
        )
        .order_by(ordered.c.run_id, ordered.c.id)
    )
    by_run: dict[int, list[tuple[int, StatusKey]]] = {}
    for run_id, kommune_id, status, plan_current in session.execute(changes):
        by_run.setdefault(run_id, []).append((kommune_id, (status, plan_current)))
    return by_run


def status_trend(
    session: Session, *, country: str | None = None, region: str | None = None, limit: int = 104
) -> list[SweepCounts]:
    """The last `limit` sweeps, oldest first, each with the carried-forward counts of the kommuner chosen by
    `country` ("NO" | "DK") and `region` (a fylke/region name or code); sweeps before any chosen kommune was
    checked, and sweeps that checked none of them, are left out.

    Only findings that changed a kommune's (status, plan_current) leave the database (a window function compares
    each with the kommune's previous one), so the fold in Python touches hundreds of rows, not tens of thousands.
    """
    chosen = _chosen_kommuner(country, region)
    per_run = (
        select(Finding.run_id, func.count())
        .join(KommuneRow, KommuneRow.id == Finding.kommune_id)
        .where(*chosen)
        .group_by(Finding.run_id)
        .order_by(Finding.run_id)
    )
    checked: dict[int, int] = {run_id: n for run_id, n in session.execute(per_run)}
    runs = {
        run.id: run
        for run in session.scalars(select(CrawlRun).where(CrawlRun.id.in_(list(checked))))
        if not _is_tip(run.options)
    }
    by_run = _status_changes(session, chosen)
    latest: dict[int, StatusKey] = {}
    sweeps: list[SweepCounts] = []
    for run_id in checked:  # in run order
        for kommune_id, key in by_run.get(run_id, ()):
            latest[kommune_id] = key
        run = runs.get(run_id)
        if run is not None:
            counts = dict(Counter(latest.values()))
            sweeps.append(SweepCounts(run.id, run.started_at, run.state, checked[run_id], len(latest), counts))
    return sweeps[-limit:] if limit else sweeps


def kommune_history(session: Session, kommune_id: int, *, limit: int = 200) -> list[HistoryPoint]:
    """The kommune's last `limit` findings, oldest first: what each check said."""
    stmt = (
        select(Finding.run_id, Finding.checked_at, Finding.status, Finding.plan_current, CrawlRun.options)
        .join(CrawlRun, CrawlRun.id == Finding.run_id)
        .where(Finding.kommune_id == kommune_id)
        .order_by(*NEWEST_FIRST)
        .limit(limit)
    )
    points = [
        HistoryPoint(run_id, checked_at, status, plan_current, _is_tip(options))
        for run_id, checked_at, status, plan_current, options in session.execute(stmt)
    ]
    return points[::-1]
