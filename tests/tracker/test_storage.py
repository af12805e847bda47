"""Storage and export against real SQLite and PostgreSQL databases."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, inspect

from tests.json_types import assert_typed
from tracker.domain import Category, Classification, Country, Evidence, Kommune
from tracker.errors import StorageError
from tracker.export import (
    COLUMN_TYPES,
    FINDINGS_COLUMNS,
    PLANS_COLUMNS,
    csv_text,
    finding_records,
    plan_records,
    write_records,
)
from tracker.findings import ClassifiedSighting, decide
from tracker.reading import Reading
from tracker.reading.criteria import CriterionHit
from tracker.store import database, documents, latest, public_subscriptions, runs
from tracker.store.models import Document, Sighting, SiteCheck

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
OSLO = Kommune("0301", "Oslo", Country.NO, "https://www.oslo.kommune.no", region="Oslo")
BERGEN = Kommune("4601", "Bergen", Country.NO, "https://www.bergen.kommune.no", region="Vestland")


def _store_check(
    engine: Engine, run_id: int, kommune_id: int, *, reachable: bool, with_plan: bool, at: datetime
) -> None:
    factory = database.make_session_factory(engine)
    with factory.begin() as session:
        run = runs.get_run(session, run_id)
        sightings = []
        classification = None
        if with_plan:
            document = documents.document_by_sha(session, "f" * 64) or documents.add_document(
                session,
                Document(
                    sha256="f" * 64,
                    format="pdf",
                    content_type="application/pdf",
                    size_bytes=1234,
                    first_seen_at=at,
                    title="Handlingsplan mot seksuelle overgrep mot barn 2024–2027",
                    page_count=5,
                    text_source="text_layer",
                    pages=["side 1"],
                    headings=[],
                    doc_metadata={},
                    facts={},
                ),
            )
            classification = documents.classification_for(session, document, "test-1") or documents.add_classification(
                session,
                document,
                Reading(
                    Classification(
                        Category.ABUSE_SPECIFIC,
                        0.95,
                        (Evidence("seksuelle overgrep mot barn", 0, "title:abuse"),),
                        "title names it",
                        2024,
                        2027,
                        "nb",
                        "test-1",
                    ),
                    "adopted_plan",
                    (),
                    (CriterionHit("staff_competence", True, ((2, "Alle ansatte skal få opplæring."),)),),
                ),
                at,
            )
            sightings.append(
                Sighting(
                    document=document,
                    url="https://www.oslo.kommune.no/plan.pdf",
                    final_url="https://www.oslo.kommune.no/plan.pdf",
                    http_status=200,
                    redirects=[],
                    anchor_text="Handlingsplan",
                    found_via="link",
                    click_depth=2,
                    click_path=[{"url": "https://www.oslo.kommune.no/", "anchor_text": ""}],
                    seen_at=at,
                )
            )
        check = runs.add_check(
            session,
            SiteCheck(
                run_id=run_id,
                kommune_id=kommune_id,
                start_url="https://x",
                final_url=None,
                reachable=reachable,
                error=None if reachable else "connection refused",
                pages_fetched=17,
                issues=[],
                started_at=at,
                finished_at=at,
            ),
            sightings,
        )
        candidates = [
            ClassifiedSighting(
                0,
                s.url,
                s.document.sha256,
                "pdf",
                s.document.title,
                "text_layer",
                s.found_via,
                s.click_depth,
                Category.ABUSE_SPECIFIC,
                0.95,
                2024,
                2027,
            )
            for s in sightings
        ]
        decision = decide(reachable, candidates, at.date())
        runs.add_finding(
            session,
            run=run,
            check=check,
            decision=decision,
            plan_sighting=sightings[0] if sightings else None,
            plan_classification=classification,
        )


def test_schema_matches_models_and_is_checked(engine: Engine) -> None:
    database.check_migrated(engine)
    tables = set(inspect(engine).get_table_names())
    assert {
        "kommune",
        "crawl_run",
        "site_check",
        "document",
        "sighting",
        "classification",
        "finding",
    } <= tables


def test_unmigrated_database_is_refused(tmp_path: object) -> None:
    engine = database.make_engine(f"sqlite:///{tmp_path}/empty.sqlite3")
    with pytest.raises(StorageError, match="planvakt db upgrade"):
        database.check_migrated(engine)


def test_latest_finding_per_kommune_is_exported(engine: Engine) -> None:
    factory = database.make_session_factory(engine)
    with factory.begin() as session:
        ids = runs.sync_kommuner(session, [OSLO, BERGEN])
        first = runs.start_run(session, {}, 2, T0).id
    _store_check(engine, first, ids[("NO", "0301")], reachable=True, with_plan=False, at=T0)
    _store_check(engine, first, ids[("NO", "4601")], reachable=True, with_plan=True, at=T0)
    with factory.begin() as session:
        second = runs.start_run(session, {}, 2, T0 + timedelta(days=7)).id
    later = T0 + timedelta(days=7)
    _store_check(engine, second, ids[("NO", "0301")], reachable=True, with_plan=True, at=later)
    _store_check(engine, second, ids[("NO", "4601")], reachable=False, with_plan=False, at=later)

    out = io.StringIO()
    with factory() as session:
        count = write_records(
            finding_records(latest.iter_latest_findings(session, batch_size=1)), FINDINGS_COLUMNS, out, "csv"
        )
    assert count == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == list(FINDINGS_COLUMNS)
    by_number = {r["kommunenummer"]: r for r in rows}
    assert by_number["0301"] == {
        "kommunenummer": "0301",
        "name": "Oslo",
        "country": "NO",
        "region_code": "",
        "region": "Oslo",
        "website": "https://www.oslo.kommune.no",
        "status": "abuse_specific_plan",
        "reason": "abuse_specific plan 'Handlingsplan mot seksuelle overgrep mot barn 2024–2027' found via link",
        "plan_url": "https://www.oslo.kommune.no/plan.pdf",
        "plan_title": "Handlingsplan mot seksuelle overgrep mot barn 2024–2027",
        "plan_category": "abuse_specific",
        "plan_confidence": "0.95",
        "plan_format": "pdf",
        "plan_years": "2024-2027",
        "plan_current": "true",
        "criteria_met": "1",
        "criteria_total": "1",
        "criteria_share": "1.0",
        "click_depth": "2",
        "found_via": "link",
        "text_source": "text_layer",
        "pages_fetched": "17",
        # this check stored an empty trail: no sitemap, no site search; the plan was the one candidate read
        "candidates_read": "1",
        "sitemaps": "",
        "sitemap_entries": "0",
        "site_searches": "{}",
        "checked_at": "2026-11-30T10:00:00Z",
        "override_status": "",
        "override_reason": "",
        "overridden_by": "",
        "overridden_at": "",
        "missed_by_crawler": "",
    }
    assert by_number["4601"]["status"] == "site_unreachable"
    assert by_number["4601"]["plan_url"] == ""

    as_json = io.StringIO()
    with factory() as session:
        write_records(finding_records(latest.iter_latest_findings(session)), FINDINGS_COLUMNS, as_json, "json")
    records = json.loads(as_json.getvalue())
    assert [r["kommunenummer"] for r in records] == ["0301", "4601"]
    assert list(records[0]) == list(FINDINGS_COLUMNS)
    # typed JSON: the CSV's text, as booleans, integers and nulls (issue 13)
    assert_typed(records, FINDINGS_COLUMNS)
    oslo, bergen = records
    assert oslo == {
        **{c: by_number["0301"][c] for c in FINDINGS_COLUMNS},
        "plan_current": True,
        "region_code": None,
        "plan_confidence": 0.95,
        "criteria_met": 1,
        "criteria_total": 1,
        "criteria_share": 1.0,
        "click_depth": 2,
        "pages_fetched": 17,
        "candidates_read": 1,
        "sitemaps": [],
        "sitemap_entries": 0,
        "site_searches": {},
        "override_status": None,
        "override_reason": None,
        "overridden_by": None,
        "overridden_at": None,
        "missed_by_crawler": False,
    }
    assert (bergen["plan_url"], bergen["plan_current"], bergen["click_depth"]) == (None, None, None)
    assert all(value is not None for c, value in oslo.items() if not COLUMN_TYPES[c][1]), "non-null columns"


def test_sync_kommuner_updates_in_place(engine: Engine) -> None:
    factory = database.make_session_factory(engine)
    with factory.begin() as session:
        first = runs.sync_kommuner(session, [OSLO])
    moved = Kommune("0301", "Oslo", Country.NO, "https://oslo.kommune.no")
    with factory.begin() as session:
        second = runs.sync_kommuner(session, [moved, BERGEN])
        assert runs.count_kommuner(session) == {"NO": 2}
    assert first[("NO", "0301")] == second[("NO", "0301")]


def test_the_runs_lookups_and_in_sql_counters_that_left_the_pipelines(engine: Engine) -> None:
    """What site_check, worker, sweep_queue, demo_serve and /subscribe asked the session for themselves before the
    store took it (issue 11): a run (locked or not), a kommune, the websites, known region codes, and the counters."""
    factory = database.make_session_factory(engine)
    vestland = Kommune("4601", "Bergen", Country.NO, "https://www.bergen.kommune.no", region_code="46")
    with factory.begin() as session:
        ids = runs.sync_kommuner(session, [OSLO, vestland])
        run = runs.start_run(session, {}, 2, datetime(2026, 1, 5, tzinfo=UTC))
        run_id, bergen_id = run.id, ids[("NO", "4601")]
    with factory.begin() as session:
        runs.count_documents_fetched(session, run_id, 3)
        runs.count_documents_fetched(session, run_id, 2)  # in one transaction: both count
        runs.count_our_failure(session, run_id)
        runs.count_our_failure(session, run_id)
    with factory.begin() as session:
        locked = runs.find_run(session, run_id, lock=True)
        assert locked is not None and (locked.documents_fetched, locked.errors) == (5, 2)
        assert runs.find_run(session, run_id + 1) is None
        assert runs.find_kommune(session, bergen_id).name == "Bergen"  # type: ignore[union-attr]
        assert runs.find_kommune(session, bergen_id + 100) is None
        assert sorted(runs.kommune_websites(session)) == [
            ("0301", "Oslo", "https://www.oslo.kommune.no"),
            ("4601", "Bergen", "https://www.bergen.kommune.no"),
        ]
        assert public_subscriptions.known_region_codes(session, ("46", "03", "99")) == {"46"}
        with pytest.raises(StorageError):
            runs.count_our_failure(session, run_id + 1)


def test_plans_export_recognises_a_plan_shared_by_two_kommuner(engine: Engine) -> None:
    factory = database.make_session_factory(engine)
    with factory.begin() as session:
        ids = runs.sync_kommuner(session, [OSLO, BERGEN])
        run = runs.start_run(session, {}, 2, T0).id
    _store_check(engine, run, ids[("NO", "0301")], reachable=True, with_plan=True, at=T0)
    _store_check(engine, run, ids[("NO", "4601")], reachable=True, with_plan=True, at=T0)
    out = io.StringIO()
    with factory() as session:
        write_records(plan_records(latest.iter_latest_plans(session, batch_size=1)), PLANS_COLUMNS, out, "csv")
    rows = {r["kommunenummer"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert rows["0301"]["shared_with"] == "4601"
    assert rows["4601"]["shared_with"] == "0301"
    assert rows["0301"]["staff_competence"] == "true"
    assert rows["0301"]["children_knowledge"] == "", "a criterion the reading did not assess is empty, not false"
    assert (rows["0301"]["years"], rows["0301"]["current"], rows["0301"]["document_kind"]) == (
        "2024-2027",
        "true",
        "adopted_plan",
    )
    as_json = io.StringIO()
    with factory() as session:
        write_records(plan_records(latest.iter_latest_plans(session)), PLANS_COLUMNS, as_json, "json")
    typed = {r["kommunenummer"]: r for r in json.loads(as_json.getvalue())}
    assert_typed(typed.values(), PLANS_COLUMNS)
    oslo = typed["0301"]
    assert (oslo["shared_with"], oslo["current"], oslo["staff_competence"], oslo["children_knowledge"]) == (
        ["4601"],
        True,
        True,
        None,
    )
    assert (oslo["size_bytes"], oslo["pages"], oslo["click_depth"]) == (1234, 5, 2)
    for column in PLANS_COLUMNS:  # the CSV is the same data as text
        assert csv_text(column, oslo[column], oslo) == rows["0301"][column], column


def test_migrations_and_models_agree(engine: Engine) -> None:
    """`alembic check` in test form: the upgraded schema is exactly what the models describe."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from migrations.foreign import include_name
    from tracker.store.models import Base

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        assert compare_metadata(context, Base.metadata) == []


