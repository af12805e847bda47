"""The read model and the API over a full registry with weekly history, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC

import httpx
import pytest
from sqlalchemy import func, select

from bench.bench_dashboard import fill
from dashboards.app import create_app
from tests.dashboards.serving import serve_in_thread
from tracker.config import Settings
from tracker.store import database
from tracker.store.crawler_health import crawler_health, recent_runs
from tracker.store.kommune_detail import kommune_detail
from tracker.store.models import Finding, KommuneRow
from tracker.store.statuses import kommune_statuses

WEEKS = 3


@pytest.fixture
def filled(database_url: str) -> str:
    fill(database_url, WEEKS)
    return database_url


def test_latest_finding_per_kommune(filled: str) -> None:
    engine = database.make_engine(filled)
    factory = database.make_session_factory(engine)
    with factory() as session:
        rows = kommune_statuses(session)
        latest = dict(
            session.execute(
                select(KommuneRow.kommunenummer, Finding.status)
                .join(Finding, Finding.kommune_id == KommuneRow.id)
                .where(Finding.id.in_(select(func.max(Finding.id)).group_by(Finding.kommune_id)))
            ).all()
        )
        assert len(rows) == 455
        assert {r.kommunenummer: r.status for r in rows} == latest
        assert all(r.checked_at is not None and r.checked_at.tzinfo == UTC for r in rows)
        with_plan = [r for r in rows if r.plan_url]
        assert with_plan and all(r.criteria_total in (6, 10) for r in with_plan)
        detail = kommune_detail(session, "0301")
        assert detail is not None and len(detail.checks) == WEEKS
        assert detail.checks[0].checked_at > detail.checks[-1].checked_at
        assert len(crawler_health(session)) == 455
        assert [run.id for run in recent_runs(session)] == sorted(
            (run.id for run in recent_runs(session)), reverse=True
        )
    engine.dispose()


def test_api_over_each_backend(filled: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(Settings(database_url=filled, var_dir=tmp_path))
    with serve_in_thread(app) as base, httpx.Client(base_url=base, timeout=30) as http:
        kommuner = http.get("/api/kommuner").json()
        assert len(kommuner) == 455
        assert {k["country"] for k in kommuner} == {"NO", "DK"}
        oslo = http.get("/api/kommuner/0301").json()
        assert len(oslo["checks"]) == WEEKS and oslo["name"].startswith("Oslo")
        danish = http.get("/api/kommuner", params={"country": "DK", "region": "Region Hovedstaden"}).json()
        assert danish and {k["region"] for k in danish} == {"Region Hovedstaden"}
        overview = http.get("/")
        assert overview.status_code == 200 and overview.text.count('tabindex="-1" aria-label=') == 455  # map dots
    app.state.session_factory.kw["bind"].dispose()
