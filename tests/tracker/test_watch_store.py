"""The watch tables on SQLite and PostgreSQL: detector state survives the round trip; events read back filtered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from tracker.domain import Category, Country, EventKind, Kommune
from tracker.store import database, runs, watch
from tracker.watch.changes import ChangeEvent, KnownPlan, PlanState, WatchState
from tracker.watch.text_identity import text_sketch

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
PAGES = ["Handlingsplan mot seksuelle overgrep mot barn 2025-2028. Alle ansatte skal kjenne tegnene og rutinene."]


def _kommuner() -> list[Kommune]:
    return [
        Kommune("4601", "Bergen", Country.NO, "https://www.bergen.kommune.no", region_code="46", region="Vestland"),
        Kommune("0301", "Oslo", Country.NO, "https://www.oslo.kommune.no", region_code="03", region="Oslo"),
        Kommune("0101", "København", Country.DK, "https://www.kk.dk", region_code="1084", region="Hovedstaden"),
    ]


def test_state_round_trip_and_suspected_missing(engine: Engine) -> None:
    factory = database.make_session_factory(engine)
    sketch = text_sketch(PAGES)
    assert max(sketch) > 2**62  # 64-bit hashes must survive JSON on both backends
    plan = KnownPlan(
        key="f" * 64,
        fingerprint="f" * 64,
        urls=("https://www.bergen.kommune.no/plan.pdf",),
        sha256s=("a" * 64,),
        category=Category.ABUSE_SPECIFIC,
        year_start=2025,
        year_end=2028,
        page_count=3,
        title="Handlingsplan",
        state=PlanState.SUSPECTED_MISSING,
        missing_checks=("7",),
        page_hashes=("0123456789abcdef",),
        sketch=sketch,
    )
    other = KnownPlan(
        key="bytes:" + "b" * 64,
        fingerprint="bytes:" + "b" * 64,
        urls=(),
        sha256s=("b" * 64,),
        category=Category.GENERAL_VIOLENCE,
        state=PlanState.VANISHED,
        missing_checks=("5", "6"),
    )
    state = WatchState(plans=(plan, other), unreachable_checks=1, blocked_checks=2, checks=9)
    with factory.begin() as session:
        ids = runs.sync_kommuner(session, _kommuner())
        bergen = ids[("NO", "4601")]
        assert watch.load_state(session, bergen) == WatchState()
        watch.save_state(session, bergen, state, check_id=None, now=NOW)
    with factory() as session:
        assert watch.load_state(session, bergen, lock=True) == WatchState(
            plans=tuple(sorted((plan, other), key=lambda p: p.key)),
            unreachable_checks=1,
            blocked_checks=2,
            checks=9,
        )
        assert watch.suspected_missing_kommuner(session) == [("NO", "4601")]
    with factory.begin() as session:
        watch.save_state(session, bergen, WatchState(plans=(other,), checks=10), check_id=None, now=NOW)
    with factory() as session:
        assert [p.key for p in watch.load_state(session, bergen).plans] == [other.key]
        assert watch.suspected_missing_kommuner(session) == []


def test_events_are_read_back_filtered_and_in_order(engine: Engine) -> None:
    factory = database.make_session_factory(engine)
    with factory.begin() as session:
        ids = runs.sync_kommuner(session, _kommuner())
        for day, (number, kind) in enumerate(
            [
                ("4601", EventKind.PLAN_APPEARED),
                ("0301", EventKind.PLAN_APPEARED),
                ("0101", EventKind.CRAWLER_BLOCKED),
                ("4601", EventKind.PLAN_VANISHED),
            ]
        ):
            kommune_id = ids[("DK" if number == "0101" else "NO", number)]
            change = ChangeEvent(kind, "k", url=f"https://example.org/{number}.pdf", evidence={"check_id": str(day)})
            rows = watch.add_events(
                session, kommune_id, None, [change], now=NOW + timedelta(days=day), context={"run_id": day}
            )
            assert len(rows[0].uuid) == 36 and rows[0].evidence == {"check_id": str(day), "run_id": day}
    with factory() as session:
        everything = list(watch.iter_events(session))
        assert [(e.kommunenummer, e.kind) for e in everything] == [
            ("4601", "plan_appeared"),
            ("0301", "plan_appeared"),
            ("0101", "crawler_blocked"),
            ("4601", "plan_vanished"),
        ]
        assert len({e.event_id for e in everything}) == 4
        since = list(watch.iter_events(session, since=NOW + timedelta(days=1), kommuner=["4601", "0301"]))
        assert [(e.kommunenummer, e.kind) for e in since] == [("0301", "plan_appeared"), ("4601", "plan_vanished")]
        newest = watch.latest_events(session, limit=2)
        assert [e.kind for e in newest] == ["plan_vanished", "crawler_blocked"]
        assert [e.name for e in watch.latest_events(session, region="Vestland")] == ["Bergen", "Bergen"]
        assert [e.kind for e in watch.latest_events(session, region="46", kinds=["plan_appeared"])] == ["plan_appeared"]
        assert [e.country for e in watch.latest_events(session, kinds=["crawler_blocked"])] == ["DK"]
