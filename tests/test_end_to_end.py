"""The whole product on the demo web: `planvakt crawl` then `planvakt export findings`, for real.

Every scenario of the demo web (menus, deep plans, sitemap-only, search-only, JavaScript menus, robots.txt,
a site that is down, slow pages, redirects, a calendar trap, a broken PDF, HTML and DOCX plans) is crawled over
loopback by the real crawler, read by the real extractors, classified, stored in SQLite and in PostgreSQL, and
exported; the exported rows must match what each site was built to show.
"""

from __future__ import annotations

import csv
import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from crawlers.testweb import DemoWeb, build_demo_web
from planvakt.cli import app
from tracker.blobs import EvidenceStore
from tracker.export import CRITERIA_COLUMNS, FINDINGS_COLUMNS, PLANS_COLUMNS
from tracker.store import database
from tracker.store.models import CrawlRun, Document, Sighting, SiteCheck

pytestmark = [pytest.mark.slow, pytest.mark.browser]

runner = CliRunner()


@dataclass
class CrawledDemo:
    web: DemoWeb
    db: str
    evidence: Path
    rows: dict[str, dict[str, str]]
    header: list[str]
    plans: list[dict[str, str]]


def _fresh_database(backend: str, tmp: Path, admin_url: str) -> tuple[str, str | None]:
    if backend == "sqlite":
        return f"sqlite:///{tmp / 'planvakt.sqlite3'}", None
    name = f"planvakt_e2e_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    return f"{base}/{name}", name


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def crawled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: pytest.MonkeyPatch
) -> Iterator[CrawledDemo]:
    tmp = tmp_path_factory.mktemp(f"e2e-{request.param}")
    admin_url = request.getfixturevalue("postgres_server") if request.param == "postgres" else ""
    db, pg_name = _fresh_database(request.param, tmp, admin_url)
    monkeypatch_module.setenv("PLANVAKT_VAR_DIR", str(tmp / "var"))
    with build_demo_web() as web:
        registry = web.write_registry(tmp / "registry.csv")
        assert runner.invoke(app, ["db", "upgrade", "--db", db]).exit_code == 0
        result = runner.invoke(
            app,
            [
                "crawl",
                "--registry",
                str(registry),
                "--allow-private-networks",
                "--per-host-delay",
                "0.02",
                "--concurrency",
                "16",
                "--db",
                db,
            ],
        )
        assert result.exit_code == 0, result.output
        out = tmp / "findings.csv"
        exported = runner.invoke(app, ["export", "findings", "--format", "csv", "--out", str(out), "--db", db])
        assert exported.exit_code == 0, exported.output
        with out.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = {row["kommunenummer"]: row for row in reader}
            header = list(reader.fieldnames or [])
        plans_out = tmp / "plans.csv"
        exported = runner.invoke(app, ["export", "plans", "--format", "csv", "--out", str(plans_out), "--db", db])
        assert exported.exit_code == 0, exported.output
        with plans_out.open(encoding="utf-8", newline="") as handle:
            plans = list(csv.DictReader(handle))
        yield CrawledDemo(web, db, tmp / "var" / "evidence", rows, header, plans)
    if pg_name:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


SCENARIOS = [
    "menu", "deep", "sitemap_only", "search_only", "javascript", "general_only", "no_plan", "expired", "robots",
    "down", "slow", "redirects", "calendar_trap", "broken_pdf", "html_plan", "docx_plan", "scanned",
]  # fmt: skip