def test_reclassify_rereads_stored_text_and_redecides_the_latest_finding(engine: Engine) -> None:
    from tracker.reading import CLASSIFIER_VERSION
    from tracker.reclassify import reclassify

    factory = database.make_session_factory(engine)
    with factory.begin() as session:
        ids = runs.sync_kommuner(session, [OSLO])
        run = runs.start_run(session, {}, 1, T0).id
    _store_check(engine, run, ids[("NO", "0301")], reachable=True, with_plan=True, at=T0)
    with factory.begin() as session:  # the stored text is really a budget: the old reading ("test-1") was wrong
        document = documents.document_by_sha(session, "f" * 64)
        assert document is not None
        document.title = "Budsjett 2027 og økonomiplan 2027–2030"
        document.pages = ["Rådmannens forslag til budsjett. Driftsrammer for oppvekst, helse og teknisk drift."]
    report = reclassify(factory, today=T0.date(), now=lambda: T0)
    assert (report.version, report.documents_read, report.findings_changed) == (CLASSIFIER_VERSION, 1, 1)
    with factory() as session:
        (row,) = list(latest.iter_latest_findings(session))
        assert row.status == "no_plan_found"
        document = documents.document_by_sha(session, "f" * 64)
        assert document is not None
        versions = sorted(c.classifier_version for c in document.classifications)
    assert versions == sorted(["test-1", CLASSIFIER_VERSION]), "old readings are kept beside the new one"
    again = reclassify(factory, today=T0.date(), now=lambda: T0)
    assert (again.documents_read, again.findings_changed) == (0, 0)


