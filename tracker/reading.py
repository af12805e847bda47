"""Pure: everything Planvakt reads from one document's text, in one call.

The category and period (classify), whether it is an adopted plan or a draft, hearing version or case document
(document_kind), and which checklist items it commits to (criteria, only for plans). Used by the crawl pipeline and
by `planvakt reclassify`, so a new classifier version re-reads stored text without a re-crawl.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.classify import CLASSIFIER_VERSION, classify
from tracker.criteria import CriterionHit, assess_criteria
from tracker.document_kind import document_kind
from tracker.domain import Category, Classification, DocumentText, Evidence

__all__ = ["CLASSIFIER_VERSION", "Reading", "read_document"]


@dataclass(frozen=True)
class Reading:
    classification: Classification
    kind: str
    kind_evidence: tuple[Evidence, ...]
    criteria: tuple[CriterionHit, ...]


def read_document(text: DocumentText, *, today: date) -> Reading:
    classification = classify(text, today=today)
    kind, kind_evidence = document_kind(text)
    criteria: tuple[CriterionHit, ...] = ()
    if classification.category is not Category.OTHER:
        criteria = assess_criteria(text, classification.language)
    return Reading(classification, str(kind), kind_evidence, criteria)
