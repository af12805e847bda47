"""One definition of "the latest finding of a kommune" (`tracker.store.latest`): every reader agrees on it, on data
where a lazier definition would not (findings stored out of `checked_at` order, equal `checked_at`, a site that failed
its latest check, a volunteer's tip checked after the crawl), and no module derives it again."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from tests.dashboards.act_seed import FJELLVIK, KILDEBY, NORDMYRA, T0, VIKOY, SeedDoc, seed_check
from tracker.domain import NOT_CHECKED, Category
from tracker.store import acts, crawler_health, database, kommune_detail, latest, reviews, runs, sweeps, trends
from tracker.store.latest import iter_latest_findings, iter_latest_plans
from tracker.store.models import Finding, KommuneRow, SiteCheck, WatchedPlan
from tracker.store.statuses import kommune_statuses

ROOT = Path(__file__).resolve().parents[1]
PLAN = SeedDoc("Handlingsplan mot seksuelle overgrep mot barn 2024–2027")
VIOLENCE = SeedDoc("Handlingsplan mot vold i nære relasjoner", category=Category.GENERAL_VIOLENCE)


def _seed(engine: Engine) -> dict[str, int]:
    """Each kommune's latest finding id by kommunenummer (Nordmyra: never checked)."""
    factory = database.make_session_factory(engine)
    # Fjellvik: the finding stored last holds the older check time; stored order decides
    seed_check(factory, FJELLVIK, [PLAN], at=T0 + timedelta(days=7))
    fjellvik = seed_check(factory, FJELLVIK, [], at=T0)
    # Vikøy: two checks at the same moment; the later stored one found the site unreachable
    seed_check(factory, VIKOY, [PLAN], at=T0)
    vikoy = seed_check(factory, VIKOY, [], at=T0, reachable=False)
    # Kildeby: a volunteer's tip checked after the crawl stores a check but no finding
    kildeby = seed_check(factory, KILDEBY, [VIOLENCE], at=T0)
    with factory.begin() as session:
        ids = runs.sync_kommuner(session, [NORDMYRA, KILDEBY])
        run = runs.start_run(session, {"source": "tip"}, 1, T0 + timedelta(days=1))
        kildeby_id = ids[("DK", KILDEBY.kommunenummer)]
        runs.add_check(session, SiteCheck(run_id=run.id, kommune_id=kildeby_id, start_url=KILDEBY.website,
                                             reachable=True, blocked=False, pages_fetched=0, robots_disallowed=0,
                                             rendered_pages=0, issues=[], started_at=T0 + timedelta(days=1),
                                             finished_at=T0 + timedelta(days=1)), [])  # fmt: skip
    return {FJELLVIK.kommunenummer: fjellvik, VIKOY.kommunenummer: vikoy, KILDEBY.kommunenummer: kildeby}


def test_every_reader_agrees_on_each_kommunes_latest_finding(engine: Engine) -> None:
    expected = _seed(engine)
    factory = database.make_session_factory(engine)
    with factory() as session:
        findings = {f.id: f for f in session.scalars(select(Finding).where(Finding.id.in_(expected.values())))}
        checks = {number: findings[fid].check_id for number, fid in expected.items()}
        statuses = {number: findings[fid].status for number, fid in expected.items()}
        assert statuses == {"3901": "no_plan_found", "4699": "site_unreachable", "0799": "general_violence_plan_only"}
        by_number = {number: findings[fid].kommune_id for number, fid in expected.items()}

        assert {n: latest.latest_finding(session, k).id for n, k in by_number.items()} == expected  # type: ignore[union-attr]
        with_checks = {f.kommune_id: (f.id, c.id) for f, c in runs.latest_findings_with_checks(session)}
        assert with_checks == {by_number[n]: (expected[n], checks[n]) for n in expected}
        exported = {row.kommunenummer: row.status for row in iter_latest_findings(session)}
        assert exported == statuses
        assert {row.kommunenummer for row in iter_latest_plans(session)} == {"0799"}
        shown = {row.kommunenummer: row.status for row in kommune_statuses(session)}
        assert shown == {**statuses, NORDMYRA.kommunenummer: NOT_CHECKED}
        for number, check_id in checks.items():
            detail = kommune_detail.kommune_detail(session, number)
            assert detail is not None and detail.latest_check is not None
            assert detail.latest_check.check_id == check_id
            assert detail.status.status == statuses[number]
            assert reviews.review_kommune(session, by_number[number]).check.id == check_id  # type: ignore[union-attr]
            history = trends.kommune_history(session, by_number[number])
            assert history[-1].status == statuses[number]
        health = {row.kommunenummer: row.status for row in crawler_health.crawler_health(session)}
        assert health == {**statuses, NORDMYRA.kommunenummer: NOT_CHECKED}
        cases = {case.kommunenummer: case.status for case in acts.kommune_cases(session)}
        assert cases == statuses
        letter = acts.letter_facts(session, by_number["3901"], "nb")
        assert letter is not None and letter.status == "no_plan_found" and letter.checked_on == T0.date()


def test_follow_ups_read_the_latest_crawl_check_not_a_tip(engine: Engine) -> None:
    _seed(engine)
    factory = database.make_session_factory(engine)
    with factory.begin() as session:
        for number in ("3901", "0799"):
            kommune_id = session.scalars(select(KommuneRow.id).where(KommuneRow.kommunenummer == number)).one()
            session.add(WatchedPlan(kommune_id=kommune_id, key=f"k{number}", fingerprint="f", category="abuse_specific",
                                    title="", state="suspected_missing", first_seen_at=T0, updated_at=T0))  # fmt: skip
    with factory() as session:
        # Fjellvik's latest finding was checked at T0 (its older-stored check, a week later, does not count);
        # Kildeby's tip a day later is no check of the site, so its follow-up is due too
        due = sweeps.followup_due(session, T0 + timedelta(hours=1))
    assert due == [("DK", "0799"), ("NO", "3901")]


#: what re-deriving "latest" looks like in SQLAlchemy: a max over finding or check ids/times, or "newest first"
REDERIVING = re.compile(
    r"func\.max\(\s*(Finding|SiteCheck)\.|(Finding|SiteCheck)\.(id|check_id|checked_at|finished_at)\.desc\(\)"
)


def test_no_module_derives_the_latest_finding_again() -> None:
    offenders = {
        str(path.relative_to(ROOT)): match.group(0)
        for package in ("tracker", "dashboards", "planvakt")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != ROOT / "tracker" / "store" / "latest.py"
        and (match := REDERIVING.search(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
