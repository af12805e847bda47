"""Trend reads over several crawl runs, on SQLite and PostgreSQL: counts per sweep carried forward, tips left out
as points, filters by country and fylke/region, and one kommune's history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from tracker.domain import Country, Kommune, Status
from tracker.findings import FindingDecision
from tracker.store import database, runs
from tracker.store.models import CrawlRun, KommuneRow, SiteCheck
from tracker.store.trends import kommune_history, status_trend

T0 = datetime(2026, 1, 5, 3, tzinfo=UTC)
KOMMUNER = [
    Kommune("4601", "Bergen", Country.NO, "https://a.no", region_code="46", region="Vestland"),
    Kommune("4602", "Kinn", Country.NO, "https://b.no", region_code="46", region="Vestland"),
    Kommune("1804", "Bodø", Country.NO, "https://c.no", region_code="18", region="Nordland"),
    Kommune("0101", "København", Country.DK, "https://d.dk", region_code="1084", region="Region Hovedstaden"),
]
PLAN = (Status.ABUSE_SPECIFIC_PLAN, "true")


def _run(engine: Engine, week: int, statuses: dict[str, tuple[Status, str]], source: str = "crawl") -> int:
    """One crawl run (a sweep, or a volunteer's tip) that checked the kommuner in `statuses`."""
    factory = database.make_session_factory(engine)
    at = T0 + timedelta(weeks=week)
    with factory.begin() as session:
        ids = runs.sync_kommuner(session, KOMMUNER)
        run = runs.start_run(session, {"source": source}, len(statuses), at)
        for number, (status, current) in statuses.items():
            country = "DK" if number == "0101" else "NO"
            check = runs.add_check(
                session,
                SiteCheck(
                    run_id=run.id,
                    kommune_id=ids[(country, number)],
                    start_url="https://x",
                    final_url="https://x",
                    reachable=status != Status.SITE_UNREACHABLE,
                    pages_fetched=3,
                    started_at=at,
                    finished_at=at,
                ),  # fmt: skip
                [],
            )
            decision = FindingDecision(status, None, current, "test")
            runs.add_finding(
                session, run=run, check=check, decision=decision, plan_sighting=None, plan_classification=None
            )
        runs.finish_run(session, run, at, "interrupted" if len(statuses) < len(KOMMUNER) else "finished")
        return run.id


def test_sweeps_carry_statuses_forward_and_tips_are_no_points(engine: Engine) -> None:
    first = _run(
        engine,
        0,
        {
            "4601": (Status.NO_PLAN_FOUND, ""),
            "4602": (Status.SITE_UNREACHABLE, ""),
            "1804": (Status.GENERAL_VIOLENCE_PLAN_ONLY, "true"),
            "0101": (Status.NO_PLAN_FOUND, ""),
        },
    )
    tip = _run(engine, 1, {"4601": PLAN}, source="tip")  # a volunteer's tip: counted from the next sweep on
    # an interrupted sweep that reached only two kommuner: the other two keep their statuses
    second = _run(engine, 2, {"4602": (Status.ABUSE_SPECIFIC_PLAN, "false"), "0101": PLAN})
    third = _run(engine, 3, {k.kommunenummer: PLAN for k in KOMMUNER})

    factory = database.make_session_factory(engine)
    with factory() as session:
        sweeps = status_trend(session)
        assert [s.run_id for s in sweeps] == [first, second, third]
        assert tip not in [s.run_id for s in sweeps]
        assert [(s.total, s.checked) for s in sweeps] == [(4, 4), (4, 2), (4, 4)]
        assert sweeps[0].counts == {
            ("no_plan_found", None): 2,
            ("site_unreachable", None): 1,
            ("general_violence_plan_only", "true"): 1,
        }
        assert sweeps[1].counts == {
            ("abuse_specific_plan", "true"): 2,  # the tip's plan (4601) and København
            ("abuse_specific_plan", "false"): 1,  # an expired plan is told apart
            ("general_violence_plan_only", "true"): 1,  # Bodø, not reached by this sweep, keeps its status
        }
        assert sweeps[1].state == "interrupted"
        assert sweeps[2].counts == {("abuse_specific_plan", "true"): 4}
        assert status_trend(session, limit=2)[0].run_id == second

        vestland = status_trend(session, region="Vestland")
        assert [s.total for s in vestland] == [2, 2, 2]
        assert vestland[0].counts == {("no_plan_found", None): 1, ("site_unreachable", None): 1}
        assert status_trend(session, region="46")[1].counts == vestland[1].counts  # by fylkesnummer too
        denmark = status_trend(session, country="DK")
        assert [s.counts for s in denmark] == [
            {("no_plan_found", None): 1},
            {("abuse_specific_plan", "true"): 1},
            {("abuse_specific_plan", "true"): 1},
        ]
        assert status_trend(session, region="Finnmark") == []

        kinn = session.scalars(select(KommuneRow.id).where(KommuneRow.kommunenummer == "4602")).one()
        history = kommune_history(session, kinn)
        assert [(p.status, p.plan_current) for p in history] == [
            ("site_unreachable", None),
            ("abuse_specific_plan", "false"),
            ("abuse_specific_plan", "true"),
        ]
        assert [p.checked_at for p in history] == sorted(p.checked_at for p in history)
        bergen = session.scalars(select(KommuneRow.id).where(KommuneRow.kommunenummer == "4601")).one()
        assert [p.tip for p in kommune_history(session, bergen)] == [False, True, False]
        assert [p.run_id for p in kommune_history(session, bergen, limit=2)] == [tip, third]


def test_no_runs_no_trend(engine: Engine) -> None:
    factory = database.make_session_factory(engine)
    with factory() as session:
        assert status_trend(session) == []
        assert session.scalars(select(CrawlRun)).first() is None
