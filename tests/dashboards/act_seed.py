"""Seed a real database with crawl results the way the pipeline writes them, for the Act and Review tests.

Rows go through `tracker.store` (documents, readings, checks, sightings) and `tracker.findings.decide`, so the
data has the same shape as a crawl's; only the fetching is skipped.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from tracker.domain import Category, Classification, Country, Evidence, Kommune
from tracker.findings import ClassifiedSighting, decide
from tracker.reading import CLASSIFIER_VERSION, Reading
from tracker.reading.criteria import CriterionHit
from tracker.store import documents, runs
from tracker.store.models import Document, Sighting, SiteCheck

T0 = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)

FJELLVIK = Kommune(
    "3901", "Fjellvik", Country.NO, "https://www.fjellvik.kommune.no", region="Vestfold", written_standard="Bokmål"
)
VIKOY = Kommune(
    "4699", "Vikøy", Country.NO, "https://www.vikoy.kommune.no", region="Vestland", written_standard="Nynorsk"
)
KILDEBY = Kommune("0799", "Kildeby", Country.DK, "https://www.kildeby.dk", region="Region Syddanmark")
NORDMYRA = Kommune("1899", "Nordmyra", Country.NO, "https://www.nordmyra.kommune.no", region="Nordland")


@dataclass(frozen=True)
class SeedDoc:
    title: str
    category: Category = Category.ABUSE_SPECIFIC
    confidence: float = 0.9
    years: tuple[int | None, int | None] = (2024, 2027)
    kind: str = "adopted_plan"
    found_via: str = "link"
    click_depth: int | None = 2
    language: str = "nb"
    #: criterion -> met
    criteria: dict[str, bool] = field(default_factory=dict)
    body: bytes = b""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body or self.title.encode()).hexdigest()


def sync(factory: sessionmaker[Session], *kommuner: Kommune) -> dict[str, int]:
    with factory.begin() as session:
        ids = runs.sync_kommuner(session, kommuner)
    return {number: kid for (_, number), kid in ids.items()}


def _document(session: Session, doc: SeedDoc, at: datetime) -> tuple[Document, object]:
    document = documents.document_by_sha(session, doc.sha256) or documents.add_document(
        session,
        Document(
            sha256=doc.sha256,
            format="pdf",
            content_type="application/pdf",
            size_bytes=len(doc.body or doc.title.encode()),
            first_seen_at=at,
            title=doc.title,
            page_count=4,
            text_source="text_layer",
            pages=["side 1"],
            headings=[],
            doc_metadata={},
            facts={},
        ),
    )
    reading = documents.classification_for(session, document, CLASSIFIER_VERSION) or documents.add_classification(
        session,
        document,
        Reading(
            Classification(
                doc.category,
                doc.confidence,
                (Evidence(doc.title, 0, "title:abuse"),),
                "seeded",
                doc.years[0],
                doc.years[1],
                doc.language,
                CLASSIFIER_VERSION,
            ),
            doc.kind,
            (),
            tuple(
                CriterionHit(c, met, ((2, f"Kommunen skal {c}."),) if met else ()) for c, met in doc.criteria.items()
            ),
        ),
        at,
    )
    return document, reading


def seed_check(
    factory: sessionmaker[Session],
    kommune: Kommune,
    docs: list[SeedDoc],
    *,
    at: datetime = T0,
    reachable: bool = True,
    blocked: bool = False,
) -> int:
    """One crawl run with one check of `kommune` holding `docs`, and its finding; returns the finding id."""
    with factory.begin() as session:
        ids = runs.sync_kommuner(session, [kommune])
        kommune_id = ids[(kommune.country.value, kommune.kommunenummer)]
        run = runs.start_run(session, {"source": "seed"}, 1, at)
        sightings: list[Sighting] = []
        readings = []
        for index, doc in enumerate(docs):
            document, reading = _document(session, doc, at)
            readings.append(reading)
            sightings.append(
                Sighting(
                    document=document,
                    url=f"{kommune.website}/dok/{index}.pdf",
                    final_url=f"{kommune.website}/dok/{index}.pdf",
                    http_status=200,
                    redirects=[],
                    anchor_text=doc.title,
                    found_via=doc.found_via,
                    click_depth=doc.click_depth,
                    click_path=[],
                    seen_at=at,
                )
            )
        check = runs.add_check(
            session,
            SiteCheck(
                run_id=run.id,
                kommune_id=kommune_id,
                start_url=kommune.website,
                final_url=kommune.website,
                reachable=reachable,
                blocked=blocked,
                error=None if reachable else "connection refused",
                pages_fetched=20,
                issues=[],
                started_at=at,
                finished_at=at,
            ),
            sightings,
        )
        candidates = [
            ClassifiedSighting(
                index,
                s.url,
                doc.sha256,
                "pdf",
                doc.title,
                "text_layer",
                doc.found_via,
                doc.click_depth,
                doc.category,
                doc.confidence,
                doc.years[0],
                doc.years[1],
                doc.kind,
            )
            for index, (s, doc) in enumerate(zip(sightings, docs, strict=True))
        ]
        decision = decide(reachable, candidates, at.date())
        plan = sightings[decision.plan.sighting_key] if decision.plan else None
        finding = runs.add_finding(
            session,
            run=run,
            check=check,
            decision=decision,
            plan_sighting=plan,
            plan_classification=readings[decision.plan.sighting_key] if decision.plan else None,  # type: ignore[arg-type]
        )
        runs.finish_run(session, run, at)
        return finding.id