def test_excel_csv_has_a_bom_semicolons_and_round_trips_aeoeaa(engine: Engine, database_url: str, tmp_path) -> None:
    """`planvakt export findings --format excel-csv`: what a Norwegian or Danish Excel opens in columns (issue 13)."""
    from typer.testing import CliRunner

    from planvakt.cli import app

    baerum = Kommune("3201", "Bærum", Country.NO, "https://www.baerum.kommune.no", region="Akershus")
    aeroe = Kommune("0492", "Ærø; Søby", Country.DK, "https://www.aeroekommune.dk", region="Region Syddanmark")
    factory = database.make_session_factory(engine)
    with factory.begin() as session:
        ids = runs.sync_kommuner(session, [baerum, aeroe])
        run = runs.start_run(session, {}, 2, T0).id
    _store_check(engine, run, ids[("NO", "3201")], reachable=True, with_plan=True, at=T0)
    _store_check(engine, run, ids[("DK", "0492")], reachable=True, with_plan=False, at=T0)
    runner = CliRunner()
    excel, plain = tmp_path / "findings.excel.csv", tmp_path / "findings.csv"
    for fmt, out in (("excel-csv", excel), ("csv", plain)):
        result = runner.invoke(app, ["export", "findings", "--format", fmt, "--out", str(out), "--db", database_url])
        assert result.exit_code == 0, result.output
    raw = excel.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a UTF-8 byte-order mark: Excel reads UTF-8, not Windows-1252"
    assert raw[3:].split(b"\r\n", 1)[0] == ";".join(FINDINGS_COLUMNS).encode()
    assert "Bærum".encode() in raw and not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    with excel.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    with plain.open(encoding="utf-8", newline="") as handle:
        assert rows == list(csv.DictReader(handle)), "the same rows as the plain CSV"
    assert {r["name"] for r in rows} == {"Bærum", "Ærø; Søby"}, "æøå and a ';' in a value survive"
    assert next(r for r in rows if r["name"] == "Bærum")["plan_title"].endswith("2024–2027")
