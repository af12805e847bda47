"""The ingest service (bytes -> document + reading + sighting) against real databases, real parsers and a real
evidence store: what the crawl, tips and reclassify all store through."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from crawlers.errors import ExtractionError
from crawlers.extract import extract_document
from crawlers.testweb.documents import broken_pdf_bytes, pdf_bytes
from crawlers.testweb.plantexts import abuse_plan, budget
from crawlers.types import ExtractedText
from tracker import ingest
from tracker.blobs import EvidenceStore
from tracker.domain import Category, Country, Kommune
from tracker.reading import CLASSIFIER_VERSION
from tracker.reading.accessibility import CHECKS
from tracker.store import database, documents, runs
from tracker.store.models import ClassificationRow, Document, SiteCheck

T = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PLAN = pdf_bytes(abuse_plan("nb", "Lyngvik", 2025, 2028))
BUDGET = pdf_bytes(budget("Lyngvik", 2026))
PLAN_URL = "https://lyngvik.kommune.no/plan.pdf"


class InProcessExtractor:
    """The real parsers in this process; `fail_first` documents fail once on our side (a worker that died)."""

    def __init__(self, fail_first: int = 0, fail_always: bool = False) -> None:
        self.calls: list[bytes] = []
        self.fail_first = fail_first
        self.fail_always = fail_always

    async def extract(self, body: bytes, fmt: str, *, url: str = "") -> ExtractedText:
        self.calls.append(body)
        if self.fail_always or self.calls.count(body) <= self.fail_first:
            raise ExtractionError("worker died", ours=True)
        return extract_document(body, fmt, url=url)


def _fetched(body: bytes, url: str = PLAN_URL, anchor: str = "") -> ingest.Fetched:
    return ingest.Fetched(url, url, "pdf", "application/pdf", body, anchor)


def _count(engine: Engine, model: type[Document] | type[ClassificationRow]) -> int:
    with database.make_session_factory(engine)() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


async def test_new_bytes_are_archived_extracted_stored_and_read_once(engine: Engine, tmp_path: Path) -> None:
    factory = database.make_session_factory(engine)
    evidence = EvidenceStore(tmp_path / "evidence")
    extractor = InProcessExtractor()
    fetched = [_fetched(PLAN), _fetched(PLAN, url="https://lyngvik.kommune.no/kopi.pdf"), _fetched(BUDGET)]
    batch = await ingest.extract_new(factory, evidence, extractor, fetched)
    assert batch.shas[0] == batch.shas[1] != batch.shas[2]
    assert evidence.get(batch.shas[0]) == PLAN
    assert len(extractor.calls) == 2  # the same bytes twice are extracted once
    with factory.begin() as session:
        first = ingest.ingest_document(session, batch.shas[0], fetched[0], batch.texts[batch.shas[0]], today=T.date(),
                                       now=T)  # fmt: skip
        other = ingest.ingest_document(session, batch.shas[2], fetched[2], batch.texts[batch.shas[2]], today=T.date(),
                                       now=T)  # fmt: skip
        assert first.reading is not None and other.reading is not None
        assert Category(first.reading.category) is Category.ABUSE_SPECIFIC
        assert Category(other.reading.category) is Category.OTHER
        assert first.reading.classifier_version == CLASSIFIER_VERSION
        assert first.document.page_count and first.document.pages
    # stored bytes are not extracted again, and ingesting them again reuses document and reading
    again = await ingest.extract_new(factory, evidence, extractor, [_fetched(PLAN)])
    assert again.texts == {} and len(extractor.calls) == 2
    with factory.begin() as session:
        same = ingest.ingest_document(session, again.shas[0], _fetched(PLAN), None, today=T.date(), now=T)
        assert same.document.id == first.document.id
        assert same.reading is not None and same.reading.id == first.reading.id
    assert _count(engine, Document) == 2
    assert _count(engine, ClassificationRow) == 2


async def test_a_failure_on_our_side_is_tried_again_then_handed_back(engine: Engine, tmp_path: Path) -> None:
    factory = database.make_session_factory(engine)
    evidence = EvidenceStore(tmp_path / "evidence")
    once = await ingest.extract_new(factory, evidence, InProcessExtractor(fail_first=1), [_fetched(PLAN)])
    assert isinstance(once.texts[once.shas[0]], ExtractedText)
    assert once.failed_on_our_side([_fetched(PLAN)]) == []
    fetched = [_fetched(PLAN)]
    always = await ingest.extract_new(factory, evidence, InProcessExtractor(fail_always=True), fetched)
    assert always.failed_on_our_side(fetched) == [f"{PLAN_URL}: worker died"]
    assert _count(engine, Document) == 0  # nothing is written before the caller decides


async def test_a_broken_document_is_stored_with_its_error_and_never_read(engine: Engine, tmp_path: Path) -> None:
    factory = database.make_session_factory(engine)
    broken = _fetched(broken_pdf_bytes())
    batch = await ingest.extract_new(factory, EvidenceStore(tmp_path / "ev"), InProcessExtractor(), [broken])
    text = batch.texts[batch.shas[0]]
    assert isinstance(text, ExtractionError) and not text.ours
    assert batch.failed_on_our_side([broken]) == []
    with factory.begin() as session:
        stored = ingest.ingest_document(session, batch.shas[0], broken, text, today=T.date(), now=T)
        assert stored.reading is None
        assert stored.document.extraction_error == text.reason
    assert _count(engine, ClassificationRow) == 0


def test_unknown_bytes_without_their_text_are_refused(engine: Engine) -> None:
    with database.make_session_factory(engine).begin() as session, pytest.raises(ValueError, match="not stored"):
        ingest.ingest_document(session, "0" * 64, _fetched(PLAN), None, today=T.date(), now=T)


def test_a_document_without_a_reading_by_this_classifier_is_read_from_its_stored_text(engine: Engine) -> None:
    factory = database.make_session_factory(engine)
    text = extract_document(PLAN, "pdf", url=PLAN_URL)
    with factory.begin() as session:
        document = documents.add_new_document(
            session, "a" * 64, format="pdf", content_type="application/pdf", size_bytes=len(PLAN), text=text,
            extraction_error=None, now=T,
        )  # fmt: skip
        made = ingest.reading_of(session, document, url=PLAN_URL, anchor_text="", today=T.date(), now=T)
        kept = ingest.reading_of(session, document, url="elsewhere", anchor_text="x", today=T.date(), now=T)
        assert made is not None and kept is not None and made.id == kept.id
        assert made.year_start == 2025 and made.year_end == 2028
    assert _count(engine, ClassificationRow) == 1


def test_a_sighting_records_where_and_how_with_the_documents_accessibility(engine: Engine) -> None:
    factory = database.make_session_factory(engine)
    text = extract_document(PLAN, "pdf", url=PLAN_URL)
    seen = documents.Seen(
        url=PLAN_URL,
        final_url=PLAN_URL + "?v=2",
        http_status=200,
        found_via="link",
        seen_at=T,
        redirects=(PLAN_URL,),
        anchor_text="Handlingsplan mot overgrep",
        click_depth=2,
        click_path=(("https://lyngvik.kommune.no/", "Forside"), ("https://lyngvik.kommune.no/planer", "Planer")),
        in_sitemap=True,
        search_rank=1,
    )
    with factory.begin() as session:
        ids = runs.sync_kommuner(session, [Kommune("9999", "Lyngvik", Country.NO, "https://lyngvik.kommune.no")])
        run = runs.start_run(session, {}, 1, T)
        ingested = ingest.ingest_document(session, "b" * 64, _fetched(PLAN), text, today=T.date(), now=T)
        sighting = ingest.sighting_row(ingested.document, seen)
        check = SiteCheck(run_id=run.id, kommune_id=ids[("NO", "9999")], start_url=PLAN_URL, reachable=True,
                          blocked=False, pages_fetched=3, robots_disallowed=0, rendered_pages=0, issues=[],
                          started_at=T, finished_at=T)  # fmt: skip
        runs.add_check(session, check, [sighting])
        assert ingested.reading is not None
        decided = ingest.candidate(7, sighting, ingested.reading)
    assert sighting.id is not None and sighting.check_id == check.id
    assert sighting.click_path[1] == {"url": "https://lyngvik.kommune.no/planer", "anchor_text": "Planer"}
    assert [a["check"] for a in sighting.accessibility] == list(CHECKS)
    assert decided.sighting_key == 7 and decided.category is Category.ABUSE_SPECIFIC
    assert (decided.found_via, decided.click_depth, decided.year_start) == ("link", 2, 2025)
