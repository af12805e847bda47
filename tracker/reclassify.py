"""Re-read every stored document with the current classifier and re-decide each kommune's latest finding.

No re-crawl and no re-parse: the text of every document is stored (document.pages). Old classifications stay
(one row per document per classifier version), so a journalist can compare versions. The latest finding of each
kommune is re-decided in place, and its reason says which classifier decided it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session, sessionmaker

from tracker import ingest
from tracker.findings import decide
from tracker.reading import CLASSIFIER_VERSION
from tracker.store import documents, runs
from tracker.store.models import ClassificationRow

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReclassifyReport:
    version: str
    documents_read: int
    findings_redecided: int
    findings_changed: int


def reclassify(
    session_factory: sessionmaker[Session], *, today: date, now: Callable[[], datetime], batch_size: int = 200
) -> ReclassifyReport:
    """Classify every readable document that has no reading by CLASSIFIER_VERSION, then re-decide findings."""
    read = 0
    while True:
        with session_factory.begin() as session:
            batch = documents.documents_without_reading(session, CLASSIFIER_VERSION, limit=batch_size)
            for document in batch:
                ingest.reading_of(
                    session,
                    document,
                    url=documents.any_url_of(session, document) or "",
                    anchor_text=documents.any_anchor_text_of(session, document),
                    today=today,
                    now=now(),
                )
                read += 1
        if len(batch) < batch_size:
            break
    redecided = changed = 0
    with session_factory.begin() as session:
        for finding, check in runs.latest_findings_with_checks(session):
            candidates = []
            readings: dict[int, ClassificationRow] = {}
            for index, sighting in enumerate(check.sightings):
                reading = documents.classification_for(session, sighting.document, CLASSIFIER_VERSION)
                if reading is None:
                    continue
                readings[index] = reading
                candidates.append(ingest.candidate(index, sighting, reading))
            decision = decide(check.reachable, candidates, today, blocked=check.blocked, error=check.error)
            before = (finding.status, finding.plan_sighting_id)
            plan = check.sightings[decision.plan.sighting_key] if decision.plan else None
            runs.redecide_finding(
                session,
                finding,
                decision,
                plan_sighting=plan,
                plan_classification=readings[decision.plan.sighting_key] if decision.plan else None,
                note=f"re-decided with classifier {CLASSIFIER_VERSION}",
            )
            redecided += 1
            changed += before != (finding.status, finding.plan_sighting_id)
    logger.info("reclassified %d documents with %s; %d findings changed", read, CLASSIFIER_VERSION, changed)
    return ReclassifyReport(CLASSIFIER_VERSION, read, redecided, changed)