def test_export_has_the_documented_columns_and_a_row_per_kommune(crawled: CrawledDemo) -> None:
    assert crawled.header == list(FINDINGS_COLUMNS)
    assert set(crawled.rows) == {k.kommunenummer for k in crawled.web.kommuner}
    assert {k.scenario for k in crawled.web.kommuner} == set(SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_each_scenario_is_exported_as_built(crawled: CrawledDemo, scenario: str) -> None:
    kommune = crawled.web.kommune(scenario)
    expected = kommune.expected
    row = crawled.rows[kommune.kommunenummer]
    actual = {
        "status": row["status"],
        "plan_category": row["plan_category"],
        "plan_format": row["plan_format"],
        "found_via": row["found_via"],
        "click_depth": row["click_depth"],
        "plan_current": row["plan_current"],
        "text_source": row["text_source"],
    }
    assert actual == {
        "status": expected.status,
        "plan_category": expected.plan_category,
        "plan_format": expected.plan_format,
        "found_via": expected.found_via,
        "click_depth": "" if expected.click_depth is None else str(expected.click_depth),
        "plan_current": expected.plan_current,
        "text_source": expected.text_source,
    }
    if expected.plan_path:
        paths = (expected.plan_path, *expected.alternate_paths)
        assert any(row["plan_url"].endswith(path) for path in paths), row["plan_url"]
        assert row["plan_years"], "a plan's period is exported"
    else:
        assert row["plan_url"] == ""
    assert row["checked_at"].endswith("Z")
    if expected.status == "site_unreachable":
        assert row["pages_fetched"] == "0"
    else:
        assert int(row["pages_fetched"]) > 0


def test_robots_disallowed_documents_are_never_requested(crawled: CrawledDemo) -> None:
    kommune = crawled.web.kommune("robots")
    assert kommune.expected.never_fetch
    requested = {entry.path_with_query.split("?")[0] for entry in crawled.web.request_log if entry.host == kommune.host}
    assert "/robots.txt" in requested
    assert not requested & set(kommune.expected.never_fetch)
    assert all("PlanvaktBot" in entry.user_agent for entry in crawled.web.request_log)


def test_calendar_trap_does_not_eat_the_budget(crawled: CrawledDemo) -> None:
    row = crawled.rows[crawled.web.kommune("calendar_trap").kommunenummer]
    assert row["status"] == "abuse_specific_plan"
    assert int(row["pages_fetched"]) < 120


def test_broken_pdf_is_a_recorded_error_and_the_plan_is_still_found(crawled: CrawledDemo) -> None:
    kommune = crawled.web.kommune("broken_pdf")
    factory = database.make_session_factory(database.make_engine(crawled.db))
    with factory() as session:
        broken = session.execute(
            select(Document.extraction_error, Sighting.url).join(Sighting, Sighting.document_id == Document.id)
        ).all()
    errors = {url: error for error, url in broken if error}
    assert any(url.endswith(path) for path in kommune.expected.error_paths for url in errors), errors
    assert all("PDF" in error for error in errors.values())
    assert crawled.rows[kommune.kommunenummer]["status"] == "abuse_specific_plan"


def test_evidence_is_archived_with_its_click_path(crawled: CrawledDemo) -> None:
    store = EvidenceStore(crawled.evidence)
    factory = database.make_session_factory(database.make_engine(crawled.db))
    kommune = crawled.web.kommune("deep")
    with factory() as session:
        run = session.scalars(select(CrawlRun)).one()
        assert run.state == "finished"
        assert run.kommuner_checked == len(crawled.web.kommuner)
        sighting = session.scalars(
            select(Sighting).join(SiteCheck).where(Sighting.url == crawled.rows[kommune.kommunenummer]["plan_url"])
        ).one()
        body = store.get(sighting.document.sha256)
        assert hashlib.sha256(body).hexdigest() == sighting.document.sha256
        assert body.startswith(b"%PDF")
        path = sighting.click_path
        assert len(path) == sighting.click_depth + 1
        assert path[0]["url"].rstrip("/") == kommune.website.rstrip("/")
        assert path[-1]["url"] == sighting.url
        assert all(hop["anchor_text"] for hop in path[1:])


def _plan_row(crawled: CrawledDemo, scenario: str) -> dict[str, str]:
    kommune = crawled.web.kommune(scenario)
    rows = [r for r in crawled.plans if r["kommunenummer"] == kommune.kommunenummer]
    best = crawled.rows[kommune.kommunenummer]["plan_url"]
    return next(r for r in rows if r["url"] == best)


def test_plans_export_reads_criteria_and_accessibility(crawled: CrawledDemo) -> None:
    assert list(crawled.plans[0]) == list(PLANS_COLUMNS)
    menu = _plan_row(crawled, "menu")
    assert (menu["document_kind"], menu["language"], menu["current"]) == ("adopted_plan", "nb", "true")
    assert (menu["access_declared_language"], menu["access_declared_title"]) == ("true", "true")
    assert menu["access_text_layer"] == "true"
    assert sum(menu[c] == "true" for c in CRITERIA_COLUMNS) >= 4
    assert menu["handleveje"] == "", "Danish beredskab items do not apply to a Norwegian plan"
    assert _plan_row(crawled, "general_only")["access_link_text"] == "false", "a link called 'Last ned'"
    scanned = _plan_row(crawled, "scanned")
    assert (scanned["text_source"], scanned["access_text_layer"]) == ("ocr", "false")
    assert float(scanned["ocr_confidence"]) > 60
    search_only = _plan_row(crawled, "search_only")
    assert search_only["access_reachable_by_links"] == "false"
    assert int(search_only["search_rank"]) >= 1
    sitemap_only = _plan_row(crawled, "sitemap_only")
    assert (sitemap_only["access_in_sitemap"], sitemap_only["language"]) == ("true", "da")
    assert sitemap_only["handleveje"] in ("true", "false")
    assert _plan_row(crawled, "docx_plan")["access_format"] == "false", "a Word file needs Word"
