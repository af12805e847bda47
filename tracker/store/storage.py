"""Every read and write of the database. Functions take a Session (or an Engine) passed in by the caller.

A site check is written in one transaction when that site is done, so a crawl killed halfway keeps every check it
finished and a rerun picks up from there.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, Subquery, create_engine, event, func, make_url, select
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, aliased, sessionmaker

from tracker.domain import Kommune
from tracker.errors import StorageError
from tracker.filemodes import create_private_file, make_private_dir, tighten
from tracker.findings import FindingDecision
from tracker.reading import Reading
from tracker.run_summary import RunSummary, summarize
from tracker.secretbox import SecretKeys
from tracker.store.latest import is_latest_finding, latest_check_ids, latest_finding_ids
from tracker.store.models import (
    ClassificationRow,
    CrawlRun,
    DataVersion,
    Document,
    Finding,
    KommuneRow,
    Sighting,
    SiteCheck,
)

#: the Alembic scripts, found through their package: a checkout and an installed wheel alike
MIGRATIONS_DIR = Path(str(importlib.resources.files("migrations")))
#: files SQLite keeps beside the database; it creates them with the database file's mode, umask or not
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def make_engine(url: str, *, create: bool = True) -> Engine:
    """An engine with SQLite made safe for a crawler (WAL, foreign keys, waits instead of 'database is locked').

    A SQLite file is private (subscribers' addresses, sealed credentials): made 0600 in a new 0700 folder before
    SQLite first opens it, and an existing one (with its -wal/-shm/-journal files) tightened and logged.
    Raises `StorageError` when `url` is no database URL (a bare file path, say), and with `create=False` (read-only
    commands) when its SQLite file does not exist: a mistyped path must not become a new, empty database.
    Nothing is connected to here (`check_connects`).
    """
    try:
        database = sqlite_path(url)
    except ArgumentError as exc:
        raise StorageError(_not_a_database_url(url)) from exc
    if database is not None:
        if not create and not database.is_file():
            raise StorageError(f"no database at {database} (check --db; `planvakt db upgrade` creates one)")
        _private_sqlite_file(database)
    try:
        engine = create_engine(url)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise StorageError(_not_a_database_url(url)) from exc
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

    return engine


def _not_a_database_url(url: str) -> str:
    return (
        f"{url!r} is not a database URL: give sqlite:///{Path(url).expanduser().absolute()} for a SQLite file, "
        "or postgresql+psycopg://user@host/database"
    )


def check_connects(engine: Engine) -> None:
    """Raise `StorageError` (one line: the URL without its password, and why) unless the database answers."""
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0] if str(exc.orig or exc).strip() else type(exc).__name__
        shown = engine.url.render_as_string(hide_password=True)
        raise StorageError(f"cannot open the database {shown}: {reason}") from exc


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.database.startswith("file:"):  # a URI filename (`?uri=true`): SQLite resolves it, not us
        return None
    return Path(parsed.database)


def _private_sqlite_file(database: Path) -> None:
    make_private_dir(database.parent)
    if create_private_file(database):  # SQLite takes an empty file as an empty database, keeping its mode
        return
    for path in (database, *(database.with_name(database.name + s) for s in SQLITE_SIDE_FILES)):
        tighten(path)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine, keys: SecretKeys | None = None) -> None:
    """Bring the database to the newest schema (`alembic upgrade head`).

    `keys` seal secrets a migration finds in plain text (0004); None: the settings' keys, read only if needed.
    """
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        config.attributes["secret_keys"] = keys
        command.upgrade(config, "head")


def check_migrated(engine: Engine) -> None:
    """Raise StorageError unless the database answers and is at the newest schema."""
    check_connects(engine)
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current != head:
        raise StorageError(
            f"database schema is at {current or 'nothing'}, code expects {head}: run `planvakt db upgrade`"
        )


def sync_kommuner(session: Session, kommuner: Iterable[Kommune]) -> dict[tuple[str, str], int]:
    """Insert or update kommuner; return their ids keyed by (country, kommunenummer)."""
    existing = {(k.country, k.kommunenummer): k for k in session.scalars(select(KommuneRow))}
    for kommune in kommuner:
        row = existing.get((kommune.country.value, kommune.kommunenummer))
        if row is None:
            row = KommuneRow(country=kommune.country.value, kommunenummer=kommune.kommunenummer)
            session.add(row)
            existing[(row.country, row.kommunenummer)] = row
        row.name = kommune.name
        row.website = kommune.website
        row.website_alt = kommune.website_alt
        row.region_code = kommune.region_code
        row.region = kommune.region
        row.written_standard = kommune.written_standard
    session.flush()
    return {key: row.id for key, row in existing.items()}


def count_kommuner(session: Session) -> dict[str, int]:
    rows = session.execute(select(KommuneRow.country, func.count()).group_by(KommuneRow.country))
    return {country: count for country, count in rows}


def start_run(session: Session, options: dict[str, Any], planned: int, now: datetime) -> CrawlRun:
    run = CrawlRun(started_at=now, options=options, kommuner_planned=planned, state="running")
    session.add(run)
    session.flush()
    return run


def finish_run(session: Session, run: CrawlRun, now: datetime, state: str = "finished") -> None:
    run.finished_at = now
    run.state = state


def checked_kommune_ids(session: Session, run_id: int) -> set[int]:
    return set(session.scalars(select(SiteCheck.kommune_id).where(SiteCheck.run_id == run_id)))


def document_by_sha(session: Session, sha256: str) -> Document | None:
    return session.scalars(select(Document).where(Document.sha256 == sha256)).first()


def add_document(session: Session, document: Document) -> Document:
    session.add(document)
    session.flush()
    return document


def classification_for(session: Session, document: Document, version: str) -> ClassificationRow | None:
    return session.scalars(
        select(ClassificationRow).where(
            ClassificationRow.document_id == document.id, ClassificationRow.classifier_version == version
        )
    ).first()


def add_classification(session: Session, document: Document, reading: Reading, now: datetime) -> ClassificationRow:
    result = reading.classification
    row = ClassificationRow(
        document_id=document.id,
        classifier_version=result.classifier_version,
        category=result.category.value,
        confidence=result.confidence,
        reason=result.reason,
        evidence=[{"phrase": e.phrase, "page": e.page, "signal": e.signal} for e in result.evidence],
        year_start=result.year_start,
        year_end=result.year_end,
        language=result.language,
        document_kind=reading.kind,
        kind_evidence=[{"phrase": e.phrase, "page": e.page, "signal": e.signal} for e in reading.kind_evidence],
        criteria=[
            {"criterion": hit.criterion, "met": hit.met, "sentences": [list(pair) for pair in hit.sentences]}
            for hit in reading.criteria
        ],
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def add_check(session: Session, check: SiteCheck, sightings: Sequence[Sighting]) -> SiteCheck:
    session.add(check)
    session.flush()
    for sighting in sightings:
        sighting.check_id = check.id
        session.add(sighting)
    session.flush()
    return check


def add_finding(
    session: Session,
    *,
    run: CrawlRun,
    check: SiteCheck,
    decision: FindingDecision,
    plan_sighting: Sighting | None,
    plan_classification: ClassificationRow | None,
) -> Finding:
    finding = Finding(
        run_id=run.id,
        kommune_id=check.kommune_id,
        check_id=check.id,
        status=decision.status.value,
        plan_sighting_id=plan_sighting.id if plan_sighting else None,
        plan_classification_id=plan_classification.id if plan_classification else None,
        plan_category=decision.plan.category.value if decision.plan else None,
        plan_current=decision.plan_current or None,
        found_via=decision.plan.found_via if decision.plan else None,
        click_depth=decision.plan.click_depth if decision.plan else None,
        checked_at=check.finished_at,
        reason=decision.reason,
    )
    session.add(finding)
    # Counted in SQL (`SET n = n + 1`), not read-modify-write: workers storing into one run at once lose no count.
    run.kommuner_checked = CrawlRun.kommuner_checked + 1
    run.pages_fetched = CrawlRun.pages_fetched + check.pages_fetched
    run.errors = CrawlRun.errors + len(check.issues) + (0 if check.reachable else 1)
    session.flush()
    return finding


@dataclass(frozen=True)
class FindingRow:
    """One kommune's latest finding joined with its evidence, as exports and the dashboard read it."""

    kommunenummer: str
    name: str
    country: str
    website: str
    status: str
    plan_url: str | None
    plan_title: str | None
    plan_category: str | None
    plan_format: str | None
    year_start: int | None
    year_end: int | None
    plan_current: str | None
    click_depth: int | None
    found_via: str | None
    text_source: str | None
    pages_fetched: int
    checked_at: datetime
    region_code: str | None = None
    region: str | None = None
    #: the decision's one line ("abuse_specific plan '...' found via link", "3 candidate document(s) read; ...")
    reason: str = ""
    plan_confidence: float | None = None
    #: the plan's checklist hits ({"criterion", "met", ...}), one per criterion that applies to its language
    criteria: list[Any] | None = None
    #: what the check searched (`site_check.trail`: sitemaps, site-search queries, pages); None before revision 0006
    trail: dict[str, Any] | None = None
    #: candidate documents the check read (the sightings of its check)
    candidates_read: int = 0


def newest_readings() -> Subquery:
    """Per document, the id of its newest classification (columns `document_id`, `id`)."""
    return (
        select(ClassificationRow.document_id, func.max(ClassificationRow.id).label("id"))
        .group_by(ClassificationRow.document_id)
        .subquery()
    )


def iter_latest_findings(session: Session, batch_size: int = 500) -> Iterator[FindingRow]:
    """Each kommune's latest finding, streamed in batches (never the whole table in memory)."""
    latest = latest_finding_ids().subquery()
    plan_sighting = aliased(Sighting)
    stmt = (
        select(
            KommuneRow.kommunenummer,
            KommuneRow.name,
            KommuneRow.country,
            KommuneRow.website,
            Finding.status,
            plan_sighting.url,
            Document.title,
            Finding.plan_category,
            Document.format,
            ClassificationRow.year_start,
            ClassificationRow.year_end,
            Finding.plan_current,
            Finding.click_depth,
            Finding.found_via,
            Document.text_source,
            SiteCheck.pages_fetched,
            Finding.checked_at,
            KommuneRow.region_code,
            KommuneRow.region,
            Finding.reason,
            ClassificationRow.confidence.label("plan_confidence"),
            ClassificationRow.criteria,
            SiteCheck.trail,
            select(func.count(Sighting.id))
            .where(Sighting.check_id == Finding.check_id)
            .correlate(Finding)
            .scalar_subquery()
            .label("candidates_read"),
        )
        .join(latest, latest.c.finding_id == Finding.id)
        .join(KommuneRow, KommuneRow.id == Finding.kommune_id)
        .join(SiteCheck, SiteCheck.id == Finding.check_id)
        .outerjoin(plan_sighting, plan_sighting.id == Finding.plan_sighting_id)
        .outerjoin(Document, Document.id == plan_sighting.document_id)
        .outerjoin(ClassificationRow, ClassificationRow.id == Finding.plan_classification_id)
        .order_by(KommuneRow.country.desc(), KommuneRow.kommunenummer)
        .execution_options(yield_per=batch_size)
    )
    for row in session.execute(stmt):
        yield FindingRow(*tuple(row))


def get_run(session: Session, run_id: int) -> CrawlRun:
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise StorageError(f"no crawl run {run_id}")
    return run


def run_summary(session: Session, run_id: int) -> RunSummary:
    """What the run came to: its checks' statuses, unreachable causes and our failures (`tracker.run_summary`).

    A failure on our side stores nothing, so in a finished run it is a planned kommune without a check
    (`errors` counts site issues too).
    """
    run = get_run(session, run_id)
    ours = max(run.kommuner_planned - run.kommuner_checked, 0) if run.state == "finished" else 0
    checks = session.execute(
        select(Finding.status, SiteCheck.blocked, SiteCheck.error)
        .join(SiteCheck, SiteCheck.id == Finding.check_id)
        .where(Finding.run_id == run_id)
    )
    return summarize(run.id, run.state, run.kommuner_planned, ((s, b, e) for s, b, e in checks), ours)


@dataclass(frozen=True)
class PlanRow:
    """One plan document seen in a kommune's latest check, with its reading and accessibility findings."""

    kommunenummer: str
    name: str
    country: str
    url: str
    sha256: str
    category: str
    document_kind: str | None
    language: str | None
    year_start: int | None
    year_end: int | None
    page_count: int | None
    format: str
    size_bytes: int
    text_source: str | None
    ocr_confidence: float | None
    found_via: str
    click_depth: int | None
    anchor_text: str
    search_rank: int | None
    criteria: list[Any]
    accessibility: list[Any]
    checked_at: datetime
    shared_with: tuple[str, ...]


def iter_latest_plans(session: Session, batch_size: int = 500) -> Iterator[PlanRow]:
    """Every plan document (category not `other`) in each kommune's latest check, streamed in batches.

    A document published by several kommuner (a shared inter-municipal plan) is recognised by its SHA-256 and
    `shared_with` names the other kommuner.
    """
    latest = latest_check_ids()
    newest_reading = newest_readings()
    base = (
        select(KommuneRow.kommunenummer, Document.sha256)
        .select_from(Sighting)
        .join(latest, latest.c.check_id == Sighting.check_id)
        .join(SiteCheck, SiteCheck.id == Sighting.check_id)
        .join(KommuneRow, KommuneRow.id == SiteCheck.kommune_id)
        .join(Document, Document.id == Sighting.document_id)
        .join(ClassificationRow, ClassificationRow.document_id == Document.id)
        .join(newest_reading, newest_reading.c.id == ClassificationRow.id)
        .where(ClassificationRow.category != "other")
    )
    publishers: dict[str, set[str]] = {}
    for number, sha in session.execute(base):
        publishers.setdefault(sha, set()).add(number)
    stmt = (
        base.with_only_columns(
            KommuneRow.kommunenummer,
            KommuneRow.name,
            KommuneRow.country,
            Sighting.url,
            Document.sha256,
            ClassificationRow.category,
            ClassificationRow.document_kind,
            ClassificationRow.language,
            ClassificationRow.year_start,
            ClassificationRow.year_end,
            Document.page_count,
            Document.format,
            Document.size_bytes,
            Document.text_source,
            Document.ocr_confidence,
            Sighting.found_via,
            Sighting.click_depth,
            Sighting.anchor_text,
            Sighting.search_rank,
            ClassificationRow.criteria,
            Sighting.accessibility,
            SiteCheck.finished_at.label("checked_at"),
        )
        .order_by(KommuneRow.country.desc(), KommuneRow.kommunenummer, Sighting.url)
        .execution_options(yield_per=batch_size)
    )
    for row in session.execute(stmt):
        others = tuple(sorted(publishers.get(row.sha256, set()) - {row.kommunenummer}))
        yield PlanRow(**dict(row._mapping), shared_with=others)


def documents_without_reading(session: Session, version: str, limit: int) -> list[Document]:
    """Documents with no classification by `version` (broken ones too: the caller counts them)."""
    has_reading = select(ClassificationRow.document_id).where(ClassificationRow.classifier_version == version)
    done_broken = select(Document.id).where(Document.extraction_error.is_not(None))
    return list(
        session.scalars(
            select(Document)
            .where(Document.id.not_in(has_reading), Document.id.not_in(done_broken))
            .order_by(Document.id)
            .limit(limit)
        )
    )


def any_url_of(session: Session, document: Document) -> str | None:
    return session.scalars(select(Sighting.final_url).where(Sighting.document_id == document.id).limit(1)).first()


def any_anchor_text_of(session: Session, document: Document) -> str:
    texts = session.scalars(
        select(Sighting.anchor_text).where(Sighting.document_id == document.id, Sighting.anchor_text != "").limit(1)
    ).first()
    return texts or ""


def latest_findings_with_checks(session: Session) -> list[tuple[Finding, SiteCheck]]:
    rows = session.execute(
        select(Finding, SiteCheck).join(SiteCheck, SiteCheck.id == Finding.check_id).where(is_latest_finding())
    )
    return [(finding, check) for finding, check in rows]


def redecide_finding(
    session: Session,
    finding: Finding,
    decision: FindingDecision,
    *,
    plan_sighting: Sighting | None,
    plan_classification: ClassificationRow | None,
    note: str,
) -> None:
    finding.status = decision.status.value
    finding.plan_sighting_id = plan_sighting.id if plan_sighting else None
    finding.plan_classification_id = plan_classification.id if plan_classification else None
    finding.plan_category = decision.plan.category.value if decision.plan else None
    finding.plan_current = decision.plan_current or None
    finding.found_via = decision.plan.found_via if decision.plan else None
    finding.click_depth = decision.plan.click_depth if decision.plan else None
    finding.reason = f"{decision.reason} ({note})"
    session.flush()


@dataclass(frozen=True)
class DataVersionStamp:
    """What `data_version` says: a number that grows with every committed write the pages can show, and when."""

    number: int
    changed_at: datetime


def data_version(session: Session) -> DataVersionStamp:
    """The current data version: one primary-key read of the row the triggers of migration 0005 bump.

    Read it before the data it keys: a write committed in between then makes the data newer than the number,
    never older, so a cache keyed on it is at worst rebuilt once more, never stale.
    """
    row = session.execute(select(DataVersion.number, DataVersion.changed_ms).where(DataVersion.id == 1)).first()
    if row is None:
        raise StorageError("the data_version row is missing; run `planvakt db upgrade`")
    return DataVersionStamp(row.number, datetime.fromtimestamp(row.changed_ms / 1000, UTC))
