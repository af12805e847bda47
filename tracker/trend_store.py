"""Reads for trends: each sweep's status counts (nationally or per fylke/region) and one kommune's history.

A sweep is a crawl run other than a volunteer's tip (`options.source == "tip"`, one kommune re-checked). Its counts
are of every kommune's latest status as of that sweep: a kommune the sweep did not reach (an interrupted run, a run of
some kommuner only) keeps its previous status, and a kommune never checked by then is not counted. So a partial run
does not look like kommuner vanishing, and shares stay comparable from sweep to sweep.

Statuses are counted per (status, plan_current) pair, so the dashboard can keep an expired plan apart from a current
one. One query for the runs and one streamed query for the findings; with two years of weekly sweeps over 455
kommuner (about 47,000 findings) the fold is a dict of 455 entries updated once per finding.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import CrawlRun, Finding, KommuneRow

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


def status_trend(
    session: Session, *, country: str | None = None, region: str | None = None, limit: int = 104
) -> list[SweepCounts]:
    """The last `limit` sweeps, oldest first, each with the carried-forward counts of the kommuner chosen by
    `country` ("NO" | "DK") and `region` (a fylke/region name or code); sweeps before any chosen kommune was
    checked are left out."""
    runs = {run.id: run for run in session.scalars(select(CrawlRun).order_by(CrawlRun.id)) if not _is_tip(run.options)}
    stmt = (
        select(Finding.run_id, Finding.kommune_id, Finding.status, Finding.plan_current)
        .join(KommuneRow, KommuneRow.id == Finding.kommune_id)
        .order_by(Finding.run_id, Finding.id)
        .execution_options(yield_per=2000)
    )
    if country:
        stmt = stmt.where(KommuneRow.country == country)
    if region:
        stmt = stmt.where((KommuneRow.region == region) | (KommuneRow.region_code == region))
    latest: dict[int, StatusKey] = {}
    checked: Counter[int] = Counter()
    sweeps: list[SweepCounts] = []
    pending: int | None = None  # the sweep whose findings are being read

    def close(run_id: int) -> None:
        run = runs[run_id]
        counts = Counter(latest.values())
        sweeps.append(SweepCounts(run.id, run.started_at, run.state, checked[run_id], len(latest), dict(counts)))

    for run_id, kommune_id, status, plan_current in session.execute(stmt):
        if pending is not None and run_id != pending:
            close(pending)
            pending = None
        latest[kommune_id] = (status, plan_current)
        if run_id in runs:
            checked[run_id] += 1
            pending = run_id
    if pending is not None:
        close(pending)
    return sweeps[-limit:] if limit else sweeps


def kommune_history(session: Session, kommune_id: int, *, limit: int = 200) -> list[HistoryPoint]:
    """The kommune's last `limit` findings, oldest first: what each check said."""
    stmt = (
        select(Finding.run_id, Finding.checked_at, Finding.status, Finding.plan_current, CrawlRun.options)
        .join(CrawlRun, CrawlRun.id == Finding.run_id)
        .where(Finding.kommune_id == kommune_id)
        .order_by(Finding.checked_at.desc(), Finding.id.desc())
        .limit(limit)
    )
    points = [
        HistoryPoint(run_id, checked_at, status, plan_current, _is_tip(options))
        for run_id, checked_at, status, plan_current, options in session.execute(stmt)
    ]
    return points[::-1]
